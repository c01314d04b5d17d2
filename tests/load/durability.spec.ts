// The load and durability scenarios at a CI-friendly size (200 registrations, 8 in flight); the
// same code runs at full size with `npm run loadtest -- --full` (2,000 at 32; see README).
import { expect, test } from "@playwright/test";
import { crashScenario, loadScenario, type Report } from "./scenarios";

const COUNT = Number(process.env.LOAD_COUNT ?? 200);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 8);

test.describe.configure({ mode: "serial", timeout: 240_000 });

function expectNothingLostOrDoubled(report: Report) {
  console.log(`${report.scenario}: ${report.count} registrations, ${report.concurrency} in flight, ${report.registrationsPerSecond}/s, p95 ${report.registrationMs.p95} ms`);
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
