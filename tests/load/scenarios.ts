// The load and durability scenarios, each against real production servers on a fresh database
// (the app must be built): a SQLite file, or a real sqld (`database: "sqld"`, JWT auth) that every
// instance shares. `load`: N registrations over one or more server processes sharing the database.
// `crash`: kill -9 the server mid-load, restart it on the same file, check what survived. The
// remote-only faults (one of several instances killed, sqld itself killed and restarted) are in
// tests/load/remote-faults.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseConfig } from "../../lib/config";
import { migrateDatabase, RATE_LIMITS_OFF, startServer, type RunningServer } from "../support/server";
import { startSqld, type RunningSqld } from "../support/sqld";
import { auditDatabase, type Audit } from "./audit";
import { runRegistrations, type Attempt, type Outcome } from "./driver";

export type DatabaseKind = "file" | "sqld";

export type ScenarioOptions = { count: number; concurrency: number; servers: number; database?: DatabaseKind };

/** The database a scenario's servers share: its settings, the environment a server gets for it, and the sqld behind it if any. */
export type Target = { config: DatabaseConfig; env: Record<string, string>; sqld?: RunningSqld };

export type Report = {
  scenario: string;
  count: number;
  concurrency: number;
  servers: number;
  database?: DatabaseKind;
  seconds: number;
  registrationsPerSecond: number;
  /** Each registration is two requests: GET the form, POST it. */
  requestsPerSecond: number;
  registrationMs: { p50: number; p95: number; max: number };
  outcomes: Record<Outcome, number>;
  /** Database failures the servers logged (e.g. SQLITE_BUSY past the busy timeout). */
  databaseFailuresLogged: number;
  audit: Audit;
  /** The remote faults (tests/load/remote-faults.ts): an instance or sqld killed mid-load. */
  fault?: {
    acknowledged: number;
    stored: number;
    lost: number;
    /** Registrations sent to the killed instance and never answered. */
    inFlightAtKill?: number;
    /** How long sqld was down. */
    outageMs?: number;
    /** GET / answers seen on the instances while sqld was down, by status (0: no answer). */
    pagesDuringOutage?: Record<string, number>;
    /** The slowest `GET /` that overlapped the outage. */
    longestListViewDuringOutageMs?: number;
    /** The slowest registration (GET the form, then post it) that overlapped the outage. */
    longestRegistrationDuringOutageMs?: number;
    /** From sqld's restart until every instance served `/` with 200 again, by itself. */
    recoveryMs?: number;
  };
  crash?: {
    acknowledgedBeforeKill: number;
    inFlightAtKill: number;
    inFlightStored: number;
    /** PRAGMA integrity_check on the file as the killed server left it, before the restart. */
    integrityAfterKill: string;
    acknowledgedAfterRestart: number;
  };
  failures: string[];
};

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}

function countOutcomes(attempts: Attempt[]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { acknowledged: 0, refused: 0, "server-error": 0, "no-answer": 0 };
  for (const a of attempts) counts[a.outcome] += 1;
  return counts;
}

const databaseFailures = (servers: RunningServer[]) =>
  servers.reduce((sum, server) => sum + (server.log().match(/"event":"register\.failed"/g)?.length ?? 0), 0);

export function summarise(scenario: string, options: ScenarioOptions, attempts: Attempt[], seconds: number, audit: Audit, servers: RunningServer[]): Report {
  const latencies = attempts.filter((a) => a.outcome !== "no-answer").map((a) => a.ms).sort((a, b) => a - b);
  return {
    scenario,
    ...options,
    seconds: Math.round(seconds * 10) / 10,
    registrationsPerSecond: Math.round(attempts.length / seconds),
    requestsPerSecond: Math.round((2 * attempts.length) / seconds),
    registrationMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: percentile(latencies, 100) },
    outcomes: countOutcomes(attempts),
    databaseFailuresLogged: databaseFailures(servers),
    audit,
    failures: [],
  };
}

export function auditFailures(audit: Audit): string[] {
  const failures: string[] = [];
  if (audit.lost.length) failures.push(`${audit.lost.length} acknowledged registrations lost (${audit.lost.slice(0, 3).join(", ")})`);
  if (audit.duplicated.length) failures.push(`${audit.duplicated.length} registrations stored twice`);
  if (audit.unacknowledgedStored.length) failures.push(`${audit.unacknowledgedStored.length} stored without acknowledgement`);
  if (audit.altered.length) failures.push(`${audit.altered.length} stored with another name than was sent`);
  if (audit.integrity !== "ok") failures.push(`integrity_check: ${audit.integrity}`);
  return failures;
}

