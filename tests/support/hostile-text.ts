// Text a hostile or unlucky visitor might type or send, for the property-based tests at the unit
// level (schema, data functions) and over HTTP (the real form): random Unicode mixed with the
// pieces that break naive code.
import fc from "fast-check";

export const TRICKY_PIECES = [
  "\u0000", "\u0007", "\t", "\n", "\r\n", "\u007f", "\u0085", "\u009b", // control characters, C0 and C1
  "\u200f", "\u202e", "\u2066", "\u200d", "\ufeff", "\u00a0", "\u3000", // RTL marks, overrides, joiners, odd spaces
  "😀", "👩‍👩‍👧", "🇪🇺", "e\u0301", "ﷺ", "𝕏", // emoji, combining marks, astral letters
  "'; DROP TABLE registrants; --", "' OR '1'='1", "\" OR 1=1 --", "%' --", // SQL-looking
  "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;b&gt;", "{{7*7}}", "${7*7}", // markup and templates
  " ", "   ",
];

/** A string made of random Unicode and tricky pieces, sometimes near the 255 limit. */
export const hostileText = (options: { wellFormed?: boolean } = {}) =>
  fc.oneof(
    fc.array(fc.oneof(fc.constantFrom(...TRICKY_PIECES), fc.string({ unit: options.wellFormed ? "grapheme" : "binary", maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join("")),
    fc.string({ unit: options.wellFormed ? "grapheme" : "binary", maxLength: 300 }),
    fc.tuple(fc.integer({ min: 250, max: 260 }), fc.constantFrom("x", "é", "😀", " "), fc.constantFrom("", "x", " ")).map(
      ([length, unit, tail]) => unit.repeat(Math.floor((length - tail.length) / unit.length)) + tail, // whole emoji only
    ),
  );

/** Email-ish text: real addresses, near-misses and hostile text. */
export const hostileEmail = (options: { wellFormed?: boolean } = {}) =>
  fc.oneof(
    fc.emailAddress(),
    fc.emailAddress().map((email) => ` ${email.toUpperCase()} `),
    fc.tuple(hostileText(options), fc.emailAddress()).map(([junk, email]) => `${junk}${email}`),
    hostileText(options),
  );

/** The messages the register form may answer with; anything else is a failure. */
export const VALIDATION_MESSAGE =
  /^(Please enter your name\.|Your name must be at most 255 characters\.|Your name cannot contain control characters\.|Your name contains a broken character; please type it again\.|Your name cannot contain invisible characters that change the direction of the text \(direction overrides or isolates\)\.|Please enter your email address\.|Your email must be at most 255 characters\.|Please enter a valid email address, like name@example\.com\.|This email is already registered\.)$/;

/** What the documented rules make of accepted input: names trimmed, emails trimmed and lower-cased. */
export const normalised = ({ name, email }: { name: string; email: string }) => ({ name: name.trim(), email: email.trim().toLowerCase() });
