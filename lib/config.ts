// Every environment variable the app and its CLIs read, with its default and its error message,
// validated once. next.config.ts, drizzle.config.ts and the db/ CLIs import this, so a bad value
// fails the build or the command, not a visitor's request.
import { isIP } from "node:net";
import { z } from "zod";

type Env = Record<string, string | undefined>;

/** A variable's value trimmed; blank (empty or white space only) is unset, so its default applies. */
function setting(value: string | undefined): string | undefined {
  return value?.trim() || undefined;
}

/** Parses `values` (each read through `setting`, so no reader can forget it); throws "Invalid <what>: VARIABLE: message". */
function parseVariables<Schema extends z.ZodObject>(schema: Schema, values: Env, what: string): z.output<Schema> {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(values).map(([name, value]) => [name, setting(value)])));
  if (!parsed.success) throw new Error(`Invalid ${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
}

/**
 * A whole number read from the environment, within [min, max]; any mistake gets one message naming
 * the variable. Plain decimal digits only: z.coerce alone reads "0x1F40", "8e3", "1.0" and "+5" as numbers.
 */
function wholeNumber(name: string, unit: string, min: number, max: number, why = "") {
  const message = `${name} must be a whole number${unit ? ` of ${unit}` : ""} from ${min} to ${max}${why}`;
  return z
    .string({ message })
    .regex(/^\d+$/, { message })
    .pipe(z.coerce.number<string>({ message }).int({ message }).min(min, { message }).max(max, { message }));
}

const databaseSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .default("file:./data/lecture.db")
    .refine((url) => /^(file|libsql|https?|wss?):/.test(url), {
      message: "DATABASE_URL must be a libSQL URL: file:path, libsql://host, http(s)://host or ws(s)://host",
    }),
  DATABASE_AUTH_TOKEN: z.string().trim().min(1).optional(),
  // Embedded replica: DATABASE_URL is the local replica file, this is the primary (sqld, Turso).
  DATABASE_SYNC_URL: z
    .string()
    .trim()
    .min(1)
    .refine((url) => /^(libsql|https?|wss?):/.test(url), {
      message: "DATABASE_SYNC_URL must be the primary's URL: libsql://host, http(s)://host or ws(s)://host",
    })
    .optional(),
}).refine((config) => !config.DATABASE_SYNC_URL || config.DATABASE_URL.startsWith("file:"), {
  message: "with DATABASE_SYNC_URL set, DATABASE_URL must be the local replica's file (file:path)",
  path: ["DATABASE_URL"],
});

/** `syncUrl`: the primary of an embedded replica (DATABASE_SYNC_URL); `url` is then the local replica file. */
export type DatabaseConfig = { url: string; authToken?: string; syncUrl?: string };

/** Reads the database settings from `env` (process.env by default); throws a readable error. */
export function readDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const { DATABASE_URL: url, DATABASE_AUTH_TOKEN: authToken, DATABASE_SYNC_URL: syncUrl } = parseVariables(
    databaseSchema,
    { DATABASE_URL: env.DATABASE_URL, DATABASE_AUTH_TOKEN: env.DATABASE_AUTH_TOKEN, DATABASE_SYNC_URL: env.DATABASE_SYNC_URL },
    "database configuration",
  );
  return syncUrl ? { url, authToken, syncUrl } : { url, authToken };
}

/**
 * Where writes and migrations go: the primary of an embedded replica, else the database itself.
 * A replica file is written only by its sync; the commit thread and the migrations talk to the primary.
 */
export function primaryDatabaseOf({ url, authToken, syncUrl }: DatabaseConfig): DatabaseConfig {
  return { url: syncUrl ?? url, authToken };
}

/** Whether reads of this configuration cross the network (sqld, Turso), as opposed to a local file or replica. */
export function isRemoteRead({ url }: DatabaseConfig): boolean {
  return !url.startsWith("file:");
}

export type FreshnessConfig = {
  /** How long one read of the list's version may be shared on a remote database (0: read it for every request). Which topology gets what: db/list-version. */
  listFreshnessWindowMs: number;
  /** How often an embedded replica pulls from its primary (and retries after a failed pull). */
  replicaSyncIntervalMs: number;
};

const freshnessSchema = z.object({
  LIST_FRESHNESS_WINDOW_MS: wholeNumber("LIST_FRESHNESS_WINDOW_MS", "milliseconds", 0, 60_000).default(1_000),
  DATABASE_SYNC_INTERVAL_MS: wholeNumber("DATABASE_SYNC_INTERVAL_MS", "milliseconds", 50, 600_000).default(1_000),
});

/** Reads how fresh the registrants list is promised to be on other instances (docs/operations.md "Topologies"). */
export function readFreshnessConfig(env: Env = process.env): FreshnessConfig {
  const { LIST_FRESHNESS_WINDOW_MS, DATABASE_SYNC_INTERVAL_MS } = parseVariables(
    freshnessSchema,
    { LIST_FRESHNESS_WINDOW_MS: env.LIST_FRESHNESS_WINDOW_MS, DATABASE_SYNC_INTERVAL_MS: env.DATABASE_SYNC_INTERVAL_MS },
    "freshness configuration",
  );
  return { listFreshnessWindowMs: LIST_FRESHNESS_WINDOW_MS, replicaSyncIntervalMs: DATABASE_SYNC_INTERVAL_MS };
}

/** The shortest secret iron-session accepts (and that `openssl rand -base64 32` comfortably beats). */
export const SESSION_SECRET_MIN_LENGTH = 32;

export const SECRET_HELP = "Generate one with `openssl rand -base64 32` and set SESSION_SECRET to it.";

export type SessionConfig = {
  /** Every configured secret, newest first; empty when SESSION_SECRET is unset. */
  secrets: string[];
  /** Whether the session cookie carries `Secure` (sent over HTTPS only). */
  secureCookie: boolean;
};

const booleanFlag = z.enum(["true", "false", "1", "0"]).transform((flag) => flag === "true" || flag === "1");

/**
 * Reads the session settings. SESSION_SECRET holds one secret, or several separated by commas or
 * white space, newest first (rotation: new cookies are sealed with the first, older ones are still
 * read). SESSION_COOKIE_SECURE defaults to on in production and off in development, where the site
 * is plain http://localhost.
 */
export function readSessionConfig(env: Env = process.env): SessionConfig {
  const secrets = (setting(env.SESSION_SECRET) ?? "").split(/[\s,]+/).filter(Boolean);
  const short = secrets.findIndex((secret) => secret.length < SESSION_SECRET_MIN_LENGTH);
  if (short >= 0) {
    const which = secrets.length > 1 ? `secret number ${short + 1} in SESSION_SECRET` : "SESSION_SECRET";
    throw new Error(`Invalid session configuration: ${which} is shorter than ${SESSION_SECRET_MIN_LENGTH} characters. ${SECRET_HELP}`);
  }
  const secureFlag = setting(env.SESSION_COOKIE_SECURE);
  if (secureFlag === undefined) return { secrets, secureCookie: setting(env.NODE_ENV) === "production" };
  const secure = booleanFlag.safeParse(secureFlag.toLowerCase());
  if (!secure.success) throw new Error("Invalid session configuration: SESSION_COOKIE_SECURE must be true or false.");
  return { secrets, secureCookie: secure.data };
}

const hstsSchema = z.object({
  // Two years at most: each visit over HTTPS renews it, so a longer one buys nothing.
  HSTS_MAX_AGE_SECONDS: wholeNumber("HSTS_MAX_AGE_SECONDS", "seconds", 0, 63_072_000, " (0 turns Strict-Transport-Security off)").default(63_072_000),
  HSTS_INCLUDE_SUBDOMAINS: z
    .string()
    .transform((flag) => flag.toLowerCase())
    .pipe(z.enum(["true", "false", "1", "0"], { message: "HSTS_INCLUDE_SUBDOMAINS must be true or false" }))
    .transform((flag) => flag === "true" || flag === "1")
    .default(false),
});

export type HstsConfig = { maxAgeSeconds: number; includeSubDomains: boolean };

/**
 * The Strict-Transport-Security the production server sends on every answer (server/serve.ts):
 * browsers then use only HTTPS for this host for max-age seconds. On by default; `next dev` never
 * sends it. includeSubDomains only when set: it binds every subdomain, whoever runs it.
 */
export function readHstsConfig(env: Env = process.env): HstsConfig {
  const { HSTS_MAX_AGE_SECONDS, HSTS_INCLUDE_SUBDOMAINS } = parseVariables(
    hstsSchema,
    { HSTS_MAX_AGE_SECONDS: env.HSTS_MAX_AGE_SECONDS, HSTS_INCLUDE_SUBDOMAINS: env.HSTS_INCLUDE_SUBDOMAINS },
    "security header configuration",
  );
  return { maxAgeSeconds: HSTS_MAX_AGE_SECONDS, includeSubDomains: HSTS_INCLUDE_SUBDOMAINS };
}

// A host as a browser puts it in the Origin header (name or IPv4, optional port), where a leading
// `*.` label matches one subdomain level and `**.` any depth, as Next's own allowedOrigins do.
const ORIGIN_PATTERN = /^(\*{1,2}\.)?([a-z0-9-]+\.)*[a-z0-9-]+(:\d{1,5})?$/i;

const allowedOriginsSchema = z
  .string()
  .optional()
  .transform((value) => (value ?? "").split(",").map((entry) => entry.trim().toLowerCase()).filter(Boolean))
  .pipe(
    z.array(
      z.string().regex(ORIGIN_PATTERN, {
        message:
          "SERVER_ACTIONS_ALLOWED_ORIGINS must be a comma-separated list of hosts without a scheme, like app.example.com or *.example.com:8443",
      }),
    ),
  );

/**
 * Hosts, besides the one a request is addressed to, whose pages may post forms to this app:
 * needed behind a proxy that changes the Host header. Read for Next's own check (next.config.ts,
 * server/next-handler.ts) and for ours, which answers a clean 403 first (server/edge-guard.ts, proxy.ts).
 */
export function readAllowedOrigins(env: Env = process.env): string[] {
  const parsed = allowedOriginsSchema.safeParse(setting(env.SERVER_ACTIONS_ALLOWED_ORIGINS));
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`);
  }
  return parsed.data;
}

