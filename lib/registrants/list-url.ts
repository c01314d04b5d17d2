// The registrants list's URLs: one per real page. Page 1 is `/`, page N is `/?page=N` (N written
// plainly: no sign, no leading zero, no spaces), and nothing else. Any other spelling of a list URL
// (`/?page=007`, `/?page=1`, `/?page=abc`, extra query parameters) is redirected to its canonical
// URL, so a cache keyed by URL holds at most one entry per page (server/document-cache.ts), and a
// bookmark or a crawler lands on the URL the pager links to.

/** At most 9 digits: a billion pages is more than any table will hold; anything longer is garbage. */
const CANONICAL_PAGE = /^[1-9]\d{0,8}$/;
const LOOSE_PAGE = /^\s*\+?0*([1-9]\d{0,8})\s*$/;

/** Rows per list page: the reads (db/registrants) and the document cache (server/document-cache.ts) page alike. */
export const PAGE_SIZE = 50;

export function listPageHref(page: number): string {
  return page <= 1 ? "/" : `/?page=${page}`;
}

export type ListRequest = { page: number } | { redirectTo: string };

/**
 * What a request for the list asks for, from its query parameters (as Next hands them to the page):
 * the page, when the URL is that page's canonical URL; else where to redirect. A loosely written
 * number (`007`, ` 3 `) redirects to that page, anything unreadable to page 1.
 */
export function readListRequest(query: Record<string, string | string[] | undefined>): ListRequest {
  const names = Object.keys(query);
  if (names.length === 0) return { page: 1 };
  const raw = query.page;
  const value = typeof raw === "string" ? raw : undefined;
  if (names.length === 1 && value !== undefined && CANONICAL_PAGE.test(value) && value !== "1") return { page: Number(value) };
  const loose = (Array.isArray(raw) ? raw[0] : raw)?.match(LOOSE_PAGE);
  return { redirectTo: listPageHref(loose ? Number(loose[1]) : 1) };
}

/**
 * The page a raw request target (`request.url` as Node gives it) is the canonical URL of, else null.
 * Agrees with readListRequest: a URL gets a page here exactly when the page would not redirect it.
 */
export function canonicalListPageOf(target: string | undefined): number | null {
  if (target === "/") return 1;
  if (!target?.startsWith("/?page=")) return null;
  const value = target.slice("/?page=".length);
  return CANONICAL_PAGE.test(value) && value !== "1" ? Number(value) : null;
}
