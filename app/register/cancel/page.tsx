// GET /register/cancel?id=N: the confirmation step of a cancel, a real page (no confirm() dialog),
// so it works without JavaScript. Shown only for a registration this browser made; any other id
// gets a page that says nothing can be cancelled from here.
import type { Metadata } from "next";
import { SiteHeader } from "../../site-header";
import { REGISTRATION_NOTICES } from "../notices";
import { parseRegistrationId, readOwnRegistrations } from "../own-registrations";
import { ConfirmCancelForm } from "./confirm-cancel-form";

export const metadata: Metadata = { title: "Cancel registration", robots: { index: false, follow: false } };

export default async function CancelRegistrationPage({ searchParams }: PageProps<"/register/cancel">) {
  const [{ remembered, rows }, { id: rawId }] = await Promise.all([readOwnRegistrations(), searchParams]);
  const id = parseRegistrationId(rawId);
  const row = rows.find((each) => each.id === id);
  const problem = row ? undefined : remembered.some((entry) => entry.id === id) ? REGISTRATION_NOTICES["already-gone"] : REGISTRATION_NOTICES["not-yours"];
  return (
    <>
      <SiteHeader current="register" />
      <main id="main" className="stack">
        <h1>Cancel registration</h1>
        {row ? (
          <>
            <p>
              Cancel the registration of <strong className="registrant-name">{row.name}</strong> (
              <span className="registrant-email-inline">{row.email}</span>)? It is removed from the list for good.
            </p>
            <ConfirmCancelForm id={row.id} />
          </>
        ) : (
          <>
            <p className="notice" role="status">
              {problem}
            </p>
            <a href="/register">Back to the registration page</a>
          </>
        )}
      </main>
    </>
  );
}
