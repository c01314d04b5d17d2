// A registrant sees the registrations this browser made on /register and cancels one after a
// confirmation page, with JavaScript on and off. Nobody else's registration can be cancelled: not
// from another browser, not by a made-up id, not by replaying an old cookie or an old tab.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { expect, test, type Page } from "@playwright/test";
import { openClient } from "../../db/connection/client";
import { migrateDatabase } from "../support/server";
import { injectWriterFault } from "../support/writer-faults";
import { fillRegistration, JS_MODES, storedRegistrants, uniquePerson } from "./helpers";
import { withOwnServer } from "./own-server";

async function idOf(email: string): Promise<number> {
  const client = createClient({ url: process.env.E2E_DATABASE_URL! });
  try {
    const { rows } = await client.execute({ sql: "SELECT id FROM registrants WHERE email = ?", args: [email] });
    return Number(rows[0].id);
  } finally {
    client.close();
  }
}

/** Rewrites a row in place, as a restore from an older backup would leave it. */
async function setRow(id: number, person: { name: string; email: string }): Promise<void> {
  const client = openClient({ url: process.env.E2E_DATABASE_URL! }); // with the busy timeout: the server may be writing
  try {
    await client.execute({ sql: "UPDATE registrants SET name = ?, email = ? WHERE id = ?", args: [person.name, person.email, id] });
  } finally {
    client.close();
  }
}

