// A Secure cookie's name carries the prefix its attributes allow, so a browser refuses any cookie of
// that name that was set otherwise: over plain HTTP, with a Domain (by a sibling subdomain), or, for
// `__Host-`, with another Path. `__Host-` needs Path=/ and no Domain; `__Secure-` only Secure. Over
// plain HTTP (`next dev`, SESSION_COOKIE_SECURE=false) there is no Secure, so no prefix.
// No request in sight, so the tests can name the cookies as the server does.

/** The name a cookie with these attributes is written under (never with a Domain). */
export function cookieNameFor(name: string, { path, secure }: { path: string; secure: boolean }): string {
  if (!secure) return name;
  return path === "/" ? `__Host-${name}` : `__Secure-${name}`;
}
