// Has anything been committed to an embedded database file since we last looked? Asked without a
// query: SQLite's WAL-index header in the `-shm` file (https://www.sqlite.org/walformat.html, "The
// WAL-Index Header": 48 bytes written twice) changes with every commit by any connection of any
// process. Whenever it cannot be sure it answers null and the caller reads the version itself: no
// `-shm` file, an unknown header version, the two copies differing (a commit writing them now), or a
// deleted `-shm` file. Why a probe instead of a query: docs/decisions/wal-index-probe.md.
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
