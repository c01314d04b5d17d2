// Scaling out: two production servers on different ports, as two containers behind a load
// balancer, sharing one database and one SESSION_SECRET (the rule in docs/operations.md "Several instances").
// What one instance accepts, the other shows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { migrateDatabase, startServer, type RunningServer } from "../support/server";
import { fillRegistration, uniquePerson } from "./helpers";
import { addTask, listInCookie, submitAndWait, taskItems } from "./task-cookies";

test.describe.configure({ mode: "serial" });

/** At most this long after a registration on one instance, every other instance lists it. */
const FRESHNESS_BOUND_MS = 2_000;
const SHARED_SECRET = "two-instances-share-this-secret-0123456789abcdef";

test.describe("two instances sharing one database and one SESSION_SECRET", () => {
  const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-instances-"));
  const url = `file:${join(dir, "shared.db")}`;
  const instances: { a?: RunningServer; b?: RunningServer } = {};

  test.beforeAll(async () => {
    await migrateDatabase(url);
    const env = { DATABASE_URL: url, SESSION_SECRET: SHARED_SECRET };
    [instances.a, instances.b] = await Promise.all([startServer(env), startServer(env)]);
  });
  test.afterAll(async () => {
    await Promise.all([instances.a?.stop(), instances.b?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test("a registration made through A is listed by B within 2 s", async ({ page, request }) => {
    const person = uniquePerson("scaled");
    await page.goto(`${instances.a!.url}/register`);
    await fillRegistration(page, person);
    await page.getByRole("button", { name: "Register" }).click();
    await expect(page.getByText(person.email)).toBeVisible();
    const registeredAt = Date.now();

    await expect
      .poll(async () => (await (await request.get(`${instances.b!.url}/`)).text()).includes(person.email), {
        timeout: FRESHNESS_BOUND_MS,
        intervals: [100],
      })
      .toBe(true);
    test.info().annotations.push({ type: "freshness", description: `listed by B after ${Date.now() - registeredAt} ms` });
  });

  test("the tasks cookie set by A is read and updated by B (as after a restart)", async ({ page, context }) => {
    // Cookies belong to the host, not the port: the browser sends A's cookie to B as well.
    await page.goto(`${instances.a!.url}/todos`);
    await addTask(page, "Added through instance A");
    await page.goto(`${instances.b!.url}/todos`);
    await expect(taskItems(page)).toHaveText([/Added through instance A/]);
    await submitAndWait(page, page.getByRole("button", { name: "Done: Added through instance A" }));
    await addTask(page, "Added through instance B");
    await page.goto(`${instances.a!.url}/todos`);
    await expect(taskItems(page)).toHaveText([/Done: Added through instance A/, /Added through instance B/]);
    expect((await listInCookie(context, [SHARED_SECRET])).tasks).toHaveLength(2);
  });
});