const serverSchema = z.object({
  MIGRATE_ON_START: z
    .enum(["0", "1"], { message: "MIGRATE_ON_START must be 1 (apply pending migrations before serving) or 0" })
    .default("0"),
  // Below Docker's 10 s stop grace period, so the server finishes on its own terms before SIGKILL.
  SHUTDOWN_TIMEOUT_MS: wholeNumber("SHUTDOWN_TIMEOUT_MS", "milliseconds", 0, 600_000).default(8_000),
});

export type ServerConfig = { migrateOnStart: boolean; shutdownTimeoutMs: number };

/** Reads how the production server starts and stops (server/start.ts, server/shutdown.ts). */
export function readServerConfig(env: Env = process.env): ServerConfig {
  const { MIGRATE_ON_START, SHUTDOWN_TIMEOUT_MS } = parseVariables(
    serverSchema,
    { MIGRATE_ON_START: env.MIGRATE_ON_START, SHUTDOWN_TIMEOUT_MS: env.SHUTDOWN_TIMEOUT_MS },
    "server configuration",
  );
  return { migrateOnStart: MIGRATE_ON_START === "1", shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS };
}

// What server.listen takes: a host name (letters, digits, -, _, dots) or an IPv4 or bare IPv6
// literal; never a scheme, port, path or white space.
const HOST_NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i;
const IPV6_LITERAL = /^[0-9a-f.]*:[0-9a-f.]*:[0-9a-f:.]*$/i; // at least two colons: "::", "::1", "fe80::1"

