// GET /register: the form, and the registrations this browser made (from its sealed cookie), each
// with a button to the confirmation page of a cancel (app/register/cancel). Per visitor, so never
// cached; `/` stays the same page for everyone.
import type { Metadata } from "next";
import { SiteHeader } from "../site-header";
import { OWN_REGISTRATIONS_UNAVAILABLE, registrationNoticeText } from "./notices";
import { readOwnRegistrations } from "./own-registrations";
import { RegisterForm } from "./register-form";

export const metadata: Metadata = { title: "Register", robots: { index: false, follow: false } };

export default async function RegisterPage({ searchParams }: PageProps<"/register">) {
  const [{ rows, unavailable }, { notice }] = await Promise.all([readOwnRegistrations(), searchParams]);
  const noticeText = unavailable ? OWN_REGISTRATIONS_UNAVAILABLE : registrationNoticeText(notice);
  return (
    <>
      <SiteHeader current="register" />
      <main id="main">
        <h1>Register</h1>
        <p className="notice" role="status">
          {noticeText}
        </p>
        {rows.length > 0 && (
          <section aria-labelledby="own-registrations" className="stack">
            <h2 id="own-registrations">You are registered as …</h2>
            <ul className="list" aria-label="Your registrations">
              {rows.map((row) => (
                <li key={row.id} className="task">
                  <span>
                    <span className="registrant-name">{row.name}</span> <span className="registrant-email">{row.email}</span>
                  </span>
                  {/* A plain GET form: the confirmation is a real page, with or without JavaScript. */}
                  <form action="/register/cancel" method="get">
                    <input type="hidden" name="id" value={row.id} />
                    <button type="submit" className="secondary" aria-label={`Cancel my registration as ${row.name}`}>
                      Cancel my registration
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          </section>
        )}
        <p className="muted">Add your name to the list of registrants.</p>
        <RegisterForm />
      </main>
    </>
  );
}
