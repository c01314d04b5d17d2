// The security headers every page and API answer carries: set statically in next.config.ts
// `headers()` and on the plain pages the server writes itself (lib/http/plain-page.ts: proxy.ts,
// server/edge-guard.ts, the 503 page), which never reach Next's header rules.
// Next's hashed static files get STATIC_FILE_HEADERS only: a policy for documents does nothing on a
// script or a stylesheet, and a phone would download it again with every file.
//
// The Content-Security-Policy allows no inline script or style but those a document names by hash.
// The static policy below names none; the production server replaces it on every document it sends
// with one naming that document's own inline scripts and styles (server/document-policy.ts), stored
// with a cached list page (docs/decisions/content-security-policy.md). `next dev` has no such
// server: there scripts and styles stay 'unsafe-inline', and scripts 'unsafe-eval', which React's
// dev tooling needs. Strict-Transport-Security is a deployment's setting: the production server sets
// it (lib/config.ts readHstsConfig).
import { createHash } from "node:crypto";

const isDevelopment = process.env.NODE_ENV === "development";

/** A CSP hash source for an inline script's or style's exact text (its UTF-8 bytes). */
export function sha256Source(text: string | Uint8Array): string {
  return `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
}

/** The policy for a document whose inline scripts and styles have these hash sources (none: no inline code runs). */
export function contentSecurityPolicy({ scripts = [], styles = [] }: { scripts?: readonly string[]; styles?: readonly string[] } = {}): string {
  const scriptSources = isDevelopment ? ["'unsafe-inline'", "'unsafe-eval'"] : scripts;
  const styleSources = isDevelopment ? ["'unsafe-inline'"] : styles;
  return [
    "default-src 'self'",
    ["script-src 'self'", ...scriptSources].join(" "),
    ["style-src 'self'", ...styleSources].join(" "),
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

export const SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "Content-Security-Policy", value: CONTENT_SECURITY_POLICY },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
  { key: "X-Frame-Options", value: "DENY" },
];

/** For /_next/static: a script or stylesheet is used only as the type it is served as. */
export const STATIC_FILE_HEADERS: ReadonlyArray<{ key: string; value: string }> = SECURITY_HEADERS.filter(({ key }) => key === "X-Content-Type-Options");

/** The Strict-Transport-Security value for these settings; undefined when it is off (max-age 0). */
export function strictTransportSecurity({ maxAgeSeconds, includeSubDomains }: { maxAgeSeconds: number; includeSubDomains: boolean }): string | undefined {
  if (maxAgeSeconds === 0) return undefined;
  return `max-age=${maxAgeSeconds}${includeSubDomains ? "; includeSubDomains" : ""}`;
}
