// A post over its budget (server/rate-limits.ts) is answered one of two ways. A person's first few
// refusals reach their action marked (RATE_LIMITED_HEADER): the action changes nothing and answers
// with its form, the typed values and a message saying when to try again; this module holds that
// answer and sends it as 429 with Retry-After. Past those, the door answers by itself, cheaply: a
// plain page (or, to the page's script, the message as text) with the same status and header.
import type { IncomingMessage, ServerResponse } from "node:http";
import { RATE_LIMITED_HEADER, slowDownMessage, type PostKind } from "../lib/http/rate-limited";
import { plainPage, plainPageHeaders } from "../lib/http/plain-page";
import { mayBeDocument, policyHeadersFor } from "./document-policy";
import { renderHeld } from "./held-response";
import type { RequestHandler } from "./next-internals";

/** Which budget a Server Action draws on, by the file that defines it; an action of another file has none. */
const KIND_OF_FILE: Record<string, PostKind> = {
  "app/register/actions.ts": "register",
  "app/register/cancel/actions.ts": "cancel",
  "app/todos/actions.ts": "tasks",
};

export const LIMITED_ACTION_FILES = Object.keys(KIND_OF_FILE);

/** The budgets a post running these actions draws on (usually one). */
export function kindsOf(actionIds: readonly string[], serverActions: ReadonlyMap<string, string>): PostKind[] {
  const kinds = new Set<PostKind>();
  for (const id of actionIds) {
    const kind = KIND_OF_FILE[serverActions.get(id) ?? ""];
    if (kind) kinds.add(kind);
  }
  return [...kinds];
}

export async function holdForLimitedAction(request: IncomingMessage, response: ServerResponse, next: RequestHandler, retryAfterSeconds: number): Promise<void> {
  request.headers[RATE_LIMITED_HEADER] = String(retryAfterSeconds);
  const { held, document: answer } = await renderHeld(request, response, next);
  if (answer === null) return; // the client left
  // The action's answer (its form again): 429. Anything else Next chose (an error page) keeps its
  // status. A document gets its own Content-Security-Policy, as every document does.
  const policy = mayBeDocument(request) ? policyHeadersFor(answer) : {};
  held.releaseWith(answer.status === 200 ? { status: 429, headers: { ...policy, "Retry-After": String(retryAfterSeconds) } } : { headers: policy });
}

export function answerTooManyAtTheDoor(request: IncomingMessage, response: ServerResponse, retryAfterSeconds: number): void {
  const message = slowDownMessage(retryAfterSeconds, "requests");
  const retryAfter = { "Retry-After": String(retryAfterSeconds) };
  if (request.headers["next-action"] !== undefined) {
    // The page's script shows a plain-text error's message (Next's server-action reducer).
    response.writeHead(429, { "Content-Type": "text/plain", "Cache-Control": "no-store", ...retryAfter }).end(message);
    return;
  }
  response.writeHead(429, plainPageHeaders(retryAfter)).end(plainPage({ title: "Please wait a moment", message }));
}
