// Writing every registrant as CSV or JSON to a stream without holding them in memory: rows come a
// keyset page at a time (db/operations/registrant-admin.ts) and each page waits for the stream to drain before
// the next is read, so a slow pipe or disk holds the reading back instead of filling the heap. And
// the file an export goes to, which holds every registrant's email: new, private, never a symlink.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { constants } from "node:fs";
import { lstat, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { getTableColumns } from "drizzle-orm";
import type { Database } from "../connection";
import { registrants } from "../schema";
import { everyRegistrant, type ExportRow } from "./registrant-admin";

export const EXPORT_FORMATS = ["csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. A name is
 * anyone's input, and a spreadsheet runs a cell that starts with = + - or @ as a formula
 * (`=HYPERLINK(…)` in a registrant's name would run on the operator's machine), and one that starts
 * with a tab or carriage return can still reach one: such a field gets a leading apostrophe, which
 * spreadsheets show as text (OWASP's CSV injection list; a leading line feed too, as cheap
 * insurance). A regex, not csv-stringify's `escape_formulas`: a dependency for one character class
 * is not worth it. JSON keeps every value exactly as stored.
 */
const FORMULA_START = /^[=+\-@\t\r\n]/;
const csvField = (value: string) => {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
// Every column of the table, in its order: a new column is exported (CSV header: the column's SQL name; JSON: its key).
const COLUMNS = Object.entries(getTableColumns(registrants)) as [keyof ExportRow, { name: string }][];
const CSV_HEADER = `${COLUMNS.map(([, column]) => column.name).join(",")}\r\n`;
const plain = (value: unknown) => (value instanceof Date ? value.toISOString() : value);
const csvCell = (value: unknown) => (typeof value === "string" ? csvField(value) : value === null || value === undefined ? "" : String(plain(value)));
const csvLine = (row: ExportRow) => `${COLUMNS.map(([key]) => csvCell(row[key])).join(",")}\r\n`;
const jsonRow = (row: ExportRow) => JSON.stringify(Object.fromEntries(COLUMNS.map(([key]) => [key, plain(row[key])])));

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

/**
 * Streams every registrant, oldest first, to `out`; returns how many were written. Does not end `out`.
 * `onPage` hears the running count after each page (for a progress line).
 */
export async function exportRegistrants(db: Database, format: ExportFormat, out: Writable, onPage?: (exported: number) => void): Promise<number> {
  let count = 0;
  await write(out, format === "csv" ? CSV_HEADER : "[");
  for await (const page of everyRegistrant(db)) {
    const text = format === "csv" ? page.map(csvLine).join("") : page.map((row, i) => `${count + i === 0 ? "\n" : ",\n"}${jsonRow(row)}`).join("");
    count += page.length;
    await write(out, text);
    onPage?.(count);
  }
  if (format === "json") await write(out, count === 0 ? "]\n" : "\n]\n");
  return count;
}

export type ExportFile = {
  stream: Writable;
  /** Ends the stream and puts the file in place. */
  finish(): Promise<void>;
  /** Removes what was written (a failed export): a half file would pass for a whole one. */
  abandon(): Promise<void>;
};

/** Only ever a new file, readable by its owner alone; O_EXCL and O_NOFOLLOW refuse a symlink, even a dangling one. */
const NEW_PRIVATE_FILE = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;
const PRIVATE_MODE = 0o600;

/**
 * Opens the file an export goes to. An existing path (a file, folder or symlink) is refused unless
 * `replace` (--force); the check is the open itself, so nothing can slip in between. With `replace`,
 * the export is written to a new private file beside the path and renamed over it at the end: a
 * symlink there is replaced, never followed, and a failed export leaves the old file whole.
 */
export async function createExportFile(path: string, { replace = false } = {}): Promise<ExportFile> {
  if (replace && (await lstat(path).catch(() => null))?.isDirectory()) throw new Error(`${path} is a folder; --force replaces only a file or a symlink.`);
  const writing = replace ? join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.partial`) : path;
  const handle = await open(writing, NEW_PRIVATE_FILE, PRIVATE_MODE).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST" && error.code !== "ELOOP") throw error;
    throw new Error(`${path} already exists (a file, folder or symlink): not overwriting it. Choose a new path, or add --force to replace it.`);
  });
  const stream = handle.createWriteStream({ flush: true });
  return {
    stream,
    async finish() {
      stream.end();
      await finished(stream);
      if (writing !== path) await rename(writing, path);
    },
    async abandon() {
      stream.destroy();
      await rm(writing, { force: true });
    },
  };
}
