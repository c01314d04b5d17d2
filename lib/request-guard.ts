// Which state-changing requests (form posts to Server Actions) proxy.ts refuses before Next reads
// them: a cross-site origin (403), a body over the Server Action limit (413) or of unknown length
// (411). Next checks the first two again itself, but answers a bare 500 where we answer a page.

/** Next's default Server Action body limit (1 MB), set explicitly in next.config.ts too so both agree. */
export const SERVER_ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type Refusal = { status: 403 | 411 | 413; reason: "cross-site" | "length-required" | "too-large" };

type RequestFacts = { method: string; headers: Headers };

/** The refusal for this request, or null to let it through. */
export function refusalFor({ method, headers }: RequestFacts, allowedOrigins: readonly string[]): Refusal | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  if (!isSameSiteOrAllowed(headers, allowedOrigins)) return { status: 403, reason: "cross-site" };
  const length = headers.get("content-length");
  // Browsers always send a length with a form post; a streamed body could only be measured by
  // reading it, which is Next's job (it stops at the limit).
  if (length === null) return headers.get("transfer-encoding") ? { status: 411, reason: "length-required" } : null;
  if (!/^\d+$/.test(length) || Number(length) > SERVER_ACTION_BODY_LIMIT_BYTES) return { status: 413, reason: "too-large" };
  return null;
}

/**
 * Same rule as Next's Server Action check: the Origin's host must be the host the request was sent
 * to (X-Forwarded-Host first, as a proxy sets it, else Host) or match an allowed pattern. With no
 * Origin at all (old browsers, scripts) a request passes unless the browser says it is cross-site.
 */
function isSameSiteOrAllowed(headers: Headers, allowedOrigins: readonly string[]): boolean {
  const origin = headers.get("origin");
  if (origin === null) return headers.get("sec-fetch-site") !== "cross-site";
  const originHost = hostOf(origin);
  if (originHost === null) return false; // "null" (sandboxed frames, file:) or garbage
  const target = (headers.get("x-forwarded-host")?.split(",")[0] ?? headers.get("host") ?? "").trim().toLowerCase();
  return originHost === target || allowedOrigins.some((pattern) => hostMatches(originHost, pattern));
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase() || null;
  } catch {
    return null;
  }
}

/** `*.example.com` matches exactly one more label, `**.example.com` one or more; else exact. */
export function hostMatches(host: string, pattern: string): boolean {
  const wildcard = /^(\*{1,2})\.(.+)$/.exec(pattern);
  if (!wildcard) return host === pattern;
  const [, stars, base] = wildcard;
  if (!host.endsWith(`.${base}`)) return false;
  const extraLabels = host.slice(0, -base.length - 1).split(".");
  return extraLabels.every(Boolean) && (stars === "**" || extraLabels.length === 1);
}
