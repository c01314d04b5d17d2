// The runtime is part of what is tested: the servers this suite starts (and so `npm start` and the
// image, which run the same launcher) must be on the project's Node 24, not on whatever older node
// the machine has (CI's is Node 20). The health endpoint and the start-up log both say which it is.
import { expect, test } from "@playwright/test";
import { jsonLines } from "../support/processes";
import { expectedNodeVersion, majorOf, PINNED_MAJOR } from "../support/runtime";
import { healthAsOperator } from "../support/server";
import { withOwnServer } from "./own-server";

test("the server the tests started reports the pinned Node 24 in its health answer (to an operator)", async ({ baseURL }) => {
  const { node } = (await (await healthAsOperator(baseURL!)).json()) as { node: string };
  expect(majorOf(node)).toBeGreaterThanOrEqual(PINNED_MAJOR);
  expect(node).toBe(expectedNodeVersion());
});

test.describe("a server of its own", () => {
  const server = withOwnServer(() => process.env.E2E_DATABASE_URL!);

  test("logs the runtime it serves on when it starts listening", async () => {
    const listening = jsonLines(server.log()).find((line) => line.event === "start.listening");
    expect(listening).toMatchObject({ level: "info", node: expectedNodeVersion() });
    expect(majorOf(String(listening?.node))).toBeGreaterThanOrEqual(PINNED_MAJOR);
  });
});

test("the test runner itself runs on the same Node", () => {
  expect(process.versions.node).toBe(expectedNodeVersion());
});
