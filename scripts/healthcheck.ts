// The image's HEALTHCHECK: exit 0 when this container's /api/health says ok, 1 otherwise (the
// slim base image has no curl). Bundled to .next/standalone/healthcheck.mjs.
export {}; // an ES module, for top-level await

const port = process.env.PORT || "3000";
const TIMEOUT_MS = 3_000;

try {
  const response = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  process.exitCode = response.ok ? 0 : 1;
  if (!response.ok) console.error(`healthcheck: /api/health answered ${response.status}`);
} catch (error) {
  console.error(`healthcheck: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
