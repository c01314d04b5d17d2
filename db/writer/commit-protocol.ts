// The messages between the registration writer (db/writer/commit-thread-supervisor.ts, main thread) and its commit
// thread (db/writer/commit-thread.ts). A driver error crosses the thread as plain data and is rebuilt on
// the other side with what db/connection/errors.ts reads (code, extendedCode, message, the cause's message).
import type { WriterConfig, DatabaseConfig } from "../../lib/config";
import type { RegistrantInput } from "../../lib/registrants/rules";

/** A registration (the checked row, passed whole: a new column needs no change here), or the removal of one (a cancel: its id and its email must match). */
export type Change = RegistrantInput | { remove: { id: number; email: string } };

/** What a commit thread is started with. */
export type ThreadData = DatabaseConfig & { faultFile?: WriterConfig["faultFile"] };

export type CommitRequest = { id: number; changes: Change[] };

export type SerializedError = { message: string; code?: string; extendedCode?: string; causeMessage?: string };

export type ThreadReply =
  | { type: "ready" }
  | { type: "committed"; id: number; ids: (number | null)[] }
  | { type: "failed"; id: number; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  const { message, code, extendedCode, cause } = (error ?? {}) as { message?: unknown; code?: unknown; extendedCode?: unknown; cause?: unknown };
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return { message: text(message) ?? String(error), code: text(code), extendedCode: text(extendedCode), causeMessage: causesOf(cause) };
}

/**
 * Every cause's message and code, outermost first: a refused connection is two causes deep in a
 * driver error ("fetch failed" ← "connect ECONNREFUSED"), and db/connection/remote-link.ts reads it to tell a
 * commit never sent from one whose outcome is unknown.
 */
function causesOf(cause: unknown): string | undefined {
  const parts: string[] = [];
  for (let current = cause, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    const { message, code } = current as { message?: unknown; code?: unknown };
    parts.push([typeof code === "string" ? code : "", typeof message === "string" ? message : String(current)].filter(Boolean).join(" "));
  }
  return parts.length > 0 ? parts.join(" ← ") : undefined;
}

export function deserializeError({ message, code, extendedCode, causeMessage }: SerializedError): Error {
  return Object.assign(new Error(message, { cause: causeMessage ? new Error(causeMessage) : undefined }), { code, extendedCode });
}
