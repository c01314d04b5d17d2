import { expect, test, type Page } from "@playwright/test";
import { JS_MODES } from "./helpers";
import { withOwnServer } from "./own-server";
import { postNewTask, taskCookieName } from "./tasks-post";
import { sealTaskList } from "../../lib/session/seal";
import {
  addTask,
  fortyChars,
  listInCookie,
  listOfTasks,
  plantCookieValue,
  plantTaskList,
  secret,
  submitAndWait,
  taskCookie,
  taskItems,
} from "./task-cookies";

const taskList = taskItems;
const status = (page: Page) => page.getByRole("status");

for (const mode of JS_MODES) {
  test.describe(`tasks ${mode.label}`, () => {
    test.use({ javaScriptEnabled: mode.javaScriptEnabled });

    test("a visitor adds, completes, reopens, deletes and clears tasks", async ({ page }) => {
      await page.goto("/todos");
      await expect(page).toHaveTitle(/Tasks/);
      await expect(page.getByText("No tasks yet")).toBeVisible();

      await addTask(page, "Buy milk");
      await addTask(page, "Call Ada");
      await addTask(page, "Water plants");
      await expect(taskList(page)).toHaveText([/Buy milk/, /Call Ada/, /Water plants/]);
      await expect(page.getByText("3 open tasks.")).toBeVisible();
      await expect(page.getByLabel("Task", { exact: true })).toHaveValue("");

      await submitAndWait(page, page.getByRole("button", { name: "Done: Buy milk" }));
      await expect(taskList(page).first()).toHaveText(/Done: Buy milk/);
      await expect(page.getByText("2 open tasks, 1 done.")).toBeVisible();
      await submitAndWait(page, page.getByRole("button", { name: "Undo: Buy milk" }));
      await expect(page.getByText("3 open tasks.")).toBeVisible();

      await submitAndWait(page, page.getByRole("button", { name: "Done: Buy milk" }));
      await submitAndWait(page, page.getByRole("button", { name: "Done: Water plants" }));
      await expect(page.getByText("1 open task, 2 done.")).toBeVisible();
      await submitAndWait(page, page.getByRole("button", { name: "Clear completed" }));
      await expect(taskList(page)).toHaveText([/Call Ada/]);

      await submitAndWait(page, page.getByRole("button", { name: "Delete: Call Ada" }));
      await expect(page.getByText("No tasks yet")).toBeVisible();
      await page.reload();
      await expect(page.getByText("No tasks yet")).toBeVisible();
    });

    test("a blank or too-long task gets a message tied to the field and keeps what was typed", async ({ page }) => {
      await page.goto("/todos");
      await page.locator("form.add-task").evaluate((form: HTMLFormElement) => (form.noValidate = true));
      await addTask(page, "   ");
      const field = page.getByLabel("Task", { exact: true });
      await expect(page.getByText("Please enter a task.")).toBeVisible();
      await expect(field).toHaveAttribute("aria-invalid", "true");
      await expect(field).toHaveAccessibleDescription("Please enter a task.");
      await expect(field).toBeFocused();

      const tooLong = "x".repeat(201);
      await page.locator("form.add-task").evaluate((form: HTMLFormElement) => {
        form.noValidate = true;
        form.querySelector("input[name=task]")!.removeAttribute("maxlength");
      });
      await field.fill(tooLong);
      await submitAndWait(page, page.getByRole("button", { name: "Add", exact: true }));
      await expect(page.getByText("A task can be at most 200 characters.")).toBeVisible();
      await expect(page.getByLabel("Task", { exact: true })).toHaveValue(tooLong);
      await expect(page.getByRole("list", { name: "Your list" })).toHaveCount(0);
    });

    test("an old tab's change to a task that is gone is a notice, not an error", async ({ context }) => {
      const first = await context.newPage();
      await first.goto("/todos");
      await addTask(first, "Only once");
      const old = await context.newPage();
      await old.goto("/todos");
      await submitAndWait(first, first.getByRole("button", { name: "Delete: Only once" }));
      await expect(first.getByText("No tasks yet")).toBeVisible();

      await submitAndWait(old, old.getByRole("button", { name: "Done: Only once" }));
      await expect(status(old)).toHaveText(/no longer on your list.*Nothing was changed/);
      await expect(old.getByText("No tasks yet")).toBeVisible();
    });

    test("clearing completed tasks an old tab still shows says there were none, and changes nothing", async ({ context }) => {
      const first = await context.newPage();
      await first.goto("/todos");
      await addTask(first, "Finished already");
      await addTask(first, "Still open");
      await submitAndWait(first, first.getByRole("button", { name: "Done: Finished already" }));
      const old = await context.newPage();
      await old.goto("/todos");
      await submitAndWait(first, first.getByRole("button", { name: "Clear completed" }));

      await submitAndWait(old, old.getByRole("button", { name: "Clear completed" }));
      await expect(status(old)).toHaveText("There are no completed tasks to clear.");
      await expect(taskList(old)).toHaveText([/Still open/]);
    });

    test("a full list refuses the new task, says how to make room, and keeps every task", async ({ page, context }) => {
      const full = listOfTasks(63);
      await plantTaskList(context, full);
      const before = (await taskCookie(context))!.value;
      await page.goto("/todos");
      await expect(taskList(page)).toHaveCount(63);

      await addTask(page, fortyChars(64));
      await expect(page.getByText(/Your list is full.*Delete a task or clear completed ones/)).toBeVisible();
      await expect(page.getByLabel("Task", { exact: true })).toHaveValue(fortyChars(64));
      await expect(taskList(page)).toHaveCount(63);
      expect((await taskCookie(context))!.value).toBe(before);

      await submitAndWait(page, page.getByRole("button", { name: `Delete: ${fortyChars(1)}` }));
      await expect(taskList(page)).toHaveCount(62);
      await addTask(page, fortyChars(64));
      await expect(taskList(page)).toHaveCount(63);
      await expect(taskList(page).last()).toHaveText(new RegExp(fortyChars(64)));
    });
  });
}

