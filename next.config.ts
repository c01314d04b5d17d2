import type { NextConfig } from "next";
import { readDatabaseConfig } from "./lib/config";

// Fail the build (and `next start`) on a malformed DATABASE_URL rather than on a visitor's request.
readDatabaseConfig();

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The libSQL driver loads a native binding: keep it out of the server bundle.
  serverExternalPackages: ["@libsql/client", "libsql"],
  // Rendered pages stay cached until the registrants' data version changes (see the file).
  cacheHandler: new URL("./lib/page-cache-handler.mjs", import.meta.url).pathname,
  // Every list page is the cached route /page/[n]; `/` and `/?page=N` keep their public URLs.
  // Anything but 1-9 digits in ?page is page 1, as before, and does not make a cache entry of its own.
  async rewrites() {
    return {
      beforeFiles: [
        { source: "/", has: [{ type: "query", key: "page", value: "(?<n>\\d{1,9})" }], destination: "/page/:n" },
        { source: "/", destination: "/page/1" },
      ],
      afterFiles: [],
      fallback: [],
    };
  },
};

export default nextConfig;
