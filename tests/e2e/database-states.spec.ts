// The site against databases that are empty, unreachable or never migrated.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { migrateDatabase } from "../support/server";
import { fillRegistration, JS_MODES, uniquePerson } from "./helpers";
import { withOwnServer } from "./own-server";

test.describe.configure({ mode: "serial" });
const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-states-"));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.describe("an empty database", () => {
  const url = `file:${join(dir, "empty.db")}`;
  test.beforeAll(() => migrateDatabase(url));
  const server = withOwnServer(() => url);

  test("invites the visitor to register", async ({ page }) => {
    await page.goto(server.url("/"));
    await expect(page.getByText("Nobody has registered yet.")).toBeVisible();
    await page.getByRole("link", { name: "Be the first to register" }).click();
    await expect(page.getByRole("heading", { name: "Register" })).toBeVisible();
  });
});

test.describe("an unreachable database", () => {
  const server = withOwnServer(() => "http://127.0.0.1:9", { bare: true });

  for (const mode of JS_MODES) {
    test(`registering ${mode.label} shows a friendly retry message and keeps the values`, async ({ browser }) => {
      const context = await browser.newContext({ javaScriptEnabled: mode.javaScriptEnabled });
      const page = await context.newPage();
      const person = uniquePerson("down");
      await page.goto(server.url("/register"));
      await fillRegistration(page, person);
      await page.getByRole("button", { name: "Register" }).click();
      await expect(page.getByRole("alert").filter({ hasText: "could not save your registration" })).toBeVisible();
      await expect(page.getByLabel("Name")).toHaveValue(person.name);
      await expect(page.getByLabel("Email")).toHaveValue(person.email);
      await expect(page.locator("body")).not.toContainText(/at \w+ \(|Error:/);
      await context.close();
    });
  }

  for (const mode of JS_MODES) {
    test(`the list page answers 503 with a friendly page ${mode.label}`, async ({ browser }) => {
      const context = await browser.newContext({ javaScriptEnabled: mode.javaScriptEnabled });
      const page = await context.newPage();
      const response = await page.goto(server.url("/"));
      expect(response?.status()).toBe(503);
      expect(response?.headers()["retry-after"]).toBe("30");
      expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      await expect(page.getByRole("heading", { name: "Temporarily unavailable" })).toBeVisible();
      await expect(page.getByRole("alert")).toContainText("Please try again in a moment.");
      await expect(page.locator("body")).not.toContainText(/fetch failed|ECONNREFUSED|at \w+ \(/);
      await context.close();
    });
  }

  test("a HEAD request for the list (a load balancer's check) gets the 503 too", async ({ request }) => {
    expect((await request.head(server.url("/"))).status()).toBe(503);
  });

  test("following a link to the list with JavaScript lands on the same 503 page", async ({ page }) => {
    await page.goto(server.url("/register"));
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Registrants" }).click();
    await expect(page.getByRole("heading", { name: "Temporarily unavailable" })).toBeVisible();
  });
});

test.describe("a database that was never migrated", () => {
  const url = `file:${join(dir, "unmigrated.db")}`;
  const server = withOwnServer(() => url, { bare: true });

  test("the visitor sees a friendly error and the operator's log says to run db:migrate", async ({ page }) => {
    const response = await page.goto(server.url("/"));
    expect(response?.status()).toBe(503);
    await expect(page.getByRole("heading", { name: "Temporarily unavailable" })).toBeVisible();
    await page.goto(server.url("/register"));
    await fillRegistration(page, uniquePerson("nomigrate"));
    await page.getByRole("button", { name: "Register" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "could not save your registration" })).toBeVisible();
    expect(server.log()).toContain("npm run db:migrate");
  });
});
