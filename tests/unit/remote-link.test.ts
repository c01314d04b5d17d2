// The remote link's breaker (db/connection/remote-link.ts) on its own, with a clock the test moves: once a
// call has failed on the network, calls fail at once; one probe at a time, at most one a second,
// decides when the link is back. The whole path, on a real frozen link to a real sqld, is
// tests/load/frozen-link.spec.ts.
import { expect, test } from "vitest";
import { DatabaseUnreachableError, isLinkFailure, isNeverSent, LINK_PROBE_EVERY_MS, RemoteLink, withDeadline } from "@/db/connection/remote-link";

function linkWith(probe: () => Promise<void>) {
  let now = 0;
  const link = new RemoteLink(probe, () => now);
  return { link, advance: (ms: number) => (now += ms) };
}

test("an answered call keeps the link up; a network failure takes it down; a statement's own error does not", () => {
  const { link } = linkWith(async () => {});
  link.report();
  expect(link.health()).toEqual({ state: "up" });
  link.report(Object.assign(new Error("SQLITE_CONSTRAINT: UNIQUE constraint failed"), { code: "SQLITE_CONSTRAINT" }));
  expect(link.isDown()).toBe(false);
  link.report(new Error("fetch failed", { cause: new Error("connect ECONNRESET 127.0.0.1:8080") }));
  expect(link.health()).toMatchObject({ state: "down", lastFailure: "fetch failed" });
});

test("an error of our own (a commit given up at its deadline) says nothing about the link: a down link stays down", async () => {
  const { CommitOutcomeUnknownError } = await import("@/db/writer/errors");
  const { link } = linkWith(async () => {});
  link.markDown(new Error("The database query got no answer within 4000 ms."));
  link.report(new CommitOutcomeUnknownError("The commit holding this change did not answer within 9000 ms of its queueing; its thread was replaced."));
  expect(link.isDown()).toBe(true);
  link.report(Object.assign(new Error("SQLITE_CONSTRAINT: UNIQUE constraint failed: registrants.email"), { code: "SQLITE_CONSTRAINT" }));
  expect(link.isDown()).toBe(false); // the server answered
});

test("a failure of a call sent before the link came back is old news: it does not take the link down again", () => {
  const { link, advance } = linkWith(async () => {});
  link.markDown(new Error("connect ECONNREFUSED"));
  const sentDuringOutage = link.now();
  advance(500);
  link.report(); // an answer: the link is back
  advance(10);
  link.report(new Error("read ECONNRESET"), sentDuringOutage); // that old call's reset arrives late
  expect(link.isDown()).toBe(false);
  link.report(new Error("read ECONNRESET"), link.now()); // a call sent now that fails: down again
  expect(link.isDown()).toBe(true);
});

test("while down, a call fails at once unless a second has passed since the last probe; then it probes and goes out if the probe answers", async () => {
  let answers = false;
  let probes = 0;
  const { link, advance } = linkWith(async () => {
    probes += 1;
    if (!answers) throw new Error("connect ECONNREFUSED");
  });
  link.markDown(new Error("The database query got no answer within 4000 ms."));
  await expect(link.admit()).rejects.toBeInstanceOf(DatabaseUnreachableError); // probes once: fails
  expect(probes).toBe(1);
  await expect(link.admit()).rejects.toThrow(/unreachable/); // within the second: no probe
  expect(probes).toBe(1);
  advance(LINK_PROBE_EVERY_MS);
  answers = true;
  await expect(link.admit()).resolves.toBeUndefined();
  expect(probes).toBe(2);
  expect(link.isDown()).toBe(false);
});

test("a commit waits for a probe instead (the running one, or one at once): the database may just have come back", async () => {
  let probes = 0;
  const { link } = linkWith(async () => {
    probes += 1;
  });
  link.markDown(new Error("connect ECONNREFUSED"));
  await expect(link.admit()).resolves.toBeUndefined(); // a read probes (none ran yet) and goes out
  link.markDown(new Error("connect ECONNREFUSED"));
  await expect(link.admit()).rejects.toBeInstanceOf(DatabaseUnreachableError); // a read within the second: at once
  await expect(link.admitWaiting()).resolves.toBeUndefined(); // a commit probes anyway
  expect(probes).toBe(2);
});

test("callers that arrive while a probe is running do not wait for it", async () => {
  let finishProbe!: () => void;
  const { link } = linkWith(() => new Promise<void>((resolve) => (finishProbe = resolve)));
  link.markDown("frozen");
  const prober = link.admit();
  const started = performance.now();
  await expect(link.admit()).rejects.toBeInstanceOf(DatabaseUnreachableError);
  expect(performance.now() - started).toBeLessThan(50);
  finishProbe();
  await prober;
  expect(link.isDown()).toBe(false);
});

test("withDeadline answers by its deadline, whatever the work does", async () => {
  const started = performance.now();
  await expect(withDeadline(new Promise(() => {}), 100, "test query")).rejects.toThrow(/test query got no answer within 100 ms/);
  expect(performance.now() - started).toBeLessThan(1_000);
});

test("a refused connection proves nothing was sent; a reset or a deadline does not", () => {
  expect(isNeverSent(new Error("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }))).toBe(true);
  expect(isNeverSent(new TypeError("fetch failed", { cause: new Error("bad port") }))).toBe(true); // fetch's own refusal of a blocked port
  expect(isNeverSent(new Error("read ECONNRESET"))).toBe(false);
  expect(isNeverSent(new DatabaseUnreachableError("The database query got no answer within 4000 ms."))).toBe(false);
  expect(isLinkFailure(new Error("WebSocket was closed with code 1006"))).toBe(true);
  expect(isLinkFailure(new Error("SQLITE_BUSY: database is locked"))).toBe(false);
});

test("a guarded client is still the client: its private state, close() and `closed` work through the guard", async () => {
  const { createClient } = await import("@libsql/client");
  const { guardClient } = await import("@/db/connection/remote-link");
  const { link } = linkWith(async () => {});
  const guarded = guardClient(createClient({ url: "file::memory:" }), link, 1_000, () => {});
  expect((await guarded.execute("SELECT 1 AS one")).rows[0].one).toBe(1);
  expect(guarded.closed).toBe(false);
  guarded.close();
  expect(guarded.closed).toBe(true);
});

test("a refused connection two causes deep still proves nothing was sent after it crosses from the commit thread", async () => {
  const { deserializeError, serializeError } = await import("@/db/writer/commit-protocol");
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
  const driverError = Object.assign(new Error("Server returned an error: fetch failed", { cause: new TypeError("fetch failed", { cause: refused }) }), { code: "SERVER_ERROR" });
  const crossed = deserializeError(serializeError(driverError));
  expect(isNeverSent(crossed)).toBe(true);
  expect(isLinkFailure(crossed)).toBe(true);
});
