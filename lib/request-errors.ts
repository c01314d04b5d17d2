// One JSON line for every request whose handling threw (a page render, a route handler, a Server
// Action), reported by Next through instrumentation.ts `onRequestError`. Only what an operator
// needs to find the cause: never headers (cookies, session), never the query string (it can carry
// an email); the error itself goes through logEvent, which makes its message safe for a log.
import type { Instrumentation } from "next";
import { logEvent } from "./log";

type Args = Parameters<Instrumentation.onRequestError>;

export function logRequestError(error: Args[0], request: Args[1], context: Args[2]): void {
  logEvent("error", "request.failed", {
    method: request.method,
    path: request.path.split("?")[0],
    route: context.routePath,
    routeType: context.routeType,
    renderSource: context.renderSource,
    // Next shows visitors only this digest; logging it lets an operator match a report to a line.
    digest: (error as { digest?: unknown } | null)?.digest,
    error,
  });
}
