// What the launcher decides before serving: a server must not run against a database behind its
// migrations (db/operations/schema-gate.ts). Behind, it says what to run and does not serve; with
// MIGRATE_ON_START=1 it applies them first.
import { openClient, prepareEmbeddedFile, withAbsoluteFilePath } from "../db/connection/client";
import { explainDatabaseFailure } from "../db/connection/connection-errors";
import { passSchemaGate, type SchemaGate } from "../db/operations/schema-gate";
import { primaryDatabaseOf, readDatabaseConfig, readServerConfig } from "../lib/config";
import { describeUrl, logEvent } from "../lib/log";

async function checkSchema(url: string, authToken: string | undefined, migrate: boolean, migrationsFolder: string): Promise<SchemaGate> {
  const client = openClient({ url, authToken });
  try {
    await prepareEmbeddedFile(client, url);
    return await passSchemaGate(client, { migrate, migrationsFolder });
  } finally {
    client.close();
  }
}

/** True when the database matches this build (after migrating it if asked to); logs the outcome either way. */
export async function isSchemaReady(migrationsFolder: string): Promise<boolean> {
  const { migrateOnStart } = readServerConfig();
  const config = readDatabaseConfig();
  // Next changes into the standalone folder; a relative file: URL must keep meaning the caller's.
  process.env.DATABASE_URL = withAbsoluteFilePath(config.url);
  // An embedded replica is checked (and migrated) on its primary; its file follows by syncing.
  const { url, authToken } = primaryDatabaseOf({ ...config, url: process.env.DATABASE_URL });
  const database = describeUrl(url);
  const gate = await checkSchema(url, authToken, migrateOnStart, migrationsFolder).catch(async (error: unknown) => {
    // A refused token or an unreachable server is the operator's to fix: say which variable.
    const explained = await explainDatabaseFailure(error, { url, authToken });
    throw explained ? new Error(explained, { cause: error }) : error;
  });
  if (gate.status === "behind") {
    logEvent("error", "start.schema-behind", {
      database,
      pending: gate.pending,
      message: `The database is ${gate.pending.length} migration(s) behind this build. Run \`npm run db:migrate\` (in the image: \`node migrate.mjs\`) against this DATABASE_URL, or start with MIGRATE_ON_START=1. Not serving.`,
    });
    return false;
  }
  if (gate.status === "migrated") logEvent("info", "start.migrated", { database, applied: gate.applied, adoptedRows: gate.adoptedRows });
  else logEvent("info", "start.schema-current", { database, migratedByAnotherInstance: gate.migratedByAnother });
  return true;
}
