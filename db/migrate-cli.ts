// `npm run db:migrate`: applies pending migrations to DATABASE_URL. Safe to run twice; exits 1 with
// the reason on failure (unreachable server, bad token, read-only file, a migration that fails).
import { applyMigrations, appliedMigrationCount } from "./migrate";
import { runWithDatabase } from "./cli";

await runWithDatabase("db:migrate", async (client, url) => {
  const before = await appliedMigrationCount(client);
  const { adoptedRows } = await applyMigrations(client);
  const after = await appliedMigrationCount(client);
  const applied = after - before;
  const adopted = adoptedRows > 0 ? ` Adopted the classic registrants table (${adoptedRows} rows kept).` : "";
  return (applied === 0
    ? `db:migrate: ${url} is up to date (${after} migrations applied).`
    : `db:migrate: applied ${applied} migration${applied === 1 ? "" : "s"} to ${url} (${after} in all).`) + adopted;
});
