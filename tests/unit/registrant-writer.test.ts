// Group commit: registrations that arrive together share one transaction (one fsync), and each
// still gets its own answer. The thread that commits them is supervised: it may die, hang or fail to
// reopen the file, and no registration waits forever for it. The queue in front of it is bounded.
// Against a real, migrated SQLite file in WAL mode and the real commit thread; the Vitest project
// "sqld" runs the same tests on a real sqld, except the three that only a file can show (its WAL,
// its busy timeout, its folder), marked `fileOnly`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { BUSY_TIMEOUT_MS, filePathOf } from "@/db/connection/client";
import { restartDelayMs } from "@/db/writer/commit-thread-supervisor";
import { CommitOutcomeUnknownError, findOutRegistration, insertRegistrant, QueueFullError, writerHealth } from "@/db/writer";
import type { RegistrantInput } from "@/lib/registrants/rules";
import { makeTempDir, onSqld, uniqueEmail, withTempDatabase } from "../support/temp-db";
import { breakDatabaseFolder, injectWriterFault, type WriterFault } from "../support/writer-faults";

// Read when the writer first starts (the first registration below).
const faultFile = join(makeTempDir("writer-faults-"), "fault");
const QUEUE_LIMIT = 64;
const COMMIT_TIMEOUT_MS = 6_000; // the shortest allowed: longer than the busy timeout
process.env.REGISTRATION_FAULT_FILE = faultFile;
process.env.REGISTRATION_QUEUE_LIMIT = String(QUEUE_LIMIT);
process.env.REGISTRATION_COMMIT_TIMEOUT_MS = String(COMMIT_TIMEOUT_MS);

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

/**
 * A test about the embedded file itself (its WAL frames, SQLite's busy timeout, its folder): it is
 * declared only in the project that runs on a file, since on sqld there is nothing for it to check
 * (not skipped there: it does not apply).
 */
const fileOnly = (onSqld ? () => {} : test) as typeof test;

const person = (name: string, email = uniqueEmail(name.toLowerCase().replace(/\W+/g, "-"))): RegistrantInput => ({ name, email });

