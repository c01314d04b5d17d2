// The faults only a shared remote database has, against real production instances on one real
// sqld: one instance killed (-9) mid-load while the others go on, and sqld itself killed (-9) and
// restarted on the same port mid-load. Each reports what was acknowledged, stored and lost; the
// outage also what visitors saw meanwhile (the list's status codes, the slowest answer) and how
// long the instances took to recover by themselves.
import type { RunningServer } from "../support/server";
import { auditDatabase } from "./audit";
import { runRegistrations, type Attempt } from "./driver";
import { VISITOR_DEADLINE_MS } from "./register-form";
import { auditFailures, startAll, summarise, withDatabase, type Report } from "./scenarios";

export type FaultOptions = { count: number; concurrency: number; servers: number };

const acknowledgedIn = (attempts: Attempt[]) => attempts.filter((a) => a.outcome === "acknowledged").length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The failures every fault run shares: a 5xx, an acknowledged row missing, a row twice or altered. */
function commonFailures(report: Report): string[] {
  const failures = auditFailures(report.audit);
  if (report.outcomes["server-error"]) failures.push(`${report.outcomes["server-error"]} registrations answered with a 5xx`);
  return failures;
}

/** kill -9 one of `servers` instances once a third of the registrations are acknowledged; the others take its share. */
export function instanceKillScenario(options: FaultOptions): Promise<Report> {
  return withDatabase("sqld", async (target) => {
    const servers = await startAll(target, options.servers);
    const [victim] = servers;
    const rotation = servers.map((server) => server.url);
    const tag = `kill${Date.now().toString(36)}`;
    let killed = false;
    try {
      const started = performance.now();
      const attempts = await runRegistrations({
        ...options,
        servers: rotation,
        tag,
        shouldStop: (_attempt, done) => {
          if (!killed && acknowledgedIn(done) >= options.count / 3) {
            killed = victim.process.kill("SIGKILL");
            rotation.splice(rotation.indexOf(victim.url), 1); // the load balancer's health check takes it out
          }
          return false;
        },
      });
      const seconds = (performance.now() - started) / 1000;
      // Sent to the victim and never answered: in flight at the kill, so stored or not, either is honest.
      const inFlight = new Set(attempts.filter((a) => a.outcome === "no-answer" && a.server === victim.url).map((a) => a.email));
      const audit = await auditDatabase(target.config, tag, attempts, inFlight);
      const survivors = servers.slice(1);
      const report = summarise(`kill -9 of 1 of ${options.servers} instances on one sqld`, { ...options, database: "sqld" }, attempts, seconds, audit, survivors);
      const acknowledged = acknowledgedIn(attempts);
      report.fault = { acknowledged, stored: audit.stored, lost: audit.lost.length, inFlightAtKill: inFlight.size };
      if (!killed) report.failures.push("no instance was killed");
      const unanswered = attempts.filter((a) => a.outcome === "no-answer" && a.server !== victim.url).length;
      if (unanswered) report.failures.push(`${unanswered} registrations on the surviving instances got no answer`);
      const refused = attempts.filter((a) => a.outcome === "refused");
      if (refused.length) report.failures.push(`${refused.length} registrations refused on the surviving instances: ${[...new Set(refused.map((a) => a.message))].join(" / ")}`);
      report.failures.push(...commonFailures(report));
      return report;
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  });
}

type PageView = { server: string; status: number; startedAt: number; ms: number };

/** A visitor per instance reading `/` every 100 ms (each request bounded) until `stop` says so. */
async function readListUntil(servers: RunningServer[], stop: () => boolean, views: PageView[]): Promise<void> {
  await Promise.all(
    servers.map(async ({ url }) => {
      while (!stop()) {
        const startedAt = performance.now();
        let status = 0;
        try {
          const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(VISITOR_DEADLINE_MS) });
          await response.arrayBuffer();
          status = response.status;
        } catch {
          status = 0; // no answer within the deadline, or the connection failed
        }
        views.push({ server: url, status, startedAt, ms: performance.now() - startedAt });
        await sleep(100);
      }
    }),
  );
}

/** Until every instance answers `/` with 200, polled every 100 ms; the time it took. */
async function untilEveryInstanceServes(servers: RunningServer[], timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (const { url } of servers) {
    for (;;) {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(VISITOR_DEADLINE_MS) }).catch(() => null);
      await response?.arrayBuffer();
      if (response?.status === 200) break;
      if (performance.now() - started > timeoutMs) throw new Error(`${url} did not serve / again within ${timeoutMs} ms of sqld's restart`);
      await sleep(100);
    }
  }
  return Math.round(performance.now() - started);
}

