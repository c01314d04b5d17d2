// The commit thread: one connection, used for nothing but registrations and cancels (db/writer/statements.ts).
// The embedded libSQL driver runs each statement and each commit's fsync synchronously on the
// calling thread, so here the server's main thread keeps taking requests while a batch is on its
// way to disk. One thread is one connection: after any failed commit the writer replaces the thread
// (the driver can leave a failed statement open that fails every later COMMIT on its connection).
//
// Started by db/writer/commit-thread-supervisor.ts: from the bundle beside the standalone server (commit-thread.mjs,
// scripts/assemble-standalone.ts), or from this source through tsx under `next dev` and Vitest.
import { readFileSync, rmSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { drizzle } from "drizzle-orm/libsql";
import { filePathOf, openClient } from "../connection/client";
import { serializeError, type CommitRequest, type ThreadData, type ThreadReply } from "./commit-protocol";
import { commitChanges, commitChangesInOneRoundTrip } from "./statements";

const port = parentPort!;
const config = workerData as ThreadData;
const reply = (message: ThreadReply) => port.postMessage(message);

// Opening fails here, at start, when the file cannot be opened (its folder gone or replaced): the
// writer sees a thread that never became ready and retries with back-off.
const db = drizzle(openClient(config));
// Over the network every statement of an interactive transaction is a round trip: a remote batch
// goes in one. The embedded file keeps BEGIN IMMEDIATE (its lock wait under the busy timeout).
const commit = filePathOf(config.url) ? commitChanges : commitChangesInOneRoundTrip;

/**
 * Test-only faults (REGISTRATION_FAULT_FILE, never set in production): the file's word, read once
 * between a batch's INSERTs and its COMMIT (on a remote database: before its batch is sent), makes
 * this thread die (`exit`, `throw`, or `exhaust-memory`: allocate until its heap bound stops it) or
 * never answer (`hang`) with nothing committed, as a crash or a stuck disk would; or commit and then
 * never answer (`hang-after-commit`), as a reply lost on the way would.
 */
let hangAfterCommit = false;

async function injectedFault(): Promise<void> {
  if (!config.faultFile) return;
  let fault: string;
  try {
    fault = readFileSync(config.faultFile, "utf8").trim();
    rmSync(config.faultFile);
  } catch {
    return; // no fault asked for
  }
  if (fault === "hang-after-commit") hangAfterCommit = true;
  if (fault === "exit") process.exit(70);
  if (fault === "throw") setImmediate(() => { throw new Error("injected crash of the commit thread"); });
  if (fault === "exhaust-memory") exhaustMemory();
  if (fault === "throw" || fault === "hang") await new Promise<never>(() => {});
}

/** Keeps every block it allocates: only the thread's heap bound (COMMIT_THREAD_HEAP_LIMITS) ends it. */
function exhaustMemory(): never {
  const kept: string[][] = [];
  for (;;) kept.push(Array.from({ length: 1_024 }, (_, i) => `${kept.length}:${i}`));
}

port.on("message", async ({ id, changes }: CommitRequest) => {
  try {
    const ids = await commit(db, changes, injectedFault);
    if (hangAfterCommit) return;
    reply({ type: "committed", id, ids });
  } catch (error) {
    reply({ type: "failed", id, error: serializeError(error) });
  }
});

reply({ type: "ready" });
