// What the server does with each request: it learns who the client is (lib/http/client-address.ts:
// forwarding headers only from a trusted proxy, dropped otherwise), judges form posts at the door
// (server/edge-guard.ts), holds a post that changes something to its client's budget
// (server/rate-limits.ts), lets the registrants list's document cache answer the list pages it holds
// and render the others through Next (server/document-cache.ts; a render that failed while the
// database cannot be read gets the 503 page), and lets Next answer everything else, each document
// with a Content-Security-Policy of its own (server/document-policy.ts). Every answer starts with
// `everyAnswer`'s headers (Strict-Transport-Security). A request whose handling throws is logged and
// answered 500 instead of taking the process down.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createListVersion } from "../db/list-version";
import { readDocumentCacheConfig, type RateLimitConfig } from "../lib/config";
import { clientAddress, clientKey, FORWARDING_HEADERS, type TrustedProxies } from "../lib/http/client-address";
import { RATE_LIMITED_HEADER } from "../lib/http/rate-limited";
import { PAGE_SIZE } from "../lib/registrants/list-url";
import { unavailableAnswer } from "../lib/http/unavailable-page";
import { logEvent } from "../lib/log";
import { countRateLimited, type AnsweredBy } from "../lib/metrics";
import { createDocumentCache } from "./document-cache";
import { isActionPost, judgeActionPost, refuseAtTheDoor } from "./edge-guard";
import { answerTooManyAtTheDoor, holdForLimitedAction, kindsOf } from "./limited-post";
import type { RequestHandler } from "./next-internals";
import type { OperatorSources } from "./operator-report";
import { createRateLimiter } from "./rate-limits";
import { requestRecorder } from "./request-metrics";

export type RequestAnswerer = {
  answer: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  /** For the operators' port (server/operator-report.ts). */
  sources: OperatorSources;
};

/** `serverActions`: this build's Server Actions (id → source file), for the form check and the budgets. */
export function answerRequestsWith(
  next: RequestHandler,
  serverActions: ReadonlyMap<string, string>,
  { rateLimits, proxies, everyAnswer = {} }: { rateLimits: RateLimitConfig; proxies: TrustedProxies; everyAnswer?: Record<string, string> },
): RequestAnswerer {
  const documentCache = createDocumentCache({ ...readDocumentCacheConfig(), pageSize: PAGE_SIZE }, createListVersion(), answerUnavailable);
  const limiter = createRateLimiter(rateLimits);
  const actionIds = new Set(serverActions.keys());
  const headers = Object.entries(everyAnswer);
  const record = requestRecorder();
  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const startedAt = record ? performance.now() : 0;
    let answeredBy: AnsweredBy | null = null; // the door's own answers; the rest are the cache's or Next's
    for (const [name, value] of headers) response.setHeader(name, value);
    try {
      delete request.headers[RATE_LIMITED_HEADER]; // only this server sets it
      const peer = request.socket.remoteAddress;
      const forwardedFor = request.headers["x-forwarded-for"];
      const client = clientAddress(peer, typeof forwardedFor === "string" ? forwardedFor : forwardedFor?.join(","), proxies);
      if (!(peer && proxies.isTrusted(peer))) for (const name of FORWARDING_HEADERS) delete request.headers[name];
      if (refuseAtTheDoor(request, response)) {
        answeredBy = "refusal";
        return;
      }
      if (isActionPost(request)) {
        const post = await judgeActionPost(request, response, actionIds);
        if (post.answered) {
          answeredBy = "refusal";
          return;
        }
        for (const kind of kindsOf(post.actionIds, serverActions)) {
          const verdict = limiter.check(kind, clientKey(client));
          if (verdict.allowed) continue;
          countRateLimited(kind, verdict.scope);
          if (!verdict.friendly) {
            answeredBy = "refusal";
            return answerTooManyAtTheDoor(request, response, verdict.retryAfterSeconds);
          }
          return await holdForLimitedAction(request, response, next, verdict.retryAfterSeconds);
        }
      }
      await documentCache.serve(request, response, next);
    } catch (error) {
      answeredBy = "error";
      logEvent("error", "request.failed", { method: request.method, path: request.url?.split("?")[0], error });
      if (!response.headersSent) response.writeHead(500).end("Internal Server Error");
    } finally {
      record?.(request, response, startedAt, answeredBy);
    }
  };
  return { answer, sources: { documentCache: documentCache.stats, rateLimits: limiter.stats } };
}

/** The list's 503 page, for a render that failed while the database cannot be read (server/document-cache.ts). */
function answerUnavailable(request: IncomingMessage, response: ServerResponse): void {
  logEvent("error", "page.unavailable", { path: request.url?.split("?")[0], reason: "unavailable", after: "a failed render" });
  const { status, headers, body } = unavailableAnswer();
  response.writeHead(status, headers).end(body);
}