/**
 * kill -9 sqld once a third of the registrations are acknowledged, restart it on the same port
 * after `outageMs`, and let the load run on; visitors read the list on every instance throughout.
 */
export function databaseRestartScenario(options: FaultOptions & { outageMs: number }): Promise<Report> {
  return withDatabase("sqld", async (target) => {
    const sqld = target.sqld!;
    const servers = await startAll(target, options.servers);
    const tag = `outage${Date.now().toString(36)}`;
    const views: PageView[] = [];
    let killAt = Infinity;
    let restartAt = Infinity;
    let outage: Promise<void> | undefined;
    let readingDone = false;
    try {
      const reading = readListUntil(servers, () => readingDone, views);
      const started = performance.now();
      const attempts = await runRegistrations({
        ...options,
        servers: servers.map((server) => server.url),
        tag,
        shouldStop: (_attempt, done) => {
          if (!outage && acknowledgedIn(done) >= options.count / 3) {
            outage = (async () => {
              killAt = performance.now();
              await sqld.kill();
              await sleep(options.outageMs);
              await sqld.restart();
              restartAt = performance.now();
            })();
          }
          return false;
        },
        // A visitor told "try again in a moment" does so; without a pause the outage would use up the run.
        pauseAfter: (attempt) => (attempt.outcome === "acknowledged" ? 0 : 250),
      });
      await outage;
      const recoveryMs = await untilEveryInstanceServes(servers, 30_000);
      readingDone = true;
      await reading;
      const seconds = (performance.now() - started) / 1000;

      const overlapsOutage = (startedAt: number, ms: number) => startedAt <= restartAt && startedAt + ms >= killAt;
      // Not acknowledged and in flight while sqld was down: its commit may have landed before the kill.
      const uncertain = new Set(attempts.filter((a) => a.outcome !== "acknowledged" && overlapsOutage(a.startedAt, a.ms)).map((a) => a.email));
      const audit = await auditDatabase(target.config, tag, attempts, uncertain);
      const report = summarise(`sqld killed and restarted under ${options.servers} instances`, { ...options, database: "sqld" }, attempts, seconds, audit, servers);
      const during = views.filter((view) => overlapsOutage(view.startedAt, view.ms));
      const pagesDuringOutage: Record<string, number> = {};
      for (const view of during) pagesDuringOutage[String(view.status)] = (pagesDuringOutage[String(view.status)] ?? 0) + 1;
      const longest = (times: number[]) => Math.round(Math.max(0, ...times));
      report.fault = {
        acknowledged: acknowledgedIn(attempts),
        stored: audit.stored,
        lost: audit.lost.length,
        outageMs: Math.round(restartAt - killAt),
        pagesDuringOutage,
        longestListViewDuringOutageMs: longest(during.map((view) => view.ms)),
        longestRegistrationDuringOutageMs: longest(attempts.filter((a) => overlapsOutage(a.startedAt, a.ms)).map((a) => a.ms)),
        recoveryMs,
      };
      if (!outage) report.failures.push("sqld was never killed");
      // A view that started after the kill gets the list (from memory) or the 503 page, nothing else.
      const badPages = during.filter((view) => view.startedAt > killAt && view.status !== 200 && view.status !== 503);
      if (badPages.length) report.failures.push(`${badPages.length} list views during the outage were started after the kill and were neither the page nor the 503 page: ${JSON.stringify(pagesDuringOutage)}`);
      if (report.outcomes["no-answer"]) report.failures.push(`${report.outcomes["no-answer"]} registrations got no answer`);
      const after = attempts.filter((a) => a.startedAt > restartAt + recoveryMs);
      const notAcknowledged = after.filter((a) => a.outcome !== "acknowledged");
      if (notAcknowledged.length) {
        const seen = notAcknowledged.map((a) => `${a.outcome} ${Math.round(a.startedAt - restartAt)} ms after the restart: ${a.message ?? a.status}`);
        report.failures.push(`a registration after the recovery was not acknowledged (${seen.slice(0, 3).join("; ")})`);
      }
      report.failures.push(...commonFailures(report));
      return report;
    } finally {
      readingDone = true;
      await Promise.all(servers.map((server) => server.stop()));
    }
  });
}