/** A fresh, migrated database of that kind for one scenario, removed afterwards. */
export async function withDatabase<T>(kind: DatabaseKind, work: (target: Target) => Promise<T>): Promise<T> {
  if (kind === "sqld") {
    const sqld = await startSqld();
    try {
      await migrateDatabase(sqld.httpUrl, sqld.authToken);
      const config = { url: sqld.httpUrl, authToken: sqld.authToken };
      return await work({ config, env: { DATABASE_URL: config.url, DATABASE_AUTH_TOKEN: config.authToken }, sqld });
    } finally {
      await sqld.remove();
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "registrants-load-"));
  try {
    const url = `file:${join(dir, "load.db")}`;
    await migrateDatabase(url);
    return await work({ config: { url }, env: { DATABASE_URL: url } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The audits post from one address as fast as the servers take it: limits off, said here rather than left to the default.
export const startAll = (target: Target, n: number) => Promise.all(Array.from({ length: n }, () => startServer({ ...RATE_LIMITS_OFF, ...target.env })));

/** N registrations spread over `servers` processes sharing one database (a SQLite file, or one sqld). */
export function loadScenario(options: ScenarioOptions): Promise<Report> {
  const database = options.database ?? "file";
  return withDatabase(database, async (target) => {
    const servers = await startAll(target, options.servers);
    try {
      const tag = `run${Date.now().toString(36)}`;
      const started = performance.now();
      const attempts = await runRegistrations({ ...options, servers: servers.map((s) => s.url), tag });
      const seconds = (performance.now() - started) / 1000;
      const name = database === "sqld" ? `load, ${options.servers} instance(s) on one sqld` : options.servers > 1 ? "load, shared file" : "load";
      const report = summarise(name, { ...options, database }, attempts, seconds, await auditDatabase(target.config, tag, attempts), servers);
      const { acknowledged, ...others } = report.outcomes;
      if (acknowledged !== options.count) report.failures.push(`${options.count - acknowledged} not acknowledged: ${JSON.stringify(others)}`);
      if (report.databaseFailuresLogged) report.failures.push(`${report.databaseFailuresLogged} database failures reached visitors`);
      report.failures.push(...auditFailures(report.audit));
      return report;
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
}

/** kill -9 the server once half the registrations are acknowledged, restart it, finish the rest. */
export function crashScenario(options: Omit<ScenarioOptions, "servers" | "database">): Promise<Report> {
  return withDatabase("file", async ({ config, env }) => {
    const tag = `crash${Date.now().toString(36)}`;
    const first = await startServer({ ...RATE_LIMITS_OFF, ...env });
    let killed = false;
    const started = performance.now();
    const beforeKill = await runRegistrations({
      ...options,
      servers: [first.url],
      tag,
      shouldStop: (_attempt, done) => {
        if (!killed && done.filter((a) => a.outcome === "acknowledged").length >= options.count / 2) {
          killed = first.process.kill("SIGKILL");
        }
        return killed;
      },
    });
    await first.stop(); // already dead: waits for the exit to be seen
    const inFlight = new Set(beforeKill.filter((a) => a.outcome === "no-answer").map((a) => a.email));
    const integrityAfterKill = (await auditDatabase(config, tag, beforeKill, inFlight)).integrity;

    const second = await startServer({ ...RATE_LIMITS_OFF, ...env }, { port: first.port });
    try {
      const remaining = Array.from({ length: options.count }, (_, i) => i).filter((i) => !beforeKill.some((a) => a.index === i));
      const afterRestart = await runRegistrations({ ...options, count: remaining.length, servers: [second.url], tag: `${tag}r` });
      const seconds = (performance.now() - started) / 1000;
      const crashAudit = await auditDatabase(config, tag, beforeKill, inFlight);
      const restartAudit = await auditDatabase(config, `${tag}r`, afterRestart);
      const report = summarise("crash (kill -9) and restart", { ...options, servers: 1 }, [...beforeKill, ...afterRestart], seconds, crashAudit, [second]);
      const acknowledgedBeforeKill = beforeKill.filter((a) => a.outcome === "acknowledged").length;
      report.crash = {
        acknowledgedBeforeKill,
        inFlightAtKill: inFlight.size,
        inFlightStored: crashAudit.stored - acknowledgedBeforeKill,
        integrityAfterKill,
        acknowledgedAfterRestart: afterRestart.filter((a) => a.outcome === "acknowledged").length,
      };
      if (!killed) report.failures.push("the server was never killed");
      if (integrityAfterKill !== "ok") report.failures.push(`integrity_check right after the kill: ${integrityAfterKill}`);
      const unexpected = beforeKill.filter((a) => a.outcome === "server-error" || a.outcome === "refused");
      if (unexpected.length) report.failures.push(`${unexpected.length} errors before the kill`);
      if (report.crash.acknowledgedAfterRestart !== remaining.length) report.failures.push("not every registration after the restart was acknowledged");
      report.failures.push(...auditFailures(crashAudit), ...auditFailures(restartAudit).map((f) => `after restart: ${f}`));
      return report;
    } finally {
      await second.stop();
    }
  });
}
