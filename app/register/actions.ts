"use server";
// The register form's Server Action: validate (zod, on the server: the browser only helps),
// insert, remember the registration in this browser's sealed cookie (so it can be cancelled from
// here, app/register/cancel), refresh the list, then post/redirect/get to `/`.
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { findOutRegistration, insertRegistrant, writeFailureOf, type WriteFailure } from "@/db/writer";
import { REGISTRANT_FIELDS, type RegistrantField } from "@/lib/registrants/limits";
import { registrantSchema } from "@/lib/registrants/rules";
import { readAllowedOrigins } from "@/lib/config";
import { isFormArgument, NOT_A_FORM_MESSAGE } from "@/lib/http/action-input";
import { slowDownMessage } from "@/lib/http/rate-limited";
import { rateLimitedFor } from "../rate-limited";
import { hasSameSiteSignal } from "@/lib/http/request-guard";
import { logEvent, maskEmail } from "@/lib/log";
import { countRegistration, type RegistrationOutcome } from "@/lib/metrics";
import { readRememberedRegistrations, saveRememberedRegistrations } from "@/lib/session/cookie";
import { emailDigest, rememberRegistration } from "@/lib/session/registrations";
import { initialRegisterState, type RegisterFormState } from "./form-state";

const TRY_AGAIN_MESSAGE = "Sorry, we could not save your registration just now. Nothing was stored; please try again in a moment.";
const OUTCOME_UNKNOWN_MESSAGE =
  "Sorry, the database did not confirm your registration in time, so we cannot tell whether it was saved. Please look for your name on the list in a minute: if it is not there, register again (if it was saved, you will be told this email is already registered).";
/** How long finding out what became of an unanswered commit may take (db/writer/outcome.ts). */
const FIND_OUT_WITHIN_MS = 1_000;
const QUEUE_FULL_MESSAGE = "Sorry, we could not save your registration: too many people are registering at this very moment. Nothing was stored; please try again in a few seconds.";

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

/** The metric's name for each way a write can fail (db/writer/errors.ts). */
const OUTCOME_OF_FAILURE: Record<WriteFailure, RegistrationOutcome> = {
  "schema-missing": "schema_missing",
  "outcome-unknown": "outcome_unknown",
  "database-unreachable": "database_unreachable",
  "queue-full": "queue_full",
  "writer-unavailable": "writer_unavailable",
  database: "database_error",
};

function duplicateEmail(values: RegisterFormState["values"], email: string): RegisterFormState {
  countRegistration("duplicate");
  logEvent("info", "register.rejected", { reason: "duplicate-email", email: maskEmail(email) });
  return { values, errors: { email: "This email is already registered." } };
}

export async function register(_previous: RegisterFormState, formData: FormData): Promise<RegisterFormState> {
  if (!isFormArgument(formData, "register")) {
    countRegistration("not_a_form");
    return { ...initialRegisterState, message: NOT_A_FORM_MESSAGE };
  }
  const values = Object.fromEntries(REGISTRANT_FIELDS.map((field) => [field, text(formData.get(field))])) as Record<RegistrantField, string>;
  // Over this client's budget (the launcher marked it, server/rate-limits.ts, and counted it): nothing is stored.
  const wait = await rateLimitedFor();
  if (wait !== null) return { values, message: slowDownMessage(wait, "registrations") };
  const parsed = registrantSchema.safeParse(values);
  if (!parsed.success) {
    const errors: RegisterFormState["errors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as RegistrantField;
      errors[field] ??= issue.message;
    }
    countRegistration("invalid");
    logEvent("info", "register.rejected", { reason: "invalid", fields: Object.keys(errors) });
    return { values, errors };
  }

  let id: number;
  try {
    const result = await insertRegistrant(parsed.data);
    if (!result.ok) return duplicateEmail(values, parsed.data.email);
    id = result.id;
  } catch (error) {
    const failure = writeFailureOf(error);
    logEvent("error", "register.failed", { reason: failure, error });
    if (failure !== "outcome-unknown") {
      countRegistration(OUTCOME_OF_FAILURE[failure]);
      return { values, message: failure === "queue-full" ? QUEUE_FULL_MESSAGE : TRY_AGAIN_MESSAGE };
    }
    const outcome = await findOutRegistration(parsed.data, FIND_OUT_WITHIN_MS);
    logEvent("info", "register.outcome-found", { stored: outcome.stored, email: maskEmail(parsed.data.email) });
    if (outcome.stored === "unknown") {
      countRegistration("outcome_unknown");
      return { values, message: OUTCOME_UNKNOWN_MESSAGE };
    }
    if (outcome.stored === false && outcome.reason === "duplicate-email") return duplicateEmail(values, parsed.data.email);
    if (outcome.stored === false) {
      countRegistration("writer_unavailable"); // its thread was lost before the commit landed
      return { values, message: TRY_AGAIN_MESSAGE };
    }
    id = outcome.id;
  }

  countRegistration("committed");
  // A post with no same-site signal (a script, or a forgery) registers, but leaves this browser's cookie alone.
  if (hasSameSiteSignal(await headers(), readAllowedOrigins())) {
    await saveRememberedRegistrations(rememberRegistration(await readRememberedRegistrations(), { id, emailDigest: emailDigest(parsed.data.email) }));
  } else {
    logEvent("info", "register.cookie-untouched", { reason: "no-site-signal" });
  }
  // The document cache notices the new data version by itself; revalidating drops the browser's
  // router cache, so a visitor with JavaScript sees the new list too.
  revalidatePath("/", "page");
  redirect("/");
}
