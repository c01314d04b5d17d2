// Writing every registrant as CSV or JSON to a stream without holding them in memory: rows come a
// keyset page at a time (db/registrant-admin.ts) and each page waits for the stream to drain before
// the next is read, so a slow pipe or disk holds the reading back instead of filling the heap.
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { Database } from "./index";
import { everyRegistrant, type ExportRow } from "./registrant-admin";

export const EXPORT_FORMATS = ["csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. A name is
 * anyone's input, and a spreadsheet runs a cell that starts with = + - or @ as a formula
 * (`=HYPERLINK(…)` in a registrant's name would run on the operator's machine): such a field gets
 * a leading apostrophe, which spreadsheets show as text (OWASP's advice for CSV injection). JSON
 * keeps every value exactly as stored.
 */
const csvField = (value: string) => {
  const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const csvLine = ({ id, name, email, createdAt }: ExportRow) => `${id},${csvField(name)},${csvField(email)},${createdAt.toISOString()}\r\n`;
const jsonRow = ({ id, name, email, createdAt }: ExportRow) => JSON.stringify({ id, name, email, createdAt: createdAt.toISOString() });

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

/** Streams every registrant, oldest first, to `out`; returns how many were written. Does not end `out`. */
export async function exportRegistrants(db: Database, format: ExportFormat, out: Writable): Promise<number> {
  let count = 0;
  await write(out, format === "csv" ? "id,name,email,created_at\r\n" : "[");
  for await (const page of everyRegistrant(db)) {
    const text = format === "csv" ? page.map(csvLine).join("") : page.map((row, i) => `${count + i === 0 ? "\n" : ",\n"}${jsonRow(row)}`).join("");
    count += page.length;
    await write(out, text);
  }
  if (format === "json") await write(out, count === 0 ? "]\n" : "\n]\n");
  return count;
}
