// The link to a remote database (sqld, Turso): is it answering? Every remote call of this process
// reports to one RemoteLink; a call that outlives its deadline or fails on the network marks the
// link down. While it is down, calls fail at once with DatabaseUnreachableError instead of each
// waiting out a deadline of its own, and one probe at a time (at most one a second, started by
// the traffic itself) asks whether the link is back; the first that answers reopens it.
// docs/decisions/frozen-database-link.md says why a breaker and why these numbers.
import type { Client } from "@libsql/client";
import { countRemoteFailure, observeRemoteRequest } from "../../lib/metrics";
import { describes } from "./errors";

/** How long one read of the server's main thread may wait for a remote answer. */
export const REMOTE_READ_DEADLINE_MS = 4_000;
/** How long a probe of a link that is down may take. */
export const LINK_PROBE_DEADLINE_MS = 2_000;
/** The least time between two probes while the link is down. */
export const LINK_PROBE_EVERY_MS = 1_000;

/** Thrown instead of waiting: the database did not answer in time, or the link is known to be down. */
export class DatabaseUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnreachableError";
  }
}

// Failures of the path to the server, not of a statement: a refused or reset connection, a name
// that does not resolve, a closed WebSocket, a deadline, a proxy's 502/503/504.
const LINK_FAILURE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|EPIPE|ETIMEDOUT|UND_ERR|fetch failed|TimeoutError|aborted due to timeout|operation was aborted|WebSocket|socket hang up|HTTP status 50[234]\b|DatabaseUnreachableError/i;

/** True when `error` says the database could not be reached, as opposed to a statement that failed. */
export function isLinkFailure(error: unknown): boolean {
  return describes(error, LINK_FAILURE) || (error instanceof Error && error.name === "DatabaseUnreachableError");
}

/** An error the database server itself answered with (a constraint, a missing table, a busy lock). */
function isServerAnswer(error: unknown): boolean {
  return describes(error, /^SQLITE_|SQLITE_[A-Z]+|SQL_PARSE_ERROR|no such table|constraint failed/);
}

// Failures before anything reached the server: no connection was ever made (fetch refuses a "bad port" itself).
const NEVER_CONNECTED = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|bad port/;

/** True when `error` proves the request never reached the database (so nothing of it can have been stored). */
export function isNeverSent(error: unknown): boolean {
  return (error instanceof Error && error.name === "DatabaseUnreachableError" && /unreachable/.test(error.message)) || describes(error, NEVER_CONNECTED);
}

export type LinkHealth = { state: "up" | "down"; downForMs?: number; lastFailure?: string };

export class RemoteLink {
  readonly #probe: () => Promise<void>;
  readonly #now: () => number;
  #downSince: number | undefined;
  #lastFailure: string | undefined;
  #probing: Promise<boolean> | undefined;
  #lastProbeEndedAt = -Infinity;
  /** When the link last came back: a failure of a call sent before then is old news, not a new outage. */
  #upAt = -Infinity;

  /** `probe` asks the database a trivial question through a fresh connection; it must settle (it gets LINK_PROBE_DEADLINE_MS). */
  constructor(probe: () => Promise<void>, now: () => number = () => performance.now()) {
    this.#probe = probe;
    this.#now = now;
  }

  isDown(): boolean {
    return this.#downSince !== undefined;
  }

