// Which form posts proxy.ts refuses before Next reads them, and which it lets through.
import { expect, test } from "vitest";
import { hasSameSiteSignal, hostMatches, refusalFor, SERVER_ACTION_BODY_LIMIT_BYTES } from "@/lib/http/request-guard";

const post = (headers: Record<string, string>, pathname = "/register") => ({
  method: "POST",
  pathname,
  headers: new Headers({ host: "app.test:3000", "content-length": "500", ...headers }),
});
const toTasks = (headers: Record<string, string>) => post(headers, "/todos");

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

test("without an Origin header a post passes only if the browser says it is same-origin (same-site is a sibling subdomain)", () => {
  for (const send of [post, toTasks]) {
    expect(refusalFor(send({ "sec-fetch-site": "same-origin" }), [])).toBeNull();
    for (const fetchSite of ["cross-site", "same-site", "none", "SAME-ORIGIN", ""]) {
      expect(refusalFor(send({ "sec-fetch-site": fetchSite }), []), fetchSite).toEqual({ status: 403, reason: "cross-site" });
    }
  }
});

test("hasSameSiteSignal: what lets a /register post touch the visitor's cookie", () => {
  const signalled = (headers: Record<string, string>) => hasSameSiteSignal(post(headers).headers, []);
  expect(signalled({ origin: "http://app.test:3000" })).toBe(true);
  expect(signalled({ "sec-fetch-site": "same-origin" })).toBe(true);
  expect(signalled({ referer: "http://app.test:3000/register" })).toBe(true);
  expect(signalled({})).toBe(false);
  expect(signalled({ "sec-fetch-site": "same-site" })).toBe(false);
});

test("without Origin and Sec-Fetch-Site, the Referer's host decides, by the Origin's rule", () => {
  for (const send of [post, toTasks]) {
    expect(refusalFor(send({ referer: "http://app.test:3000/todos?notice=task-gone" }), [])).toBeNull();
    expect(refusalFor(send({ referer: "https://www.example.org/page" }), ["*.example.org"])).toBeNull();
    expect(refusalFor(send({ referer: "https://public.example/todos", "x-forwarded-host": "public.example" }), [])).toBeNull();
    for (const referer of ["https://evil.example/prize", "http://app.test:3001/todos", "http://app.test.evil.example:3000/", "not a url", ""]) {
      expect(refusalFor(send({ referer }), [])).toEqual({ status: 403, reason: "cross-site" });
    }
  }
});

test("a post to the Tasks page with no same-site signal at all is refused; /register stays open to scripts", () => {
  expect(refusalFor(toTasks({}), [])).toEqual({ status: 403, reason: "no-site-signal" });
  expect(refusalFor(post({}, "/anything-else"), [])).toEqual({ status: 403, reason: "no-site-signal" });
  expect(refusalFor(post({}), [])).toBeNull();
});

test("a cancel (/register/cancel: it deletes a registration) needs a same-site signal like Tasks, the Referer as the last one", () => {
  const toCancel = (headers: Record<string, string>) => post(headers, "/register/cancel");
  expect(refusalFor(toCancel({}), [])).toEqual({ status: 403, reason: "no-site-signal" });
  expect(refusalFor(toCancel({ origin: "https://evil.example" }), [])).toEqual({ status: 403, reason: "cross-site" });
  expect(refusalFor(toCancel({ referer: "https://evil.example/register" }), [])).toEqual({ status: 403, reason: "cross-site" });
  expect(refusalFor(toCancel({ referer: "http://app.test:3000/register/cancel?id=4" }), [])).toBeNull();
  expect(refusalFor(toCancel({ origin: "http://app.test:3000" }), [])).toBeNull();
});

test("the Origin outranks Sec-Fetch-Site and Referer, and Sec-Fetch-Site outranks Referer", () => {
  expect(refusalFor(toTasks({ origin: "https://evil.example", referer: "http://app.test:3000/todos" }), [])).toMatchObject({ status: 403 });
  expect(refusalFor(toTasks({ "sec-fetch-site": "cross-site", referer: "http://app.test:3000/todos" }), [])).toMatchObject({ status: 403 });
  expect(refusalFor(toTasks({ origin: "http://app.test:3000", referer: "https://evil.example/" }), [])).toBeNull();
});

test("a body over the Server Action limit is refused with 413; exactly the limit passes", () => {
  const origin = "http://app.test:3000";
  expect(refusalFor(post({ origin, "content-length": String(SERVER_ACTION_BODY_LIMIT_BYTES + 1) }), [])).toEqual({ status: 413, reason: "too-large" });
  expect(refusalFor(post({ origin, "content-length": String(SERVER_ACTION_BODY_LIMIT_BYTES) }), [])).toBeNull();
  expect(refusalFor(post({ origin, "content-length": "12abc" }), [])).toMatchObject({ status: 413 });
});

test("a streamed body of unknown length is refused with 411", () => {
  const headers = new Headers({ host: "app.test:3000", origin: "http://app.test:3000", "transfer-encoding": "chunked" });
  expect(refusalFor({ method: "POST", pathname: "/register", headers }, [])).toEqual({ status: 411, reason: "length-required" });
});

test("reading pages is never refused, whatever the origin", () => {
  for (const method of ["GET", "HEAD", "OPTIONS"]) {
    expect(refusalFor({ method, pathname: "/todos", headers: new Headers({ origin: "https://evil.example" }) }, [])).toBeNull();
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
