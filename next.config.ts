import type { NextConfig } from "next";
import { readAllowedOrigins, readDatabaseConfig, readMetricsConfig } from "./lib/config";
import { SERVER_ACTION_BODY_LIMIT_BYTES } from "./lib/http/request-guard";
import { SECURITY_HEADERS, STATIC_FILE_HEADERS } from "./lib/http/security-headers";

// Fail the build (and `next start`, `next dev`) on a malformed DATABASE_URL, METRICS_* or
// SERVER_ACTIONS_ALLOWED_ORIGINS rather than on a visitor's request (the actions read METRICS_PORT).
readDatabaseConfig();
readMetricsConfig();

const nextConfig: NextConfig = {
  // A self-contained server (.next/standalone/server.js + the node_modules it needs): what the
  // Docker image ships and what `npm start` and the end-to-end tests run (see scripts/).
  output: "standalone",
  poweredByHeader: false,
  // `npm test` type-checks everything (`npm run typecheck`) before its e2e suite builds the app, and
  // says so (BUILD_TYPES_CHECKED=1): that build skips Next's second, identical check. Every other build checks.
  typescript: { ignoreBuildErrors: process.env.BUILD_TYPES_CHECKED === "1" },
  reactStrictMode: true,
  // The app shows no images. Switched off, Next's image optimizer answers /_next/image with the 404
  // page (next-server.js handleNextImageRequest) instead of fetching and transforming what a URL names.
  images: { unoptimized: true },
  // The libSQL driver loads a native binding: keep it out of the server bundle. prom-client too:
  // one copy, loaded from node_modules by the launcher and every route alike (lib/metrics).
  serverExternalPackages: ["@libsql/client", "libsql", "prom-client"],
  experimental: {
    // Next's own cross-site check and body limit: the second line behind our request guard
    // (server/edge-guard.ts in production, proxy.ts under `next dev`), which answers the same
    // requests first with a clean 403 / 413 page (Next itself would answer a bare 500).
    serverActions: { allowedOrigins: readAllowedOrigins(), bodySizeLimit: SERVER_ACTION_BODY_LIMIT_BYTES },
  },
  async headers() {
    return [
      { source: "/((?!_next/static/).*)", headers: [...SECURITY_HEADERS] },
      { source: "/_next/static/:path*", headers: [...STATIC_FILE_HEADERS] },
    ];
  },
};

export default nextConfig;
