// The registration writer's supervisor: runs the commit thread (db/writer/commit-thread.ts) and keeps one
// running. A thread that exits, crashes or misses a commit's deadline is replaced, and the commit it
// held fails at once with CommitOutcomeUnknownError (the caller finds out what became of it,
// ./outcome.ts). A thread that keeps dying is restarted with a back-off capped at a few seconds;
// while a restart waits for its turn, commits fail at once instead of queueing behind a dead thread.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { DatabaseConfig, WriterConfig } from "../../lib/config";
import { logEvent } from "../../lib/log";
import { countWriterRestart } from "../../lib/metrics";
import { deserializeError, type Change, type ThreadData, type ThreadReply } from "./commit-protocol";
import { CommitOutcomeUnknownError, WriterUnavailableError } from "./errors";

export type { Change } from "./commit-protocol";

/** "restarting": a replacement thread is starting (commits wait for it). "down": commits fail at once until the next attempt. */
export type WriterState = "ok" | "restarting" | "down";

export type ThreadHealth = { state: WriterState; restarts: number };

export type Backoff = { firstMs: number; maxMs: number };

/** The first replacement starts at once; each further loss without a commit in between waits twice as long, up to maxMs. */
export const DEFAULT_BACKOFF: Backoff = { firstMs: 100, maxMs: 5_000 };

/**
 * The thread's own V8 heap, bounded: it holds one batch at a time (at most 256 changes of a few
 * hundred bytes) and a driver, yet without a bound it would grow its young generation to the
 * process's --max-semi-space-size and its old one towards --max-old-space-size, RSS the server's
 * other limits budget for requests (docs/performance.md "Memory"). A thread that reaches the bound dies
 * with ERR_WORKER_OUT_OF_MEMORY and is replaced like any other lost thread.
 */
export const COMMIT_THREAD_HEAP_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 48 } as const;

export function restartDelayMs(consecutiveLosses: number, { firstMs, maxMs }: Backoff = DEFAULT_BACKOFF): number {
  return consecutiveLosses <= 1 ? 0 : Math.min(maxMs, firstMs * 2 ** (consecutiveLosses - 2));
}

