// Why a registration could not even be tried, or was given up on, by the writer itself (not by
// SQLite): the visitor is told to try again, the log says which, and nothing of it was stored.

/** The commit thread died, missed its deadline, or cannot be started just now. */
export class WriterUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WriterUnavailableError";
  }
}

/** More registrations are waiting for a commit than REGISTRATION_QUEUE_LIMIT allows. */
export class QueueFullError extends Error {
  constructor(limit: number) {
    super(`${limit} registrations are already waiting for a commit.`);
    this.name = "QueueFullError";
  }
}

/**
 * A commit that was sent but never answered (its deadline passed, its thread died, the link failed
 * on the way): it may or may not have reached the database. Whoever tells the visitor finds out
 * first (db/writer/outcome.ts); never "nothing was stored" on this alone.
 */
export class CommitOutcomeUnknownError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CommitOutcomeUnknownError";
  }
}

export type WriteFailure = "schema-missing" | "outcome-unknown" | "database-unreachable" | "queue-full" | "writer-unavailable" | "database";

/**
 * What kind of failure a write rejected with. By name, never `instanceof`: the writer, and so its
 * errors' classes, belong to whichever bundle first opened it (lib/process-wide.ts).
 */
export function writeFailureOf(error: unknown): WriteFailure {
  switch (error instanceof Error ? error.name : undefined) {
    case "SchemaMissingError":
      return "schema-missing";
    case "CommitOutcomeUnknownError":
      return "outcome-unknown";
    case "DatabaseUnreachableError":
      return "database-unreachable";
    case "QueueFullError":
      return "queue-full";
    case "WriterUnavailableError":
      return "writer-unavailable";
    default:
      return "database";
  }
}
