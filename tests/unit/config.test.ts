import { expect, test } from "vitest";
import { BUSY_TIMEOUT_MS } from "@/db/connection/client";
import {
  primaryDatabaseOf,
  readAllowedOrigins,
  readDatabaseConfig,
  readDocumentCacheConfig,
  readFreshnessConfig,
  readHstsConfig,
  readHttpLimits,
  readListenConfig,
  readRateLimitConfig,
  readServerConfig,
  readSessionConfig,
  readTrustedProxies,
  readWriterConfig,
} from "@/lib/config";

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
  expect(readWriterConfig({})).toEqual({ commitTimeoutMs: 9_000, queueLimit: 1_024, faultFile: undefined });
  expect(readWriterConfig({ REGISTRATION_COMMIT_TIMEOUT_MS: "20000", REGISTRATION_QUEUE_LIMIT: "10" })).toMatchObject({ commitTimeoutMs: 20_000, queueLimit: 10 });
});

test("a commit deadline must outlast the busy timeout, and a queue must hold someone", () => {
  expect(readWriterConfig({ REGISTRATION_COMMIT_TIMEOUT_MS: String(BUSY_TIMEOUT_MS + 1_000) }).commitTimeoutMs).toBeGreaterThan(BUSY_TIMEOUT_MS);
  expect(() => readWriterConfig({ REGISTRATION_COMMIT_TIMEOUT_MS: String(BUSY_TIMEOUT_MS) })).toThrow(
    /REGISTRATION_COMMIT_TIMEOUT_MS must be a whole number of milliseconds from 6000 .*longer than the 5 s busy timeout/,
  );
  expect(() => readWriterConfig({ REGISTRATION_COMMIT_TIMEOUT_MS: "soon" })).toThrow(/REGISTRATION_COMMIT_TIMEOUT_MS must be a whole number/);
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

test("the freshness settings default to 1 s and are read as given", () => {
  expect(readFreshnessConfig({})).toEqual({ listFreshnessWindowMs: 1_000, replicaSyncIntervalMs: 1_000 });
  expect(readFreshnessConfig({ LIST_FRESHNESS_WINDOW_MS: "0", DATABASE_SYNC_INTERVAL_MS: "200" })).toEqual({ listFreshnessWindowMs: 0, replicaSyncIntervalMs: 200 });
});

test("a freshness window or sync interval that is not a whole number in range is refused, naming the variable", () => {
  for (const bad of ["-1", "1.5", "soon", "60001"]) {
    expect(() => readFreshnessConfig({ DATABASE_URL: "http://sqld:8080", LIST_FRESHNESS_WINDOW_MS: bad })).toThrow(/LIST_FRESHNESS_WINDOW_MS must be a whole number of milliseconds from 0 to 60000/);
  }
  expect(() => readFreshnessConfig({ DATABASE_SYNC_INTERVAL_MS: "10" })).toThrow(/DATABASE_SYNC_INTERVAL_MS must be a whole number of milliseconds from 50 to 600000/);
});

const READERS = {
  readDatabaseConfig,
  readFreshnessConfig,
  readSessionConfig,
  readAllowedOrigins,
  readServerConfig,
  readListenConfig,
  readDocumentCacheConfig,
  readHttpLimits,
  readWriterConfig,
  readRateLimitConfig,
  readTrustedProxies,
  readHstsConfig,
};

const EVERY_VARIABLE = [
  "DATABASE_URL",
  "DATABASE_AUTH_TOKEN",
  "DATABASE_SYNC_URL",
  "LIST_FRESHNESS_WINDOW_MS",
  "DATABASE_SYNC_INTERVAL_MS",
  "SESSION_SECRET",
  "SESSION_COOKIE_SECURE",
  "SERVER_ACTIONS_ALLOWED_ORIGINS",
  "MIGRATE_ON_START",
  "SHUTDOWN_TIMEOUT_MS",
  "PORT",
  "HOSTNAME",
  "DOCUMENT_CACHE_MAX_BYTES",
  "HTTP_HEADERS_TIMEOUT_MS",
  "HTTP_REQUEST_TIMEOUT_MS",
  "KEEP_ALIVE_TIMEOUT",
  "HTTP_MAX_CONNECTIONS",
  "HTTP_MAX_HEADER_BYTES",
  "REGISTRATION_COMMIT_TIMEOUT_MS",
  "REGISTRATION_QUEUE_LIMIT",
  "REGISTRATION_FAULT_FILE",
  "TRUSTED_PROXIES",
  "RATE_LIMIT_REGISTER_BURST",
  "RATE_LIMIT_REGISTER_PER_MINUTE",
  "RATE_LIMIT_CANCEL_BURST",
  "RATE_LIMIT_CANCEL_PER_MINUTE",
  "RATE_LIMIT_TASKS_BURST",
  "RATE_LIMIT_TASKS_PER_MINUTE",
  "RATE_LIMIT_REGISTER_GLOBAL_PER_MINUTE",
  "RATE_LIMIT_CONNECTIONS_PER_CLIENT",
  "RATE_LIMIT_CLIENTS",
  "HSTS_MAX_AGE_SECONDS",
  "HSTS_INCLUDE_SUBDOMAINS",
];

test.each(["", " ", "\t \n"])("a blank variable (%j) is unset for every setting, so its default applies", (blank) => {
  const env = Object.fromEntries(EVERY_VARIABLE.map((name) => [name, blank]));
  for (const read of Object.values(READERS)) expect(read(env)).toEqual(read({}));
});

/** Each numeric setting, its reader, and a value it accepts. */
const NUMERIC_SETTINGS: [string, (env: Record<string, string>) => unknown, string][] = [
  ["LIST_FRESHNESS_WINDOW_MS", readFreshnessConfig, "250"],
  ["DATABASE_SYNC_INTERVAL_MS", readFreshnessConfig, "250"],
  ["SHUTDOWN_TIMEOUT_MS", readServerConfig, "8000"],
  ["PORT", readListenConfig, "8000"],
  ["DOCUMENT_CACHE_MAX_BYTES", readDocumentCacheConfig, "8000"],
  ["HTTP_HEADERS_TIMEOUT_MS", readHttpLimits, "8000"],
  ["HTTP_REQUEST_TIMEOUT_MS", readHttpLimits, "12000"],
  ["KEEP_ALIVE_TIMEOUT", readHttpLimits, "8000"],
  ["HTTP_MAX_CONNECTIONS", readHttpLimits, "8000"],
  ["HTTP_MAX_HEADER_BYTES", readHttpLimits, "8000"],
  ["REGISTRATION_COMMIT_TIMEOUT_MS", readWriterConfig, "8000"],
  ["REGISTRATION_QUEUE_LIMIT", readWriterConfig, "8000"],
  ["RATE_LIMIT_REGISTER_BURST", readRateLimitConfig, "8000"],
  ["RATE_LIMIT_REGISTER_PER_MINUTE", readRateLimitConfig, "8000"],
  ["RATE_LIMIT_CANCEL_BURST", readRateLimitConfig, "8000"],
  ["RATE_LIMIT_CANCEL_PER_MINUTE", readRateLimitConfig, "8000"],
  ["RATE_LIMIT_TASKS_BURST", readRateLimitConfig, "8000"],
  ["RATE_LIMIT_TASKS_PER_MINUTE", readRateLimitConfig, "8000"],
  ["RATE_LIMIT_REGISTER_GLOBAL_PER_MINUTE", readRateLimitConfig, "8000"],
  ["RATE_LIMIT_CONNECTIONS_PER_CLIENT", readRateLimitConfig, "8000"],
  ["RATE_LIMIT_CLIENTS", readRateLimitConfig, "8000"],
  ["HSTS_MAX_AGE_SECONDS", readHstsConfig, "31536000"],
];

test("the rate limits default to what a lecture hall needs, and 0 turns one off", () => {
  expect(readRateLimitConfig({})).toEqual({
    register: { burst: 30, perMinute: 120 },
    cancel: { burst: 10, perMinute: 30 },
    tasks: { burst: 60, perMinute: 600 },
    registerGlobalPerMinute: 1_200,
    connectionsPerClient: 128,
    clientsTracked: 50_000,
  });
  expect(readRateLimitConfig({ RATE_LIMIT_REGISTER_BURST: "0" }).register.burst).toBe(0);
  expect(() => readRateLimitConfig({ RATE_LIMIT_CLIENTS: "0" })).toThrow(/RATE_LIMIT_CLIENTS must be a whole number of clients from 1/);
});

test("TRUSTED_PROXIES takes addresses and CIDR ranges, and names what it cannot read", () => {
  expect(readTrustedProxies({})).toEqual([]);
  expect(readTrustedProxies({ TRUSTED_PROXIES: " 10.0.0.0/8, 192.168.1.10 ,fd00::/8,::1 " })).toEqual(["10.0.0.0/8", "192.168.1.10", "fd00::/8", "::1"]);
  for (const bad of ["10.0.0.0/33", "fd00::/129", "localhost", "10.0.0.0/8/1", "10.0.0.256", "10.0.0.0/x"]) {
    expect(() => readTrustedProxies({ TRUSTED_PROXIES: bad }), bad).toThrow(/TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges/);
  }
});

test.each(NUMERIC_SETTINGS)("%s takes plain decimal digits only, white space around them trimmed", (name, read, good) => {
  expect(read({ [name]: ` ${good}\t` })).toEqual(read({ [name]: good }));
  for (const bad of ["0x1F40", "8e3", `${good}.0`, `+${good}`, "1_000", "Infinity", "-0", "8 000", "٨٠٠٠"]) {
    expect(() => read({ [name]: bad }), bad).toThrow(new RegExp(`${name} must be a whole number`));
  }
});

test("a blank SHUTDOWN_TIMEOUT_MS or DOCUMENT_CACHE_MAX_BYTES keeps its default, never 0", () => {
  expect(readServerConfig({ SHUTDOWN_TIMEOUT_MS: " " }).shutdownTimeoutMs).toBe(8_000);
  expect(readDocumentCacheConfig({ DOCUMENT_CACHE_MAX_BYTES: " " }).maxBytes).toBe(32 * 1024 * 1024);
  expect(readDocumentCacheConfig({ DOCUMENT_CACHE_MAX_BYTES: "0" }).maxBytes).toBe(0);
});

test("the server listens on port 3000 of every IPv4 interface by default; PORT and HOSTNAME change that", () => {
  expect(readListenConfig({})).toEqual({ port: 3_000, hostname: "0.0.0.0" });
  expect(readListenConfig({ PORT: "8080", HOSTNAME: "127.0.0.1" })).toEqual({ port: 8_080, hostname: "127.0.0.1" });
  for (const hostname of ["::", "::1", "fe80::1", "localhost", "app.internal", "a1b2c3d4e5f6", "my_app"]) {
    expect(readListenConfig({ HOSTNAME: hostname }).hostname).toBe(hostname);
  }
});

test("a PORT that is not a port, or 0, stops the start naming the variable", () => {
  for (const bad of ["abc", "0", "65536", "3000abc", "-1"]) {
    expect(() => readListenConfig({ PORT: bad }), bad).toThrow(/PORT must be a whole number from 1 to 65535/);
  }
  expect(readListenConfig({ PORT: "65535" }).port).toBe(65_535);
});

test("a HOSTNAME with a scheme, port, path or space is refused, naming the variable", () => {
  for (const bad of ["http://example.com", "example.com:3000", "example.com/app", "my host", "[::1]", "dead:3000", "a..b", "x".repeat(254)]) {
    expect(() => readListenConfig({ HOSTNAME: bad }), bad).toThrow(/HOSTNAME must be a host name or IP address/);
  }
});

test("HEALTH_DETAILS_TOKEN: blank is unset (nobody gets the details); a short one or one with spaces is refused, naming it", async () => {
  const { readHealthConfig } = await import("@/lib/config");
  expect(readHealthConfig({})).toEqual({});
  expect(readHealthConfig({ HEALTH_DETAILS_TOKEN: "   " })).toEqual({});
  const token = "a".repeat(32);
  expect(readHealthConfig({ HEALTH_DETAILS_TOKEN: ` ${token} ` })).toEqual({ detailsToken: token });
  expect(() => readHealthConfig({ HEALTH_DETAILS_TOKEN: "short" })).toThrow(/HEALTH_DETAILS_TOKEN must be at least 32 characters/);
  expect(() => readHealthConfig({ HEALTH_DETAILS_TOKEN: `${token} ${token}` })).toThrow(/HEALTH_DETAILS_TOKEN must be printable ASCII without spaces/);
});

test("metrics: off unless METRICS_PORT is set; loopback by default; a bad port, host or token stops the start naming it", async () => {
  const { readMetricsConfig } = await import("@/lib/config");
  expect(readMetricsConfig({})).toBeNull();
  expect(readMetricsConfig({ METRICS_PORT: " ", METRICS_HOSTNAME: "0.0.0.0" })).toBeNull();
  expect(readMetricsConfig({ METRICS_PORT: "9464" })).toEqual({ port: 9_464, hostname: "127.0.0.1" });
  const token = "m".repeat(32);
  expect(readMetricsConfig({ METRICS_PORT: "9464", METRICS_HOSTNAME: "10.0.0.5", METRICS_TOKEN: token })).toEqual({ port: 9_464, hostname: "10.0.0.5", token });
  for (const bad of ["0", "65536", "9464x", "-1"]) expect(() => readMetricsConfig({ METRICS_PORT: bad }), bad).toThrow(/METRICS_PORT must be a whole number from 1 to 65535/);
  expect(() => readMetricsConfig({ METRICS_PORT: "9464", METRICS_HOSTNAME: "http://x" })).toThrow(/METRICS_HOSTNAME must be a host name or IP address/);
  expect(() => readMetricsConfig({ METRICS_PORT: "9464", METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN must be at least 32 characters/);
  // A bad value is refused even while the port is unset: it would surprise whoever sets the port later.
  expect(() => readMetricsConfig({ METRICS_TOKEN: `${token} x` })).toThrow(/METRICS_TOKEN must be printable ASCII without spaces/);
});

test("Strict-Transport-Security: two years without subdomains by default; 0 turns it off; includeSubDomains only when asked", async () => {
  const { strictTransportSecurity } = await import("@/lib/http/security-headers");
  expect(readHstsConfig({})).toEqual({ maxAgeSeconds: 63_072_000, includeSubDomains: false });
  expect(strictTransportSecurity(readHstsConfig({}))).toBe("max-age=63072000");
  expect(strictTransportSecurity(readHstsConfig({ HSTS_MAX_AGE_SECONDS: "31536000", HSTS_INCLUDE_SUBDOMAINS: "TRUE" }))).toBe("max-age=31536000; includeSubDomains");
  expect(strictTransportSecurity(readHstsConfig({ HSTS_MAX_AGE_SECONDS: "0", HSTS_INCLUDE_SUBDOMAINS: "true" }))).toBeUndefined();
  expect(() => readHstsConfig({ HSTS_MAX_AGE_SECONDS: "63072001" })).toThrow(/HSTS_MAX_AGE_SECONDS must be a whole number of seconds from 0 to 63072000/);
  expect(() => readHstsConfig({ HSTS_INCLUDE_SUBDOMAINS: "yes" })).toThrow(/HSTS_INCLUDE_SUBDOMAINS must be true or false/);
});
