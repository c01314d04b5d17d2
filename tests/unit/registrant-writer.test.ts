// Group commit: registrations that arrive together share one transaction (one fsync), and each
// still gets its own answer. Against a real, migrated SQLite file in WAL mode.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { BUSY_TIMEOUT_MS, filePathOf } from "@/db/client";
import { insertRegistrant } from "@/db/registrants";
import type { RegistrantInput } from "@/lib/registrant-rules";
import { uniqueEmail, withTempDatabase } from "../support/temp-db";

const database = withTempDatabase();

/** Commits in the WAL since it was last truncated: frames whose "size after commit" is set. */
function walCommits(): number {
  const wal = readFileSync(`${filePathOf(database.url())}-wal`);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const [salt1, salt2] = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break; // left over from before
    if (wal.readUInt32BE(at + 4) !== 0) commits += 1;
  }
  return commits;
}

async function emptyWal() {
  await database.client().execute("PRAGMA wal_checkpoint(TRUNCATE)");
  expect(walCommits()).toBe(0);
}

async function storedNames(emails: string[]): Promise<string[]> {
  const { rows } = await database.client().execute({
    sql: `SELECT name FROM registrants WHERE email IN (${emails.map(() => "?").join(", ")}) ORDER BY id`,
    args: emails,
  });
  return rows.map((row) => String(row.name));
}

const person = (name: string, email = uniqueEmail(name.toLowerCase().replace(/\W+/g, "-"))): RegistrantInput => ({ name, email });

describe("group commit", () => {
  test("registrations arriving together are stored in one transaction, each with its own id", async () => {
    await insertRegistrant(person("warm-up")); // opens the connection, so the batch below is all there is
    await emptyWal();
    const people = Array.from({ length: 20 }, (_, i) => person(`Batch ${i}`));
    const results = await Promise.all(people.map((p) => insertRegistrant(p)));

    expect(walCommits()).toBe(1);
    expect(results.every((result) => result.ok)).toBe(true);
    const ids = results.map((result) => (result.ok ? result.id : 0));
    expect(new Set(ids).size).toBe(20);
    expect(ids).toEqual([...ids].sort((a, b) => a - b)); // stored in arrival order
    expect(await storedNames(people.map((p) => p.email))).toEqual(people.map((p) => p.name));
  });

  test("a duplicate inside one batch is refused for that registration alone", async () => {
    const shared = uniqueEmail("same-batch");
    const [first, second, other] = await Promise.all([
      insertRegistrant(person("First", shared)),
      insertRegistrant(person("Second", shared)),
      insertRegistrant(person("Other")),
    ]);
    expect(first.ok).toBe(true);
    expect(second).toEqual({ ok: false, reason: "duplicate-email" });
    expect(other.ok).toBe(true);
    expect(await storedNames([shared])).toEqual(["First"]);
  });

  test("a duplicate of a row from an earlier batch is refused, its batch-mates stored", async () => {
    const earlier = uniqueEmail("earlier");
    expect((await insertRegistrant(person("Earlier", earlier))).ok).toBe(true);
    const later = person("Later");
    const [again, fresh] = await Promise.all([insertRegistrant(person("Again", earlier)), insertRegistrant(later)]);
    expect(again).toEqual({ ok: false, reason: "duplicate-email" });
    expect(fresh.ok).toBe(true);
    expect(await storedNames([earlier, later.email])).toEqual(["Earlier", "Later"]);
  });

  test("a row that breaks the rules fails alone; the rest of its batch is stored", async () => {
    const before = person("Before");
    const after = person("After");
    const broken = { name: null, email: uniqueEmail("broken") } as unknown as RegistrantInput; // a caller that skipped validation
    const [first, bad, last] = await Promise.allSettled([insertRegistrant(before), insertRegistrant(broken), insertRegistrant(after)]);
    expect(first).toMatchObject({ status: "fulfilled", value: { ok: true } });
    expect(bad).toMatchObject({ status: "rejected", reason: expect.objectContaining({ message: expect.stringMatching(/valid registrant/) }) });
    expect(last).toMatchObject({ status: "fulfilled", value: { ok: true } });
    expect(await storedNames([before.email, broken.email, after.email])).toEqual(["Before", "After"]);
  });

  test("a resolved registration is already committed: another connection reads it", async () => {
    const people = [person("Durable A"), person("Durable B")];
    await Promise.all(people.map((p) => insertRegistrant(p)));
    expect(await storedNames(people.map((p) => p.email))).toEqual(["Durable A", "Durable B"]);
  });

  test(
    "a batch that cannot commit (locked past the busy timeout) fails every registration in it and stores none",
    async () => {
      const lock = await database.client().transaction("write");
      const people = [person("Locked A"), person("Locked B"), person("Locked C")];
      try {
        const results = await Promise.allSettled(people.map((p) => insertRegistrant(p)));
        expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
      } finally {
        await lock.rollback();
      }
      expect(await storedNames(people.map((p) => p.email))).toEqual([]);
      expect((await insertRegistrant(person("After the lock"))).ok).toBe(true);
    },
    BUSY_TIMEOUT_MS * 2 + 10_000,
  );
});
