// An embedded replica's pulls from its primary (DATABASE_SYNC_URL), supervised. The replica file
// serves every read locally and changes only when it pulls, so the pulls are what its freshness is:
// - every `intervalMs` (DATABASE_SYNC_INTERVAL_MS) a pull brings what other instances committed;
// - after each commit of this process the writer asks for one more (`syncNow`) before it answers,
//   so the registrant's own request after the 303 reads a replica that holds their row.
// A pull that fails or outlasts its deadline is recorded (health reports it, /api/health answers
// 503) and the next tick tries again: the loop never stops on an error. libSQL's own `syncInterval`
// is not used because its failures are only logged, never seen by health.
import type { Client } from "@libsql/client";
import { safeErrorText } from "../../lib/log";
import { countReplicaPull } from "../../lib/metrics";

export type ReplicaHealth = {
  state: "starting" | "ok" | "failing";
  /** Milliseconds since the last pull that succeeded (null before the first). */
  lastSyncAgeMs: number | null;
  /** Pulls failed in a row since the last success. */
  failures: number;
  error?: string;
};

/** A pull longer than this is counted as failed (libSQL's own handshake gives up after ~3 s). */
const MIN_PULL_DEADLINE_MS = 5_000;

export class ReplicaSync {
  readonly #client: Pick<Client, "sync">;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #next: Promise<void> | undefined;
  #lastSuccessAt: number | undefined;
  #failures = 0;
  #error: string | undefined;
  #stopped = false;
  #frameNo: number | undefined;
  #changes = 0;

  constructor(client: Pick<Client, "sync">, intervalMs: number) {
    this.#client = client;
    this.#intervalMs = intervalMs;
  }

  /** Starts the periodic pulls (the first at once); resolves after the first pull, whatever its outcome. */
  start(): Promise<void> {
    const first = this.syncNow();
    void first.then(() => this.#schedule());
    return first;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Resolves once a pull that started after this call has ended (each caller's commit is then in the replica, unless it failed). Never rejects. */
  syncNow(): Promise<void> {
    if (!this.#running) {
      this.#running = this.#pull().finally(() => (this.#running = undefined));
      return this.#running;
    }
    // The pull under way may have started before the caller's commit: one more after it, shared by everyone who asks meanwhile.
    this.#next ??= this.#running.then(() => {
      this.#next = undefined;
      return this.syncNow();
    });
    return this.#next;
  }

  /** How many pulls have changed the replica so far (it only ever grows): until it moves, the local data cannot have changed. */
  changes(): number {
    return this.#changes;
  }

  health(): ReplicaHealth {
    const lastSyncAgeMs = this.#lastSuccessAt === undefined ? null : Math.round(performance.now() - this.#lastSuccessAt);
    if (this.#failures > 0) return { state: "failing", lastSyncAgeMs, failures: this.#failures, error: this.#error };
    return { state: lastSyncAgeMs === null ? "starting" : "ok", lastSyncAgeMs, failures: 0 };
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.syncNow().then(() => this.#schedule()), this.#intervalMs);
    this.#timer.unref(); // never what keeps a process alive
  }

  async #pull(): Promise<void> {
    const startedAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const deadlineMs = Math.max(MIN_PULL_DEADLINE_MS, 2 * this.#intervalMs);
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the pull from the primary took longer than ${deadlineMs} ms`)), deadlineMs);
    });
    const pull = this.#client.sync();
    pull.catch(() => {}); // past the deadline nobody waits for it; its failure is already counted
    try {
      const replicated = await Promise.race([pull, deadline]);
      // Counted as a change unless it provably brought nothing (same frame as the last pull).
      if (replicated === undefined || replicated.frames_synced > 0 || replicated.frame_no !== this.#frameNo) this.#changes += 1;
      this.#frameNo = replicated?.frame_no;
      this.#lastSuccessAt = startedAt;
      this.#failures = 0;
      this.#error = undefined;
      countReplicaPull(true);
    } catch (error) {
      this.#failures += 1;
      countReplicaPull(false);
      // Health answers it as JSON and logs it: a driver's message may quote the URL or its token.
      this.#error = safeErrorText(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  }
}
