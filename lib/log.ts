// Structured server logs: one JSON line per event, so an operator can grep and ship them.
// Never pass secrets, cookie values or full emails in `fields` (see maskEmail). Errors are written
// as name, message and cause, with their message made fit for a log (see safeErrorText).

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

/**
 * An error message fit for a log line. Drizzle's "Failed query" errors end with the query's bound
 * values (a visitor's name and email on an insert), so those are cut; any other email-looking word
 * is masked.
 */
export function safeErrorText(text: string): string {
  return text.replace(/\nparams: [\s\S]*$/, "\nparams: (not logged)").replace(/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/g, maskEmail);
}