type Options = { database: DatabaseConfig; backoff?: Backoff } & Pick<WriterConfig, "commitTimeoutMs" | "faultFile">;
type Thread = { worker: Worker; ready: boolean };
type Waiting = { resolve: (ids: (number | null)[]) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/**
 * Where the thread's code is: bundled beside the standalone server (its working folder), else this
 * source folder's TypeScript, run through tsx (`next dev`, Vitest, the CLIs).
 */
function threadEntry(): { file: string; execArgv?: string[] } {
  const bundled = join(/* turbopackIgnore: true */ process.cwd(), "commit-thread.mjs");
  if (existsSync(bundled)) return { file: bundled };
  return { file: join(/* turbopackIgnore: true */ process.cwd(), "db", "writer", "commit-thread.ts"), execArgv: ["--import", "tsx"] };
}

export class CommitThread {
  readonly #options: Options;
  #thread: Thread | null = null;
  #waiting = new Map<number, Waiting>();
  #nextId = 0;
  #losses = 0;
  #restarts = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  #exiting = new Set<Promise<void>>();

  constructor(options: Options) {
    this.#options = options;
  }

  /** Applies the changes in one transaction; each gets its row's id, or null (a duplicate email, nothing to remove). */
  commit(changes: Change[]): Promise<(number | null)[]> {
    if (this.#stopped) return Promise.reject(new WriterUnavailableError("The registration writer was stopped."));
    if (this.#retryTimer) return Promise.reject(new WriterUnavailableError("The registration writer is restarting after a failure."));
    const thread = (this.#thread ??= this.#start());
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new CommitOutcomeUnknownError(`The commit did not finish within ${this.#options.commitTimeoutMs} ms; its thread was replaced.`);
        this.#waiting.delete(id);
        reject(error);
        this.#lose(thread, error);
      }, this.#options.commitTimeoutMs);
      this.#waiting.set(id, { resolve, reject, timer });
      // A thread still starting keeps the message until it listens.
      thread.worker.postMessage({ id, changes });
    });
  }

  /** Gives up on the commit in flight (its caller's deadline passed): its thread is replaced, the commit's outcome is unknown. */
  abandon(reason: string): void {
    if (this.#thread && this.#waiting.size > 0) this.#lose(this.#thread, new CommitOutcomeUnknownError(reason));
  }

  health(): ThreadHealth {
    const state = this.#retryTimer ? "down" : this.#thread && !this.#thread.ready && this.#restarts > 0 ? "restarting" : "ok";
    return { state, restarts: this.#restarts };
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const thread = this.#thread;
    this.#thread = null;
    this.#failWaiting(new WriterUnavailableError("The database connection was closed."));
    if (thread) void thread.worker.terminate();
  }

  #start(): Thread {
    const { file, execArgv } = threadEntry();
    const { database, faultFile } = this.#options;
    const workerData: ThreadData = { ...database, faultFile };
    const thread: Thread = { worker: new Worker(file, { workerData, execArgv, resourceLimits: COMMIT_THREAD_HEAP_LIMITS }), ready: false };
    thread.worker.unref(); // never what keeps a process (a CLI, a test) alive
    thread.worker.on("message", (reply: ThreadReply) => this.#receive(thread, reply));
    thread.worker.on("error", (error) => this.#lose(thread, new CommitOutcomeUnknownError("The commit thread crashed.", { cause: error })));
    thread.worker.on("exit", (code) => this.#lose(thread, new CommitOutcomeUnknownError(`The commit thread exited (code ${code}).`)));
    return thread;
  }

  #receive(thread: Thread, reply: ThreadReply): void {
    if (reply.type === "ready") {
      thread.ready = true;
      return;
    }
    const waiting = this.#waiting.get(reply.id);
    this.#waiting.delete(reply.id);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    if (reply.type === "committed") {
      this.#losses = 0;
      return waiting.resolve(reply.ids);
    }
    waiting.reject(deserializeError(reply.error));
    // A fresh connection for the next commit (see db/writer/commit-thread.ts); not a fault of the thread.
    if (thread !== this.#thread) return;
    this.#retire(thread);
    this.#failWaiting(new WriterUnavailableError("The commit thread was replaced after a failed commit."));
    this.#thread = this.#start();
  }

  /** The thread died or is stuck: fail what it held (sent, so its outcome is unknown), replace it (after a back-off if this keeps happening). */
  #lose(thread: Thread, error: CommitOutcomeUnknownError): void {
    if (thread !== this.#thread) return; // already replaced
    this.#retire(thread);
    this.#failWaiting(error);
    this.#losses += 1;
    const delay = restartDelayMs(this.#losses, this.#options.backoff);
    logEvent("error", "writer.thread-lost", { error, consecutiveLosses: this.#losses, restartInMs: delay });
    if (delay === 0) {
      this.#thread = this.#start();
      return;
    }
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#thread ??= this.#start();
    }, delay);
    this.#retryTimer.unref();
  }

  #retire(thread: Thread): void {
    if (this.#thread === thread) this.#thread = null;
    this.#restarts += 1;
    countWriterRestart();
    const exited = thread.worker.terminate().then(
      () => {},
      () => {},
    );
    this.#exiting.add(exited);
    void exited.then(() => this.#exiting.delete(exited));
  }

  /**
   * Resolves true once every replaced thread has really stopped (a thread held in a native call,
   * such as a stuck fsync, stops only when the call returns), false if one is still running after `ms`.
   */
  async retiredThreadsStopped(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([Promise.all(this.#exiting).then(() => true as const), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  #failWaiting(error: Error): void {
    for (const { reject, timer } of this.#waiting.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this.#waiting.clear();
  }
}
