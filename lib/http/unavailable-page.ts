// What a list page is answered with while the database cannot be read: a 503 page with Retry-After,
// so that a visitor reads a plain explanation and a crawler or load balancer knows it is temporary.
// Two places answer it: proxy.ts, which probes the database before Next renders `/`, and the document
// cache (server/document-cache.ts), for a render that failed because the database went away after
// that probe (its answer is shared for a second) or after the launcher's shared data-version read.
import { plainPage, plainPageHeaders } from "./plain-page";

export const UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

const PAGE = {
  title: "Temporarily unavailable",
  message: "The list of registrants cannot be shown just now. Please try again in a moment.",
};

export function unavailableAnswer(): { status: 503; headers: Record<string, string>; body: string } {
  return { status: 503, headers: plainPageHeaders({ "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SECONDS) }), body: plainPage(PAGE) };
}