async function register(page: Page, person: { name: string; email: string }, registerUrl = "/register") {
  await page.goto(registerUrl);
  await fillRegistration(page, person);
  await page.getByRole("button", { name: "Register", exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
}

const ownList = (page: Page) => page.getByRole("list", { name: "Your registrations" });

for (const mode of JS_MODES) {
  test.describe(`cancelling ${mode.label}`, () => {
    test.use({ javaScriptEnabled: mode.javaScriptEnabled });

    test("a registrant sees themselves on /register, confirms on a real page, and is gone from the list", async ({ page }) => {
      const person = uniquePerson("cancel");
      await register(page, person);
      await page.goto("/register");
      await expect(page.getByRole("heading", { name: "You are registered as …" })).toBeVisible();
      await expect(ownList(page)).toContainText(person.name);

      await ownList(page).getByRole("button", { name: "Cancel my registration" }).click();
      await expect(page).toHaveURL(/\/register\/cancel\?id=\d+$/);
      await expect(page.getByText("Cancel the registration of")).toContainText(person.email);
      if (mode.javaScriptEnabled) {
        // Hold the action's request a moment so the pending state can be seen.
        await page.route("**/register/cancel**", async (route) => {
          if (route.request().method() === "POST") await new Promise((resolve) => setTimeout(resolve, 700));
          await route.continue();
        });
      }
      await page.getByRole("button", { name: "Yes, cancel my registration" }).click();
      if (mode.javaScriptEnabled) await expect(page.getByRole("button", { name: "Cancelling…" })).toBeDisabled();

      await expect(page).toHaveURL(/\/register\?notice=cancelled$/);
      await expect(page.getByRole("status")).toHaveText("Your registration was cancelled and removed from the list.");
      await expect(ownList(page)).toHaveCount(0);
      expect(await storedRegistrants(person.email)).toEqual([]);

      await page.getByRole("link", { name: "Registrants" }).click();
      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByRole("heading", { name: "Registrants" })).toBeVisible();
      await expect(page.getByRole("main")).not.toContainText(person.email); // other specs may leave the list empty

      await register(page, person); // the same email may register again
      expect(await storedRegistrants(person.email)).toEqual([person]);
    });

    test("another browser sees no cancel control and cannot cancel by id", async ({ page, browser }) => {
      const person = uniquePerson("foreign");
      await register(page, person);
      const id = await idOf(person.email);

      const other = await browser.newContext({ javaScriptEnabled: mode.javaScriptEnabled });
      try {
        const stranger = await other.newPage();
        await stranger.goto("/register");
        await expect(stranger.getByLabel("Name")).toBeVisible();
        await expect(ownList(stranger)).toHaveCount(0);
        await stranger.goto(`/register/cancel?id=${id}`);
        await expect(stranger.getByRole("status")).toContainText("This browser has no such registration to cancel");
        await expect(stranger.getByRole("button", { name: /cancel/i })).toHaveCount(0);
      } finally {
        await other.close();
      }
      for (const forged of ["0", "-1", "abc", "99999999999999999999", `${id}.0`]) {
        await page.goto(`/register/cancel?id=${forged}`);
        await expect(page.getByRole("status")).toContainText("Nothing was changed.");
      }
      expect(await storedRegistrants(person.email)).toEqual([person]);
    });

    test("a cancel replayed from an old tab or an old cookie changes nothing and says so", async ({ page, context }) => {
      const person = uniquePerson("replay");
      await register(page, person);
      const oldId = await idOf(person.email);
      const oldCookies = await context.cookies();
      await page.goto("/register");
      await ownList(page).getByRole("button", { name: "Cancel my registration" }).click();
      const oldTab = await context.newPage();
      await oldTab.goto(page.url());

      await page.getByRole("button", { name: "Yes, cancel my registration" }).click();
      await expect(page).toHaveURL(/notice=cancelled$/);

      await oldTab.getByRole("button", { name: "Yes, cancel my registration" }).click();
      await expect(oldTab).toHaveURL(/notice=not-yours$/);
      await expect(oldTab.getByRole("status")).toContainText("Nothing was changed.");

      // The same email registers again, with a new id; the old cookie still names the old id only.
      await register(page, person);
      const newId = await idOf(person.email);
      expect(newId).toBeGreaterThan(oldId);
      await context.clearCookies();
      await context.addCookies(oldCookies);
      await page.goto("/register");
      await expect(ownList(page)).toHaveCount(0);
      await page.goto(`/register/cancel?id=${oldId}`);
      await expect(page.getByRole("status")).toContainText("no longer exists");
      await page.goto(`/register/cancel?id=${newId}`);
      await expect(page.getByRole("status")).toContainText("This browser has no such registration");
      expect(await storedRegistrants(person.email)).toEqual([person]);
    });

    test("a remembered id that now holds someone else's email (a restored backup) is not cancelled, even from an open confirmation page", async ({ page }) => {
      const person = uniquePerson("restored");
      await register(page, person);
      const id = await idOf(person.email);
      await page.goto(`/register/cancel?id=${id}`);
      await expect(page.getByRole("button", { name: "Yes, cancel my registration" })).toBeVisible();
      // Meanwhile the database is restored from a backup in which this id belongs to someone else.
      const someoneElse = uniquePerson("restored-other");
      await setRow(id, someoneElse);
      await page.getByRole("button", { name: "Yes, cancel my registration" }).click();
      await expect(page).toHaveURL(/notice=already-gone$/);
      await expect(page.getByRole("status")).toContainText("Nothing was changed.");
      expect(await storedRegistrants(someoneElse.email)).toEqual([someoneElse]);
    });

    test("a tampered cookie remembers nothing", async ({ page, context }) => {
      const person = uniquePerson("tamper");
      await register(page, person);
      const cookie = (await context.cookies()).find((each) => each.name === "__Secure-registrations")!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/register", secure: true });
      const flipped = cookie.value.slice(0, 60) + (cookie.value[60] === "a" ? "b" : "a") + cookie.value.slice(61);
      await context.addCookies([{ ...cookie, value: flipped }]);
      await page.goto("/register");
      await expect(page.getByLabel("Name")).toBeVisible();
      await expect(ownList(page)).toHaveCount(0);
      expect(await storedRegistrants(person.email)).toEqual([person]);
    });
  });
}

test.describe("cancel posts at the door", () => {
  test.use({ javaScriptEnabled: false });

  test("need a same-site signal, and the cancel action does nothing posted to another page", async ({ page, request, baseURL }) => {
    const person = uniquePerson("door");
    await register(page, person);
    await page.goto("/register");
    await ownList(page).getByRole("button", { name: "Cancel my registration" }).click();
    // The confirmation page must have loaded: read too early, /register's own hidden fields (one id per form) were posted instead.
    await expect(page).toHaveURL(/\/register\/cancel\?id=\d+$/);
    await expect(page.getByRole("button", { name: "Yes, cancel my registration" })).toBeVisible();
    const fields = await page.locator("form input[type=hidden]").evaluateAll((inputs: HTMLInputElement[]) => inputs.map((input) => [input.name, input.value]));
    const cookie = (await page.context().cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");
    const multipart = Object.fromEntries(fields);

    const unsigned = await request.post("/register/cancel", { headers: { cookie }, multipart, maxRedirects: 0 });
    expect(unsigned.status()).toBe(403);
    const crossSite = await request.post("/register/cancel", { headers: { cookie, origin: "https://evil.example" }, multipart, maxRedirects: 0 });
    expect(crossSite.status()).toBe(403);
    const elsewhere = await request.post("/register", { headers: { cookie, origin: baseURL! }, multipart, maxRedirects: 0 });
    expect(elsewhere.status()).not.toBe(303);
    expect(await storedRegistrants(person.email)).toEqual([person]);

    const signedByReferer = await request.post("/register/cancel", { headers: { cookie, referer: page.url() }, multipart, maxRedirects: 0 });
    expect(signedByReferer.status()).toBe(303);
    expect(signedByReferer.headers().location).toMatch(/notice=cancelled$/);
    expect(await storedRegistrants(person.email)).toEqual([]);
  });
});

test("list pages and /register say noindex, and robots.txt keeps crawlers out", async ({ request }) => {
  for (const path of ["/", "/?page=2", "/register"]) {
    const html = await (await request.get(path)).text();
    expect(html, path).toMatch(/<meta name="robots" content="noindex, nofollow"\/>/);
  }
  const robots = await request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  expect(await robots.text()).toMatch(/User-Agent: \*\nDisallow: \/\n/);
});

test("/register and its confirmation page are this browser's own: no shared cache may keep them", async ({ page }) => {
  const person = uniquePerson("no-shared-cache");
  await register(page, person);
  const id = await idOf(person.email);
  for (const path of ["/register", `/register/cancel?id=${id}`]) {
    const response = await page.request.get(path);
    expect(await response.text(), path).toContain(person.email); // this browser's own registration is on it
    expect(response.headers()["cache-control"], path).toMatch(/^private, .*no-store/);
    expect(response.headers()["cache-control"], path).not.toMatch(/s-maxage|public/);
  }
});

test.describe("a cancel while the writer's thread fails", () => {
  test.use({ javaScriptEnabled: false });
  const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-cancel-"));
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const databaseUrl = `file:${join(dir, "cancel.db")}`;
  const faultFile = join(dir, "writer.fault");
  test.beforeAll(() => migrateDatabase(databaseUrl));
  const server = withOwnServer(() => databaseUrl, { env: { REGISTRATION_FAULT_FILE: faultFile } });

  test("says to try again, deletes nothing, and the retry cancels", async ({ page }) => {
    const person = uniquePerson("fault");
    await register(page, person, server.url("/register"));
    await page.goto(server.url("/register"));
    await ownList(page).getByRole("button", { name: "Cancel my registration" }).click();
    injectWriterFault(faultFile, "exit"); // the thread dies between the DELETE and its COMMIT
    await page.getByRole("button", { name: "Yes, cancel my registration" }).click();
    await expect(page.getByRole("alert")).toContainText("could not cancel your registration just now. Nothing was changed");
    expect(await storedRegistrants(person.email, { url: databaseUrl })).toEqual([person]);

    await expect(async () => {
      await page.getByRole("button", { name: "Yes, cancel my registration" }).click();
      await expect(page).toHaveURL(/notice=cancelled$/, { timeout: 2_000 });
    }).toPass({ timeout: 15_000 });
    expect(await storedRegistrants(person.email, { url: databaseUrl })).toEqual([]);
  });
});
