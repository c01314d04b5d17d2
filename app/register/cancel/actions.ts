"use server";
// The cancel confirmation's Server Action. Only a registration this browser's sealed cookie
// remembers can be cancelled, and only while its row still has the remembered email: a forged,
// tampered or foreign id, or one replayed after its cancel, deletes nothing and says so. The delete
// goes through the registration writer's queue and thread (db/writer/group-commit.ts), like a registration.
// Post/redirect/get to /register with a notice; the returned state carries only failures.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { findRegistrants } from "@/db/registrants";
import { removeRegistrant } from "@/db/writer";
import { isFormArgument, NOT_A_FORM_MESSAGE } from "@/lib/http/action-input";
import { slowDownMessage } from "@/lib/http/rate-limited";
import { rateLimitedFor } from "../../rate-limited";
import { logEvent } from "@/lib/log";
import { countCancel } from "@/lib/metrics";
import { readRememberedRegistrations, saveRememberedRegistrations } from "@/lib/session/cookie";
import { forgetRegistration, isRemembered } from "@/lib/session/registrations";
import type { RegistrationNotice } from "../notices";
import { parseRegistrationId } from "../own-registrations";

export type CancelState = { message?: string };

const TRY_AGAIN_MESSAGE = "Sorry, we could not cancel your registration just now. Nothing was changed; please try again in a moment.";

export async function cancelRegistration(_previous: CancelState, formData: FormData): Promise<CancelState> {
  if (!isFormArgument(formData, "cancel")) {
    countCancel("not_a_form");
    return { message: NOT_A_FORM_MESSAGE };
  }
  const wait = await rateLimitedFor(); // over this client's budget (server/rate-limits.ts): nothing changes
  if (wait !== null) return { message: slowDownMessage(wait, "cancellations") };
  const id = parseRegistrationId(formData.get("id"));
  const remembered = await readRememberedRegistrations();
  if (id === null || !remembered.some((entry) => entry.id === id)) {
    countCancel("not_yours");
    logEvent("info", "cancel.rejected", { reason: "not-remembered" });
    redirect("/register?notice=not-yours");
  }

  let outcome: RegistrationNotice;
  try {
    const [row] = await findRegistrants([id]);
    outcome = row && isRemembered(remembered, row) && (await removeRegistrant({ id, email: row.email })) ? "cancelled" : "already-gone";
  } catch (error) {
    countCancel("failed");
    logEvent("error", "cancel.failed", { error });
    return { message: TRY_AGAIN_MESSAGE };
  }
  countCancel(outcome === "cancelled" ? "cancelled" : "already_gone");
  await saveRememberedRegistrations(forgetRegistration(remembered, id));
  logEvent("info", outcome === "cancelled" ? "cancel.done" : "cancel.rejected", outcome === "cancelled" ? { id } : { reason: outcome, id });
  // As after a registration: the document cache sees the new data version by itself; this drops
  // the browser's router cache so the list is right with JavaScript too.
  if (outcome === "cancelled") revalidatePath("/", "page");
  redirect(`/register?notice=${outcome}`);
}