/** A host name or IP literal to listen on, read from `name`; one message names the variable. */
function listenHostname(name: string, fallback: string) {
  const message = `${name} must be a host name or IP address to listen on, like 0.0.0.0, ::, 127.0.0.1 or app.internal (no scheme, port or path)`;
  return z
    .string()
    .max(253, { message })
    .refine((host) => HOST_NAME.test(host) || IPV6_LITERAL.test(host), { message })
    .default(fallback);
}

const listenSchema = z.object({
  // Not 0: the system would pick a port that Next's own origin and the start.listening line never learn.
  PORT: wholeNumber("PORT", "", 1, 65_535).default(3_000),
  HOSTNAME: listenHostname("HOSTNAME", "0.0.0.0"),
});

/** Where the production server listens (server/serve.ts): PORT (3000) on HOSTNAME (0.0.0.0, every IPv4 interface). */
export function readListenConfig(env: Env = process.env): { port: number; hostname: string } {
  const { PORT: port, HOSTNAME: hostname } = parseVariables(listenSchema, { PORT: env.PORT, HOSTNAME: env.HOSTNAME }, "server configuration");
  return { port, hostname };
}

const documentCacheSchema = z.object({
  DOCUMENT_CACHE_MAX_BYTES: wholeNumber("DOCUMENT_CACHE_MAX_BYTES", "bytes", 0, 1024 * 1024 * 1024, " (0 turns the list's document cache off)").default(
    32 * 1024 * 1024,
  ),
});

