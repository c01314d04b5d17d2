// What the production launcher (server/start.ts) decides before serving: a server must not answer
// visitors with a schema older than its code. Behind, it says what to run and does not serve; with
// MIGRATE_ON_START=1 it applies the pending migrations first.
import type { Client } from "@libsql/client";
import { primaryDatabaseOf, readDatabaseConfig, readServerConfig } from "../../lib/config";
import { describeUrl, logEvent } from "../../lib/log";
import { explainDatabaseFailure, openClient, prepareEmbeddedFile } from "../connection";
import { applyMigrations, MIGRATIONS_FOLDER, pendingMigrations } from "./migrate";

export type SchemaGate =
  | { status: "current"; migratedByAnother?: true }
  | { status: "migrated"; applied: string[]; adoptedRows: number }
  | { status: "behind"; pending: string[] };

export async function passSchemaGate(
  client: Client,
  { migrate, migrationsFolder = MIGRATIONS_FOLDER }: { migrate: boolean; migrationsFolder?: string },
): Promise<SchemaGate> {
  const pending = await pendingMigrations(client, migrationsFolder);
  if (pending.length === 0) return { status: "current" };
  if (!migrate) return { status: "behind", pending };
  const { adoptedRows, appliedElsewhere } = await applyMigrations(client, migrationsFolder);
  if (appliedElsewhere) return { status: "current", migratedByAnother: true };
  return { status: "migrated", applied: pending, adoptedRows };
}

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
  // An embedded replica is checked (and migrated) on its primary; its file follows by syncing.
  const { url, authToken } = primaryDatabaseOf(readDatabaseConfig());
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
