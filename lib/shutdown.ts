// Graceful shutdown of a production server process, installed once from instrumentation.ts.
//
// Next's own server (`next start` and the standalone server.js alike; see
// next/dist/server/lib/start-server.js) already answers SIGTERM/SIGINT well: it stops accepting
// connections, waits for in-flight requests to finish, closes itself and calls
// process.exit(143 / 130). It does not close our database client, does not bound the wait (one
// hung request would hold the process until the orchestrator's SIGKILL), waits out idle keep-alive
// connections, and exits non-zero, which npm, systemd and CI report as a failure. Beside Next's
// handler this module adds:
// - on the signal: a log line, keep-alive connections closed after their last response
//   (lib/keep-alive-drain.ts), and a timer that ends a shutdown still waiting after
//   SHUTDOWN_TIMEOUT_MS, with exit code 1;
// - on exit: closes the database client (an embedded file then checkpoints and removes its WAL),
//   logs how long stopping took, and turns Next's 128+signal code into 0: stopping on request is success.
import { closeDb } from "../db/index";
import { readServerConfig } from "./config";
import { drainKeepAliveOnStop } from "./keep-alive-drain";
import { logEvent } from "./log";

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
const holder = globalThis as typeof globalThis & { __gracefulShutdownInstalled?: boolean };

export function installGracefulShutdown(): void {
  if (holder.__gracefulShutdownInstalled) return;
  holder.__gracefulShutdownInstalled = true;
  const { shutdownTimeoutMs } = readServerConfig();
  let stopping: { signal: string; since: number } | undefined;
  const drainKeepAlive = drainKeepAliveOnStop();

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = { signal, since: Date.now() };
    logEvent("info", "server.stopping", { signal, timeoutMs: shutdownTimeoutMs });
    drainKeepAlive();
    setTimeout(() => {
      logEvent("error", "server.shutdown-timeout", { signal, timeoutMs: shutdownTimeoutMs });
      process.exit(1);
    }, shutdownTimeoutMs).unref();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  process.on("exit", (code) => {
    closeDb();
    if (!stopping) return;
    if (code === SIGNAL_EXIT_CODES[stopping.signal]) process.exitCode = 0;
    logEvent("info", "server.stopped", { signal: stopping.signal, ms: Date.now() - stopping.since, exitCode: process.exitCode });
  });
}
