// One page of the registrants list, newest first, 50 a page, with the total and the pager.
import type { RegistrantPage } from "@/db/registrants";
import { listPageHref } from "@/lib/registrants/list-url";
import { SiteHeader } from "./site-header";
import { Pager } from "./pager";

export function RegistrantList({ rows, page, pageCount, total }: RegistrantPage) {
  return (
    <>
      <SiteHeader current="registrants" />
      <main id="main">
        <h1>Registrants</h1>
        {total === 0 ? (
          <p className="empty">
            Nobody has registered yet. <a href="/register">Be the first to register</a>.
          </p>
        ) : rows.length === 0 ? (
          <p className="empty">
            There is no page {page}: the list has {pageCount} {pageCount === 1 ? "page" : "pages"}.{" "}
            <a href={listPageHref(pageCount)}>Go to the last page</a>.
          </p>
        ) : (
          <>
            <p className="muted">
              {total.toLocaleString("en-US")} {total === 1 ? "person has" : "people have"} registered.{" "}
              <a href="/register">Register</a>
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
