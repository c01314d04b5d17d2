// The app's metrics (Prometheus, prom-client): recorded where things happen, served by the
// launcher's operators' port (server/operator-port.ts). One set of instruments per process, shared by
// every bundle (lib/process-wide.ts), so the registrations the actions count and the requests the
// launcher times land in one answer. With METRICS_PORT unset nothing is created and every recorder
// below returns at once. Why these metrics and what they cost: docs/decisions/metrics.md.
import { readMetricsConfig } from "../config";
import { processWide } from "../process-wide";
import type { CancelOutcome, ConnectionRefusal, Instruments, LimitScope, PostKind, RegistrationOutcome, RemoteFailure } from "./catalogue";
import { createInstruments } from "./catalogue";

export type { AnsweredBy, CancelOutcome, Instruments, RegistrationOutcome, RemoteFailure } from "./catalogue";
export { ANSWERED_BY, METHODS, ROUTES, STATUS_CLASSES, WRITER_STATES } from "./catalogue";
export { methodOf, routeOf, statusClassOf } from "./http-labels";
export type { HistogramSeries } from "./request-histogram";

const shared = processWide<Instruments | null>("metrics");

/** This process's instruments, or null when metrics are off (METRICS_PORT unset). */
export function metrics(): Instruments | null {
  if (shared.value === undefined) shared.value = readMetricsConfig() ? createInstruments() : null;
  return shared.value;
}

export function countRegistration(outcome: RegistrationOutcome): void {
  metrics()?.registrations.inc({ outcome });
}

export function countCancel(outcome: CancelOutcome): void {
  metrics()?.cancellations.inc({ outcome });
}

/** One group commit of `size` changes that took `seconds` on the commit thread. */
export function observeCommit(size: number, seconds: number, ok: boolean): void {
  const instruments = metrics();
  if (!instruments) return;
  instruments.commitBatchSize.observe(size);
  instruments.commitDuration.observe({ result: ok ? "ok" : "failed" }, seconds);
}

/** A post refused for going over a budget: counted by kind, and as a registration's or cancel's outcome. */
export function countRateLimited(kind: PostKind, scope: LimitScope): void {
  const instruments = metrics();
  if (!instruments) return;
  instruments.rateLimitRefusals.inc({ kind, scope });
  if (kind === "register") instruments.registrations.inc({ outcome: "rate_limited" });
  if (kind === "cancel") instruments.cancellations.inc({ outcome: "rate_limited" });
}

export function countRefusedConnection(reason: ConnectionRefusal): void {
  metrics()?.connectionsRefused.inc({ reason });
}

/** A page the list's document cache dropped to make room for another. */
export function countCacheEviction(): void {
  metrics()?.cacheEvictions.inc();
}

export function countWriterRestart(): void {
  metrics()?.writerRestarts.inc();
}

/** A remote read that went out and was answered (a statement's own error included) or failed on the way after `seconds`. */
export function observeRemoteRequest(seconds: number, answered: boolean): void {
  metrics()?.remoteRequestDuration.observe({ result: answered ? "answered" : "failed" }, seconds);
}

export function countRemoteFailure(reason: RemoteFailure): void {
  metrics()?.remoteRequestFailures.inc({ reason });
}

export function countReplicaPull(ok: boolean): void {
  metrics()?.replicaPulls.inc({ result: ok ? "ok" : "failed" });
}
