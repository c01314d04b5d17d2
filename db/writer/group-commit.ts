// Group commit: changes that arrive while a commit runs wait for the next one and share it (one
// transaction, one fsync; each row its own INSERT ... ON CONFLICT DO NOTHING RETURNING, so each
// caller gets its own answer). A batch that fails on one row's constraint is retried row by row;
// any other failure rolls the whole batch back: nothing half-written. The queue is bounded, and
// every change is answered within `answerWithinMs` of being queued: still queued then, nothing was
// sent; inside an unanswered commit, its outcome is unknown (CommitOutcomeUnknownError). On a remote
// database each batch is first admitted by the link (db/connection/remote-link.ts).
// Why: docs/decisions/commit-thread-and-group-commit.md.
import type { RegistrantInput } from "../../lib/registrants/rules";
import type { Change, CommitThread, WriterState } from "./commit-thread-supervisor";
import { isConstraintViolation, isMissingTable, SchemaMissingError } from "../connection";
import { isLinkFailure, isNeverSent, type LinkHealth, type RemoteLink } from "../connection";
import { observeCommit } from "../../lib/metrics";
import { CommitOutcomeUnknownError, QueueFullError, WriterUnavailableError } from "./errors";

export type InsertResult = { ok: true; id: number } | { ok: false; reason: "duplicate-email" };

export type WriterHealth = {
  state: WriterState;
  /** Commit threads replaced since the server started (died, stuck, or retired after a failed commit). */
  restarts: number;
  /** Registrations waiting for a commit, not counting the batch being committed. */
  queued: number;
  /** Registrations in the batch being committed. */
  committing: number;
  /** The remote database's link (absent for a local file). */
  link?: LinkHealth;
};

type Pending = {
  change: Change;
  resolve: (id: number | null) => void;
  reject: (error: unknown) => void;
  /** Where the change is: waiting in the queue, sent in a commit, committed (its id known), or answered. */
  stage: "queued" | "committing" | "committed" | "answered";
  id?: number | null;
  /** When its commit was sent (the link's clock): a failure of it from before the link last came back is old news. */
  sentAt?: number;
  timer: NodeJS.Timeout;
};

export type GroupCommitOptions = {
  /** How many changes may wait for a commit; more are refused at once. */
  queueLimit: number;
  /** Every change is answered within this many ms of being queued. */
  answerWithinMs: number;
  /** The remote database's link, or null for a local file. */
  link?: RemoteLink | null;
};

/** Bounds one transaction, so one slow commit never holds the write lock for an unbounded batch. */
const MAX_BATCH = 256;

export class GroupCommit {
  readonly #worker: CommitThread;
  readonly #options: GroupCommitOptions;
  #queue: Pending[] = [];
  #isDraining = false;
  #committing = 0;

  readonly #afterCommit: () => Promise<void>;

  /** `afterCommit` runs after each successful commit, before its callers are answered (db/list-version afterLocalCommit: count it, sync a replica). It must not throw. */
  constructor(worker: CommitThread, options: GroupCommitOptions, afterCommit: () => Promise<void> = async () => {}) {
    this.#worker = worker;
    this.#options = options;
    this.#afterCommit = afterCommit;
  }

  /** Queues a (validated) registrant for the next group commit; resolves once its transaction is on disk. */
  async insert(input: RegistrantInput): Promise<InsertResult> {
    const id = await this.#enqueue(input);
    return id === null ? { ok: false, reason: "duplicate-email" } : { ok: true, id };
  }

