// A Server Action's form argument is whatever the request decoded to: a hand-made request (not a
// browser's form) can hand an action a string, a number or nothing. Each action checks it first,
// so such a request gets an answer that changes nothing, logged once at info, instead of a crash
// (a 500 and an error line). Forms posted without JavaScript are checked at the door already
// (lib/http/action-fields.ts).
import { logEvent } from "../log";

/** What an action answers a request that did not carry a form. */
export const NOT_A_FORM_MESSAGE = "This form arrived changed or out of date, so nothing was saved. Please reload the page and send the form again.";

export function isFormArgument(value: unknown, action: string): value is FormData {
  if (value instanceof FormData) return true;
  logEvent("info", "action.refused", { action, reason: "not-a-form", got: value === null ? "null" : typeof value });
  return false;
}
