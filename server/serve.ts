// Serving, once the schema check has passed: Next prepared for this standalone folder, the HTTP
// server with its limits in front of it, graceful shutdown on the server itself.
import type { Server } from "node:http";
import {
  readHealthConfig,
  readHstsConfig,
  readHttpLimits,
  readListenConfig,
  readMetricsConfig,
  readRateLimitConfig,
  readServerConfig,
  readTrustedProxies,
} from "../lib/config";
import { trustedProxies } from "../lib/http/client-address";
import { strictTransportSecurity } from "../lib/http/security-headers";
import { logEvent } from "../lib/log";
import { metrics } from "../lib/metrics";
import { answerRequestsWith } from "./answer-request";
import { limitConnectionsPerClient } from "./connections-per-client";
import { createAppServer } from "./http-server";
import { prepareNext } from "./next-handler";
import { readServerActions } from "./next-internals";
import { createOperatorServer } from "./operator-port";
import { stopGracefullyOnSignals } from "./shutdown";

function listen(server: Server, port: number, hostname: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

export async function serve(standaloneDir: string): Promise<void> {
  const { hostname, port } = readListenConfig();
  const limits = readHttpLimits(); // before preparing Next: a bad value stops the start at once
  const { shutdownTimeoutMs } = readServerConfig();
  readHealthConfig(); // a malformed HEALTH_DETAILS_TOKEN stops the start, not a health check
  const rateLimits = readRateLimitConfig(); // likewise a malformed limit or proxy list
  const proxies = trustedProxies(readTrustedProxies());
  const operatorPort = readMetricsConfig(); // and a malformed METRICS_* setting
  if (operatorPort?.port === port) throw new Error(`METRICS_PORT must differ from PORT (${port}): the operators' port is a listener of its own.`);
  const hsts = strictTransportSecurity(readHstsConfig());
  const next = await prepareNext(standaloneDir, hostname, port);
  const everyAnswer: Record<string, string> = hsts ? { "strict-transport-security": hsts } : {};
  const { answer, sources } = answerRequestsWith(next, readServerActions(standaloneDir), { rateLimits, proxies, everyAnswer });
  const server = createAppServer(answer, limits);
  limitConnectionsPerClient(server, rateLimits.connectionsPerClient, proxies);
  stopGracefullyOnSignals(server, { timeoutMs: shutdownTimeoutMs });
  const instruments = metrics();
  if (operatorPort && instruments) {
    // Before the visitors' port: a port already taken stops the start, not the first scrape.
    await listen(createOperatorServer({ config: operatorPort, sources, instruments }), operatorPort.port, operatorPort.hostname);
    logEvent("info", "start.operator-port", { url: `http://${operatorPort.hostname}:${operatorPort.port}`, paths: ["/metrics", "/health"], token: Boolean(operatorPort.token) });
  }
  await listen(server, port, hostname);
  logEvent("info", "start.listening", { url: `http://${hostname}:${port}`, node: process.versions.node, limits });
}
