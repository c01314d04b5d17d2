// How often the document cache reads the data version (db/list-version/shared-read.ts): on a local
// database every request, or, with the embedded file's commit marker, only after a commit; on a
// remote one, one read shared within the window, never across a commit of this process. The clock and the read are the test's, so each rule is checked to the millisecond;
// the same rules against real sqld and real servers: tests/e2e/remote-freshness.spec.ts.
import { describe, expect, test } from "vitest";
import type { ListState } from "@/db/list-version/data-version";
import { createListStateReader } from "@/db/list-version/shared-read";

function world(windowMs: number, options: { withMarker?: boolean } = {}) {
  const w = {
    clock: 0,
    commits: 0,
    version: 1,
    reads: 0,
    /** The commit marker (db/list-version/wal-index.ts) as the next call sees it; null: it cannot tell. */
    marker: Buffer.from("commit 1") as Buffer | null,
    /** Reads still waiting for their answer, resolved by `answer()`. */
    waiting: [] as Array<{ version: number; resolve: (state: ListState | null) => void; reject: (error: Error) => void }>,
    answer() {
      for (const read of w.waiting.splice(0)) read.resolve({ version: read.version, total: read.version });
    },
    fail() {
      for (const read of w.waiting.splice(0)) read.reject(new Error("sqld is down"));
    },
  };
  const reader = createListStateReader({
    windowMs,
    now: () => w.clock,
    changesSeen: () => w.commits,
    commitMarker: options.withMarker
      ? () => w.marker && Buffer.from(w.marker)
      : undefined,
    read: () => {
      w.reads++;
      const version = w.version; // what the database holds when the read reaches it
      return new Promise((resolve, reject) => w.waiting.push({ version, resolve, reject }));
    },
  });
  /** One request's read, answered with what the database holds now: where most cases start. */
  const answeredRead = async () => {
    const read = reader.current();
    w.answer();
    return read;
  };
  return { w, reader, answeredRead };
}

describe("on a local database (window 0)", () => {
  test("every request reads the version itself", async () => {
    const { w, reader } = world(0);
    const reads = [reader.current(), reader.current(), reader.current()];
    expect(w.reads).toBe(3);
    w.answer();
    await Promise.all(reads);
  });
});

describe("on the embedded file (window 0, with SQLite's WAL-index header as the commit marker)", () => {
  const committedElsewhere = (w: { version: number; marker: Buffer | null }) => {
    w.version += 1;
    w.marker = Buffer.from(`commit ${w.version}`);
  };

  test("while the marker is unchanged, requests reuse the last read: no query", async () => {
    const { w, reader, answeredRead } = world(0, { withMarker: true });
    expect(await answeredRead()).toEqual({ version: 1, total: 1 });
    expect(await Promise.all([reader.current(), reader.current(), reader.current()])).toEqual([
      { version: 1, total: 1 },
      { version: 1, total: 1 },
      { version: 1, total: 1 },
    ]);
    expect(w.reads).toBe(1);
  });

  test("a commit by anyone changes the marker: the next request reads again and sees it", async () => {
    const { w, reader, answeredRead } = world(0, { withMarker: true });
    await answeredRead();
    committedElsewhere(w);
    const next = reader.current();
    expect(w.reads).toBe(2);
    w.answer();
    expect(await next).toEqual({ version: 2, total: 2 });
  });

  test("the marker is taken before the read: a commit while the read is in flight is caught by the next request", async () => {
    const { w, reader } = world(0, { withMarker: true });
    const racing = reader.current(); // marker "commit 1" taken, then the read goes out…
    committedElsewhere(w); // …and a commit lands while it is on its way
    w.answer();
    expect(await racing).toEqual({ version: 1, total: 1 }); // it may have seen the database before or after
    const next = reader.current();
    expect(w.reads).toBe(2); // "commit 2" ≠ "commit 1": read again rather than trust a read of unknown age
    w.answer();
    expect(await next).toEqual({ version: 2, total: 2 });
  });

  test("a marker that cannot tell (null) never lets a read be reused", async () => {
    const { w, reader, answeredRead } = world(0, { withMarker: true });
    w.marker = null;
    await answeredRead();
    void reader.current();
    void reader.current();
    expect(w.reads).toBe(3);
  });

  test("this process's own commit makes the next request read, whatever the marker says", async () => {
    const { w, reader, answeredRead } = world(0, { withMarker: true });
    await answeredRead();
    w.commits = 1;
    void reader.current();
    expect(w.reads).toBe(2);
  });

  test("a failed read is never reused, and the check after a render always reads", async () => {
    const { w, reader } = world(0, { withMarker: true });
    const failing = reader.current();
    w.fail();
    await expect(failing).rejects.toThrow("sqld is down");
    void reader.current();
    expect(w.reads).toBe(2);
    w.answer();
    void reader.readNow();
    expect(w.reads).toBe(3);
  });
});

