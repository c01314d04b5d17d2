// Shared plumbing of the db:* command-line tools: open the configured database, run one job, print
// one clear line on failure and exit non-zero, always close the client. The .env files are read
// first, by the same rule as `next dev` (lib/env-files.ts).
import type { Client } from "@libsql/client";
import { primaryDatabaseOf, readDatabaseConfig, type DatabaseConfig } from "../../lib/config";
import { loadEnvFiles } from "../../lib/env-files";
import { describeUrl, maskTokensIn } from "../../lib/log";
import { explainDatabaseFailure, openClient, prepareEmbeddedFile } from "../connection";

/** Runs `work` against the configured database; what it returns (if anything) is printed on stdout. */
export async function runWithDatabase(job: string, work: (client: Client, url: string) => Promise<string | void>) {
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
    const said = await work(client, url);
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
