"use server";
// The register form's Server Action: validate (zod, on the server: the browser only helps),
// insert, remember the registration in this browser's sealed cookie (so it can be cancelled from
// here, app/register/cancel), refresh the list, then post/redirect/get to `/`.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { insertRegistrant } from "@/db/registrants";
import { SchemaMissingError } from "@/db/errors";
import { QueueFullError, WriterUnavailableError } from "@/db/writer-errors";
import type { RegistrantField } from "@/lib/registrants/limits";
import { registrantSchema } from "@/lib/registrants/rules";
import { logEvent, maskEmail } from "@/lib/log";
import { readRememberedRegistrations, saveRememberedRegistrations } from "@/lib/session/cookie";
import { emailDigest, rememberRegistration } from "@/lib/session/registrations";
import type { RegisterFormState } from "./form-state";

const TRY_AGAIN_MESSAGE = "Sorry, we could not save your registration just now. Nothing was stored; please try again in a moment.";
const QUEUE_FULL_MESSAGE = "Sorry, we could not save your registration: too many people are registering at this very moment. Nothing was stored; please try again in a few seconds.";

function failureReason(error: unknown): string {
  if (error instanceof SchemaMissingError) return "schema-missing";
  if (error instanceof QueueFullError) return "queue-full";
  if (error instanceof WriterUnavailableError) return "writer-unavailable";
  return "database";
}

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

export async function register(_previous: RegisterFormState, formData: FormData): Promise<RegisterFormState> {
  const values = { name: text(formData.get("name")), email: text(formData.get("email")) };
  const parsed = registrantSchema.safeParse(values);
  if (!parsed.success) {
    const errors: RegisterFormState["errors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as RegistrantField;
      errors[field] ??= issue.message;
    }
    logEvent("info", "register.rejected", { reason: "invalid", fields: Object.keys(errors) });
    return { values, errors };
  }

  let id: number;
  try {
    const result = await insertRegistrant(parsed.data);
    if (!result.ok) {
      logEvent("info", "register.rejected", { reason: "duplicate-email", email: maskEmail(parsed.data.email) });
      return { values, errors: { email: "This email is already registered." } };
    }
    id = result.id;
  } catch (error) {
    logEvent("error", "register.failed", { reason: failureReason(error), error });
    return { values, message: error instanceof QueueFullError ? QUEUE_FULL_MESSAGE : TRY_AGAIN_MESSAGE };
  }

  await saveRememberedRegistrations(rememberRegistration(await readRememberedRegistrations(), { id, emailDigest: emailDigest(parsed.data.email) }));
  // The document cache notices the new data version by itself; revalidating drops the browser's
  // router cache, so a visitor with JavaScript sees the new list too.
  revalidatePath("/", "page");
  redirect("/");
}