describe("on a remote database (window 1,000 ms)", () => {
  test("requests in flight share one read, and so do requests within the window after it", async () => {
    const { w, reader } = world(1_000);
    const together = [reader.current(), reader.current(), reader.current()];
    w.answer();
    expect(await Promise.all(together)).toEqual([{ version: 1, total: 1 }, { version: 1, total: 1 }, { version: 1, total: 1 }]);
    w.clock = 1_000;
    w.version = 2; // another instance committed
    expect(await reader.current()).toEqual({ version: 1, total: 1 }); // still within the window
    expect(w.reads).toBe(1);
  });

  test("a request that arrives later than the window after the read started reads again", async () => {
    const { w, reader, answeredRead } = world(1_000);
    await answeredRead();
    w.version = 2;
    w.clock = 1_001;
    const later = reader.current();
    expect(w.reads).toBe(2);
    w.answer();
    expect(await later).toEqual({ version: 2, total: 2 });
  });

  test("the window counts from when the read started, not from when it answered", async () => {
    const { w, reader } = world(1_000);
    const slow = reader.current();
    w.clock = 900; // the read took 900 ms
    w.answer();
    await slow;
    w.clock = 1_001;
    void reader.current();
    expect(w.reads).toBe(2);
  });

  test("after this process commits, the next request reads again, even within the window", async () => {
    const { w, reader, answeredRead } = world(1_000);
    await answeredRead();
    w.version = 2;
    w.commits = 1; // the writer counted its commit before answering the registrant
    w.clock = 10;
    const afterCommit = reader.current();
    expect(w.reads).toBe(2);
    w.answer();
    expect(await afterCommit).toEqual({ version: 2, total: 2 });
  });

  test("a read still in flight when this process commits is not joined by later requests", async () => {
    const { w, reader } = world(1_000);
    const inFlight = reader.current(); // reached the database before the commit
    w.commits = 1;
    w.version = 2;
    const afterCommit = reader.current();
    expect(w.reads).toBe(2);
    w.waiting[0].resolve({ version: 1, total: 1 });
    w.waiting[1].resolve({ version: 2, total: 2 });
    expect(await inFlight).toEqual({ version: 1, total: 1 });
    expect(await afterCommit).toEqual({ version: 2, total: 2 });
  });

  test("a failed read is never reused: the next request tries again", async () => {
    const { w, reader } = world(1_000);
    const failing = reader.current();
    w.fail();
    await expect(failing).rejects.toThrow("sqld is down");
    const retry = reader.current();
    expect(w.reads).toBe(2);
    w.answer();
    expect(await retry).toEqual({ version: 1, total: 1 });
  });

  test("a read that never answers is joined only within the window: then one new read per window", async () => {
    const { w, reader } = world(1_000);
    void reader.current(); // hangs
    for (let t = 0; t <= 3_000; t += 100) {
      w.clock = t;
      void reader.current();
    }
    expect(w.reads).toBe(3); // at 0, 1,100 and 2,200 ms: bounded by time, not by requests
  });

  test("the check after a render always reads anew and becomes the read later requests share", async () => {
    const { w, reader, answeredRead } = world(1_000);
    await answeredRead();
    w.version = 2;
    const confirm = reader.readNow();
    expect(w.reads).toBe(2);
    w.answer();
    expect(await confirm).toEqual({ version: 2, total: 2 });
    expect(await reader.current()).toEqual({ version: 2, total: 2 });
    expect(w.reads).toBe(2);
  });
});
