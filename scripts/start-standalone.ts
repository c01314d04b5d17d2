// The production entry point. scripts/assemble-standalone.ts bundles it into
// .next/standalone/start.mjs (plain JavaScript: the image has no tsx and no dev dependencies),
// which `npm start` and the Docker image run. It checks the database schema against this build's
// migrations (db/schema-gate.ts), then runs Next's server.js in this same process, so the
// orchestrator's signals reach Next's handler and lib/shutdown.ts directly. It starts Next the way
// server.js does, but with the configuration completed at start: which other sites may post the
// forms (SERVER_ACTIONS_ALLOWED_ORIGINS) is a fact of the deployment, not of the build.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeUrl } from "../db/cli";
import { openClient, prepareEmbeddedFile, withAbsoluteFilePath } from "../db/client";
import { passSchemaGate, type SchemaGate } from "../db/schema-gate";
import { readAllowedOrigins, readDatabaseConfig, readServerConfig } from "../lib/config";
import { logEvent } from "../lib/log";

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

/** What the generated server.js does, with runtimeNextConfig(). */
async function startNext(): Promise<void> {
  Object.assign(process.env, { NODE_ENV: "production" });
  process.chdir(STANDALONE_DIR);
  const config = runtimeNextConfig();
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
  const requireHere = createRequire(import.meta.url);
  requireHere("next");
  const { startServer } = requireHere("next/dist/server/lib/start-server");
  const keepAliveTimeout = parseInt(process.env.KEEP_ALIVE_TIMEOUT ?? "", 10);
  await startServer({
    dir: STANDALONE_DIR,
    isDev: false,
    config,
    hostname: process.env.HOSTNAME || "0.0.0.0",
    port: parseInt(process.env.PORT ?? "", 10) || 3000,
    allowRetry: false,
    keepAliveTimeout: Number.isFinite(keepAliveTimeout) && keepAliveTimeout >= 0 ? keepAliveTimeout : undefined,
  });
}

const startedAt = Date.now();
const ready = await main().catch((error: unknown) => {
  logEvent("error", "start.failed", { error, message: "Could not check the database schema. Not serving." });
  return false;
});
if (ready) {
  logEvent("info", "start.serving", { checkMs: Date.now() - startedAt });
  await startNext().catch((error: unknown) => {
    logEvent("error", "start.failed", { error, message: "The server could not start." });
    process.exit(1);
  });
} else {
  process.exitCode = 1;
}
