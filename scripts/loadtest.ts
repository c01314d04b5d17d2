// `npm run loadtest`: the load and durability scenarios (tests/load/scenarios.ts) at any size,
// against the production build (built first if missing, or with --build). Prints one report per
// scenario and exits 1 if any registration was lost, duplicated, refused or answered with a 5xx.
//
//   npm run loadtest -- --count 2000 --concurrency 32                 one server
//   npm run loadtest -- --count 2000 --concurrency 32 --servers 2     two processes, one file
//   npm run loadtest -- --count 2000 --concurrency 32 --crash         kill -9 mid-load, restart
//   npm run loadtest -- --full                                        all three at full size
//
// On a real sqld (started by the run itself, JWT auth on; several instances share it):
//   npm run loadtest -- --database sqld --servers 3 --count 2000 --concurrency 32
//   npm run loadtest -- --database sqld --servers 3 --kill-instance    kill -9 one instance mid-load
//   npm run loadtest -- --database sqld --servers 3 --restart-database kill -9 sqld mid-load, restart it
//   npm run loadtest -- --database sqld --full                         the three above at full size
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { databaseRestartScenario, instanceKillScenario } from "../tests/load/remote-faults";
import { crashScenario, loadScenario, type Report } from "../tests/load/scenarios";
import { buildApp, ROOT } from "../tests/support/server";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "200" },
    concurrency: { type: "string", default: "8" },
    servers: { type: "string", default: "1" },
    crash: { type: "boolean", default: false },
    database: { type: "string", default: "file" },
    "kill-instance": { type: "boolean", default: false },
    "restart-database": { type: "boolean", default: false },
    "outage-ms": { type: "string", default: "3000" },
    full: { type: "boolean", default: false },
    build: { type: "boolean", default: false },
  },
});

function positive(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number, got ${raw}`);
  return value;
}

if (values.build || !existsSync(join(ROOT, ".next", "BUILD_ID"))) buildApp();

const count = values.full ? 2000 : positive("count", values.count);
const concurrency = values.full ? 32 : positive("concurrency", values.concurrency);
const servers = positive("servers", values.servers);
const outageMs = positive("outage-ms", values["outage-ms"]);
if (values.database !== "file" && values.database !== "sqld") throw new Error(`--database must be file or sqld, got ${values.database}`);
const onSqld = values.database === "sqld";
if (!onSqld && (values["kill-instance"] || values["restart-database"])) throw new Error("--kill-instance and --restart-database need --database sqld");
if (onSqld && values.crash) throw new Error("--crash is the embedded file's scenario; on sqld use --kill-instance or --restart-database");

function fileRuns(): Array<() => Promise<Report>> {
  if (values.full) return [() => loadScenario({ count, concurrency, servers: 1 }), () => loadScenario({ count, concurrency, servers: 2 }), () => crashScenario({ count, concurrency })];
  return [values.crash ? () => crashScenario({ count, concurrency }) : () => loadScenario({ count, concurrency, servers })];
}

function sqldRuns(): Array<() => Promise<Report>> {
  const instances = values.full ? 3 : servers;
  const load = () => loadScenario({ count, concurrency, servers: instances, database: "sqld" });
  const killOne = () => instanceKillScenario({ count, concurrency, servers: Math.max(2, instances) });
  const restart = () => databaseRestartScenario({ count, concurrency, servers: instances, outageMs });
  if (values.full) return [load, killOne, restart];
  return [values["kill-instance"] ? killOne : values["restart-database"] ? restart : load];
}

const runs = onSqld ? sqldRuns() : fileRuns();

let failed = false;
for (const run of runs) {
  const report = await run();
  const { audit, ...summary } = report;
  console.log(JSON.stringify({ ...summary, audit: { ...audit, lost: audit.lost.length, duplicated: audit.duplicated.length, unacknowledgedStored: audit.unacknowledgedStored.length, altered: audit.altered.length } }, null, 2));
  failed ||= report.failures.length > 0;
}
process.exitCode = failed ? 1 : 0;
