// The registrations this browser made that still exist: the ids its sealed cookie remembers, read
// back from the database, kept only where the email matches the remembered digest too.
import { findRegistrants, type RegistrantRow } from "@/db/registrants";
import { readRememberedRegistrations } from "@/lib/session/cookie";
import { isRemembered, type RememberedRegistration } from "@/lib/session/registrations";

export async function readOwnRegistrations(): Promise<{ remembered: RememberedRegistration[]; rows: RegistrantRow[] }> {
  const remembered = await readRememberedRegistrations();
  const rows = await findRegistrants(remembered.map(({ id }) => id));
  return { remembered, rows: rows.filter((row) => isRemembered(remembered, row)) };
}

/** The id a form or link carries: a plain whole number, or null for anything else. */
export function parseRegistrationId(raw: unknown): number | null {
  return typeof raw === "string" && /^[1-9]\d{0,15}$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : null;
}
