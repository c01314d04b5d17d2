// What the production launcher (server/start.ts) decides before serving: a server must
// not answer visitors with a schema older than its code. Pending migrations are applied when the
// operator asked for it (MIGRATE_ON_START=1); otherwise the launcher refuses to start.
import type { Client } from "@libsql/client";
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
