// The per-client limits (server/rate-limits.ts) on the real server, with the production defaults
// unless a test says otherwise, from real source addresses on loopback (127.0.0.x).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { openClient } from "../../db/connection";
import { fetchRegisterForm, type Person } from "../load/register-form";
import { agentFrom, postForm, withPerson } from "../support/posting-client";
import { healthAsOperator, migrateDatabase, RATE_LIMITS_OFF } from "../support/server";
import { fillRegistration, JS_MODES, uniquePerson } from "./helpers";
import { withOwnServer } from "./own-server";

// Made by the first server's start, not when the file loads: Playwright loads it in processes that run no test.
let root: string | undefined;
test.afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Blank is unset: the production defaults apply. */
const PRODUCTION_LIMITS = Object.fromEntries(Object.keys(RATE_LIMITS_OFF).map((name) => [name, ""]));

function limitedServer(name: string, env: Record<string, string> = {}) {
  let databaseUrl = "";
  test.beforeAll(() => {
    root ??= mkdtempSync(join(tmpdir(), "registrants-e2e-limits-"));
    databaseUrl = `file:${join(root, `${name}.db`)}`;
    return migrateDatabase(databaseUrl);
  });
  const server = withOwnServer(() => databaseUrl, { env: { ...PRODUCTION_LIMITS, ...env } });
  return {
    ...server,
    async stored(people: Person[]): Promise<number> {
      const client = openClient({ url: databaseUrl });
      try {
        const { rows } = await client.execute({ sql: `SELECT count(*) AS n FROM registrants WHERE email IN (${people.map(() => "?").join(",")})`, args: people.map((p) => p.email) });
        return Number(rows[0].n);
      } finally {
        client.close();
      }
    },
  };
}

test.describe("one address flooding registrations", () => {
  const server = limitedServer("flood");

  test("is refused within its first second, long before it fills a page, while another address registers normally", async () => {
    const fields = await fetchRegisterForm(server.url(""));
    const flooder = agentFrom("127.0.0.1", 8);
    const flood = Array.from({ length: 120 }, (_, i) => uniquePerson(`flood-${i}`));
    const started = Date.now();
    const outcomes = await Promise.all(flood.map((person) => postForm(server.url("/register"), withPerson(fields, person), { agent: flooder })));
    const seconds = (Date.now() - started) / 1_000;
    const accepted = outcomes.filter((o) => o.status === 303).length;
    const refused = outcomes.filter((o) => o.status === 429);
    expect(accepted + refused.length).toBe(flood.length);
    // The burst of 30, plus two a second while the flood lasts.
    expect(accepted).toBeLessThanOrEqual(30 + Math.ceil(seconds * 2) + 1);
    expect(accepted).toBeLessThan(50);
    expect(await server.stored(flood)).toBe(accepted);
    for (const answer of refused) expect(Number(answer.headers["retry-after"])).toBeGreaterThan(0);
    // The first refusals are the form again, with the values and the message; the rest the door's page.
    expect(refused.some((o) => o.body.includes("Please try again in") && o.body.includes('name="email"'))).toBe(true);
    expect(refused.some((o) => o.body.includes("Please wait a moment"))).toBe(true);

    const neighbour = uniquePerson("neighbour");
    const other = await postForm(server.url("/register"), withPerson(fields, neighbour), { agent: agentFrom("127.0.0.2", 1) });
    expect(other.status).toBe(303);
    expect(await server.stored([neighbour])).toBe(1);

    const health = (await (await healthAsOperator(server.url(""))).json()) as { rateLimits: { clients: number; refused: { register: number } } };
    expect(health.rateLimits.refused.register).toBe(refused.length);
    expect(health.rateLimits.clients).toBe(2);
    // One log line for the flooder's first refusal, not one per refusal.
    expect(server.log().split("\n").filter((line) => line.includes('"event":"rate-limit.refused"')).length).toBe(1);
  });
});

test.describe("a lecture hall behind one address", () => {
  const server = limitedServer("classroom");

  test("a hundred registrations within a minute all go through", async () => {
    test.setTimeout(120_000);
    const fields = await fetchRegisterForm(server.url(""));
    const hall = agentFrom("127.0.0.3", 6);
    const students = Array.from({ length: 100 }, (_, i) => uniquePerson(`student-${i}`));
    const outcomes: number[] = [];
    const started = Date.now();
    // Five at a time, every 2.5 s: the whole hall within 50 s.
    for (let group = 0; group < 20; group++) {
      const answers = await Promise.all(students.slice(group * 5, group * 5 + 5).map((p) => postForm(server.url("/register"), withPerson(fields, p), { agent: hall })));
      outcomes.push(...answers.map((a) => a.status));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (group + 1) * 2_500 - Date.now())));
    }
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(outcomes.filter((status) => status === 303)).toHaveLength(100);
    expect(await server.stored(students)).toBe(100);
  });
});

