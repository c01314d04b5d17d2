// Bad input against the real server, posted as the real form (like a browser without JavaScript):
// every answer is a 303 with the row stored exactly as the rules normalise it, or the form again
// with one of its messages and nothing stored. Never a 5xx. And markup in a name stays text.
import fc from "fast-check";
import { expect, test } from "@playwright/test";
import { fetchRegisterForm, postRegistration } from "../load/register-form";
import { hostileEmail, hostileText, normalised, VALIDATION_MESSAGE } from "../support/hostile-text";
import { storedRegistrants, uniquePerson } from "./helpers";

const messagesIn = (html: string) => [...html.matchAll(/<p id="(?:name|email)-error"[^>]*>([^<]*)</g)].map((m) => m[1].replace(/&#x27;|&#39;/g, "'"));

async function expectStoredOrRefused(baseURL: string, fields: Array<[string, string]>, person: { name: string; email: string }) {
  const answer = await postRegistration(baseURL, fields, person);
  expect(answer.status, `answer to ${JSON.stringify(person)}`).toBeLessThan(500);
  const expected = normalised(person);
  const stored = await storedRegistrants(expected.email);
  if (answer.status === 303) {
    expect(stored).toEqual([expected]);
    return;
  }
  expect(answer.status).toBe(200);
  const messages = messagesIn(answer.body);
  expect(messages.length, `a message for ${JSON.stringify(person)}`).toBeGreaterThan(0);
  for (const message of messages) expect(message).toMatch(VALIDATION_MESSAGE);
  if (!messages.includes("This email is already registered.")) expect(stored).toEqual([]);
}

test.describe("bad input over HTTP", () => {
  test.describe.configure({ timeout: 120_000 });

  test("any name is stored exactly as trimmed, or refused with a message; never a 5xx", async ({ baseURL }) => {
    const fields = await fetchRegisterForm(baseURL!);
    await fc.assert(
      fc.asyncProperty(hostileText({ wellFormed: true }), async (name) => {
        await expectStoredOrRefused(baseURL!, fields, { name, email: uniquePerson("http-name").email });
      }),
      { numRuns: 40 },
    );
  });

  test("any email is stored trimmed and lower-cased, or refused with a message; never a 5xx", async ({ baseURL }) => {
    const fields = await fetchRegisterForm(baseURL!);
    await fc.assert(
      fc.asyncProperty(hostileEmail({ wellFormed: true }), async (email) => {
        await expectStoredOrRefused(baseURL!, fields, { name: "Fuzzed Email", email });
      }),
      { numRuns: 40 },
    );
  });

  const explicit: Array<[string, string, "stored" | RegExp]> = [
    ["a NUL byte", "Ada\u0000Lovelace", /control characters/],
    ["SQL", "Robert'); DROP TABLE registrants; --", "stored"],
    ["RTL marks", "\u200fمحمد \u200eabc\u061c", "stored"],
    ["a direction override", "Eve\u202egnp.exe", /change the direction of the text/],
    ["emoji at exactly 255 code units", "😀".repeat(127) + "x", "stored"],
    ["emoji at 256 code units", "😀".repeat(128), /at most 255/],
    ["only whitespace", " \t\u3000 ", /Please enter your name/],
    ["leading and trailing spaces", "   Spaced Out   ", "stored"],
  ];
  for (const [label, name, expected] of explicit) {
    test(`a name with ${label} is ${expected === "stored" ? "stored exactly" : "refused with a message"}`, async ({ baseURL }) => {
      const { email } = uniquePerson("http-explicit");
      const answer = await postRegistration(baseURL!, await fetchRegisterForm(baseURL!), { name, email });
      if (expected === "stored") {
        expect(answer.status).toBe(303);
        expect(await storedRegistrants(email)).toEqual([{ name: name.trim(), email }]);
      } else {
        expect(answer.status).toBe(200);
        expect(messagesIn(answer.body).join(" ")).toMatch(expected);
        expect(await storedRegistrants(email)).toEqual([]);
      }
    });
  }
});

test.describe("stored markup", () => {
  test("a name full of markup is shown as text: no script runs, no element is injected", async ({ page }) => {
    const person = uniquePerson("xss");
    const name = `<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2;alert(2)</script><b id="injected">${person.name}</b>`;
    const dialogs: string[] = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.goto("/register");
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Email").fill(person.email);
    await page.getByRole("button", { name: "Register" }).click();
    await expect(page).toHaveURL(/\/$/);

    const entry = page.getByRole("listitem").filter({ hasText: person.email });
    await expect(entry.locator(".registrant-name")).toHaveText(name);
    await page.reload();
    await expect(entry.locator(".registrant-name")).toHaveText(name);
    await expect(page.locator("#injected")).toHaveCount(0);
    await expect(entry.locator("img, script, b")).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });
});
