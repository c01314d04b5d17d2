// What a valid registrant is, checked on the server: the zod schema, on the limits in ./limits.ts.
// Server code only: a client component imports ./limits.ts, never zod.
import { z } from "zod";
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, type RegistrantField } from "./limits";

/** The bidi embeddings, overrides and isolates; not the marks (U+200E, U+200F, U+061C). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

// Lengths are counted in UTF-16 code units, as a browser's maxLength counts them, so the form and
// the server agree on where 255 ends (an emoji counts as 2). Not zod's .max(): zod 4.6 counts code
// points there (an emoji as 1; $ZodCheckMaxLength in node_modules/zod/src/v4/core/checks.ts), so
// 128 emoji would pass the server but not the form.
const fitsIn = (max: number) => (text: string) => text.length <= max;

/** An email as it is stored: trimmed and lower-cased (the unique index then holds any letter case). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const registrantSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Please enter your name.")
    .refine(fitsIn(NAME_MAX_LENGTH), `Your name must be at most ${NAME_MAX_LENGTH} characters.`)
    // Every control character (C0, DEL and C1): NUL would even cut the stored text short.
    .refine((name) => !/\p{Cc}/u.test(name), "Your name cannot contain control characters.")
    // Half of a surrogate pair cannot be stored as UTF-8 (SQLite would keep U+FFFD instead), so the
    // row would not read back as sent. Browsers never send one; only a hand-made request can.
    .refine((name) => !/\p{Cs}/u.test(name), "Your name contains a broken character; please type it again.")
    // Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder the text
    // after them, so a name could make the public list read as something else. Scripts need only
    // the joiners (U+200C/U+200D) and the direction marks (LRM, RLM, ALM), which stay allowed.
    .refine((name) => !BIDI_CONTROL.test(name), "Your name cannot contain invisible characters that change the direction of the text (direction overrides or isolates)."),
  email: z
    .string()
    .trim()
    .min(1, "Please enter your email address.")
    .refine(fitsIn(EMAIL_MAX_LENGTH), `Your email must be at most ${EMAIL_MAX_LENGTH} characters.`)
    .pipe(z.email("Please enter a valid email address, like name@example.com."))
    .transform(normalizeEmail),
} satisfies Record<RegistrantField, z.ZodType>);

export type RegistrantInput = z.infer<typeof registrantSchema>;
