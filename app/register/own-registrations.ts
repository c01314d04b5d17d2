// The registrations this browser made that still exist: the ids its sealed cookie remembers, read
// back from the database, kept only where the email matches the remembered digest too.
import { findRegistrants, type RegistrantRow } from "@/db/registrants";
import { logEvent } from "@/lib/log";
import { readRememberedRegistrations } from "@/lib/session/cookie";
import { isRemembered, type RememberedRegistration } from "@/lib/session/registrations";

/** `unavailable`: the database could not be read just now, so the form is shown without them. */
export async function readOwnRegistrations(): Promise<{ remembered: RememberedRegistration[]; rows: RegistrantRow[]; unavailable?: true }> {
  const remembered = await readRememberedRegistrations();
  try {
    const rows = await findRegistrants(remembered.map(({ id }) => id));
    return { remembered, rows: rows.filter((row) => isRemembered(remembered, row)) };
  } catch (error) {
    logEvent("warn", "register.own-registrations-unavailable", { error });
    return { remembered, rows: [], unavailable: true };
  }
}

/** The id a form or link carries: a plain whole number, or null for anything else. */
export function parseRegistrationId(raw: unknown): number | null {
  return typeof raw === "string" && /^[1-9]\d{0,15}$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : null;
}
