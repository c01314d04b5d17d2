// What the server does with each request: form posts are judged at the door (server/edge-guard.ts),
// the registrants list's document cache answers the
// list pages it holds and renders the others through Next (server/document-cache.ts), Next answers
// everything else. A request whose handling throws is logged and answered 500 instead of taking the
// process down.
import type { IncomingMessage, ServerResponse } from "node:http";
import { forgetDatabaseStatus } from "../db/availability";
import { readListState } from "../db/data-version";
import { PAGE_SIZE } from "../db/registrants";
import { readDocumentCacheConfig } from "../lib/config";
import { logEvent } from "../lib/log";
import { createDocumentCache } from "./document-cache";
import { refuseAtTheDoor } from "./edge-guard";
import type { RequestHandler } from "./next-internals";

export function answerRequestsWith(next: RequestHandler) {
  // A failed read means the database is down now: the proxy's 503 probe must not reuse an older "available".
  const readState = () =>
    readListState().catch((error: unknown) => {
      forgetDatabaseStatus();
      throw error;
    });
  const documentCache = createDocumentCache({ ...readDocumentCacheConfig(), pageSize: PAGE_SIZE }, readState);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      if (refuseAtTheDoor(request, response)) return;
      await documentCache.serve(request, response, next);
    } catch (error) {
      logEvent("error", "request.failed", { method: request.method, path: request.url?.split("?")[0], error });
      if (!response.headersSent) response.writeHead(500).end("Internal Server Error");
    }
  };
}
