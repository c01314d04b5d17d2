// How fresh the registrants list is when several instances share a real libSQL server (sqld, JWT
// auth on), measured: every instance is watched with back-to-back requests around each commit,
// and each answer is judged by when it was sent.
// - The instance that took the registration lists it on its very next request, to anyone.
// - Another instance lists a row committed elsewhere within LIST_FRESHNESS_WINDOW_MS, never later,
//   and within the window it really does answer from its shared version read (no round trip per hit).
// - LIST_FRESHNESS_WINDOW_MS=0 keeps the exact "next request" promise on a remote database.
// - Embedded replicas (DATABASE_SYNC_URL): the registrant's instance at once, the others within
//   DATABASE_SYNC_INTERVAL_MS plus one pull; a failing pull is reported by /api/health, retried,
//   and recovers by itself.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { expect, test } from "@playwright/test";
import { openClient } from "../../db/connection/client";
import { applyMigrations } from "../../db/operations/migrate";
import { register } from "../load/register-form";
import { healthAsOperator, startServer, type RunningServer } from "../support/server";
import { startSqld, type RunningSqld } from "../support/sqld";
import { uniquePerson } from "./helpers";

test.describe.configure({ mode: "serial" });

const WINDOW_MS = 1_000;
const SYNC_INTERVAL_MS = 500;
/** What a pull from the primary may add to the sync interval on this busy 2-core machine (pulls take a few ms). */
const PULL_SLACK_MS = 500;

type Sample = { sentAt: number; shows: boolean };

async function lists(url: string, email: string): Promise<boolean> {
  const response = await fetch(`${url}/`);
  expect(response.status).toBe(200);
  return (await response.text()).includes(email);
}

/** Back-to-back GET / on `url` until `untilMs` (performance.now()), each answer with the time it was sent. */
async function watch(url: string, email: string, untilMs: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  while (performance.now() < untilMs) {
    const sentAt = performance.now();
    samples.push({ sentAt, shows: await lists(url, email) });
  }
  return samples;
}

/** Commits one row through `commit` while `watched` instances are polled; returns when each listed it, relative to the commit's acknowledgement. */
async function measure(watched: Record<string, string>, email: string, commit: () => Promise<void>, boundMs: number) {
  const committed = { at: Infinity };
  const stopAt = { at: Infinity };
  const watchers = Object.entries(watched).map(async ([name, url]) => {
    const samples: Sample[] = [];
    // Warm: a version read is in the window when the row is committed.
    while (!Number.isFinite(stopAt.at)) samples.push(...(await watch(url, email, performance.now() + 50)));
    samples.push(...(await watch(url, email, stopAt.at)));
    return { name, samples };
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await commit();
  committed.at = performance.now(); // the commit's acknowledgement (a 303, or the driver's answer): the row is stored before this
  stopAt.at = committed.at + boundMs + 500;
  const results = await Promise.all(watchers);
  return results.map(({ name, samples }) => {
    const after = samples.filter((sample) => sample.sentAt > committed.at);
    const firstShown = after.find((sample) => sample.shows);
    return {
      name,
      /** Requests sent after the bound had passed that still did not list the row: must be none. */
      staleBeyondBound: after.filter((sample) => sample.sentAt > committed.at + boundMs && !sample.shows).length,
      /** Requests sent after the acknowledgement that did not list it yet (allowed within the bound). */
      staleWithinBound: after.filter((sample) => sample.sentAt <= committed.at + boundMs && !sample.shows).length,
      listedAfterMs: firstShown ? Math.round(firstShown.sentAt - committed.at) : null,
      requests: after.length,
    };
  });
}

async function migrated(sqld: RunningSqld): Promise<void> {
  const client = openClient({ url: sqld.httpUrl, authToken: sqld.authToken });
  try {
    await applyMigrations(client);
  } finally {
    client.close();
  }
}

/** Writes a row the way a script or another service would: its own connection to sqld. */
async function insertDirectly(sqld: RunningSqld, person: { name: string; email: string }): Promise<void> {
  const client = createClient({ url: sqld.httpUrl, authToken: sqld.authToken });
  try {
    await client.execute({ sql: "INSERT INTO registrants (name, email) VALUES (?, ?)", args: [person.name, person.email] });
  } finally {
    client.close();
  }
}

async function registered(url: string, person: { name: string; email: string }): Promise<void> {
  const outcome = await register(url, person);
  expect(outcome.status).toBe(303);
}

test.describe("three instances on one sqld (remote reads)", () => {
  let sqld: RunningSqld;
  const servers: Record<"a" | "b" | "strict", RunningServer | undefined> = { a: undefined, b: undefined, strict: undefined };
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    sqld = await startSqld();
    await migrated(sqld);
    const env = { DATABASE_URL: sqld.httpUrl, DATABASE_AUTH_TOKEN: sqld.authToken, LIST_FRESHNESS_WINDOW_MS: String(WINDOW_MS) };
    [servers.a, servers.b, servers.strict] = await Promise.all([startServer(env), startServer(env), startServer({ ...env, LIST_FRESHNESS_WINDOW_MS: "0" })]);
  });
  test.afterAll(async () => {
    await Promise.all(Object.values(servers).map((server) => server?.stop()));
    await sqld?.remove();
  });

  test("the instance that took a registration lists it on its next request, within its window", async () => {
    const a = servers.a!.url;
    for (let i = 0; i < 5; i++) {
      const person = uniquePerson("own-instance");
      expect(await lists(a, person.email)).toBe(false); // a version read is now in A's window
      await registered(a, person);
      expect(await lists(a, person.email)).toBe(true); // the very next request, any visitor
    }
  });

  test(`another instance lists a row within ${WINDOW_MS} ms and never serves it stale past that; with the window 0, on the next request`, async () => {
    test.setTimeout(60_000);
    const watched = { b: servers.b!.url, strict: servers.strict!.url };
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const person = uniquePerson("other-instance");
      runs.push(...(await measure(watched, person.email, () => registered(servers.a!.url, person), WINDOW_MS)));
      const byScript = uniquePerson("script");
      runs.push(...(await measure(watched, byScript.email, () => insertDirectly(sqld, byScript), WINDOW_MS)));
    }
    test.info().annotations.push({ type: "freshness", description: JSON.stringify(runs) });
    for (const run of runs) {
      expect(run.requests, `${run.name} was watched`).toBeGreaterThan(5);
      expect(run.staleBeyondBound, `${run.name}: stale answers sent more than ${WINDOW_MS} ms after the commit`).toBe(0);
      expect(run.listedAfterMs, `${run.name} listed the row`).not.toBeNull();
    }
    // The strict instance reads the version for every request: nothing sent after the commit is stale.
    for (const run of runs.filter(({ name }) => name === "strict")) expect(run.staleWithinBound).toBe(0);
    // B shares one version read per window: right after a commit elsewhere it still answers from it
    // (a read per request would never be stale). Six commits, each at a random point of B's window.
    expect(runs.filter(({ name }) => name === "b").reduce((sum, run) => sum + run.staleWithinBound, 0)).toBeGreaterThan(0);
  });
});

