// The registration writer under faults, on the real production server and a real SQLite file: its
// commit thread dies mid-commit, its database folder disappears so no new connection can open, a
// commit hangs past its deadline, the queue fills up. Each time the visitor gets the form back with
// a "try again" message and their values, /api/health says what is going on, the writer recovers
// by itself, and every registration that was answered with a redirect is stored exactly once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { openClient } from "../../db/connection/client";
import { register, type Person, type PostOutcome } from "../load/register-form";
import { healthAsOperator, migrateDatabase } from "../support/server";
import { breakDatabaseFolder, injectWriterFault } from "../support/writer-faults";
import { uniquePerson } from "./helpers";
import { withOwnServer } from "./own-server";

test.describe.configure({ mode: "serial" });
const root = mkdtempSync(join(tmpdir(), "registrants-e2e-writer-"));
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

const COMMIT_TIMEOUT_MS = 6_000;
const TRY_AGAIN = "could not save your registration just now";
const QUEUE_FULL = "too many people are registering at this very moment";

type Health = { status: string; writer: string; writerQueue: number; writerCommitting: number; writerRestarts: number };

/** A server of its own on a database in a folder of its own (so the folder can be taken away). */
function faultyServer(name: string, env: Record<string, string> = {}) {
  const folder = join(root, name);
  const databaseUrl = `file:${join(folder, "registrants.db")}`;
  const faultFile = join(root, `${name}.fault`);
  test.beforeAll(() => migrateDatabase(databaseUrl));
  const server = withOwnServer(() => databaseUrl, {
    env: { REGISTRATION_FAULT_FILE: faultFile, REGISTRATION_COMMIT_TIMEOUT_MS: String(COMMIT_TIMEOUT_MS), ...env },
  });
  const acknowledged: Person[] = [];
  const refused: Person[] = [];
  return {
    databaseUrl,
    faultFile,
    url: server.url,
    async health(): Promise<{ code: number; body: Health }> {
      const response = await healthAsOperator(server.url(""));
      return { code: response.status, body: (await response.json()) as Health };
    },
    /** Registers without JavaScript; remembers who got a redirect and who was told to try again. */
    async register(person: Person): Promise<PostOutcome> {
      const outcome = await register(server.url(""), person);
      (outcome.status === 303 ? acknowledged : refused).push(person);
      return outcome;
    },
    /** Every acknowledged registration is stored exactly once, and none of the refused ones. */
    async expectStoredExactlyAcknowledged() {
      const client = openClient({ url: databaseUrl });
      try {
        const everyone = [...acknowledged, ...refused];
        const { rows } = await client.execute({
          sql: `SELECT email, count(*) AS copies FROM registrants WHERE email IN (${everyone.map(() => "?").join(", ")}) GROUP BY email`,
          args: everyone.map((person) => person.email),
        });
        const copies = Object.fromEntries(rows.map((row) => [String(row.email), Number(row.copies)]));
        expect(copies).toEqual(Object.fromEntries(acknowledged.map((person) => [person.email, 1])));
      } finally {
        client.close();
      }
    },
  };
}

function expectTryAgain(outcome: PostOutcome, person: Person, message = TRY_AGAIN) {
  expect(outcome.status).toBe(200);
  expect(outcome.body).toContain(message);
  expect(outcome.body).toContain(`value="${person.email}"`); // the visitor's values come back
}

