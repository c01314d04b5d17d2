// The door for new registrants (and for cancels): checks the rules once more, then hands them to the one group
// commit of this process (db/writer/group-commit.ts, kept by db/connection/index.ts).
import { registrantSchema, type RegistrantInput } from "../../lib/registrants/rules";
import type { InsertResult, WriterHealth } from "./group-commit";
import { getRegistrationWriter } from "../connection";

export type { InsertResult, WriterHealth } from "./group-commit";
export { findOutRegistration, type RegistrationOutcome } from "./outcome";

/** Queues a registrant for the next group commit; resolves once its transaction is on disk. */
export function insertRegistrant(input: RegistrantInput): Promise<InsertResult> {
  // The rules again, at the door: a caller that skipped them must not store what would not read
  // back as sent (the driver silently cuts text at a NUL byte).
  const valid = registrantSchema.safeParse(input);
  if (!valid.success) {
    return Promise.reject(new TypeError(`insertRegistrant needs a valid registrant: ${valid.error.issues.map((i) => i.message).join(" ")}`));
  }
  return getRegistrationWriter().insert(valid.data);
}

/** For /api/health: registrations can be committed unless the state is "down". Starts no thread. */
export function registrationWriterHealth(): WriterHealth {
  return getRegistrationWriter().health();
}

/**
 * Queues the removal of one registration, by id and email together (a cancel); resolves once it
 * is deleted on disk (true), or false when no row has both.
 */
export function removeRegistrant(target: { id: number; email: string }): Promise<boolean> {
  return getRegistrationWriter().remove(target);
}
