// One rule for .env files (lib/env-files.ts): the db:* CLIs and drizzle-kit's config read them as
// `next dev` does. Each case runs the real command in a temp folder of its own (its working
// directory, as npm gives a script), with none of the variables in its environment.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { ROOT } from "../support/server";
import { makeTempDir } from "../support/temp-db";

const run = promisify(execFile);
const dir = makeTempDir("registrants-env-files-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TSX = join(ROOT, "node_modules", ".bin", "tsx");
/** The environment of a fresh shell: no DATABASE_URL, no NODE_ENV (vitest sets "test"). */
function bareEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env, ...extra };
  for (const name of ["DATABASE_URL", "DATABASE_AUTH_TOKEN", "NODE_ENV"]) if (!(name in extra)) delete env[name];
  return env as NodeJS.ProcessEnv;
}

/** A folder holding the given .env files, as a project checkout would. */
function projectWith(name: string, files: Record<string, string>): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
  return folder;
}

const migrateIn = (cwd: string, env: Record<string, string> = {}) =>
  run(TSX, [join(ROOT, "db", "cli", "migrate.ts")], { cwd, env: bareEnv(env) });

describe("the db:* CLIs read .env files as next dev does", () => {
  test("db:migrate takes DATABASE_URL from .env", async () => {
    const cwd = projectWith("dotenv", { ".env": "DATABASE_URL=file:./from-dotenv.db\n" });
    const { stdout } = await migrateIn(cwd);
    expect(stdout).toMatch(/applied \d+ migrations? to file:\.\/from-dotenv\.db/);
    expect(existsSync(join(cwd, "from-dotenv.db"))).toBe(true);
  });

  test(".env.local wins over .env.development, which wins over .env", async () => {
    const cwd = projectWith("layers", {
      ".env": "DATABASE_URL=file:./base.db\n",
      ".env.development": "DATABASE_URL=file:./development.db\n",
      ".env.local": "DATABASE_URL=file:./local.db\n",
    });
    expect((await migrateIn(cwd)).stdout).toMatch(/file:\.\/local\.db/);
    expect(existsSync(join(cwd, "base.db")) || existsSync(join(cwd, "development.db"))).toBe(false);
  });

  test("NODE_ENV=production reads .env.production, not .env.development", async () => {
    const cwd = projectWith("production", {
      ".env.development": "DATABASE_URL=file:./development.db\n",
      ".env.production": "DATABASE_URL=file:./production.db\n",
    });
    expect((await migrateIn(cwd, { NODE_ENV: "production" })).stdout).toMatch(/file:\.\/production\.db/);
  });

  test("a variable set in the environment wins over every file", async () => {
    const cwd = projectWith("environment-wins", { ".env": "DATABASE_URL=file:./from-file.db\n", ".env.local": "DATABASE_URL=file:./from-local.db\n" });
    expect((await migrateIn(cwd, { DATABASE_URL: "file:./from-environment.db" })).stdout).toMatch(/file:\.\/from-environment\.db/);
    expect(existsSync(join(cwd, "from-file.db")) || existsSync(join(cwd, "from-local.db"))).toBe(false);
  });

  test("a malformed DATABASE_URL in .env is refused with the variable's name, as one from the environment is", async () => {
    const cwd = projectWith("malformed", { ".env": "DATABASE_URL=mysql://localhost/db\n" });
    const failure = await migrateIn(cwd).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringMatching(/DATABASE_URL must be a libSQL URL/) });
  });
});

test("drizzle-kit's config (db:generate, db:studio) reads the same files", async () => {
  const cwd = projectWith("drizzle-kit", { ".env": "DATABASE_URL=file:./kit.db\nDATABASE_AUTH_TOKEN=token-from-dotenv\n" });
  const probe = join(cwd, "print-config.ts");
  writeFileSync(probe, `import config from ${JSON.stringify(join(ROOT, "drizzle.config.ts"))};\nconsole.log(JSON.stringify(config.dbCredentials));\n`);
  const { stdout } = await run(TSX, [probe], { cwd, env: bareEnv() });
  expect(JSON.parse(stdout)).toEqual({ url: "file:./kit.db", authToken: "token-from-dotenv" });
});