/** How much memory the list's document cache (server/document-cache.ts) may hold: its bodies, gzipped copies and headers. 0 = off. */
export function readDocumentCacheConfig(env: Env = process.env): { maxBytes: number } {
  const { DOCUMENT_CACHE_MAX_BYTES } = parseVariables(
    documentCacheSchema,
    { DOCUMENT_CACHE_MAX_BYTES: env.DOCUMENT_CACHE_MAX_BYTES },
    "document cache configuration",
  );
  return { maxBytes: DOCUMENT_CACHE_MAX_BYTES };
}

const httpLimitsSchema = z
  .object({
    // Browsers send their headers in one packet; only a stalling client (slowloris) needs longer.
    HTTP_HEADERS_TIMEOUT_MS: wholeNumber("HTTP_HEADERS_TIMEOUT_MS", "milliseconds", 100, 600_000).default(10_000),
    // The whole request, body included: the largest form (1 MB, the Server Action limit) over a slow line.
    HTTP_REQUEST_TIMEOUT_MS: wholeNumber("HTTP_REQUEST_TIMEOUT_MS", "milliseconds", 100, 3_600_000).default(30_000),
    // Next's own name for it (its server.js reads it too). 0 would mean never close an idle connection.
    KEEP_ALIVE_TIMEOUT: wholeNumber("KEEP_ALIVE_TIMEOUT", "milliseconds", 100, 3_600_000).default(5_000),
    // Each open connection costs memory and a file descriptor, idle or not.
    HTTP_MAX_CONNECTIONS: wholeNumber("HTTP_MAX_CONNECTIONS", "connections", 1, 1_000_000).default(1_024),
    // Node's default; room for the Tasks cookie (at most 4 KB) and a proxy's forwarding headers.
    HTTP_MAX_HEADER_BYTES: wholeNumber("HTTP_MAX_HEADER_BYTES", "bytes", 4_096, 1_048_576, " (the Tasks cookie alone can take 4 KB)").default(16_384),
  })
  .refine((limits) => limits.HTTP_HEADERS_TIMEOUT_MS <= limits.HTTP_REQUEST_TIMEOUT_MS, {
    message: "HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)",
    path: ["HTTP_HEADERS_TIMEOUT_MS"],
  });

export type HttpLimits = {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  maxHeaderBytes: number;
};

/** Reads the production server's HTTP limits (server/http-server.ts); throws naming the variable. */
export function readHttpLimits(env: Env = process.env): HttpLimits {
  const limits = parseVariables(
    httpLimitsSchema,
    {
      HTTP_HEADERS_TIMEOUT_MS: env.HTTP_HEADERS_TIMEOUT_MS,
      HTTP_REQUEST_TIMEOUT_MS: env.HTTP_REQUEST_TIMEOUT_MS,
      KEEP_ALIVE_TIMEOUT: env.KEEP_ALIVE_TIMEOUT,
      HTTP_MAX_CONNECTIONS: env.HTTP_MAX_CONNECTIONS,
      HTTP_MAX_HEADER_BYTES: env.HTTP_MAX_HEADER_BYTES,
    },
    "server configuration",
  );
  return {
    headersTimeoutMs: limits.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: limits.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: limits.KEEP_ALIVE_TIMEOUT,
    maxConnections: limits.HTTP_MAX_CONNECTIONS,
    maxHeaderBytes: limits.HTTP_MAX_HEADER_BYTES,
  };
}

const writerSchema = z.object({
  // From queueing to answer, the whole path: longer than the 5 s busy timeout (db/connection/client.ts) and
  // sqld's hand-over of a dead instance's lock, so a commit that waited its turn is not cut short;
  // short enough that a visitor is answered within 12 s (docs/decisions/frozen-database-link.md).
  REGISTRATION_COMMIT_TIMEOUT_MS: wholeNumber(
    "REGISTRATION_COMMIT_TIMEOUT_MS",
    "milliseconds",
    6_000,
    600_000,
    " (longer than the 5 s busy timeout)",
  ).default(9_000),
  REGISTRATION_QUEUE_LIMIT: wholeNumber("REGISTRATION_QUEUE_LIMIT", "registrations", 1, 100_000).default(1_024),
  REGISTRATION_FAULT_FILE: z.string().trim().min(1).optional(),
});

