// Shared plumbing of the db:* command-line tools: open the configured database, run one job, print
// one clear line on failure and exit non-zero, always close the client. The .env files are read
// first, by the same rule as `next dev` (lib/env-files.ts). Also the usage error, and how a row is
// printed (stored text made safe for a terminal).
import type { Client } from "@libsql/client";
import { primaryDatabaseOf, readDatabaseConfig, type DatabaseConfig } from "../../lib/config";
import { loadEnvFiles } from "../../lib/env-files";
import { describeUrl, maskTokensIn } from "../../lib/log";
import { explainDatabaseFailure, openClient, prepareEmbeddedFile } from "../connection";
import type { Registrant } from "../schema";

/** A command line that cannot be run as typed: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}

// Control characters (C0, DEL, C1) and the bidi overrides and isolates. The rules keep them out of
// new rows, but an adopted classic table or a hand-made row may hold them, and printed raw they
// could move the cursor, rewrite earlier lines or reorder what the operator reads.
const UNPRINTABLE = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;

/** Stored text as a terminal should show it: those characters as \uXXXX escapes, the rest as is. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, "0")}`);
}

/** One row as the CLI prints it, tab-separated; with the time of registration when it is given. */
export function rowLine(row: Pick<Registrant, "id" | "name" | "email"> & { createdAt?: Date }): string {
  const registered = row.createdAt ? `\t${row.createdAt.toISOString().replace(".000Z", "Z")}` : "";
  return `${row.id}\t${printable(row.name)}\t${printable(row.email)}${registered}`;
}

/** Runs `work` against the configured database; what it returns (if anything) is printed on stdout. */
export async function runWithDatabase(job: string, work: (client: Client, url: string, config: DatabaseConfig) => Promise<string | void>) {
  let client: Client | undefined;
  let url = "(unset)";
  let config: DatabaseConfig | undefined;
  try {
    loadEnvFiles();
    // Migrations and seeds of an embedded replica go to its primary; the replica syncs them.
    config = primaryDatabaseOf(readDatabaseConfig());
    url = describeUrl(config.url);
    client = openClient(config);
    await prepareEmbeddedFile(client, config.url);
    const said = await work(client, url, config);
    if (said !== undefined) console.log(said);
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message) : String(error);
    const explained = config && (await explainDatabaseFailure(error, config));
    console.error(maskTokensIn(`${job} failed for ${url}: ${explained ? `${explained} (${reason})` : reason}`));
    process.exitCode = 1;
  } finally {
    client?.close();
  }
}
