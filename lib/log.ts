// Structured server logs: one JSON line per event, so an operator can grep and ship them.
// Never pass secrets, cookie values or full emails in `fields` (see maskEmail).

type Level = "info" | "warn" | "error";

export function logEvent(level: Level, event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }, (_key, value) =>
    value instanceof Error ? { name: value.name, message: value.message, cause: errorMessage(value.cause) } : value,
  );
  (level === "error" ? console.error : level === "warn" ? console.warn : console.log)(line);
}

function errorMessage(cause: unknown): string | undefined {
  return cause instanceof Error ? cause.message : cause === undefined ? undefined : String(cause);
}

/** "alice@example.com" -> "a***@example.com": enough to correlate, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  return at <= 0 ? "***" : `${email[0]}***${email.slice(at)}`;
}

/** Free text (an error message) with every email-looking word masked as maskEmail does. */
export function maskEmailsIn(text: string): string {
  return text.replace(/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/g, maskEmail);
}
