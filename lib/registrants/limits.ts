// What the register form needs to know of a valid registrant, without zod: this module ships to
// the browser. The server's zod schema (./rules.ts), the column sizes (db/schema.ts) and the form's
// maxLength attributes all read these numbers.
export const NAME_MAX_LENGTH = 255;
export const EMAIL_MAX_LENGTH = 255;

/** The fields a visitor fills in, in the form's order: the action, its state and the form read this list. */
export const REGISTRANT_FIELDS = ["name", "email"] as const;

export type RegistrantField = (typeof REGISTRANT_FIELDS)[number];