export type WriterConfig = {
  /** How long a registration may take from queueing to its answer (its commit, starting a thread included); a thread still holding it then is replaced. */
  commitTimeoutMs: number;
  /** How many registrations may wait for a commit; more are refused at once. */
  queueLimit: number;
  /** Test-only fault injection (tests/support/writer-faults.ts): the commit thread obeys this file. Unset: no faults, ever. */
  faultFile?: string;
};

/** Reads how registrations are committed (db/writer/index.ts, db/writer/commit-thread-supervisor.ts). */
export function readWriterConfig(env: Env = process.env): WriterConfig {
  const writer = parseVariables(
    writerSchema,
    {
      REGISTRATION_COMMIT_TIMEOUT_MS: env.REGISTRATION_COMMIT_TIMEOUT_MS,
      REGISTRATION_QUEUE_LIMIT: env.REGISTRATION_QUEUE_LIMIT,
      REGISTRATION_FAULT_FILE: env.REGISTRATION_FAULT_FILE,
    },
    "registration writer configuration",
  );
  return {
    commitTimeoutMs: writer.REGISTRATION_COMMIT_TIMEOUT_MS,
    queueLimit: writer.REGISTRATION_QUEUE_LIMIT,
    faultFile: writer.REGISTRATION_FAULT_FILE,
  };
}

/** The shortest HEALTH_DETAILS_TOKEN accepted: as hard to guess as a session secret. */
export const HEALTH_DETAILS_TOKEN_MIN_LENGTH = 32;

/** An optional bearer token read from `name`: long enough not to be guessed, and fit for an Authorization header. */
function bearerToken(name: string) {
  return z
    .string()
    .min(HEALTH_DETAILS_TOKEN_MIN_LENGTH, {
      message: `${name} must be at least ${HEALTH_DETAILS_TOKEN_MIN_LENGTH} characters (generate one with \`openssl rand -base64 32\`)`,
    })
    .regex(/^[\x21-\x7e]+$/, { message: `${name} must be printable ASCII without spaces (it travels in an Authorization header)` })
    .optional();
}

const healthSchema = z.object({ HEALTH_DETAILS_TOKEN: bearerToken("HEALTH_DETAILS_TOKEN") });

/**
 * Who may see /api/health's details (runtime, writer, link, replica): a request with
 * `Authorization: Bearer <HEALTH_DETAILS_TOKEN>`. Unset: nobody; everyone gets the status alone.
 */
export function readHealthConfig(env: Env = process.env): { detailsToken?: string } {
  const { HEALTH_DETAILS_TOKEN: detailsToken } = parseVariables(healthSchema, { HEALTH_DETAILS_TOKEN: env.HEALTH_DETAILS_TOKEN }, "health configuration");
  return detailsToken ? { detailsToken } : {};
}

// The operators' port (server/operator-port.ts): Prometheus metrics and the detailed health, on a
// listener of its own that visitors cannot reach. Off unless METRICS_PORT is set; loopback unless
// METRICS_HOSTNAME says otherwise; METRICS_TOKEN, when set, is asked of every request.
const metricsSchema = z.object({
  METRICS_PORT: wholeNumber("METRICS_PORT", "", 1, 65_535).optional(),
  METRICS_HOSTNAME: listenHostname("METRICS_HOSTNAME", "127.0.0.1"),
  METRICS_TOKEN: bearerToken("METRICS_TOKEN"),
});

export type MetricsConfig = { port: number; hostname: string; token?: string } | null;

/** The operators' port, or null when METRICS_PORT is unset (no listener, and nothing is recorded). */
export function readMetricsConfig(env: Env = process.env): MetricsConfig {
  const values = { METRICS_PORT: env.METRICS_PORT, METRICS_HOSTNAME: env.METRICS_HOSTNAME, METRICS_TOKEN: env.METRICS_TOKEN };
  const { METRICS_PORT: port, METRICS_HOSTNAME: hostname, METRICS_TOKEN: token } = parseVariables(metricsSchema, values, "metrics configuration");
  if (port === undefined) return null;
  return token ? { port, hostname, token } : { port, hostname };
}