test.describe("who the client is", () => {
  const untrusted = limitedServer("untrusted", { RATE_LIMIT_REGISTER_BURST: "2", RATE_LIMIT_REGISTER_PER_MINUTE: "1" });
  const trusted = limitedServer("trusted", { RATE_LIMIT_REGISTER_BURST: "2", RATE_LIMIT_REGISTER_PER_MINUTE: "1", TRUSTED_PROXIES: "127.0.0.4" });

  test("forwarding headers from an untrusted peer lift nothing", async () => {
    const fields = await fetchRegisterForm(untrusted.url(""));
    const agent = agentFrom("127.0.0.5", 1);
    const post = (i: number, headers: Record<string, string> = {}) => postForm(untrusted.url("/register"), withPerson(fields, uniquePerson(`spoof-${i}`)), { agent, headers });
    expect((await post(0)).status).toBe(303);
    expect((await post(1)).status).toBe(303);
    const spoofs: Record<string, string>[] = [
      { "x-forwarded-for": "203.0.113.9" },
      { "x-real-ip": "203.0.113.10" },
      { forwarded: "for=203.0.113.11" },
      { "x-forwarded-for": "203.0.113.12, 198.51.100.1" },
    ];
    for (const [i, headers] of spoofs.entries()) {
      expect((await post(2 + i, headers)).status).toBe(429);
    }
  });

  test("from a trusted proxy, the right-most untrusted X-Forwarded-For entry is the client", async () => {
    const fields = await fetchRegisterForm(trusted.url(""));
    const proxy = agentFrom("127.0.0.4", 1);
    const post = (tag: string, forwardedFor: string) =>
      postForm(trusted.url("/register"), withPerson(fields, uniquePerson(tag)), { agent: proxy, headers: { "x-forwarded-for": forwardedFor } });
    expect((await post("a1", "203.0.113.1")).status).toBe(303);
    expect((await post("a2", "203.0.113.1")).status).toBe(303);
    expect((await post("a3", "203.0.113.1")).status).toBe(429);
    // What the client wrote itself sits to the left of what the proxy appended: it changes nothing.
    expect((await post("a4", "192.0.2.77, 203.0.113.1")).status).toBe(429);
    expect((await post("b1", "203.0.113.2")).status).toBe(303);
    // The same header from an untrusted peer on the same server: that peer is the client.
    const direct = agentFrom("127.0.0.6", 1);
    const fromDirect = (tag: string) => postForm(trusted.url("/register"), withPerson(fields, uniquePerson(tag)), { agent: direct, headers: { "x-forwarded-for": "203.0.113.3" } });
    expect((await fromDirect("c1")).status).toBe(303);
    expect((await fromDirect("c2")).status).toBe(303);
    expect((await fromDirect("c3")).status).toBe(429);
  });
});

