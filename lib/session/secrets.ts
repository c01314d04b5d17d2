// Which secrets seal and open the session cookie. Production must be given strong ones: without
// them the server refuses to start (instrumentation.ts) and no cookie is ever sealed. In
// development an unset SESSION_SECRET is generated once and kept in the git-ignored
// `.session-secret`, so local sessions survive restarts without anyone choosing a secret.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSessionConfig, SECRET_HELP } from "../config";

export const DEV_SECRET_FILE = ".session-secret";

function developmentSecret(folder: string): string {
  const file = join(folder, DEV_SECRET_FILE);
  try {
    const kept = readFileSync(file, "utf8").trim();
    if (kept) return kept;
  } catch {
    // not made yet
  }
  const secret = randomBytes(32).toString("base64");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The secrets, newest first. Throws with instructions when production has none or a weak one. */
export function resolveSessionSecrets(env: Record<string, string | undefined> = process.env, folder = process.cwd()): string[] {
  const { secrets } = readSessionConfig(env);
  if (secrets.length > 0) return secrets;
  if (env.NODE_ENV === "production") {
    throw new Error(`SESSION_SECRET is not set: the server will not start without it in production. ${SECRET_HELP}`);
  }
  return [developmentSecret(folder)];
}
