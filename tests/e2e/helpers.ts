// Small helpers shared by the end-to-end specs.
import type { Page } from "@playwright/test";

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
