// What the server does with each request: the registrants list's document cache answers the
// documents it holds (lib/document-cache.mjs, see README "Performance"), Next everything else. A
// request whose handling throws is logged and answered 500 instead of taking the process down.
import type { IncomingMessage, ServerResponse } from "node:http";
import { answerFromDocumentCache, documentKeyOf } from "../lib/document-cache.mjs";
import { logEvent } from "../lib/log";
import type { RequestHandler } from "./next-internals";

export function answerRequestsWith(next: RequestHandler) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      const key = documentKeyOf(request);
      if (key && (await answerFromDocumentCache(request, response, key))) return;
      await next(request, response);
    } catch (error) {
      logEvent("error", "request.failed", { method: request.method, path: request.url?.split("?")[0], error });
      if (!response.headersSent) response.writeHead(500).end("Internal Server Error");
    }
  };
}
