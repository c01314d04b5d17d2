// `npm run bench`: the project's own benchmark, no Python needed. Seeds a temp SQLite file, serves
// it with scripts/bench-serve.sh (the production server; builds once if there is no build), drives
// it with autocannon and prints a table; the raw results go to bench-results/ (git-ignored).
//
// Scenarios: GET / at 1,000 and 100,000 rows (cached), a deep page at 100,000 rows (cached), and
// page 1 and a deep page rendered on every request (a second server with DOCUMENT_CACHE_MAX_BYTES=0:
// what keyset pages cost uncached); deleting the oldest row at 100,000 rows (what a cancel or an
// erasure costs the database), timed alone and while GET / and GET /?page=1000 are being served; registration posts as a browser without JavaScript sends them,
// each acknowledged one then checked in the file; a 1-minute mixed run of reads and posts with the
// server's RSS sampled every second; and what a first visit to / downloads (gzip).
//
// BENCH_DURATION (s, default 10), BENCH_MIXED_DURATION (s, default 60), BENCH_CONNECTIONS (32).
// The machine is usually shared: compare numbers from one run only.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { createClient } from "@libsql/client";
import { freePort } from "./free-port.mjs";
import { registrationPoster } from "./bench-form.mjs";

const ROOT = join(import.meta.dirname, "..");
const duration = Number(process.env.BENCH_DURATION || 10);
const mixedDuration = Number(process.env.BENCH_MIXED_DURATION || 60);
const connections = Number(process.env.BENCH_CONNECTIONS || 32);
const work = mkdtempSync(join(tmpdir(), "registrants-bench-"));
const dbFile = join(work, "bench.db");
const servers = [];

async function serve(env = {}) {
  const port = await freePort();
  const child = spawn(join(ROOT, "scripts", "bench-serve.sh"), [String(port), dbFile], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  servers.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`bench-serve.sh exited with ${child.exitCode}`);
    if (await fetch(`${url}/register`).then((r) => r.ok, () => false)) return { url, pid: child.pid };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the server did not start within 2 minutes");
}

/** Tops the file up to `rows` registrants in one statement (a recursive CTE). */
async function seedTo(rows) {
  const client = createClient({ url: `file:${dbFile}` });
  const have = Number((await client.execute("SELECT total FROM registrant_stats")).rows[0].total);
  await client.execute({
    sql: `WITH RECURSIVE seq(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
          INSERT INTO registrants (name, email) SELECT 'Seeded Person ' || i, 'seeded' || i || '@example.com' FROM seq`,
    args: [have + 1, rows],
  });
  client.close();
}

const statusMiB = (pid, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
const rssMiB = (pid) => statusMiB(pid, "VmRSS");
/** The server's peak resident set since it started (what compare.sh reports as peak RSS). */
const peakRssMiB = (pid) => statusMiB(pid, "VmHWM");

function summary(name, result, extra = {}) {
  const bad = result.non2xx - (result.statusCodeStats["303"]?.count ?? 0);
  return { scenario: name, reqPerSec: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, bad: bad + result.errors + result.timeouts, ...extra };
}

const load = (options) => autocannon({ connections, duration, ...options });

async function getScenario(name, url) {
  await load({ url, duration: 2 }); // warm-up: JIT, caches, connections
  return summary(name, await load({ url }));
}

async function firstVisit(url) {
  const gz = async (path) => gzipSync(Buffer.from(await (await fetch(new URL(path, url))).arrayBuffer())).length;
  const html = await (await fetch(url)).text();
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]);
  const jsBytes = (await Promise.all(scripts.map(gz))).reduce((a, b) => a + b, 0);
  return { htmlBytesGzip: gzipSync(html).length, htmlBytes: Buffer.byteLength(html), jsBytesGzip: jsBytes, scripts: scripts.length };
}

/**
 * Deletes the oldest row `times` times, as a cancel does (one DELETE, triggers included, its own
 * transaction and fsync), and returns the statement times in ms, sorted.
 */
async function deleteOldest(times) {
  const client = createClient({ url: `file:${dbFile}` });
  await client.execute("PRAGMA busy_timeout = 5000");
  const ms = [];
  for (let i = 0; i < times; i++) {
    const { rows } = await client.execute("SELECT min(id) AS id FROM registrants");
    const started = performance.now();
    await client.execute({ sql: "DELETE FROM registrants WHERE id = ?", args: [rows[0].id] });
    ms.push(performance.now() - started);
  }
  client.close();
  return ms.sort((a, b) => a - b);
}

