// Registrations on a real libSQL server (sqld, JWT auth on): the commit thread sends each group
// commit as one batch, one network round trip, which sqld runs as one transaction. Each caller
// still gets its own answer, a duplicate email is refused for that row alone, and every commit is
// counted before its callers are answered (how the list's freshness check knows this instance
// wrote: db/list-version/shared-read.ts).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Client } from "@libsql/client";
import { openClient } from "@/db/connection/client";
import { closeDb } from "@/db/connection";
import { localCommitCount } from "@/db/list-version";
import { applyMigrations } from "@/db/operations/migrate";
import { insertRegistrant } from "@/db/writer";
import { commitChangesInOneRoundTrip } from "@/db/writer/statements";
import { drizzle } from "drizzle-orm/libsql";
import { startSqld, type RunningSqld } from "../support/sqld";
import { uniqueEmail } from "../support/temp-db";

let sqld: RunningSqld;
let client: Client;

beforeAll(async () => {
  sqld = await startSqld();
  client = openClient({ url: sqld.httpUrl, authToken: sqld.authToken });
  await applyMigrations(client);
  // Read when the writer first starts (the first registration below).
  process.env.DATABASE_URL = sqld.httpUrl;
  process.env.DATABASE_AUTH_TOKEN = sqld.authToken;
}, 30_000);

afterAll(async () => {
  closeDb();
  client?.close();
  await sqld?.remove();
});

async function stored(emails: string[]): Promise<string[]> {
  const { rows } = await client.execute({ sql: `SELECT email FROM registrants WHERE email IN (${emails.map(() => "?").join(", ")}) ORDER BY id`, args: emails });
  return rows.map((row) => String(row.email));
}

describe("registrations on sqld", () => {
  test("registrations arriving together are committed together, each with its own id, each commit counted first", async () => {
    const before = localCommitCount();
    const people = Array.from({ length: 20 }, (_, i) => ({ name: `Remote ${i}`, email: uniqueEmail(`remote-${i}`) }));
    const results = await Promise.all(people.map((person) => insertRegistrant(person)));
    const ids = results.map((result) => (result.ok ? result.id : null));
    expect(new Set(ids).size).toBe(20);
    expect(ids.every((id) => typeof id === "number")).toBe(true);
    expect(await stored(people.map((p) => p.email))).toEqual(people.map((p) => p.email));
    const commits = localCommitCount() - before;
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThan(20); // shared commits, not one per registration
  });

  test("a duplicate email in the same group commit is refused for that row alone", async () => {
    const email = uniqueEmail("remote-twice");
    const other = uniqueEmail("remote-other");
    const results = await Promise.all([
      insertRegistrant({ name: "First", email }),
      insertRegistrant({ name: "Second", email }),
      insertRegistrant({ name: "Other", email: other }),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(2);
    expect(results).toContainEqual({ ok: false, reason: "duplicate-email" });
    expect(await stored([email, other])).toEqual([email, other]);
  });

  test("one batch is all or nothing: a batch that fails on the server stores none of its rows", async () => {
    const db = drizzle(client);
    const email = uniqueEmail("remote-atomic");
    // A NULL name breaks the NOT NULL constraint on the server, after the first row was inserted.
    await expect(commitChangesInOneRoundTrip(db, [{ name: "Kept?", email }, { name: null as unknown as string, email: uniqueEmail("remote-null") }])).rejects.toThrow();
    expect(await stored([email])).toEqual([]);
  });
});
