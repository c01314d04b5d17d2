// The registrants list's document cache: whole responses for `GET /` and `GET /?page=N`, kept in
// this process's memory and served again while the list's version (db/list-version, which decides
// how often it is really read) is the one they were rendered at. A render is kept only if the
// version read just after it equals the one before it. Renders of one page at one version are
// shared; a request that saw a newer version never joins an older render, so a registrant's own
// request after the redirect always shows their row. Why and what it costs:
// docs/decisions/launcher-and-document-cache.md.
//
// A render that fails (5xx) while the database cannot be read now is answered by `whenUnreadable`
// (the 503 page, server/answer-request.ts) instead of Next's 500: between a database going away and
// the first failed read, the shared data version and proxy.ts's shared probe can both still say
// "available", so Next renders, and the page's own read fails.
//
// Bounds: only the canonical URL of a real page is a key (lib/registrants/list-url.ts; pages past the end are
// rendered but not kept), and the entries are bounded by bytes (DOCUMENT_CACHE_MAX_BYTES).
// Shared caches in front get `Cache-Control: no-cache` with an ETag, so they revalidate every time
// and a revalidation of an unchanged page is a 304. `x-cache` says who answered: HIT, MISS (rendered
// now and kept), BYPASS (rendered, not kept).
//
// An entry keeps the Content-Security-Policy naming its own inline scripts' hashes
// (server/document-policy.ts), computed once when it is built; every other answer, the requests
// this cache does not hold included, is sent with the policy of what Next wrote for it.
import { createHash } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { LRUCache } from "lru-cache";
import Negotiator from "negotiator";
import type { ListState, ListVersion } from "../db/list-version";
import { countCacheEviction } from "../lib/metrics";
import { canonicalListPageOf } from "../lib/registrants/list-url";
import { mayBeDocument, policyHeadersFor, renderWithPolicy } from "./document-policy";
import { renderHeld, type HeldDocument } from "./held-response";
import type { RequestHandler } from "./request-handler";

export type { RequestHandler };

export type DocumentCache = { serve: (request: IncomingMessage, response: ServerResponse, render: RequestHandler) => Promise<void>; stats: () => { entries: number; bytes: number; maxBytes: number } };

type Entry = { version: number; etag: string; identity: Buffer; gzipped: Buffer; identityHeaders: OutgoingHttpHeaders; gzipHeaders: OutgoingHttpHeaders; notModifiedHeaders: OutgoingHttpHeaders };

/** A render older than this is not joined (it may hang); one that is, is waited for only until it reaches this age. */
const SHARED_RENDER_WAIT_MS = 5_000;
/**
 * Next's own headers that are about one connection, one encoding or Next's caching, not the
 * document; and Strict-Transport-Security, which the server sets on every answer itself.
 */
const NOT_KEPT = new Set(["connection", "keep-alive", "transfer-encoding", "date", "content-length", "content-encoding", "cache-control", "etag", "x-nextjs-cache", "vary", "x-cache", "strict-transport-security"]);

/** Answers a request whose render failed while the database cannot be read. */
export type UnreadableAnswer = (request: IncomingMessage, response: ServerResponse) => void;

