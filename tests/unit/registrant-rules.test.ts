import { describe, expect, test } from "vitest";
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, registrantSchema } from "@/lib/registrant-rules";

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

  test("reports every bad field at once", () => {
    expect(Object.keys(errorsOf({ name: "", email: "nope" })).sort()).toEqual(["email", "name"]);
  });
});
