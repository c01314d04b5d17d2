// The list pages are cached (server/document-cache.ts), and never show
// a list older than the database: not to the registrant after the redirect, not after another
// process writes to the file, not on another server process using the same file.
import { mkdtempSync, rmSync } from "node:fs";
import { get, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { createClient } from "@libsql/client";
import { expect, test, type Page } from "@playwright/test";
import { migrateDatabase } from "../support/server";
import { fillRegistration, uniquePerson } from "./helpers";
import { withOwnServer } from "./own-server";

const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-fresh-"));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes rows the way another program would: its own connection, straight into the file. */
async function insertDirectly(databaseUrl: string, people: { name: string; email: string }[]) {
  const client = createClient({ url: databaseUrl });
  try {
    for (const { name, email } of people) await client.execute({ sql: "INSERT INTO registrants (name, email) VALUES (?, ?)", args: [name, email] });
  } finally {
    client.close();
  }
}

/** A GET whose body is left as sent (fetch would decompress it). */
function rawGet(url: URL, headers: Record<string, string>) {
  return new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

const listItems = (page: Page) => page.getByRole("list", { name: "Registrants" }).getByRole("listitem");

test.describe("one server", () => {
  test.use({ javaScriptEnabled: false });

  test("the registrant sees themselves first on the cached list right after the 303", async ({ page }) => {
    await page.goto("/");
    await page.goto("/"); // the list is now cached
    const person = uniquePerson("fresh");
    await page.goto("/register");
    await fillRegistration(page, person);
    await page.getByRole("button", { name: "Register" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(listItems(page).first()).toContainText(person.email, { timeout: 1 });
  });

  test("a row another process writes to the database file shows on the next request", async ({ page }) => {
    await page.goto("/");
    await page.goto("/");
    const person = uniquePerson("direct");
    await insertDirectly(process.env.E2E_DATABASE_URL!, [person]);
    await page.goto("/");
    await expect(listItems(page).first()).toContainText(person.email, { timeout: 1 });
  });

  test("a cached document is exactly what Next sent, and gzipped for clients that accept it", async ({ request }) => {
    // Other specs register in parallel, and each registration is a new version: retry until the
    // second request found the first one's document still current.
    await expect(async () => {
      const first = await (await request.get("/", { headers: { "accept-encoding": "identity" } })).text();
      const cached = await rawGet(new URL("/", process.env.E2E_BASE_URL), { "accept-encoding": "gzip" });
      expect(cached.headers["x-cache"]).toBe("HIT");
      expect(cached.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(cached.body).toString("utf8")).toBe(first);
    }).toPass({ timeout: 10_000 });
  });
});

test.describe("pages after rows are added and removed", () => {
  test.describe.configure({ mode: "serial" });
  const url = `file:${join(dir, "pages.db")}`;
  test.beforeAll(async () => {
    await migrateDatabase(url);
    await insertDirectly(url, Array.from({ length: 120 }, (_, i) => ({ name: `Row ${i + 1}`, email: `row-${i + 1}@example.com` })));
  });
  const server = withOwnServer(() => url);

  /** The names on ?page=N, in order. */
  async function namesOn(page: Page, n: number): Promise<string[]> {
    await page.goto(server.url(n === 1 ? "/" : `/?page=${n}`));
    return (await page.locator(".registrant-name").allTextContents()).map((name) => name.trim());
  }
  const rows = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => `Row ${from - i}`);

  test("each page holds the right 50, newest first, and stays right as rows come and go", async ({ page }) => {
    expect(await namesOn(page, 1)).toEqual(rows(120, 71));
    expect(await namesOn(page, 3)).toEqual(rows(20, 1));

    await insertDirectly(url, [121, 122, 123].map((i) => ({ name: `Row ${i}`, email: `row-${i}@example.com` })));
    expect(await namesOn(page, 1)).toEqual(rows(123, 74));
    expect(await namesOn(page, 2)).toEqual(rows(73, 24));
    expect(await namesOn(page, 3)).toEqual(rows(23, 1));

    // An operator deletes a row: the pages close the gap instead of skipping or repeating a row.
    const client = createClient({ url });
    await client.execute("DELETE FROM registrants WHERE email = 'row-50@example.com'");
    client.close();
    expect(await namesOn(page, 2)).toEqual([...rows(73, 51), ...rows(49, 23)]);
    expect(await namesOn(page, 3)).toEqual(rows(22, 1));
    await expect(page.getByText("122 people have registered.")).toBeVisible();
  });
});

test.describe("two server processes on one database file", () => {
  test.describe.configure({ mode: "serial" });
  const url = `file:${join(dir, "shared.db")}`;
  test.beforeAll(() => migrateDatabase(url));
  const first = withOwnServer(() => url);
  const second = withOwnServer(() => url);
  test.use({ javaScriptEnabled: false });

  test("a registration on one is on the other's list within 2 s", async ({ page }) => {
    await insertDirectly(url, [uniquePerson("seed")]);
    for (const server of [first, second]) for (let i = 0; i < 2; i++) await page.goto(server.url("/")); // both cached

    const person = uniquePerson("shared");
    await page.goto(first.url("/register"));
    await fillRegistration(page, person);
    await page.getByRole("button", { name: "Register" }).click();
    await expect(listItems(page).first()).toContainText(person.email, { timeout: 1 });

    await expect(async () => {
      await page.goto(second.url("/"));
      await expect(listItems(page).first()).toContainText(person.email, { timeout: 1 });
    }).toPass({ timeout: 2_000 });
  });

  test("a cancel on one is off both lists on the next request, page counts included", async ({ page }) => {
    const person = uniquePerson("cancelled");
    await page.goto(first.url("/register"));
    await fillRegistration(page, person);
    await page.getByRole("button", { name: "Register" }).click();
    for (const server of [first, second]) for (let i = 0; i < 2; i++) await page.goto(server.url("/")); // both cached, with the row
    await expect(listItems(page).first()).toContainText(person.email);
    const countBefore = await page.getByText(/people have registered/).textContent();

    await page.goto(first.url("/register"));
    await page.getByRole("button", { name: "Cancel my registration" }).click();
    await page.getByRole("button", { name: "Yes, cancel my registration" }).click();
    await expect(page).toHaveURL(/notice=cancelled$/);

    for (const server of [second, first]) {
      await page.goto(server.url("/"));
      await expect(page.getByRole("main")).not.toContainText(person.email, { timeout: 1 });
      const total = Number(countBefore!.match(/^[\d,]+/)![0].replaceAll(",", ""));
      await expect(page.getByText(/people have registered|person has registered/)).toContainText(`${total - 1}`, { timeout: 1 });
    }
  });
});
