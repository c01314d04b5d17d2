// What the server does with each request: form posts are judged at the door (server/edge-guard.ts),
// the registrants list's document cache answers the list pages it holds and renders the others
// through Next (server/document-cache.ts; a render that failed while the database cannot be read
// gets the 503 page), Next answers everything else. A request whose handling throws is logged and
// answered 500 instead of taking the process down.
import type { IncomingMessage, ServerResponse } from "node:http";
import { forgetDatabaseStatus } from "../db/health/availability";
import { filePathOf } from "../db/connection/client";
import { readListState } from "../db/list-version/data-version";
import { knownChangeCount } from "../db/connection";
import { createListStateReader } from "../db/list-version/shared-read";
import { PAGE_SIZE } from "../db/registrants";
import { walIndexProbe } from "../db/list-version/wal-index";
import { readDatabaseConfig, readDocumentCacheConfig, readFreshnessConfig } from "../lib/config";
import { unavailableAnswer } from "../lib/http/unavailable-page";
import { logEvent } from "../lib/log";
import { createDocumentCache } from "./document-cache";
import { isActionPost, refuseAtTheDoor, refuseMalformedForm } from "./edge-guard";
import type { RequestHandler } from "./next-internals";

/** `serverActionIds`: this build's Server Actions, for the check of a no-JavaScript form's fields. */
export function answerRequestsWith(next: RequestHandler, serverActionIds: ReadonlySet<string>) {
  // A failed read means the database is down now: the proxy's 503 probe must not reuse an older "available".
  const readState = () =>
    readListState().catch((error: unknown) => {
      forgetDatabaseStatus();
      throw error;
    });
  const { versionWindowMs } = readFreshnessConfig();
  // The embedded file (not a replica): SQLite's WAL-index header tells whether anything committed since the last read.
  const database = readDatabaseConfig();
  const file = database.syncUrl ? null : filePathOf(database.url);
  const commitMarker = file && versionWindowMs === 0 ? walIndexProbe(file).header : undefined;
  const versions = createListStateReader({ windowMs: versionWindowMs, read: readState, changesSeen: knownChangeCount, commitMarker });
  const documentCache = createDocumentCache({ ...readDocumentCacheConfig(), pageSize: PAGE_SIZE }, versions, answerUnavailable);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
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
