// For specs that need a server of their own (an empty, broken or unmigrated database): starts the
// already-built app with the given DATABASE_URL (and any other environment) and stops it after the
// describe block.
import { test } from "@playwright/test";
import { startServer, type RunningServer } from "../support/server";

export function withOwnServer(databaseUrl: () => string, env: Record<string, string> = {}) {
  const handle: { server?: RunningServer } = {};
  test.beforeAll(async () => {
    handle.server = await startServer({ DATABASE_URL: databaseUrl(), SESSION_SECRET: process.env.E2E_SESSION_SECRET, ...env });
  });
  test.afterAll(async () => {
    await handle.server?.stop();
  });
  return {
    url: (path = "/") => `${handle.server!.url}${path}`,
    log: () => handle.server!.log(),
  };
}
