// The production entry point. scripts/assemble-standalone.ts bundles it into
// .next/standalone/start.mjs (plain JavaScript: the image has no tsx and no dev dependencies), which
// `npm start` and the Docker image run. It checks the database schema against this build's
// migrations (db/operations/schema-gate.ts), then serves (server/serve.ts) in this same process, so the
// orchestrator's signals reach the server directly. It runs instead of Next's generated server.js
// because the registrants list's document cache answers some requests before Next does.
// Start-up is the only time the launcher changes the process: here (the environment, below) and in
// server/next-handler.ts (NODE_ENV, the working folder, Next's private settings).
import { fileURLToPath } from "node:url";
import { withAbsoluteFilePath } from "../db/connection";
import { isSchemaReady } from "../db/operations";
import { readDatabaseConfig } from "../lib/config";
import { loadEnvFiles } from "../lib/env-files";
import { logEvent } from "../lib/log";
import { routeConsoleThroughLog } from "./json-console";
import { serve } from "./serve";

routeConsoleThroughLog(); // before anything else can print: the log holds JSON lines only

// Once bundled, this file is start.mjs in the standalone folder, with the migrations beside it.
const STANDALONE_DIR = fileURLToPath(new URL(".", import.meta.url));
const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

async function isReadyToServe(): Promise<boolean> {
  // `npm start` from the project folder reads its .env files as `next start` would (production mode).
  loadEnvFiles({ mode: "production" });
  // Next changes into the standalone folder: a relative file: URL must keep meaning the caller's
  // folder, for Next's bundles and the commit thread alike, which read the environment.
  process.env.DATABASE_URL = withAbsoluteFilePath(readDatabaseConfig().url);
  return isSchemaReady(MIGRATIONS_FOLDER);
}

const startedAt = Date.now();
const ready = await isReadyToServe().catch((error: unknown) => {
  logEvent("error", "start.failed", { error, message: "Could not check the database schema. Not serving." });
  return false;
});
if (ready) {
  logEvent("info", "start.serving", { checkMs: Date.now() - startedAt });
  await serve(STANDALONE_DIR).catch((error: unknown) => {
    logEvent("error", "start.failed", { error, message: "The server could not start." });
    process.exit(1);
  });
} else {
  process.exitCode = 1;
}
