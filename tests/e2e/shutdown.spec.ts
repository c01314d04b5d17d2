// What a deploy or a scale-down does to a running server: the orchestrator sends SIGTERM (Docker
// and Kubernetes do), the server stops taking new connections, lets the requests already in flight
// finish, closes the database and exits 0; a request stuck past SHUTDOWN_TIMEOUT_MS cannot hold it.
//
// "In flight" is made real, not mocked: each registration is uploaded slowly (half the form, then
// the rest after the signal), so the server holds the request while it stops.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { openClient } from "../../db/connection/client";
import { isRefused, jsonLines, waitForExit } from "../support/processes";
import { fetchRegisterForm } from "../load/register-form";
import { startSlowRegistration } from "../support/registration-post";
import { freePort, migrateDatabase, ROOT, startServer, TEST_SESSION_SECRET, type RunningServer } from "../support/server";
import { uniquePerson } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-shutdown-"));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const started: RunningServer[] = [];
test.afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop())); // only if a test failed midway
});

test("on SIGTERM the registrations in flight finish, new connections are refused, and the process exits 0", async () => {
  const url = `file:${join(dir, "graceful.db")}`;
  await migrateDatabase(url);
  const server = await startServer({ DATABASE_URL: url });
  started.push(server);
  const fields = await fetchRegisterForm(server.url);
  expect((await fetch(`${server.url}/`)).status).toBe(200); // the server's database client is open

  const people = [uniquePerson("inflight"), uniquePerson("inflight"), uniquePerson("inflight")];
  const uploads = await Promise.all(people.map((person) => startSlowRegistration(server.url, fields, person)));
  await sleep(300);

  server.process.kill("SIGTERM");
  const exited = waitForExit(server.process, 10_000);
  await sleep(500);
  expect(await isRefused(server.port), "no new connections once stopping").toBe(true);
  expect(server.process.exitCode, "still running while requests are in flight").toBeNull();
  for (const upload of uploads) upload.finish();

  const responses = await Promise.all(uploads.map((upload) => upload.response));
  const answeredAt = Date.now();
  expect(responses).toEqual(people.map(() => ({ status: 303, location: "/", connection: "close" })));
  const exit = await exited;
  expect(exit.code).toBe(0);
  // Not held open by the clients' idle keep-alive connections (5 s) once the last answer is out.
  expect(Date.now() - answeredAt, "exited soon after the last response").toBeLessThan(2_000);

  const events = jsonLines(server.log()).map((line) => line.event);
  expect(events).toEqual(expect.arrayContaining(["server.stopping", "server.stopped"]));
  const client = openClient({ url });
  try {
    const { rows } = await client.execute("SELECT email FROM registrants");
    expect(rows.map((row) => row.email)).toEqual(expect.arrayContaining(people.map((person) => person.email)));
  } finally {
    client.close();
  }
});

test("a request still stuck after SHUTDOWN_TIMEOUT_MS does not keep the process alive", async () => {
  const url = `file:${join(dir, "stuck.db")}`;
  await migrateDatabase(url);
  const server = await startServer({ DATABASE_URL: url, SHUTDOWN_TIMEOUT_MS: "1000" });
  started.push(server);
  const fields = await fetchRegisterForm(server.url);
  const stuck = await startSlowRegistration(server.url, fields, uniquePerson("stuck"));
  const outcome = stuck.response.catch((error: unknown) => error);
  await sleep(300);
  server.process.kill("SIGTERM");
  const exit = await waitForExit(server.process, 4_000);
  expect(exit.code).toBe(1);
  expect(exit.ms).toBeGreaterThanOrEqual(900);
  expect(await outcome).toBeInstanceOf(Error); // the connection was cut, not answered
  expect(jsonLines(server.log()).map((line) => line.event)).toContain("server.shutdown-timeout");
});

/** Every process below `pid` (npm runs scripts through `sh -c`), read from /proc. */
function descendants(pid: number): number[] {
  const children = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1] === String(pid);
      } catch {
        return false; // the process ended while we looked
      }
    })
    .map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

test("`npm start` passes SIGTERM on to the server instead of leaving it running", async () => {
  test.skip(process.platform !== "linux", "reads the process tree from /proc");
  const url = `file:${join(dir, "npm-start.db")}`;
  await migrateDatabase(url);
  const port = await freePort();
  const npm = spawn("npm", ["start"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOSTNAME: "127.0.0.1", SESSION_SECRET: TEST_SESSION_SECRET },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  npm.stdout.on("data", (chunk) => (output += chunk));
  npm.stderr.on("data", (chunk) => (output += chunk));
  let below: number[] = [];
  try {
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.status, { timeout: 30_000 }).toBe(200);
    below = descendants(npm.pid!);
    npm.kill("SIGTERM");
    expect((await waitForExit(npm, 10_000)).code).toBe(0);
    expect(await isRefused(port)).toBe(true);
    expect(jsonLines(output)).toContainEqual(expect.objectContaining({ event: "server.stopped", exitCode: 0 }));
  } finally {
    for (const pid of below) {
      try {
        process.kill(pid, "SIGKILL"); // only if the signal did not reach them
      } catch {
        // already gone, as it should be
      }
    }
  }
});
