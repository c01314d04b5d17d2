// Migrations and the db:* CLIs against real files in a temp folder.
import { execFile, spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { openClient } from "@/db/connection/client";
import { appliedMigrationCount, applyMigrations } from "@/db/operations/migrate";
import { ROOT } from "../support/server";
import { makeTempDir } from "../support/temp-db";

const run = promisify(execFile);
const dir = makeTempDir("registrants-migrations-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const cli = (script: string, url: string) =>
  run(TSX, [join(ROOT, "db", script)], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } });

/** util-linux `script` gives the command a pseudo-terminal; stdout is sent to a file, so only stderr is on it. */
const HAS_SCRIPT = spawnSync("script", ["--version"]).status === 0;
const shellQuoted = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

describe("applyMigrations", () => {
  test("creates the registrants table and its unique email index in an empty file, once", async () => {
    const client = openClient({ url: `file:${join(dir, "empty.db")}` });
    try {
      expect(await appliedMigrationCount(client)).toBe(0);
      await applyMigrations(client);
      const applied = await appliedMigrationCount(client);
      expect(applied).toBeGreaterThan(0);
      await applyMigrations(client);
      expect(await appliedMigrationCount(client)).toBe(applied);

      const columns = await client.execute("PRAGMA table_info(registrants)");
      expect(columns.rows.map((column) => column.name)).toEqual(["id", "name", "email", "created_at"]);
      const indexes = await client.execute("PRAGMA index_list(registrants)");
      expect(indexes.rows.some((index) => index.name === "registrants_email_unique" && Number(index.unique) === 1)).toBe(true);
    } finally {
      client.close();
    }
  });
});

describe("db:migrate and db:seed", () => {
  test("migrate creates the folder and file, then is a no-op the second time", async () => {
    const url = `file:${join(dir, "nested", "folder", "cli.db")}`;
    const first = await cli("cli/migrate.ts", url);
    expect(first.stdout).toMatch(/applied 3 migrations/);
    const second = await cli("cli/migrate.ts", url);
    expect(second.stdout).toMatch(/is up to date/);

    const client = openClient({ url });
    try {
      const mode = await client.execute("PRAGMA journal_mode");
      expect(mode.rows[0].journal_mode).toBe("wal");
    } finally {
      client.close();
    }
  });

  test("seed adds Alice once, however often it runs", async () => {
    const url = `file:${join(dir, "seed.db")}`;
    await cli("cli/migrate.ts", url);
    expect((await cli("cli/seed.ts", url)).stdout).toMatch(/added 1 registrant/);
    expect((await cli("cli/seed.ts", url)).stdout).toMatch(/nothing to add/);
    const client = openClient({ url });
    try {
      const { rows } = await client.execute("SELECT name, email FROM registrants");
      expect(rows.map((row) => ({ ...row }))).toEqual([{ name: "Alice", email: "alice@example.com" }]);
    } finally {
      client.close();
    }
  });

  test.each([
    ["an unreachable server", "http://127.0.0.1:9"],
    ["a path that cannot be a folder", "file:/dev/null/cannot.db"],
  ])("migrate exits non-zero with a clear message for %s", async (_label, url) => {
    const failure = await cli("cli/migrate.ts", url).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^db:migrate failed for /m);
    expect(failure?.stderr).not.toMatch(/\n\s+at /); // a reason, not a stack trace
  });

  test("the printed line names the database without the auth token of its URL", async () => {
    const token = "eyJhbGciOiJFZERTQSJ9.token-that-must-never-be-printed";
    const success = await cli("cli/migrate.ts", `file:${join(dir, "token.db")}?authToken=${token}`);
    expect(success.stdout).toMatch(/token\.db\?authToken=\*\*\* /);
    expect(success.stdout + success.stderr).not.toContain(token);
    const failure = await cli("cli/migrate.ts", `http://127.0.0.1:9?authToken=${token}`).catch((error: { stdout: string; stderr: string }) => error);
    expect(failure.stderr).toMatch(/^db:migrate failed for http:\/\/127\.0\.0\.1:9\?authToken=\*\*\*:/m);
    expect(failure.stdout + failure.stderr).not.toContain(token);
  });

  test("migrate refuses a DATABASE_URL that is not libSQL", async () => {
    const failure = await cli("cli/migrate.ts", "mysql://localhost/db").catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/DATABASE_URL must be a libSQL URL/);
  });

  test.skipIf(!HAS_SCRIPT)("on a terminal, migrate shows on stderr which migrations it is applying; stdout keeps its one line", async () => {
    const stdoutFile = join(dir, "terminal-migrate.txt");
    const command = `${[TSX, join(ROOT, "db", "cli", "migrate.ts")].map(shellQuoted).join(" ")} > ${shellQuoted(stdoutFile)}`;
    const env = { ...process.env, DATABASE_URL: `file:${join(dir, "terminal.db")}` };
    const { stdout: terminal } = await run("script", ["-qfec", command, "/dev/null"], { cwd: ROOT, env });
    // The line is cut to the terminal's width (80 columns when a pseudo-terminal was never sized).
    expect(terminal).toMatch(/^\rdb:migrate: applying \d+ migrations in one transaction: 0000_init, [^\r]*\x1b\[K\r\x1b\[K$/);
    expect(readFileSync(stdoutFile, "utf8")).toMatch(/^db:migrate: applied \d+ migrations to [^\r]*\.\n$/);
    const plain = await cli("cli/migrate.ts", `file:${join(dir, "plain.db")}`);
    expect(plain.stderr).toBe("");
    expect(plain.stdout).toMatch(/^db:migrate: applied \d+ migrations to [^\r]*\.\n$/);
  });
});
