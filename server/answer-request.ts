// What the server does with each request: form posts are judged at the door (server/edge-guard.ts),
// the registrants list's document cache answers the list pages it holds and renders the others
// through Next (server/document-cache.ts; a render that failed while the database cannot be read
// gets the 503 page), Next answers everything else, each document with a Content-Security-Policy of
// its own (server/document-policy.ts). Every answer starts with `everyAnswer`'s headers
// (Strict-Transport-Security). A request whose handling throws is logged and answered 500 instead of
// taking the process down.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createListVersion } from "../db/list-version";
import { readDocumentCacheConfig } from "../lib/config";
import { PAGE_SIZE } from "../lib/registrants/list-url";
import { unavailableAnswer } from "../lib/http/unavailable-page";
import { logEvent } from "../lib/log";
import { createDocumentCache } from "./document-cache";
import { isActionPost, refuseAtTheDoor, refuseMalformedForm } from "./edge-guard";
import type { RequestHandler } from "./next-internals";

/** `serverActionIds`: this build's Server Actions, for the check of a no-JavaScript form's fields. */
export function answerRequestsWith(next: RequestHandler, serverActionIds: ReadonlySet<string>, everyAnswer: Record<string, string> = {}) {
  const documentCache = createDocumentCache({ ...readDocumentCacheConfig(), pageSize: PAGE_SIZE }, createListVersion(), answerUnavailable);
  const headers = Object.entries(everyAnswer);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    for (const [name, value] of headers) response.setHeader(name, value);
    try {
      if (refuseAtTheDoor(request, response)) return;
      if (isActionPost(request) && (await refuseMalformedForm(request, response, serverActionIds))) return;
      await documentCache.serve(request, response, next);
    } catch (error) {
      logEvent("error", "request.failed", { method: request.method, path: request.url?.split("?")[0], error });
      if (!response.headersSent) response.writeHead(500).end("Internal Server Error");
    }
  };
}

/** The list's 503 page, for a render that failed while the database cannot be read (server/document-cache.ts). */
function answerUnavailable(request: IncomingMessage, response: ServerResponse): void {
  logEvent("error", "page.unavailable", { path: request.url?.split("?")[0], reason: "unavailable", after: "a failed render" });
  const { status, headers, body } = unavailableAnswer();
  response.writeHead(status, headers).end(body);
}
