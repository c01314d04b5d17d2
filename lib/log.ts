// Structured server logs: one JSON line per event, so an operator can grep and ship them.
// Never pass secrets, cookie values or full emails in `fields` (see maskEmail). Errors are written
// as name, message and cause, with their message made fit for a log (see safeErrorText).

import { EMAIL_MAX_LENGTH } from "./registrants/limits";

type Level = "info" | "warn" | "error";

export function logEvent(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }, (_key, value) =>
    value instanceof Error ? { name: value.name, message: safeErrorText(value.message), cause: errorMessage(value.cause) } : value,
  );
  (level === "error" ? console.error : level === "warn" ? console.warn : console.log)(line);
}

function errorMessage(cause: unknown): string | undefined {
  return cause instanceof Error ? safeErrorText(cause.message) : cause === undefined ? undefined : safeErrorText(String(cause));
}

/** "alice@example.com" -> "a***@example.com": enough to correlate, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  return at <= 0 ? "***" : `${email[0]}***${email.slice(at)}`;
}

/** How much of an error message reaches the log: enough for any real one, and it bounds the scan. */
export const SAFE_TEXT_MAX_CHARS = 4096;

// An email-looking word: a run of word characters, @, another run. The lookbehind lets a match
// start only where a run starts; without it the engine retried the greedy local part from every
// character of a long unbroken run (quadratic: 80,000 characters took ~10 s). Linear now.
const EMAIL_LIKE = /(?<![^\s@"'<>(),;:])[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/g;

/** Every email-looking word in `text` masked (see maskEmail); linear in the length of `text`. */
export function maskEmailsIn(text: string): string {
  return text.replace(EMAIL_LIKE, maskEmail);
}

const isInWord = (char: string | undefined) => char !== undefined && !/[\s"'<>(),;:]/.test(char);

/**
 * The first SAFE_TEXT_MAX_CHARS of `text`. A word the cut goes through is left out if it could be
 * an email (no longer than one), so the log never holds a local part without its masked domain.
 */
function capped(text: string): string {
  if (text.length <= SAFE_TEXT_MAX_CHARS) return text;
  let end = SAFE_TEXT_MAX_CHARS;
  while (end > SAFE_TEXT_MAX_CHARS - EMAIL_MAX_LENGTH && isInWord(text[end - 1]) && isInWord(text[end])) end -= 1;
  if (isInWord(text[end - 1]) && isInWord(text[end])) end = SAFE_TEXT_MAX_CHARS; // longer than any email
  return `${text.slice(0, end)}… (${text.length - end} more characters not logged)`;
}

/**
 * An error message fit for a log line. Drizzle's "Failed query" errors end with the query's bound
 * values (a visitor's name and email on an insert), so those are cut; any other email-looking word
 * is masked. At most SAFE_TEXT_MAX_CHARS characters are kept (and scanned).
 */
export function safeErrorText(text: string): string {
  const params = text.indexOf("\nparams: ");
  const withoutParams = params === -1 ? text : `${text.slice(0, params)}\nparams: (not logged)`;
  return maskTokensIn(maskEmailsIn(capped(withoutParams)));
}

// A JSON Web Token: base64url header (always `{"…`, so `eyJ`), payload and signature. The tokens of
// sqld and Turso (DATABASE_AUTH_TOKEN) are JWTs, so a driver or proxy error that quotes one is masked.
const JWT_LIKE = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** Every JWT-looking word in `text` replaced by `***`. */
export function maskTokensIn(text: string): string {
  return text.replace(JWT_LIKE, "***");
}

// Query parameters that carry a credential. libSQL reads `authToken` from any URL's query (it
// percent-decodes the name first, as here); the other spellings are masked in case a proxy or a
// future driver reads them.
const TOKEN_PARAMETERS = new Set(["authtoken", "auth_token", "token"]);

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll("+", " ")).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}

function maskTokens(query: string): string {
  return query
    .split("&")
    .map((pair) => {
      const name = pair.split("=", 1)[0];
      return TOKEN_PARAMETERS.has(decodedName(name)) ? `${name}=***` : pair;
    })
    .join("&");
}

/** The URL with any credentials blanked (user:password@, an auth token in the query), fit for a log line. */
export function describeUrl(url: string): string {
  const withoutUser = url.replace(/\/\/[^/?#]*@/, "//***@"); // up to the last @ of the authority
  const match = /^([^?#]*)\?([^#]*)(.*)$/s.exec(withoutUser);
  return maskTokensIn(match ? `${match[1]}?${maskTokens(match[2])}${match[3]}` : withoutUser);
}
