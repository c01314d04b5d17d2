// The clean-up after a flood (npm run db:registrants -- remove-matching), run as a real process on
// real SQLite files: the dry run, the refusal without a terminal, --yes, each filter and their AND,
// rows that almost match, a large removal in batches with the counters still equal to a recount (on a
// sqld too), and on a pseudo-terminal the typed confirmation and the progress line. Then the parts alone: the prompt
// on injected streams, and the batched removal's bound (nothing newer than what was shown).
import { existsSync, readFileSync, rmSync } from "node:fs";
import { PassThrough } from "node:stream";
import type { Client } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { afterAll, describe, expect, test } from "vitest";
import { askToConfirm, isConfirmation } from "@/db/cli/confirm";
import { openClient } from "@/db/connection/client";
import { applyMigrations } from "@/db/operations/migrate";
import { previewRemoval, removeRegistrantByEmail, removeRegistrants } from "@/db/operations/registrant-removal";
import * as schema from "@/db/schema";
import { BUCKET_BITS } from "@/db/schema";
import { cli, cliOnTerminal, HAS_SCRIPT, migratedFile } from "../support/registrants-cli";
import { startSqld } from "../support/sqld";
import { makeTempDir } from "../support/temp-db";

const dir = makeTempDir("registrants-remove-matching-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = { name: string; email: string; at?: string };
let files = 0;
/** A fresh database holding `rows` with ids 1, 2, 3… in their order; `at` is the time of registration (ISO). */
async function databaseWith(rows: Row[]): Promise<string> {
  files += 1;
  return migratedFile(dir, `db-${files}.db`, (client) =>
    client.batch(
      rows.map(({ name, email, at }) => ({
        sql: "INSERT INTO registrants (name, email, created_at) VALUES (?, ?, coalesce(?, unixepoch()))",
        args: [name, email, at === undefined ? null : Date.parse(at) / 1000],
      })),
    ),
  );
}

async function withClient<T>(url: string, read: (client: Client) => Promise<T>): Promise<T> {
  const client = openClient({ url });
  try {
    return await read(client);
  } finally {
    client.close();
  }
}

const storedEmails = (url: string) => withClient(url, async (client) => (await client.execute("SELECT email FROM registrants ORDER BY id")).rows.map((row) => String(row.email)));
const storedIds = (url: string) => withClient(url, async (client) => (await client.execute("SELECT id FROM registrants ORDER BY id")).rows.map((row) => Number(row.id)));

/** The list's counters against a recount of the rows: what every instance's pages and cache read. */
const counters = (url: string) =>
  withClient(url, async (client) => {
    const [stats, recount, kept, actual] = await client.batch([
      "SELECT total, version FROM registrant_stats WHERE id = 1",
      "SELECT count(*) AS n FROM registrants",
      "SELECT bucket, count AS n FROM registrant_buckets WHERE count <> 0 ORDER BY bucket",
      `SELECT id >> ${BUCKET_BITS} AS bucket, count(*) AS n FROM registrants GROUP BY bucket ORDER BY bucket`,
    ]);
    const pairs = (rows: Record<string, unknown>[]) => rows.map((row) => `${row.bucket}:${row.n}`).join(" ");
    return { total: Number(stats.rows[0].total), version: Number(stats.rows[0].version), recount: Number(recount.rows[0].n), buckets: pairs(kept.rows), bucketsRecounted: pairs(actual.rows) };
  });

/** Rows of one domain, and rows that only look like it. */
const DOMAIN_ROWS: Row[] = [
  { name: "Spam One", email: "one@spam.example" },
  { name: "Evil Twin", email: "x@spam.example.evil" },
  { name: "Spam Two", email: "TWO@Spam.Example" }, // stored by hand: the app stores emails lower-cased
  { name: "Subdomain", email: "x@sub.spam.example" },
  { name: "Longer Name", email: "x@notspam.example" },
  { name: "Local Part", email: "spam.example@other.example" },
  { name: "Underscore", email: "x@spamxexample" },
  { name: "Spam Three", email: "three@spam.example" },
];
const DOMAIN_MATCHES = ["one@spam.example", "TWO@Spam.Example", "three@spam.example"];
const DOMAIN_OTHERS = DOMAIN_ROWS.map((row) => row.email).filter((email) => !DOMAIN_MATCHES.includes(email));

describe("remove-matching shows first and removes only when told", () => {
  test("a dry run shows the count and the matching rows (names and emails), removes nothing and exits 0", async () => {
    const url = await databaseWith(DOMAIN_ROWS);
    const outcome = await cli(url, ["remove-matching", "--email-domain", "spam.example", "--dry-run"]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain(`db:registrants: 3 of 8 registrants in ${url} match email domain spam.example.`);
    expect(outcome.stdout).toMatch(/^1\tSpam One\tone@spam\.example\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    expect(outcome.stdout).toMatch(/^3\tSpam Two\tTWO@Spam\.Example\t/m);
    expect(outcome.stdout).toMatch(/^8\tSpam Three\tthree@spam\.example\t/m);
    expect(outcome.stdout).not.toContain("Evil Twin");
    expect(outcome.stdout).toContain("dry run: nothing removed.");
    expect(await storedEmails(url)).toEqual(DOMAIN_ROWS.map((row) => row.email));
  });

  test("without a terminal and without --yes it shows, refuses with exit 1 and removes nothing", async () => {
    const url = await databaseWith(DOMAIN_ROWS);
    const before = await counters(url);
    const outcome = await cli(url, ["remove-matching", "--email-domain", "spam.example"]);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain("3 of 8 registrants");
    expect(outcome.stderr).toContain("refused: nobody can confirm (stdin is not a terminal), so nothing was removed. Add --yes to remove these 3 registrants");
    expect(await storedEmails(url)).toEqual(DOMAIN_ROWS.map((row) => row.email));
    expect(await counters(url)).toEqual(before);
  });

  test("with --yes it removes exactly that domain in any letter case, and none of the rows that only look like it", async () => {
    const url = await databaseWith(DOMAIN_ROWS);
    const outcome = await cli(url, ["remove-matching", "--email-domain", "SPAM.example", "--yes"]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain(`db:registrants: removed 3 registrants matching email domain spam.example from ${url}, in 1 batch of at most 500.`);
    expect(await storedEmails(url)).toEqual(DOMAIN_OTHERS);
  });

  test("an underscore in a domain is an underscore, not a wildcard; a leading @ is allowed", async () => {
    const url = await databaseWith(DOMAIN_ROWS);
    const underscore = await cli(url, ["remove-matching", "--email-domain", "spam_example", "--yes"]);
    expect(underscore.code, underscore.stderr).toBe(0);
    expect(underscore.stdout).toContain("0 of 8 registrants");
    const leadingAt = await cli(url, ["remove-matching", "--email-domain", "@sub.spam.example", "--yes"]);
    expect(leadingAt.stdout).toContain("removed 1 registrant matching email domain sub.spam.example");
    expect(await storedEmails(url)).toEqual(DOMAIN_ROWS.map((row) => row.email).filter((email) => email !== "x@sub.spam.example"));
  });

  test("nothing matched is exit 0 and says so", async () => {
    const url = await databaseWith(DOMAIN_ROWS);
    const outcome = await cli(url, ["remove-matching", "--email-domain", "nobody.example"]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain("0 of 8 registrants");
    expect(outcome.stdout).toContain("db:registrants: nothing to remove.");
  });

  test("a match of every row says so before anything is removed", async () => {
    const url = await databaseWith(DOMAIN_ROWS);
    const outcome = await cli(url, ["remove-matching", "--ids", "1-100", "--dry-run"]);
    expect(outcome.stdout).toContain("8 of 8 registrants in");
    expect(outcome.stdout).toContain("(that is every registrant)");
  });

  test("no filter, or a value that could mean two things, is a usage error (exit 2) that removes nothing", async () => {
    const url = await databaseWith(DOMAIN_ROWS);
    const cases: [string[], RegExp][] = [
      [["remove-matching", "--yes"], /needs at least one filter .* it never removes everyone/],
      [["remove-matching"], /needs at least one filter/],
      [["remove-matching", "--email-domain", "*.spam.example", "--yes"], /--email-domain takes one exact domain/],
      [["remove-matching", "--email-domain", "spam%", "--yes"], /--email-domain takes one exact domain/],
      [["remove-matching", "--email-domain", "x@spam.example", "--yes"], /--email-domain takes one exact domain/],
      [["remove-matching", "--email-domain", "", "--yes"], /--email-domain takes one exact domain/],
      [["remove-matching", "--name-like", "spam\\", "--yes"], /--name-like takes a SQL LIKE pattern/],
      [["remove-matching", "--name-like", "sp\\am", "--yes"], /--name-like takes a SQL LIKE pattern/],
      [["remove-matching", "--email-like", "", "--yes"], /--email-like takes a SQL LIKE pattern/],
      [["remove-matching", "--ids", "5-3", "--yes"], /--ids takes an id or a range/],
      [["remove-matching", "--ids", "-3", "--yes"], /--ids/],
      [["remove-matching", "--ids", "1,2", "--yes"], /--ids takes an id or a range/],
      [["remove-matching", "--since", "2026-12-01T10:00", "--yes"], /--since takes a real date and time with its zone/],
      [["remove-matching", "--since", "2026-12-01", "--yes"], /--since takes a real date and time/],
      [["remove-matching", "--until", "2026-02-30T10:00Z", "--yes"], /--until takes a real date and time/],
      [["remove-matching", "--since", "2026-12-01T11:00Z", "--until", "2026-12-01T10:00Z", "--yes"], /--since must be before --until/],
      [["remove-matching", "--ids", "1-8", "--dry-run", "--yes"], /give one of them/],
      [["remove-matching", "--ids", "1-8", "one@spam.example"], /Unexpected argument/],
    ];
    for (const [args, message] of cases) {
      const outcome = await cli(url, args);
      expect(outcome.code, args.join(" ")).toBe(2);
      expect(outcome.stderr, args.join(" ")).toMatch(message);
      expect(outcome.stderr).toContain("remove-matching FILTER...");
    }
    expect(await storedEmails(url)).toEqual(DOMAIN_ROWS.map((row) => row.email));
  }, 120_000);

  test("--help describes the filters and the confirmation", async () => {
    const help = await cli("file:unused.db", ["remove-matching", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("npm run db:registrants -- remove-matching FILTER... [--dry-run | --yes]");
    expect(help.stdout).toContain("--email-domain D");
  });

  test("the removed rows' bytes are overwritten in the file (secure_delete), where a plain DELETE leaves them", async () => {
    const marker = "Zqxj-secure-delete-marker";
    const rows = [{ name: `${marker} 1`, email: "a@spam.example" }, { name: "Kept", email: "kept@fine.example" }];
    const fileOf = (url: string) => url.slice("file:".length);
    const plain = await databaseWith(rows);
    await withClient(plain, (client) => client.execute("DELETE FROM registrants WHERE email = 'a@spam.example'"));
    expect(readFileSync(fileOf(plain)).includes(marker), "without secure_delete the name stays in a free block").toBe(true);
    const cleaned = await databaseWith(rows);
    expect((await cli(cleaned, ["remove-matching", "--email-domain", "spam.example", "--yes"])).code).toBe(0);
    expect(existsSync(`${fileOf(cleaned)}-wal`), "the CLI's close checkpointed the log into the file").toBe(false);
    expect(readFileSync(fileOf(cleaned)).includes(marker)).toBe(false);
  });

  test("stored text that would steer a terminal is shown escaped, in the preview and in list", async () => {
    const url = await databaseWith([{ name: "Red\u001b[31m \u202eevil", email: "esc@spam.example" }]);
    const preview = await cli(url, ["remove-matching", "--email-domain", "spam.example", "--dry-run"]);
    expect(preview.stdout).toContain("1\tRed\\u001b[31m \\u202eevil\tesc@spam.example\t");
    expect((await cli(url, ["list"])).stdout).toContain("1\tRed\\u001b[31m \\u202eevil\tesc@spam.example\n");
  });
});

describe("each filter, and filters together (AND)", () => {
  test("--name-like is SQL LIKE: % any run, _ one character, \\% a percent sign, letter case ignored for A-Z", async () => {
    const names = ["spam 1", "SPAM 2", "spammer", "my spam", "100% real", "100 real", "spam 10"];
    const rows = names.map((name, i) => ({ name, email: `n${i}@example.com` }));
    const remaining = async (pattern: string) => {
      const url = await databaseWith(rows);
      const outcome = await cli(url, ["remove-matching", "--name-like", pattern, "--yes"]);
      expect(outcome.code, outcome.stderr).toBe(0);
      const kept = new Set(await storedEmails(url));
      return rows.filter((row) => kept.has(row.email)).map((row) => row.name);
    };
    expect(await remaining("spam%")).toEqual(["my spam", "100% real", "100 real"]);
    expect(await remaining("spam _")).toEqual(["spammer", "my spam", "100% real", "100 real", "spam 10"]);
    expect(await remaining("100\\%%")).toEqual(["spam 1", "SPAM 2", "spammer", "my spam", "100 real", "spam 10"]);
    expect(await remaining("my spam")).toEqual(["spam 1", "SPAM 2", "spammer", "100% real", "100 real", "spam 10"]);
  }, 60_000);

  test("--email-like reaches the subdomains --email-domain leaves alone", async () => {
    const url = await databaseWith(DOMAIN_ROWS);
    const outcome = await cli(url, ["remove-matching", "--email-like", "%@%.spam.example", "--yes"]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(await storedEmails(url)).toEqual(DOMAIN_ROWS.map((row) => row.email).filter((email) => email !== "x@sub.spam.example"));
  });

  test("--ids takes a range with both ends included, or one id", async () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ name: `Row ${i + 1}`, email: `r${i + 1}@example.com` }));
    const url = await databaseWith(rows);
    expect((await cli(url, ["remove-matching", "--ids", "3-5", "--yes"])).code).toBe(0);
    expect(await storedIds(url)).toEqual([1, 2, 6, 7, 8]);
    expect((await cli(url, ["remove-matching", "--ids", "7", "--yes"])).code).toBe(0);
    expect(await storedIds(url)).toEqual([1, 2, 6, 8]);
  });

  test("--since includes its second, --until excludes its own; a zone offset means what it says", async () => {
    const times = ["2026-12-01T09:59:59Z", "2026-12-01T10:00:00Z", "2026-12-01T10:30:00Z", "2026-12-01T10:59:59Z", "2026-12-01T11:00:00Z"];
    const rows = times.map((at, i) => ({ name: `At ${at}`, email: `t${i}@example.com`, at }));
    const inUtc = await databaseWith(rows);
    expect((await cli(inUtc, ["remove-matching", "--since", "2026-12-01T10:00Z", "--until", "2026-12-01T11:00Z", "--yes"])).code).toBe(0);
    expect(await storedEmails(inUtc)).toEqual(["t0@example.com", "t4@example.com"]);
    const withOffset = await databaseWith(rows);
    const outcome = await cli(withOffset, ["remove-matching", "--since", "2026-12-01T11:30+01:00", "--yes"]);
    expect(outcome.stdout).toContain("matching registered at or after 2026-12-01T10:30:00Z");
    expect(await storedEmails(withOffset)).toEqual(["t0@example.com", "t1@example.com"]);
  }, 60_000);

  test("filters together remove only the rows every one of them matches", async () => {
    const rows: Row[] = [
      { name: "In all", email: "a@spam.example", at: "2026-12-01T10:10:00Z" },
      { name: "Too early", email: "b@spam.example", at: "2026-12-01T09:00:00Z" },
      { name: "Other domain", email: "c@fine.example", at: "2026-12-01T10:10:00Z" },
      { name: "In all too", email: "d@spam.example", at: "2026-12-01T10:20:00Z" },
      { name: "Past the ids", email: "e@spam.example", at: "2026-12-01T10:20:00Z" },
    ];
    const url = await databaseWith(rows);
    const outcome = await cli(url, ["remove-matching", "--email-domain", "spam.example", "--since", "2026-12-01T10:00Z", "--until", "2026-12-01T11:00Z", "--ids", "1-4", "--yes"]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain(
      "removed 2 registrants matching email domain spam.example and ids 1-4 and registered at or after 2026-12-01T10:00:00Z and registered before 2026-12-01T11:00:00Z",
    );
    expect(await storedEmails(url)).toEqual(["b@spam.example", "c@fine.example", "e@spam.example"]);
  });
});

describe("a large clean-up", () => {
  const ROWS = 6_000;
  // Every sixth row is a real registrant between the flood's rows, so every batch spans kept rows.
  const rows = Array.from({ length: ROWS }, (_, i) => (i % 6 === 5 ? { name: `Real ${i}`, email: `real${i}@uni.example` } : { name: `Flood ${i}`, email: `f${i}@flood.example` }));

  test("5,000 matching rows go in 10 batches; the preview stays at 20 rows; the counters equal a recount", async () => {
    const url = await databaseWith(rows);
    const before = await counters(url);
    const outcome = await cli(url, ["remove-matching", "--email-domain", "flood.example", "--yes"]);
    expect(outcome.code, outcome.stderr).toBe(0);
    const rowLines = outcome.stdout.split("\n").filter((line) => /^\d+\t/.test(line));
    expect(rowLines).toHaveLength(20);
    expect(outcome.stdout).toContain("… 4,980 more …");
    expect(outcome.stdout).toContain("removed 5,000 registrants matching email domain flood.example");
    expect(outcome.stdout).toContain("in 10 batches of at most 500.");
    const emails = await storedEmails(url);
    expect(emails).toHaveLength(1_000);
    expect(emails.every((email) => email.endsWith("@uni.example"))).toBe(true);
    const after = await counters(url);
    expect(after.total).toBe(after.recount);
    expect(after.buckets).toBe(after.bucketsRecounted);
    expect(after.version - before.version, "every removed row moved the list's version").toBe(5_000);
  }, 60_000);
});

describe("on a remote database (sqld over HTTP)", () => {
  test("the same removal, in batches, with the counters equal to a recount; and remove EMAIL", async () => {
    const sqld = await startSqld();
    try {
      const database = { url: sqld.httpUrl, authToken: sqld.authToken };
      const client = openClient(database);
      try {
        await applyMigrations(client);
        await client.batch(Array.from({ length: 1_100 }, (_, i) => ({ sql: "INSERT INTO registrants (name, email) VALUES (?, ?)", args: [`Row ${i}`, i % 2 === 0 ? `f${i}@flood.example` : `r${i}@uni.example`] })));
        const outcome = await cli(sqld.httpUrl, ["remove-matching", "--email-domain", "flood.example", "--yes"], { env: { DATABASE_AUTH_TOKEN: sqld.authToken } });
        expect(outcome.code, outcome.stderr).toBe(0);
        expect(outcome.stdout).toContain("removed 550 registrants matching email domain flood.example from http://127.0.0.1:");
        expect(outcome.stdout).toContain("in 2 batches of at most 500.");
        const [left, stats, buckets, recount] = await client.batch([
          "SELECT count(*) AS n, sum(email LIKE '%@flood.example') AS flood FROM registrants",
          "SELECT total FROM registrant_stats WHERE id = 1",
          "SELECT group_concat(bucket || ':' || count, ' ') AS pairs FROM (SELECT bucket, count FROM registrant_buckets WHERE count <> 0 ORDER BY bucket)",
          `SELECT group_concat(bucket || ':' || n, ' ') AS pairs FROM (SELECT id >> ${BUCKET_BITS} AS bucket, count(*) AS n FROM registrants GROUP BY bucket ORDER BY bucket)`,
        ]);
        expect(left.rows[0]).toMatchObject({ n: 550, flood: 0 });
        expect(Number(stats.rows[0].total)).toBe(550);
        expect(buckets.rows[0].pairs).toBe(recount.rows[0].pairs);
        const single = await cli(sqld.httpUrl, ["remove", "r1@uni.example"], { env: { DATABASE_AUTH_TOKEN: sqld.authToken } });
        expect(single.code, single.stderr).toBe(0);
        expect(single.stdout).toContain("removed registrant 2 (Row 1 <r1@uni.example>");
      } finally {
        client.close();
      }
    } finally {
      await sqld.remove();
    }
  }, 60_000);
});

describe.skipIf(!HAS_SCRIPT)("on a terminal", () => {
  const PROMPT = "or yes to go on: ";

  test("typing the count removes, with a progress line that counts the batches", async () => {
    const url = await databaseWith(Array.from({ length: 1_200 }, (_, i) => ({ name: `Flood ${i}`, email: `f${i}@flood.example` })));
    const { code, terminal } = await cliOnTerminal(url, ["remove-matching", "--email-domain", "flood.example"], { prompt: PROMPT, keys: "1200\r" });
    expect(code, terminal).toBe(0);
    expect(terminal).toContain("Remove these 1,200 registrants? Type 1200 or yes to go on: ");
    expect(terminal).toMatch(/\rdb:registrants: removed 500 of 1,200 registrants…\x1b\[K/);
    expect(terminal).toContain("removed 1,200 registrants matching email domain flood.example");
    expect(await storedEmails(url)).toEqual([]);
  }, 60_000);

  test("typing yes removes", async () => {
    const url = await databaseWith(DOMAIN_ROWS);
    const { code, terminal } = await cliOnTerminal(url, ["remove-matching", "--email-domain", "spam.example"], { prompt: PROMPT, keys: "yes\r" });
    expect(code, terminal).toBe(0);
    expect(await storedEmails(url)).toEqual(DOMAIN_OTHERS);
  }, 30_000);

  test.each([
    ["another number", "2\r"],
    ["no", "no\r"],
    ["Enter alone", "\r"],
    ["Ctrl-C", "\x03"],
    ["Ctrl-D", "\x04"],
  ])("%s removes nothing and exits 1", async (_label, keys) => {
    const url = await databaseWith(DOMAIN_ROWS);
    const { code, terminal } = await cliOnTerminal(url, ["remove-matching", "--email-domain", "spam.example"], { prompt: PROMPT, keys });
    expect(code, terminal).toBe(1);
    expect(terminal).toContain("not confirmed, so nothing was removed.");
    expect(await storedEmails(url)).toEqual(DOMAIN_ROWS.map((row) => row.email));
  }, 30_000);

  test("--dry-run does not ask, and --yes does not either", async () => {
    const url = await databaseWith(DOMAIN_ROWS);
    const dryRun = await cliOnTerminal(url, ["remove-matching", "--email-domain", "spam.example", "--dry-run"]);
    expect(dryRun.code, dryRun.terminal).toBe(0);
    expect(dryRun.terminal).not.toContain(PROMPT);
    const yes = await cliOnTerminal(url, ["remove-matching", "--email-domain", "spam.example", "--yes"]);
    expect(yes.code, yes.terminal).toBe(0);
    expect(yes.terminal).not.toContain(PROMPT);
    expect(await storedEmails(url)).toEqual(DOMAIN_OTHERS);
  }, 30_000);
});

describe("the confirmation (db/cli/confirm.ts)", () => {
  test("is the count, with or without separators, or yes; nothing else", () => {
    for (const answer of ["5000", "5,000", " 5 000 ", "yes", "YES", " Yes "]) expect(isConfirmation(answer, 5_000), answer).toBe(true);
    for (const answer of ["", "y", "no", "4999", "50000", "5000 yes", "all"]) expect(isConfirmation(answer, 5_000), answer).toBe(false);
  });

  test("asks on the output, reads one line from the input, and an input that ends unanswered is a no", async () => {
    const ask = async (typed: string | null) => {
      const input = new PassThrough();
      const output = new PassThrough();
      let shown = "";
      output.on("data", (chunk) => (shown += chunk));
      const answer = askToConfirm("Remove these 3? ", 3, { input, output });
      if (typed === null) input.end();
      else input.write(typed);
      return { confirmed: await answer, shown };
    };
    expect(await ask("3\n")).toEqual({ confirmed: true, shown: expect.stringContaining("Remove these 3? ") });
    expect((await ask("yes\n")).confirmed).toBe(true);
    expect((await ask("4\n")).confirmed).toBe(false);
    expect((await ask(null)).confirmed).toBe(false);
  });
});

describe("the batched removal (db/operations/registrant-removal.ts)", () => {
  const openDb = (url: string) => {
    const client = openClient({ url });
    return { client, db: drizzle(client, { schema }) };
  };

  test("removes only up to the id the preview ended at: a row that arrives after the preview was never shown", async () => {
    const url = await databaseWith(Array.from({ length: 7 }, (_, i) => ({ name: `Flood ${i}`, email: `f${i}@flood.example` })));
    const { client, db } = openDb(url);
    try {
      const preview = await previewRemoval(db, { emailDomain: "flood.example" }, 2);
      expect(preview).toMatchObject({ count: 7, total: 7, upToId: 7 });
      expect(preview.first.map((row) => row.id)).toEqual([1, 2]);
      expect(preview.last.map((row) => row.id)).toEqual([6, 7]);
      await client.execute("INSERT INTO registrants (name, email) VALUES ('Late', 'late@flood.example')");
      const batches: number[][] = [];
      const removed = await removeRegistrants(db, { emailDomain: "flood.example" }, { upToId: preview.upToId!, batchSize: 3, onBatch: (rows) => batches.push(rows.map((row) => row.id).sort((a, b) => a - b)) });
      expect(removed).toBe(7);
      expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
      expect(await storedEmails(url)).toEqual(["late@flood.example"]);
    } finally {
      client.close();
    }
  });

  test("a preview of a few rows shows them all once; an empty filter is refused", async () => {
    const url = await databaseWith(DOMAIN_ROWS);
    const { client, db } = openDb(url);
    try {
      const preview = await previewRemoval(db, { emailDomain: "spam.example" }, 2);
      expect(preview.first.map((row) => row.email)).toEqual(DOMAIN_MATCHES);
      expect(preview.last).toEqual([]);
      await expect(previewRemoval(db, {})).rejects.toThrow("a removal needs at least one filter");
      await expect(removeRegistrants(db, {})).rejects.toThrow("a removal needs at least one filter");
      expect(await storedEmails(url)).toHaveLength(DOMAIN_ROWS.length);
    } finally {
      client.close();
    }
  });

  test("the single erasure shares it: one row by exact email, or null", async () => {
    const url = await databaseWith(DOMAIN_ROWS);
    const { client, db } = openDb(url);
    try {
      expect(await removeRegistrantByEmail(db, "one@spam.example")).toMatchObject({ id: 1, name: "Spam One", email: "one@spam.example" });
      expect(await removeRegistrantByEmail(db, "one@spam.example")).toBeNull();
      expect(await storedEmails(url)).toHaveLength(DOMAIN_ROWS.length - 1);
    } finally {
      client.close();
    }
  });
});
