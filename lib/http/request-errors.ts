// One JSON line for every request whose handling threw (a page render, a route handler, a Server
// Action), reported by Next through instrumentation.ts `onRequestError`. Only what an operator
// needs to find the cause: never headers (cookies, session), never the query string (it can carry
// an email); the error itself goes through logEvent, which makes its message safe for a log.
import type { Instrumentation } from "next";
import { logEvent } from "../log";

type Args = Parameters<Instrumentation.onRequestError>;

// Next reports one failed page render twice (its server components, then the page around them)
// with the same digest: one line per digest is enough. Bounded, oldest forgotten first.
const DIGESTS_REMEMBERED = 500;
const reportedDigests = new Set<unknown>();

function isRepeat(digest: unknown): boolean {
  if (digest === undefined) return false;
  if (reportedDigests.has(digest)) return true;
  reportedDigests.add(digest);
  if (reportedDigests.size > DIGESTS_REMEMBERED) reportedDigests.delete(reportedDigests.values().next().value);
  return false;
}

export function logRequestError(error: Args[0], request: Args[1], context: Args[2]): void {
  const digest = (error as { digest?: unknown } | null)?.digest;
  if (isRepeat(digest)) return;
  logEvent("error", "request.failed", {
    method: request.method,
    path: request.path.split("?")[0],
    route: context.routePath,
    routeType: context.routeType,
    renderSource: context.renderSource,
    // Next shows visitors only this digest; logging it lets an operator match a report to a line.
    digest,
    error,
  });
}
