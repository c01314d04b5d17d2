// Starts and stops real production Next servers for the end-to-end and load tests: a free
// loopback port, a migrated temp database, and a process we own by PID (stopped only by PID).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { openClient } from "../../db/client";
import { applyMigrations } from "../../db/migrate";

export const ROOT = join(import.meta.dirname, "..", "..");
const NEXT_BIN = join(ROOT, "node_modules", "next", "dist", "bin", "next");
/** The production entry (`npm start`): Next behind the list's document cache. */
const SERVER_ENTRY = join(ROOT, "server.mjs");

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

export async function migrateDatabase(url: string): Promise<void> {
  const client = openClient({ url });
  try {
    await client.execute("PRAGMA journal_mode = WAL");
    await applyMigrations(client);
  } finally {
    client.close();
  }
}

type Env = Record<string, string | undefined>;

export type RunningServer = { url: string; port: number; process: ChildProcess; log: () => string; stop: () => Promise<void> };

/** Runs `next build` in the project folder. */
export function buildApp(env: Env = {}): void {
  const { status } = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
  });
  if (status !== 0) throw new Error(`next build failed (exit ${status})`);
}

/** Starts the production server (server.mjs) on a free port with the given environment and waits until it answers. */
export async function startServer(env: Env, options: { port?: number; command?: string[] } = {}): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const args = options.command ?? [SERVER_ENTRY];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production" as const, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), HOSTNAME: "127.0.0.1", ...env },
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
    try {
      const response = await fetch(`${url}/register`);
      if (response.ok) return { url, port, process: child, log: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`server did not answer within 60 s:\n${output}`);
}
