// `npm run db:migrate`: applies pending migrations to DATABASE_URL. Safe to run twice; exits 1 with
// the reason on failure (unreachable server, bad token, read-only file, a migration that fails).
// On a terminal, stderr shows the step under way while it runs (db/operations/progress.ts).
import { applyMigrations, appliedMigrationCount, MIGRATIONS_FOLDER, terminalProgress } from "../operations";
import { runWithDatabase } from "./shared";

await runWithDatabase("db:migrate", async (client, url) => {
  const before = await appliedMigrationCount(client);
  const progress = terminalProgress(process.stderr);
  const { adoptedRows } = await applyMigrations(client, MIGRATIONS_FOLDER, (step) => progress.step(`db:migrate: ${step}`)).finally(() => progress.clear());
  const after = await appliedMigrationCount(client);
  const applied = after - before;
  const adopted = adoptedRows > 0 ? ` Adopted the classic registrants table (${adoptedRows} rows kept).` : "";
  return (applied === 0
    ? `db:migrate: ${url} is up to date (${after} migrations applied).`
    : `db:migrate: applied ${applied} migration${applied === 1 ? "" : "s"} to ${url} (${after} in all).`) + adopted;
});
