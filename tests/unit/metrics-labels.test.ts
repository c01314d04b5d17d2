// The metrics' label sets stay bounded whatever clients send: every label value comes from a fixed
// list (lib/metrics/catalogue.ts), so a client inventing URLs, methods or headers cannot add series
// to the operators' /metrics (a Prometheus with millions of series is an outage of its own).
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { hostileText } from "../support/hostile-text";

process.env.METRICS_PORT = "9464"; // metrics on (this process records; no listener is opened here)

const { ANSWERED_BY, METHODS, ROUTES, STATUS_CLASSES, metrics, methodOf, routeOf, statusClassOf } = await import("@/lib/metrics");
const { requestRecorder } = await import("@/server/request-metrics");

const hostilePath = fc.oneof(
  hostileText().map((text) => `/${text}`),
  fc.webPath(),
  fc.webUrl({ withQueryParameters: true, withFragments: true }).map((url) => new URL(url).pathname + new URL(url).search),
  fc.constantFrom("/", "/register", "/todos").chain((route) => hostileText().map((text) => `${route}${text}`)),
  fc.constantFrom("/_next/static/", "/_next/image", "/api/health").chain((route) => fc.string({ maxLength: 50 }).map((tail) => `${route}${tail}`)),
  fc.nat(5_000).map((length) => `/${"a".repeat(length)}`),
);

test("any path, method or status maps onto the fixed lists", () => {
  fc.assert(
    fc.property(hostilePath, fc.string({ maxLength: 12 }), fc.integer({ min: -1, max: 1_000 }), fc.boolean(), (path, method, status, answered) => {
      expect(ROUTES).toContain(routeOf(path));
      expect(METHODS).toContain(methodOf(method));
      expect(STATUS_CLASSES).toContain(statusClassOf(status, answered));
    }),
    { numRuns: 5_000 },
  );
});

test("the app's own routes keep their names; query strings and look-alikes do not make new ones", () => {
  expect(routeOf("/?page=2")).toBe("/");
  expect(routeOf("/register?notice=cancelled")).toBe("/register");
  expect(routeOf("/register/cancel?id=4")).toBe("/register/cancel");
  expect(routeOf("/_next/static/chunks/abc.js")).toBe("/_next/static");
  expect(routeOf("/_next/image?url=%2Fx&w=64&q=75")).toBe("/_next/image");
  for (const lookAlike of ["/register/", "//register", "/REGISTER", "/todos/../todos", "/%2F", "/api/health/x", "/_next/staticx", undefined]) {
    expect(routeOf(lookAlike), String(lookAlike)).toBe("other");
  }
  expect(statusClassOf(200, true)).toBe("2xx");
  expect(statusClassOf(503, true)).toBe("5xx");
  expect(statusClassOf(200, false)).toBe("none"); // the client left before the answer ended
});

// A real server whose answers echo what the client asked for (status, x-cache) through the real recorder.
let server: Server;
let port: number;

beforeAll(async () => {
  const record = requestRecorder();
  if (!record) throw new Error("metrics should be on in this test");
  server = createServer((request, response) => {
    const startedAt = performance.now();
    const status = Number(request.headers["x-status"]) || 404;
    response.statusCode = status >= 100 && status <= 999 ? status : 404;
    const cache = request.headers["x-echo-cache"];
    if (typeof cache === "string") response.setHeader("x-cache", cache);
    response.end("answer");
    record(request, response, startedAt, null);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends one raw request as bytes (nothing is checked or escaped on the way) and waits for the server to answer or close. */
function sendRaw(request: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on("error", () => {});
    socket.on("close", () => resolve());
    socket.on("data", () => socket.end());
    socket.write(Buffer.from(request, "latin1"));
  });
}

test("a flood of hostile requests through the real recorder adds only series from the fixed lists", async () => {
  const histogram = metrics()!.httpRequestDuration;
  const samples = fc.sample(
    fc.record({
      path: hostilePath.map((path) => encodeURI(path).replace(/%25/g, "%")),
      method: fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND", "PURGE", "SEARCH"),
      status: fc.integer({ min: 100, max: 999 }),
      cache: fc.oneof(fc.constantFrom("HIT", "MISS", "BYPASS", "hit", "STALE"), fc.string({ unit: "binary-ascii", maxLength: 20 }).map((text) => text.replace(/[^\x21-\x7e]/g, "x") || "x")),
    }),
    { numRuns: 3_000, seed: 20 },
  );
  const raw = samples.map(({ path, method, status, cache }) => `${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\nX-Status: ${status}\r\nX-Echo-Cache: ${cache}\r\n\r\n`);
  for (let i = 0; i < raw.length; i += 50) await Promise.all(raw.slice(i, i + 50).map(sendRaw));
  const { values } = await histogram.get();
  const series = values.filter((value) => value.metricName === "http_request_duration_seconds_count");
  const recorded = series.reduce((sum, value) => sum + value.value, 0);
  expect(recorded).toBeGreaterThan(samples.length / 2); // most reached the handler (the parser refuses some itself)
  for (const { labels } of series) {
    expect(ROUTES).toContain(labels.route);
    expect(METHODS).toContain(labels.method);
    expect(STATUS_CLASSES).toContain(labels.status_class);
    expect(ANSWERED_BY).toContain(labels.answered_by);
  }
  expect(series.length).toBeLessThanOrEqual(ROUTES.length * METHODS.length * STATUS_CLASSES.length * ANSWERED_BY.length);
  // And the real names are still told apart: a GET / answered from the cache is its own series.
  await sendRaw("GET /?page=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Status: 200\r\nX-Echo-Cache: HIT\r\n\r\n");
  const after = (await histogram.get()).values;
  expect(after.some((value) => value.metricName === "http_request_duration_seconds_count" && value.labels.route === "/" && value.labels.answered_by === "cache_hit" && value.labels.status_class === "2xx")).toBe(true);
});
