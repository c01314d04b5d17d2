// `npm run loadtest`: the load and durability scenarios (tests/load/scenarios.ts) at any size,
// against the production build (built first if missing, or with --build). Prints one report per
// scenario and exits 1 if any registration was lost, duplicated, refused or answered with a 5xx.
//
//   npm run loadtest -- --count 2000 --concurrency 32                 one server
//   npm run loadtest -- --count 2000 --concurrency 32 --servers 2     two processes, one file
//   npm run loadtest -- --count 2000 --concurrency 32 --crash         kill -9 mid-load, restart
//   npm run loadtest -- --full                                        all three at full size
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { crashScenario, loadScenario, type Report } from "../tests/load/scenarios";
import { buildApp, ROOT } from "../tests/support/server";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "200" },
    concurrency: { type: "string", default: "8" },
    servers: { type: "string", default: "1" },
    crash: { type: "boolean", default: false },
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

const runs: Array<() => Promise<Report>> = values.full
  ? [() => loadScenario({ count, concurrency, servers: 1 }), () => loadScenario({ count, concurrency, servers: 2 }), () => crashScenario({ count, concurrency })]
  : [values.crash ? () => crashScenario({ count, concurrency }) : () => loadScenario({ count, concurrency, servers })];

let failed = false;
for (const run of runs) {
  const report = await run();
  const { audit, ...summary } = report;
  console.log(JSON.stringify({ ...summary, audit: { ...audit, lost: audit.lost.length, duplicated: audit.duplicated.length, unacknowledgedStored: audit.unacknowledgedStored.length, altered: audit.altered.length } }, null, 2));
  failed ||= report.failures.length > 0;
}
process.exitCode = failed ? 1 : 0;
