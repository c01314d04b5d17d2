// Starts and stops real production servers for the end-to-end and load tests: a free loopback
// port, a migrated temp database, and a process we own by PID (stopped only by PID). They run the
// standalone build exactly as `npm start` and the Docker image do: `node [flags] .next/standalone/start.mjs`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { get } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { openClient, prepareEmbeddedFile } from "../../db/connection/client";
import { applyMigrations } from "../../db/operations/migrate";

export const ROOT = join(import.meta.dirname, "..", "..");
export const STANDALONE = join(ROOT, ".next", "standalone");
/** The production launcher (server/start.ts, bundled): schema check (or MIGRATE_ON_START=1), then our HTTP server in front of Next. */
export const LAUNCHER = join(STANDALONE, "start.mjs");
/** Next's generated server alone, without the schema check, our limits or our shutdown: for a database that breaks after the start. */
export const SERVER_JS = join(STANDALONE, "server.js");

/**
 * The V8 flags `npm start` gives the production server (package.json `start`; docs/performance.md "Memory"), so
 * the servers the tests start are the server operators run. tests/unit/runtime-flags.test.ts holds
 * the image and bench-serve.sh to the same flags.
 */
export const SERVER_NODE_FLAGS: string[] = (() => {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const match = /^exec node ((?:--\S+ )*)\.next\/standalone\/start\.mjs$/.exec(scripts.start);
  if (!match) throw new Error(`package.json "start" is not \`exec node [flags] .next/standalone/start.mjs\`: ${scripts.start}`);
  return match[1].trim().split(" ").filter(Boolean);
})();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** `count` distinct free loopback ports: all probed at once, so no two are the same. */
export async function freePorts(count: number): Promise<number[]> {
  const probes = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    probes.map(
      (probe) =>
        new Promise<number>((resolve, reject) => {
          probe.once("error", reject);
          probe.listen(0, "127.0.0.1", () => resolve((probe.address() as { port: number }).port));
        }),
    ),
  );
  await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  return ports;
}

/** Migrates a database for a test server: a file (WAL mode) or a remote server (sqld) with its token. */
export async function migrateDatabase(url: string, authToken?: string): Promise<void> {
  const client = openClient({ url, authToken });
  try {
    await prepareEmbeddedFile(client, url);
    await applyMigrations(client);
  } finally {
    client.close();
  }
}

type Env = Record<string, string | undefined>;

/** The secret test servers seal session cookies with unless a test says otherwise (production refuses to start without one). */
export const TEST_SESSION_SECRET = "test-servers-session-secret-0123456789abcdef";

/** The token test servers give /api/health's details to (HEALTH_DETAILS_TOKEN); the public answer is the status alone. */
export const TEST_HEALTH_TOKEN = "test-servers-health-details-token-0123456789";

/** GET /api/health as an operator: with the details token. */
export function healthAsOperator(baseUrl: string): Promise<Response> {
  return fetch(`${baseUrl}/api/health`, { headers: { authorization: `Bearer ${TEST_HEALTH_TOKEN}` } });
}

export type RunningServer = { url: string; port: number; process: ChildProcess; log: () => string; stop: () => Promise<void> };

/** Runs `npm run build` (next build, then scripts/assemble-standalone.ts) in the project folder. */
export function buildApp(env: Env = {}): void {
  const { status } = spawnSync("npm", ["run", "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
  });
  if (status !== 0) throw new Error(`npm run build failed (exit ${status})`);
}

/**
 * One GET on a connection of its own that is closed after the answer, so the probe leaves no idle
 * keep-alive connection behind to count against the server's connection cap.
 */
function answersOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = get(url, { agent: false, headers: { connection: "close" } }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    probe.setTimeout(10_000, () => probe.destroy());
    probe.once("error", () => resolve(false)); // not listening yet
  });
}

/**
 * The per-client limits, off: the suite posts from one address (127.0.0.1) on purpose, far faster
 * than any person. tests/e2e/rate-limits.spec.ts runs servers with the production defaults.
 */
export const RATE_LIMITS_OFF = {
  RATE_LIMIT_REGISTER_BURST: "0",
  RATE_LIMIT_CANCEL_BURST: "0",
  RATE_LIMIT_TASKS_BURST: "0",
  RATE_LIMIT_REGISTER_GLOBAL_PER_MINUTE: "0",
  RATE_LIMIT_CONNECTIONS_PER_CLIENT: "0",
} as const;

/** Starts the standalone server (the launcher by default) on a free port and waits until it answers; the limits off unless `env` sets them. */
export async function startServer(env: Env, options: { port?: number; command?: string[]; cwd?: string } = {}): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const args = options.command ?? [LAUNCHER];
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...args], {
    cwd: options.cwd ?? ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production" as const,
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      SESSION_SECRET: TEST_SESSION_SECRET,
      HEALTH_DETAILS_TOKEN: TEST_HEALTH_TOKEN,
      ...RATE_LIMITS_OFF,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    if (await answersOk(`${url}/register`)) return { url, port, process: child, log: () => output, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`server did not answer within 60 s:\n${output}`);
}
