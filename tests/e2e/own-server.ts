// For specs that need a server of their own (an empty, broken or unmigrated database, other
// secrets, its own log): starts the already-built app with the given DATABASE_URL and stops it after
// the describe block. By default it runs the launcher (which refuses a database behind the schema);
// `bare: true` runs server.js alone, as when a database goes wrong after the server has started.
import { test } from "@playwright/test";
import { SERVER_JS, startServer, type RunningServer } from "../support/server";

export function withOwnServer(databaseUrl: () => string, options: { bare?: boolean; env?: Record<string, string | undefined> } = {}) {
  const handle: { server?: RunningServer } = {};
  test.beforeAll(async () => {
    handle.server = await startServer(
      { DATABASE_URL: databaseUrl(), SESSION_SECRET: process.env.E2E_SESSION_SECRET, ...options.env },
      options.bare ? { command: [SERVER_JS] } : {},
    );
  });
  test.afterAll(async () => {
    await handle.server?.stop();
  });
  return {
    url: (path = "/") => `${handle.server!.url}${path}`,
    log: () => handle.server!.log(),
    pid: () => handle.server!.process.pid!,
  };
}
