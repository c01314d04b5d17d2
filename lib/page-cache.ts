// The register action's side of the page cache (lib/page-cache-handler.mjs), reached through the
// global the handler sets because Next loads the handler outside the app bundle.
const RENDERS_SETTLED = Symbol.for("lecture.pageCache.rendersSettled");

/** Waits (at most ~2 s) until every page render that started before `time` has finished. */
export async function waitForRendersStartedBefore(time: number): Promise<void> {
  const settled = (globalThis as Record<symbol, unknown>)[RENDERS_SETTLED];
  if (typeof settled === "function") await settled(time);
}
