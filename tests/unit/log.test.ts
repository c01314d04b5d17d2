// Log lines are JSON an operator can ship, and hold no visitor's email or form values.
import { afterEach, describe, expect, test, vi } from "vitest";
import { describeUrl, logEvent, maskEmail, maskEmailsIn, maskUrlsIn, SAFE_TEXT_MAX_CHARS, safeErrorText, safeText } from "@/lib/log";

afterEach(() => vi.restoreAllMocks());

/** The one line `write` logs; info goes to stdout, warn and error to stderr (as console.log and console.error would). */
function captured(level: "log" | "warn" | "error", write: () => void): Record<string, unknown> {
  const lines: string[] = [];
  const stream = level === "log" ? process.stdout : process.stderr;
  vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
  write();
  expect(lines).toHaveLength(1);
  expect(lines[0].endsWith("\n")).toBe(true);
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

test("a field named time, level or event cannot change the line's own; it is kept as field_<name>", () => {
  const line = captured("log", () => logEvent("info", "start.listening", { time: "yesterday", level: "error", event: "forged", port: 3000 }));
  expect(line).toMatchObject({ level: "info", event: "start.listening", field_time: "yesterday", field_level: "error", field_event: "forged", port: 3000 });
  expect(line.time).not.toBe("yesterday");
});

test("a string field holding a URL with credentials or an email is masked, at any depth", () => {
  const token = "eyJhbGciOi.eyJzdWIi.sig";
  const url = `libsql://user:pw@db.example/x?authToken=${token}`;
  const line = captured("warn", () =>
    logEvent("warn", "replica.failing", { database: url, email: "bob@example.com", nested: { list: [url, { to: "bob@example.com" }] } }),
  );
  const masked = "libsql://***@db.example/x?authToken=***";
  expect(line).toMatchObject({ database: masked, email: "b***@example.com", nested: { list: [masked, { to: "b***@example.com" }] } });
  expect(JSON.stringify(line)).not.toMatch(/pw@|eyJ|bob@/);
});

test("masking twice stays readable: a masked email, a described URL and a masked error are logged as they are", () => {
  const alreadyMasked = {
    email: maskEmail("alice@example.com"),
    database: describeUrl("https://admin:s3cret@db.example.com/x?tls=1&authToken=abc"),
    reason: safeErrorText("no account for bob@example.org"),
  };
  expect(alreadyMasked).toEqual({
    email: "a***@example.com",
    database: "https://***@db.example.com/x?tls=1&authToken=***",
    reason: "no account for b***@example.org",
  });
  expect(captured("log", () => logEvent("info", "twice", alreadyMasked))).toMatchObject(alreadyMasked);
});

test("a URL's user, its token parameters and an email in its query are masked; the URL stays a URL", () => {
  expect(safeText("GET https://carol@api.example/?to=dave@example.com&token=abc done")).toBe("GET https://***@api.example/?to=d***@example.com&token=*** done");
  expect(safeText("see http://127.0.0.1:3000/api/health")).toBe("see http://127.0.0.1:3000/api/health");
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

  test.each([
    ["one unbroken word", "a".repeat(MB)],
    ["a word ending in :", "a".repeat(MB - 1) + ":"],
    ["a URL of one long word", "https://" + "h".repeat(MB) + "?token=x"],
  ])("%s of 1 MB has its URLs masked in linear time", (_label, text) => {
    expect(elapsedMs(() => maskUrlsIn(text))).toBeLessThan(LINEAR_BOUND_MS);
  });

  test("a string field is cut to SAFE_TEXT_MAX_CHARS characters like an error message", () => {
    const line = captured("log", () => logEvent("info", "long", { body: "b".repeat(MB) }));
    expect(line.body).toBe(`${"b".repeat(SAFE_TEXT_MAX_CHARS)}… (${MB - SAFE_TEXT_MAX_CHARS} more characters not logged)`);
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
