// Second half of `npm run build`: makes .next/standalone a folder that runs on its own with plain
// `node` (what the Docker image copies, what `npm start` and the end-to-end tests run). Next's
// standalone output leaves out the static assets and public/, and knows nothing of our migrations or
// launcher, so this copies those beside server.js and bundles the TypeScript entry points (with
// drizzle's migrator and zod inside; @libsql/client comes from the traced node_modules):
//   start.mjs        server/start.ts: schema check or MIGRATE_ON_START, then Next behind our HTTP server
//   migrate.mjs      db/cli/migrate.ts: `npm run db:migrate` for a machine without the source
//   registrants.mjs  db/cli/registrants.ts: `npm run db:registrants` (list, export, remove) likewise
//   healthcheck.mjs  scripts/healthcheck.ts: the image's HEALTHCHECK
//   commit-thread.mjs db/writer/commit-thread.ts: the registration writer's thread (db/writer/commit-thread-supervisor.ts starts it)
//   migrations/      db/migrations
import { cpSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const ROOT = join(import.meta.dirname, "..");
const STANDALONE = join(ROOT, ".next", "standalone");

if (!existsSync(join(STANDALONE, "server.js"))) {
  throw new Error(`${STANDALONE}/server.js is missing: run \`next build\` with output: "standalone" first`);
}

function copyFresh(from: string, to: string) {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

copyFresh(join(ROOT, ".next", "static"), join(STANDALONE, ".next", "static"));
if (existsSync(join(ROOT, "public"))) copyFresh(join(ROOT, "public"), join(STANDALONE, "public"));
copyFresh(join(ROOT, "db", "migrations"), join(STANDALONE, "migrations"));

await build({
  entryPoints: {
    start: join(ROOT, "server", "start.ts"),
    migrate: join(ROOT, "db", "cli", "migrate.ts"),
    registrants: join(ROOT, "db", "cli", "registrants.ts"),
    healthcheck: join(ROOT, "scripts", "healthcheck.ts"),
    "commit-thread": join(ROOT, "db", "writer", "commit-thread.ts"),
  },
  outdir: STANDALONE,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  // The native driver stays a package: the traced node_modules beside server.js hold it (as they
  // hold next, which server/next-internals.ts requires at run time, and prom-client, one copy for
  // the launcher and Next's bundles alike).
  external: ["@libsql/client", "next", "prom-client"],
  // Some bundled CommonJS code calls require() or reads __dirname (@next/env): give the ES module both.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url); const __filename = import.meta.filename; const __dirname = import.meta.dirname;',
  },
  logLevel: "warning",
});

console.log(`assemble-standalone: ${STANDALONE} is ready (node start.mjs)`);