// Per-client budgets for posts (server/rate-limits.ts), as token buckets: a client may post BURST at
// once and PER_MINUTE more a minute after that. The defaults let a lecture hall of a hundred students
// behind one NAT address register within a minute, and stop a script posting hundreds a second from
// one address within its first second (docs/decisions/rate-limits.md). 0 turns a limit off.
const rateLimitSchema = z.object({
  RATE_LIMIT_REGISTER_BURST: wholeNumber("RATE_LIMIT_REGISTER_BURST", "registrations", 0, 1_000_000).default(30),
  RATE_LIMIT_REGISTER_PER_MINUTE: wholeNumber("RATE_LIMIT_REGISTER_PER_MINUTE", "registrations", 0, 1_000_000).default(120),
  RATE_LIMIT_CANCEL_BURST: wholeNumber("RATE_LIMIT_CANCEL_BURST", "cancels", 0, 1_000_000).default(10),
  RATE_LIMIT_CANCEL_PER_MINUTE: wholeNumber("RATE_LIMIT_CANCEL_PER_MINUTE", "cancels", 0, 1_000_000).default(30),
  RATE_LIMIT_TASKS_BURST: wholeNumber("RATE_LIMIT_TASKS_BURST", "task changes", 0, 1_000_000).default(60),
  RATE_LIMIT_TASKS_PER_MINUTE: wholeNumber("RATE_LIMIT_TASKS_PER_MINUTE", "task changes", 0, 1_000_000).default(600),
  // The second line, for a flood spread over many addresses: all clients together.
  RATE_LIMIT_REGISTER_GLOBAL_PER_MINUTE: wholeNumber("RATE_LIMIT_REGISTER_GLOBAL_PER_MINUTE", "registrations", 0, 10_000_000).default(1_200),
  RATE_LIMIT_CONNECTIONS_PER_CLIENT: wholeNumber("RATE_LIMIT_CONNECTIONS_PER_CLIENT", "connections", 0, 1_000_000).default(128),
  // How many clients' budgets are remembered (least recently seen forgotten first): the limiter's memory bound.
  RATE_LIMIT_CLIENTS: wholeNumber("RATE_LIMIT_CLIENTS", "clients", 1, 10_000_000).default(50_000),
});

export type Budget = { burst: number; perMinute: number };
export type RateLimitConfig = {
  /** Per client; a budget with `burst` 0 or `perMinute` 0 is off. */
  register: Budget;
  cancel: Budget;
  tasks: Budget;
  /** All clients' registrations together; 0 is off. Its burst is a tenth of a minute's worth. */
  registerGlobalPerMinute: number;
  /** Open connections per client (not counting trusted proxies); 0 is off. */
  connectionsPerClient: number;
  /** How many clients' budgets are kept in memory. */
  clientsTracked: number;
};

/** Reads the per-client limits (server/rate-limits.ts); throws naming the variable. */
export function readRateLimitConfig(env: Env = process.env): RateLimitConfig {
  const names = Object.keys(rateLimitSchema.shape) as (keyof typeof rateLimitSchema.shape)[];
  const limits = parseVariables(rateLimitSchema, Object.fromEntries(names.map((name) => [name, env[name]])), "rate limit configuration");
  return {
    register: { burst: limits.RATE_LIMIT_REGISTER_BURST, perMinute: limits.RATE_LIMIT_REGISTER_PER_MINUTE },
    cancel: { burst: limits.RATE_LIMIT_CANCEL_BURST, perMinute: limits.RATE_LIMIT_CANCEL_PER_MINUTE },
    tasks: { burst: limits.RATE_LIMIT_TASKS_BURST, perMinute: limits.RATE_LIMIT_TASKS_PER_MINUTE },
    registerGlobalPerMinute: limits.RATE_LIMIT_REGISTER_GLOBAL_PER_MINUTE,
    connectionsPerClient: limits.RATE_LIMIT_CONNECTIONS_PER_CLIENT,
    clientsTracked: limits.RATE_LIMIT_CLIENTS,
  };
}

// Only a peer named here may say who the client is (X-Forwarded-For, -Proto, -Host); anyone else's
// forwarding headers are dropped at the door (lib/http/client-address.ts).
const trustedProxiesSchema = z.object({
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((value, context) => {
      const entries = (value ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
      const bad = entries.find((entry) => !isAddressOrCidr(entry));
      if (bad !== undefined) {
        context.addIssue({ code: "custom", message: `TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges (such as 10.0.0.0/8 or fd00::/8); "${bad}" is neither` });
        return z.NEVER;
      }
      return entries;
    }),
});

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** The proxies whose forwarding headers are believed, as addresses or CIDR ranges (empty: none). */
export function readTrustedProxies(env: Env = process.env): string[] {
  return parseVariables(trustedProxiesSchema, { TRUSTED_PROXIES: env.TRUSTED_PROXIES }, "proxy configuration").TRUSTED_PROXIES;
}
