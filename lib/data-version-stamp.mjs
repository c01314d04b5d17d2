// What the two page caches (lib/page-cache-handler.mjs, lib/document-cache.mjs) share: reading the
// registrants' current data version, and reading which version a rendered page shows. The list
// page writes the version it read its rows at into its HTML (`data-registrants-version` on
// <main>, app/registrant-list.tsx), so a cached page is stamped with exactly the data it shows.
//
// Plain JavaScript because Next and the launcher import these files at run time, outside the app
// bundle: the app hands over its version reader (db/data-version.ts) through a global.
const DATA_VERSION_HOOK = Symbol.for("lecture.registrants.dataVersion");

/** REGISTRANTS_PAGE_CACHE=off renders every request: for measuring what a render costs (npm run bench). */
export const isPageCacheOn = process.env.REGISTRANTS_PAGE_CACHE !== "off";

/** The current data version; null when it cannot be known (no page has loaded the data modules yet, or the database failed). */
export async function currentDataVersion() {
  const read = globalThis[DATA_VERSION_HOOK];
  if (typeof read !== "function") return null;
  try {
    return await read();
  } catch {
    return null; // cannot tell: a miss, and the render reports the database error
  }
}

const STAMP = /data-registrants-version="([^"]*)"/;

/**
 * Which data a rendered page shows: `{ version }` for a list page, `{ version: undefined }` for a
 * page that shows no registrants (cacheable as it is), null for a list page read without a known
 * version (never cache it).
 */
export function stampOf(html) {
  const match = typeof html === "string" ? STAMP.exec(html) : null;
  if (!match) return { version: undefined };
  return /^\d+$/.test(match[1]) ? { version: Number(match[1]) } : null;
}
