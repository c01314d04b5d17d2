// What a refused form post gets, wherever it is refused (server/edge-guard.ts in production, proxy.ts
// under `next dev`): one page per reason, and one log line that says why without holding anything a
// log must not (only the Referer's host: the rest can carry a visitor's query string).
import { logEvent } from "../log";
import { NOT_A_FORM_MESSAGE } from "./action-input";
import { plainPage, plainPageHeaders } from "./plain-page";
import type { Refusal } from "./request-guard";

const REFUSAL_PAGES: Record<Refusal["reason"], { title: string; message: string }> = {
  "cross-site": {
    title: "Form refused",
    message: "This form was sent from another website, so nothing was saved. Please use the form on this site itself.",
  },
  "no-site-signal": {
    title: "Form refused",
    message:
      "Your browser did not say which website this form was sent from, so nothing was saved. If you block the Referer header, allow it for this site and try again.",
  },
  "too-large": { title: "Form too large", message: "What was sent is larger than this form accepts, so nothing was saved." },
  "length-required": { title: "Form refused", message: "The form was sent without its size, so nothing was saved. Please try again." },
  "malformed-form": { title: "Form refused", message: NOT_A_FORM_MESSAGE },
};

/** The plain page and headers a refused post is answered with (status from the refusal). */
export function refusalAnswer(refusal: Refusal): { body: string; headers: Record<string, string> } {
  return { body: plainPage(REFUSAL_PAGES[refusal.reason]), headers: plainPageHeaders() };
}

function refererHost(referer: string | null): string | undefined {
  if (referer === null) return undefined;
  return URL.canParse(referer) ? new URL(referer).host.slice(0, 100) : "(not a URL)";
}

/** One info line per refused request: a refusal is the server doing its job, and anyone can make one. */
export function logRefusal(refusal: Refusal, { method, path, headers }: { method: string; path: string; headers: Headers }): void {
  logEvent("info", "request.refused", {
    reason: refusal.reason,
    problem: "problem" in refusal ? refusal.problem : undefined,
    method,
    path,
    origin: headers.get("origin")?.slice(0, 100),
    fetchSite: headers.get("sec-fetch-site")?.slice(0, 20),
    refererHost: refererHost(headers.get("referer")),
  });
}
