// The few pages the server answers by itself, without Next's render (refused posts, database down;
// from proxy.ts, server/edge-guard.ts and server/answer-request.ts): a complete small HTML document
// in the site's look, with no script and nothing from the request, and the headers it goes with:
// its policy allows its one inline style, by hash, and no inline script.
import { contentSecurityPolicy, SECURITY_HEADERS, sha256Source } from "./security-headers";

const STYLE = `body{font-family:system-ui,sans-serif;line-height:1.5;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}a{color:#0b5cad}`;
const POLICY = contentSecurityPolicy({ styles: [sha256Source(STYLE)] });

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export function plainPage({ title, message }: { title: string; message: string }): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Lecture</title><style>${STYLE}</style></head>
<body><main id="main"><h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p>
<p><a href="/">See the registrants</a> or <a href="/register">register</a>.</p></main></body></html>`;
}

/** A plain page's headers: HTML, never stored by any cache, the site's security headers, then `extra`. */
export function plainPageHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" };
  for (const { key, value } of SECURITY_HEADERS) headers[key] = value;
  headers["Content-Security-Policy"] = POLICY;
  return { ...headers, ...extra };
}
