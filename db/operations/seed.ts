// The classic demo's one registrant. Idempotent: the unique email index makes a second run a no-op.
import type { Client } from "@libsql/client";

export const SEED_REGISTRANTS = [{ name: "Alice", email: "alice@example.com" }] as const;

/** Inserts the seed rows that are missing; returns how many were inserted. */
export async function seedRegistrants(client: Client): Promise<number> {
  let inserted = 0;
  for (const { name, email } of SEED_REGISTRANTS) {
    const result = await client.execute({
      sql: "INSERT INTO registrants (name, email) VALUES (?, ?) ON CONFLICT (email) DO NOTHING",
      args: [name, email],
    });
    inserted += result.rowsAffected;
  }
  return inserted;
}
