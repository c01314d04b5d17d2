import { expect, test } from "vitest";
import { BUSY_TIMEOUT_MS } from "@/db/client";
import { primaryDatabaseOf, readAllowedOrigins, readDatabaseConfig, readFreshnessConfig, readHttpLimits, readServerConfig, readWriterConfig } from "@/lib/config";

test("defaults to the embedded file", () => {
  expect(readDatabaseConfig({})).toEqual({ url: "file:./data/lecture.db", authToken: undefined });
});

test("takes any libSQL URL and an auth token", () => {
  expect(readDatabaseConfig({ DATABASE_URL: "libsql://db.example.turso.io", DATABASE_AUTH_TOKEN: "t0k" })).toEqual({
    url: "libsql://db.example.turso.io",
    authToken: "t0k",
  });
  expect(readDatabaseConfig({ DATABASE_URL: "http://127.0.0.1:8080" }).url).toBe("http://127.0.0.1:8080");
});

test("treats empty variables as unset", () => {
  expect(readDatabaseConfig({ DATABASE_URL: "", DATABASE_AUTH_TOKEN: "" })).toEqual({
    url: "file:./data/lecture.db",
    authToken: undefined,
  });
});

test("refuses a URL that is not libSQL with a message naming the variable", () => {
  expect(() => readDatabaseConfig({ DATABASE_URL: "postgres://localhost/db" })).toThrow(/DATABASE_URL must be a libSQL URL/);
});

test("allowed origins are empty by default, so only the request's own host may post forms", () => {
  expect(readAllowedOrigins({})).toEqual([]);
  expect(readAllowedOrigins({ SERVER_ACTIONS_ALLOWED_ORIGINS: "" })).toEqual([]);
});

test("allowed origins are a comma-separated list of hosts, trimmed and lower-cased", () => {
  expect(readAllowedOrigins({ SERVER_ACTIONS_ALLOWED_ORIGINS: " App.Example.com , *.example.org:8443,**.corp.test" })).toEqual([
    "app.example.com",
    "*.example.org:8443",
    "**.corp.test",
  ]);
});

test("an allowed origin with a scheme or a path is refused with a message naming the variable", () => {
  for (const bad of ["https://app.example.com", "app.example.com/path", "*", "exa mple.com"]) {
    expect(() => readAllowedOrigins({ SERVER_ACTIONS_ALLOWED_ORIGINS: bad })).toThrow(/SERVER_ACTIONS_ALLOWED_ORIGINS must be/);
  }
});

test("the server starts without migrating and gives requests 8 s to finish on shutdown by default", () => {
  expect(readServerConfig({})).toEqual({ migrateOnStart: false, shutdownTimeoutMs: 8_000 });
  expect(readServerConfig({ MIGRATE_ON_START: "1", SHUTDOWN_TIMEOUT_MS: "2500" })).toEqual({ migrateOnStart: true, shutdownTimeoutMs: 2_500 });
});

