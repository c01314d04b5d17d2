// The production start as the Docker image does it, without Docker: the standalone folder copied
// somewhere else on its own (so nothing can come from this repository's node_modules), then plain
// `node start.mjs` / `node migrate.mjs` / `node healthcheck.mjs` in it, as the Dockerfile's CMD,
// migration command and HEALTHCHECK run them.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { openClient } from "../../db/connection/client";
import { freePort, healthAsOperator, ROOT, STANDALONE, startServer } from "../support/server";
import { isRefused, jsonLines, waitForExit } from "../support/processes";
import { expectedNodeVersion } from "../support/runtime";

test.describe.configure({ mode: "serial" });
const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-image-"));
const app = join(dir, "app"); // the image's /app
const data = join(dir, "data"); // the image's /data volume
test.beforeAll(() => {
  cpSync(STANDALONE, app, { recursive: true });
  mkdirSync(data);
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `node <script>` in the copied folder until it exits; resolves with its code and output. */
async function runToExit(script: string, env: Record<string, string>, timeoutMs = 15_000, args: string[] = []) {
  const child = spawn(process.execPath, [join(app, script), ...args], {
    cwd: app,
    env: { PATH: process.env.PATH, NODE_ENV: "production", HOSTNAME: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exit = await waitForExit(child, timeoutMs);
  return { code: exit.code, output };
}

const imageEnv = (database: string) => ({ PATH: process.env.PATH!, DATABASE_URL: `file:${join(data, database)}` });

test("refuses to serve a database behind this build, says what to run, and exits 1", async () => {
  const port = await freePort();
  const { code, output } = await runToExit("start.mjs", { ...imageEnv("behind.db"), PORT: String(port) });
  expect(code).toBe(1);
  const refusal = jsonLines(output).find((line) => line.event === "start.schema-behind");
  expect(refusal).toMatchObject({ level: "error", pending: expect.arrayContaining([expect.stringMatching(/^0000_/), expect.stringMatching(/^0001_/)]) });
  expect(refusal?.message).toMatch(/npm run db:migrate.*node migrate\.mjs.*MIGRATE_ON_START=1/);
  expect(await isRefused(port)).toBe(true);
});

test("refuses to serve when it cannot reach the database to check it, and exits 1", async () => {
  const { code, output } = await runToExit("start.mjs", { DATABASE_URL: "http://127.0.0.1:9", PORT: String(await freePort()) });
  expect(code).toBe(1);
  expect(jsonLines(output)).toContainEqual(expect.objectContaining({ event: "start.failed", message: expect.stringMatching(/Not serving/) }));
});

test("MIGRATE_ON_START=1 migrates a fresh database before serving; the healthcheck passes", async () => {
  const started = Date.now();
  const server = await startServer({ ...imageEnv("fresh.db"), MIGRATE_ON_START: "1" }, { command: [join(app, "start.mjs")], cwd: app });
  try {
    const response = await healthAsOperator(server.url);
    test.info().annotations.push({ type: "startup", description: `launcher to first answer: ${Date.now() - started} ms` });
    expect(await response.json()).toMatchObject({ status: "ok", db: "ok", node: expectedNodeVersion(), writer: "ok" });
    expect(jsonLines(server.log())).toContainEqual(expect.objectContaining({ event: "start.migrated", applied: [expect.stringMatching(/^0000_/), expect.stringMatching(/^0001_/), expect.stringMatching(/^0002_/)] }));
    const check = await runToExit("healthcheck.mjs", { PORT: String(server.port) });
    expect(check.code).toBe(0);
  } finally {
    await server.stop();
  }
});

test("migrate.mjs is db:migrate without the source; the launcher then serves what it migrated", async () => {
  const migrated = await runToExit("migrate.mjs", imageEnv("upgraded.db"));
  expect(migrated).toMatchObject({ code: 0, output: expect.stringMatching(/db:migrate: applied \d+ migrations? to .*upgraded\.db/) });
  const server = await startServer(imageEnv("upgraded.db"), { command: [join(app, "start.mjs")], cwd: app });
  try {
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(jsonLines(server.log())).toContainEqual(expect.objectContaining({ event: "start.schema-current" }));
  } finally {
    await server.stop();
  }
});

test("a relative DATABASE_URL means the folder the server was started from, not the standalone folder", async () => {
  const server = await startServer(
    { PATH: process.env.PATH!, DATABASE_URL: "file:./data/relative.db", MIGRATE_ON_START: "1" },
    { command: [join(app, "start.mjs")], cwd: dir },
  );
  try {
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(existsSync(join(data, "relative.db"))).toBe(true);
    expect(existsSync(join(app, "data"))).toBe(false);
  } finally {
    await server.stop();
  }
});

test("the Dockerfile runs exactly these files: its build script, CMD, HEALTHCHECK and migration command", () => {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
  expect(dockerfile).toMatch(/^RUN npm run build$/m);
  expect(dockerfile).toMatch(/^COPY --from=build --chown=node:node \/src\/\.next\/standalone \.\/$/m);
  expect(dockerfile).toMatch(/^CMD \["node", "--max-old-space-size=\d+", "--max-semi-space-size=\d+", "start\.mjs"\]$/m); // same flags as npm start: tests/unit/runtime-flags.test.ts
  expect(dockerfile).toMatch(/^HEALTHCHECK .* CMD \["node", "healthcheck\.mjs"\]$/m);
  expect(dockerfile).toMatch(/^USER node$/m);
  expect(dockerfile).toMatch(/node registrants\.mjs list/); // documented beside the migration command
  for (const file of ["start.mjs", "healthcheck.mjs", "migrate.mjs", "registrants.mjs", "server.js", "migrations/meta/_journal.json"]) {
    expect(existsSync(join(STANDALONE, file)), file).toBe(true);
  }
});

test("the image's registrants.mjs lists, exports and removes registrants, as npm run db:registrants does", async () => {
  const env = imageEnv("operator.db");
  expect((await runToExit("migrate.mjs", env)).code).toBe(0);
  const writer = openClient({ url: env.DATABASE_URL });
  await writer.execute("INSERT INTO registrants (name, email) VALUES ('Erase Me', 'erase-me@example.com'), ('Keep Me', 'keep-me@example.com')");
  writer.close();
  const list = await runToExit("registrants.mjs", env, 15_000, ["list"]);
  expect(list.code, list.output).toBe(0);
  expect(list.output).toMatch(/page 1 of 1 \(2 registrants/);
  const exported = await runToExit("registrants.mjs", env, 15_000, ["export", "--format", "json", "--out", join(data, "operator.json")]);
  expect(exported.code, exported.output).toBe(0);
  expect(JSON.parse(readFileSync(join(data, "operator.json"), "utf8"))).toHaveLength(2);
  const removed = await runToExit("registrants.mjs", env, 15_000, ["remove", "erase-me@example.com"]);
  expect(removed.code, removed.output).toBe(0);
  expect(removed.output).toContain("removed registrant 1 (Erase Me <erase-me@example.com>");
  expect((await runToExit("registrants.mjs", env, 15_000, ["remove", "erase-me@example.com"])).code).toBe(1);
});

test("the backup of docs/operations.md, with the image's own driver, taken while the server runs, holds the commits still in the WAL", async () => {
  const file = join(data, "backed-up.db");
  expect((await runToExit("migrate.mjs", imageEnv("backed-up.db"))).code).toBe(0);
  const server = await startServer(imageEnv("backed-up.db"), { command: [join(app, "start.mjs")], cwd: app });
  try {
    const writer = openClient({ url: `file:${file}` });
    await writer.execute("INSERT INTO registrants (name, email) VALUES ('Backed Up', 'backed-up@example.com')");
    writer.close();
    expect(statSync(`${file}-wal`).size, "the new row is in the write-ahead log").toBeGreaterThan(0);

    const backup = join(data, "backup.db");
    const snippet = `import("@libsql/client").then(async ({ createClient }) => {
      const db = createClient({ url: "file:${file}" });
      await db.execute("VACUUM INTO ?", ["${backup}"]); db.close() })`;
    const copy = spawnSync(process.execPath, ["-e", snippet], { cwd: app, encoding: "utf8" });
    expect(copy.status, copy.stderr).toBe(0);

    const restored = openClient({ url: `file:${backup}` });
    const { rows } = await restored.execute("SELECT name FROM registrants");
    restored.close();
    expect(rows.map((row) => row.name)).toEqual(["Backed Up"]);
  } finally {
    await server.stop();
  }
});
