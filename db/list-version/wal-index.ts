// Has anything been committed to an embedded database file since we last looked? Asked without a
// query: SQLite (and libSQL, whose local files are SQLite's format) keeps the WAL-index header in
// the `-shm` file beside the database, a documented format (https://www.sqlite.org/walformat.html,
// "The WAL-Index Header"): 48 bytes, in native byte order, written twice (copies at offsets 0 and
// 48), that every write transaction changes when it commits (`iChange` counts transactions,
// `mxFrame` is the last frame in the WAL, the salts change when the WAL restarts). Every connection
// of every process that opens the file in WAL mode shares that header: it is how SQLite's own
// readers learn that their snapshot is stale.
//
// db/list-version/shared-read.ts uses it on the embedded file: while the header is byte for byte what it
// was just before the last data-version read, that read still holds, whoever writes the file. A
// read of 96 bytes costs ~2 µs where the version query costs ~0.1 ms of the server's CPU per
// request, most of a cached `GET /` (README, "Performance").
//
// Whenever it cannot be sure it answers null, and the caller reads the version itself: no `-shm`
// file (not in WAL mode), a header it does not know (another version, not initialised), the two
// copies differing (a commit is writing them just now), or a `-shm` file that was deleted (its
// link count is 0: a new one is opened on the next call).
//
// Its descriptor is never closed while the server runs, on purpose: SQLite locks the `-shm` file
// with POSIX record locks, and closing any descriptor of a file drops every such lock the process
// holds on it, the driver's included. A deleted `-shm` is left open and a new one opened; after a
// few of those (an operator deleting files under a running server) it gives up and says null.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** The WAL-index format this reads (WALINDEX_MAX_VERSION in SQLite's wal.c, unchanged since 3.7.0). */
const WAL_INDEX_VERSION = 3_007_000;
const HEADER_BYTES = 48;
/** Deleted `-shm` files kept open (see above) before the probe stops trusting the path. */
const MAX_ABANDONED = 4;

export type WalIndexProbe = {
  /** The WAL-index header now, or null when it cannot tell (then nothing may be assumed). */
  header: () => Buffer | null;
  /** Closes its descriptors: only once no connection of this process has the database open (tests). */
  close: () => void;
};

export function walIndexProbe(databaseFile: string): WalIndexProbe {
  const shmFile = `${databaseFile}-shm`;
  const both = Buffer.alloc(2 * HEADER_BYTES);
  let fd: number | null = null;
  const abandoned: number[] = [];

  function open(): number | null {
    try {
      return openSync(shmFile, "r");
    } catch {
      return null; // not (yet) in WAL mode: no -shm
    }
  }

  function header(): Buffer | null {
    if (abandoned.length > MAX_ABANDONED) return null;
    fd ??= open();
    if (fd === null) return null;
    try {
      if (fstatSync(fd).nlink === 0) {
        abandoned.push(fd); // deleted: another one may stand at its path now (not closed: see above)
        fd = null;
        return null;
      }
      if (readSync(fd, both, 0, both.length, 0) !== both.length) return null;
    } catch {
      return null;
    }
    const first = both.subarray(0, HEADER_BYTES);
    const isKnown = first.readUInt32LE(0) === WAL_INDEX_VERSION || first.readUInt32BE(0) === WAL_INDEX_VERSION;
    const isInitialised = first[12] === 1;
    if (!isKnown || !isInitialised || !first.equals(both.subarray(HEADER_BYTES))) return null;
    return Buffer.from(first);
  }

  function close(): void {
    for (const descriptor of [...abandoned.splice(0), ...(fd === null ? [] : [fd])]) closeSync(descriptor);
    fd = null;
  }

  return { header, close };
}
