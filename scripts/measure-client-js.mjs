// `npm run measure:js [-- [BASE_URL] [PATH…]]`: what a visitor's phone downloads. Loads each page
// cold in Chromium on a slow-phone profile (4× CPU slowdown, DevTools' "Slow 4G") and prints per
// page the JavaScript and all bytes as transferred (compressed, response headers included, as
// DevTools counts them) and the Total Blocking Time (long tasks past 50 ms). Without BASE_URL it
// serves this project's production build (`npm run build` first) on a fresh migrated temp database,
// as the end-to-end tests do. CHROMIUM_PATH, else /usr/bin/chromium when it exists, else
// Playwright's own. RUNS (default 3) loads a page, medians shown; VERBOSE=1 lists each script.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "@playwright/test";

const ROOT = join(import.meta.dirname, "..");
const RUNS = Number(process.env.RUNS || 3);
const args = process.argv.slice(2);
const baseArg = args.find((arg) => /^https?:\/\//.test(arg));
const paths = args.filter((arg) => arg !== baseArg);
if (paths.length === 0) paths.push(...(baseArg ? ["/"] : ["/", "/register", "/todos"]));

// DevTools' "Slow 4G" preset (Lighthouse's mobile throttling as DevTools applies it).
const NETWORK = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };
const CPU_SLOWDOWN = 4;

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

/** The standalone server the way `npm start` runs it (its V8 flags too), on a fresh migrated database. */
async function startProjectServer() {
  if (!existsSync(join(ROOT, ".next", "standalone", "start.mjs"))) throw new Error("no production build: run `npm run build` first");
  const dir = mkdtempSync(join(tmpdir(), "registrants-measure-"));
  const env = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: `file:${join(dir, "measure.db")}`, SESSION_SECRET: "measure-client-js-session-secret-0123456789" };
  const migrate = spawnSync("npm", ["run", "--silent", "db:migrate"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
  if (migrate.status !== 0) throw new Error(`npm run db:migrate failed (exit ${migrate.status})`);
  const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const nodeArgs = scripts.start.replace(/^exec node /, "").split(" ");
  const port = await freePort();
  const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, env: { ...env, PORT: String(port), HOSTNAME: "127.0.0.1" }, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (await fetch(`${url}/register`).then((response) => response.ok, () => false)) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  stop();
  throw new Error("the server did not answer within 60 s");
}

/** One cold load of `url`: bytes per resource type as transferred (compressed, headers included), and TBT. */
async function loadOnce(browser, url) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true });
  await context.addInitScript(() => {
    window.__blockingMs = 0;
    new PerformanceObserver((list) => {
      for (const task of list.getEntries()) window.__blockingMs += Math.max(0, task.duration - 50);
    }).observe({ type: "longtask", buffered: true });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const responses = new Map();
  const bytes = { script: 0, total: 0, scripts: 0, scriptUrls: [] };
  cdp.on("Network.responseReceived", ({ requestId, type, response }) => responses.set(requestId, { type, url: response.url }));
  cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength }) => {
    bytes.total += encodedDataLength;
    const response = responses.get(requestId);
    if (response?.type === "Script") {
      bytes.script += encodedDataLength;
      bytes.scripts += 1;
      bytes.scriptUrls.push(`${kib(encodedDataLength).padStart(6)} KiB  ${new URL(response.url).pathname}`);
    }
  });
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", NETWORK);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  await page.goto(url, { waitUntil: "networkidle", timeout: 120_000 });
  await page.waitForTimeout(1_000); // long tasks right after the network settles still count
  const blockingMs = await page.evaluate(() => window.__blockingMs);
  await context.close();
  return { ...bytes, blockingMs };
}

const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
const kib = (n) => (n / 1024).toFixed(1);

const server = baseArg ? { url: baseArg.replace(/\/$/, ""), stop() {} } : await startProjectServer();
const executablePath = process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
try {
  console.log(`${server.url}: ${RUNS} cold loads a page, 4× CPU slowdown, Slow 4G; medians\n`);
  console.log("| page | JS (KiB, compressed) | scripts | all bytes (KiB) | TBT (ms), range |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const path of paths) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await loadOnce(browser, server.url + path));
    const pick = (key) => median(runs.map((run) => run[key]));
    if (process.env.VERBOSE) console.error(runs[0].scriptUrls.join("\n"));
    const blocking = runs.map((run) => Math.round(run.blockingMs));
    console.log(`| ${path} | ${kib(pick("script"))} | ${pick("scripts")} | ${kib(pick("total"))} | ${median(blocking)}, ${Math.min(...blocking)}–${Math.max(...blocking)} |`);
  }
} finally {
  await browser.close();
  server.stop();
}
