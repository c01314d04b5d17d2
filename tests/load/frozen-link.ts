// A frozen link between an instance and its sqld (tests/support/freezable-link.ts: nothing crosses,
// both ways, open connections included) while visitors register and read the list. Every request
// is timed on its own (the form's GET, the post, the list), so the report says the slowest answer
// during the freeze, how fast requests failed once the app knew, how long the app took to serve
// again after the thaw, and (audit) that nothing acknowledged was lost and nobody was told
// "nothing was stored" about a row that was.
import { startFreezableLink } from "../support/freezable-link";
import { startServer } from "../support/server";
import { auditDatabase, type Audit } from "./audit";
import { personFor, type Attempt } from "./driver";
import { fetchRegisterForm, postRegistration, VISITOR_DEADLINE_MS } from "./register-form";
import { auditFailures, withDatabase } from "./scenarios";

export type TimedRequest = { kind: "form" | "post" | "list"; status: number; startedAt: number; ms: number };

export type FrozenLinkReport = {
  transport: "http" | "ws";
  freezeMs: number;
  /** The slowest answer of any request that overlapped the freeze (0 status: none within VISITOR_DEADLINE_MS). */
  slowestDuringFreezeMs: number;
  /** The slowest answer of a request started once the app had had a deadline's time to learn of the freeze. */
  slowestOnceKnownMs: number;
  /** Nine in ten of those were answered within this. */
  onceKnownP90Ms: number;
  /** The three slowest requests overlapping the freeze, then the three slowest once known: kind, status, start (ms after the freeze) and duration. */
  slowest: string[];
  unanswered: number;
  statusesDuringFreeze: Record<string, number>;
  /** From the thaw until the list and a registration both succeed again. */
  recoveryMs: number;
  acknowledged: number;
  /** Told "nothing was stored" (the try-again message) yet stored. */
  falselyDenied: string[];
  audit: Audit;
  failures: string[];
};

const TRY_AGAIN = "Nothing was stored";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed<T>(kind: TimedRequest["kind"], requests: TimedRequest[], work: () => Promise<{ status: number; value: T }>): Promise<T | null> {
  const startedAt = performance.now();
  try {
    const { status, value } = await work();
    requests.push({ kind, status, startedAt, ms: performance.now() - startedAt });
    return value;
  } catch {
    requests.push({ kind, status: 0, startedAt, ms: performance.now() - startedAt });
    return null;
  }
}

