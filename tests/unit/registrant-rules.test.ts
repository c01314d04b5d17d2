import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from "@/lib/registrants/limits";
import { registrantSchema } from "@/lib/registrants/rules";

const errorsOf = (input: { name: string; email: string }) => {
  const result = registrantSchema.safeParse(input);
  return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path[0], issue.message]));
};

describe("registrant validation", () => {
  test("trims the name and trims and lower-cases the email", () => {
    expect(registrantSchema.parse({ name: "  Ada Lovelace ", email: " Ada@Example.COM " })).toEqual({
      name: "Ada Lovelace",
      email: "ada@example.com",
    });
  });

  test("a blank or whitespace-only name gets its own message", () => {
    expect(errorsOf({ name: "", email: "a@example.com" })).toEqual({ name: "Please enter your name." });
    expect(errorsOf({ name: " \t ", email: "a@example.com" })).toEqual({ name: "Please enter your name." });
  });

  test("a name of 255 characters is accepted and 256 refused", () => {
    expect(errorsOf({ name: "n".repeat(NAME_MAX_LENGTH), email: "a@example.com" })).toEqual({});
    expect(errorsOf({ name: "n".repeat(NAME_MAX_LENGTH + 1), email: "a@example.com" }).name).toMatch(/at most 255/);
  });

  test("an email of 255 characters is accepted and 256 refused", () => {
    const domain = "@example.com";
    expect(errorsOf({ name: "A", email: "e".repeat(EMAIL_MAX_LENGTH - domain.length) + domain })).toEqual({});
    expect(errorsOf({ name: "A", email: "e".repeat(EMAIL_MAX_LENGTH + 1 - domain.length) + domain }).email).toMatch(/at most 255/);
  });

  test.each(["", "   ", "plainaddress", "a@b", "a@@example.com", "a b@example.com", "@example.com"])(
    "refuses the email %j with a specific message",
    (email) => {
      expect(errorsOf({ name: "A", email }).email).toMatch(/Please enter (your|a valid) email/);
    },
  );

  test("refuses control characters in a name", () => {
    expect(errorsOf({ name: "Ada\u0000Lovelace", email: "a@example.com" }).name).toMatch(/control characters/);
    expect(errorsOf({ name: "Ada\nLovelace", email: "a@example.com" }).name).toMatch(/control characters/);
  });

  // Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder the text after them,
  // so "Eve\u202Egnp.exe" would read on the public list as "Eveexe.png".
  const BIDI_CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"];

  const hex = (control: string) => control.codePointAt(0)!.toString(16).toUpperCase();
  test.each(BIDI_CONTROLS.map((control) => [hex(control), control]))("refuses the direction control U+%s in a name with its own message", (_hex, control) => {
    expect(errorsOf({ name: `Eve${control}gnp.exe`, email: "a@example.com" })).toEqual({
      name: "Your name cannot contain invisible characters that change the direction of the text (direction overrides or isolates).",
    });
  });

  test("keeps what scripts need: joiners (ZWJ, ZWNJ) and the direction marks LRM, RLM and ALM", () => {
    for (const name of ["\u200fمحمد \u200eabc", "مح\u061cمد", "می\u200cخواهم", "क्\u200dष", "👩\u200d👩\u200d👧"]) {
      expect(registrantSchema.safeParse({ name, email: "a@example.com" })).toMatchObject({ success: true, data: { name } });
    }
  });

  test("any name with a direction control anywhere is refused; removing them all is not", () => {
    const anyText = fc.string({ unit: "grapheme", maxLength: 40 });
    fc.assert(
      fc.property(anyText, fc.constantFrom(...BIDI_CONTROLS), anyText, (before, control, after) => {
        const name = `A${before}${control}${after}`;
        expect(errorsOf({ name, email: "a@example.com" }).name).toMatch(/change the direction of the text/);
        const cleaned = name.replace(/[\u202a-\u202e\u2066-\u2069]/g, "");
        expect(errorsOf({ name: cleaned, email: "a@example.com" }).name ?? "").not.toMatch(/direction/);
      }),
      { numRuns: 300 },
    );
  });

  test("reports every bad field at once", () => {
    expect(Object.keys(errorsOf({ name: "", email: "nope" })).sort()).toEqual(["email", "name"]);
  });
});
