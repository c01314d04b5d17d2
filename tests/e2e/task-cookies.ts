// Plants and reads the Tasks cookie the way the server seals it (same secret as the test server),
// so a spec can start from a full list or check what the browser was given.
import type { BrowserContext, Locator, Page } from "@playwright/test";
import { cookieNameFor } from "../../lib/session/cookie-names";
import { SESSION_COOKIE_NAME, sealTaskList, unsealTaskList } from "../../lib/session/seal";
import { addTask as withTask, EMPTY_TASK_LIST, type TaskList } from "../../lib/tasks/list";

export const secret = () => process.env.E2E_SESSION_SECRET!;

/** The shared test server runs in production: its cookies are Secure, so their names are prefixed. */
export const TASK_COOKIE_NAME = cookieNameFor(SESSION_COOKIE_NAME, { path: "/", secure: true });

export const fortyChars = (i: number) => `Planted task ${i} `.padEnd(40, "abcdefghij");

export function listOfTasks(count: number): TaskList {
  return Array.from({ length: count }, (_, i) => fortyChars(i + 1)).reduce(withTask, EMPTY_TASK_LIST);
}

export async function plantTaskList(context: BrowserContext, list: TaskList, secrets = [secret()]) {
  await plantCookieValue(context, await sealTaskList(list, secrets));
}

/** Plants the cookie as the server writes it (`name`: the old, unprefixed one, as a browser from before the prefixes has it). */
export async function plantCookieValue(context: BrowserContext, value: string, name = TASK_COOKIE_NAME) {
  const domain = new URL(process.env.E2E_BASE_URL!).hostname;
  await context.addCookies([{ name, value, domain, path: "/", secure: true, httpOnly: true, sameSite: "Lax" }]);
}

export async function taskCookie(context: BrowserContext, name = TASK_COOKIE_NAME) {
  return (await context.cookies()).find((cookie) => cookie.name === name);
}

export async function listInCookie(context: BrowserContext, secrets = [secret()]): Promise<TaskList> {
  return unsealTaskList((await taskCookie(context))?.value, secrets);
}

/** Clicks a control that posts to a Server Action and waits for the server's answer, not just the optimistic view. */
export async function submitAndWait(page: Page, control: Locator) {
  await Promise.all([page.waitForResponse((response) => response.request().method() === "POST"), control.click()]);
  await page.waitForLoadState();
}

export async function addTask(page: Page, text: string) {
  await page.getByLabel("Task", { exact: true }).fill(text);
  await submitAndWait(page, page.getByRole("button", { name: "Add", exact: true }));
}

export const taskItems = (page: Page) => page.getByRole("list", { name: "Your list" }).getByRole("listitem");
