// The Content-Security-Policy a document is sent with names its own inline scripts and styles by
// hash (server/document-policy.ts). These check the scanning on HTML shaped like Next's, the
// hashes against ones computed independently, and which answers get which policy. In the browser,
// on every page: tests/e2e/security-headers.spec.ts.
import { createHash } from "node:crypto";
import { deflateSync, gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { documentPolicy, inlineContents, mayBeDocument, policyHeadersFor } from "@/server/document-policy";
import type { IncomingMessage } from "node:http";

const hash = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
const directive = (csp: string, name: string) => csp.split("; ").find((part) => part.startsWith(`${name} `))!;

const BOOTSTRAP = `(self.__next_f=self.__next_f||[]).push([0])`;
const PAYLOAD = `self.__next_f.push([1,"Ünïcødé \\u003cb\\u003e names"])`;
const PAGE = `<!DOCTYPE html><html><head><script src="/_next/static/chunks/a.js" async=""></script>
<style>main{color:red}</style></head><body><main>Hi</main><script>${BOOTSTRAP}</script>
<script id="_R_">${PAYLOAD}</script><script src="/_next/static/chunks/b.js" async=""></script>
<script>${BOOTSTRAP}</script></body></html>`;

describe("inline elements", () => {
  test("every <script> without src, as its text, in order; scripts with src skipped", () => {
    expect(inlineContents(Buffer.from(PAGE), "script").map(String)).toEqual([BOOTSTRAP, PAYLOAD, BOOTSTRAP]);
    expect(inlineContents(Buffer.from(PAGE), "style").map(String)).toEqual(["main{color:red}"]);
  });

  test("a tag that only starts like one is not one; an end tag ends at a name boundary", () => {
    const html = `<scripts>no</scripts><script>a("</scripty>")</script ><script\n type="module">b()</script/>`;
    expect(inlineContents(Buffer.from(html), "script").map(String)).toEqual([`a("</scripty>")`, "b()"]);
  });

  test("an unclosed element is not hashed (the browser would not run it as written either)", () => {
    expect(inlineContents(Buffer.from("<script>x()"), "script")).toEqual([]);
    expect(inlineContents(Buffer.from("<script"), "script")).toEqual([]);
  });
});

describe("the policy", () => {
  test("names each distinct inline script and style by the SHA-256 of its UTF-8 text, and nothing else inline", () => {
    const csp = documentPolicy(Buffer.from(PAGE));
    expect(directive(csp, "script-src")).toBe(`script-src 'self' ${hash(BOOTSTRAP)} ${hash(PAYLOAD)}`);
    expect(directive(csp, "style-src")).toBe(`style-src 'self' ${hash("main{color:red}")}`);
    expect(csp).not.toContain("unsafe-inline");
  });

  test("a page without inline code allows none", () => {
    const csp = documentPolicy(Buffer.from("<html><body><main>plain</main></body></html>"));
    expect(directive(csp, "script-src")).toBe("script-src 'self'");
    expect(directive(csp, "style-src")).toBe("style-src 'self'");
  });

  const html = { "content-type": "text/html; charset=utf-8" };
  test("an HTML answer gets its own policy, compressed or not; the hashes are of the text", () => {
    const plain = policyHeadersFor({ status: 200, headers: html, body: Buffer.from(PAGE) });
    expect(plain["content-security-policy"]).toBe(documentPolicy(Buffer.from(PAGE)));
    expect(policyHeadersFor({ status: 200, headers: { ...html, "content-encoding": "gzip" }, body: gzipSync(PAGE) })).toEqual(plain);
    expect(policyHeadersFor({ status: 404, headers: { ...html, "content-encoding": "deflate" }, body: deflateSync(PAGE) })).toEqual(plain);
  });

  test("a body that cannot be decoded gets the policy without hashes: its scripts are blocked, never allowed blindly", () => {
    const answer = policyHeadersFor({ status: 200, headers: { ...html, "content-encoding": "gzip" }, body: Buffer.from("not gzip") });
    expect(directive(answer["content-security-policy"]!, "script-src")).toBe("script-src 'self'");
  });

  test("a 304 carries no policy, so the browser keeps the one stored with its copy; a non-HTML answer keeps Next's", () => {
    expect(policyHeadersFor({ status: 304, headers: {}, body: Buffer.alloc(0) })).toEqual({ "content-security-policy": null });
    expect(policyHeadersFor({ status: 200, headers: { "content-type": "application/json" }, body: Buffer.from("{}") })).toEqual({});
    expect(policyHeadersFor({ status: 303, headers: {}, body: Buffer.alloc(0) })).toEqual({});
  });
});

test("Next's static files and the requests of its client router or a page's Server Action calls are not documents", () => {
  const request = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;
  expect(mayBeDocument(request("/register"))).toBe(true);
  expect(mayBeDocument(request("/_next/image?url=x"))).toBe(true); // Next answers it with the 404 page
  expect(mayBeDocument(request("/_next/static/chunks/a.js"))).toBe(false);
  for (const header of ["rsc", "next-router-prefetch", "next-router-state-tree", "next-action"]) expect(mayBeDocument(request("/", { [header]: "1" })), header).toBe(false);
});
