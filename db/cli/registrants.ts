// `npm run db:registrants -- list|export|remove|remove-matching`: the operator's view of the
// registrants, on the same DATABASE_URL rules as db:migrate (db/cli/shared.ts). `list` prints one page
// of the public list, `export` streams every row as CSV or JSON, `remove` erases one person by email,
// `remove-matching` cleans up after a flood (db/cli/remove-matching.ts). Usage mistakes (an unknown
// command or flag, a bad value, no filter) print the usage and exit 2; a failure or a refusal exits
// 1, and so does an --out FILE that already exists: the command is right, the disk's state is not.
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/libsql";
import { normalizeEmail } from "../../lib/registrants/rules";
import { filePathOf } from "../connection";
import { createExportFile, EXPORT_FORMATS, exportRegistrants, NO_PROGRESS, removeRegistrantByEmail, terminalProgress, type ExportFormat } from "../operations";
import { FILTER_OPTIONS, filterOf, type FilterFlags } from "./removal-filter";
import { removeMatching } from "./remove-matching";
import { printable, rowLine, runWithDatabase, UsageError } from "./shared";
import { listRegistrantsOf } from "../registrants";
import * as schema from "../schema";

const JOB = "db:registrants";
const USAGE = {
  list: "npm run db:registrants -- list [--page N]\n  One page (50 rows, newest first) of the list as `/` shows it: id, name, email.",
  export: [
    "npm run db:registrants -- export --format csv|json [--out FILE [--force]]",
    "  Every registrant, oldest first (id, name, email, created_at), to FILE or stdout. Streams: any size.",
    "  FILE is created readable by you alone (mode 600) and must not exist yet, not even as a symlink.",
    "  --force replaces it: the export is written beside it and renamed over it once complete, so a",
    "  symlink there is replaced, never followed. On a terminal, stderr shows how many rows are out.",
  ].join("\n"),
  remove: "npm run db:registrants -- remove EMAIL\n  Erases the registrant with that email (an erasure request). Exits 1 if there is none.",
  "remove-matching": [
    "npm run db:registrants -- remove-matching FILTER... [--dry-run | --yes]",
    "  Removes every registrant all the filters match (at least one filter):",
    "    --email-domain D   the part after the @ is exactly D, any letter case (not its subdomains)",
    "    --email-like P, --name-like P  SQL LIKE on the email or the name: % any run, _ one character,",
    "                       \\% \\_ \\\\ themselves; letter case ignored for A-Z only",
    "    --ids N | FROM-TO  ids in that range, both ends included",
    "    --since T --until T  registered at or after T, before T (T like 2026-12-01T10:00Z)",
    "  Shows the count and the oldest and newest 10 matches first. On a terminal it then asks you to",
    "  type the count (or yes); elsewhere it refuses unless --yes is given. --dry-run only shows.",
    "  Removes in batches of 500 rows, only rows it showed; nothing matched is exit 0.",
  ].join("\n"),
} as const;
type Command = keyof typeof USAGE;
const ALL_USAGE = `Usage:\n${Object.values(USAGE).map((text) => `  ${text.replaceAll("\n", "\n  ")}`).join("\n")}\n(In the image: node registrants.mjs list|export|remove|remove-matching …)`;

const OPTIONS = {
  list: { page: { type: "string" }, help: { type: "boolean", short: "h" } },
  export: { format: { type: "string" }, out: { type: "string" }, force: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  remove: { help: { type: "boolean", short: "h" } },
  "remove-matching": { ...FILTER_OPTIONS, "dry-run": { type: "boolean" }, yes: { type: "boolean" }, help: { type: "boolean", short: "h" } },
} as const;

function parse(argv: string[]) {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") return { help: ALL_USAGE };
  if (!Object.hasOwn(USAGE, command)) throw new UsageError(`unknown command "${command}"`);
  const name = command as Command;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS[name], allowPositionals: name === "remove", strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const values = parsed.values as FilterFlags & { help?: boolean; page?: string; format?: string; out?: string; force?: boolean; "dry-run"?: boolean; yes?: boolean };
  if (values.help) return { help: USAGE[name] };
  return { command: name, values, positionals: parsed.positionals };
}

function pageOf(raw: string | undefined): number {
  if (raw === undefined) return 1;
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new UsageError(`--page must be a whole number from 1, not "${raw}"`);
  return Number(raw);
}

function formatOf(raw: string | undefined): ExportFormat {
  if (raw === undefined) throw new UsageError("export needs --format csv or --format json");
  if (!(EXPORT_FORMATS as readonly string[]).includes(raw)) throw new UsageError(`--format must be csv or json, not "${raw}"`);
  return raw as ExportFormat;
}

let request: ReturnType<typeof parse>;
try {
  request = parse(process.argv.slice(2));
  if ("command" in request) {
    if (request.command === "list") pageOf(request.values.page);
    if (request.command === "export") formatOf(request.values.format);
    if (request.command === "export" && request.values.force && request.values.out === undefined) throw new UsageError("--force goes with --out FILE");
    if (request.command === "remove" && request.positionals.length !== 1) throw new UsageError("remove needs exactly one EMAIL");
    if (request.command === "remove-matching") filterOf(request.values);
    if (request.command === "remove-matching" && request.values["dry-run"] && request.values.yes) throw new UsageError("--dry-run removes nothing and --yes removes without asking: give one of them");
  }
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${JOB}: ${error.message}\n${ALL_USAGE}`);
  process.exit(2);
}

if ("help" in request) {
  console.log(request.help);
} else {
  const { command, values, positionals } = request;
  await runWithDatabase(`${JOB} ${command}`, async (client, url, config) => {
    const db = drizzle(client, { schema });
    if (command === "list") {
      const { rows, page, pageCount, total } = await listRegistrantsOf(db, pageOf(values.page));
      const lines = rows.map(rowLine);
      return [`${JOB}: ${url}: page ${page} of ${pageCount} (${total} registrants, newest first)`, "id\tname\temail", ...lines].join("\n");
    }
    if (command === "export") {
      const file = values.out === undefined ? undefined : await createExportFile(values.out, { replace: values.force });
      // Rows printed to a terminal share it with stderr: a line rewritten in place would garble them.
      const progress = file || !process.stdout.isTTY ? terminalProgress(process.stderr) : NO_PROGRESS;
      let count: number;
      try {
        count = await exportRegistrants(db, formatOf(values.format), file?.stream ?? process.stdout, (exported) =>
          progress.update(`${JOB}: exported ${exported.toLocaleString("en-US")} registrants…`),
        );
        await file?.finish();
      } catch (error) {
        await file?.abandon();
        throw error;
      } finally {
        progress.clear();
      }
      console.error(`${JOB}: exported ${count} registrants from ${url}${values.out === undefined ? "" : ` to ${values.out}`}.`);
      return;
    }
    // Erasure: SQLite overwrites the deleted row's bytes in the file instead of leaving them in a free
    // page. An embedded file only: sqld refuses the statement ("unsupported statement").
    if (filePathOf(config.url)) await client.execute("PRAGMA secure_delete = ON");
    if (command === "remove-matching") return removeMatching(db, url, filterOf(values), { dryRun: values["dry-run"] === true, yes: values.yes === true });
    const removed = await removeRegistrantByEmail(db, normalizeEmail(positionals[0]));
    if (!removed) throw new Error("no registrant with that email");
    return `${JOB}: removed registrant ${removed.id} (${printable(removed.name)} <${printable(removed.email)}>, registered ${removed.createdAt.toISOString()}) from ${url}.`;
  });
}
