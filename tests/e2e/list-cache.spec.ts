// The list's document cache (server/document-cache.ts) seen from outside, as a visitor, a shared
// cache in front and an attacker would: one cache key per real page, headers that keep a CDN to the
// product's freshness promise, `x-cache` saying who answered, and memory that stays bounded however
// many distinct URLs are asked for.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { expect, test } from "@playwright/test";
import { migrateDatabase } from "../support/server";
import { uniquePerson } from "./helpers";
import { withOwnServer } from "./own-server";

const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-list-cache-"));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function insertRows(url: string, count: number, row: (i: number) => { name: string; email: string }) {
  const client = createClient({ url });
  try {
    await client.batch(
      Array.from({ length: count }, (_, i) => ({ sql: "INSERT INTO registrants (name, email) VALUES (?, ?)", args: [row(i).name, row(i).email] })),
      "write",
    );
  } finally {
    client.close();
  }
}

test.describe("one URL per real page", () => {
  for (const [from, to] of [
    ["/?page=1", "/"],
    ["/?page=007", "/?page=7"],
    ["/?page=%202", "/?page=2"],
    ["/?page=abc", "/"],
    ["/?page=-3", "/"],
    ["/?page=2&utm_source=mail", "/?page=2"],
    ["/?anything=1", "/"],
  ]) {
    test(`${from} redirects permanently to ${to}, and is never a cache entry`, async ({ request }) => {
      const response = await request.get(from, { maxRedirects: 0 });
      expect(response.status()).toBe(308);
      expect(response.headers().location).toBe(to);
      expect(response.headers()["x-cache"]).toBeUndefined();
    });
  }

  test("the list's internal route of before (/page/N) does not exist", async ({ request }) => {
    expect((await request.get("/page/2", { maxRedirects: 0 })).status()).toBe(404);
    expect((await request.get("/page/../page/1", { maxRedirects: 0 })).status()).toBe(404);
  });

  test("a page past the end is shown but not kept", async ({ request }) => {
    await insertRows(process.env.E2E_DATABASE_URL!, 1, () => uniquePerson("past-the-end"));
    const response = await request.get("/?page=999999");
    expect(response.status()).toBe(200);
    expect((await response.text()).replaceAll("<!-- -->", "")).toContain("There is no page 999999");
    expect(response.headers()["x-cache"]).toBe("BYPASS");
  });
});

test.describe("what answered, and what shared caches are told", () => {
  // A database of its own: no other spec's registration changes the version between two requests.
  test.describe.configure({ mode: "serial" });
  const url = `file:${join(dir, "answers.db")}`;
  test.beforeAll(async () => {
    await migrateDatabase(url);
    await insertRows(url, 3, (i) => uniquePerson(`answers-${i}`));
  });
  const server = withOwnServer(() => url);

  test("the list is rendered once, then served from the cache until the data changes", async ({ request }) => {
    expect((await request.get(server.url("/"))).headers()["x-cache"]).toBe("MISS");
    expect((await request.get(server.url("/"))).headers()["x-cache"]).toBe("HIT");
    await insertRows(url, 1, () => uniquePerson("x-cache"));
    expect((await request.get(server.url("/"))).headers()["x-cache"]).toBe("MISS");
    expect((await request.get(server.url("/"))).headers()["x-cache"]).toBe("HIT");
  });

  test("a shared cache must revalidate every time; an unchanged list revalidates as a 304, a changed one does not", async ({ request }) => {
    await request.get(server.url("/"));
    const cached = await request.get(server.url("/"));
    const headers = cached.headers();
    expect(headers["cache-control"]).toBe("no-cache");
    expect(headers["cache-control"]).not.toMatch(/max-age|s-maxage|immutable/);
    expect(headers.vary).toMatch(/Accept-Encoding/i);
    expect(headers.etag).toMatch(/^W\/"[\w-]+"$/);

    expect(headers["x-cache"]).toBe("HIT");
    const unchanged = await request.get(server.url("/"), { headers: { "if-none-match": headers.etag } });
    expect(unchanged.status()).toBe(304);
    expect(await unchanged.body()).toHaveLength(0);

    const person = uniquePerson("revalidate");
    await insertRows(url, 1, () => person);
    const changed = await request.get(server.url("/"), { headers: { "if-none-match": headers.etag } });
    expect(changed.status()).toBe(200);
    expect(await changed.text()).toContain(person.email);
    expect(changed.headers().etag).not.toBe(headers.etag);
  });
});