test.describe("two embedded replicas of one sqld", () => {
  let sqld: RunningSqld;
  const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-replicas-"));
  const replicas: { one?: RunningServer; two?: RunningServer } = {};
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    sqld = await startSqld();
    await migrated(sqld);
    const env = (file: string, intervalMs: number) => ({
      DATABASE_URL: `file:${join(dir, file)}`,
      DATABASE_SYNC_URL: sqld.httpUrl,
      DATABASE_AUTH_TOKEN: sqld.authToken,
      DATABASE_SYNC_INTERVAL_MS: String(intervalMs),
    });
    // One pulls rarely, so only the pull that follows its own commit can bring a registrant's row
    // back in time; two is the other instance, watched against its interval.
    [replicas.one, replicas.two] = await Promise.all([startServer(env("one.db", 60_000)), startServer(env("two.db", SYNC_INTERVAL_MS))]);
  });
  test.afterAll(async () => {
    await Promise.all([replicas.one?.stop(), replicas.two?.stop()]);
    await sqld?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the registrant's replica lists them on the next request; the other within the sync interval plus a pull", async () => {
    test.setTimeout(60_000);
    const one = replicas.one!.url;
    for (let i = 0; i < 3; i++) {
      const person = uniquePerson("replica-own");
      expect(await lists(one, person.email)).toBe(false);
      await registered(one, person);
      expect(await lists(one, person.email)).toBe(true);
    }
    const bound = SYNC_INTERVAL_MS + PULL_SLACK_MS;
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const person = uniquePerson("replica-other");
      runs.push(...(await measure({ two: replicas.two!.url }, person.email, () => registered(one, person), bound)));
    }
    test.info().annotations.push({ type: "freshness", description: JSON.stringify(runs) });
    for (const run of runs) {
      expect(run.staleBeyondBound, `stale answers sent more than ${bound} ms after the commit`).toBe(0);
      expect(run.listedAfterMs).not.toBeNull();
    }
    // The row is on the primary too: the replica wrote it there, not only into its own file.
    const client = createClient({ url: sqld.httpUrl, authToken: sqld.authToken });
    const { rows } = await client.execute("SELECT COUNT(*) AS n FROM registrants WHERE email LIKE 'replica-%'");
    client.close();
    expect(Number(rows[0].n)).toBe(6);
  });

  test("while the primary is down /api/health reports the failing sync (503) and keeps retrying; afterwards it recovers by itself", async () => {
    test.setTimeout(90_000);
    const health = async () => {
      const response = await healthAsOperator(replicas.two!.url);
      return { status: response.status, body: (await response.json()) as { replica?: string; replicaFailures?: number } };
    };
    expect(await health()).toMatchObject({ status: 200, body: { replica: "ok" } });
    await sqld.stop();
    try {
      await expect.poll(health, { timeout: 20_000, intervals: [200] }).toMatchObject({ status: 503, body: { replica: "failing" } });
      // Retried, not given up on: the count of failed pulls keeps growing.
      const failures = (await health()).body.replicaFailures!;
      await expect.poll(async () => (await health()).body.replicaFailures!, { timeout: 20_000, intervals: [200] }).toBeGreaterThan(failures);
      expect(await lists(replicas.two!.url, "nobody@example.com")).toBe(false); // reads still served from the local file
    } finally {
      await sqld.restart();
    }
    await expect.poll(health, { timeout: 20_000, intervals: [200] }).toMatchObject({ status: 200, body: { replica: "ok" } });
    const person = uniquePerson("after-outage");
    await registered(replicas.one!.url, person);
    await expect.poll(() => lists(replicas.two!.url, person.email), { timeout: SYNC_INTERVAL_MS + PULL_SLACK_MS, intervals: [50] }).toBe(true);
  });
});
