// scripts/bench-serve-sqld.sh keeps the harness's contract (../shared/peers/bench/compare.sh and
// db-url.mjs): it serves on PORT, writes sqld's URL and a token beside DBFILE so seeding and checks
// reach the same database, stays the parent of sqld and the app (the harness measures this PID and
// its children), and a SIGTERM to its PID stops both.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { expect, test } from "@playwright/test";
import { freePort, ROOT } from "../support/server";
import { waitForExit } from "../support/processes";

const alive = (pid: number) => existsSync(`/proc/${pid}`);
/** The script's child processes, each named by what it runs. */
const childrenOf = (pid: number) =>
  execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(pid)], { encoding: "utf8" })
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [childPid, ...args] = line.trim().split(/\s+/);
      const command = args.some((arg) => arg.endsWith("start.mjs")) ? "app" : args[0].endsWith("/sqld") ? "sqld" : args.join(" ");
      return { pid: Number(childPid), command };
    });

for (const script of ["bench-serve-sqld.sh", "bench-serve-replica.sh"]) {
  test(`${script}: sqld and the app under one PID, the URL and token for the harness, both stopped by SIGTERM`, async () => {
    test.setTimeout(90_000);
    const dir = mkdtempSync(join(tmpdir(), "registrants-bench-serve-"));
    const db = join(dir, "target.db");
    const port = await freePort();
    const serve = spawn(join(ROOT, "scripts", script), [String(port), db], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    serve.stdout?.on("data", (chunk) => (output += chunk));
    serve.stderr?.on("data", (chunk) => (output += chunk));
    try {
      await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.status, { timeout: 60_000, intervals: [250] }).toBe(200);
      const children = childrenOf(serve.pid!);
      expect(children.map(({ command }) => command).sort()).toEqual(["app", "sqld"]);

      // What the harness's seed.mjs does: through DBFILE.url and DBFILE.token, the app's database.
      const client = createClient({ url: readFileSync(`${db}.url`, "utf8").trim(), authToken: readFileSync(`${db}.token`, "utf8").trim() });
      await client.execute("INSERT INTO registrants (name, email) VALUES ('Seeded by the harness', 'seeded-by-harness@example.com')");
      client.close();
      await expect.poll(async () => (await (await fetch(`http://127.0.0.1:${port}/`)).text()).includes("seeded-by-harness@example.com"), { timeout: 5_000 }).toBe(true);

      serve.kill("SIGTERM");
      await waitForExit(serve, 20_000);
      for (const { pid, command } of children) expect(alive(pid), `${command} (${pid}) stopped`).toBe(false);
    } catch (error) {
      throw new Error(`${String(error)}\n${output.slice(-4_000)}`);
    } finally {
      if (serve.exitCode === null && serve.signalCode === null) serve.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
