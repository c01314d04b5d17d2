// The security headers every page and API answer carries: set statically in next.config.ts
// `headers()` and on the plain pages the server writes itself (lib/http/plain-page.ts: proxy.ts,
// server/edge-guard.ts, the 503 page), which never reach Next's header rules.
// Next's hashed static files get STATIC_FILE_HEADERS only: a policy for documents does nothing on a
// script or a stylesheet, and a phone would download it again with every file.
//
// Why a static CSP with 'unsafe-inline' scripts and not a per-request nonce: Next's bootstrap is
// inline <script> tags, and a nonce has to be new on every response, which makes every page render
// per request. That would undo the launcher's cached `/`. What we give up: the CSP no longer stops
// an injected inline script. What still holds: React escapes everything it renders (no
// dangerouslySetInnerHTML here), scripts load only from this origin, no eval, no plugins, no
// framing, forms post only here (docs/security.md "Response headers"). 'unsafe-eval' is added only
// for `next dev`, whose React tooling needs it.

const isDevelopment = process.env.NODE_ENV === "development";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDevelopment ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "Content-Security-Policy", value: CONTENT_SECURITY_POLICY },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
  { key: "X-Frame-Options", value: "DENY" },
];

/** For /_next/static: a script or stylesheet is used only as the type it is served as. */
export const STATIC_FILE_HEADERS: ReadonlyArray<{ key: string; value: string }> = SECURITY_HEADERS.filter(({ key }) => key === "X-Content-Type-Options");
