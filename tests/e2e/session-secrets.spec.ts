// Session secrets across server processes: a rotated secret, and a server that refuses to start.
// (Another process with the same secret, as after a restart, is in several-instances.spec.ts.)
import { expect, test } from "@playwright/test";
import { startServer } from "../support/server";
import { addTask, listInCookie, listOfTasks, plantTaskList, secret, taskItems } from "./task-cookies";
import { withOwnServer } from "./own-server";

const NEWER_SECRET = "rotated-in-secret-0123456789abcdefghijklmnop";

test.describe("a rotated secret (newest first)", () => {
  const rotated = withOwnServer(() => process.env.E2E_DATABASE_URL!, { env: { SESSION_SECRET: `${NEWER_SECRET},${secret()}` } });

  test("old cookies are still read and are sealed with the newest secret on the next write", async ({ page, context }) => {
    await plantTaskList(context, listOfTasks(2));
    await page.goto(rotated.url("/todos"));
    await expect(taskItems(page)).toHaveCount(2);
    expect((await listInCookie(context, [NEWER_SECRET])).tasks).toHaveLength(0);

    await addTask(page, "After the rotation");
    await expect(taskItems(page)).toHaveCount(3);
    expect((await listInCookie(context, [NEWER_SECRET])).tasks).toHaveLength(3);
    expect((await listInCookie(context, [secret()])).tasks).toHaveLength(0);
  });
});

test.describe("a production server without a strong SESSION_SECRET", () => {
  for (const [label, value] of [["unset", undefined], ["too short", "short-secret"]] as const) {
    test(`refuses to start when it is ${label}, saying how to make one`, async () => {
      const started = startServer({ DATABASE_URL: process.env.E2E_DATABASE_URL, SESSION_SECRET: value });
      await expect(started).rejects.toThrow(/server exited with 1[\s\S]*Refusing to start: .*SESSION_SECRET.*openssl rand -base64 32/);
    });
  }
});
