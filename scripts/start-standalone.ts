// The production entry point. scripts/assemble-standalone.ts bundles it into
// .next/standalone/start.mjs (plain JavaScript: the image has no tsx and no dev dependencies),
// which `npm start` and the Docker image run. It checks the database schema against this build's
// migrations (db/schema-gate.ts), then runs Next's server.js in this same process, so the
// orchestrator's signals reach the server and lib/shutdown.ts directly. Instead of Next's server.js it
// runs Next's request handler behind the registrants list's document cache (server/document-cache.ts,
// see README "Performance"), with Next's configuration completed at start: which other sites may
// post the forms (SERVER_ACTIONS_ALLOWED_ORIGINS) is a fact of the deployment, not of the build.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeUrl } from "../db/cli";
import { openClient, prepareEmbeddedFile, withAbsoluteFilePath } from "../db/client";
import { passSchemaGate, type SchemaGate } from "../db/schema-gate";
import { readAllowedOrigins, readDatabaseConfig, readDocumentCacheConfig, readServerConfig } from "../lib/config";
import { loadEnvFiles } from "../lib/env-files";
import { logEvent } from "../lib/log";
import { readListState } from "../db/data-version";
import { PAGE_SIZE } from "../db/registrants";
import { createDocumentCache } from "../server/document-cache";

// The migrations travel beside this file in the standalone folder (see assemble-standalone.ts).
const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

async function checkSchema(url: string, authToken: string | undefined, migrate: boolean): Promise<SchemaGate> {
  const client = openClient({ url, authToken });
  try {
    await prepareEmbeddedFile(client, url);
    return await passSchemaGate(client, { migrate, migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    client.close();
  }
}

async function main(): Promise<boolean> {
  // `npm start` from the project folder reads its .env files as `next start` would (production mode).
  loadEnvFiles({ mode: "production" });
  const { migrateOnStart } = readServerConfig();
  const { url, authToken } = readDatabaseConfig();
  // server.js changes into its own folder; a relative file: URL must keep meaning the caller's.
  process.env.DATABASE_URL = withAbsoluteFilePath(url);
  const database = describeUrl(process.env.DATABASE_URL);
  const gate = await checkSchema(process.env.DATABASE_URL, authToken, migrateOnStart);
  if (gate.status === "behind") {
    logEvent("error", "start.schema-behind", {
      database,
      pending: gate.pending,
      message: `The database is ${gate.pending.length} migration(s) behind this build. Run \`npm run db:migrate\` (in the image: \`node migrate.mjs\`) against this DATABASE_URL, or start with MIGRATE_ON_START=1. Not serving.`,
    });
    return false;
  }
  if (gate.status === "migrated") logEvent("info", "start.migrated", { database, applied: gate.applied, adoptedRows: gate.adoptedRows });
  else logEvent("info", "start.schema-current", { database });
  return true;
}

const STANDALONE_DIR = fileURLToPath(new URL(".", import.meta.url));

/** The build's Next configuration (as server.js has it), with this deployment's allowed origins. */
function runtimeNextConfig() {
  const { config } = JSON.parse(readFileSync(join(STANDALONE_DIR, ".next", "required-server-files.json"), "utf8"));
  config.experimental.serverActions = { ...config.experimental.serverActions, allowedOrigins: readAllowedOrigins() };
  return config;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Next's handler, prepared as the generated server.js would, with runtimeNextConfig(). */
async function prepareNext(hostname: string, port: number): Promise<Handler> {
  Object.assign(process.env, { NODE_ENV: "production" });
  process.chdir(STANDALONE_DIR);
  const config = runtimeNextConfig();
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
  const next = createRequire(import.meta.url)("next");
  const app = next({ dev: false, dir: STANDALONE_DIR, hostname, port, conf: config });
  await app.prepare();
  return app.getRequestHandler();
}

async function serve(): Promise<void> {
  const hostname = process.env.HOSTNAME || "0.0.0.0";
  const port = parseInt(process.env.PORT ?? "", 10) || 3000;
  const handle = await prepareNext(hostname, port);
  const documentCache = createDocumentCache({ ...readDocumentCacheConfig(), pageSize: PAGE_SIZE }, readListState);
  const server = createServer(async (request, response) => {
    try {
      await documentCache.serve(request, response, handle);
    } catch (error) {
      logEvent("error", "request.failed", { method: request.method, path: request.url?.split("?")[0], error });
      if (!response.headersSent) response.writeHead(500).end("Internal Server Error");
    }
  });
  // On SIGTERM/SIGINT: take no new connections and exit once the requests in flight are answered
  // (lib/shutdown.ts, installed by instrumentation.ts, closes keep-alive connections after their
  // last response, bounds the wait and closes the database).
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  logEvent("info", "start.listening", { url: `http://${hostname}:${port}`, node: process.versions.node });
}

const startedAt = Date.now();
const ready = await main().catch((error: unknown) => {
  logEvent("error", "start.failed", { error, message: "Could not check the database schema. Not serving." });
  return false;
});
if (ready) {
  logEvent("info", "start.serving", { checkMs: Date.now() - startedAt });
  await serve().catch((error: unknown) => {
    logEvent("error", "start.failed", { error, message: "The server could not start." });
    process.exit(1);
  });
} else {
  process.exitCode = 1;
}
