// Shared plumbing of the db:* command-line tools: open the configured database, run one job, print
// one clear line on failure and exit non-zero, always close the client. The .env files are read
// first, by the same rule as `next dev` (lib/env-files.ts).
import type { Client } from "@libsql/client";
import { readDatabaseConfig } from "../lib/config";
import { loadEnvFiles } from "../lib/env-files";
import { openClient, prepareEmbeddedFile } from "./client";

/** The URL with any credentials blanked, fit for a log line. */
export function describeUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

export async function runWithDatabase(job: string, work: (client: Client, url: string) => Promise<string>) {
  let client: Client | undefined;
  let url = "(unset)";
  try {
    loadEnvFiles();
    const config = readDatabaseConfig();
    url = describeUrl(config.url);
    client = openClient(config);
    await prepareEmbeddedFile(client, config.url);
    console.log(await work(client, url));
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message) : String(error);
    console.error(`${job} failed for ${url}: ${reason}`);
    process.exitCode = 1;
  } finally {
    client?.close();
  }
}
