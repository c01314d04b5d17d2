// Every metric the app exports, in one place: its name, help, labels and buckets. Names follow
// Prometheus's conventions (base units, `_total` counters, `_seconds`, `_bytes`); every label's values
// come from a fixed list below, never from a request (http-labels.ts maps paths, methods and statuses
// onto them), so the number of series is bounded. What each one answers: docs/operations.md "Metrics".
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { RequestHistogram } from "./request-histogram";

export const ROUTES = ["/", "/register", "/register/cancel", "/todos", "/api/health", "/robots.txt", "/icon.svg", "/_next/static", "/_next/image", "other"] as const;
export const METHODS = ["GET", "HEAD", "POST", "other"] as const;
export const STATUS_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx", "none"] as const;
/** Who answered: the list's document cache (server/document-cache.ts), Next, the door's own refusal page, or the launcher's 500. */
export const ANSWERED_BY = ["cache_hit", "cache_miss", "cache_bypass", "next", "refusal", "error"] as const;

export const REGISTRATION_OUTCOMES = [
  "committed",
  "invalid",
  "duplicate",
  "rate_limited",
  "queue_full",
  "writer_unavailable",
  "database_unreachable",
  "schema_missing",
  "database_error",
  "outcome_unknown",
  "not_a_form",
] as const;
export const CANCEL_OUTCOMES = ["cancelled", "already_gone", "not_yours", "rate_limited", "failed", "not_a_form"] as const;
export const POST_KINDS = ["register", "cancel", "tasks"] as const;
export const LIMIT_SCOPES = ["client", "everyone"] as const;
export const WRITER_STATES = ["ok", "restarting", "down"] as const;
export const REMOTE_FAILURES = ["link_down", "deadline", "network"] as const;
export const CONNECTION_REFUSALS = ["server_full", "client_limit"] as const;

export type Route = (typeof ROUTES)[number];
export type Method = (typeof METHODS)[number];
export type StatusClass = (typeof STATUS_CLASSES)[number];
export type AnsweredBy = (typeof ANSWERED_BY)[number];
export type RegistrationOutcome = (typeof REGISTRATION_OUTCOMES)[number];
export type CancelOutcome = (typeof CANCEL_OUTCOMES)[number];
export type RemoteFailure = (typeof REMOTE_FAILURES)[number];
export type PostKind = (typeof POST_KINDS)[number];
export type LimitScope = (typeof LIMIT_SCOPES)[number];
export type ConnectionRefusal = (typeof CONNECTION_REFUSALS)[number];

// Seconds. The cache's hits take well under a millisecond; a render tens of milliseconds; a commit
// waits for its batch and an fsync; 4 s is the remote read's deadline, 9 s the commit's.
const REQUEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const COMMIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

export type Instruments = ReturnType<typeof createInstruments>;

export function createInstruments() {
  const registry = new Registry();
  const registers = [registry];
  // Event-loop lag, heap, GC, RSS, open handles. The lag is sampled every 50 ms, not prom-client's 10,
  // which wakes an idle server 100 times a second ([cost](docs/performance.md#metrics)).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 50 });
  return {
    registry,
    // Every request passes here, cached hits included: not prom-client's Histogram (request-histogram.ts).
    httpRequestDuration: new RequestHistogram({
      name: "http_request_duration_seconds",
      help: "Time from a request's arrival to the end of its answer, by route, method, status class and who answered.",
      labelNames: ["route", "method", "status_class", "answered_by"] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    registrations: new Counter({
      name: "registrations_total",
      help: "Registrations tried, by outcome: committed, or why not.",
      labelNames: ["outcome"] as const,
      registers,
    }),
    cancellations: new Counter({
      name: "cancellations_total",
      help: "Cancels tried, by outcome.",
      labelNames: ["outcome"] as const,
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: "rate_limit_refusals_total",
      help: "Posts refused for going over a budget, by kind of post and by whose budget (one client's, or everyone's registrations).",
      labelNames: ["kind", "scope"] as const,
      registers,
    }),
    connectionsRefused: new Counter({
      name: "http_connections_refused_total",
      help: "Connections closed unanswered: the server held HTTP_MAX_CONNECTIONS, or the client RATE_LIMIT_CONNECTIONS_PER_CLIENT.",
      labelNames: ["reason"] as const,
      registers,
    }),
    rateLimitClients: new Gauge({ name: "rate_limit_clients", help: "Clients whose budgets the limiter remembers now.", registers }),
    commitBatchSize: new Histogram({
      name: "writer_commit_batch_size",
      help: "Changes (registrations, cancels) sent together in one transaction; a duplicate email among them stores nothing.",
      buckets: BATCH_BUCKETS,
      registers,
    }),
    commitDuration: new Histogram({
      name: "writer_commit_duration_seconds",
      help: "Time one group commit took on the commit thread, by result.",
      labelNames: ["result"] as const,
      buckets: COMMIT_BUCKETS,
      registers,
    }),
    writerQueueDepth: new Gauge({ name: "writer_queue_depth", help: "Changes waiting for a commit, not counting the batch being committed.", registers }),
    writerState: new Gauge({ name: "writer_state", help: "1 for the writer's current state (ok, restarting, down), 0 for the others.", labelNames: ["state"] as const, registers }),
    writerRestarts: new Counter({ name: "writer_restarts_total", help: "Commit threads replaced (died, stuck, or retired after a failed commit).", registers }),
    cacheEntries: new Gauge({ name: "document_cache_entries", help: "List pages the document cache holds.", registers }),
    cacheBytes: new Gauge({ name: "document_cache_bytes", help: "Bytes the document cache holds (bodies, gzipped copies, headers).", registers }),
    cacheMaxBytes: new Gauge({ name: "document_cache_max_bytes", help: "The document cache's bound (DOCUMENT_CACHE_MAX_BYTES).", registers }),
    cacheEvictions: new Counter({ name: "document_cache_evictions_total", help: "Pages dropped from the document cache to make room.", registers }),
    databaseUp: new Gauge({ name: "database_up", help: "1 when the database answered a real query at this scrape, else 0.", registers }),
    // Registered on their first value (server/operator-report.ts): on a local file there is no link
    // and no replica, and a gauge that was never set would read 0, "down".
    linkUp: new Gauge({ name: "database_link_up", help: "1 while the link to a remote database is up, 0 while it is down (remote databases only).", registers: [] }),
    remoteRequestDuration: new Histogram({
      name: "database_remote_request_duration_seconds",
      help: "Time remote database requests of the server's reads took, by whether they were answered.",
      labelNames: ["result"] as const,
      buckets: COMMIT_BUCKETS,
      registers,
    }),
    remoteRequestFailures: new Counter({
      name: "database_remote_request_failures_total",
      help: "Remote database requests that failed on the way: refused while the link was down, past their deadline, or cut on the network.",
      labelNames: ["reason"] as const,
      registers,
    }),
    replicaLag: new Gauge({
      name: "database_replica_lag_seconds",
      help: "Seconds since the embedded replica's last successful pull: how much older than the primary its list may be.",
      registers: [],
    }),
    replicaPulls: new Counter({ name: "database_replica_pulls_total", help: "Embedded replica pulls from the primary, by result.", labelNames: ["result"] as const, registers }),
  };
}
