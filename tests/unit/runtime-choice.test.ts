// The rule that decides whether the pinned Node 24 stands in for the machine's node inside npm
// scripts (scripts/runtime/settle-node.mjs), and proof that this very test process obeys it.
import { describe, expect, it } from "vitest";
import { decideNodeLink, npmNodeMajor, PINNED_MAJOR } from "../../scripts/runtime/node-choice.mjs";
import { expectedNodeVersion } from "../support/runtime";

describe("which node npm scripts run on", () => {
  it("reads the major of the Node that runs npm from npm's user agent", () => {
    expect(npmNodeMajor("npm/11.19.1 node/v20.20.2 linux x64 workspaces/false")).toBe(20);
    expect(npmNodeMajor("npm/11.6.0 node/v24.11.1 darwin arm64 workspaces/false")).toBe(24);
    expect(npmNodeMajor("yarn/1.22.22 npm/? node/v26.1.0 linux x64")).toBe(26);
    expect(npmNodeMajor(undefined)).toBeUndefined();
    expect(npmNodeMajor("pnpm/10.0.0")).toBeUndefined();
  });

  it("keeps the pinned binary in front of an older system Node", () => {
    expect(decideNodeLink({ npmUserAgent: "npm/11.19.1 node/v20.20.2 linux x64", pinnedRuns: true })).toMatchObject({ keep: true });
    expect(decideNodeLink({ npmUserAgent: "npm/10.9.0 node/v22.12.0 linux x64", pinnedRuns: true })).toMatchObject({ keep: true });
  });

  it("changes nothing on a machine whose own Node is already the pinned major or newer", () => {
    expect(decideNodeLink({ npmUserAgent: `npm/11.6.0 node/v${PINNED_MAJOR}.0.0 linux x64`, pinnedRuns: true })).toMatchObject({ keep: false });
    expect(decideNodeLink({ npmUserAgent: "npm/11.6.0 node/v26.3.0 linux x64", pinnedRuns: true })).toMatchObject({ keep: false });
  });

  it("steps aside when the pinned binary cannot run here (linux-x64 without glibc)", () => {
    expect(decideNodeLink({ npmUserAgent: "npm/11.19.1 node/v20.20.2 linux x64", pinnedRuns: false })).toEqual({
      keep: false,
      reason: "the pinned binary does not run on this system",
    });
  });

  it("runs this test process on the chosen Node", () => {
    expect(process.versions.node).toBe(expectedNodeVersion());
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(PINNED_MAJOR);
  });
});
