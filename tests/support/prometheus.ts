// A real Prometheus for the tests (Debian's `prometheus` package, /usr/bin/prometheus; .ci/run
// installs it): started as a child process on a free loopback port with a temp TSDB folder and a
// config the test writes, stopped by its PID. Its HTTP API (/api/v1/query, /api/v1/targets) is
// what the tests read, as an operator's dashboard or alert would.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitForExit } from "./processes";
import { freePort } from "./server";

export const PROMETHEUS_PATH = process.env.PROMETHEUS_PATH || "/usr/bin/prometheus";

export const prometheusInstalled = () => existsSync(PROMETHEUS_PATH);

/** A scrape config (prometheus.yml's `scrape_configs` entry). */
export type ScrapeConfig = {
  job_name: string;
  metrics_path?: string;
  authorization?: { type?: string; credentials: string };
  static_configs: { targets: string[]; labels?: Record<string, string> }[];
};

export type InstantVector = { metric: Record<string, string>; value: [number, string] }[];
export type Target = { labels: Record<string, string>; scrapeUrl: string; health: "up" | "down" | "unknown"; lastError: string };

export type RunningPrometheus = {
  url: string;
  process: ChildProcess;
  log: () => string;
  /** An instant query, evaluated now. */
  query: (promql: string) => Promise<InstantVector>;
  activeTargets: () => Promise<Target[]>;
  stop: () => Promise<void>;
};

async function api<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== "success") throw new Error(`${url}: ${body.error ?? response.status}`);
  return body.data;
}

/**
 * Starts Prometheus scraping every second with `scrapeConfigs` (on `port`, else a free one), and
 * waits (at most 30 s) until it is ready. JSON is YAML, so the config is written as JSON.
 */
export async function startPrometheus(scrapeConfigs: ScrapeConfig[], { port }: { port?: number } = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), "registrants-prometheus-"));
  const config = { global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" }, scrape_configs: scrapeConfigs };
  writeFileSync(join(dir, "prometheus.yml"), JSON.stringify(config, null, 2));
  const listenPort = port ?? (await freePort());
  const url = `http://127.0.0.1:${listenPort}`;
  const child = spawn(
    PROMETHEUS_PATH,
    [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${listenPort}`, "--log.level=warn"],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      try {
        await waitForExit(child, 10_000);
      } catch {
        child.kill("SIGKILL");
        await waitForExit(child, 5_000);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`prometheus exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    }
    const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) {
      return {
        url,
        process: child,
        log: () => output,
        query: async (promql) => (await api<{ resultType: string; result: InstantVector }>(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`)).result,
        activeTargets: async () => (await api<{ activeTargets: Target[] }>(`${url}/api/v1/targets?state=active`)).activeTargets,
        stop,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`prometheus was not ready within 30 s:\n${output}`);
}
