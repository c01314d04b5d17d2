import { expect, test } from "vitest";
import { BUSY_TIMEOUT_MS } from "@/db/client";
import { readAllowedOrigins, readDatabaseConfig, readServerConfig, readWriterConfig } from "@/lib/config";

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
