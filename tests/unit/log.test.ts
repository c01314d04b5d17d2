// Log lines are JSON an operator can ship, and hold no visitor's email or form values.
import { afterEach, expect, test, vi } from "vitest";
import { logEvent, maskEmail, safeErrorText } from "@/lib/log";

afterEach(() => vi.restoreAllMocks());

function captured(level: "log" | "warn" | "error", write: () => void): Record<string, unknown> {
  const lines: string[] = [];
  vi.spyOn(console, level).mockImplementation((line: string) => void lines.push(line));
  write();
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]);
}

test("an event is one JSON line with time, level and its fields", () => {
  const line = captured("warn", () => logEvent("warn", "health.failed", { reason: "timeout" }));
  expect(line).toMatchObject({ level: "warn", event: "health.failed", reason: "timeout" });
  expect(new Date(line.time as string).toISOString()).toBe(line.time);
});

test("masks an email to its first letter and domain", () => {
  expect(maskEmail("alice@example.com")).toBe("a***@example.com");
  expect(maskEmail("not-an-email")).toBe("***");
});

test("a failed insert's error keeps the query but not the visitor's values", () => {
  const failure = new Error('Failed query: insert into "registrants" ("name", "email") values (?, ?)\nparams: Zoë Example,zoe@example.com', {
    cause: new Error("SQLITE_BUSY: database is locked"),
  });
  const line = captured("error", () => logEvent("error", "register.failed", { error: failure }));
  const text = JSON.stringify(line);
  expect(text).not.toContain("zoe@example.com");
  expect(text).not.toContain("Zoë");
  expect(line.error).toEqual({
    name: "Error",
    message: 'Failed query: insert into "registrants" ("name", "email") values (?, ?)\nparams: (not logged)',
    cause: "SQLITE_BUSY: database is locked",
  });
});

test("emails anywhere in an error message are masked", () => {
  expect(safeErrorText("no account for bob.smith@example.org (checked twice)")).toBe("no account for b***@example.org (checked twice)");
});
