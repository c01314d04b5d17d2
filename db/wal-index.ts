// Has anything been committed to an embedded database file since we last looked? Asked without a
// query: SQLite (and libSQL, whose local files are SQLite's format) keeps the WAL-index header in
// the `-shm` file beside the database, a documented format (https://www.sqlite.org/walformat.html,
// "The WAL-Index Header"): 48 bytes, in native byte order, written twice (copies at offsets 0 and
// 48), that every write transaction changes when it commits (`iChange` counts transactions,
// `mxFrame` is the last frame in the WAL, the salts change when the WAL restarts). Every connection
// of every process that opens the file in WAL mode shares that header: it is how SQLite's own
// readers learn that their snapshot is stale.
//
// db/list-state-reader.ts uses it on the embedded file: while the header is byte for byte what it
// was just before the last data-version read, that read still holds, whoever writes the file. A
// read of 96 bytes costs ~2 µs where the version query costs ~0.1 ms of the server's CPU per
// request, most of a cached `GET /` (README, "Performance").
//
// Whenever it cannot be sure it answers null, and the caller reads the version itself: no `-shm`
// file (not in WAL mode), a header it does not know (another version, not initialised), the two
// copies differing (a commit is writing them just now), or a `-shm` file that was deleted (its
// link count is 0: reopened on the next call).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** The WAL-index format this reads (WALINDEX_MAX_VERSION in SQLite's wal.c, unchanged since 3.7.0). */
const WAL_INDEX_VERSION = 3_007_000;
const HEADER_BYTES = 48;

export type WalIndexProbe = {
  /** The WAL-index header now, or null when it cannot tell (then nothing may be assumed). */
  header: () => Buffer | null;
  close: () => void;
};

export function walIndexProbe(databaseFile: string): WalIndexProbe {
  const shmFile = `${databaseFile}-shm`;
  const both = Buffer.alloc(2 * HEADER_BYTES);
  let fd: number | null = null;

  function open(): number | null {
    try {
      return openSync(shmFile, "r");
    } catch {
      return null; // not (yet) in WAL mode: no -shm
    }
  }

  function close(): void {
    if (fd !== null) closeSync(fd);
    fd = null;
  }

  function header(): Buffer | null {
    fd ??= open();
    if (fd === null) return null;
    try {
      if (fstatSync(fd).nlink === 0) {
        close(); // the file was deleted: another one may stand at its path now
        return null;
      }
      if (readSync(fd, both, 0, both.length, 0) !== both.length) return null;
    } catch {
      close();
      return null;
    }
    const first = both.subarray(0, HEADER_BYTES);
    const isKnown = first.readUInt32LE(0) === WAL_INDEX_VERSION || first.readUInt32BE(0) === WAL_INDEX_VERSION;
    const isInitialised = first[12] === 1;
    if (!isKnown || !isInitialised || !first.equals(both.subarray(HEADER_BYTES))) return null;
    return Buffer.from(first);
  }

  return { header, close };
}
