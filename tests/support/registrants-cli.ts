// Running the operator's CLI (db/cli/registrants.ts) as an operator does: a real process through tsx,
// against a real migrated SQLite file, with stdin not a terminal; or inside a pseudo-terminal made by
// util-linux `script`, for what it does only on a terminal (the progress line, the confirmation).
import { execFile, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { openClient } from "@/db/connection/client";
import { applyMigrations } from "@/db/operations/migrate";
import { ROOT } from "./server";

const run = promisify(execFile);
const NODE = join(ROOT, "node_modules", ".bin", "node");
const CLI = join(ROOT, "db", "cli", "registrants.ts");

export type CliOutcome = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs the CLI (or another script) with DATABASE_URL=url (and `env`); stdin is not a terminal. */
export async function cli(url: string, args: string[], { heapMiB, script = CLI, env = {} }: { heapMiB?: number; script?: string; env?: Record<string, string> } = {}): Promise<CliOutcome> {
  const flags = heapMiB ? [`--max-old-space-size=${heapMiB}`] : [];
  try {
    const { stdout, stderr } = await run(NODE, [...flags, "--import", "tsx", script, ...args], { cwd: ROOT, env: { ...process.env, ...env, DATABASE_URL: url }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, signal: null, stdout, stderr };
  } catch (error) {
    const { code, signal, stdout, stderr } = error as CliOutcome;
    return { code, signal, stdout, stderr };
  }
}

/** Whether util-linux `script` is here to give the CLI a pseudo-terminal. */
export const HAS_SCRIPT = spawnSync("script", ["--version"]).status === 0;
const shellQuoted = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
const cliCommand = (args: string[]) => [NODE, "--import", "tsx", CLI, ...args].map(shellQuoted).join(" ");

/** The CLI with stderr on a pseudo-terminal and stdout sent to `stdoutFile`; `terminal` is what the terminal showed. */
export async function cliWithTerminalStderr(url: string, args: string[], stdoutFile: string): Promise<{ code: number | null; terminal: string }> {
  const command = `${cliCommand(args)} > ${shellQuoted(stdoutFile)}`;
  try {
    const { stdout } = await run("script", ["-qfec", command, "/dev/null"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, terminal: stdout };
  } catch (error) {
    const { code, stdout } = error as { code: number | null; stdout: string };
    return { code, terminal: stdout };
  }
}

/**
 * The CLI wholly on a pseudo-terminal (stdin, stdout, stderr), as an operator at a keyboard runs it.
 * Once the terminal shows `prompt`, `keys` are typed (a line ends with "\r", as the Enter key sends;
 * "\x03" is Ctrl-C, "\x04" Ctrl-D). `terminal` is everything it showed, echo included.
 */
export async function cliOnTerminal(url: string, args: string[], { prompt, keys }: { prompt?: string; keys?: string } = {}): Promise<{ code: number | null; terminal: string }> {
  const child = spawn("script", ["-qfec", cliCommand(args), "/dev/null"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: ["pipe", "pipe", "inherit"] });
  let terminal = "";
  let typed = false;
  child.stdout.on("data", (chunk) => {
    terminal += chunk;
    if (prompt !== undefined && keys !== undefined && !typed && terminal.includes(prompt)) {
      typed = true;
      child.stdin.write(keys);
    }
  });
  // "close", not "exit": the terminal's last output may still be on its way when the process exits.
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the CLI on a terminal still runs after 60 s:\n${terminal}`));
    }, 60_000);
    child.once("close", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, terminal };
}

/** A new migrated SQLite file in `dir`, seeded by `seed`; its `file:` URL. */
export async function migratedFile(dir: string, name: string, seed: (client: ReturnType<typeof openClient>) => Promise<unknown>): Promise<string> {
  const url = `file:${join(dir, name)}`;
  const client = openClient({ url });
  try {
    await applyMigrations(client);
    await seed(client);
  } finally {
    client.close();
  }
  return url;
}