test("refuses a MIGRATE_ON_START or SHUTDOWN_TIMEOUT_MS it cannot read, naming the variable", () => {
  expect(() => readServerConfig({ MIGRATE_ON_START: "yes" })).toThrow(/MIGRATE_ON_START must be 1/);
  expect(() => readServerConfig({ SHUTDOWN_TIMEOUT_MS: "soon" })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
});

test("the server's HTTP limits default to bounds a browser never meets and a stalling client always does", () => {
  expect(readHttpLimits({})).toEqual({
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 5_000,
    maxConnections: 1_024,
    maxHeaderBytes: 16_384,
  });
});

test("each HTTP limit is set by its variable; KEEP_ALIVE_TIMEOUT is Next's own name for the keep-alive timeout", () => {
  expect(
    readHttpLimits({
      HTTP_HEADERS_TIMEOUT_MS: "2000",
      HTTP_REQUEST_TIMEOUT_MS: " 4000 ",
      KEEP_ALIVE_TIMEOUT: "65000",
      HTTP_MAX_CONNECTIONS: "50",
      HTTP_MAX_HEADER_BYTES: "8192",
    }),
  ).toEqual({ headersTimeoutMs: 2_000, requestTimeoutMs: 4_000, keepAliveTimeoutMs: 65_000, maxConnections: 50, maxHeaderBytes: 8_192 });
});

test("an HTTP limit that is not a number, out of range or unbounded is refused, naming the variable", () => {
  expect(() => readHttpLimits({ KEEP_ALIVE_TIMEOUT: "forever" })).toThrow(/KEEP_ALIVE_TIMEOUT must be a whole number of milliseconds from 100 to 3600000/);
  expect(() => readHttpLimits({ KEEP_ALIVE_TIMEOUT: "0" })).toThrow(/KEEP_ALIVE_TIMEOUT must be a whole number of milliseconds from 100/);
  expect(() => readHttpLimits({ HTTP_HEADERS_TIMEOUT_MS: "1.5" })).toThrow(/HTTP_HEADERS_TIMEOUT_MS must be a whole number of milliseconds/);
  expect(() => readHttpLimits({ HTTP_REQUEST_TIMEOUT_MS: "-1" })).toThrow(/HTTP_REQUEST_TIMEOUT_MS must be a whole number of milliseconds/);
  expect(() => readHttpLimits({ HTTP_MAX_CONNECTIONS: "0" })).toThrow(/HTTP_MAX_CONNECTIONS must be a whole number of connections from 1 to 1000000/);
  expect(() => readHttpLimits({ HTTP_MAX_HEADER_BYTES: "1000" })).toThrow(/HTTP_MAX_HEADER_BYTES must be a whole number of bytes from 4096 .*Tasks cookie/);
});

test("a headers timeout longer than the request timeout is refused (Node would throw at start)", () => {
  expect(() => readHttpLimits({ HTTP_HEADERS_TIMEOUT_MS: "20000", HTTP_REQUEST_TIMEOUT_MS: "10000" })).toThrow(
    /HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS/,
  );
});

test("the registration writer: a 15 s commit deadline, 1,024 waiting registrations, no faults", () => {
  expect(readWriterConfig({})).toEqual({ commitTimeoutMs: 15_000, queueLimit: 1_024, faultFile: undefined });
  expect(readWriterConfig({ REGISTRATION_COMMIT_TIMEOUT_MS: "20000", REGISTRATION_QUEUE_LIMIT: "10" })).toMatchObject({ commitTimeoutMs: 20_000, queueLimit: 10 });
});

test("a commit deadline must outlast the busy timeout, and a queue must hold someone", () => {
  expect(readWriterConfig({ REGISTRATION_COMMIT_TIMEOUT_MS: String(BUSY_TIMEOUT_MS + 1_000) }).commitTimeoutMs).toBeGreaterThan(BUSY_TIMEOUT_MS);
  expect(() => readWriterConfig({ REGISTRATION_COMMIT_TIMEOUT_MS: String(BUSY_TIMEOUT_MS) })).toThrow(/REGISTRATION_COMMIT_TIMEOUT_MS must be at least 6000/);
  expect(() => readWriterConfig({ REGISTRATION_COMMIT_TIMEOUT_MS: "soon" })).toThrow(/REGISTRATION_COMMIT_TIMEOUT_MS must be a number/);
  expect(() => readWriterConfig({ REGISTRATION_QUEUE_LIMIT: "0" })).toThrow(/REGISTRATION_QUEUE_LIMIT/);
});

test("an embedded replica: DATABASE_URL is the local file, DATABASE_SYNC_URL the primary, where writes and migrations go", () => {
  const replica = readDatabaseConfig({ DATABASE_URL: "file:/data/replica.db", DATABASE_SYNC_URL: "http://sqld:8080", DATABASE_AUTH_TOKEN: "t0k" });
  expect(replica).toEqual({ url: "file:/data/replica.db", authToken: "t0k", syncUrl: "http://sqld:8080" });
  expect(primaryDatabaseOf(replica)).toEqual({ url: "http://sqld:8080", authToken: "t0k" });
  expect(primaryDatabaseOf(readDatabaseConfig({ DATABASE_URL: "http://sqld:8080" }))).toEqual({ url: "http://sqld:8080", authToken: undefined });
});

test("DATABASE_SYNC_URL needs a local replica file in DATABASE_URL and a libSQL URL itself, naming the variable", () => {
  expect(() => readDatabaseConfig({ DATABASE_URL: "http://sqld:8080", DATABASE_SYNC_URL: "http://other:8080" })).toThrow(/with DATABASE_SYNC_URL set, DATABASE_URL must be the local replica's file/);
  expect(() => readDatabaseConfig({ DATABASE_URL: "file:r.db", DATABASE_SYNC_URL: "file:other.db" })).toThrow(/DATABASE_SYNC_URL must be the primary's URL/);
});

test("the list's version window is 1 s on a remote database, 0 on the embedded file, the sync interval on a replica", () => {
  expect(readFreshnessConfig({ DATABASE_URL: "http://sqld:8080" })).toEqual({ versionWindowMs: 1_000, replicaSyncIntervalMs: 1_000 });
  expect(readFreshnessConfig({ DATABASE_URL: "libsql://db.turso.io", LIST_FRESHNESS_WINDOW_MS: "0" }).versionWindowMs).toBe(0);
  expect(readFreshnessConfig({ DATABASE_URL: "wss://db.turso.io", LIST_FRESHNESS_WINDOW_MS: "250" }).versionWindowMs).toBe(250);
  expect(readFreshnessConfig({ LIST_FRESHNESS_WINDOW_MS: "5000" }).versionWindowMs).toBe(0);
  expect(readFreshnessConfig({ DATABASE_URL: "file:r.db", DATABASE_SYNC_URL: "http://sqld:8080", DATABASE_SYNC_INTERVAL_MS: "200" })).toEqual({ versionWindowMs: 200, replicaSyncIntervalMs: 200 });
});

test("a freshness window or sync interval that is not a whole number in range is refused, naming the variable", () => {
  for (const bad of ["-1", "1.5", "soon", "60001"]) {
    expect(() => readFreshnessConfig({ DATABASE_URL: "http://sqld:8080", LIST_FRESHNESS_WINDOW_MS: bad })).toThrow(/LIST_FRESHNESS_WINDOW_MS must be a whole number of milliseconds from 0 to 60000/);
  }
  expect(() => readFreshnessConfig({ DATABASE_SYNC_INTERVAL_MS: "10" })).toThrow(/DATABASE_SYNC_INTERVAL_MS must be a whole number of milliseconds from 50 to 600000/);
});