  /**
   * Resolves when a call may go out. While the link is down it rejects at once, unless no probe has
   * run for LINK_PROBE_EVERY_MS: then this caller runs one and goes out if it answered.
   */
  async admit(): Promise<void> {
    if (this.#downSince === undefined) return;
    if (this.#probing || this.#now() - this.#lastProbeEndedAt < LINK_PROBE_EVERY_MS) throw this.#refusal();
    this.#probing = this.#runProbe();
    if (!(await this.#probing)) throw this.#refusal();
  }

  /**
   * For a commit: while the link is down, waits for a probe (the one running, or a new one at once)
   * instead of failing at once, so a registration made just as the database comes back is not
   * refused. At most LINK_PROBE_DEADLINE_MS; commits go one batch at a time, so one probe at a time.
   */
  async admitWaiting(): Promise<void> {
    if (this.#downSince === undefined) return;
    this.#probing ??= this.#runProbe();
    if (!(await this.#probing)) throw this.#refusal();
  }

  /** The link's clock: what a caller stamps a call with when it sends it (see markDown). */
  now(): number {
    return this.#now();
  }

  /** `sentAt`: when the failed call was sent; one sent before the link last came back is ignored. */
  markDown(reason: unknown, sentAt?: number): void {
    if (sentAt !== undefined && sentAt < this.#upAt) return;
    this.#lastFailure = reason instanceof Error ? reason.message : String(reason);
    this.#downSince ??= this.#now();
  }

  markUp(): void {
    if (this.#downSince === undefined) return;
    this.#downSince = undefined;
    this.#upAt = this.#now();
  }

  /**
   * What a finished call says about the link: an answer (a statement's own error from the server
   * too) means up, a link failure means down. An error of our own making (a commit given up at its
   * deadline, a stopped writer) says nothing: taken as an answer, it reopened a frozen link.
   */
  report(error?: unknown, sentAt?: number): void {
    if (error === undefined || isServerAnswer(error)) this.markUp();
    else if (isLinkFailure(error)) this.markDown(error, sentAt);
  }

  health(): LinkHealth {
    if (this.#downSince === undefined) return { state: "up" };
    return { state: "down", downForMs: Math.round(this.#now() - this.#downSince), lastFailure: this.#lastFailure };
  }

  async #runProbe(): Promise<boolean> {
    try {
      await withDeadline(this.#probe(), LINK_PROBE_DEADLINE_MS, "probe of the database link");
      this.markUp();
      return true;
    } catch (error) {
      this.markDown(error);
      return false;
    } finally {
      this.#lastProbeEndedAt = this.#now();
      this.#probing = undefined;
    }
  }

  #refusal(): DatabaseUnreachableError {
    return new DatabaseUnreachableError(`The database is unreachable (${this.#lastFailure ?? "no answer"}); trying again in the background.`);
  }
}

/** `work`, or DatabaseUnreachableError once `ms` have passed (the work itself goes on; nobody waits for it). */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnreachableError(`The ${what} got no answer within ${ms} ms.`)), ms);
  });
  work.catch(() => {}); // past the deadline its failure is nobody's
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const GUARDED_CALLS = new Set(["execute", "batch", "executeMultiple", "migrate"]);

/**
 * The client with every query admitted by `link`, bounded by `deadlineMs`, and reported to it. A
 * call past its deadline calls `onStuck` too: a WebSocket that stopped answering stays stuck, so
 * the caller drops the connection and the next call opens a new one.
 */
export function guardClient(client: Client, link: RemoteLink, deadlineMs: number, onStuck: () => void): Client {
  return new Proxy(client, {
    get(target, property) {
      // The client keeps its state in private fields: its methods and getters must see the client itself, not this proxy.
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (typeof property !== "string" || !GUARDED_CALLS.has(property)) return value.bind(target);
      return async (...args: unknown[]) => {
        try {
          await link.admit();
        } catch (error) {
          countRemoteFailure("link_down");
          throw error;
        }
        const sentAt = link.now();
        const startedAt = performance.now();
        try {
          const result = await withDeadline(Promise.resolve(value.apply(target, args)), deadlineMs, "database query");
          observeRemoteRequest((performance.now() - startedAt) / 1000, true);
          link.report();
          return result;
        } catch (error) {
          const answered = isServerAnswer(error);
          observeRemoteRequest((performance.now() - startedAt) / 1000, answered);
          if (!answered) countRemoteFailure(error instanceof DatabaseUnreachableError ? "deadline" : "network");
          link.report(error, sentAt);
          if (error instanceof DatabaseUnreachableError) onStuck();
          throw error;
        }
      };
    },
  });
}
