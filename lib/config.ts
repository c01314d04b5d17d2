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
    const details = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Invalid database configuration: ${details}`);
  }
  return { url: parsed.data.DATABASE_URL, authToken: parsed.data.DATABASE_AUTH_TOKEN };
}