test.describe("a commit thread that dies", () => {
  const server = faultyServer("dies");

  test("mid-commit costs that registration only: the visitor is told to try again, and the next is stored", async () => {
    expect((await server.register(uniquePerson("before-crash"))).status).toBe(303);
    injectWriterFault(server.faultFile, "exit");
    const caught = uniquePerson("caught-in-crash");
    expectTryAgain(await server.register(caught), caught);
    expect((await server.register(uniquePerson("after-crash"))).status).toBe(303);

    const { code, body } = await server.health();
    expect(code).toBe(200);
    expect(body).toMatchObject({ status: "ok", writer: "ok", writerQueue: 0, writerCommitting: 0 });
    expect(body.writerRestarts).toBeGreaterThanOrEqual(1);
    await server.expectStoredExactlyAcknowledged();
  });

  test("with its database folder gone, health turns 503 and registrations fail at once; both recover by themselves", async () => {
    test.setTimeout(90_000);
    expect((await server.register(uniquePerson("before-folder"))).status).toBe(303);
    // The server has read the list before (its read connection is open), as any server serving visitors has:
    // that is what looks the lost commit's email up below, so "nothing was stored" is known, not guessed.
    expect((await server.health()).code).toBe(200);
    const restore = breakDatabaseFolder(server.databaseUrl);
    try {
      injectWriterFault(server.faultFile, "exit"); // the thread goes; no replacement can open the file
      const caught = uniquePerson("caught-folder");
      expectTryAgain(await server.register(caught), caught);
      await expect.poll(async () => (await server.health()).body.writer, { timeout: 20_000, intervals: [50] }).toBe("down");
      const { code, body } = await server.health();
      expect({ code, status: body.status }).toEqual({ code: 503, status: "error" });

      const whileDown = uniquePerson("while-down");
      const started = Date.now();
      const outcome = await server.register(whileDown);
      expect(Date.now() - started).toBeLessThan(2_000); // told at once, not after a deadline
      expectTryAgain(outcome, whileDown);
    } finally {
      restore();
    }
    await expect.poll(async () => (await server.health()).code, { timeout: 30_000, intervals: [200] }).toBe(200);
    expect((await server.register(uniquePerson("after-folder"))).status).toBe(303);
    await server.expectStoredExactlyAcknowledged();
  });
});

test.describe("a commit that hangs, behind a queue of one", () => {
  const server = faultyServer("hangs", { REGISTRATION_QUEUE_LIMIT: "1" });

  test("past the queue's bound a visitor is refused at once; the stuck commit is given up at its deadline and the queued one answered within its own", async () => {
    test.setTimeout(90_000);
    // Health first, as a load balancer would: the writer is then opened by /api/health's bundle, and
    // the register action must still know its errors (by name, db/writer/errors.ts).
    expect((await server.health()).code).toBe(200);
    expect((await server.register(uniquePerson("warm-up"))).status).toBe(303);
    injectWriterFault(server.faultFile, "hang");
    const stuck = uniquePerson("stuck");
    const stuckOutcome = server.register(stuck);
    await expect.poll(async () => (await server.health()).body.writerCommitting, { timeout: 10_000, intervals: [50] }).toBe(1);
    const queuedPerson = uniquePerson("queued");
    const queuedAt = Date.now();
    const queued = server.register(queuedPerson);
    await expect.poll(async () => (await server.health()).body.writerQueue, { timeout: 10_000, intervals: [50] }).toBe(1);

    const turnedAway = uniquePerson("turned-away");
    const started = Date.now();
    const outcome = await server.register(turnedAway);
    expect(Date.now() - started).toBeLessThan(2_000);
    expectTryAgain(outcome, turnedAway, QUEUE_FULL);

    expectTryAgain(await stuckOutcome, stuck);
    // Queued behind the stuck commit, it is answered within its own deadline (queueing included):
    // stored if the replacement thread committed it in time, else asked to try again. Either way the
    // database holds exactly what was acknowledged (below).
    const queuedOutcome = await queued;
    expect(Date.now() - queuedAt).toBeLessThan(COMMIT_TIMEOUT_MS + 2_000);
    if (queuedOutcome.status !== 303) expectTryAgain(queuedOutcome, queuedPerson);
    // Recovered by itself (a thread given up on twice in a row waits a back-off of 100 ms first).
    await expect.poll(async () => (await server.health()).body, { timeout: 10_000, intervals: [100] }).toMatchObject({ status: "ok", writer: "ok", writerQueue: 0 });
    await server.expectStoredExactlyAcknowledged();
  });
});
