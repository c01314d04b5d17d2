// Graceful shutdown of a production server process, installed once from instrumentation.ts.
//
// The production launcher (scripts/start-standalone.ts) and Next's own server.js (see
// next/dist/server/lib/start-server.js) both answer SIGTERM/SIGINT by refusing new connections and
// exiting once the requests in flight are answered (server.js with code 143 / 130). Neither closes
// our database client, bounds the wait (one hung request would hold the process until the
// orchestrator's SIGKILL) or ends idle keep-alive connections early, and server.js exits non-zero,
// which npm, systemd and CI report as a failure. Beside their
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
