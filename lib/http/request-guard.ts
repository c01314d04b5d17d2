// Which state-changing requests (form posts to Server Actions) are refused before Next reads them:
// a cross-site origin (403), a post that gives no sign of where it came from (403, except
// /register), a body over the Server Action limit (413) or of unknown length (411). The production
// server refuses them first, at its door (server/edge-guard.ts), and marks the posts it let through;
// proxy.ts applies the same rules to every post not so marked (`next dev`, `next start`: no launcher).
// Next checks the origin and the size again itself, but answers a bare 500 where we answer a page.

/** Next's default Server Action body limit (1 MB), set explicitly in next.config.ts too so both agree. */
export const SERVER_ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

/** Set by server/edge-guard.ts on posts it let through (after deleting any a client sent): proxy.ts skips them. */
export const EDGE_CHECKED_HEADER = "x-registrants-edge-checked";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Paths whose posts may come without any same-site signal (no Origin, Sec-Fetch-Site or Referer).
 * Registering acts on no visitor's own state (it reads the registrations cookie only to add the new
 * registration to it), so a forged post there can do nothing its author could not do by posting
 * directly, and scripts that send no Origin keep working. Every other path needs a signal, /todos
 * (its actions overwrite the visitor's only copy of their list, in their cookie) and
 * /register/cancel (it deletes a registration on the strength of the registrations cookie) first of
 * all. Next runs an action only on the page that owns it (the Tasks actions posted to /register do
 * not run), so the path decides for the action. Why, at length: docs/security.md "Form posts".
 */
const SIGNAL_OPTIONAL_PATHS: ReadonlySet<string> = new Set(["/register"]);

export type Refusal =
  | { status: 403 | 411 | 413; reason: "cross-site" | "no-site-signal" | "length-required" | "too-large" }
  /** The form's framework fields are not what a browser sends (lib/http/action-fields.ts). */
  | { status: 400; reason: "malformed-form"; problem: string };

type RequestFacts = { method: string; pathname: string; headers: Headers };

/** The refusal for this request, or null to let it through. */
export function refusalFor({ method, pathname, headers }: RequestFacts, allowedOrigins: readonly string[]): Refusal | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const site = siteOf(headers, allowedOrigins);
  if (site === "cross-site") return { status: 403, reason: "cross-site" };
  if (site === "unknown" && !SIGNAL_OPTIONAL_PATHS.has(pathname)) return { status: 403, reason: "no-site-signal" };
  const length = headers.get("content-length");
  // Browsers always send a length with a form post; a streamed body could only be measured by
  // reading it, which is Next's job (it stops at the limit).
  if (length === null) return headers.get("transfer-encoding") ? { status: 411, reason: "length-required" } : null;
  if (!/^\d+$/.test(length) || Number(length) > SERVER_ACTION_BODY_LIMIT_BYTES) return { status: 413, reason: "too-large" };
  return null;
}

type Site = "same-site" | "cross-site" | "unknown";

/**
 * True when a post says it came from this site's own pages (see siteOf). /register accepts posts
 * that say nothing, but such a post must not touch the visitor's cookies: a forged one could replace
 * the registrations this browser may cancel with the forger's choice.
 */
export function hasSameSiteSignal(headers: Headers, allowedOrigins: readonly string[]): boolean {
  return siteOf(headers, allowedOrigins) === "same-site";
}

/**
 * Where the post came from, by the strongest signal it carries. The Origin, as in Next's Server
 * Action check: its host must be the host the request was sent to (X-Forwarded-Host first, as a
 * proxy sets it, else Host) or match an allowed pattern. Without one (old browsers, privacy tools,
 * scripts), the browser's own Sec-Fetch-Site; without that too, the Referer's host, by the same
 * rule as the Origin (our Referrer-Policy sends it to this site). With none of them: unknown.
 */
function siteOf(headers: Headers, allowedOrigins: readonly string[]): Site {
  const origin = headers.get("origin");
  if (origin !== null) return isOwnHost(hostOf(origin), headers, allowedOrigins) ? "same-site" : "cross-site";
  // Only same-origin counts: `same-site` is a sibling subdomain (another app, perhaps another owner),
  // and `none` is not how a page posts a form.
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite !== null) return fetchSite === "same-origin" ? "same-site" : "cross-site";
  const referer = headers.get("referer");
  if (referer !== null) return isOwnHost(hostOf(referer), headers, allowedOrigins) ? "same-site" : "cross-site";
  return "unknown";
}

function isOwnHost(host: string | null, headers: Headers, allowedOrigins: readonly string[]): boolean {
  if (host === null) return false; // "null" (sandboxed frames, file:) or garbage
  const target = (headers.get("x-forwarded-host")?.split(",")[0] ?? headers.get("host") ?? "").trim().toLowerCase();
  return host === target || allowedOrigins.some((pattern) => hostMatches(host, pattern));
}

/** The host of an Origin or Referer URL; null for "null", garbage, or a URL without a host. */
function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase() || null;
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
