// A Secure cookie's name carries the prefix its attributes allow (lib/session/cookie-names.ts);
// lib/session/cookie.ts writes both cookies under these names. Reading an old cookie and moving it:
// tests/e2e/cookie-prefixes.spec.ts.
import { expect, test } from "vitest";
import { cookieNameFor } from "@/lib/session/cookie-names";
import { REGISTRATIONS_COOKIE_NAME, REGISTRATIONS_COOKIE_PATH } from "@/lib/session/registrations";
import { SESSION_COOKIE_NAME } from "@/lib/session/seal";

test("a Secure cookie on Path=/ is __Host- (no Domain is ever set), one on another path __Secure-", () => {
  expect(cookieNameFor(SESSION_COOKIE_NAME, { path: "/", secure: true })).toBe("__Host-tasks");
  expect(cookieNameFor(REGISTRATIONS_COOKIE_NAME, { path: REGISTRATIONS_COOKIE_PATH, secure: true })).toBe("__Secure-registrations");
});

test("without Secure (plain HTTP: next dev, SESSION_COOKIE_SECURE=false) a prefix is impossible, so the names stay", () => {
  expect(cookieNameFor(SESSION_COOKIE_NAME, { path: "/", secure: false })).toBe("tasks");
  expect(cookieNameFor(REGISTRATIONS_COOKIE_NAME, { path: REGISTRATIONS_COOKIE_PATH, secure: false })).toBe("registrations");
});
