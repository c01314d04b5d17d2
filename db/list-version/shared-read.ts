// How the document cache (server/document-cache.ts) learns the registrants' data version. On the
// embedded file other processes may write at any time, so a request may only reuse a read that no
// commit can have overtaken (the commit marker, below). On a remote database (sqld, Turso) each
// read is a network round trip, so one read is shared: a request reuses the newest read (finished
// or still in flight) if it started at most `windowMs` ago and no change this process knows of has
// happened since it started. So, precisely:
// - a row committed through this process shows on its next request (the writer counts its commits,
//   db/connection/index.ts; a read that started before the latest local commit is never reused);
// - a row committed elsewhere (another instance, a script) shows on every request that arrives more
//   than `windowMs` after its commit, because the read such a request uses started after it;
// - with `windowMs` 0 every request reads the version itself: the exact "next request" promise.
// An embedded replica's file changes only when it pulls, and each pull that brings something counts
// as a change (db/connection/replica-sync.ts), so there the read is shared until the next change (and at most
// one sync interval), which adds nothing to the replica's own staleness.
// On the embedded file a read is reused only while `commitMarker` (db/list-version/wal-index.ts: SQLite's
// WAL-index header, which every commit by any connection of any process changes) is byte for byte
// what it was just before that read started: no commit can have landed since, so the read still
// holds and the "next request" promise is kept without a query. The marker is taken before the
// read, so a commit racing the read changes it and the next request reads again.
// A failed read is never reused: the next request tries again.
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
