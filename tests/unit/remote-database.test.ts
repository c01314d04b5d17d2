// The remote database path against a real sqld (tests/support/sqld.ts: JWT auth, its own folder):
// `db:migrate` over HTTP and WebSocket, the start-up errors for a missing, wrong or foreign
// DATABASE_AUTH_TOKEN and an unreachable DATABASE_URL, the deadline on a server that never answers,
// and migrations started from several places at once.
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openClient, REMOTE_REQUEST_TIMEOUT_MS } from "@/db/connection/client";
import { appliedMigrationCount, MIGRATIONS_FOLDER } from "@/db/operations/migrate";
import { passSchemaGate } from "@/db/operations/schema-gate";
import { ROOT } from "../support/server";
import { startSilentDatabase } from "../support/silent-database";
import { startSqld, type RunningSqld } from "../support/sqld";

/** Every migration of this build, each applied exactly once. */
const MIGRATION_COUNT = readdirSync(MIGRATIONS_FOLDER).filter((name) => name.endsWith(".sql")).length;

const run = promisify(execFile);
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
type Failure = { code: number; stdout: string; stderr: string };

/** Runs `npm run db:migrate`'s script with exactly these database settings (none inherited). */
const migrate = (url: string, authToken?: string) =>
  run(TSX, [join(ROOT, "db", "cli", "migrate.ts")], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, DATABASE_AUTH_TOKEN: authToken ?? "" },
  });
const migrateFailure = (url: string, authToken?: string) =>
  migrate(url, authToken).then(
    (success) => ({ code: 0, ...success }) as Failure,
    (error: Failure) => error,
  );

let sqld: RunningSqld;
beforeAll(async () => {
  sqld = await startSqld();
}, 30_000);
afterAll(() => sqld?.remove());

describe("db:migrate on sqld", () => {
  test("applies every migration over HTTP, then is a no-op over HTTP and over WebSocket", async () => {
    expect((await migrate(sqld.httpUrl, sqld.authToken)).stdout).toMatch(new RegExp(`applied ${MIGRATION_COUNT} migrations to http://127\\.0\\.0\\.1:\\d+ \\(${MIGRATION_COUNT} in all\\)`));
    expect((await migrate(sqld.httpUrl, sqld.authToken)).stdout).toMatch(new RegExp(`is up to date \\(${MIGRATION_COUNT} migrations applied\\)`));
    expect((await migrate(sqld.wsUrl, sqld.authToken)).stdout).toMatch(/ws:\/\/127\.0\.0\.1:\d+ is up to date/);
    const client = openClient({ url: sqld.httpUrl, authToken: sqld.authToken });
    try {
      expect(await appliedMigrationCount(client)).toBe(MIGRATION_COUNT);
      const { rows } = await client.execute("SELECT version, total FROM registrant_stats");
      expect(rows.map((row) => ({ ...row }))).toEqual([{ version: 0, total: 0 }]);
    } finally {
      client.close();
    }
  }, 60_000);

  test.each([
    ["missing", "http", undefined, /wants an auth token and DATABASE_AUTH_TOKEN is not set/],
    ["from another server's key", "http", "foreign", /refused DATABASE_AUTH_TOKEN: the token is wrong, expired or signed by another key/],
    ["not a token at all", "http", "not-a-jwt", /refused DATABASE_AUTH_TOKEN/],
    ["missing", "ws", undefined, /wants an auth token and DATABASE_AUTH_TOKEN is not set/],
    ["from another server's key", "ws", "foreign", /refused DATABASE_AUTH_TOKEN/],
  ])("a token %s (over %s) exits 1 with one line naming DATABASE_AUTH_TOKEN, and never prints it", async (_label, transport, token, message) => {
    const authToken = token === "foreign" ? sqld.foreignToken : token;
    const failure = await migrateFailure(transport === "ws" ? sqld.wsUrl : sqld.httpUrl, authToken);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/^db:migrate failed for (http|ws):\/\/127\.0\.0\.1:\d+: /m);
    expect(failure.stderr).toMatch(message);
    expect(failure.stderr).not.toMatch(/\n\s+at /); // a reason, not a stack trace
    if (authToken) expect(failure.stdout + failure.stderr).not.toContain(authToken);
  }, 30_000);

  test.each([["http", "http://127.0.0.1:9"], ["ws", "ws://127.0.0.1:9"]])("an unreachable server (%s) exits 1 naming DATABASE_URL", async (_transport, url) => {
    const failure = await migrateFailure(url, sqld.authToken);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/Could not reach the database server at DATABASE_URL=.*127\.0\.0\.1:9 .*Check DATABASE_URL/);
    expect(failure.stdout + failure.stderr).not.toContain(sqld.authToken);
  }, 30_000);
});

test("a server that accepts the connection and never answers fails the request at the deadline instead of holding it", async () => {
  const silent = await startSilentDatabase();
  const client = openClient({ url: silent.url, authToken: "unused" });
  try {
    const started = Date.now();
    await expect(client.execute("SELECT 1")).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(REMOTE_REQUEST_TIMEOUT_MS + 2_000);
  } finally {
    client.close();
    await silent.close();
  }
}, REMOTE_REQUEST_TIMEOUT_MS + 10_000);

test("three instances migrating one fresh sqld at once all end current, with each migration applied once", async () => {
  const fresh = await startSqld();
  const clients = Array.from({ length: 3 }, () => openClient({ url: fresh.httpUrl, authToken: fresh.authToken }));
  try {
    const gates = await Promise.all(clients.map((client) => passSchemaGate(client, { migrate: true })));
    expect(gates.filter((gate) => gate.status === "migrated")).not.toHaveLength(0);
    expect(gates.every((gate) => gate.status === "migrated" || gate.status === "current")).toBe(true);
    expect(await appliedMigrationCount(clients[0])).toBe(MIGRATION_COUNT);
    const { rows } = await clients[0].execute("SELECT count(*) AS n FROM registrant_stats");
    expect(Number(rows[0].n)).toBe(1);
  } finally {
    for (const client of clients) client.close();
    await fresh.remove();
  }
}, 60_000);
