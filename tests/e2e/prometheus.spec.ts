// A real Prometheus (Debian's package, tests/support/prometheus.ts) scraping two production
// instances that share one database file, as an operator runs them: one job, two targets told apart
// by their `instance` label, one of them behind METRICS_TOKEN. What visitors do on each instance
// must reach Prometheus's own queries: the counts, `up`, and a latency quantile over the histogram.
// Skipped only where Prometheus is not installed and CI is not set; in CI a missing Prometheus fails.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { fetchRegisterForm } from "../load/register-form";
import { agentFrom, postForm, withPerson } from "../support/posting-client";
import { PROMETHEUS_PATH, prometheusInstalled, startPrometheus, type InstantVector, type RunningPrometheus } from "../support/prometheus";
import { freePorts, migrateDatabase, startServer, type RunningServer } from "../support/server";
import { uniquePerson } from "./helpers";

test.describe.configure({ mode: "serial" });

const installed = prometheusInstalled();
test.skip(!installed && !process.env.CI, `${PROMETHEUS_PATH} is not installed (apt-get install --no-install-recommends prometheus): skipped outside CI`);

const METRICS_TOKEN = "prometheus-scrapes-with-this-token-0123456789";
const SHARED_SECRET = "two-instances-share-this-secret-0123456789abcdef";
const running: { dir?: string; alpha?: RunningServer; beta?: RunningServer; prometheus?: RunningPrometheus } = {};

test.beforeAll(async () => {
  if (!installed) throw new Error(`${PROMETHEUS_PATH} is missing, and CI is set: CI must install Debian's prometheus package (.ci/run does)`);
  running.dir = mkdtempSync(join(tmpdir(), "registrants-e2e-prometheus-"));
  const databaseUrl = `file:${join(running.dir, "shared.db")}`;
  await migrateDatabase(databaseUrl);
  const [alphaPort, alphaMetrics, betaPort, betaMetrics, prometheusPort] = await freePorts(5); // all distinct
  const shared = { DATABASE_URL: databaseUrl, SESSION_SECRET: SHARED_SECRET, METRICS_HOSTNAME: "" };
  const started = await Promise.allSettled([
    // alpha: its operators' port behind METRICS_TOKEN, no budgets.
    startServer({ ...shared, METRICS_PORT: String(alphaMetrics), METRICS_TOKEN }, { port: alphaPort }),
    // beta: no token (Prometheus's Authorization header is ignored there), two registrations per address.
    startServer({ ...shared, METRICS_PORT: String(betaMetrics), METRICS_TOKEN: "", RATE_LIMIT_REGISTER_BURST: "2", RATE_LIMIT_REGISTER_PER_MINUTE: "1" }, { port: betaPort }),
    startPrometheus(
      [
        {
          job_name: "registrants",
          metrics_path: "/metrics",
          authorization: { credentials: METRICS_TOKEN },
          static_configs: [
            { targets: [`127.0.0.1:${alphaMetrics}`], labels: { instance: "alpha" } },
            { targets: [`127.0.0.1:${betaMetrics}`], labels: { instance: "beta" } },
          ],
        },
      ],
      { port: prometheusPort },
    ),
  ]);
  // Whatever started is stopped in afterAll, even when another start failed.
  const [alpha, beta, prometheus] = started;
  if (alpha.status === "fulfilled") running.alpha = alpha.value;
  if (beta.status === "fulfilled") running.beta = beta.value;
  if (prometheus.status === "fulfilled") running.prometheus = prometheus.value;
  for (const result of started) if (result.status === "rejected") throw result.reason;
});

test.afterAll(async () => {
  await Promise.all([running.prometheus?.stop(), running.alpha?.stop(), running.beta?.stop()]);
  if (running.dir) rmSync(running.dir, { recursive: true, force: true });
});

/** One value per instance from an instant vector. */
const byInstance = (vector: InstantVector) => Object.fromEntries(vector.map(({ metric, value }) => [metric.instance, Number(value[1])]));

/** GET / `times` times on a server; how many the document cache answered (x-cache: HIT). */
async function readList(server: RunningServer, times: number): Promise<number> {
  let hits = 0;
  for (let i = 0; i < times; i++) {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    if (response.headers.get("x-cache") === "HIT") hits += 1;
  }
  return hits;
}

const CACHE_HITS = 'sum(http_request_duration_seconds_count{route="/",answered_by="cache_hit"})';

