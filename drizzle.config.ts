// drizzle-kit reads the same DATABASE_URL / DATABASE_AUTH_TOKEN as the app (lib/config.ts), so
// `db:generate`, `db:studio` and the app always agree on which database they mean.
import { defineConfig } from "drizzle-kit";
import { primaryDatabaseOf, readDatabaseConfig } from "./lib/config";
import { loadEnvFiles } from "./lib/env-files";

loadEnvFiles(); // the same .env rule as `next dev` and the db:* CLIs, not drizzle-kit's own
// An embedded replica's schema lives on its primary.
const { url, authToken } = primaryDatabaseOf(readDatabaseConfig());

export default defineConfig({
  dialect: "turso", // libSQL: the embedded file and remote sqld / Turso alike
  schema: "./db/schema.ts",
  out: "./db/migrations",
  dbCredentials: { url, authToken },
  strict: true,
  verbose: true,
});
