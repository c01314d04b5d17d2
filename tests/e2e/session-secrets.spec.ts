// Sessions across server processes: a restart, a rotated secret, and a server that refuses to start.
import { expect, test } from "@playwright/test";
import { startServer } from "../support/server";
import { addTask, listInCookie, listOfTasks, plantTaskList, secret, submitAndWait, taskItems } from "./task-cookies";
import { withOwnServer } from "./own-server";

const NEWER_SECRET = "rotated-in-secret-0123456789abcdefghijklmnop";

test.describe("a second server with the same secret (a restart, or another instance)", () => {
  const other = withOwnServer(() => process.env.E2E_DATABASE_URL!);

  test("reads and updates the list the first server wrote", async ({ page, context }) => {
    await page.goto("/todos");
    await addTask(page, "Written by the first server");
    await expect(page.getByRole("listitem").filter({ hasText: "Written by the first server" })).toBeVisible();

    // Cookies belong to the host, not the port: the browser sends the same cookie to the other server.
    await page.goto(other.url("/todos"));
    await expect(page.getByRole("listitem").filter({ hasText: "Written by the first server" })).toBeVisible();
    await submitAndWait(page, page.getByRole("button", { name: "Done: Written by the first server" }));
    await expect(page.getByText("0 open tasks, 1 done.")).toBeVisible();
    await page.goto("/todos");
    await expect(page.getByText("0 open tasks, 1 done.")).toBeVisible();
    expect((await listInCookie(context)).tasks).toEqual([expect.objectContaining({ done: true })]);
  });
});

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