test.describe("thousands of distinct list URLs against heavy rows", () => {
  test.describe.configure({ mode: "serial", timeout: 180_000 });
  const url = `file:${join(dir, "heavy.db")}`;
  // The heaviest a registrant may be: 255 UTF-16 units of 4-byte characters and a 255-character email.
  const heavyName = (i: number) => String(i).padStart(3, "0").slice(-3) + "😀".repeat(126);
  test.beforeAll(async () => {
    await migrateDatabase(url);
    await insertRows(url, 1_000, (i) => ({ name: heavyName(i), email: `${i}-${"e".repeat(230)}@example.com`.slice(-255) }));
  });
  const server = withOwnServer(() => url);

  test("keep the server under 300 MiB, caching each real page once and nothing else", async ({ request }) => {
    const targets: string[] = [];
    for (let page = 1; page <= 20; page++) targets.push(page === 1 ? "/" : `/?page=${page}`); // the real pages
    for (let i = 0; i < 400; i++) targets.push(`/?page=${21 + i * 97}`); // past the end
    for (let i = 0; i < 1_000; i++) targets.push(`/?page=${"0".repeat(1 + (i % 5))}${1 + (i % 20)}`, `/?page=${1 + (i % 20)}&v=${i}`);
    for (let i = 0; i < 600; i++) targets.push(`/page/${i}`, `/?p${i}=1`);
    const statuses = new Map<number, number>();
    for (let i = 0; i < targets.length; i += 16) {
      const answers = await Promise.all(targets.slice(i, i + 16).map((target) => request.get(server.url(target), { maxRedirects: 0 })));
      for (const answer of answers) statuses.set(answer.status(), (statuses.get(answer.status()) ?? 0) + 1);
    }
    expect(targets.length).toBeGreaterThan(3_000);
    expect([...statuses.keys()].sort()).toEqual([200, 308, 404]);

    const peakMiB = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid()}/status`, "utf8"))![1]) / 1024;
    console.log(`list-cache: peak RSS ${Math.round(peakMiB)} MiB after ${targets.length} distinct URLs`);
    expect(peakMiB).toBeLessThan(300);

    // Still serving, and page 1 is still a cache hit: the junk did not push the real pages out.
    await request.get(server.url("/"));
    const home = await request.get(server.url("/"));
    expect(home.status()).toBe(200);
    expect(home.headers()["x-cache"]).toBe("HIT");
  });
});

// DOCUMENT_CACHE_MAX_BYTES reaches the cache: a server started with it set to 0, or to a bound no
// page fits, never answers from memory; the same server with it unset does (misspelled or ignored,
// the first two would behave like the third).
for (const [setting, why] of [
  ["0", "0 turns the cache off"],
  ["4096", "no page fits an eighth of 4 KiB"],
  [undefined, "unset: the default 32 MiB"],
] as const) {
  test.describe(`DOCUMENT_CACHE_MAX_BYTES=${setting ?? "(unset)"}`, () => {
    const url = `file:${join(dir, `cache-bound-${setting ?? "default"}.db`)}`;
    test.beforeAll(async () => {
      await migrateDatabase(url);
      await insertRows(url, 60, (i) => ({ name: `Bound ${i}`, email: `bound-${setting ?? "default"}-${i}@example.com` }));
    });
    const server = withOwnServer(() => url, { env: { DOCUMENT_CACHE_MAX_BYTES: setting } });

    test(`a repeated list request is ${setting === undefined ? "answered from memory" : "rendered again"} (${why})`, async ({ request }) => {
      const answeredBy: string[] = [];
      for (const path of ["/", "/", "/?page=2", "/?page=2"]) {
        const response = await request.get(server.url(path));
        expect(response.status()).toBe(200);
        answeredBy.push(response.headers()["x-cache"] ?? "none");
      }
      if (setting === undefined) expect(answeredBy).toEqual(["MISS", "HIT", "MISS", "HIT"]);
      else expect(answeredBy).not.toContain("HIT");
    });
  });
}
