// Which registrations this browser made, sealed into its own cookie (`registrations`, Path=/register,
// so `/` never receives it and stays one page for everyone). It is what lets a visitor cancel their
// own registration and nobody else's: an id counts only if this browser's seal holds it.
// Each entry is the row's id and a digest of its email: ids are AUTOINCREMENT (never handed out
// again after a cancel), and the digest must match too, so even a database restored from an older
// backup (where an id may be given again) never lets an old seal reach someone else's row.
// At most MAX_REMEMBERED_REGISTRATIONS entries: registering once more past that forgets the oldest
// (that registration stays; this browser can no longer cancel it, an operator can remove it).
import { createHash } from "node:crypto";
import { openSeal, sealText } from "./seal";

export const REGISTRATIONS_COOKIE_NAME = "registrations";
export const REGISTRATIONS_COOKIE_PATH = "/register";
/** A year: someone may want to cancel long after they registered. */
export const REGISTRATIONS_TTL_SECONDS = 365 * 24 * 60 * 60;
export const MAX_REMEMBERED_REGISTRATIONS = 20;

export type RememberedRegistration = { id: number; emailDigest: string };

const FORMAT = "r1";
const ENTRY = /^([1-9a-z][0-9a-z]{0,10})\.([A-Za-z0-9_-]{8})$/;

/** 48 bits of the email's SHA-256: enough to tell two people apart, and the email itself stays out of the cookie. */
export function emailDigest(email: string): string {
  return createHash("sha256").update(email).digest("base64url").slice(0, 8);
}

export function encodeRemembered(entries: readonly RememberedRegistration[]): string {
  return [FORMAT, ...entries.map(({ id, emailDigest }) => `${id.toString(36)}.${emailDigest}`)].join(" ");
}

/** Reads what encodeRemembered wrote; anything else is an empty list. */
export function decodeRemembered(encoded: unknown): RememberedRegistration[] {
  if (typeof encoded !== "string") return [];
  const [format, ...parts] = encoded.split(" ");
  if (format !== FORMAT || parts.length > MAX_REMEMBERED_REGISTRATIONS) return [];
  const entries: RememberedRegistration[] = [];
  for (const part of parts) {
    const match = ENTRY.exec(part);
    if (!match) return [];
    entries.push({ id: parseInt(match[1], 36), emailDigest: match[2] });
  }
  return entries;
}

/** The list with this registration added last; past the bound, the oldest entries are forgotten. */
export function rememberRegistration(entries: readonly RememberedRegistration[], entry: RememberedRegistration): RememberedRegistration[] {
  return [...entries.filter(({ id }) => id !== entry.id), entry].slice(-MAX_REMEMBERED_REGISTRATIONS);
}

export function forgetRegistration(entries: readonly RememberedRegistration[], id: number): RememberedRegistration[] {
  return entries.filter((entry) => entry.id !== id);
}

/** True when this browser made the registration `row` (its id and email both as remembered). */
export function isRemembered(entries: readonly RememberedRegistration[], row: { id: number; email: string }): boolean {
  return entries.some((entry) => entry.id === row.id && entry.emailDigest === emailDigest(row.email));
}

export function sealRemembered(entries: readonly RememberedRegistration[], secrets: string[]): Promise<string> {
  return sealText(encodeRemembered(entries), secrets, REGISTRATIONS_TTL_SECONDS);
}

/** Opens a seal made with any of the secrets; tampered, truncated, foreign or expired: an empty list. */
export async function unsealRemembered(seal: string | undefined, secrets: string[]): Promise<RememberedRegistration[]> {
  if (!seal) return [];
  try {
    return decodeRemembered(await openSeal(seal, secrets));
  } catch {
    return [];
  }
}
