// The operators' port (server/operator-port.ts, METRICS_PORT) on real production servers and real
// sockets: it is apart from the visitors' port and on loopback only, it asks for METRICS_TOKEN when
// one is set, what visitors do arrives in /metrics as exact counts, hostile URLs cannot add series,
// and with METRICS_PORT unset there is no such listener at all.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer as createNetServer } from "node:net";
import { request as httpRequest, type Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { ANSWERED_BY, METHODS, ROUTES, STATUS_CLASSES } from "../../lib/metrics/catalogue";
import { fetchRegisterForm, type Person } from "../load/register-form";
import { listeningSockets } from "../support/listening-sockets";
import { parseExposition, samplesOf, scrape, sumOf, type Exposition } from "../support/metrics-text";
import { agentFrom, postForm, withPerson } from "../support/posting-client";
import { jsonLines } from "../support/processes";
import { expectedNodeVersion } from "../support/runtime";
import { freePorts, migrateDatabase, startServer, type RunningServer } from "../support/server";
import { startSqld, type RunningSqld } from "../support/sqld";
import { uniquePerson } from "./helpers";

// Made by the first server's beforeAll, not when the file loads: Playwright loads it in processes that run no test.
let root: string | undefined;
test.afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const METRICS_TOKEN = "metrics-scraper-token-for-the-tests-0123456789";
/** Not the default (32 MiB), so the gauge and /health can be seen to read the configuration. */
const CACHE_MAX_BYTES = 8_388_608;

/**
 * A production server of its own on a fresh database; with `metrics`, its operators' port on a
 * free port. The METRICS_* variables are blank (unset) unless `env` sets them, whatever the
 * environment the tests run in says.
 */
function ownServer(name: string, { metrics, env = {} }: { metrics: boolean; env?: Record<string, string> }) {
  const handle: { server?: RunningServer; metricsPort?: number } = {};
  test.beforeAll(async () => {
    root ??= mkdtempSync(join(tmpdir(), "registrants-e2e-metrics-"));
    const databaseUrl = `file:${join(root, `${name}.db`)}`;
    await migrateDatabase(databaseUrl);
    const [port, metricsPort] = await freePorts(2); // two at once: never the same port for both listeners
    handle.metricsPort = metrics ? metricsPort : undefined;
    handle.server = await startServer(
      { DATABASE_URL: databaseUrl, METRICS_PORT: metrics ? String(metricsPort) : "", METRICS_HOSTNAME: "", METRICS_TOKEN: "", ...env },
      { port },
    );
  });
  test.afterAll(async () => {
    await handle.server?.stop();
  });
  return {
    url: (path = "/") => `${handle.server!.url}${path}`,
    operator: (path = "/metrics") => `http://127.0.0.1:${handle.metricsPort}${path}`,
    port: () => handle.server!.port,
    metricsPort: () => handle.metricsPort!,
    pid: () => handle.server!.process.pid!,
    log: () => handle.server!.log(),
  };
}

/** True when a TCP connection to host:port is accepted. */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The distinct label sets of http_request_duration_seconds, as sorted JSON strings. */
function requestLabelSets(exposition: Exposition): string[] {
  const sets = samplesOf(exposition, "http_request_duration_seconds_count").map(({ labels }) => JSON.stringify(labels, Object.keys(labels).sort()));
  return [...new Set(sets)].sort();
}

test.describe("a server with an operators' port (METRICS_PORT, no token), its limits on", () => {
  test.describe.configure({ mode: "default" }); // one server, its tests in order in one worker
  const server = ownServer("operated", {
    metrics: true,
    env: { RATE_LIMIT_REGISTER_BURST: "2", RATE_LIMIT_REGISTER_PER_MINUTE: "1", DOCUMENT_CACHE_MAX_BYTES: String(CACHE_MAX_BYTES) },
  });

  test("the public port has no /metrics or /health; the operators' port answers both, listening on 127.0.0.1 only", async () => {
    for (const path of ["/metrics", "/health", "/metrics?format=prometheus", "/metrics/"]) {
      const response = await fetch(server.url(path)); // "/metrics/" is first redirected to "/metrics", on this port
      expect(response.status, path).toBe(404);
      expect(new URL(response.url).port, path).toBe(String(server.port()));
      const body = await response.text();
      expect(body, path).toContain("Page not found"); // Next's not-found page, as for any unknown path
      expect(body, path).not.toContain("# TYPE");
    }
    const metrics = await fetch(server.operator("/metrics"));
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(metrics.headers.get("cache-control")).toBe("no-store");
    expect(await metrics.text()).toContain("# TYPE http_request_duration_seconds histogram");
    const health = await fetch(server.operator("/health"));
    expect(health.status).toBe(200);
    expect(health.headers.get("content-type")).toBe("application/json");

    // What the process listens on, from /proc: the visitors' port and the operators' port, both on
    // 127.0.0.1 (the tests' HOSTNAME, and METRICS_HOSTNAME's default), nothing on a wildcard address.
    const expected = [
      { address: "127.0.0.1", port: server.port() },
      { address: "127.0.0.1", port: server.metricsPort() },
    ].sort((a, b) => a.port - b.port);
    expect(listeningSockets(server.pid())).toEqual(expected);
    // Another loopback address reaches a wildcard listener, not this one.
    expect(await connects("127.0.0.1", server.metricsPort())).toBe(true);
    expect(await connects("127.0.0.2", server.metricsPort())).toBe(false);
    expect(jsonLines(server.log())).toContainEqual(
      expect.objectContaining({ event: "start.operator-port", url: `http://127.0.0.1:${server.metricsPort()}`, paths: ["/metrics", "/health"], token: false }),
    );
  });

  test("registrations, refusals and cache hits arrive as exact counts", async () => {
    const fields = await fetchRegisterForm(server.url(""));
    const register = (agent: Agent, person: Person) => postForm(server.url("/register"), withPerson(fields, person), { agent });
    // The budget is 2 registrations per address (RATE_LIMIT_REGISTER_BURST): each client its own address.
    const first = agentFrom("127.0.0.21", 1);
    const second = agentFrom("127.0.0.22", 1);
    const third = agentFrom("127.0.0.23", 1);
    const people = [uniquePerson("metrics-a"), uniquePerson("metrics-b"), uniquePerson("metrics-c"), uniquePerson("metrics-d")];

    expect((await register(first, people[0])).status).toBe(303);
    expect((await register(first, people[1])).status).toBe(303);
    expect((await register(second, people[2])).status).toBe(303);
    const duplicate = await register(second, { name: "Someone Else", email: people[0].email.toUpperCase() });
    expect(duplicate.status).toBe(200);
    expect(duplicate.body).toContain("This email is already registered");
    const invalid = await register(third, { name: "", email: "not-an-email" });
    expect(invalid.status).toBe(200);
    expect(invalid.body).toContain("Please enter your name.");
    expect((await register(third, people[3])).status).toBe(303);
    // Over the third address's budget: the first refusals are its form again, the next the door's page.
    const refused = [];
    for (let i = 0; i < 4; i++) refused.push(await register(third, uniquePerson(`metrics-refused-${i}`)));
    expect(refused.map((answer) => answer.status)).toEqual([429, 429, 429, 429]);
    expect(refused.some((answer) => answer.body.includes("Please wait a moment"))).toBe(true); // the door's own

    // The list, read again and again: the first read after the registrations renders, the rest are hits.
    const hitsBefore = sumOf(await scrape(server.operator()), "http_request_duration_seconds_count", { route: "/", answered_by: "cache_hit" }) ?? 0;
    const answeredBy: string[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await fetch(server.url("/"));
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      answeredBy.push(response.headers.get("x-cache") ?? "none");
    }
    const hits = answeredBy.filter((by) => by === "HIT").length;
    expect(hits, answeredBy.join(" ")).toBeGreaterThanOrEqual(6);

    // A request is timed once its answer has ended, which may come a moment after the client read it.
    await expect
      .poll(async () => sumOf(await scrape(server.operator()), "http_request_duration_seconds_count", { route: "/", answered_by: "cache_hit" }), { timeout: 5_000 })
      .toBe(hitsBefore + hits);
    const metrics = await scrape(server.operator());
    const registrations = Object.fromEntries(samplesOf(metrics, "registrations_total").map((sample) => [sample.labels.outcome, sample.value]));
    expect(registrations).toEqual({ committed: 4, duplicate: 1, invalid: 1, rate_limited: 4 });
    expect(samplesOf(metrics, "rate_limit_refusals_total").map(({ labels, value }) => ({ labels, value }))).toEqual([
      { labels: { kind: "register", scope: "client" }, value: 4 },
    ]);
    expect(sumOf(metrics, "cancellations_total")).toBeUndefined(); // no cancel was tried
    expect(sumOf(metrics, "http_request_duration_seconds_count", { route: "/", answered_by: "cache_miss" })).toBeGreaterThanOrEqual(1);
    expect(sumOf(metrics, "http_request_duration_seconds_count", { route: "/register", method: "POST", status_class: "3xx" })).toBe(4);
    expect(sumOf(metrics, "http_request_duration_seconds_count", { route: "/register", method: "POST", status_class: "4xx" })).toBe(4);
    // Every committed registration went through a group commit.
    expect(sumOf(metrics, "writer_commit_batch_size_count")).toBeGreaterThanOrEqual(1);
    expect(sumOf(metrics, "writer_commit_batch_size_sum")).toBeGreaterThanOrEqual(4);
    expect(sumOf(metrics, "writer_commit_duration_seconds_count", { result: "ok" })).toBeGreaterThanOrEqual(1);
    expect(sumOf(metrics, "writer_queue_depth")).toBe(0);
    expect(sumOf(metrics, "writer_restarts_total")).toBe(0);
    expect(sumOf(metrics, "document_cache_entries")).toBeGreaterThanOrEqual(1);
    expect(sumOf(metrics, "document_cache_bytes")).toBeGreaterThan(1_000);
    expect(sumOf(metrics, "document_cache_max_bytes")).toBe(CACHE_MAX_BYTES);
    expect(sumOf(metrics, "database_up")).toBe(1);
    expect(Object.fromEntries(samplesOf(metrics, "writer_state").map((sample) => [sample.labels.state, sample.value]))).toEqual({ ok: 1, restarting: 0, down: 0 });
    expect(sumOf(metrics, "rate_limit_clients")).toBe(3); // the three addresses that posted registrations
    expect(sumOf(metrics, "process_resident_memory_bytes")).toBeGreaterThan(20 * 1024 * 1024);
    expect(metrics.types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
    // Each family with its type; a local file has no link to a remote database and no replica.
    for (const [name, type] of Object.entries({
      http_request_duration_seconds: "histogram",
      registrations_total: "counter",
      cancellations_total: "counter",
      rate_limit_refusals_total: "counter",
      writer_commit_batch_size: "histogram",
      writer_commit_duration_seconds: "histogram",
      writer_queue_depth: "gauge",
      writer_state: "gauge",
      writer_restarts_total: "counter",
      document_cache_entries: "gauge",
      document_cache_bytes: "gauge",
      document_cache_max_bytes: "gauge",
      document_cache_evictions_total: "counter",
      database_up: "gauge",
      database_remote_request_duration_seconds: "histogram",
      database_remote_request_failures_total: "counter",
      database_replica_pulls_total: "counter",
    })) {
      expect(metrics.types.get(name), name).toBe(type);
    }
    expect(metrics.types.has("database_link_up")).toBe(false);
    expect(metrics.types.has("database_replica_lag_seconds")).toBe(false);

    // The detailed health agrees with the counters.
    const health = (await (await fetch(server.operator("/health"))).json()) as { rateLimits: { refused: { register: number } } };
    expect(health.rateLimits.refused.register).toBe(4);
  });

  test("hostile URLs on the public port add requests, never label values", async () => {
    const agent = agentFrom("127.0.0.31", 8);
    /** One request of each kind a scanner sends, around `token`. */
    const shapes = (token: string): { method: string; path: string }[] => {
      const junk = [...randomBytes(6)].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");
      return [
        { method: "GET", path: `/${token}` },
        { method: "GET", path: `/${token}/${"a".repeat(6_000)}` },
        { method: "GET", path: `/${"deep/".repeat(400)}${token}` },
        { method: "GET", path: `/${junk}%00%2e%2e%2f${token}` },
        { method: "GET", path: `/register/${token}?${junk}=${junk}` },
        { method: "GET", path: `/wp-login.php?redirect=${junk}&${token}` },
        { method: "HEAD", path: `/.env.${token}` },
        { method: "POST", path: `/${token}/xmlrpc.php` },
        { method: "PROPFIND", path: `/${token}/webdav` },
        { method: "OPTIONS", path: `/api/${token}` },
      ];
    };
    const send = ({ method, path }: { method: string; path: string }) =>
      new Promise<number>((resolve, reject) => {
        const outgoing = httpRequest(server.url(path), { method, agent, timeout: 10_000 }, (response) => {
          response.resume();
          response.once("end", () => resolve(response.statusCode!));
        });
        outgoing.once("timeout", () => outgoing.destroy(new Error(`no answer to ${method} ${path.slice(0, 80)}`)));
        outgoing.once("error", reject);
        outgoing.end();
      });
    const total = async () => sumOf(await scrape(server.operator()), "http_request_duration_seconds_count") ?? 0;

    // Once of each kind first, so every label set they can produce exists before the count.
    const warmUp = shapes("warm-up");
    const beforeWarmUp = await total();
    for (const status of await Promise.all(warmUp.map(send))) expect(status).toBeLessThan(500);
    await expect.poll(total, { timeout: 5_000 }).toBe(beforeWarmUp + warmUp.length);
    const before = await scrape(server.operator());

    const hostile = Array.from({ length: 20 }, () => shapes(randomBytes(8).toString("base64url"))).flat();
    expect(hostile.length).toBe(200);
    expect(new Set(hostile.map(({ path }) => path)).size).toBe(200); // 200 paths never seen before
    for (const status of await Promise.all(hostile.map(send))) expect(status).toBeLessThan(500);

    // Every request was timed (the count grows by exactly 200) and none added a series.
    await expect.poll(total, { timeout: 5_000 }).toBe(sumOf(before, "http_request_duration_seconds_count")! + hostile.length);
    const after = await scrape(server.operator());
    expect(requestLabelSets(after)).toEqual(requestLabelSets(before));
    for (const { labels } of samplesOf(after, "http_request_duration_seconds_count")) {
      expect(Object.keys(labels).sort()).toEqual(["answered_by", "method", "route", "status_class"]);
      expect(ROUTES).toContain(labels.route);
      expect(METHODS).toContain(labels.method);
      expect(STATUS_CLASSES).toContain(labels.status_class);
      expect(ANSWERED_BY).toContain(labels.answered_by);
    }
    // None of the scanners' paths is one of the app's (not even /register/…): all 200 are "other".
    const otherGrew = sumOf(after, "http_request_duration_seconds_count", { route: "other" })! - sumOf(before, "http_request_duration_seconds_count", { route: "other" })!;
    expect(otherGrew).toBe(hostile.length);
  });

  test("/health on the operators' port gives the detailed health with no token, where /api/health gives the status alone", async () => {
    const publicHealth = await fetch(server.url("/api/health"));
    expect(await publicHealth.json()).toEqual({ status: "ok" });
    const response = await fetch(server.operator("/health"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      status: "ok",
      db: "ok",
      node: expectedNodeVersion(),
      writer: "ok",
      writerQueue: 0,
      writerCommitting: 0,
      writerRestarts: 0,
      documentCache: { entries: expect.any(Number), bytes: expect.any(Number), maxBytes: CACHE_MAX_BYTES },
      rateLimits: { clients: expect.any(Number), refused: { register: expect.any(Number), cancel: 0, tasks: 0, everyone: 0 } },
    });
    const head = await fetch(server.operator("/health"), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });
});

test.describe("an operators' port with METRICS_TOKEN", () => {
  const server = ownServer("token", { metrics: true, env: { METRICS_TOKEN } });
  const as = (token?: string, scheme = "Bearer"): RequestInit => ({ headers: token === undefined ? {} : { authorization: `${scheme} ${token}` } });

  test("answers only to the token: 401 with WWW-Authenticate without it, 404 for other paths, 405 for other methods", async () => {
    for (const [label, init] of Object.entries({
      "no token": as(),
      "a wrong token": as(`${METRICS_TOKEN}x`),
      "a prefix of the token": as(METRICS_TOKEN.slice(0, -1)),
      "the token as Basic": as(Buffer.from(`prometheus:${METRICS_TOKEN}`).toString("base64"), "Basic"),
      "the bare token": { headers: { authorization: METRICS_TOKEN } },
    })) {
      for (const path of ["/metrics", "/health", "/elsewhere"]) {
        const response = await fetch(server.operator(path), init);
        expect(response.status, `${label}, ${path}`).toBe(401);
        expect(response.headers.get("www-authenticate"), `${label}, ${path}`).toBe('Bearer realm="operators"');
        expect(await response.text()).not.toContain("# TYPE");
      }
    }
    const metrics = await fetch(server.operator("/metrics"), as(METRICS_TOKEN));
    expect(metrics.status).toBe(200);
    expect(parseExposition(await metrics.text()).types.get("registrations_total")).toBe("counter");
    expect((await fetch(server.operator("/health"), as(METRICS_TOKEN))).status).toBe(200);
    for (const path of ["/", "/metrics/", "/api/health", "/metricsx"]) {
      expect((await fetch(server.operator(path), as(METRICS_TOKEN))).status, path).toBe(404);
    }
    for (const method of ["POST", "PUT", "DELETE"]) {
      const response = await fetch(server.operator("/metrics"), { method, ...as(METRICS_TOKEN) });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
    }
    // The visitors' port knows nothing of it, token or not.
    expect((await fetch(server.url("/metrics"), as(METRICS_TOKEN))).status).toBe(404);
    expect(jsonLines(server.log())).toContainEqual(expect.objectContaining({ event: "start.operator-port", token: true }));
    expect(server.log()).not.toContain(METRICS_TOKEN);
  });
});

test.describe("a server without METRICS_PORT", () => {
  const server = ownServer("unmeasured", { metrics: false });

  test("opens no operators' port and serves visitors as ever", async () => {
    const events = jsonLines(server.log()).map((line) => line.event);
    expect(events).toContain("start.listening");
    expect(events).not.toContain("start.operator-port");
    expect(listeningSockets(server.pid())).toEqual([{ address: "127.0.0.1", port: server.port() }]);

    const person = uniquePerson("unmeasured");
    const fields = await fetchRegisterForm(server.url(""));
    expect((await postForm(server.url("/register"), withPerson(fields, person), { agent: agentFrom("127.0.0.41", 1) })).status).toBe(303);
    const list = await fetch(server.url("/"));
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(person.email);
    expect((await fetch(server.url("/metrics"))).status).toBe(404);
  });
});

test.describe("an operators' port that cannot be opened", () => {
  test("METRICS_PORT equal to PORT, or a port already taken, stops the start saying so", async () => {
    root ??= mkdtempSync(join(tmpdir(), "registrants-e2e-metrics-"));
    const databaseUrl = `file:${join(root, "unopened.db")}`;
    await migrateDatabase(databaseUrl);
    const [port, taken] = await freePorts(2);
    await expect(startServer({ DATABASE_URL: databaseUrl, METRICS_PORT: String(port), METRICS_HOSTNAME: "", METRICS_TOKEN: "" }, { port })).rejects.toThrow(
      /METRICS_PORT must differ from PORT/,
    );
    const holder = createNetServer();
    await new Promise<void>((resolve) => holder.listen(taken, "127.0.0.1", resolve));
    try {
      await expect(startServer({ DATABASE_URL: databaseUrl, METRICS_PORT: String(taken), METRICS_HOSTNAME: "", METRICS_TOKEN: "" }, { port })).rejects.toThrow(
        new RegExp(`"start\\.failed".*EADDRINUSE.*127\\.0\\.0\\.1:${taken}`),
      );
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});

test.describe("a remote database and an embedded replica of it", () => {
  let sqld: RunningSqld | undefined;
  const servers: { remote?: RunningServer; replica?: RunningServer; remoteMetrics?: number; replicaMetrics?: number } = {};
  test.beforeAll(async () => {
    test.setTimeout(90_000);
    root ??= mkdtempSync(join(tmpdir(), "registrants-e2e-metrics-"));
    sqld = await startSqld();
    await migrateDatabase(sqld.httpUrl, sqld.authToken);
    const [remotePort, remoteMetrics, replicaPort, replicaMetrics] = await freePorts(4);
    Object.assign(servers, { remoteMetrics, replicaMetrics });
    const common = { DATABASE_AUTH_TOKEN: sqld.authToken, METRICS_HOSTNAME: "", METRICS_TOKEN: "" };
    [servers.remote, servers.replica] = await Promise.all([
      startServer({ ...common, DATABASE_URL: sqld.httpUrl, METRICS_PORT: String(remoteMetrics) }, { port: remotePort }),
      startServer(
        { ...common, DATABASE_URL: `file:${join(root, "replica.db")}`, DATABASE_SYNC_URL: sqld.httpUrl, DATABASE_SYNC_INTERVAL_MS: "500", METRICS_PORT: String(replicaMetrics) },
        { port: replicaPort },
      ),
    ]);
  });
  test.afterAll(async () => {
    await Promise.all([servers.remote?.stop(), servers.replica?.stop()]);
    await sqld?.remove();
  });

  test("show the link, the remote reads, the replica's pulls and its lag", async () => {
    for (const server of [servers.remote!, servers.replica!]) {
      const fields = await fetchRegisterForm(server.url);
      expect((await postForm(`${server.url}/register`, withPerson(fields, uniquePerson("topology")), { agent: agentFrom("127.0.0.61", 1) })).status).toBe(303);
      expect((await fetch(`${server.url}/`)).status).toBe(200);
    }
    const remote = await scrape(`http://127.0.0.1:${servers.remoteMetrics}/metrics`);
    expect(sumOf(remote, "registrations_total", { outcome: "committed" })).toBe(1);
    expect(sumOf(remote, "database_up")).toBe(1);
    expect(sumOf(remote, "database_link_up")).toBe(1);
    expect(sumOf(remote, "database_remote_request_duration_seconds_count", { result: "answered" })).toBeGreaterThan(0);
    expect(sumOf(remote, "database_replica_lag_seconds")).toBeUndefined(); // not a replica

    const replica = await scrape(`http://127.0.0.1:${servers.replicaMetrics}/metrics`);
    expect(sumOf(replica, "registrations_total", { outcome: "committed" })).toBe(1);
    expect(sumOf(replica, "database_link_up")).toBe(1); // the link to its primary
    expect(sumOf(replica, "database_replica_pulls_total", { result: "failed" }) ?? 0).toBe(0);
    // A pull every 0.5 s: the count keeps growing while nothing else happens.
    const pulledOk = async () => sumOf(await scrape(`http://127.0.0.1:${servers.replicaMetrics}/metrics`), "database_replica_pulls_total", { result: "ok" }) ?? 0;
    const before = await pulledOk();
    await expect.poll(pulledOk, { timeout: 5_000 }).toBeGreaterThanOrEqual(before + 3);
    const lag = sumOf(replica, "database_replica_lag_seconds");
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(5); // pulls every 0.5 s
  });
});
