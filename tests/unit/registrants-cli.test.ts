// The operator's CLI (npm run db:registrants) against real files: list, export (streamed: 100,000
// rows under a heap cap that loading them all would blow), remove (an erasure request), --help, and
// what a bad flag says, where --out may write, and the progress line on a terminal.
import { existsSync, lstatSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { terminalProgress } from "@/db/operations/progress";
import { ROOT } from "../support/server";
import { cli, cliWithTerminalStderr, HAS_SCRIPT, migratedFile as migratedFileIn } from "../support/registrants-cli";
import { makeTempDir } from "../support/temp-db";

const dir = makeTempDir("registrants-cli-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The heap the export runs under, far below what 100,000 long rows take once loaded as objects.
 * It is the child's whole heap: tsx compiles the CLI's TypeScript inside it, which needs headroom of its
 * own (at 32 MiB one export in a full parallel run died).
 */
const HEAP_MIB = 48;

const migratedFile = (name: string, seed: Parameters<typeof migratedFileIn>[2]) => migratedFileIn(dir, name, seed);

describe("db:registrants list and remove", () => {
  let url = "";
  beforeAll(async () => {
    url = await migratedFile("small.db", (client) =>
      client.batch(Array.from({ length: 60 }, (_, i) => ({ sql: "INSERT INTO registrants (name, email) VALUES (?, ?)", args: [`Person ${i + 1}`, `p${i + 1}@example.com`] }))),
    );
  });

  test("list shows a page of the public list, newest first, with the page count", async () => {
    const first = await cli(url, ["list"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("page 1 of 2 (60 registrants, newest first)");
    expect(first.stdout).toMatch(/^60\tPerson 60\tp60@example\.com$/m);
    const second = await cli(url, ["list", "--page", "2"]);
    expect(second.stdout.trim().split("\n").slice(2)).toEqual(Array.from({ length: 10 }, (_, i) => `${10 - i}\tPerson ${10 - i}\tp${10 - i}@example.com`));
  });

  test("remove erases one person by email (any letter case), says what it removed, and exits 1 the second time", async () => {
    const removed = await cli(url, ["remove", "  P7@Example.COM "]);
    expect(removed).toMatchObject({ code: 0 });
    expect(removed.stdout).toMatch(/removed registrant 7 \(Person 7 <p7@example\.com>/);
    const again = await cli(url, ["remove", "p7@example.com"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("no registrant with that email");
    expect((await cli(url, ["list", "--page", "2"])).stdout).not.toContain("Person 7\t");
  }, 30_000);

  test("--help for each command, and a clear error with exit 2 for a bad command, flag or value", async () => {
    for (const command of ["list", "export", "remove"]) {
      const help = await cli(url, [command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`npm run db:registrants -- ${command}`);
    }
    const cases: [string[], RegExp][] = [
      [["list", "--pag", "2"], /Unknown option '--pag'/],
      [["list", "--page", "0"], /--page must be a whole number/],
      [["export"], /export needs --format csv or --format json/],
      [["export", "--format", "xml"], /--format must be csv or json, not "xml"/],
      [["remove"], /remove needs exactly one EMAIL/],
      [["erase", "x@example.com"], /unknown command "erase"/],
    ];
    for (const [args, message] of cases) {
      const outcome = await cli(url, args);
      expect(outcome.code, args.join(" ")).toBe(2);
      expect(outcome.stderr).toMatch(message);
      expect(outcome.stderr).toContain("Usage:");
    }
  }, 90_000);

  test("follows db:migrate's DATABASE_URL rules: a bad URL fails with exit 1 and says why", async () => {
    const outcome = await cli("postgres://nope", ["list"]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/DATABASE_URL/);
  });
});

describe("db:registrants export of names a spreadsheet would run", () => {
  test("CSV cells that start with = + - or @ are prefixed with an apostrophe; JSON keeps them exactly", async () => {
    const names = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+SUM(1,2)", "-2+3", "@cmd", "Ada = fine"];
    const url = await migratedFile("formulas.db", async (client) => {
      for (const [i, name] of names.entries()) await client.execute({ sql: "INSERT INTO registrants (name, email) VALUES (?, ?)", args: [name, `f${i}@example.com`] });
    });
    const csv = (await cli(url, ["export", "--format", "csv"])).stdout.split("\r\n").slice(1, -1);
    expect(csv.map((line) => line.split(",")[0])).toEqual(["1", "2", "3", "4", "5"]);
    expect(csv[0]).toMatch(/^1,"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\)",f0@example\.com,/);
    expect(csv[1]).toMatch(/^2,"'\+SUM\(1,2\)",f1@example\.com,/);
    expect(csv[2]).toMatch(/^3,'-2\+3,f2@example\.com,/);
    expect(csv[3]).toMatch(/^4,'@cmd,f3@example\.com,/);
    expect(csv[4]).toMatch(/^5,Ada = fine,f4@example\.com,/);
    const json = JSON.parse((await cli(url, ["export", "--format", "json"])).stdout) as { name: string }[];
    expect(json.map((row) => row.name)).toEqual(names);
  }, 60_000);

  test("CSV cells that start with a tab, a carriage return or a line feed are prefixed too", async () => {
    const names = ["\t=1+1", "\r=1+1", "\n=1+1", "Tab\tinside"];
    const url = await migratedFile("control-formulas.db", async (client) => {
      for (const [i, name] of names.entries()) await client.execute({ sql: "INSERT INTO registrants (name, email) VALUES (?, ?)", args: [name, `c${i}@example.com`] });
    });
    const csv = (await cli(url, ["export", "--format", "csv"])).stdout;
    expect(csv).toContain("\r\n1,'\t=1+1,c0@example.com,");
    expect(csv).toContain('\r\n2,"\'\r=1+1",c1@example.com,');
    expect(csv).toContain('\r\n3,"\'\n=1+1",c2@example.com,');
    expect(csv).toContain("\r\n4,Tab\tinside,c3@example.com,");
  }, 60_000);
});

describe("db:registrants export --out FILE (it holds every registrant's email)", () => {
  let url = "";
  beforeAll(async () => {
    url = await migratedFile("out.db", (client) => client.execute("INSERT INTO registrants (name, email) VALUES ('Out Person', 'out@example.com')"));
  });
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  test("creates a new file readable by its owner alone", async () => {
    const out = join(dir, "new-export.csv");
    const outcome = await cli(url, ["export", "--format", "csv", "--out", out]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("out@example.com");
    expect(modeOf(out)).toBe(0o600);
  });

  test("refuses an existing file, a symlink and a dangling symlink with exit 1, changing nothing", async () => {
    const existing = join(dir, "existing.csv");
    writeFileSync(existing, "keep me\n", { mode: 0o644 });
    const target = join(dir, "link-target.txt");
    writeFileSync(target, "not yours\n");
    const link = join(dir, "link.csv");
    symlinkSync(target, link);
    const dangling = join(dir, "dangling.csv");
    const nowhere = join(dir, "nowhere", "file.csv");
    symlinkSync(nowhere, dangling);
    for (const out of [existing, link, dangling]) {
      const outcome = await cli(url, ["export", "--format", "csv", "--out", out]);
      expect(outcome.code, out).toBe(1);
      expect(outcome.stderr).toContain(`${out} already exists`);
      expect(outcome.stderr).toContain("--force");
    }
    expect(readFileSync(existing, "utf8")).toBe("keep me\n");
    expect(readFileSync(target, "utf8")).toBe("not yours\n");
    expect(readlinkSync(link)).toBe(target);
    expect(existsSync(nowhere)).toBe(false);
  }, 60_000);

  test("--force replaces a file or a symlink with a new private file, never writing through the link", async () => {
    const existing = join(dir, "replace-me.csv");
    writeFileSync(existing, "old export\n", { mode: 0o644 });
    const target = join(dir, "forced-link-target.txt");
    writeFileSync(target, "not yours\n");
    const link = join(dir, "forced-link.csv");
    symlinkSync(target, link);
    for (const out of [existing, link]) {
      const outcome = await cli(url, ["export", "--format", "csv", "--out", out, "--force"]);
      expect(outcome.code, outcome.stderr).toBe(0);
      expect(lstatSync(out).isFile()).toBe(true);
      expect(readFileSync(out, "utf8")).toContain("out@example.com");
      expect(modeOf(out)).toBe(0o600);
    }
    expect(readFileSync(target, "utf8")).toBe("not yours\n");
  }, 60_000);

  test("--force without --out is a usage error (exit 2)", async () => {
    const outcome = await cli(url, ["export", "--format", "csv", "--force"]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("--force goes with --out FILE");
  });
});

describe("db:registrants export", () => {
  const ROWS = 100_000;
  let url = "";
  beforeAll(async () => {
    // ~330 characters a row: 33 MB of text, several times the heap cap once held as objects.
    url = await migratedFile("large.db", (client) =>
      client.execute(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${ROWS})
        INSERT INTO registrants (name, email) SELECT 'Name ' || i || ', "quoted" ' || replace(hex(zeroblob(120)), '00', 'ab'),
          'p' || i || '.' || replace(hex(zeroblob(60)), '00', 'x') || '@example.com' FROM seq`),
    );
  }, 60_000);

  test(`streams ${ROWS.toLocaleString("en-US")} rows as JSON and CSV under a ${HEAP_MIB} MiB heap`, async () => {
    const json = join(dir, "all.json");
    const jsonRun = await cli(url, ["export", "--format", "json", "--out", json], { heapMiB: HEAP_MIB });
    expect(jsonRun.stderr).toContain(`exported ${ROWS} registrants`);
    expect(jsonRun.code, `${jsonRun.signal ?? ""} ${jsonRun.stderr.slice(-2_000)}`).toBe(0);
    const rows = JSON.parse(readFileSync(json, "utf8")) as { id: number; name: string; email: string; createdAt: string }[];
    expect(rows).toHaveLength(ROWS);
    expect(rows[0]).toMatchObject({ id: 1, name: expect.stringMatching(/^Name 1, "quoted" (ab){120}$/), createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(rows.at(-1)!.id).toBe(ROWS);

    const csvRun = await cli(url, ["export", "--format", "csv"], { heapMiB: HEAP_MIB }); // to stdout
    expect(csvRun.code, `${csvRun.signal ?? ""} ${csvRun.stderr.slice(-2_000)}`).toBe(0);
    const lines = csvRun.stdout.split("\r\n");
    expect(lines[0]).toBe("id,name,email,created_at");
    expect(lines).toHaveLength(ROWS + 2); // header, rows, and the empty string after the last CRLF
    expect(lines[1]).toMatch(/^1,"Name 1, ""quoted"" (ab){120}",p1\.x{60}@example\.com,\d{4}-/);
  }, 120_000);

  test.skipIf(!HAS_SCRIPT)("on a terminal, stderr shows a running count; stdout is byte for byte what a pipe-only run gives", async () => {
    const plain = await cli(url, ["export", "--format", "csv"]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(new RegExp(`^db:registrants: exported ${ROWS} registrants from [^\\r\\n]*\\.\\n$`)); // nothing but the last line
    const stdoutFile = join(dir, "terminal-run.csv");
    const onTerminal = await cliWithTerminalStderr(url, ["export", "--format", "csv"], stdoutFile);
    expect(onTerminal.code, onTerminal.terminal.slice(-2_000)).toBe(0);
    expect(onTerminal.terminal).toMatch(/\rdb:registrants: exported 1,000 registrants…\x1b\[K/);
    expect(onTerminal.terminal).toContain(`exported ${ROWS} registrants from`);
    expect(readFileSync(stdoutFile).equals(Buffer.from(plain.stdout))).toBe(true);
  }, 120_000);

  test("the heap cap is real: reading every row at once does not fit in it", async () => {
    const loadAll = join(ROOT, "tests", "support", "load-every-registrant.ts");
    const outcome = await cli(url, [], { heapMiB: HEAP_MIB, script: loadAll });
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toMatch(/heap out of memory/i);
  }, 120_000);
});

describe("the progress line (db/operations/progress.ts)", () => {
  const fakeStream = (isTTY: boolean, columns = 80) => {
    const written: string[] = [];
    return { written, stream: { isTTY, columns, write: (text: string) => written.push(text) } };
  };

  test("says nothing when stderr is not a terminal", () => {
    const { written, stream } = fakeStream(false);
    const progress = terminalProgress(stream);
    progress.step("applying 0001…");
    progress.update("exported 1,000…");
    progress.clear();
    expect(written).toEqual([]);
  });

  test("on a terminal, rewrites one line in place, counts at most once an interval, and erases it at the end", () => {
    const { written, stream } = fakeStream(true);
    let clock = 0;
    const progress = terminalProgress(stream, { intervalMs: 250, now: () => clock });
    progress.update("exported 1,000 registrants…");
    clock = 100;
    progress.update("exported 2,000 registrants…");
    clock = 300;
    progress.update("exported 3,000 registrants…");
    progress.step("a step shows at once");
    progress.clear();
    expect(written).toEqual([
      "\rexported 1,000 registrants…\x1b[K",
      "\rexported 3,000 registrants…\x1b[K",
      "\ra step shows at once\x1b[K",
      "\r\x1b[K",
    ]);
  });

  test("a line is cut to the terminal's width so it never wraps", () => {
    const { written, stream } = fakeStream(true, 10);
    terminalProgress(stream).step("0123456789abcdef");
    expect(written).toEqual(["\r012345678\x1b[K"]);
  });
});