test.describe("a spray of distinct addresses through a trusted proxy", () => {
  // Everyone's ceiling at 1 a minute, so all but the first post are refused cheaply at the door,
  // after each new address has taken its place in the limiter.
  const server = limitedServer("spray", { TRUSTED_PROXIES: "127.0.0.7", RATE_LIMIT_REGISTER_GLOBAL_PER_MINUTE: "1", RATE_LIMIT_CLIENTS: "50000" });

  test("100,000 addresses keep the limiter at its bound and the server under 300 MiB", async () => {
    test.setTimeout(240_000);
    const fields = await fetchRegisterForm(server.url(""));
    const proxy = agentFrom("127.0.0.7", 32);
    const form = withPerson(fields, uniquePerson("spray"));
    let next = 0;
    const statuses = new Map<number, number>();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < 100_000) {
          const i = next++;
          const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
          const { status } = await postForm(server.url("/register"), form, { agent: proxy, headers: { "x-forwarded-for": address } });
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    expect(statuses.get(429)).toBeGreaterThanOrEqual(99_999);
    const health = (await (await healthAsOperator(server.url(""))).json()) as { rateLimits: { clients: number } };
    expect(health.rateLimits.clients).toBe(50_000);
    const peak = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid()}/status`, "utf8"))![1]) / 1024;
    console.log(`rate-limits spray: peak RSS ${peak.toFixed(0)} MiB after 100,000 addresses`);
    expect(peak).toBeLessThan(300);
  });
});

for (const mode of JS_MODES) {
  test.describe(`a person over the limit, ${mode.label}`, () => {
    test.use({ javaScriptEnabled: mode.javaScriptEnabled });
    const server = limitedServer(`person-${mode.javaScriptEnabled ? "js" : "nojs"}`, {
      RATE_LIMIT_REGISTER_BURST: "1",
      RATE_LIMIT_REGISTER_PER_MINUTE: "1",
      RATE_LIMIT_TASKS_BURST: "1",
      RATE_LIMIT_TASKS_PER_MINUTE: "1",
    });

    test("is told when to try again, keeps what they typed, and nothing is stored", async ({ page }) => {
      const first = uniquePerson("first");
      await page.goto(server.url("/register"));
      await fillRegistration(page, first);
      await page.getByRole("button", { name: "Register" }).click();
      await expect(page).toHaveURL(/\/$/);

      const second = uniquePerson("second");
      await page.goto(server.url("/register"));
      await fillRegistration(page, second);
      const answer = page.waitForResponse((response) => response.request().method() === "POST");
      await page.getByRole("button", { name: "Register" }).click();
      expect((await answer).status()).toBe(429);
      expect(Number((await answer).headers()["retry-after"])).toBeGreaterThan(0);
      await expect(page.getByRole("alert").filter({ hasText: "Too many registrations" })).toContainText(/nothing was changed\. Please try again in (\d+ seconds|\d+ minutes|a second)\./);
      await expect(page.getByLabel("Name")).toHaveValue(second.name);
      await expect(page.getByLabel("Email")).toHaveValue(second.email);
      expect(await server.stored([second])).toBe(0);
      expect(await server.stored([first])).toBe(1);
    });

    test("a task change over the limit changes nothing and says so", async ({ page }) => {
      const tasks = page.getByRole("list", { name: "Your list" }).getByRole("listitem");
      await page.goto(server.url("/todos"));
      await page.getByLabel("Task", { exact: true }).fill("first task");
      await page.getByRole("button", { name: "Add", exact: true }).click();
      await expect(tasks.filter({ hasText: "first task" })).toBeVisible();
      await page.getByLabel("Task", { exact: true }).fill("second task");
      const answer = page.waitForResponse((response) => response.request().method() === "POST");
      await page.getByRole("button", { name: "Add", exact: true }).click();
      expect((await answer).status()).toBe(429);
      await expect(page.getByText(/Too many task changes .* Please try again in/).first()).toBeVisible();
      await expect(page.getByLabel("Task", { exact: true })).toHaveValue("second task");
      await page.goto(server.url("/todos"));
      await expect(tasks.filter({ hasText: "second task" })).toHaveCount(0);
      await expect(tasks.filter({ hasText: "first task" })).toBeVisible();
    });
  });
}

test.describe("open connections per client", () => {
  const server = limitedServer("connections", { RATE_LIMIT_CONNECTIONS_PER_CLIENT: "4" });

  /** A connection from `localAddress`; resolves once the server either keeps it (answers a request) or closes it. */
  function open(localAddress: string): Promise<{ socket: Socket; kept: boolean }> {
    const { port } = new URL(server.url(""));
    return new Promise((resolve) => {
      const socket = connect({ host: "127.0.0.1", port: Number(port), localAddress }, () => socket.write("GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n"));
      socket.once("data", () => resolve({ socket, kept: true }));
      socket.once("close", () => resolve({ socket, kept: false }));
      socket.once("error", () => {});
    });
  }

  test("past the cap one client's next connection is closed, another client's is served", async () => {
    const first = await Promise.all(Array.from({ length: 4 }, () => open("127.0.0.8")));
    expect(first.map((c) => c.kept)).toEqual([true, true, true, true]);
    const fifth = await open("127.0.0.8");
    expect(fifth.kept).toBe(false);
    const other = await open("127.0.0.9");
    expect(other.kept).toBe(true);
    for (const { socket } of [...first, other]) socket.destroy();
    // Closed connections free their places.
    await expect.poll(async () => (await open("127.0.0.8")).kept, { timeout: 5_000 }).toBe(true);
  });
});