  /** Queues the removal of the row with this id and email; true once it is deleted on disk, false when there was no such row. */
  async remove(target: { id: number; email: string }): Promise<boolean> {
    return (await this.#enqueue({ remove: target })) !== null;
  }

  #enqueue(change: Change): Promise<number | null> {
    if (this.#queue.length >= this.#options.queueLimit) return Promise.reject(new QueueFullError(this.#options.queueLimit));
    return new Promise((resolve, reject) => {
      const pending: Pending = { change, resolve, reject, stage: "queued", timer: undefined as unknown as NodeJS.Timeout };
      pending.timer = setTimeout(() => this.#answerLate(pending), this.#options.answerWithinMs);
      this.#queue.push(pending);
      if (!this.#isDraining) {
        this.#isDraining = true;
        // The rest of this tick's arrivals join the first batch.
        setImmediate(() => void this.#drain());
      }
    });
  }

  health(): WriterHealth {
    const link = this.#options.link?.health();
    return { ...this.#worker.health(), queued: this.#queue.length, committing: this.#committing, ...(link && { link }) };
  }

  /** True once every commit thread replaced so far has really stopped (false after `ms`): see db/writer/outcome.ts. */
  retiredThreadsStopped(ms: number): Promise<boolean> {
    return this.#worker.retiredThreadsStopped(ms);
  }

  stop(): void {
    this.#worker.stop(); // what is committing then fails at once
    const queued = this.#queue;
    this.#queue = [];
    for (const pending of queued) this.#fail(pending, new WriterUnavailableError("The registration writer was stopped."));
  }

  /** The answer deadline passed: a queued change leaves the queue unsent; a sent one's outcome is unknown. */
  #answerLate(pending: Pending): void {
    if (pending.stage === "queued") {
      this.#queue = this.#queue.filter((other) => other !== pending);
      this.#fail(pending, new WriterUnavailableError(`The change waited ${this.#options.answerWithinMs} ms for its turn and was not sent.`));
    } else if (pending.stage === "committing") {
      const reason = `The commit holding this change did not answer within ${this.#options.answerWithinMs} ms of its queueing; its thread was replaced.`;
      const error = new CommitOutcomeUnknownError(reason);
      this.#fail(pending, error);
      this.#options.link?.markDown(error, pending.sentAt); // a commit that does not answer: the database, or the way to it, is stuck
      this.#worker.abandon(reason);
    } else if (pending.stage === "committed") {
      this.#succeed(pending, pending.id ?? null); // stored; only the after-commit step (a replica's pull) is late
    }
  }

  #succeed(pending: Pending, id: number | null): void {
    if (pending.stage === "answered") return;
    pending.stage = "answered";
    clearTimeout(pending.timer);
    pending.resolve(id);
  }

  #fail(pending: Pending, error: unknown): void {
    if (pending.stage === "answered") return;
    pending.stage = "answered";
    clearTimeout(pending.timer);
    pending.reject(error);
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
    const link = this.#options.link;
    try {
      await link?.admitWaiting();
    } catch (error) {
      for (const pending of batch) this.#fail(pending, error); // never sent: nothing stored
      return;
    }
    // Sent from here on: past its deadline, a change's outcome is unknown (until now it was "not sent").
    const sentAt = link?.now();
    for (const pending of batch) {
      if (pending.stage === "queued") pending.stage = "committing";
      pending.sentAt = sentAt;
    }
    const open = batch.filter((pending) => pending.stage === "committing");
    if (open.length === 0) return;
    let ids: (number | null)[];
    const startedAt = performance.now();
    try {
      ids = await this.#worker.commit(open.map(({ change }) => change));
      observeCommit(open.length, (performance.now() - startedAt) / 1000, true);
      link?.report();
    } catch (error) {
      observeCommit(open.length, (performance.now() - startedAt) / 1000, false);
      link?.report(error, sentAt);
      if (open.length > 1 && isConstraintViolation(error)) {
        for (const pending of open) await this.#commit([pending]);
        return;
      }
      for (const pending of open) this.#fail(pending, failureOf(error));
      return;
    }
    for (const [i, pending] of open.entries()) {
      pending.id = ids[i];
      if (pending.stage === "committing") pending.stage = "committed";
    }
    await this.#afterCommit();
    for (const pending of open) this.#succeed(pending, pending.id ?? null);
  }
}

/** What a failed commit means for its callers: schema missing, outcome unknown (it may have reached the database), or the error itself. */
function failureOf(error: unknown): unknown {
  if (isMissingTable(error)) return new SchemaMissingError(error);
  if (isNeverSent(error)) return error;
  if (isLinkFailure(error)) return new CommitOutcomeUnknownError("The database link failed while the commit was on its way.", { cause: error });
  return error;
}