/** Freezes the link `freezeMs` into a steady load, thaws it, and reports what visitors saw. */
export function frozenLinkScenario(options: { transport: "http" | "ws"; freezeMs: number; registrars: number; readers: number; knownAfterMs: number }): Promise<FrozenLinkReport> {
  return withDatabase("sqld", async (target) => {
    const sqld = target.sqld!;
    const link = await startFreezableLink({ host: "127.0.0.1", port: sqld.port });
    const server = await startServer({ ...target.env, DATABASE_URL: link.url(options.transport) });
    const tag = `freeze${options.transport}${Date.now().toString(36)}`;
    const requests: TimedRequest[] = [];
    const attempts: Attempt[] = [];
    let running = true;
    let index = 0;
    try {
      const registrar = async () => {
        while (running) {
          const person = personFor(tag, index++);
          const startedAt = performance.now();
          const fields = await timed("form", requests, async () => ({ status: 200, value: await fetchRegisterForm(server.url) }));
          if (!fields) {
            await sleep(250);
            continue;
          }
          const answer = await timed("post", requests, async () => {
            const outcome = await postRegistration(server.url, fields, person);
            return { status: outcome.status, value: outcome };
          });
          const outcome = answer === null ? "no-answer" : answer.status === 303 ? "acknowledged" : answer.status >= 500 ? "server-error" : "refused";
          const message = answer?.body.includes(TRY_AGAIN) ? TRY_AGAIN : undefined;
          attempts.push({ ...person, index, server: server.url, outcome, status: answer?.status ?? 0, startedAt, ms: performance.now() - startedAt, message });
          if (outcome !== "acknowledged") await sleep(250); // told to try again in a moment
        }
      };
      const reader = async () => {
        while (running) {
          await timed("list", requests, async () => {
            const response = await fetch(`${server.url}/`, { signal: AbortSignal.timeout(VISITOR_DEADLINE_MS) });
            await response.arrayBuffer();
            return { status: response.status, value: null };
          });
          await sleep(100);
        }
      };
      const load = Promise.all([...Array.from({ length: options.registrars }, registrar), ...Array.from({ length: options.readers }, reader)]);
      await sleep(2_000);
      const frozenAt = performance.now();
      link.freeze();
      await sleep(options.freezeMs);
      link.thaw();
      const thawedAt = performance.now();
      const recoveryMs = await untilServing(server.url, tag, thawedAt);
      running = false;
      await load;

      const overlaps = (r: { startedAt: number; ms: number }) => r.startedAt <= thawedAt && r.startedAt + r.ms >= frozenAt;
      const during = requests.filter(overlaps);
      const onceKnown = requests.filter((r) => r.startedAt >= frozenAt + options.knownAfterMs && r.startedAt <= thawedAt);
      const statusesDuringFreeze: Record<string, number> = {};
      for (const r of during) statusesDuringFreeze[`${r.kind} ${r.status}`] = (statusesDuringFreeze[`${r.kind} ${r.status}`] ?? 0) + 1;
      // Not acknowledged and overlapping the freeze: stored or not, either is honest, unless the visitor was told "nothing was stored".
      const uncertain = new Set(attempts.filter((a) => a.outcome !== "acknowledged" && a.message !== TRY_AGAIN && overlaps(a)).map((a) => a.email));
      const audit = await auditDatabase(target.config, tag, attempts, uncertain);
      const denied = new Set(attempts.filter((a) => a.message === TRY_AGAIN).map((a) => a.email));
      const slowest = (list: TimedRequest[]) => Math.round(Math.max(0, ...list.map((r) => r.ms)));
      const report: FrozenLinkReport = {
        transport: options.transport,
        freezeMs: options.freezeMs,
        slowestDuringFreezeMs: slowest(during),
        slowestOnceKnownMs: slowest(onceKnown),
        onceKnownP90Ms: Math.round(onceKnown.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(onceKnown.length * 0.9)] ?? 0),
        slowest: [...[...during].sort((a, b) => b.ms - a.ms).slice(0, 3), ...[...onceKnown].sort((a, b) => b.ms - a.ms).slice(0, 3)]
          .map((r) => `${r.kind} ${r.status} at +${Math.round(r.startedAt - frozenAt)} took ${Math.round(r.ms)}`),
        unanswered: requests.filter((r) => r.status === 0).length,
        statusesDuringFreeze,
        recoveryMs,
        acknowledged: attempts.filter((a) => a.outcome === "acknowledged").length,
        falselyDenied: audit.unacknowledgedStored.filter((email) => denied.has(email)),
        audit,
        failures: auditFailures(audit),
      };
      const serverErrors = requests.filter((r) => r.status >= 500 && r.kind !== "list");
      if (serverErrors.length) report.failures.push(`${serverErrors.length} form or post requests answered 5xx`);
      const badLists = during.filter((r) => r.kind === "list" && r.status !== 200 && r.status !== 503);
      if (badLists.length) report.failures.push(`${badLists.length} list views were neither the list nor the 503 page`);
      if (onceKnown.length === 0) report.failures.push("no request started while the app knew of the freeze");
      return report;
    } finally {
      running = false;
      await server.stop();
      await link.close();
    }
  });
}

/** Polls every 100 ms until `/` is 200 and a new registration is acknowledged; the time since `since`. */
async function untilServing(url: string, tag: string, since: number): Promise<number> {
  for (let i = 0; ; i += 1) {
    const list = await fetch(`${url}/`, { signal: AbortSignal.timeout(VISITOR_DEADLINE_MS) }).catch(() => null);
    await list?.arrayBuffer();
    if (list?.status === 200) {
      const fields = await fetchRegisterForm(url).catch(() => null);
      const answer = fields && (await postRegistration(url, fields, personFor(`${tag}r`, i)).catch(() => null));
      if (answer?.status === 303) return Math.round(performance.now() - since);
    }
    if (performance.now() - since > 30_000) throw new Error(`${url} did not serve again within 30 s of the thaw`);
    await sleep(100);
  }
}
