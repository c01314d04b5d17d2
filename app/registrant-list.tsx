// One page of the registrants list, newest first, 50 a page, with the total and the pager.
import Link from "next/link";
import type { RegistrantPage } from "@/db/registrants";
import { SiteHeader } from "./site-header";
import { Pager } from "./pager";

export function RegistrantList({ rows, page, pageCount, total, version }: RegistrantPage) {
  return (
    <>
      <SiteHeader current="registrants" />
      {/* The data version this page shows: the page caches keep it only while it is current. */}
      <main id="main" data-registrants-version={version ?? "unknown"}>
        <h1>Registrants</h1>
        {total === 0 ? (
          <p className="empty">
            Nobody has registered yet. <Link href="/register">Be the first to register</Link>.
          </p>
        ) : rows.length === 0 ? (
          <p className="empty">
            There is no page {page}: the list has {pageCount} {pageCount === 1 ? "page" : "pages"}.{" "}
            <Link href={pageCount === 1 ? "/" : `/?page=${pageCount}`}>Go to the last page</Link>.
          </p>
        ) : (
          <>
            <p className="muted">
              {total.toLocaleString("en-US")} {total === 1 ? "person has" : "people have"} registered.{" "}
              <Link href="/register">Register</Link>
            </p>
            <ul className="list" aria-label="Registrants">
              {rows.map((row) => (
                <li key={row.id}>
                  <span className="registrant-name">{row.name}</span>{" "}
                  <span className="registrant-email">{row.email}</span>
                </li>
              ))}
            </ul>
            <Pager page={page} pageCount={pageCount} />
          </>
        )}
      </main>
    </>
  );
}
