// A whole-response cache in front of Next for the list's documents: `GET /` and `GET /?page=N` as
// a browser without JavaScript, a fresh tab, a crawler or a load tester asks for them. Next's own
// page cache (lib/page-cache-handler.mjs) already saves the render, but serving a cached page
// through Next's router still costs ~2 ms of CPU a request, several times what the Flask peer
// spends; a hit here costs one data-version read and one write.
//
// The rule is the page cache's: a response is served only while the registrants' data version is
// the one the page shows (lib/data-version-stamp.mjs), so it is never older than the database, on
// any instance.
// The stored response is Next's own (status 200, its headers, next.config.ts headers included), so
// what a visitor gets is byte for byte what Next sent. Client-side navigations (RSC requests),
// other methods, other URLs and responses that set cookies always go to Next.
import { gzipSync } from "node:zlib";
import { currentDataVersion, isPageCacheOn, stampOf } from "./data-version-stamp.mjs";

/** Bounds memory: one entry per distinct `?page=N` asked for. Least recently used goes first. */
const MAX_ENTRIES = 200;
const PER_CONNECTION = new Set(["connection", "keep-alive", "transfer-encoding", "date", "content-length"]);

/** url -> { version, headers, body, gzipped, etag } */
const entries = new Map();

/** The cache key for a request this cache may answer, else null. */
export function documentKeyOf(request) {
  if (!isPageCacheOn || request.method !== "GET") return null;
  const headers = request.headers;
  if (headers.rsc || headers["next-router-prefetch"] || headers["next-router-state-tree"] || headers["next-action"]) return null;
  return request.url === "/" || /^\/\?page=\d{1,9}$/.test(request.url) ? request.url : null;
}

function send(request, response, entry) {
  if (entry.etag && request.headers["if-none-match"] === entry.etag) {
    response.writeHead(304, { etag: entry.etag });
    response.end();
    return;
  }
  const useGzip = /\bgzip\b/.test(request.headers["accept-encoding"] ?? "");
  const body = useGzip ? entry.gzipped : entry.body;
  response.writeHead(200, { ...entry.headers, "x-nextjs-cache": "HIT", "content-length": body.length, ...(useGzip ? { "content-encoding": "gzip" } : {}) });
  response.end(body);
}

/** Keeps a copy of what Next sends for `key`, stamped with the data version the page shows. */
function capture(key, request, response) {
  // An identity body is what gets stored (and gzipped once); this one visitor gets it uncompressed.
  delete request.headers["accept-encoding"];
  const chunks = [];
  const write = response.write.bind(response);
  const end = response.end.bind(response);
  const keep = (chunk, encoding) => {
    if (chunk && typeof chunk !== "function") chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8"));
  };
  response.write = (chunk, ...rest) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  };
  response.end = (chunk, ...rest) => {
    keep(chunk, rest[0]);
    const headers = response.getHeaders();
    const body = Buffer.concat(chunks);
    const version = stampOf(body.toString("utf8"))?.version;
    if (response.statusCode === 200 && version !== undefined && !headers["set-cookie"] && !headers["content-encoding"]) {
      const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_CONNECTION.has(name)));
      entries.delete(key);
      entries.set(key, { version, headers: kept, body, gzipped: gzipSync(body), etag: headers.etag });
      if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value);
    }
    return end(chunk, ...rest);
  };
}

/**
 * Answers `request` from the cache when it can (returns true). Otherwise returns false after
 * arranging to keep a copy of the response Next is about to send.
 */
export async function answerFromDocumentCache(request, response, key) {
  const entry = entries.get(key);
  if (entry && entry.version === (await currentDataVersion())) {
    entries.delete(key);
    entries.set(key, entry);
    send(request, response, entry);
    return true;
  }
  capture(key, request, response);
  return false;
}
