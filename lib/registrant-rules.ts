// One source of truth for what a valid registrant is: the zod schema, the column sizes in
// db/schema.ts and the form's maxLength attributes all read these.
import { z } from "zod";

export const NAME_MAX_LENGTH = 255;
export const EMAIL_MAX_LENGTH = 255;

// Lengths are counted in UTF-16 code units, as a browser's maxLength counts them, so the form and
// the server agree on where 255 ends (an emoji counts as 2).
export const registrantSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Please enter your name.")
    .max(NAME_MAX_LENGTH, `Your name must be at most ${NAME_MAX_LENGTH} characters.`)
    .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "Your name cannot contain control characters."),
  email: z
    .string()
    .trim()
    .min(1, "Please enter your email address.")
    .max(EMAIL_MAX_LENGTH, `Your email must be at most ${EMAIL_MAX_LENGTH} characters.`)
    .pipe(z.email("Please enter a valid email address, like name@example.com."))
    .transform((email) => email.toLowerCase()),
});

export type RegistrantInput = z.infer<typeof registrantSchema>;
export type RegistrantField = keyof RegistrantInput;
