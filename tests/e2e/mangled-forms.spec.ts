// What a scanner does to a form posted without JavaScript (sqlmap's forms mode): each hidden field
// the framework put in it, mangled in turn, on every form of the site. Each such post gets the
// server's own 400 page and changes nothing, leaves one info line in the log, and the log holds
// nothing but JSON lines, Next's own output included.
import { expect, test, type Page } from "@playwright/test";
import { jsonLines } from "../support/processes";
import { storedRegistrants, uniquePerson } from "./helpers";
import { withOwnServer } from "./own-server";

test.use({ javaScriptEnabled: false });
const server = withOwnServer(() => process.env.E2E_DATABASE_URL!);

type PostedForm = { page: string; index: number; fields: Array<[string, string]> };

/** Every form that posts (method POST) on the page, with all its named inputs. */
async function postingForms(page: Page, path: string): Promise<PostedForm[]> {
  await page.goto(server.url(path));
  const forms = await page.locator("form").evaluateAll((elements: HTMLFormElement[]) =>
    elements.map((form) => ({
      method: form.method,
      fields: [...form.querySelectorAll<HTMLInputElement>("input[name]")].map((input) => [input.name, input.value] as [string, string]),
    })),
  );
  return forms.flatMap((form, index) => (form.method === "post" ? [{ page: path, index, fields: form.fields }] : []));
}

/** What a scanner sends in place of a field's value. */
const MANGLINGS = [(value: string) => `${value}' AND 1=1`, () => "[{' AND 1=1", () => ""];

test("every framework field of every form, mangled in turn: a 400 refusal page, nothing stored, one info line each, JSON lines only", async ({ page }) => {
  // A registration and two tasks (one done), so the cancel, toggle, delete and clear forms exist.
  const person = uniquePerson("mangled");
  await page.goto(server.url("/register"));
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByRole("button", { name: "Register", exact: true }).click();
  await page.goto(server.url("/todos"));
  for (const task of ["first", "second"]) {
    await page.getByLabel("Task", { exact: true }).fill(task);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect(page.getByRole("button", { name: `Delete: ${task}` })).toBeVisible();
  }
  await page.getByRole("button", { name: "Done: first" }).click();
  await expect(page.getByRole("button", { name: "Undo: first" })).toBeVisible();
  await page.goto(server.url("/register"));
  const cancelPath = await page.locator("form[method=get] input[name=id]").first().evaluate((input: HTMLInputElement) => `/register/cancel?id=${input.value}`);

  const forms = [...(await postingForms(page, "/register")), ...(await postingForms(page, cancelPath)), ...(await postingForms(page, "/todos"))];
  // The register form, the cancel confirmation, and on /todos: add, two toggles, two deletes, clear.
  expect(forms.length).toBeGreaterThanOrEqual(8);
  const logBefore = server.log().length;
  let posts = 0;
  for (const form of forms) {
    const hidden = form.fields.filter(([name]) => name.startsWith("$ACTION_"));
    expect(hidden.length, `${form.page} form ${form.index}`).toBeGreaterThan(0);
    for (const [target] of hidden) {
      for (const mangle of MANGLINGS) {
        if (mangle(form.fields.find(([name]) => name === target)![1]) === form.fields.find(([name]) => name === target)![1]) continue; // not a change
        const multipart = new FormData();
        for (const [name, value] of form.fields) {
          multipart.append(name, name === target ? mangle(value) : name === "email" ? uniquePerson("mangled-post").email : value);
        }
        const response = await page.request.post(server.url(form.page), {
          multipart,
          headers: { origin: new URL(server.url("/")).origin },
          maxRedirects: 0,
        });
        posts += 1;
        expect(response.status(), `${form.page} form ${form.index}: ${target}`).toBe(400);
        expect(await response.text()).toContain("<h1>Form refused</h1>");
      }
    }
  }
  // Nothing changed: still registered, both tasks still there.
  expect(await storedRegistrants(person.email)).toEqual([person]);
  await page.goto(server.url("/todos"));
  await expect(page.getByRole("list", { name: "Your list" }).getByRole("listitem")).toHaveCount(2);

  const output = server.log().slice(logBefore);
  const lines = output.split("\n").filter(Boolean);
  expect(lines.filter((line) => !line.startsWith("{"))).toEqual([]); // no raw line from Next
  const refused = jsonLines(output).filter((line) => line.event === "request.refused");
  expect(refused).toHaveLength(posts);
  expect(refused.every((line) => line.level === "info" && line.reason === "malformed-form")).toBe(true);
  expect(jsonLines(output).filter((line) => line.level === "error")).toEqual([]);
});

test("a hand-made action call from a script, whose arguments are not what the page sends, is refused with a 400, not a 500", async ({ page }) => {
  await page.goto(server.url("/register"));
  const descriptor = await page.locator('input[name="$ACTION_1:0"]').getAttribute("value");
  const actionId = JSON.parse(descriptor!).id as string;
  const logBefore = server.log().length;
  const headers = { "next-action": actionId, "content-type": "text/plain;charset=UTF-8", origin: new URL(server.url("/")).origin };
  for (const data of ['"not a list of arguments"', "[{' AND 1=1", ""]) {
    const response = await page.request.post(server.url("/register"), { headers, data });
    expect(response.status(), data).toBe(400);
  }
  // Well-formed arguments that are not a form reach the action, which refuses them without a crash.
  const notAForm = await page.request.post(server.url("/register"), { headers, data: '[{"values":{}},"just text"]' });
  expect(notAForm.status()).toBeLessThan(500);
  const output = server.log().slice(logBefore);
  expect(output.split("\n").filter(Boolean).every((line) => line.startsWith("{"))).toBe(true);
  expect(jsonLines(output).filter((line) => line.event === "request.refused" && line.level === "info")).toHaveLength(3);
  expect(jsonLines(output).filter((line) => line.event === "action.refused")).toHaveLength(1);
  expect(jsonLines(output).filter((line) => line.level === "error")).toEqual([]);
});
