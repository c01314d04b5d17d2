// db/list-version/wal-index.ts against real SQLite files (libSQL's embedded driver, as the app opens them): the
// WAL-index header changes with every commit of every connection, and with nothing else that would
// let a stale read through; whenever the probe cannot be sure, it says null. If a libSQL or SQLite
// upgrade changed the header's format or place, the first test fails loudly.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { afterEach, describe, expect, test } from "vitest";
import { walIndexProbe, type WalIndexProbe } from "@/db/list-version/wal-index";
import { makeTempDir } from "../support/temp-db";

const opened: Array<Client | WalIndexProbe> = [];
afterEach(() => {
  for (const thing of opened.splice(0)) thing.close();
});

async function walDatabase() {
  const file = join(makeTempDir("wal-index-"), "app.db");
  const server = createClient({ url: `file:${file}` }); // the server's read connection, kept open
  opened.push(server);
  await server.execute("PRAGMA journal_mode = WAL");
  await server.execute("CREATE TABLE t (v INTEGER)");
  const writer = createClient({ url: `file:${file}` }); // another connection: a script, another process
  opened.push(writer);
  const probe = walIndexProbe(file);
  opened.push(probe);
  return { file, server, writer, probe };
}

/** A probe on a `-shm` file the test writes itself, and a valid header to start from (iVersion 3007000, isInit 1). */
function handWrittenShm() {
  const file = join(makeTempDir("wal-index-"), "app.db");
  const probe = walIndexProbe(file);
  opened.push(probe);
  const valid = Buffer.alloc(48);
  valid.writeUInt32LE(3_007_000, 0);
  valid[12] = 1; // isInit
  /** Writes the two copies of the header (the same one twice unless told otherwise). */
  const write = (first: Buffer, second = first) => writeFileSync(`${file}-shm`, Buffer.concat([first, second]));
  return { file, probe, valid, write };
}

describe("the WAL-index header of an embedded database file", () => {
  test("is read as SQLite documents it, and changes with every commit, whoever commits", async () => {
    const { server, writer, probe } = await walDatabase();
    const start = probe.header();
    expect(start).not.toBeNull();
    expect(start!.readUInt32LE(0)).toBe(3_007_000); // iVersion, native (little-endian) byte order here

    const seen = [start!];
    for (const connection of [writer, server, writer]) {
      await connection.execute("INSERT INTO t VALUES (1)");
      const now = probe.header()!;
      for (const before of seen) expect(now.equals(before)).toBe(false);
      seen.push(now);
    }
    expect(seen.map((header) => header.readUInt32LE(8))).toEqual([1, 2, 3, 4]); // iChange counts the transactions
  });

  test("does not change with reads, and changes with a checkpoint that restarts the WAL", async () => {
    const { server, writer, probe } = await walDatabase();
    await writer.execute("INSERT INTO t VALUES (1)");
    const before = probe.header()!;
    await server.execute("SELECT count(*) FROM t");
    await writer.execute("SELECT * FROM t");
    expect(probe.header()!.equals(before)).toBe(true);

    await writer.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    const checkpointed = probe.header()!;
    expect(checkpointed.equals(before)).toBe(false); // a reason to read again, never a reason to trust
    await writer.execute("INSERT INTO t VALUES (2)");
    expect(probe.header()!.equals(checkpointed)).toBe(false);
  });

  test("a rolled-back transaction leaves it as it was (nothing committed, nothing to read again)", async () => {
    const { writer, probe } = await walDatabase();
    const before = probe.header()!;
    const transaction = await writer.transaction("write");
    await transaction.execute("INSERT INTO t VALUES (1)");
    await transaction.rollback();
    expect(probe.header()!.equals(before)).toBe(true);
  });

  test("is null for a database not in WAL mode (no -shm file): the caller reads every time", async () => {
    const file = join(makeTempDir("wal-index-"), "app.db");
    const client = createClient({ url: `file:${file}` });
    opened.push(client);
    await client.execute("PRAGMA journal_mode = DELETE");
    await client.execute("CREATE TABLE t (v INTEGER)");
    const probe = walIndexProbe(file);
    opened.push(probe);
    expect(probe.header()).toBeNull();
  });

  test("is null for a header it does not know, or whose two copies differ (a commit writing them)", () => {
    const { probe, valid, write } = handWrittenShm();
    write(valid);
    expect(probe.header()).not.toBeNull();

    const other = Buffer.from(valid);
    other.writeUInt32LE(7, 8); // iChange differs between the copies
    write(valid, other);
    expect(probe.header()).toBeNull();

    const future = Buffer.from(valid);
    future.writeUInt32LE(3_051_000, 0);
    write(future);
    expect(probe.header()).toBeNull();

    const uninitialised = Buffer.from(valid);
    uninitialised[12] = 0;
    write(uninitialised);
    expect(probe.header()).toBeNull();
  });

  test("is null once its -shm file is deleted, and follows the file that replaces it", () => {
    const { file, probe, valid, write } = handWrittenShm();
    write(valid);
    expect(probe.header()).not.toBeNull();

    rmSync(`${file}-shm`);
    expect(probe.header()).toBeNull();
    const replaced = Buffer.from(valid);
    replaced.writeUInt32LE(9, 8);
    write(replaced);
    expect(probe.header()!.readUInt32LE(8)).toBe(9);

    // Deleted again and again under a running server: it keeps each old descriptor open (closing one
    // would drop SQLite's locks), so past a few it stops trusting the path and says null for good.
    for (let deleted = 2; deleted <= 5; deleted++) {
      rmSync(`${file}-shm`);
      expect(probe.header()).toBeNull();
      write(replaced);
      if (deleted < 5) expect(probe.header()).not.toBeNull();
    }
    expect(probe.header()).toBeNull(); // a good file at the path, but the path has been replaced too often
  });
});