describe("group commit", () => {
  fileOnly("registrations arriving together are stored in one transaction, each with its own id", async () => {
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

  fileOnly(
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

describe("a supervised commit thread", () => {
  test.each<WriterFault>(["exit", "throw", "exhaust-memory"])(
    "a thread that dies mid-commit (%s) fails its batch at once, stores none of it, and a replacement commits the next",
    async (fault) => {
      await insertRegistrant(person(`Before the ${fault}`));
      const peakKibBefore = process.resourceUsage().maxRSS;
      injectWriterFault(faultFile, fault);
      const doomed = [person("Doomed A"), person("Doomed B")];
      const results = await Promise.allSettled(doomed.map((p) => insertRegistrant(p)));
      for (const result of results) {
        // Sent to a thread that died: whether it committed is for the caller to find out (db/writer/outcome.ts).
        expect(result).toMatchObject({ status: "rejected", reason: expect.any(CommitOutcomeUnknownError) });
        // The thread's death, or (a thread that takes longer to run out of memory than the deadline) the deadline itself.
        expect(String((result as PromiseRejectedResult).reason.message)).toMatch(/commit thread (exited|crashed)|did not answer within/);
        const reason = (result as PromiseRejectedResult).reason as Error;
        if (fault === "exhaust-memory" && /crashed/.test(reason.message)) expect(reason.cause).toMatchObject({ code: "ERR_WORKER_OUT_OF_MEMORY" });
      }
      // The thread's heap is bounded (COMMIT_THREAD_HEAP_LIMITS): a thread running away takes this process's peak RSS up by tens of MiB at most.
      expect(process.resourceUsage().maxRSS - peakKibBefore).toBeLessThan(96 * 1024);
      expect(await storedNames(doomed.map((p) => p.email))).toEqual([]);

      const after = person(`After the ${fault}`);
      expect((await insertRegistrant(after)).ok).toBe(true);
      expect(await storedNames([after.email])).toEqual([after.name]);
    },
  );

  test("a commit past its deadline (REGISTRATION_COMMIT_TIMEOUT_MS) fails with a clear error, stores nothing, and the thread is replaced", async () => {
    await insertRegistrant(person("Before the stuck commit")); // the thread is up: the deadline below is the commit's alone
    injectWriterFault(faultFile, "hang");
    const stuck = person("Stuck");
    const started = Date.now();
    await expect(insertRegistrant(stuck)).rejects.toThrow(new RegExp(`did not answer within ${COMMIT_TIMEOUT_MS} ms`));
    expect(Date.now() - started).toBeGreaterThanOrEqual(COMMIT_TIMEOUT_MS - 50);
    expect(await storedNames([stuck.email])).toEqual([]);
    // The outcome, found out: on a file, nothing once the thread is gone; on sqld it cannot be proven.
    expect(await findOutRegistration(stuck, 3_000)).toEqual(onSqld ? { stored: "unknown" } : { stored: false, reason: "not-stored" });

    const after = person("After the stuck commit");
    expect((await insertRegistrant(after)).ok).toBe(true);
    expect(await storedNames([stuck.email, after.email])).toEqual([after.name]);
    expect(writerHealth().state).toBe("ok");
  }, 30_000);

  fileOnly("after a failed commit, while the file cannot be reopened, registrations fail at once; the writer then recovers by itself", async () => {
    await insertRegistrant(person("Before the folder went"));
    const lost = person("Lost with its thread");
    const restore = breakDatabaseFolder(database.url());
    try {
      // The thread dies mid-commit; its replacement needs a fresh connection, which cannot be opened.
      // (Not a held write lock: its 5 s busy timeout raced the 6 s deadline on a busy machine.)
      injectWriterFault(faultFile, "throw");
      await expect(insertRegistrant(lost)).rejects.toThrow();
      await expect.poll(() => writerHealth().state, { timeout: 15_000, interval: 20 }).toBe("down");
      const started = Date.now();
      await expect(insertRegistrant(person("While down"))).rejects.toThrow(/restarting after a failure/);
      expect(Date.now() - started).toBeLessThan(250);
    } finally {
      restore();
    }
    await expect.poll(() => writerHealth().state, { timeout: 20_000, interval: 50 }).toBe("ok");
    const after = person("After the folder came back");
    expect((await insertRegistrant(after)).ok).toBe(true);
    expect(await storedNames([lost.email, after.email])).toEqual([after.name]);
  }, 60_000);

  test("a commit that lands but whose answer never comes is found out: the caller learns it was stored, never that it was not", async () => {
    await insertRegistrant(person("Before the lost answer"));
    injectWriterFault(faultFile, "hang-after-commit");
    const landed = person("Landed");
    await expect(insertRegistrant(landed)).rejects.toBeInstanceOf(CommitOutcomeUnknownError);
    expect(await storedNames([landed.email])).toEqual([landed.name]);
    const outcome = await findOutRegistration(landed, 3_000);
    expect(outcome).toMatchObject({ stored: true, id: expect.any(Number) });
    // Someone else's row with that email: a duplicate, said as such.
    expect(await findOutRegistration({ ...landed, name: "Someone else" }, 3_000)).toEqual({ stored: false, reason: "duplicate-email" });
    expect((await insertRegistrant(person("After the lost answer"))).ok).toBe(true);
  }, 30_000);

  test("a thread that keeps dying is restarted at once the first time, then after a doubling delay capped at 5 s", () => {
    expect(Array.from({ length: 10 }, (_, i) => restartDelayMs(i + 1))).toEqual([0, 100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000]);
  });
});

describe("the queue in front of the commit thread", () => {
  test("registrations past REGISTRATION_QUEUE_LIMIT are refused at once; those within it are stored", async () => {
    const people = Array.from({ length: QUEUE_LIMIT + 10 }, (_, i) => person(`Queued ${i}`));
    const settledAt: number[] = [];
    const results = await Promise.allSettled(
      people.map((p, i) => insertRegistrant(p).finally(() => (settledAt[i] = performance.now()))),
    );
    const [within, past] = [results.slice(0, QUEUE_LIMIT), results.slice(QUEUE_LIMIT)];
    expect(within.every((result) => result.status === "fulfilled" && result.value.ok)).toBe(true);
    expect(past.every((result) => result.status === "rejected" && result.reason instanceof QueueFullError)).toBe(true);
    // Refused before the first of the queue was even committed.
    expect(Math.max(...settledAt.slice(QUEUE_LIMIT))).toBeLessThan(Math.min(...settledAt.slice(0, QUEUE_LIMIT)));
    expect(await storedNames(people.map((p) => p.email))).toEqual(people.slice(0, QUEUE_LIMIT).map((p) => p.name));
  });
});
