// Shared plumbing of the db:* command-line tools: open the configured database, run one job, print
// one clear line on failure and exit non-zero, always close the client. The .env files are read
// first, by the same rule as `next dev` (lib/env-files.ts).
import type { Client } from "@libsql/client";
import { readDatabaseConfig } from "../lib/config";
import { loadEnvFiles } from "../lib/env-files";
import { openClient, prepareEmbeddedFile } from "./client";

// Query parameters that carry a credential. libSQL reads `authToken` from any URL's query (it
// percent-decodes the name first, as here); the other spellings are masked in case a proxy or a
// future driver reads them.
const TOKEN_PARAMETERS = new Set(["authtoken", "auth_token", "token"]);

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll("+", " ")).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}

function maskTokens(query: string): string {
  return query
    .split("&")
    .map((pair) => {
      const name = pair.split("=", 1)[0];
      return TOKEN_PARAMETERS.has(decodedName(name)) ? `${name}=***` : pair;
    })
    .join("&");
}

/** The URL with any credentials blanked (user:password@, an auth token in the query), fit for a log line. */
export function describeUrl(url: string): string {
  const withoutUser = url.replace(/\/\/[^/?#]*@/, "//***@"); // up to the last @ of the authority
  const match = /^([^?#]*)\?([^#]*)(.*)$/s.exec(withoutUser);
  return match ? `${match[1]}?${maskTokens(match[2])}${match[3]}` : withoutUser;
}

/** Runs `work` against the configured database; what it returns (if anything) is printed on stdout. */
export async function runWithDatabase(job: string, work: (client: Client, url: string) => Promise<string | void>) {
  let client: Client | undefined;
  let url = "(unset)";
  try {
    loadEnvFiles();
    const config = readDatabaseConfig();
    url = describeUrl(config.url);
    client = openClient(config);
    await prepareEmbeddedFile(client, config.url);
    const said = await work(client, url);
    if (said !== undefined) console.log(said);
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message) : String(error);
    console.error(`${job} failed for ${url}: ${reason}`);
    process.exitCode = 1;
  } finally {
    client?.close();
  }
}
