// Every document the production server sends carries a Content-Security-Policy naming, by SHA-256
// hash, exactly the inline scripts and styles in it: Next's bootstrap runs, any other inline script
// (one injected into the page) does not, and no 'unsafe-inline' is needed. Hashes of what is sent,
// rather than a nonce per request, because the list's cached page is sent to everyone alike, and
// because one rule then covers every document, Next's prerendered 404 page included. Why, the
// options measured and their cost: docs/decisions/content-security-policy.md.
//
// A document is held (server/held-response.ts) until Next has written all of it, then sent with its
// policy. Not held, since their answers are never documents: Next's static files, and the requests
// of Next's client router and of Server Actions called from a page's script (RSC payloads).
import type { IncomingMessage, ServerResponse } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { contentSecurityPolicy, sha256Source } from "../lib/http/security-headers";
import { renderHeld, type HeldDocument } from "./held-response";
import type { RequestHandler } from "./request-handler";

/** Requests from Next's client router and a page's Server Action calls: they want an RSC payload, not a document. */
const NEXT_CLIENT_HEADERS = ["rsc", "next-router-prefetch", "next-router-state-tree", "next-action"];

/** Whether Next's answer to this request may be a document (HTML), which then needs its own policy. */
export function mayBeDocument(request: IncomingMessage): boolean {
  if (request.url?.startsWith("/_next/static/")) return false;
  return NEXT_CLIENT_HEADERS.every((name) => request.headers[name] === undefined);
}

/** Renders through Next and sends the answer with the headers of policyHeadersFor; other requests go straight to Next. */
export async function renderWithPolicy(request: IncomingMessage, response: ServerResponse, render: RequestHandler): Promise<void> {
  if (!mayBeDocument(request)) return render(request, response);
  const { held, document } = await renderHeld(request, response, render);
  if (document) held.release(policyHeadersFor(document));
}

/**
 * The policy a held answer is sent with. An HTML document: its own, naming its inline scripts and
 * styles. A 304: none, since a browser replaces a stored response's headers with a revalidation's,
 * and the policy stored with the document it already has names that document's hashes. Anything
 * else keeps the static policy of next.config.ts.
 */
export function policyHeadersFor({ status, headers, body }: HeldDocument): Record<string, string | null> {
  if (status === 304) return { "content-security-policy": null };
  if (!/^text\/html\b/i.test(String(headers["content-type"] ?? ""))) return {};
  return { "content-security-policy": documentPolicy(decoded(body, headers["content-encoding"])) };
}

/** The policy for this HTML (identity-encoded): its inline scripts and styles allowed by hash, nothing else inline. */
export function documentPolicy(html: Buffer | null): string {
  if (html === null) return contentSecurityPolicy(); // an encoding Next never uses: no inline code runs, the page works as without JavaScript
  const hashesOf = (tag: string) => [...new Set(inlineContents(html, tag).map(sha256Source))];
  return contentSecurityPolicy({ scripts: hashesOf("script"), styles: hashesOf("style") });
}

/** Next compresses a document with gzip or deflate when the client accepts it: the hashes are of the text. */
function decoded(body: Buffer, encoding: unknown): Buffer | null {
  try {
    switch (String(encoding ?? "identity").toLowerCase()) {
      case "identity":
        return body;
      case "gzip":
        return gunzipSync(body);
      case "deflate":
        return inflateSync(body);
      case "br":
        return brotliDecompressSync(body);
      default:
        return null;
    }
  } catch {
    return null;
  }
}

const GREATER_THAN = 0x3e;
const isTagNameEnd = (byte: number | undefined) => byte === GREATER_THAN || byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d || byte === 0x2f;

/**
 * The text of every `<tag …>…</tag>` element without a `src` attribute, as the browser hashes it.
 * Only Next and React write tags into these pages, and React escapes `<` and `>` in all text and
 * attribute values it renders (Next's inline payloads escape `<` as `\u003c`), so a `<script` here
 * is a real element and a `>` ends its start tag. A miss (an upper-case tag, a carriage return the
 * browser would normalise) can only leave a script unhashed, blocked: never allow one not sent.
 */
export function inlineContents(html: Buffer, tag: string): Buffer[] {
  const open = Buffer.from(`<${tag}`);
  const close = Buffer.from(`</${tag}`);
  const contents: Buffer[] = [];
  let at = html.indexOf(open);
  while (at !== -1) {
    if (!isTagNameEnd(html[at + open.length])) {
      at = html.indexOf(open, at + open.length);
      continue;
    }
    const startTagEnd = html.indexOf(GREATER_THAN, at);
    if (startTagEnd === -1) break;
    let end = html.indexOf(close, startTagEnd + 1);
    while (end !== -1 && !isTagNameEnd(html[end + close.length])) end = html.indexOf(close, end + close.length);
    if (end === -1) break;
    if (!/\ssrc\s*=/i.test(html.toString("latin1", at + open.length, startTagEnd))) contents.push(html.subarray(startTagEnd + 1, end));
    at = html.indexOf(open, end + close.length);
  }
  return contents;
}
