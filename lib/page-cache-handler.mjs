// Next's page cache (ISR `cacheHandler`), kept in this process's memory. A list page is good only
// while the registrants' data version is the one it shows (lib/data-version-stamp.mjs): every
// lookup reads the current version (one single-row read), so a registration in this process, in
// another server process on the same database file, or a script writing to the file, re-renders
// the page on the very next request. Pages that show no registrants are kept as they are.
import { currentDataVersion, isPageCacheOn, stampOf } from "./data-version-stamp.mjs";

/** Bounds memory: `/?page=N` for many N could otherwise fill it. Least recently used goes first. */
const MAX_ENTRIES = 500;
/** A render that has not finished by then has failed; nobody waits for it. */
const RENDER_TIMEOUT_MS = 2_000;

/** key -> { value, lastModified, version (undefined: not data-dependent), tags } */
const entries = new Map();
/** key -> when a lookup missed and Next started rendering it. */
const rendersInFlight = new Map();

function tagsOf(value) {
  const header = value?.headers?.["x-next-cache-tags"];
  return typeof header === "string" ? header.split(",") : [];
}

/**
 * Resolves once every render that started before `startedBefore` (ms since epoch) has finished.
 * Next hands a render in flight to every request for the same page that arrives meanwhile; the
 * register action waits here after its commit, so the registrant's own request after the redirect
 * cannot be handed a render that read the list before their row was committed.
 */
async function rendersSettled(startedBefore) {
  const deadline = Date.now() + RENDER_TIMEOUT_MS;
  const isWaiting = () =>
    [...rendersInFlight.values()].some((since) => since < startedBefore && since > Date.now() - RENDER_TIMEOUT_MS);
  while (isWaiting() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
}
globalThis[Symbol.for("lecture.pageCache.rendersSettled")] = rendersSettled;

export default class PageCacheHandler {
  async get(key) {
    const entry = entries.get(key);
    if (entry && (entry.version === undefined || entry.version === (await currentDataVersion()))) {
      entries.delete(key); // re-insert: Map order is the LRU order
      entries.set(key, entry);
      return { value: entry.value, lastModified: entry.lastModified };
    }
    if (!rendersInFlight.has(key)) rendersInFlight.set(key, Date.now());
    return null;
  }

  async set(key, value) {
    rendersInFlight.delete(key);
    entries.delete(key);
    const stamp = isPageCacheOn && value?.kind === "APP_PAGE" ? stampOf(value.html) : null;
    if (!stamp) return;
    entries.set(key, { value, lastModified: Date.now(), version: stamp.version, tags: tagsOf(value) });
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value);
  }

  async revalidateTag(tags) {
    const expired = new Set(Array.isArray(tags) ? tags : [tags]);
    for (const [key, entry] of entries) if (entry.tags.some((tag) => expired.has(tag))) entries.delete(key);
  }

  resetRequestCache() {}
}
