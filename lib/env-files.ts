// One rule for `.env` files, the one Next itself follows (`@next/env`, as Next's docs advise for
// scripts): `.env.$(mode).local`, `.env.local` (not when NODE_ENV=test), `.env.$(mode)`, `.env`, the
// first one that sets a variable wins, and a variable already in the environment always wins over
// every file. `next dev` / `next build` load them for the app; the entry points that run outside
// Next (the db:* CLIs, drizzle-kit's config, the production launcher) call this before they read
// lib/config.ts, so every command sees the same settings. `.env.example` lists what can be set.
import * as nextEnv from "@next/env";

// @next/env is bundled CommonJS: loaded as an ES module (tsx CLIs, the launcher) Node finds its
// exports only on the default export; loaded as CommonJS (drizzle-kit's config loader) they are named.
const { loadEnvConfig } = (nextEnv as typeof nextEnv & { default?: typeof nextEnv }).default ?? nextEnv;

const quiet = { info: () => {}, error: (...args: unknown[]) => console.error(...args) };

/**
 * Loads the env files of `dir` into process.env (never overriding what is set already).
 * `mode` picks `.env.development*` or `.env.production*`; by default it follows NODE_ENV as Next does.
 * Returns the files it read, for a log line.
 */
export function loadEnvFiles(
  { dir = process.cwd(), mode = process.env.NODE_ENV === "production" ? "production" : "development" }: { dir?: string; mode?: "development" | "production" } = {},
): string[] {
  const { loadedEnvFiles } = loadEnvConfig(dir, mode === "development", quiet);
  return loadedEnvFiles.map((file) => file.path);
}
