// Waiting on a child process we started, with a bound, and checking that a port refuses connections.
import type { ChildProcess } from "node:child_process";
import { connect } from "node:net";

export type Exit = { code: number | null; signal: NodeJS.Signals | null; ms: number };

/** Resolves when `child` exits (or has exited), with how long that took from now; rejects after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<Exit> {
  const since = Date.now();
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode, ms: 0 });
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process ${child.pid} still running after ${timeoutMs} ms`)), timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - since });
    });
  });
}

/** True when a fresh TCP connection to the port is refused (nothing listens there any more). */
export function isRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

/** The JSON lines in a server's output (Next's own plain-text lines are skipped). */
export function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
