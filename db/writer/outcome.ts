// Finding out what became of a registration whose commit never answered (CommitOutcomeUnknownError):
// the visitor must not be told "nothing was stored" when it may have been. One look-up of the email,
// within what is left of the answer's deadline: the row with their name is there (stored), another
// row has the email (a duplicate), or nothing is there. "Nothing" is proof only on the embedded file
// once the thread that held the commit has stopped (its transaction died with it); on a remote
// database the request may still reach the server, so the outcome stays unknown.
import { eq } from "drizzle-orm";
import type { RegistrantInput } from "../../lib/registrants/rules";
import { databaseLink, getDb, withDeadline } from "../connection";
import { registrants } from "../schema";
import type { GroupCommit } from "./group-commit";

export type RegistrationOutcome = { stored: true; id: number } | { stored: false; reason: "not-stored" | "duplicate-email" } | { stored: "unknown" };

export async function findOutRegistrationWith(writer: GroupCommit, person: RegistrantInput, withinMs: number): Promise<RegistrationOutcome> {
  const deadline = performance.now() + withinMs;
  const isLocalFile = databaseLink() === null; // no remote link: commits go to the embedded file
  try {
    const threadStopped = isLocalFile && (await writer.retiredThreadsStopped(Math.max(0, (deadline - performance.now()) / 2)));
    const lookUp = (async () => {
      const db = await getDb();
      return db.select({ id: registrants.id, name: registrants.name }).from(registrants).where(eq(registrants.email, person.email)).limit(1);
    })();
    const [row] = await withDeadline(lookUp, Math.max(1, deadline - performance.now()), "look-up of an unanswered registration");
    if (row) return row.name === person.name ? { stored: true, id: row.id } : { stored: false, reason: "duplicate-email" };
    return threadStopped ? { stored: false, reason: "not-stored" } : { stored: "unknown" };
  } catch {
    return { stored: "unknown" };
  }
}
