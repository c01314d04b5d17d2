// Group commit for registrations. Each commit waits for an fsync (synchronous=FULL: a 303 means
// the row is on disk), and the fsync, not the INSERT, is what limits registrations per second. So
// registrations that arrive while a commit is running wait for the next one and share it: one
// transaction, one fsync, each row its own INSERT ... ON CONFLICT DO NOTHING RETURNING, so each
// caller still gets its own answer (a duplicate email is an empty RETURNING, for that row alone).
// A batch that fails on one row's constraint is retried row by row, so only that row fails; any
// other failure (locked past the busy timeout, disk, missing table) fails the whole batch, and its
// transaction rolls back: nothing half-written. The commits run on their own, supervised thread
// (db/commit-worker.ts), so requests keep being handled while a batch is written. The queue is
// bounded (REGISTRATION_QUEUE_LIMIT): past it a registration is refused at once, not kept waiting.
import { readWriterConfig } from "../lib/config";
import { registrantSchema, type RegistrantInput } from "../lib/registrant-rules";
import type { WriterState } from "./commit-worker";
import { commitWorkerHealth, getCommitWorker } from "./index";
import { isConstraintViolation, isMissingTable, SchemaMissingError } from "./errors";
import { QueueFullError } from "./writer-errors";

export type InsertResult = { ok: true; id: number } | { ok: false; reason: "duplicate-email" };

type Pending = { input: RegistrantInput; resolve: (result: InsertResult) => void; reject: (error: unknown) => void };

/** Bounds one transaction, so one slow commit never holds the write lock for an unbounded batch. */
const MAX_BATCH = 256;

let limit: number | undefined;
const queueLimit = () => (limit ??= readWriterConfig().queueLimit);

let queue: Pending[] = [];
let isDraining = false;

export type WriterHealth = {
  state: WriterState;
  /** Commit threads replaced since the server started (died, stuck, or retired after a failed commit). */
  restarts: number;
  /** Registrations waiting for a commit, not counting the batch being committed. */
  queued: number;
};

/** For /api/health: registrations can be committed unless the state is "down". */
export function registrationWriterHealth(): WriterHealth {
  return { ...commitWorkerHealth(), queued: queue.length };
}

/** Queues a registrant for the next group commit; resolves once its transaction is on disk. */
export function insertRegistrant(input: RegistrantInput): Promise<InsertResult> {
  // The rules again, at the door: a caller that skipped them must not store what would not read
  // back as sent (the driver silently cuts text at a NUL byte).
  const valid = registrantSchema.safeParse(input);
  if (!valid.success) {
    return Promise.reject(new TypeError(`insertRegistrant needs a valid registrant: ${valid.error.issues.map((i) => i.message).join(" ")}`));
  }
  if (queue.length >= queueLimit()) return Promise.reject(new QueueFullError(queueLimit()));
  return new Promise((resolve, reject) => {
    queue.push({ input: valid.data, resolve, reject });
    if (!isDraining) {
      isDraining = true;
      // The rest of this tick's arrivals join the first batch.
      setImmediate(drain);
    }
  });
}

async function drain(): Promise<void> {
  while (queue.length > 0) {
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(MAX_BATCH);
    await commit(batch);
  }
  isDraining = false;
}

async function commit(batch: Pending[]): Promise<void> {
  try {
    const ids = await getCommitWorker().commit(batch.map(({ input }) => ({ name: input.name, email: input.email })));
    batch.forEach(({ resolve }, i) => {
      const id = ids[i];
      resolve(id === null ? { ok: false, reason: "duplicate-email" } : { ok: true, id });
    });
  } catch (error) {
    if (batch.length > 1 && isConstraintViolation(error)) {
      for (const pending of batch) await commit([pending]);
      return;
    }
    const failure = isMissingTable(error) ? new SchemaMissingError(error) : error;
    for (const { reject } of batch) reject(failure);
  }
}
