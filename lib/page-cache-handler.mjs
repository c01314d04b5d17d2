// Next's page cache (ISR `cacheHandler`), kept in this process's memory, where an entry is good
// only while the registrants' data version is the one it was rendered from. Every lookup reads the
// version (one indexed single-row read, db/data-version.ts): a registration in this process, in
// another server process on the same database file, or a script writing to the file, re-renders
// the page on the very next request, so no instance ever serves a list older than the database.
//
// Plain JavaScript because Next imports this file at run time, outside the app bundle; the app
// hands over the version reader through a global once a data module has loaded. Until then (the
// first request after start) every lookup is a miss, which is always safe.
const DATA_VERSION_HOOK = Symbol.for("lecture.registrants.dataVersion");
/** Bounds memory: `/?page=N` for many N could otherwise fill it. Least recently used goes first. */
const MAX_ENTRIES = 500;

/** key -> { value, lastModified, version, tags } */
const entries = new Map();
/** key -> the data version read when a lookup missed: the render that follows sees at least it. */
const versionAtMiss = new Map();

async function currentVersion() {
  const read = globalThis[DATA_VERSION_HOOK];
  if (typeof read !== "function") return null;
  try {
    return await read();
  } catch {
    return null; // cannot tell: treat as a miss, and let the render report the database error
  }
}

function tagsOf(value) {
  const header = value?.headers?.["x-next-cache-tags"];
  return typeof header === "string" ? header.split(",") : [];
}

export default class PageCacheHandler {
  async get(key) {
    const version = await currentVersion();
    const entry = entries.get(key);
    if (entry && version !== null && entry.version === version) {
      entries.delete(key); // re-insert: Map order is the LRU order
      entries.set(key, entry);
      return { value: entry.value, lastModified: entry.lastModified };
    }
    // Keep the oldest version of overlapping misses: stamping an entry too old only costs a render.
    if (version !== null && !versionAtMiss.has(key)) versionAtMiss.set(key, version);
    return null;
  }

  async set(key, value) {
    const version = versionAtMiss.get(key);
    versionAtMiss.delete(key);
    entries.delete(key);
    if (value === null || version === undefined) return; // no version to vouch for it: do not cache
    entries.set(key, { value, lastModified: Date.now(), version, tags: tagsOf(value) });
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value);
  }

  async revalidateTag(tags) {
    const expired = new Set(Array.isArray(tags) ? tags : [tags]);
    for (const [key, entry] of entries) if (entry.tags.some((tag) => expired.has(tag))) entries.delete(key);
  }

  resetRequestCache() {}
}