export function createDocumentCache(
  { maxBytes, pageSize }: { maxBytes: number; pageSize: number },
  versions: ListVersion,
  whenUnreadable: UnreadableAnswer,
): DocumentCache {
  // Least recently used first, bounded by bytes (a heavier page cannot grow the cache); an entry over
  // an eighth of the bound is not kept, so one cannot flush the rest. lru-cache refuses a bound of 0.
  const entries = new LRUCache<string, Entry>({
    maxSize: Math.max(1, maxBytes),
    maxEntrySize: Math.max(1, Math.floor(maxBytes / 8)),
    sizeCalculation: weightOf,
    dispose: (_entry, _page, reason) => {
      if (reason === "evict") countCacheEviction();
    },
  });
  const renders = new Map<number, { version: number; startedAt: number; entry: Promise<Entry | null> }>();

  async function serve(request: IncomingMessage, response: ServerResponse, render: RequestHandler): Promise<void> {
    const page = maxBytes > 0 ? cacheablePageOf(request) : null;
    if (page === null) return renderWithPolicy(request, response, render);
    let before: ListState | null;
    try {
      before = await versions.current();
    } catch {
      before = null; // the database cannot be read: Next answers (proxy.ts's 503 page)
    }
    if (!before || page > Math.max(1, Math.ceil(before.total / pageSize))) return bypass(request, response, render);

    const kept = entries.get(String(page));
    if (kept?.version === before.version) return send(request, response, kept, "HIT");

    const shared = renders.get(page);
    const sharedFor = shared ? Date.now() - shared.startedAt : Infinity;
    if (shared?.version === before.version && sharedFor < SHARED_RENDER_WAIT_MS) {
      const entry = await withinMs(shared.entry, SHARED_RENDER_WAIT_MS - sharedFor);
      if (entry) return send(request, response, entry, "HIT");
    }
    return renderAndKeep(request, response, render, page, before.version);
  }

  async function renderAndKeep(request: IncomingMessage, response: ServerResponse, render: RequestHandler, page: number, version: number): Promise<void> {
    let settle!: (entry: Entry | null) => void;
    const shared = { version, startedAt: Date.now(), entry: new Promise<Entry | null>((resolve) => (settle = resolve)) };
    renders.set(page, shared);
    let entry: Entry | null = null;
    try {
      const acceptEncoding = request.headers["accept-encoding"];
      delete request.headers["accept-encoding"]; // keep Next's identity body: it is gzipped once, here
      const { held, document: result } = await renderHeld(request, response, render);
      if (result === null) return; // the client left: nothing to keep, nobody to answer
      if (acceptEncoding !== undefined) request.headers["accept-encoding"] = acceptEncoding;
      const after = await readNowOrNull(); // null: the database cannot be read now
      if (result.status >= 500 && after === null) {
        held.discard();
        response.setHeader("x-cache", "BYPASS");
        return whenUnreadable(request, response);
      }
      entry = after?.version === version ? entryOf(result, version) : null;
      if (!entry) return held.release({ ...policyHeadersFor(result), "x-cache": "BYPASS" });
      entries.set(String(page), entry);
      held.discard();
      send(request, response, entry, "MISS");
    } finally {
      settle(entry);
      if (renders.get(page) === shared) renders.delete(page);
    }
  }

  async function readNowOrNull(): Promise<ListState | null> {
    try {
      return await versions.readNow();
    } catch {
      return null;
    }
  }

  return { serve, stats: () => ({ entries: entries.size, bytes: entries.calculatedSize, maxBytes }) };
}

function cacheablePageOf(request: IncomingMessage): number | null {
  if (request.method !== "GET" || !mayBeDocument(request)) return null;
  return canonicalListPageOf(request.url);
}

function bypass(request: IncomingMessage, response: ServerResponse, render: RequestHandler): Promise<void> {
  response.setHeader("x-cache", "BYPASS");
  return renderWithPolicy(request, response, render);
}

/** What Next rendered, as an entry, if it is a plain 200 document that is the same for everyone: its own policy included. */
function entryOf(document: HeldDocument, version: number): Entry | null {
  const { status, headers, body } = document;
  if (status !== 200 || headers["set-cookie"] !== undefined || headers["content-encoding"] !== undefined) return null;
  const common: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries({ ...headers, ...policyHeadersFor(document) })) if (!NOT_KEPT.has(name) && value !== undefined && value !== null) common[name] = value;
  const etag = `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const validators = { "cache-control": "no-cache", etag, vary: "Accept-Encoding" };
  const gzipped = gzipSync(body);
  return {
    version,
    etag,
    identity: body,
    gzipped,
    identityHeaders: { ...common, ...validators, "content-length": body.length },
    gzipHeaders: { ...common, ...validators, "content-encoding": "gzip", "content-length": gzipped.length },
    notModifiedHeaders: validators,
  };
}

function weightOf(entry: Entry): number {
  return entry.identity.length + entry.gzipped.length + 2 * JSON.stringify(entry.identityHeaders).length + 256;
}

function send(request: IncomingMessage, response: ServerResponse, entry: Entry, answeredBy: "HIT" | "MISS"): void {
  response.setHeader("x-cache", answeredBy);
  if (matchesEtag(request.headers["if-none-match"], entry.etag)) {
    response.writeHead(304, entry.notModifiedHeaders).end();
    return;
  }
  const gzip = acceptsGzip(request.headers["accept-encoding"]);
  response.writeHead(200, gzip ? entry.gzipHeaders : entry.identityHeaders).end(gzip ? entry.gzipped : entry.identity);
}

// Browsers send a handful of distinct Accept-Encoding values: each is parsed once (negotiator
// honours q-values: `gzip;q=0` refuses gzip), and the memo is bounded against made-up ones.
const gzipAnswers = new Map<string, boolean>();
const GZIP_ANSWERS_KEPT = 64;

function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return false;
  let answer = gzipAnswers.get(acceptEncoding);
  if (answer === undefined) {
    answer = new Negotiator({ headers: { "accept-encoding": acceptEncoding } }).encoding(["gzip", "identity"]) === "gzip";
    if (gzipAnswers.size >= GZIP_ANSWERS_KEPT) gzipAnswers.clear();
    gzipAnswers.set(acceptEncoding, answer);
  }
  return answer;
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag.slice(2));
}

function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}
