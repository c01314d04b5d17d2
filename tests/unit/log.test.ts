// Log lines are JSON an operator can ship, and hold no visitor's email or form values.
import { afterEach, describe, expect, test, vi } from "vitest";
import { logEvent, maskEmail, maskEmailsIn, SAFE_TEXT_MAX_CHARS, safeErrorText } from "@/lib/log";

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

test("an auth token (a JWT, as sqld and Turso issue them) is masked wherever an error quotes it", () => {
  const token = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJhIjoicncifQ.c2lnbmF0dXJlLWJ5dGVz";
  const failure = new Error(`proxy said: Bearer ${token} is not allowed`, { cause: new Error(`token=${token}`) });
  const line = captured("error", () => logEvent("error", "start.failed", { error: failure }));
  expect(JSON.stringify(line)).not.toContain(token);
  expect(line.error).toEqual({ name: "Error", message: "proxy said: Bearer *** is not allowed", cause: "token=***" });
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

describe("long error text", () => {
  // The old pattern retried its greedy local part from every character of an unbroken run: 80,000
  // characters took ~10 s, so 1 MB would have taken about half an hour. This one costs ~6 ms per MB.
  const MB = 1024 * 1024;
  const LINEAR_BOUND_MS = 300; // 50× the ~6 ms measured for 1 MB, not a race

  const elapsedMs = (work: () => void) => {
    const started = performance.now();
    work();
    return performance.now() - started;
  };

  test.each([
    ["one unbroken word", "a".repeat(MB)],
    ["a word ending in @", "a".repeat(MB - 1) + "@"],
    ["an @ then one long word", "x@" + "y".repeat(MB)],
  ])("%s of 1 MB is masked in linear time", (_label, text) => {
    expect(elapsedMs(() => maskEmailsIn(text))).toBeLessThan(LINEAR_BOUND_MS);
  });

  test("an error message is cut to its first SAFE_TEXT_MAX_CHARS characters, saying how many were left out", () => {
    const text = safeErrorText("b".repeat(MB));
    expect(text).toBe(`${"b".repeat(SAFE_TEXT_MAX_CHARS)}… (${MB - SAFE_TEXT_MAX_CHARS} more characters not logged)`);
  });

  test("a cut never leaves the first half of an email behind; whole ones are still masked", () => {
    const cutInsideEmail = "x ".repeat(SAFE_TEXT_MAX_CHARS / 2 - 3) + "carol.secret@example.com";
    expect(safeErrorText(cutInsideEmail)).not.toContain("carol");
    expect(safeErrorText(`no account for bob@example.org ${"z".repeat(MB)}`)).toMatch(/^no account for b\*\*\*@example\.org /);
  });
});
