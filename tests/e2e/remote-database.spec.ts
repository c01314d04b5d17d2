// The production launcher on a real sqld (tests/support/sqld.ts, JWT auth): three instances that
// share one sqld and one SESSION_SECRET (two over HTTP, one over WebSocket), started together with
// MIGRATE_ON_START=1 on a fresh database; and the start-up errors an operator gets for a bad DATABASE_AUTH_TOKEN or DATABASE_URL.
import { readdirSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { openClient } from "../../db/connection/client";
import { appliedMigrationCount, MIGRATIONS_FOLDER } from "../../db/operations/migrate";
import { startServer, type RunningServer } from "../support/server";
import { jsonLines } from "../support/processes";
import { startSqld, type RunningSqld } from "../support/sqld";
import { fillRegistration, uniquePerson } from "./helpers";
import { addTask, listInCookie, submitAndWait, taskItems } from "./task-cookies";

/** Every migration of this build, each applied exactly once. */
const MIGRATION_COUNT = readdirSync(MIGRATIONS_FOLDER).filter((name) => name.endsWith(".sql")).length;

// Three production servers starting at once can take more than a test's 30 s on a busy machine.
test.describe.configure({ mode: "serial", timeout: 120_000 });

const SHARED_SECRET = "three-instances-share-this-secret-0123456789ab";

test.describe("three instances on one sqld, started together with MIGRATE_ON_START=1", () => {
  let sqld: RunningSqld;
  let instances: RunningServer[] = [];

  test.beforeAll(async () => {
    sqld = await startSqld(); // fresh: no table yet, every instance wants to migrate it
    // Window 0: every instance reads the data version per request, so "the next request" is the promise
    // held here (the default 1 s window is held by remote-freshness.spec.ts).
    const env = { DATABASE_AUTH_TOKEN: sqld.authToken, SESSION_SECRET: SHARED_SECRET, MIGRATE_ON_START: "1", LIST_FRESHNESS_WINDOW_MS: "0" };
    // The last one over Hrana's WebSocket transport, the others over HTTP: both are DATABASE_URLs operators use.
    const urls = [sqld.httpUrl, sqld.httpUrl, sqld.wsUrl];
    instances = await Promise.all(urls.map((url) => startServer({ ...env, DATABASE_URL: url })));
  });
  test.afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await sqld?.remove();
  });

  test("all three start and the migrations are applied once", async () => {
    const outcomes = instances.map((instance) => jsonLines(instance.log()).find((line) => /^start\.(migrated|schema-current)$/.test(String(line.event)))?.event);
    expect(outcomes).not.toContain(undefined);
    expect(outcomes).toContain("start.migrated");
    test.info().annotations.push({ type: "start-up", description: outcomes.join(", ") });
    const client = openClient({ url: sqld.httpUrl, authToken: sqld.authToken });
    try {
      expect(await appliedMigrationCount(client)).toBe(MIGRATION_COUNT);
    } finally {
      client.close();
    }
  });

  for (const [through, label] of [[0, "HTTP"], [2, "WebSocket"]] as const) {
    test(`a registration through the instance on ${label} is listed by the other two on their next request`, async ({ page, request }) => {
      const person = uniquePerson(`remote-${label.toLowerCase()}`);
      await page.goto(`${instances[through].url}/register`);
      await fillRegistration(page, person);
      await page.getByRole("button", { name: "Register" }).click();
      await expect(page.getByText(person.email)).toBeVisible();
      for (const other of instances.filter((_, i) => i !== through)) {
        const list = await request.get(`${other.url}/`);
        expect(list.status()).toBe(200);
        expect(await list.text()).toContain(person.email);
      }
    });
  }

  test("the tasks cookie written by one instance is read and updated by the others", async ({ page, context }) => {
    const [a, b, c] = instances;
    await page.goto(`${a.url}/todos`);
    await addTask(page, "Added through instance A");
    await page.goto(`${b.url}/todos`);
    await expect(taskItems(page)).toHaveText([/Added through instance A/]);
    await submitAndWait(page, page.getByRole("button", { name: "Done: Added through instance A" }));
    await page.goto(`${c.url}/todos`);
    await expect(taskItems(page)).toHaveText([/Done: Added through instance A/]);
    await addTask(page, "Added through instance C");
    await page.goto(`${a.url}/todos`);
    await expect(taskItems(page)).toHaveText([/Done: Added through instance A/, /Added through instance C/]);
    expect((await listInCookie(context, [SHARED_SECRET])).tasks).toHaveLength(2);
  });
});

test.describe("the launcher refuses to start on a database it cannot use, naming the variable", () => {
  let sqld: RunningSqld;
  test.beforeAll(async () => {
    sqld = await startSqld();
  });
  test.afterAll(() => sqld?.remove());

  const cases: Array<[string, () => Record<string, string>, RegExp]> = [
    ["no DATABASE_AUTH_TOKEN", () => ({ DATABASE_URL: sqld.httpUrl, DATABASE_AUTH_TOKEN: "" }), /wants an auth token and DATABASE_AUTH_TOKEN is not set/],
    ["a token signed by another key", () => ({ DATABASE_URL: sqld.httpUrl, DATABASE_AUTH_TOKEN: sqld.foreignToken }), /refused DATABASE_AUTH_TOKEN/],
    ["a wrong token over WebSocket", () => ({ DATABASE_URL: sqld.wsUrl, DATABASE_AUTH_TOKEN: "wrong" }), /refused DATABASE_AUTH_TOKEN/],
    ["an unreachable DATABASE_URL", () => ({ DATABASE_URL: "http://127.0.0.1:9", DATABASE_AUTH_TOKEN: sqld.authToken }), /Could not reach the database server at DATABASE_URL=http:\/\/127\.0\.0\.1:9/],
  ];
  for (const [label, env, message] of cases) {
    test(`${label}: exit 1 before listening, one start.failed line, the token never logged`, async () => {
      const settings = env();
      const failure = await startServer(settings).then(
        async (server) => {
          await server.stop();
          return "it started";
        },
        (error: Error) => error.message,
      );
      expect(failure).toMatch(/^server exited with 1:/);
      const failed = jsonLines(failure.slice(failure.indexOf("\n") + 1)).filter((line) => line.event === "start.failed");
      expect(failed).toHaveLength(1);
      expect(JSON.stringify(failed[0])).toMatch(message);
      expect(failure).not.toMatch(/\n\s+at /); // a reason, not a stack trace
      for (const token of [sqld.authToken, sqld.foreignToken]) expect(failure).not.toContain(token);
    });
  }
});