test("the fullest cookie the server writes is kept by the browser", async ({ page, context }) => {
  await plantTaskList(context, listOfTasks(62));
  // Each response's header is read as it comes, and all of them before the assertions; a late one
  // (a prefetch) that is still being read when the page closes must not fail the run.
  const setCookieHeaders: Promise<string | null>[] = [];
  page.on("response", (response) => setCookieHeaders.push(response.headerValue("set-cookie").catch(() => null)));
  await page.goto("/todos");
  await addTask(page, fortyChars(63));
  await expect(taskList(page)).toHaveCount(63);
  await page.reload();
  await expect(taskList(page)).toHaveCount(63);
  expect((await listInCookie(context)).tasks).toHaveLength(63);
  const setCookieSizes = (await Promise.all(setCookieHeaders)).filter((header) => header?.startsWith(`${taskCookieName()}=`)).map((header) => Buffer.byteLength(header!));
  expect(Math.max(...setCookieSizes)).toBeLessThanOrEqual(4096);
  expect(Math.max(...setCookieSizes)).toBeGreaterThan(3900);
});

test("two browsers never see each other's tasks", async ({ browser }) => {
  const alice = await browser.newContext();
  const bob = await browser.newContext();
  const alicePage = await alice.newPage();
  const bobPage = await bob.newPage();
  await alicePage.goto("/todos");
  await bobPage.goto("/todos");
  await addTask(alicePage, "Alice's secret plan");
  await addTask(bobPage, "Bob's shopping");
  await expect(taskList(alicePage)).toHaveText([/Alice's secret plan/]);
  await bobPage.reload();
  await expect(taskList(bobPage)).toHaveText([/Bob's shopping/]);
  await alice.close();
  await bob.close();
});

test("a tampered or garbage cookie is an empty list, and the next write replaces it", async ({ page, context }) => {
  await plantTaskList(context, listOfTasks(3));
  const seal = (await taskCookie(context))!.value;
  for (const bad of [seal.slice(0, 80) + (seal[80] === "a" ? "b" : "a") + seal.slice(81), seal.slice(0, -20), "garbage"]) {
    await plantCookieValue(context, bad);
    const response = await page.goto("/todos");
    expect(response?.status()).toBe(200);
    await expect(page.getByText("No tasks yet")).toBeVisible();
  }
  await addTask(page, "A fresh start");
  await expect(taskList(page)).toHaveText([/A fresh start/]);
  expect((await listInCookie(context)).tasks.map((task) => task.text)).toEqual(["A fresh start"]);
});

test("the cookie is HttpOnly, SameSite=Lax, Secure in production, lasts 30 days, and hides the text", async ({ page, context }) => {
  await page.goto("/todos");
  await addTask(page, "Plain-text-must-not-show");
  await expect(taskList(page)).toHaveCount(1);
  const cookie = (await taskCookie(context))!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", secure: true });
  const days = (cookie.expires - Date.now() / 1000) / 86_400;
  expect(days).toBeGreaterThan(29);
  expect(days).toBeLessThanOrEqual(30);
  expect(cookie.value).not.toContain("Plain-text");
  expect(Buffer.from(cookie.value.split("*")[4] ?? "", "base64url").toString("latin1")).not.toContain("Plain-text");
  expect(await page.evaluate(() => document.cookie)).not.toContain("tasks=");
});

test("markup in a task is shown as text", async ({ page }) => {
  let dialogs = 0;
  page.on("dialog", (dialog) => {
    dialogs += 1;
    void dialog.dismiss();
  });
  await page.goto("/todos");
  await addTask(page, "<img src=x onerror=alert(1)><b>bold</b>");
  await expect(taskList(page)).toHaveText([/<img src=x onerror=alert\(1\)><b>bold<\/b>/]);
  await expect(page.locator(".tasks img, .tasks b")).toHaveCount(0);
  expect(dialogs).toBe(0);
});

// Chromium stores a cookie without SameSite as Lax, so reading the browser's cookie cannot tell
// whether the server sent the attribute: these read the raw Set-Cookie header of a real answer.
async function rawTaskCookie(baseUrl: string, secure = true) {
  const cookieName = taskCookieName(secure);
  const answer = await postNewTask(baseUrl, await sealTaskList(listOfTasks(1), [secret()]), "Raw header", { headers: { origin: baseUrl }, cookieName });
  expect(answer.status).toBe(303);
  expect(answer.setCookie, "one cookie, under its current name").toEqual([expect.stringMatching(new RegExp(`^${cookieName}=`))]);
  return answer.setCookie[0]!;
}

/** A Set-Cookie line's attributes, lower-cased and sorted, without Expires (it moves with the clock). */
const attributesOf = (setCookie: string) =>
  setCookie
    .split(";")
    .slice(1)
    .map((part) => part.trim().toLowerCase())
    .filter((attribute) => !attribute.startsWith("expires="))
    .sort();

test.describe("the raw Set-Cookie header of a task change", () => {
  // Expires alone says the 30 days (checked in the browser above): a Max-Age too would cost the bytes the prefix needs.
  test("is __Host-tasks: HttpOnly, SameSite=Lax, Path=/, no Domain and, in production, Secure", async ({ baseURL }) => {
    const line = await rawTaskCookie(baseURL!);
    expect(line).toMatch(/^__Host-tasks=/);
    expect(attributesOf(line)).toEqual(["httponly", "path=/", "samesite=lax", "secure"]);
  });

  test.describe("with SESSION_COOKIE_SECURE=false", () => {
    const server = withOwnServer(() => process.env.E2E_DATABASE_URL!, { env: { SESSION_COOKIE_SECURE: "false" } });

    test("is the same without Secure, and so without a prefix: `tasks`", async () => {
      const line = await rawTaskCookie(server.url(""), false);
      expect(line).toMatch(/^tasks=/);
      expect(attributesOf(line)).toEqual(["httponly", "path=/", "samesite=lax"]);
    });
  });
});
