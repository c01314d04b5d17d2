// The operators' port: a listener of its own, apart from the visitors' (METRICS_HOSTNAME:METRICS_PORT,
// loopback unless told otherwise; lib/config.ts readMetricsConfig), that answers
// - GET /metrics: this instance's metrics in Prometheus's text format (lib/metrics);
// - GET /health: the detailed health as JSON, the details /api/health gives only with its token;
// and nothing else. With METRICS_TOKEN set, every request must carry it as a bearer token. The public
// port has no such paths: /metrics there is a 404 like any unknown path. Small and bounded: a few
// connections, short timeouts, and each answer within the health check's own deadline.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { MetricsConfig } from "../lib/config";
import { carriesBearerToken } from "../lib/http/bearer-token";
import { logEvent } from "../lib/log";
import type { Instruments } from "../lib/metrics";
import { readOperatorReport, type OperatorSources } from "./operator-report";

/** Prometheus and a person with curl: a handful of connections is plenty, and a flood cannot grow it. */
const MAX_CONNECTIONS = 16;
const NO_STORE = { "cache-control": "no-store" };

type Port = { config: NonNullable<MetricsConfig>; sources: OperatorSources; instruments: Instruments };

export function createOperatorServer(port: Port): Server {
  const server = createServer({ headersTimeout: 5_000, requestTimeout: 10_000, keepAliveTimeout: 65_000, maxHeaderSize: 8_192 }, (request, response) => {
    answer(request, response, port).catch((error: unknown) => {
      logEvent("error", "operator-port.failed", { path: request.url?.split("?")[0], error });
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain", ...NO_STORE }).end("Internal Server Error\n");
      else response.destroy();
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  return server;
}

async function answer(request: IncomingMessage, response: ServerResponse, { config, sources, instruments }: Port): Promise<void> {
  if (config.token && !carriesBearerToken(request.headers.authorization, config.token)) {
    response.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Bearer realm="operators"', ...NO_STORE }).end("A bearer token is required.\n");
    return;
  }
  const path = request.url?.split("?")[0];
  if (path !== "/metrics" && path !== "/health") {
    response.writeHead(404, { "content-type": "text/plain", ...NO_STORE }).end("Not found. This port answers /metrics and /health.\n");
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain", ...NO_STORE }).end("Only GET and HEAD.\n");
    return;
  }
  const { report, details } = await readOperatorReport(sources, instruments);
  if (path === "/health") {
    const body = JSON.stringify({ status: report.status, ...details });
    response.writeHead(report.ok ? 200 : 503, { "content-type": "application/json", ...NO_STORE }).end(request.method === "HEAD" ? undefined : body);
    return;
  }
  const text = await instruments.registry.metrics();
  response.writeHead(200, { "content-type": instruments.registry.contentType, ...NO_STORE }).end(request.method === "HEAD" ? undefined : text);
}
