// The launcher leans on parts of Next that are not public API (server/next-internals.ts). These
// read the installed Next's own sources and the built files, so an upgrade that moves any of them
// fails here, saying what changed, instead of in production (a lost configuration, or Server
// Actions fetching https:// from a plain-HTTP port behind a proxy).
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { ORIGIN_ENV, readBuiltNextConfig, REQUIRED_SERVER_FILES, selfOrigin, STANDALONE_CONFIG_ENV } from "@/server/next-internals";

const ROOT = join(import.meta.dirname, "..", "..");
const NEXT = join(ROOT, "node_modules", "next");
const nextVersion = () => (JSON.parse(readFileSync(join(NEXT, "package.json"), "utf8")) as { version: string }).version;

/** A file of the installed Next, with a message naming it and the version when it is gone. */
function nextSource(path: string): string {
  const file = join(NEXT, path);
  if (!existsSync(file)) throw new Error(`next@${nextVersion()} has no ${path} any more: server/next-internals.ts needs a look`);
  return readFileSync(file, "utf8");
}

function expectSource(path: string, pattern: RegExp, what: string) {
  expect(pattern.test(nextSource(path)), `next@${nextVersion()} ${path}: ${what} (server/next-internals.ts relies on it)`).toBe(true);
}

test(`Next's config loader still takes the complete configuration from ${STANDALONE_CONFIG_ENV}`, () => {
  expectSource("dist/server/config.js", new RegExp(`JSON\\.parse\\(process\\.env\\.${STANDALONE_CONFIG_ENV}\\)`), `no longer parses process.env.${STANDALONE_CONFIG_ENV}`);
});

test(`Next's action handler still fetches a redirect's target from ${ORIGIN_ENV}, which its own start-server.js sets`, () => {
  expectSource("dist/server/app-render/action-handler.js", new RegExp(`process\\.env\\.${ORIGIN_ENV}\\b`), `no longer reads process.env.${ORIGIN_ENV}`);
  expectSource("dist/server/lib/start-server.js", new RegExp(`process\\.env\\.${ORIGIN_ENV} = `), `no longer sets process.env.${ORIGIN_ENV}`);
});

test("Next's generated server.js still does what the launcher copies: the standalone config and KEEP_ALIVE_TIMEOUT", () => {
  const template = "dist/build/utils.js";
  expectSource(template, new RegExp(`process\\.env\\.${STANDALONE_CONFIG_ENV} = JSON\\.stringify\\(nextConfig\\)`), `server.js no longer sets ${STANDALONE_CONFIG_ENV}`);
  expectSource(template, /parseInt\(process\.env\.KEEP_ALIVE_TIMEOUT, 10\)/, "server.js no longer reads KEEP_ALIVE_TIMEOUT (README documents it as Next's)");
});

test("next() still takes the options the launcher passes (dir, dev, hostname, port, conf)", () => {
  const options = nextSource("dist/server/base-server.d.ts");
  for (const option of ["conf: NextConfig", "dev?: boolean", "dir?: string", "hostname?: string", "port?: number"]) {
    expect(options.includes(option), `next@${nextVersion()} base-server.d.ts Options has no \`${option}\``).toBe(true);
  }
});

test("`next build` still writes the complete configuration, experimental settings included, into required-server-files.json", () => {
  expectSource("dist/build/index.js", /const serverFilesManifest = \{\s*version: 1,\s*config: \{[\s\S]{0,800}experimental: \{/, "the manifest no longer has config.experimental");
});

// The built manifest itself is checked after the build, in tests/e2e/next-build-manifest.spec.ts.

test("a required-server-files.json without the configuration is refused, naming what is missing", () => {
  const dir = mkdtempSync(join(tmpdir(), "next-internals-"));
  try {
    mkdirSync(join(dir, ".next"));
    writeFileSync(join(dir, REQUIRED_SERVER_FILES), JSON.stringify({ version: 2, files: [] }));
    expect(() => readBuiltNextConfig(dir)).toThrow(/has no "config" object/);
    writeFileSync(join(dir, REQUIRED_SERVER_FILES), JSON.stringify({ version: 1, config: { distDir: ".next" } }));
    expect(() => readBuiltNextConfig(dir)).toThrow(/has no "config.experimental" object/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Next reaches this server on plain HTTP at the address it listens on, loopback for a wildcard", () => {
  expect(selfOrigin("0.0.0.0", 3000)).toBe("http://127.0.0.1:3000");
  expect(selfOrigin("::", 3000)).toBe("http://[::1]:3000");
  expect(selfOrigin("127.0.0.1", 8080)).toBe("http://127.0.0.1:8080");
  expect(selfOrigin("fd00::1", 8080)).toBe("http://[fd00::1]:8080");
  expect(selfOrigin("app.internal", 3000)).toBe("http://app.internal:3000");
});
