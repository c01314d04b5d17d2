// The production HTTP server and its limits (lib/config.ts readHttpLimits, README "Configuration").
// Node's defaults let one client hold a connection for a long time: 60 s to send its headers, 300 s
// for the whole request, any number of connections. Here a client that stalls is cut off, idle
// keep-alive connections last KEEP_ALIVE_TIMEOUT (Next's variable, which load balancers need set
// above their own idle timeout), and past HTTP_MAX_CONNECTIONS new connections are closed at once,
// so the ones already open keep being answered.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { HttpLimits } from "../lib/config";
import { logEvent } from "../lib/log";
import { countRefusedConnection } from "../lib/metrics";

/** A full server log under a flood would be its own denial of service: one line per this interval. */
const DROP_REPORT_INTERVAL_MS = 10_000;

/**
 * Node checks the two timeouts on a timer (30 s by default, which would let a stalled client stay
 * 30 s past its limit): check four times per headers timeout, at most once a second.
 */
const checkingIntervalMs = (limits: HttpLimits) => Math.min(1_000, Math.max(25, Math.floor(limits.headersTimeoutMs / 4)));

export function createAppServer(answer: (request: IncomingMessage, response: ServerResponse) => Promise<void>, limits: HttpLimits): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: checkingIntervalMs(limits),
    },
    answer,
  );
  server.maxConnections = limits.maxConnections;
  reportDroppedConnections(server, limits.maxConnections);
  return server;
}

function reportDroppedConnections(server: Server, maxConnections: number): void {
  let dropped = 0;
  let lastReport = 0;
  server.on("drop", () => {
    dropped += 1;
    countRefusedConnection("server_full");
    if (Date.now() - lastReport < DROP_REPORT_INTERVAL_MS) return;
    logEvent("warn", "server.connections-full", { maxConnections, dropped });
    lastReport = Date.now();
    dropped = 0;
  });
}
