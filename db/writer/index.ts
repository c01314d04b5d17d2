// The writer: every change to the registrants table the app makes goes through here. Changes are
// checked against the rules once more, queued, and committed in batches (group-commit.ts) on a
// supervised thread with its own connection (commit-thread-supervisor.ts, commit-thread.ts). One
// writer per process (lib/process-wide.ts). Why: docs/decisions/commit-thread-and-group-commit.md.
import { primaryDatabaseOf, readDatabaseConfig, readWriterConfig } from "../../lib/config";
import { registrantSchema, type RegistrantInput } from "../../lib/registrants/rules";
import { databaseLink } from "../connection";
import { afterLocalCommit } from "../list-version";
import { processWide } from "../../lib/process-wide";
import { CommitThread } from "./commit-thread-supervisor";
import { GroupCommit, type InsertResult, type WriterHealth } from "./group-commit";
import { findOutRegistrationWith, type RegistrationOutcome } from "./outcome";

export type { InsertResult, RegistrationOutcome, WriterHealth };
export { CommitOutcomeUnknownError, QueueFullError, WriterUnavailableError, writeFailureOf, type WriteFailure } from "./errors";

const shared = processWide<GroupCommit>("writer");

function writer(): GroupCommit {
  return (shared.value ??= createWriter());
}

function createWriter(): GroupCommit {
  const { commitTimeoutMs, faultFile, queueLimit } = readWriterConfig();
  // An embedded replica's file is written only by its pulls: commits go to the primary.
  const database = primaryDatabaseOf(readDatabaseConfig());
  const thread = new CommitThread({ database, commitTimeoutMs, faultFile });
  return new GroupCommit(thread, { queueLimit, answerWithinMs: commitTimeoutMs, link: databaseLink() }, afterLocalCommit);
}

/** Queues a registrant for the next group commit; resolves once its transaction is on disk. */
export function insertRegistrant(input: RegistrantInput): Promise<InsertResult> {
  // The rules again, at the door: a caller that skipped them must not store what would not read
  // back as sent (the driver silently cuts text at a NUL byte).
  const valid = registrantSchema.safeParse(input);
  if (!valid.success) {
    return Promise.reject(new TypeError(`insertRegistrant needs a valid registrant: ${valid.error.issues.map((i) => i.message).join(" ")}`));
  }
  return writer().insert(valid.data);
}

/**
 * Queues the removal of one registration, by id and email together (a cancel); resolves once it
 * is deleted on disk (true), or false when no row has both.
 */
export function removeRegistrant(target: { id: number; email: string }): Promise<boolean> {
  return writer().remove(target);
}

/** What became of a registration whose commit never answered (CommitOutcomeUnknownError), within `withinMs`. */
export function findOutRegistration(person: RegistrantInput, withinMs: number): Promise<RegistrationOutcome> {
  return findOutRegistrationWith(writer(), person, withinMs);
}

/** For /api/health: registrations can be committed unless the state is "down". Starts no thread. */
export function writerHealth(): WriterHealth {
  return writer().health();
}
