// The clean-up after a flood, as the visitors of every instance see it: two production servers on one
// database file both serve a cached list with the flood on it. The operator's tool as the image ships
// it (registrants.mjs) shows the flood in a dry run and refuses without a confirmation, and neither
// moves either cache; with --yes it removes the flood in batches, and the next GET / on each instance
// lists the real registrants without it.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { waitForExit } from "../support/processes";
import { migrateDatabase, ROOT, STANDALONE, startServer, type RunningServer } from "../support/server";
import { uniquePerson } from "./helpers";

test.describe.configure({ mode: "serial" });

const FLOOD_DOMAIN = "flood.example";
/** More than one batch of 500, and more than a page of 50, so the flood fills page 1 and runs onto page 2. */
const FLOOD_ROWS = 520;

/** registrants.mjs as an operator runs it from a script: stdin is not a terminal. */
async function operatorTool(databaseUrl: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(STANDALONE, "registrants.mjs"), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: "production", DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const { code } = await waitForExit(child, 30_000);
  return { code, output };
}

async function home(request: APIRequestContext, server: RunningServer) {
  const response = await request.get(`${server.url}/`);
  expect(response.status()).toBe(200);
  return { cache: response.headers()["x-cache"], body: await response.text() };
}

test.describe("removing a flood with two instances on one database file", () => {
  const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-bulk-"));
  const url = `file:${join(dir, "shared.db")}`;
  const instances: RunningServer[] = [];
  const real = [uniquePerson("real-before"), uniquePerson("real-between")];
  const lastFloodEmail = `flood${FLOOD_ROWS}@${FLOOD_DOMAIN}`;

  test.beforeAll(async () => {
    await migrateDatabase(url);
    const client = createClient({ url });
    try {
      await client.execute({ sql: "INSERT INTO registrants (name, email) VALUES (?, ?)", args: [real[0].name, real[0].email] });
      await client.batch(
        Array.from({ length: FLOOD_ROWS }, (_, i) => ({ sql: "INSERT INTO registrants (name, email) VALUES (?, ?)", args: [`Flood ${i + 1}`, `flood${i + 1}@${FLOOD_DOMAIN}`] })),
      );
      await client.execute({ sql: "INSERT INTO registrants (name, email) VALUES (?, ?)", args: [real[1].name, real[1].email] });
    } finally {
      client.close();
    }
    instances.push(...(await Promise.all([startServer({ DATABASE_URL: url }), startServer({ DATABASE_URL: url })])));
  });
  test.afterAll(async () => {
    await Promise.all(instances.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  test("both instances serve the flood from their cache; a dry run and a refusal change nothing on either", async ({ request }) => {
    for (const server of instances) {
      await home(request, server);
      const cached = await home(request, server);
      expect(cached.cache).toBe("HIT");
      expect(cached.body).toContain(lastFloodEmail);
      expect(cached.body).toContain(real[1].email);
    }

    const dryRun = await operatorTool(url, ["remove-matching", "--email-domain", FLOOD_DOMAIN, "--dry-run"]);
    expect(dryRun.code, dryRun.output).toBe(0);
    expect(dryRun.output).toContain(`${FLOOD_ROWS} of ${FLOOD_ROWS + 2} registrants`);
    expect(dryRun.output).toContain("dry run: nothing removed.");

    const refused = await operatorTool(url, ["remove-matching", "--email-domain", FLOOD_DOMAIN]);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain("nothing was removed");

    for (const server of instances) {
      const after = await home(request, server);
      expect(after.cache, "nothing was written: the kept page still holds").toBe("HIT");
      expect(after.body).toContain(lastFloodEmail);
    }
  });

  test("with --yes the flood is removed, and the next GET / on each instance lists only the real registrants", async ({ request }) => {
    const removal = await operatorTool(url, ["remove-matching", "--email-domain", FLOOD_DOMAIN, "--yes"]);
    expect(removal.code, removal.output).toBe(0);
    expect(removal.output).toContain(`removed ${FLOOD_ROWS} registrants matching email domain ${FLOOD_DOMAIN}`);
    expect(removal.output).toContain("in 2 batches of at most 500.");

    for (const server of instances) {
      const next = await home(request, server);
      expect(next.cache, `${server.url}: a fresh render, not the kept page`).toBe("MISS");
      expect(next.body).not.toContain(`@${FLOOD_DOMAIN}`);
      expect(next.body).toContain(real[0].email);
      expect(next.body).toContain(real[1].email);
      expect(next.body.replaceAll("<!-- -->", "")).toContain("2 people have registered.");
    }
  });
});
