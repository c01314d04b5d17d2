// Which form posts proxy.ts refuses before Next reads them, and which it lets through.
import { expect, test } from "vitest";
import { hostMatches, refusalFor, SERVER_ACTION_BODY_LIMIT_BYTES } from "@/lib/request-guard";

const post = (headers: Record<string, string>) => ({ method: "POST", headers: new Headers({ host: "app.test:3000", "content-length": "500", ...headers }) });

test("a form post from the site's own origin passes", () => {
  expect(refusalFor(post({ origin: "http://app.test:3000" }), [])).toBeNull();
});

test("a form post from another site is refused with 403", () => {
  for (const origin of ["https://evil.example", "http://app.test:3001", "http://app.test.evil.example:3000", "null", "not a url"]) {
    expect(refusalFor(post({ origin }), [])).toEqual({ status: 403, reason: "cross-site" });
  }
});

test("behind a proxy the forwarded host counts, as in Next's own check", () => {
  expect(refusalFor(post({ origin: "https://public.example", "x-forwarded-host": "public.example, internal" }), [])).toBeNull();
  expect(refusalFor(post({ origin: "http://app.test:3000", "x-forwarded-host": "public.example" }), [])).toMatchObject({ status: 403 });
});

test("an allowed origin pattern lets a post from that host through", () => {
  expect(refusalFor(post({ origin: "https://www.example.org" }), ["*.example.org"])).toBeNull();
  expect(refusalFor(post({ origin: "https://example.org" }), ["*.example.org"])).toMatchObject({ status: 403 });
});

test("without an Origin header a post passes unless the browser says it is cross-site", () => {
  expect(refusalFor(post({}), [])).toBeNull();
  expect(refusalFor(post({ "sec-fetch-site": "same-origin" }), [])).toBeNull();
  expect(refusalFor(post({ "sec-fetch-site": "cross-site" }), [])).toMatchObject({ status: 403 });
});

test("a body over the Server Action limit is refused with 413; exactly the limit passes", () => {
  const origin = "http://app.test:3000";
  expect(refusalFor(post({ origin, "content-length": String(SERVER_ACTION_BODY_LIMIT_BYTES + 1) }), [])).toEqual({ status: 413, reason: "too-large" });
  expect(refusalFor(post({ origin, "content-length": String(SERVER_ACTION_BODY_LIMIT_BYTES) }), [])).toBeNull();
  expect(refusalFor(post({ origin, "content-length": "12abc" }), [])).toMatchObject({ status: 413 });
});

test("a streamed body of unknown length is refused with 411", () => {
  const headers = new Headers({ host: "app.test:3000", origin: "http://app.test:3000", "transfer-encoding": "chunked" });
  expect(refusalFor({ method: "POST", headers }, [])).toEqual({ status: 411, reason: "length-required" });
});

test("reading pages is never refused, whatever the origin", () => {
  for (const method of ["GET", "HEAD", "OPTIONS"]) {
    expect(refusalFor({ method, headers: new Headers({ origin: "https://evil.example" }) }, [])).toBeNull();
  }
});

test("host patterns: * is one label, ** any depth, otherwise exact", () => {
  expect(hostMatches("a.example.com", "*.example.com")).toBe(true);
  expect(hostMatches("a.b.example.com", "*.example.com")).toBe(false);
  expect(hostMatches("a.b.example.com", "**.example.com")).toBe(true);
  expect(hostMatches("example.com", "**.example.com")).toBe(false);
  expect(hostMatches("badexample.com", "*.example.com")).toBe(false);
  expect(hostMatches("example.com:8443", "example.com:8443")).toBe(true);
  expect(hostMatches("example.com", "example.com:8443")).toBe(false);
});
