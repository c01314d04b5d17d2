// One JSON line for every request whose handling threw (a page render, a route handler, a Server
// Action), reported by Next through instrumentation.ts `onRequestError`. Only what an operator
// needs to find the cause: never headers (cookies, session), never the query string (it can carry
// an email), and emails inside error messages masked.
import type { Instrumentation } from "next";
import { logEvent, maskEmailsIn } from "./log";

type Args = Parameters<Instrumentation.onRequestError>;

function describeError(error: unknown) {
  if (!(error instanceof Error)) return { message: maskEmailsIn(String(error)) };
  const { digest } = error as Error & { digest?: string };
  const cause = error.cause instanceof Error ? maskEmailsIn(error.cause.message) : undefined;
  return { name: error.name, message: maskEmailsIn(error.message), digest, cause };
}

export function logRequestError(error: Args[0], request: Args[1], context: Args[2]): void {
  logEvent("error", "request.failed", {
    method: request.method,
    path: request.path.split("?")[0],
    route: context.routePath,
    routeType: context.routeType,
    renderSource: context.renderSource,
    error: describeError(error),
  });
}
