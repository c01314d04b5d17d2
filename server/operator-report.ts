// What the operators' port reports (server/operator-port.ts), read fresh at each request: the health
// check (db/health: one real query, within its deadline), the writer, the remote link, the replica,
// the document cache and the rate limits. The numbers that are states rather than events (queue
// depth, cache bytes, replica lag, up or down) are set on their gauges here, at scrape time; events
// are counted where they happen (lib/metrics).
import { checkHealth, replicaHealth, type HealthReport } from "../db/health";
import { writerHealth } from "../db/writer";
import type { RateLimitStats } from "../lib/http/rate-limited";
import { WRITER_STATES, type Instruments } from "../lib/metrics";
import type { Gauge } from "prom-client";
import type { DocumentCache } from "./document-cache";

export type OperatorSources = { documentCache: DocumentCache["stats"]; rateLimits: () => RateLimitStats };

export type OperatorReport = { report: HealthReport; details: Record<string, unknown> };

/** The health check and the launcher's own numbers; with `instruments`, their gauges set to match. */
export async function readOperatorReport(sources: OperatorSources, instruments: Instruments | null): Promise<OperatorReport> {
  const writer = writerHealth();
  const report = await checkHealth(writer);
  const documentCache = sources.documentCache();
  const rateLimits = sources.rateLimits();
  if (instruments) {
    instruments.databaseUp.set(report.databaseAnswers ? 1 : 0);
    for (const state of WRITER_STATES) instruments.writerState.set({ state }, writer.state === state ? 1 : 0);
    instruments.writerQueueDepth.set(writer.queued);
    if (writer.link) setShown(instruments, instruments.linkUp, writer.link.state === "up" ? 1 : 0);
    const lastPullAgeMs = replicaHealth()?.lastSyncAgeMs;
    if (typeof lastPullAgeMs === "number") setShown(instruments, instruments.replicaLag, lastPullAgeMs / 1000);
    instruments.cacheEntries.set(documentCache.entries);
    instruments.cacheBytes.set(documentCache.bytes);
    instruments.cacheMaxBytes.set(documentCache.maxBytes);
    instruments.rateLimitClients.set(rateLimits.clients);
  }
  return { report, details: { ...report.details, documentCache, rateLimits } };
}

const shown = new WeakSet<Gauge>();

/** Sets a gauge that only some topologies have, registering it with its first value. */
function setShown(instruments: Instruments, gauge: Gauge, value: number): void {
  gauge.set(value);
  if (shown.has(gauge)) return;
  instruments.registry.registerMetric(gauge);
  shown.add(gauge);
}
