// Notices the cancel action leaves in the URL after post/redirect/get (`/register?notice=…`).
import { knownNotice } from "../notice-text";

export const REGISTRATION_NOTICES = {
  cancelled: "Your registration was cancelled and removed from the list.",
  "not-yours": "This browser has no such registration to cancel (it was made elsewhere, or it is already cancelled). Nothing was changed.",
  "already-gone": "That registration no longer exists (it was already cancelled or removed). Nothing was changed.",
} as const;

export type RegistrationNotice = keyof typeof REGISTRATION_NOTICES;

export const registrationNoticeText = (code: string | string[] | undefined) => knownNotice(REGISTRATION_NOTICES, code);

/** When the registrations this browser made cannot be read back (the database is unreachable): the form still works. */
export const OWN_REGISTRATIONS_UNAVAILABLE = "Your earlier registrations cannot be shown just now (the database is not answering); you can still register below.";
