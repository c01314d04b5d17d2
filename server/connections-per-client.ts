// At most RATE_LIMIT_CONNECTIONS_PER_CLIENT open connections per client, so one client cannot hold
// every slot of HTTP_MAX_CONNECTIONS. Counted by the socket's peer (the rule of
// lib/http/client-address.ts without the forwarding headers, which a connection has not sent yet);
// a trusted proxy's connections carry many clients and are not counted. The map holds only open
// connections' clients, so it is bounded by HTTP_MAX_CONNECTIONS.
import type { Server } from "node:http";
import type { Socket } from "node:net";
import { clientAddress, clientKey, type TrustedProxies } from "../lib/http/client-address";
import { logEvent } from "../lib/log";
import { countRefusedConnection } from "../lib/metrics";

/** One log line per interval at most, whoever is refused: a flood must not flood the log. */
const REPORT_INTERVAL_MS = 10_000;

export function limitConnectionsPerClient(server: Server, perClient: number, proxies: TrustedProxies): void {
  if (perClient <= 0) return;
  const open = new Map<string, number>();
  let refused = 0;
  let lastReport = -Infinity;
  server.on("connection", (socket: Socket) => {
    const peer = socket.remoteAddress;
    if (!peer || proxies.isTrusted(peer)) return;
    const key = clientKey(clientAddress(peer, undefined, proxies));
    const count = (open.get(key) ?? 0) + 1;
    if (count > perClient) {
      refused += 1;
      countRefusedConnection("client_limit");
      if (performance.now() - lastReport >= REPORT_INTERVAL_MS) {
        logEvent("warn", "rate-limit.connections", { client: key, perClient, refused });
        lastReport = performance.now();
        refused = 0;
      }
      socket.destroy();
      return;
    }
    open.set(key, count);
    socket.once("close", () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left <= 0) open.delete(key);
      else open.set(key, left);
    });
  });
}