test("Prometheus scrapes both instances and sees each one's registrations, refusals and cache hits", async () => {
  test.setTimeout(50_000);
  const { alpha, beta, prometheus } = running as Required<typeof running>;

  // Both targets up, each under its own instance label, the token-guarded one included.
  await expect
    .poll(async () => (await prometheus.activeTargets()).map(({ labels, health, lastError }) => ({ instance: labels.instance, job: labels.job, health, lastError })).sort((a, b) => a.instance.localeCompare(b.instance)), {
      timeout: 15_000,
    })
    .toEqual([
      { instance: "alpha", job: "registrants", health: "up", lastError: "" },
      { instance: "beta", job: "registrants", health: "up", lastError: "" },
    ]);

  const [alphaForm, betaForm] = await Promise.all([fetchRegisterForm(alpha.url), fetchRegisterForm(beta.url)]);
  const onAlpha = agentFrom("127.0.0.51", 1);
  const onBeta = agentFrom("127.0.0.52", 1);
  const elsewhere = agentFrom("127.0.0.53", 1);
  const people = Array.from({ length: 5 }, (_, i) => uniquePerson(`prometheus-${i}`));
  for (const person of people.slice(0, 3)) expect((await postForm(`${alpha.url}/register`, withPerson(alphaForm, person), { agent: onAlpha })).status).toBe(303);
  expect((await postForm(`${alpha.url}/register`, withPerson(alphaForm, { name: "Invalid", email: "no-at-sign" }), { agent: onAlpha })).status).toBe(200);
  for (const person of people.slice(3)) expect((await postForm(`${beta.url}/register`, withPerson(betaForm, person), { agent: onBeta })).status).toBe(303);
  // The same database: beta knows an email registered through alpha.
  const duplicate = await postForm(`${beta.url}/register`, withPerson(betaForm, { name: "Again", email: people[0].email }), { agent: elsewhere });
  expect(duplicate.body).toContain("This email is already registered");
  // Past beta's budget for 127.0.0.52.
  for (let i = 0; i < 3; i++) expect((await postForm(`${beta.url}/register`, withPerson(betaForm, uniquePerson(`refused-${i}`)), { agent: onBeta })).status).toBe(429);

  // The list read on both, in two rounds a scrape apart, so the histogram grows between samples.
  const firstHits = (await readList(alpha, 4)) + (await readList(beta, 4));
  expect(firstHits).toBeGreaterThanOrEqual(6); // the first read on each after the writes renders
  await expect.poll(async () => Number((await prometheus.query(CACHE_HITS))[0]?.value[1]), { timeout: 15_000 }).toBe(firstHits);
  const hits = firstHits + (await readList(alpha, 4)) + (await readList(beta, 4));

  const seen = async () => ({
    up: byInstance(await prometheus.query('up{job="registrants"}')),
    committed: Number((await prometheus.query('sum(registrations_total{outcome="committed"})'))[0]?.value[1]),
    committedBy: byInstance(await prometheus.query('sum by (instance) (registrations_total{outcome="committed"})')),
    invalid: byInstance(await prometheus.query('registrations_total{outcome="invalid"}')),
    duplicate: byInstance(await prometheus.query('registrations_total{outcome="duplicate"}')),
    refused: byInstance(await prometheus.query('registrations_total{outcome="rate_limited"}')),
    refusedAtTheDoor: byInstance(await prometheus.query('rate_limit_refusals_total{kind="register",scope="client"}')),
    cacheHits: Number((await prometheus.query(CACHE_HITS))[0]?.value[1]),
    databaseUp: byInstance(await prometheus.query("database_up")),
    writerOk: byInstance(await prometheus.query('writer_state{state="ok"}')),
  });
  await expect.poll(seen, { timeout: 15_000 }).toEqual({
    up: { alpha: 1, beta: 1 },
    committed: 5,
    committedBy: { alpha: 3, beta: 2 },
    invalid: { alpha: 1 },
    duplicate: { beta: 1 },
    refused: { beta: 3 },
    refusedAtTheDoor: { beta: 3 },
    cacheHits: hits,
    databaseUp: { alpha: 1, beta: 1 },
    writerOk: { alpha: 1, beta: 1 },
  });
  // Each instance exports its own process: two distinct start times, two resident sizes.
  const residents = byInstance(await prometheus.query("process_resident_memory_bytes"));
  expect(Object.keys(residents).sort()).toEqual(["alpha", "beta"]);
  for (const bytes of Object.values(residents)) expect(bytes).toBeGreaterThan(20 * 1024 * 1024);
});

test("the 95th percentile latency by route (histogram_quantile over the rate) has a value for /", async () => {
  const { prometheus } = running as Required<typeof running>;
  const p95 = async () => {
    const vector = await prometheus.query("histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket[1m])))");
    return Number(vector.find(({ metric }) => metric.route === "/")?.value[1]);
  };
  // NaN until two scrapes a list read apart; then a real latency, within the histogram's buckets.
  await expect.poll(async () => Number.isFinite(await p95()), { timeout: 15_000 }).toBe(true);
  const seconds = await p95();
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(10);
});
