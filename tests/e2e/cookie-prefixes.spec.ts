// The shared server runs in production, so its cookies are Secure and their names prefixed:
// `__Host-tasks` (Path=/, no Domain) and `__Secure-registrations` (Path=/register). A browser that
// still has a cookie from before the prefixes (`tasks`, `registrations`) keeps its tasks and its
// registrations: the cookie is read, and the next save writes the prefixed one and expires it.
import { expect, test, type Page } from "@playwright/test";
import { fillRegistration, JS_MODES, uniquePerson } from "./helpers";
import { addTask, listInCookie, listOfTasks, plantCookieValue, secret, TASK_COOKIE_NAME, taskItems } from "./task-cookies";
import { postNewTask, sealIn } from "./tasks-post";
import { sealTaskList, unsealTaskList } from "../../lib/session/seal";
import { addTask as withTask } from "../../lib/tasks/list";

const OLD_TASKS = "tasks";
const OLD_REGISTRATIONS = "registrations";

const cookieNames = async (page: Page) => (await page.context().cookies()).map((cookie) => cookie.name).sort();

/** A Set-Cookie line's attributes, lower-cased, without Expires's value. */
const attributesOf = (line: string) => line.split(";").slice(1).map((part) => part.trim().toLowerCase().replace(/^expires=.*/, "expires"));

test.describe("the Tasks cookie from before the prefixes", () => {
  for (const mode of JS_MODES) {
    test(`is read, and the next change moves the list to ${TASK_COOKIE_NAME} (${mode.label})`, async ({ browser }) => {
      const context = await browser.newContext({ javaScriptEnabled: mode.javaScriptEnabled });
      const page = await context.newPage();
      await plantCookieValue(context, await sealTaskList(listOfTasks(2), [secret()]), OLD_TASKS);
      await page.goto("/todos");
      await expect(taskItems(page)).toHaveCount(2);

      await addTask(page, "After the upgrade");
      await expect(taskItems(page)).toHaveCount(3);
      expect(await cookieNames(page)).toEqual([TASK_COOKIE_NAME]);
      expect((await listInCookie(context)).tasks.map((task) => task.text)).toEqual([...listOfTasks(2).tasks.map((task) => task.text), "After the upgrade"]);
      await page.reload();
      await expect(taskItems(page)).toHaveCount(3);
      await context.close();
    });
  }

  test(`the answer writes ${TASK_COOKIE_NAME} (Path=/, Secure, no Domain) and expires the old cookie on the same path`, async ({ baseURL }) => {
    const old = await sealTaskList(listOfTasks(1), [secret()]);
    const answer = await postNewTask(baseURL!, old, "Moved", { headers: { origin: baseURL! }, cookieName: OLD_TASKS });
    expect(answer.status).toBe(303);
    const written = answer.setCookie.find((line) => line.startsWith(`${TASK_COOKIE_NAME}=`))!;
    const expired = answer.setCookie.find((line) => line.startsWith(`${OLD_TASKS}=`))!;
    expect(answer.setCookie).toHaveLength(2);
    expect(attributesOf(written).sort()).toEqual(["expires", "httponly", "path=/", "samesite=lax", "secure"]);
    expect(expired).toMatch(/^tasks=;/);
    expect(expired).toContain("Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    expect(attributesOf(expired)).toContain("path=/");
    expect(await unsealTaskList(sealIn(answer), [secret()])).toEqual(withTask(listOfTasks(1), "Moved"));
  });

  test("when a browser sends both, the prefixed cookie is the list", async ({ page, context }) => {
    await plantCookieValue(context, await sealTaskList(listOfTasks(5), [secret()]), OLD_TASKS);
    await plantCookieValue(context, await sealTaskList(listOfTasks(1), [secret()]));
    await page.goto("/todos");
    await expect(taskItems(page)).toHaveCount(1);
  });

  test("a change that leaves no old cookie behind sets one cookie only", async ({ baseURL }) => {
    const answer = await postNewTask(baseURL!, await sealTaskList(listOfTasks(1), [secret()]), "Plain", { headers: { origin: baseURL! } });
    expect(answer.setCookie.map((line) => line.split("=")[0])).toEqual([TASK_COOKIE_NAME]);
  });
});

async function register(page: Page, person: { name: string; email: string }) {
  await page.goto("/register");
  await fillRegistration(page, person);
  await page.getByRole("button", { name: "Register", exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
}

const ownList = (page: Page) => page.getByRole("list", { name: "Your registrations" });

test("the registrations cookie from before the prefixes is read, and the next registration moves it to __Secure-registrations (Path=/register)", async ({ page, context }) => {
  const first = uniquePerson("prefix-first");
  await register(page, first);
  const current = (await context.cookies()).find((cookie) => cookie.name === "__Secure-registrations")!;
  expect(current).toMatchObject({ path: "/register", secure: true, httpOnly: true, sameSite: "Lax" });
  // What a browser from before the prefixes has: the same seal under the old name.
  await context.clearCookies();
  await context.addCookies([{ ...current, name: OLD_REGISTRATIONS }]);
  await page.goto("/register");
  await expect(ownList(page)).toContainText(first.name);

  const second = uniquePerson("prefix-second");
  const answers: Promise<string[]>[] = [];
  page.on("response", (response) => {
    if (response.request().method() === "POST") answers.push(response.headerValue("set-cookie").then((value) => value?.split("\n") ?? []));
  });
  await register(page, second);
  const setCookie = (await Promise.all(answers)).flat();
  expect(setCookie.find((line) => line.startsWith(`${OLD_REGISTRATIONS}=;`))).toContain("Path=/register");
  expect(await cookieNames(page)).toEqual(["__Secure-registrations"]);
  await page.goto("/register");
  await expect(ownList(page)).toContainText(first.name);
  await expect(ownList(page)).toContainText(second.name);
});
