// The operator's view: a request that fails and a registration that is refused each leave one JSON
// line in the server's output, with what is needed to find the cause and nothing a log must not
// hold (cookie values, full emails, query strings).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { expect, test } from "@playwright/test";
import { jsonLines } from "../support/processes";
import { migrateDatabase } from "../support/server";
import { disableBrowserValidation, fillRegistration, uniquePerson } from "./helpers";
import { withOwnServer } from "./own-server";

test.describe.configure({ mode: "serial" });
const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-logs-"));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COOKIE_VALUE = "cookie-value-that-must-never-be-logged";

test.describe("a page that fails to render", () => {
  // A registrants table the health probe accepts but the list's query cannot read (registrant_buckets
  // without its `count` column):
  // the probe behind the 503 page passes, the render fails.
  const url = `file:${join(dir, "unreadable-list.db")}`;
  test.beforeAll(async () => {
    const client = createClient({ url });
    await client.batch(["CREATE TABLE registrants (id INTEGER PRIMARY KEY, name TEXT, email TEXT)", "CREATE TABLE registrant_stats (id INTEGER PRIMARY KEY, total INTEGER, version INTEGER)", "INSERT INTO registrant_stats VALUES (1, 120, 1)", "CREATE TABLE registrant_buckets (bucket INTEGER PRIMARY KEY)"]);
    client.close();
  });
  const server = withOwnServer(() => url, { bare: true });

  test("is one JSON error line naming the route, without cookies or query", async ({ request }) => {
    const response = await request.get(server.url("/?page=2"), { headers: { cookie: `session=${COOKIE_VALUE}` } });
    expect(response.status()).toBe(500);

    const failures = jsonLines(server.log()).filter((line) => line.event === "request.failed");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: "error", method: "GET", path: "/", route: "/", routeType: "render" });
    expect(failures[0].error).toMatchObject({ message: expect.any(String) });
    expect(server.log()).not.toContain(COOKIE_VALUE);
    expect(server.log()).not.toContain("page=2");
  });
});

test.describe("a DATABASE_URL that carries its auth token", () => {
  const TOKEN = "eyJhbGciOiJFZERTQSJ9.token-that-must-never-be-logged";
  const url = `file:${join(dir, "token.db")}`;
  test.beforeAll(() => migrateDatabase(url));
  const server = withOwnServer(() => `${url}?authToken=${TOKEN}`);

  test("is logged at start-up with the token masked", async () => {
    const start = jsonLines(server.log()).find((line) => line.event === "start.schema-current");
    expect(start?.database).toBe(`${url}?authToken=***`);
    expect(server.log()).not.toContain(TOKEN);
  });
});

test.describe("a refused registration", () => {
  const url = `file:${join(dir, "refused.db")}`;
  test.beforeAll(() => migrateDatabase(url));
  const server = withOwnServer(() => url);

  test("is one JSON line with the reason and a masked email", async ({ page }) => {
    const person = uniquePerson("twice");
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await page.goto(server.url("/register"));
      await fillRegistration(page, person);
      await page.getByRole("button", { name: "Register" }).click();
    }
    await expect(page.getByText("This email is already registered.")).toBeVisible();

    const refusals = jsonLines(server.log()).filter((line) => line.event === "register.rejected");
    expect(refusals).toEqual([expect.objectContaining({ reason: "duplicate-email", email: `${person.email[0]}***@example.com` })]);
    expect(server.log()).not.toContain(person.email);
  });

  test("an invalid form is one JSON line naming the bad fields, not their values", async ({ page }) => {
    const typed = "not-an-email-but-private@";
    await page.goto(server.url("/register"));
    await disableBrowserValidation(page);
    await fillRegistration(page, { name: "Valid Name", email: typed });
    await page.getByRole("button", { name: "Register" }).click();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

    expect(jsonLines(server.log())).toContainEqual(expect.objectContaining({ event: "register.rejected", reason: "invalid", fields: ["email"] }));
    expect(server.log()).not.toContain(typed);
  });
});
