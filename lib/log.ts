// Structured server logs: one JSON line per event, so an operator can grep and ship them.
// Never pass secrets, cookie values or full emails in `fields` (see maskEmail). As a second guard
// every string in them, at any depth, is made fit for a log (see safeText), and errors are written
// as name, message and cause, their message without a failed query's values (see safeErrorText).

import { EMAIL_MAX_LENGTH } from "./registrants/limits";

type Level = "info" | "warn" | "error";

export function logEvent(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...withoutReservedNames(fields) }, (_key, value) =>
    value instanceof Error ? describeError(value) : typeof value === "string" ? safeText(value) : value,
  );
  // Straight to the stream, as console.log would, but never through console: the launcher routes
  // console (Next's own lines) back into logEvent (server/json-console.ts).
  (level === "info" ? process.stdout : process.stderr).write(`${line}\n`);
}

const RESERVED_NAMES = new Set(["time", "level", "event"]);

/** `fields` with a key named time, level or event kept as field_time (…), so the line's own always win and nothing is lost. */
function withoutReservedNames(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [RESERVED_NAMES.has(key) ? `field_${key}` : key, value]));
}

// Its strings then pass through safeText in logEvent's replacer, like every other string.
function describeError(error: Error): { name: string; message: string; cause?: string } {
  const cause = error.cause instanceof Error ? error.cause.message : error.cause === undefined ? undefined : String(error.cause);
  return { name: error.name, message: withoutQueryParams(error.message), cause: cause === undefined ? undefined : withoutQueryParams(cause) };
}

/** "alice@example.com" -> "a***@example.com": enough to correlate, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  return at <= 0 ? "***" : `${email[0]}***${email.slice(at)}`;
}

/** How much of a logged string reaches the log: enough for any real error message, and it bounds the scans. */
export const SAFE_TEXT_MAX_CHARS = 4096;

// An email-looking word: a run of word characters, @, another run. The lookbehind lets a match
// start only where a run starts; without it the engine retried the greedy local part from every
// character of a long unbroken run (quadratic on long input). Linear now. Both runs also stop at
// / ? & = #, so in a URL only its user or a query value is masked, and maskUrlsIn still finds the rest.
const EMAIL_LIKE = /(?<![^\s@"'<>(),;:/?&=#])[^\s@"'<>(),;:/?&=#]+@[^\s@"'<>(),;:/?&=#]+/g;

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
 * Any text fit for a log line: at most SAFE_TEXT_MAX_CHARS characters kept (and scanned), then
 * email-looking words masked, credentials in URLs blanked (see describeUrl) and JWTs masked.
 * Masking twice changes nothing more (maskEmail of "a***@example.com" is itself).
 */
export function safeText(text: string): string {
  return maskTokensIn(maskUrlsIn(maskEmailsIn(capped(text))));
}

/**
 * An error message fit for a log line. Drizzle's "Failed query" errors end with the query's bound
 * values (a visitor's name and email on an insert), so those are cut; the rest goes through safeText.
 */
export function safeErrorText(text: string): string {
  return safeText(withoutQueryParams(text));
}

function withoutQueryParams(text: string): string {
  const params = text.indexOf("\nparams: ");
  return params === -1 ? text : `${text.slice(0, params)}\nparams: (not logged)`;
}

// A URL-looking word: a scheme, a colon, then up to white space or a quote. As in EMAIL_LIKE, the
// lookbehind lets a match start only where a scheme could start, which keeps the scan linear.
const URL_LIKE = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:[^\s"'<>]+/gi;

/** Every URL-looking word in `text` with its credentials blanked (see describeUrl); linear in the length of `text`. */
export function maskUrlsIn(text: string): string {
  return text.replace(URL_LIKE, (url) => describeUrl(url));
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
