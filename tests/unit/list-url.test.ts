// One URL per real page of the list (lib/registrants/list-url.ts): the page's redirects and the document
// cache's keys must agree, or a cache keyed by URL could be filled with spellings of one page.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { canonicalListPageOf, listPageHref, readListRequest } from "@/lib/registrants/list-url";

/** The query as Next hands it to a page: repeated names become arrays. */
function queryOf(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

describe("readListRequest", () => {
  test.each([
    ["", { page: 1 }],
    ["page=2", { page: 2 }],
    ["page=123456789", { page: 123456789 }],
    ["page=1", { redirectTo: "/" }],
    ["page=007", { redirectTo: "/?page=7" }],
    ["page=%203%20", { redirectTo: "/?page=3" }],
    ["page=+4", { redirectTo: "/?page=4" }],
    ["page=0", { redirectTo: "/" }],
    ["page=-1", { redirectTo: "/" }],
    ["page=abc", { redirectTo: "/" }],
    ["page=2.5", { redirectTo: "/" }],
    ["page=1e3", { redirectTo: "/" }],
    ["page=9999999999", { redirectTo: "/" }],
    ["page=", { redirectTo: "/" }],
    ["page=4&page=5", { redirectTo: "/?page=4" }],
    ["page=2&utm_source=x", { redirectTo: "/?page=2" }],
    ["x=1", { redirectTo: "/" }],
  ])("?%s → %j", (search, expected) => {
    expect(readListRequest(queryOf(search))).toEqual(expected);
  });
});

describe("canonicalListPageOf", () => {
  test.each([
    ["/", 1],
    ["/?page=2", 2],
    ["/?page=1", null],
    ["/?page=02", null],
    ["/?page=2&x=1", null],
    ["/?page=%32", null],
    ["/page/2", null],
    ["/?", null],
    [undefined, null],
  ])("%s → %s", (target, expected) => {
    expect(canonicalListPageOf(target)).toBe(expected);
  });

  test("a target is a cache key exactly when the page would serve it without a redirect", () => {
    const piece = fc.constantFrom("page", "Page", "x", "=", "&", "0", "1", "2", "9", "-", "+", " ", "%20", "%32", ".");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const search = pieces.join("");
        const target = search ? `/?${search}` : "/";
        const page = canonicalListPageOf(target);
        if (page === null) return; // not a key: rendered (or redirected) each time, never kept
        expect(readListRequest(queryOf(search))).toEqual({ page });
        expect(listPageHref(page)).toBe(target);
      }),
      { numRuns: 2000 },
    );
  });

  test("every page's href is its own canonical URL", () => {
    for (const page of [1, 2, 10, 2000, 123456789]) expect(canonicalListPageOf(listPageHref(page))).toBe(page);
  });
});
