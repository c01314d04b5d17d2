// Group commit for registrations. Each commit waits for an fsync (synchronous=FULL: a 303 means
// the row is on disk), and the fsync, not the INSERT, is what limits registrations per second. So
// registrations that arrive while a commit is running wait for the next one and share it: one
// transaction, one fsync, each row its own INSERT ... ON CONFLICT DO NOTHING RETURNING, so each
// caller still gets its own answer (a duplicate email is an empty RETURNING, for that row alone).
// A batch that fails on one row's constraint is retried row by row, so only that row fails; any
// other failure (locked past the busy timeout, disk, missing table, a dead or stuck thread) fails
// the whole batch, and its transaction rolls back: nothing half-written. The commits run on a
// supervised thread (db/commit-worker.ts), so requests keep being handled while a batch is written.
// The queue is bounded: past its limit a registration is refused at once, not kept waiting.
// Cancels (removals) take the same queue and thread: a DELETE on the server's main-thread
// connection would wait synchronously for the commit thread's write lock, freezing every request.
import type { RegistrantInput } from "../lib/registrants/rules";
import type { Change, CommitWorker, WriterState } from "./commit-worker";
import { isConstraintViolation, isMissingTable, SchemaMissingError } from "./errors";
import { QueueFullError } from "./writer-errors";

export type InsertResult = { ok: true; id: number } | { ok: false; reason: "duplicate-email" };

export type WriterHealth = {
  state: WriterState;
  /** Commit threads replaced since the server started (died, stuck, or retired after a failed commit). */
  restarts: number;
  /** Registrations waiting for a commit, not counting the batch being committed. */
  queued: number;
  /** Registrations in the batch being committed. */
  committing: number;
};

type Pending = { change: Change; resolve: (id: number | null) => void; reject: (error: unknown) => void };

/** Bounds one transaction, so one slow commit never holds the write lock for an unbounded batch. */
const MAX_BATCH = 256;

export class GroupCommit {
  readonly #worker: CommitWorker;
  readonly #queueLimit: number;
  #queue: Pending[] = [];
  #isDraining = false;
  #committing = 0;

  readonly #afterCommit: () => Promise<void>;

  /** `afterCommit` runs after each successful commit, before its callers are answered (db/index.ts: count it, sync a replica). It must not throw. */
  constructor(worker: CommitWorker, queueLimit: number, afterCommit: () => Promise<void> = async () => {}) {
    this.#worker = worker;
    this.#queueLimit = queueLimit;
    this.#afterCommit = afterCommit;
  }

  /** Queues a (validated) registrant for the next group commit; resolves once its transaction is on disk. */
  async insert(input: RegistrantInput): Promise<InsertResult> {
    const id = await this.#enqueue({ name: input.name, email: input.email });
    return id === null ? { ok: false, reason: "duplicate-email" } : { ok: true, id };
  }

  /** Queues the removal of the row with this id and email; true once it is deleted on disk, false when there was no such row. */
  async remove(target: { id: number; email: string }): Promise<boolean> {
    return (await this.#enqueue({ remove: target })) !== null;
  }

  #enqueue(change: Change): Promise<number | null> {
    if (this.#queue.length >= this.#queueLimit) return Promise.reject(new QueueFullError(this.#queueLimit));
    return new Promise((resolve, reject) => {
      this.#queue.push({ change, resolve, reject });
      if (!this.#isDraining) {
        this.#isDraining = true;
        // The rest of this tick's arrivals join the first batch.
        setImmediate(() => void this.#drain());
      }
    });
  }

  health(): WriterHealth {
    return { ...this.#worker.health(), queued: this.#queue.length, committing: this.#committing };
  }

  stop(): void {
    this.#worker.stop(); // what is still queued then fails at once
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, MAX_BATCH);
      this.#queue = this.#queue.slice(MAX_BATCH);
      this.#committing = batch.length;
      await this.#commit(batch);
      this.#committing = 0;
    }
    this.#isDraining = false;
  }

  async #commit(batch: Pending[]): Promise<void> {
    try {
      const ids = await this.#worker.commit(batch.map(({ change }) => change));
      await this.#afterCommit();
      batch.forEach(({ resolve }, i) => resolve(ids[i]));
    } catch (error) {
      if (batch.length > 1 && isConstraintViolation(error)) {
        for (const pending of batch) await this.#commit([pending]);
        return;
      }
      const failure = isMissingTable(error) ? new SchemaMissingError(error) : error;
      for (const { reject } of batch) reject(failure);
    }
  }
}
