// GET /api/health, as a load balancer and the image's HEALTHCHECK (healthcheck.mjs) use it: 200
// when the database answers, 503 quickly when it does not, never cached, no session needed.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { jsonLines } from "../support/processes";
import { expectedNodeVersion } from "../support/runtime";
import { healthAsOperator, STANDALONE, TEST_HEALTH_TOKEN } from "../support/server";
import { startSilentDatabase } from "../support/silent-database";
import { withOwnServer } from "./own-server";

test.describe.configure({ mode: "serial" });
/** The registration writer of a server nobody has registered on yet (tests/e2e/writer-faults.spec.ts covers the rest). */
const IDLE_WRITER = { writer: "ok", writerQueue: 0, writerCommitting: 0, writerRestarts: 0 };
const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-health-"));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = promisify(execFile);
/** Runs the image's HEALTHCHECK command against a port; resolves with its exit code. */
const healthcheck = (port: string) =>
  run(process.execPath, [join(STANDALONE, "healthcheck.mjs")], { env: { ...process.env, PORT: port } }).then(
    () => 0,
    (error: { code: number }) => error.code,
  );

test("a healthy server answers 200 ok, uncached, and the image's healthcheck passes; only an operator's token gets the details", async ({ request, baseURL }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok" }); // no runtime, queue or restarts for anyone to read
  for (const authorization of [`Bearer ${TEST_HEALTH_TOKEN}x`, `Bearer ${TEST_HEALTH_TOKEN.slice(1)}`, TEST_HEALTH_TOKEN, "Bearer "]) {
    expect(await (await request.get("/api/health", { headers: { authorization } })).json()).toEqual({ status: "ok" });
  }
  const asOperator = await healthAsOperator(baseURL!);
  expect(asOperator.status).toBe(200);
  expect(await asOperator.json()).toEqual({
    status: "ok",
    db: "ok",
    node: expectedNodeVersion(),
    writer: "ok",
    writerQueue: expect.any(Number),
    writerCommitting: expect.any(Number),
    writerRestarts: expect.any(Number),
    // What the launcher's per-client limits refused so far (server/rate-limits.ts).
    rateLimits: { clients: expect.any(Number), refused: { register: expect.any(Number), cancel: expect.any(Number), tasks: expect.any(Number), everyone: expect.any(Number) } },
  });
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(response.headers()["set-cookie"]).toBeUndefined();
  expect(await healthcheck(new URL(baseURL!).port)).toBe(0);
});

test.describe("with an unreachable database", () => {
  const server = withOwnServer(() => "http://127.0.0.1:9", { bare: true });

  test("answers 503 unavailable, logs why, and the image's healthcheck fails", async ({ request }) => {
    const response = await request.get(server.url("/api/health"));
    expect(response.status()).toBe(503);
    expect(await response.json()).toEqual({ status: "error" });
    expect(response.headers()["cache-control"]).toBe("no-store");
    const asOperator = await healthAsOperator(server.url(""));
    expect(await asOperator.json()).toEqual({ status: "error", db: "unavailable", node: expectedNodeVersion(), ...IDLE_WRITER, link: "down", linkDownForMs: expect.any(Number) });
    expect(jsonLines(server.log())).toContainEqual(expect.objectContaining({ event: "health.failed", reason: "unavailable" }));
    expect(await healthcheck(new URL(server.url()).port)).toBe(1);
  });
});

test.describe("with a database that never answers", () => {
  const silent: { url?: string; close?: () => Promise<void> } = {};
  test.beforeAll(async () => Object.assign(silent, await startSilentDatabase()));
  const server = withOwnServer(() => silent.url!, { bare: true });
  test.afterAll(async () => silent.close?.());

  test("answers 503 within two seconds instead of hanging", async ({ request }) => {
    const started = Date.now();
    const response = await request.get(server.url("/api/health"), { timeout: 10_000 });
    const elapsed = Date.now() - started;
    expect(response.status()).toBe(503);
    expect(elapsed).toBeLessThan(2_500);
    expect(jsonLines(server.log())).toContainEqual(expect.objectContaining({ event: "health.failed", reason: "timeout" }));
  });

  test("the list page answers its 503 page too, instead of hanging", async ({ request }) => {
    const response = await request.get(server.url("/"), { timeout: 10_000 });
    expect(response.status()).toBe(503);
    expect(await response.text()).toContain("Temporarily unavailable");
  });
});

test.describe("with a database that was never migrated", () => {
  const server = withOwnServer(() => `file:${join(dir, "unmigrated.db")}`, { bare: true });

  test("answers 503: a server without its tables is not ready for visitors", async ({ request }) => {
    const response = await request.get(server.url("/api/health"));
    expect(response.status()).toBe(503);
    expect(jsonLines(server.log())).toContainEqual(expect.objectContaining({ event: "health.failed", reason: "schema-missing" }));
  });
});
