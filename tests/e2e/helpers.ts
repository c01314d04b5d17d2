// Small helpers shared by the end-to-end specs.
import { test, type Page } from "@playwright/test";
import { openClient } from "../../db/connection/client";
import type { DatabaseConfig } from "../../lib/config";

let counter = 0;
/** A name and email no other test (or earlier run) uses. */
export function uniquePerson(tag: string) {
  counter += 1;
  const id = `${tag}-${Date.now().toString(36)}-${process.pid}-${counter}`;
  return { name: `Person ${id}`, email: `${id}@example.com` };
}

export async function fillRegistration(page: Page, person: { name: string; email: string }) {
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
}

/** Drops the browser-side constraints so a test can show that the server is the authority. */
export async function disableBrowserValidation(page: Page) {
  await page.locator("form").evaluate((form: HTMLFormElement) => {
    form.noValidate = true;
  });
}

export const JS_MODES = [
  { label: "with JavaScript", javaScriptEnabled: true },
  { label: "without JavaScript", javaScriptEnabled: false },
] as const;

/**
 * The database behind the shared server this test's project drives (tests/e2e/global-setup.ts):
 * the embedded file (project "e2e") or the sqld with its token (project "remote").
 */
export function sharedDatabase(): DatabaseConfig {
  return test.info().project.name === "remote"
    ? { url: process.env.E2E_REMOTE_DATABASE_URL!, authToken: process.env.E2E_REMOTE_DATABASE_AUTH_TOKEN }
    : { url: process.env.E2E_DATABASE_URL! };
}

/** The rows stored under `email` in a server's database (the shared server's by default). */
export async function storedRegistrants(email: string, database: DatabaseConfig = sharedDatabase()) {
  const client = openClient(database);
  try {
    const { rows } = await client.execute({ sql: "SELECT name, email FROM registrants WHERE email = ?", args: [email] });
    return rows.map((row) => ({ name: String(row.name), email: String(row.email) }));
  } finally {
    client.close();
  }
}
