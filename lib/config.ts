// Every environment variable the app and its CLIs read, with its default and its error message,
// validated once. next.config.ts, drizzle.config.ts and the db/ CLIs import this, so a bad value
// fails the build or the command, not a visitor's request.
import { z } from "zod";

const databaseSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .default("file:./data/lecture.db")
    .refine((url) => /^(file|libsql|https?|wss?):/.test(url), {
      message: "DATABASE_URL must be a libSQL URL: file:path, libsql://host, http(s)://host or ws(s)://host",
    }),
  DATABASE_AUTH_TOKEN: z.string().trim().min(1).optional(),
});

export type DatabaseConfig = { url: string; authToken?: string };

/** Reads the database settings from `env` (process.env by default); throws a readable error. */
export function readDatabaseConfig(env: Record<string, string | undefined> = process.env): DatabaseConfig {
  const parsed = databaseSchema.safeParse({
    DATABASE_URL: env.DATABASE_URL || undefined,
    DATABASE_AUTH_TOKEN: env.DATABASE_AUTH_TOKEN || undefined,
  });
  if (!parsed.success) {
    throw new Error(`Invalid database configuration: ${describeIssues(parsed.error)}`);
  }
  return { url: parsed.data.DATABASE_URL, authToken: parsed.data.DATABASE_AUTH_TOKEN };
}

const serverSchema = z.object({
  MIGRATE_ON_START: z
    .enum(["0", "1"], { message: "MIGRATE_ON_START must be 1 (apply pending migrations before serving) or 0" })
    .default("0"),
  // Below Docker's 10 s stop grace period, so the server finishes on its own terms before SIGKILL.
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ message: "SHUTDOWN_TIMEOUT_MS must be a number of milliseconds" })
    .int()
    .min(0)
    .max(600_000)
    .default(8_000),
});

export type ServerConfig = { migrateOnStart: boolean; shutdownTimeoutMs: number };

/** Reads how the production server starts and stops (scripts/start-standalone.ts, lib/shutdown.ts). */
export function readServerConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = serverSchema.safeParse({
    MIGRATE_ON_START: env.MIGRATE_ON_START || undefined,
    SHUTDOWN_TIMEOUT_MS: env.SHUTDOWN_TIMEOUT_MS || undefined,
  });
  if (!parsed.success) throw new Error(`Invalid server configuration: ${describeIssues(parsed.error)}`);
  return { migrateOnStart: parsed.data.MIGRATE_ON_START === "1", shutdownTimeoutMs: parsed.data.SHUTDOWN_TIMEOUT_MS };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
}
