// Runs before Next routes a request. Two jobs that a page or Server Action cannot do for itself:
// 1. Refuse cross-site, unattributable and oversized form posts with a clean 403 / 413 page
//    (lib/request-guard.ts). Next's own Server Action checks stay as the second line, but answer a bare 500.
// 2. Answer `/` with a 503 page while the database is down: App Router pages cannot set a status.
import { NextResponse, type NextRequest } from "next/server";
import { databaseStatus } from "./db/availability";
import { readAllowedOrigins } from "./lib/config";
import { logEvent } from "./lib/log";
import { plainPage } from "./lib/plain-page";
import { refusalFor, type Refusal } from "./lib/request-guard";
import { SECURITY_HEADERS } from "./lib/security-headers";

const allowedOrigins = readAllowedOrigins();

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
};

function htmlResponse(status: number, page: { title: string; message: string }, extraHeaders: Record<string, string> = {}) {
  const headers = new Headers({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", ...extraHeaders });
  for (const { key, value } of SECURITY_HEADERS) headers.set(key, value);
  return new NextResponse(plainPage(page), { status, headers });
}

function refererHost(referer: string | null): string | undefined {
  if (referer === null) return undefined;
  return URL.canParse(referer) ? new URL(referer).host.slice(0, 100) : "(not a URL)";
}

export async function proxy(request: NextRequest) {
  const refusal = refusalFor({ method: request.method, pathname: request.nextUrl.pathname, headers: request.headers }, allowedOrigins);
  if (refusal) {
    logEvent("warn", "request.refused", {
      reason: refusal.reason,
      method: request.method,
      path: request.nextUrl.pathname,
      origin: request.headers.get("origin")?.slice(0, 100),
      fetchSite: request.headers.get("sec-fetch-site")?.slice(0, 20),
      // Only its host: the rest of a Referer can carry a visitor's query string.
      refererHost: refererHost(request.headers.get("referer")),
    });
    return htmlResponse(refusal.status, REFUSAL_PAGES[refusal.reason]);
  }

  if ((request.method === "GET" || request.method === "HEAD") && request.nextUrl.pathname === "/") {
    const status = await databaseStatus();
    if (status !== "available") {
      logEvent("error", "page.unavailable", {
        path: "/",
        reason: status,
        hint: status === "schema-missing" ? "Run `npm run db:migrate` against this DATABASE_URL." : undefined,
      });
      return htmlResponse(
        503,
        { title: "Temporarily unavailable", message: "The list of registrants cannot be shown just now. Please try again in a moment." },
        { "Retry-After": "30" },
      );
    }
  }
  return NextResponse.next();
}

// The proxy costs every request it sees about as much as serving a static page, so it sees only
// what it may answer: `/` (the 503 probe) and requests that carry a body or a Server Action id (any
// form post has a Content-Length or Transfer-Encoding). Plain GETs of other pages go straight on.
// (Next reads this statically: the patterns must be written out, not built from a constant.)
export const config = {
  matcher: [
    "/",
    { source: "/((?!_next/static|_next/image|favicon.ico).*)", has: [{ type: "header", key: "content-length" }] },
    { source: "/((?!_next/static|_next/image|favicon.ico).*)", has: [{ type: "header", key: "transfer-encoding" }] },
    { source: "/((?!_next/static|_next/image|favicon.ico).*)", has: [{ type: "header", key: "next-action" }] },
  ],
};
