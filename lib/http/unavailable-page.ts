// What a list page is answered with while the database cannot be read: a 503 page with Retry-After,
// so that a visitor reads a plain explanation and a crawler or load balancer knows it is temporary.
// Two places answer it: proxy.ts, which probes the database before Next renders `/`, and the document
// cache (server/document-cache.ts), for a render that failed because the database went away after
// that probe (its answer is shared for a second) or after the launcher's shared data-version read.
import { plainPage } from "./plain-page";
import { SECURITY_HEADERS } from "./security-headers";

export const UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

const PAGE = {
  title: "Temporarily unavailable",
  message: "The list of registrants cannot be shown just now. Please try again in a moment.",
};

export function unavailableAnswer(): { status: 503; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SECONDS),
  };
  for (const { key, value } of SECURITY_HEADERS) headers[key] = value;
  return { status: 503, headers, body: plainPage(PAGE) };
}