const round = (ms) => Math.round(ms * 100) / 100;
const deleteSummary = (name, ms, extra = {}) => ({
  scenario: name,
  deleteMedianMs: round(ms[Math.floor(ms.length / 2)]),
  deleteP95Ms: round(ms[Math.floor(ms.length * 0.95)]),
  deleteMaxMs: round(ms.at(-1)),
  deletes: ms.length,
  ...extra,
});

/** Copies the seeding's write-ahead log into the file first: its checkpoint is the seed's cost, and would land on the first delete. */
async function checkpoint() {
  const client = createClient({ url: `file:${dbFile}` });
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  client.close();
}

async function main() {
  const results = [];
  const report = (row) => {
    results.push(row);
    console.log(JSON.stringify(row));
  };
  const cached = await serve();
  await seedTo(1_000);
  report(await getScenario("GET / (1,000 rows)", `${cached.url}/`));
  await seedTo(100_000);
  report(await getScenario("GET / (100,000 rows)", `${cached.url}/`));
  report(await getScenario("GET /?page=1000 (100,000 rows)", `${cached.url}/?page=1000`));

  const uncached = await serve({ DOCUMENT_CACHE_MAX_BYTES: "0" });
  report(await getScenario("GET / uncached (100,000 rows)", `${uncached.url}/`));
  report(await getScenario("GET /?page=1000 uncached (100,000 rows)", `${uncached.url}/?page=1000`));

  await checkpoint();
  report(deleteSummary("DELETE oldest row (100,000 rows, idle)", await deleteOldest(50)));
  // Deletes while the list is read (uncached: every read is a render reading the table) — the
  // reads' p99 shows whether a delete holds them up.
  const [readsDuringDeletes, busyDeletes] = await Promise.all([
    load({ url: `${uncached.url}/?page=1000`, duration: 5 }),
    (async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const ms = [];
      while (ms.length < 200) ms.push(...(await deleteOldest(20)));
      return ms.sort((a, b) => a - b);
    })(),
  ]);
  report(deleteSummary("DELETE oldest row during uncached GET /?page=1000", busyDeletes));
  report(summary("GET /?page=1000 uncached during deletes", readsDuringDeletes));
  servers.pop().kill("SIGTERM");

  const poster = await registrationPoster(cached.url, "solo");
  const posted = await load({ url: cached.url, ...poster.options });
  report(summary("POST /register (no JS)", posted, await poster.verify(dbFile)));

  const rss = [];
  const sampler = setInterval(() => rss.push(rssMiB(cached.pid)), 1000);
  const mixedPoster = await registrationPoster(cached.url, "mixed");
  const [reads, writes] = await Promise.all([
    load({ url: `${cached.url}/`, connections: Math.max(1, connections - 8), duration: mixedDuration }),
    load({ url: cached.url, connections: 8, duration: mixedDuration, ...mixedPoster.options }),
  ]);
  clearInterval(sampler);
  const half = rss.slice(Math.floor(rss.length / 2));
  const memory = { rssStartMiB: Math.round(rss[0]), rssPeakMiB: Math.round(Math.max(...rss)), rssEndMiB: Math.round(rss.at(-1)), rssSecondHalfSpreadMiB: Math.round(Math.max(...half) - Math.min(...half)), rssPeakSinceStartMiB: Math.round(peakRssMiB(cached.pid)) };
  report(summary(`mixed ${mixedDuration} s: GET /`, reads, memory));
  report(summary(`mixed ${mixedDuration} s: POST /register`, writes, await mixedPoster.verify(dbFile)));
  report({ scenario: "first visit to /", ...(await firstVisit(`${cached.url}/`)) });

  console.log();
  console.table(results.map(({ scenario, reqPerSec, p50, p99, bad, ...rest }) => ({ scenario, "req/s": reqPerSec, "p50 ms": p50, "p99 ms": p99, bad, notes: Object.entries(rest).map(([k, v]) => `${k}=${v}`).join(" ") })));
  mkdirSync(join(ROOT, "bench-results"), { recursive: true });
  const out = join(ROOT, "bench-results", `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(out, JSON.stringify({ when: new Date().toISOString(), duration, mixedDuration, connections, results }, null, 2));
  console.log(`written: ${out}`);
}

try {
  await main();
} finally {
  for (const server of servers) server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
