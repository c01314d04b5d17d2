// Bad input at the unit level: whatever the text, the rules either accept it (and the data
// functions store it so it reads back exactly, normalised as documented) or refuse it with one of
// the form's messages. Nothing throws, nothing is stored half-way or altered.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { insertRegistrant, type InsertResult } from "@/db/writer";
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from "@/lib/registrants/limits";
import { registrantSchema, type RegistrantInput } from "@/lib/registrants/rules";
import { hostileEmail, hostileText, normalised, TRICKY_PIECES, VALIDATION_MESSAGE } from "../support/hostile-text";
import { uniqueEmail, withTempDatabase } from "../support/temp-db";

const database = withTempDatabase();

async function storedRow(id: number) {
  const { rows } = await database.client().execute({ sql: "SELECT name, email FROM registrants WHERE id = ?", args: [id] });
  return rows.map((row) => ({ name: row.name, email: row.email }));
}

async function countByEmail(email: string) {
  const { rows } = await database.client().execute({ sql: "SELECT count(*) AS n FROM registrants WHERE email = ?", args: [email] });
  return Number(rows[0].n);
}

type Submitted = { refused: string[] } | { result: InsertResult; data: RegistrantInput };

/** Validate like the action, then store; returns what happened. */
async function submit(input: { name: string; email: string }): Promise<Submitted> {
  const parsed = registrantSchema.safeParse(input);
  if (!parsed.success) return { refused: parsed.error.issues.map((issue) => issue.message) };
  expect(parsed.data).toEqual(normalised(input));
  const result = await insertRegistrant(parsed.data);
  return { result, data: parsed.data };
}

describe("any name", () => {
  test("is stored so it reads back exactly, or refused with a form message", async () => {
    await fc.assert(
      fc.asyncProperty(hostileText(), async (name) => {
        const email = uniqueEmail("anyname");
        const outcome = await submit({ name, email });
        if ("refused" in outcome) {
          for (const message of outcome.refused) expect(message).toMatch(VALIDATION_MESSAGE);
          expect(await countByEmail(email)).toBe(0);
          return;
        }
        expect(outcome.result).toMatchObject({ ok: true });
        const { id } = outcome.result as { id: number };
        expect(await storedRow(id)).toEqual([outcome.data]);
        expect(outcome.data.name.length).toBeGreaterThan(0);
        expect(outcome.data.name.length).toBeLessThanOrEqual(NAME_MAX_LENGTH);
      }),
      { numRuns: 150 },
    );
  });
});

describe("any email", () => {
  test("is stored trimmed and lower-cased, refused as a duplicate, or refused with a form message", async () => {
    await fc.assert(
      fc.asyncProperty(hostileEmail(), async (email) => {
        const outcome = await submit({ name: "Fuzzed Email", email });
        if ("refused" in outcome) {
          for (const message of outcome.refused) expect(message).toMatch(VALIDATION_MESSAGE);
          return;
        }
        if (!outcome.result.ok) {
          expect(outcome.result.reason).toBe("duplicate-email");
          return;
        }
        expect(await storedRow(outcome.result.id)).toEqual([outcome.data]);
        expect(outcome.data.email.length).toBeLessThanOrEqual(EMAIL_MAX_LENGTH);
      }),
      { numRuns: 150 },
    );
  });
});

describe("explicit hostile names", () => {
  test.each([
    ["SQL", "Robert'); DROP TABLE registrants; --"],
    ["HTML", '<script>alert("x")</script><img src=x onerror=alert(1)>'],
    ["RTL text and direction marks", "\u200fمحمد \u200eabc\u061c"],
    ["emoji and combining marks", "👩‍👩‍👧 Zoë e\u0301"],
    ["255 emoji code units", "😀".repeat(127) + "x"],
  ])("%s is stored and reads back exactly", async (_label, name) => {
    const outcome = await submit({ name, email: uniqueEmail("explicit") });
    expect(outcome).toMatchObject({ result: { ok: true } });
    const { id } = (outcome as { result: { id: number } }).result;
    expect(await storedRow(id)).toEqual([{ name, email: expect.any(String) }]);
  });

  test.each([
    ["a NUL byte", "Ada\u0000Lovelace", /control characters/],
    ["a C1 control character", "Ada\u0085Lovelace", /control characters/],
    ["half a surrogate pair", "Ada\ud800Lovelace", /broken character/],
    ["a direction override", "Eve\u202egnp.exe", /change the direction of the text/],
    ["a direction isolate", "\u2067Eve\u2069", /change the direction of the text/],
    ["only spaces and tabs", " \t \u3000 ", /Please enter your name/],
    ["256 code units (128 emoji)", "😀".repeat(128), /at most 255/],
    ["255 letters and one emoji", "x".repeat(254) + "😀", /at most 255/],
  ])("a name with %s is refused with a message", async (_label, name, message) => {
    const email = uniqueEmail("refused");
    const outcome = await submit({ name, email });
    expect(outcome).toEqual({ refused: [expect.stringMatching(message)] });
    expect(await countByEmail(email)).toBe(0);
  });

  test("leading and trailing spaces do not count towards 255", async () => {
    const name = "x".repeat(NAME_MAX_LENGTH);
    expect(await submit({ name: `  ${name}\u00a0 `, email: uniqueEmail("spaces") })).toMatchObject({ data: { name }, result: { ok: true } });
  });

  test("every tricky piece alone is either stored exactly or refused with a message", async () => {
    for (const piece of TRICKY_PIECES) {
      const outcome = await submit({ name: `A${piece}B`, email: uniqueEmail("piece") });
      if ("refused" in outcome) expect(outcome.refused.join(" ")).toMatch(/control characters|change the direction of the text/);
      else expect(await storedRow((outcome.result as { id: number }).id)).toEqual([outcome.data]);
    }
  });
});

describe("insertRegistrant on its own", () => {
  test("refuses text the rules refuse instead of storing it cut short at a NUL byte", async () => {
    const email = uniqueEmail("door");
    await expect(insertRegistrant({ name: "Ada\u0000Lovelace", email })).rejects.toThrow(/valid registrant/);
    await expect(insertRegistrant({ name: "Ada\ud800", email })).rejects.toThrow(/valid registrant/);
    await expect(insertRegistrant({ name: "Eve\u202egnp.exe", email })).rejects.toThrow(/change the direction of the text/);
    expect(await countByEmail(email)).toBe(0);
  });
});
