// Graceful shutdown of the production server. On SIGTERM (Docker, Kubernetes, systemd) or SIGINT:
// take no new connections, let the requests in flight finish (their keep-alive connections closed
// after the last response: server/keep-alive-drain.ts), then exit 0, since stopping on request is
// success. One hung request cannot hold the process until the orchestrator's SIGKILL: after
// SHUTDOWN_TIMEOUT_MS it exits 1. The database connection and the commit thread are closed on the
// way out by instrumentation.ts's exit hook, which runs however the app is started.
import type { Server } from "node:http";
import { logEvent } from "../lib/log";
import { drainKeepAliveOnStop } from "./keep-alive-drain";

export function stopGracefullyOnSignals(server: Server, { timeoutMs }: { timeoutMs: number }): void {
  const startDraining = drainKeepAliveOnStop(server);
  let isStopping = false;

  const stop = (signal: NodeJS.Signals) => {
    if (isStopping) return;
    isStopping = true;
    const since = Date.now();
    logEvent("info", "server.stopping", { signal, timeoutMs });
    startDraining();
    server.close(() => {
      logEvent("info", "server.stopped", { signal, ms: Date.now() - since, exitCode: 0 });
      process.exit(0); // Next keeps timers and a worker thread alive; nothing is left to answer
    });
    setTimeout(() => {
      logEvent("error", "server.shutdown-timeout", { signal, timeoutMs });
      process.exit(1);
    }, timeoutMs).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
