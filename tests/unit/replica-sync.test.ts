// The embedded replica's pulls (db/connection/replica-sync.ts) with a stand-in for the client's `sync()`, so
// each rule is checked exactly: a caller after a commit always gets a pull that started after it,
// callers meanwhile share it, and failures are counted for health and retried by the loop. The
// same against a real sqld: tests/e2e/remote-freshness.spec.ts.
import { afterEach, expect, test } from "vitest";
import { ReplicaSync } from "@/db/connection/replica-sync";

function primary() {
  const p = {
    pulls: [] as Array<{ resolve: () => void; reject: (error: Error) => void }>,
    failing: false,
    /** The primary's last frame: a commit there adds frames. */
    frameNo: 1,
    sync: () =>
      new Promise<{ frame_no: number; frames_synced: number }>((resolve, reject) => {
        if (p.failing) return reject(new Error("Replication(PrimaryHandshakeTimeout)"));
        p.pulls.push({ resolve: () => resolve({ frame_no: p.frameNo, frames_synced: 0 }), reject });
      }),
    finish: () => p.pulls.splice(0).forEach((pull) => pull.resolve()),
  };
  return p;
}

let replica: ReplicaSync | undefined;
afterEach(() => replica?.stop());
const tick = () => new Promise((resolve) => setImmediate(resolve));

test("a caller whose commit came while a pull was running gets one more pull, shared with everyone who asked meanwhile", async () => {
  const p = primary();
  replica = new ReplicaSync(p, 60_000);
  const first = replica.syncNow();
  const second = replica.syncNow(); // its commit may be newer than what the running pull brings
  const third = replica.syncNow();
  expect(p.pulls).toHaveLength(1);
  let secondDone = false;
  void second.then(() => (secondDone = true));
  p.finish();
  await first;
  await tick();
  expect(secondDone).toBe(false);
  expect(p.pulls).toHaveLength(1); // the follow-up pull, one for both
  p.finish();
  await Promise.all([second, third]);
  expect(replica.health()).toMatchObject({ state: "ok", failures: 0 });
});

test("a failed pull's error is kept for health with the primary's credentials masked", async () => {
  const token = "eyJhbGciOiJFZERTQSJ9.eyJhIjoicncifQ.c2ln";
  const sync = () => Promise.reject(new Error(`handshake with libsql://admin:s3cret@primary.example/?authToken=${token} failed`));
  replica = new ReplicaSync({ sync }, 60_000);
  await replica.syncNow();
  expect(replica.health().error).toBe("handshake with libsql://***@primary.example/?authToken=*** failed");
});

test("failed pulls are counted for health and never reject the caller; the next success clears them", async () => {
  const p = primary();
  replica = new ReplicaSync(p, 60_000);
  expect(replica.health()).toMatchObject({ state: "starting", lastSyncAgeMs: null });
  p.failing = true;
  await replica.syncNow();
  await replica.syncNow();
  expect(replica.health()).toMatchObject({ state: "failing", failures: 2, error: "Replication(PrimaryHandshakeTimeout)" });
  p.failing = false;
  const pull = replica.syncNow();
  p.finish();
  await pull;
  expect(replica.health()).toMatchObject({ state: "ok", failures: 0 });
});

test("the loop keeps pulling every interval, through failures", async () => {
  const p = primary();
  p.failing = true;
  replica = new ReplicaSync(p, 50);
  await replica.start();
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(replica.health().failures).toBeGreaterThanOrEqual(4);
});

test("a pull counts as a change only if it brought frames, so the list's version read is shared until one does", async () => {
  const p = primary();
  replica = new ReplicaSync(p, 60_000);
  const pull = async () => {
    const done = replica!.syncNow();
    p.finish();
    await done;
    return replica!.changes();
  };
  const first = await pull();
  expect(await pull()).toBe(first); // nothing new on the primary
  p.frameNo = 5; // another instance committed
  expect(await pull()).toBe(first + 1);
  expect(await pull()).toBe(first + 1);
  p.failing = true;
  await replica.syncNow();
  expect(replica.changes()).toBe(first + 1); // a failed pull changed nothing
});
