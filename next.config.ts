import type { NextConfig } from "next";
import { readDatabaseConfig } from "./lib/config";

// Fail the build (and `next start`) on a malformed DATABASE_URL rather than on a visitor's request.
readDatabaseConfig();

const nextConfig: NextConfig = {
  // A self-contained server (.next/standalone/server.js + the node_modules it needs): what the
  // Docker image ships and what `npm start` and the end-to-end tests run (see scripts/).
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // The libSQL driver loads a native binding: keep it out of the server bundle.
  serverExternalPackages: ["@libsql/client", "libsql"],
};

export default nextConfig;
