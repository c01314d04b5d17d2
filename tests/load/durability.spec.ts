// The load and durability scenarios at a CI-friendly size (200 registrations, 8 in flight); the
// same code runs at full size with `npm run loadtest -- --full` (2,000 at 32; see docs/performance.md "Load and durability").
import { expect, test } from "@playwright/test";
import { REMOTE_REQUEST_TIMEOUT_MS } from "../../db/connection/client";
import { HEALTH_TIMEOUT_MS } from "../../db/health";
import { databaseRestartScenario, instanceKillScenario } from "./remote-faults";
import { crashScenario, loadScenario, type Report } from "./scenarios";

const COUNT = Number(process.env.LOAD_COUNT ?? 200);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 8);

test.describe.configure({ mode: "serial", timeout: 240_000 });

function expectNothingLostOrDoubled(report: Report) {
  const fault = report.fault ? ` ${JSON.stringify(report.fault)}` : "";
  console.log(`${report.scenario}: ${report.count} registrations, ${report.concurrency} in flight, ${report.registrationsPerSecond}/s, p95 ${report.registrationMs.p95} ms${fault}`);
  expect(report.failures).toEqual([]);
  expect(report.outcomes["server-error"]).toBe(0);
  expect(report.audit).toMatchObject({ lost: [], duplicated: [], unacknowledgedStored: [], altered: [], integrity: "ok" });
}

test("every acknowledged registration is stored exactly once under concurrent load", async () => {
  const report = await loadScenario({ count: COUNT, concurrency: CONCURRENCY, servers: 1 });
  expectNothingLostOrDoubled(report);
  expect(report.outcomes.acknowledged).toBe(COUNT);
  expect(report.audit.stored).toBe(COUNT);
});

test("two server processes on one database file lose nothing and show no visitor a busy database", async () => {
  const report = await loadScenario({ count: COUNT, concurrency: CONCURRENCY, servers: 2 });
  expectNothingLostOrDoubled(report);
  expect(report.outcomes.acknowledged).toBe(COUNT);
  expect(report.databaseFailuresLogged).toBe(0);
});

test("after kill -9 mid-load and a restart, every registration acknowledged before the kill is there", async () => {
  const report = await crashScenario({ count: COUNT, concurrency: CONCURRENCY });
  expectNothingLostOrDoubled(report);
  expect(report.crash!.acknowledgedBeforeKill).toBeGreaterThanOrEqual(COUNT / 2);
  expect(report.crash!.integrityAfterKill).toBe("ok");
  expect(report.audit.stored - report.crash!.acknowledgedBeforeKill).toBeLessThanOrEqual(report.crash!.inFlightAtKill);
});

test.describe("on one sqld shared by several instances", () => {
  test("three instances lose, duplicate and 5xx nothing, and show no visitor a database failure", async () => {
    const report = await loadScenario({ count: COUNT, concurrency: CONCURRENCY, servers: 3, database: "sqld" });
    expectNothingLostOrDoubled(report);
    expect(report.outcomes.acknowledged).toBe(COUNT);
    expect(report.audit.stored).toBe(COUNT);
    expect(report.databaseFailuresLogged).toBe(0);
  });

  test("kill -9 of one instance mid-load loses no acknowledged registration; the others take its share", async () => {
    const report = await instanceKillScenario({ count: COUNT, concurrency: CONCURRENCY, servers: 3 });
    expectNothingLostOrDoubled(report);
    expect(report.fault!.acknowledged + report.fault!.inFlightAtKill!).toBe(COUNT);
    expect(report.audit.stored - report.fault!.acknowledged).toBeLessThanOrEqual(report.fault!.inFlightAtKill!);
  });

  test("sqld killed and restarted mid-load: 503 pages meanwhile, no hung request, every instance recovers by itself, nothing acknowledged is lost", async () => {
    const report = await databaseRestartScenario({ count: COUNT, concurrency: CONCURRENCY, servers: 3, outageMs: 2_000 });
    expectNothingLostOrDoubled(report);
    expect(report.fault!.pagesDuringOutage!["503"]).toBeGreaterThan(0);
    // The 503 comes from the health probe (HEALTH_TIMEOUT_MS at most), the rest of the request as long again on a busy machine.
    expect(report.fault!.longestListViewDuringOutageMs).toBeLessThan(2 * HEALTH_TIMEOUT_MS);
    expect(report.fault!.longestRegistrationDuringOutageMs).toBeLessThan(REMOTE_REQUEST_TIMEOUT_MS);
    expect(report.fault!.recoveryMs).toBeLessThan(10_000);
    expect(report.fault!.acknowledged).toBeGreaterThan(COUNT / 3);
  });
});
