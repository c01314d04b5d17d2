// How often the list's version is really read (db/list-version/index.ts picks the mode):
// - with a window, a request reuses the newest read (finished or in flight) that started at most
//   `windowMs` ago, unless a change this process knows of (its own commit, a replica's pull that
//   brought something) happened since it started: a visitor's own row shows on their next request;
// - with a commit marker (the WAL-index header, ./wal-index.ts), a read is reused while the marker
//   taken just before it is unchanged: no commit by anyone can have landed since.
// A failed read is never reused. docs/decisions/wal-index-probe.md says why.
import type { ListState } from "./data-version";

export type ListStateReader = {
  /** A data version no older than the window (and no older than the last change this process knows of). */
  current: () => Promise<ListState | null>;
  /** A data version read from now on, never a shared one (the check after a render). */
  readNow: () => Promise<ListState | null>;
};

type SharedRead = { startedAt: number; changesSeen: number; state: Promise<ListState | null> };

export function createListStateReader(options: {
  windowMs: number;
  read: () => Promise<ListState | null>;
  /** A count that grows with every change this process knows of: its own commits, a replica's pulls that brought something. */
  changesSeen: () => number;
  /** With a window of 0: bytes that change with every commit to the database, null when they cannot tell (db/list-version/wal-index.ts). */
  commitMarker?: () => Buffer | null;
  now?: () => number;
}): ListStateReader {
  const { windowMs, read, changesSeen, commitMarker, now = performance.now.bind(performance) } = options;
  if (windowMs <= 0) return commitMarker ? untilCommitted(read, commitMarker, changesSeen) : { current: read, readNow: read };
  let newest: SharedRead | undefined;

  function start(): Promise<ListState | null> {
    const shared: SharedRead = { startedAt: now(), changesSeen: changesSeen(), state: read() };
    newest = shared;
    shared.state.catch(() => {
      if (newest === shared) newest = undefined;
    });
    return shared.state;
  }

  function current(): Promise<ListState | null> {
    const reusable = newest && windowMs > 0 && newest.changesSeen === changesSeen() && now() - newest.startedAt <= windowMs;
    return reusable ? newest!.state : start();
  }

  return { current, readNow: start };
}

/** Window 0 with a commit marker: a read is reused while the marker taken just before it is unchanged. */
function untilCommitted(read: () => Promise<ListState | null>, commitMarker: () => Buffer | null, changesSeen: () => number): ListStateReader {
  let last: { marker: Buffer; changesSeen: number; state: Promise<ListState | null> } | undefined;

  function readNow(): Promise<ListState | null> {
    const marker = commitMarker();
    const seen = changesSeen();
    const state = read();
    const taken = marker ? { marker, changesSeen: seen, state } : undefined;
    last = taken;
    state.catch(() => {
      if (last === taken) last = undefined;
    });
    return state;
  }

  function current(): Promise<ListState | null> {
    if (last && last.changesSeen === changesSeen() && commitMarker()?.equals(last.marker)) return last.state;
    return readNow();
  }

  return { current, readNow };
}
