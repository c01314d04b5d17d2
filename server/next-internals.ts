// Everything private to Next that the launcher depends on, in one place. Next's generated
// standalone server.js does these same things (next/dist/build/utils.js writes it; its
// start-server.js sets the origin); we cannot run it because we answer some requests before Next
// does. None of this is public API: tests/unit/next-internals.test.ts reads the installed Next's
// sources and the built files and fails, naming what moved, when an upgrade changes any of it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { NextServerOptions } from "next/dist/server/next";
import type { RequestHandler } from "./request-handler";

/** Written by `next build` (build/index.js); `config` is the complete Next configuration, defaults applied. */
export const REQUIRED_SERVER_FILES = join(".next", "required-server-files.json");

/** Next's config loader (server/config.js) takes the configuration from here instead of loading next.config.ts, which the standalone folder does not have. */
export const STANDALONE_CONFIG_ENV = "__NEXT_PRIVATE_STANDALONE_CONFIG";

/**
 * Where Next reaches this same server (app-render/action-handler.js): a Server Action that
 * redirects fetches the target page from here to send it with its answer. Unset, Next builds it
 * from the request (`X-Forwarded-Proto` included), and behind a TLS proxy fetches https:// from our
 * plain-HTTP port.
 */
export const ORIGIN_ENV = "__NEXT_PRIVATE_ORIGIN";

/** The part of the built configuration the launcher reads or completes; the rest passes through untouched. */
export type BuiltNextConfig = {
  experimental: { serverActions?: { allowedOrigins?: string[]; [setting: string]: unknown }; [setting: string]: unknown };
  [setting: string]: unknown;
};

export type { RequestHandler };

/** The options of `next()` the launcher passes; Pick fails the typecheck if Next drops one. */
export type NextOptions = Required<Pick<NextServerOptions, "dir" | "hostname" | "port">> & { dev: false; conf: BuiltNextConfig };

type NextApp = { prepare: () => Promise<void>; getRequestHandler: () => RequestHandler };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The build's Next configuration from `<dir>/.next/required-server-files.json`; throws naming what is missing. */
export function readBuiltNextConfig(dir: string): BuiltNextConfig {
  const file = join(dir, REQUIRED_SERVER_FILES);
  const manifest: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!isObject(manifest) || !isObject(manifest.config)) {
    throw new Error(`${file} has no "config" object: the installed Next changed required-server-files.json (see server/next-internals.ts)`);
  }
  if (!isObject(manifest.config.experimental)) {
    throw new Error(`${file} has no "config.experimental" object: the installed Next changed its configuration's shape (see server/next-internals.ts)`);
  }
  return manifest.config as BuiltNextConfig;
}

/** Written by `next build`: every Server Action of the build, by id, under `node` (build/webpack/plugins/flight-client-entry-plugin). */
export const SERVER_REFERENCE_MANIFEST = join(".next", "server", "server-reference-manifest.json");

/** This build's Server Actions (what a form's `$ACTION_…` fields may name): id → the source file that defines it; throws naming what moved. */
export function readServerActions(dir: string): Map<string, string> {
  const file = join(dir, SERVER_REFERENCE_MANIFEST);
  const manifest: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!isObject(manifest) || !isObject(manifest.node)) {
    throw new Error(`${file} has no "node" object: the installed Next changed its server reference manifest (see server/next-internals.ts)`);
  }
  const actions = new Map<string, string>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (!isObject(entry) || typeof entry.filename !== "string") {
      throw new Error(`${file}: the action ${id} has no "filename": the installed Next changed its server reference manifest (see server/next-internals.ts)`);
    }
    actions.set(id, entry.filename);
  }
  return actions;
}

/** The origin Next should use to reach this server: plain HTTP on the address it listens on (0.0.0.0 and :: via loopback). */
export function selfOrigin(hostname: string, port: number): string {
  if (hostname === "0.0.0.0") return `http://127.0.0.1:${port}`;
  if (hostname === "::" || hostname === "[::]") return `http://[::1]:${port}`;
  return `http://${hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname}:${port}`;
}

/** Next's request handler for the standalone build in `options.dir`, prepared as the generated server.js would. */
export async function prepareNextHandler(options: NextOptions): Promise<RequestHandler> {
  process.env[STANDALONE_CONFIG_ENV] = JSON.stringify(options.conf);
  process.env[ORIGIN_ENV] = selfOrigin(options.hostname, options.port);
  // From the standalone folder's traced node_modules at run time, not bundled into start.mjs.
  const next = createRequire(join(options.dir, "server.js"))("next") as (options: NextOptions) => NextApp;
  const app = next(options);
  await app.prepare();
  return app.getRequestHandler();
}
