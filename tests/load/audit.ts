// Compares the database with what the servers acknowledged: every 303 stored exactly once, as
// sent, and nothing stored that was not acknowledged (except requests in flight at a crash).
import { openClient } from "../../db/connection/client";
import type { DatabaseConfig } from "../../lib/config";
import type { Attempt } from "./driver";

export type Audit = {
  stored: number;
  /** Acknowledged (303) but not in the database. */
  lost: string[];
  /** In the database more than once. */
  duplicated: string[];
  /** In the database although the answer was not a 303 (and the request was not in flight at a crash). */
  unacknowledgedStored: string[];
  /** Stored with a different name than was sent. */
  altered: string[];
  integrity: string;
};

export async function auditDatabase(database: DatabaseConfig, tag: string, attempts: Attempt[], inFlight: ReadonlySet<string> = new Set()): Promise<Audit> {
  const client = openClient(database);
  try {
    const { rows } = await client.execute({
      sql: "SELECT email, name, count(*) AS n FROM registrants WHERE email LIKE ? GROUP BY email",
      args: [`load-${tag}-%`],
    });
    const integrity = String((await client.execute("PRAGMA integrity_check")).rows[0][0]);
    const stored = new Map(rows.map((row) => [String(row.email), { name: String(row.name), n: Number(row.n) }]));
    const sent = new Map(attempts.map((a) => [a.email, a]));
    const acknowledged = attempts.filter((a) => a.outcome === "acknowledged");
    return {
      stored: rows.reduce((sum, row) => sum + Number(row.n), 0),
      lost: acknowledged.filter((a) => !stored.has(a.email)).map((a) => a.email),
      duplicated: [...stored].filter(([, row]) => row.n > 1).map(([email]) => email),
      unacknowledgedStored: [...stored.keys()].filter((email) => sent.get(email)?.outcome !== "acknowledged" && !inFlight.has(email)),
      altered: [...stored].filter(([email, row]) => sent.has(email) && sent.get(email)!.name !== row.name).map(([email]) => email),
      integrity,
    };
  } finally {
    client.close();
  }
}
