// Why the database could not be reached, in the operator's words: which variable to fix. Used where
// a failure is the operator's to mend before anyone is served (the launcher's start-up check and the
// db:* CLIs), so a missing, wrong or foreign DATABASE_AUTH_TOKEN, or a DATABASE_URL nobody answers
// at, stops the start with one line that names it, instead of a driver message ("Server returned
// HTTP status 401", "WebSocket was closed with code 1006").
import type { DatabaseConfig } from "../../lib/config";
import { describeUrl } from "../../lib/log";
import { openClient } from "./client";
import { describes } from "./errors";

const REFUSED_TOKEN = /HTTP status 40[13]\b|\b40[13] Unauthorized|Unauthorized|AUTH_/i;
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|fetch failed|TimeoutError|aborted due to timeout|operation was aborted|bad port/i;
// sqld closes a WebSocket whose token it refuses without saying why: the same close as any other
// broken connection. Only a request over HTTP to the same server can tell the two apart.
const WEBSOCKET_CLOSED = /WebSocket was closed/i;

function tokenMessage(config: DatabaseConfig, where: string): string {
  return config.authToken
    ? `The database server at ${where} refused DATABASE_AUTH_TOKEN: the token is wrong, expired or signed by another key. Set DATABASE_AUTH_TOKEN to a token this server accepts.`
    : `The database server at ${where} wants an auth token and DATABASE_AUTH_TOKEN is not set. Set DATABASE_AUTH_TOKEN to a token this server accepts.`;
}

/** ws(s)://host → http(s)://host: the same sqld or Turso database over Hrana's HTTP transport. */
function overHttp(url: string): string | null {
  if (url.startsWith("ws://")) return `http://${url.slice("ws://".length)}`;
  if (url.startsWith("wss://")) return `https://${url.slice("wss://".length)}`;
  return null;
}

async function refusesTokenOverHttp(config: DatabaseConfig, url: string): Promise<boolean> {
  const client = openClient({ url, authToken: config.authToken });
  try {
    await client.execute("SELECT 1");
    return false;
  } catch (error) {
    return describes(error, REFUSED_TOKEN);
  } finally {
    client.close();
  }
}

/**
 * One sentence naming DATABASE_AUTH_TOKEN or DATABASE_URL when `error` means the token was refused or
 * the server could not be reached; undefined for any other failure (a migration that fails, a
 * read-only file), whose own message is the clearest.
 */
export async function explainDatabaseFailure(error: unknown, config: DatabaseConfig): Promise<string | undefined> {
  if (config.url.startsWith("file:")) return undefined; // an embedded file's own error says it best
  const where = describeUrl(config.url);
  if (describes(error, REFUSED_TOKEN)) return tokenMessage(config, where);
  if (describes(error, UNREACHABLE)) {
    return `Could not reach the database server at DATABASE_URL=${where} (${reasonOf(error)}). Check DATABASE_URL and that the server is running.`;
  }
  const http = overHttp(config.url);
  if (http && describes(error, WEBSOCKET_CLOSED) && (await refusesTokenOverHttp(config, http))) return tokenMessage(config, where);
  return undefined;
}

function reasonOf(error: unknown): string {
  const messages: string[] = [];
  for (let current = error; current instanceof Error && messages.length < 3; current = current.cause) messages.push(current.message);
  return messages.at(-1) ?? String(error);
}
