// Runs before Next routes a request. Two jobs that a page or Server Action cannot do for itself:
// 1. Refuse cross-site, unattributable and oversized form posts with a clean 403 / 411 / 413 page
//    (lib/http/request-guard.ts): the posts the production server did not already judge at its door
//    (server/edge-guard.ts), so in practice under `next dev`. Next's own Server Action checks stay
//    as the second line, but answer a bare 500.
// 2. Answer `/` with a 503 page while the database is down: App Router pages cannot set a status.
import { NextResponse, type NextRequest } from "next/server";
import { databaseStatus } from "./db/health";
import { readAllowedOrigins } from "./lib/config";
import { logEvent } from "./lib/log";
import { logRefusal, refusalAnswer } from "./lib/http/refusal";
import { refusalFor } from "./lib/http/request-guard";
import { unavailableAnswer } from "./lib/http/unavailable-page";

const allowedOrigins = readAllowedOrigins();

export async function proxy(request: NextRequest) {
  const refusal = refusalFor({ method: request.method, pathname: request.nextUrl.pathname, headers: request.headers }, allowedOrigins);
  if (refusal) {
    logRefusal(refusal, { method: request.method, path: request.nextUrl.pathname, headers: request.headers });
    const { body, headers } = refusalAnswer(refusal);
    return new NextResponse(body, { status: refusal.status, headers });
  }

  if ((request.method === "GET" || request.method === "HEAD") && request.nextUrl.pathname === "/") {
    const database = await databaseStatus();
    if (database !== "available") {
      logEvent("error", "page.unavailable", {
        path: "/",
        reason: database,
        hint: database === "schema-missing" ? "Run `npm run db:migrate` against this DATABASE_URL." : undefined,
      });
      const { status, headers, body } = unavailableAnswer();
      return new NextResponse(body, { status, headers });
    }
  }
  return NextResponse.next();
}

// The proxy costs every request it sees about as much as serving a static page, so it sees only
// what it may answer: `/` (the 503 probe) and requests that carry a body or a Server Action id (any
// form post has a Content-Length or Transfer-Encoding). Plain GETs of other pages go straight on,
// and so do posts the production server already judged at its door (server/edge-guard.ts marks
// them with x-registrants-edge-checked after removing any such header a client sent).
// (Next reads this statically: the patterns must be written out, not built from a constant.)
export const config = {
  matcher: [
    "/",
    { source: "/((?!_next/static|_next/image|favicon.ico).*)", has: [{ type: "header", key: "content-length" }], missing: [{ type: "header", key: "x-registrants-edge-checked" }] },
    { source: "/((?!_next/static|_next/image|favicon.ico).*)", has: [{ type: "header", key: "transfer-encoding" }], missing: [{ type: "header", key: "x-registrants-edge-checked" }] },
    { source: "/((?!_next/static|_next/image|favicon.ico).*)", has: [{ type: "header", key: "next-action" }], missing: [{ type: "header", key: "x-registrants-edge-checked" }] },
  ],
};
