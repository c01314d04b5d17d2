// Requests no honest visitor sends: a form posted from another website or that does not say where
// it came from, bodies over the Server Action limit or of unknown length. Each gets a clean refusal page, stores nothing, and the
// server keeps serving.
import { createServer, type Server } from "node:http";
import { expect, test } from "@playwright/test";
import { fetchRegisterForm, postRegistration, register } from "../load/register-form";
import { freePort } from "../support/server";
import { storedRegistrants, uniquePerson } from "./helpers";
import { withOwnServer } from "./own-server";
import { listOfTasks, secret } from "./task-cookies";
import { postNewTask, sealIn } from "./tasks-post";
import { cookieNameFor } from "../../lib/session/cookie-names";
import { REGISTRATIONS_COOKIE_NAME, REGISTRATIONS_COOKIE_PATH } from "../../lib/session/registrations";
import { sealTaskList, unsealTaskList } from "../../lib/session/seal";

/** The shared server's registrations cookie: Secure in production, so prefixed. */
const REGISTRATIONS = cookieNameFor(REGISTRATIONS_COOKIE_NAME, { path: REGISTRATIONS_COOKIE_PATH, secure: true });

test.describe("a form posted from another website", () => {
  let evil: Server;
  let evilUrl = "";
  test.beforeAll(async ({ baseURL }) => {
    // The attacker copies the real form, hidden Server Action fields and all, onto their own site.
    const fields = await fetchRegisterForm(baseURL!);
    const person = uniquePerson("csrf");
    const inputs = fields
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${(name === "name" ? person.name : name === "email" ? person.email : value).replace(/"/g, "&quot;")}">`)
      .join("");
    const html = `<!DOCTYPE html><title>Win a prize</title><form method="POST" enctype="multipart/form-data" action="${baseURL}/register">${inputs}<button>Claim</button></form>`;
    evil = createServer((_request, response) => response.writeHead(200, { "content-type": "text/html" }).end(html));
    const port = await freePort();
    await new Promise<void>((resolve) => evil.listen(port, "127.0.0.1", resolve));
    evilUrl = `http://127.0.0.1:${port}/?email=${encodeURIComponent(person.email)}`;
  });
  test.afterAll(() => new Promise<void>((resolve) => evil.close(() => resolve())));

  test("is refused with a 403 page and stores nothing", async ({ page }) => {
    const email = new URL(evilUrl).searchParams.get("email")!;
    await page.goto(evilUrl);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Claim" }).click(),
    ]);
    expect(response.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Form refused" })).toBeVisible();
    await expect(page.getByRole("alert")).toContainText("sent from another website, so nothing was saved");
    expect(await storedRegistrants(email)).toEqual([]);
  });

  test("is refused over plain HTTP too, with or without a believable name", async ({ baseURL }) => {
    const person = uniquePerson("csrf-http");
    for (const origin of ["https://evil.example", "null", `${baseURL}.evil.example`]) {
      const answer = await register(baseURL!, person, { origin });
      expect(answer.status).toBe(403);
      expect(answer.body).toContain("Form refused");
    }
    expect(await storedRegistrants(person.email)).toEqual([]);
  });

  test("cannot skip the check by sending the mark the server gives posts it has judged", async ({ baseURL }) => {
    const person = uniquePerson("csrf-mark");
    const headers = { origin: "https://evil.example", "x-registrants-edge-checked": "1" };
    const answer = await postRegistration(baseURL!, await fetchRegisterForm(baseURL!), person, { headers });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("Form refused");
    expect(await storedRegistrants(person.email)).toEqual([]);
  });
});

test.describe("a Tasks form post without an Origin (JavaScript off, a privacy tool strips headers)", () => {
  const tasksOf = async (seal: string | undefined) => (await unsealTaskList(seal, [secret()])).tasks.map((task) => task.text);
  let seal = "";
  test.beforeAll(async () => {
    seal = await sealTaskList(listOfTasks(2), [secret()]);
  });

  test("with no Origin, Sec-Fetch-Site or Referer it is refused with 403 and the cookie is not touched", async ({ baseURL }) => {
    const answer = await postNewTask(baseURL!, seal, "Forged task");
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("Form refused");
    expect(answer.body).toContain("did not say which website");
    expect(answer.setCookie).toEqual([]);
  });

  test("with a Referer from another site it is refused with 403 and the cookie is not touched", async ({ baseURL }) => {
    const answer = await postNewTask(baseURL!, seal, "Forged task", { headers: { referer: "https://evil.example/prize" } });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("sent from another website");
    expect(answer.setCookie).toEqual([]);
  });

  test("with this site's Referer it adds the task (post/redirect/get)", async ({ baseURL }) => {
    const answer = await postNewTask(baseURL!, seal, "Honest task", { headers: { referer: `${baseURL}/todos` } });
    expect(answer).toMatchObject({ status: 303, location: "/todos" });
    expect(await tasksOf(sealIn(answer))).toEqual([...(await tasksOf(seal)), "Honest task"]);
  });

  test("posted to /register (which lets unsigned posts through) the Tasks action does not run", async ({ baseURL }) => {
    const answer = await postNewTask(baseURL!, seal, "Forged task", { path: "/register" });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.setCookie).toEqual([]);
  });
});

test.describe("a registration without an Origin", () => {
  test("with a Referer from another site is refused; with none at all it is stored (scripts)", async ({ baseURL }) => {
    const fields = await fetchRegisterForm(baseURL!);
    const refused = uniquePerson("foreign-referer");
    const refusedAnswer = await postRegistration(baseURL!, fields, refused, { headers: { referer: "https://evil.example/" } });
    expect(refusedAnswer.status).toBe(403);
    expect(await storedRegistrants(refused.email)).toEqual([]);
    const scripted = uniquePerson("no-signal");
    expect(await postRegistration(baseURL!, fields, scripted, { headers: {} })).toMatchObject({ status: 303 });
    expect(await storedRegistrants(scripted.email)).toHaveLength(1);
  });
});

test.describe("an allowed origin behind a proxy (SERVER_ACTIONS_ALLOWED_ORIGINS)", () => {
  const server = withOwnServer(() => process.env.E2E_DATABASE_URL!, { env: { SERVER_ACTIONS_ALLOWED_ORIGINS: "www.public.test" } });

  test("may post the form; other origins still may not", async () => {
    const allowed = uniquePerson("allowed");
    expect(await register(server.url(""), allowed, { origin: "https://www.public.test" })).toMatchObject({ status: 303 });
    expect(await storedRegistrants(allowed.email)).toHaveLength(1);

    const other = uniquePerson("other");
    expect(await register(server.url(""), other, { origin: "https://other.public.test" })).toMatchObject({ status: 403 });
    expect(await storedRegistrants(other.email)).toEqual([]);
  });
});

test.describe("oversized and unmeasured bodies", () => {
  test("a body over 1 MB gets a clean 413 page, stores nothing, and the server keeps serving", async ({ baseURL }) => {
    const person = uniquePerson("huge");
    const answer = await register(baseURL!, { name: "x".repeat(2 * 1024 * 1024), email: person.email });
    expect(answer.status).toBe(413);
    expect(answer.body).toContain("Form too large");
    expect(await storedRegistrants(person.email)).toEqual([]);
    expect(await register(baseURL!, person)).toMatchObject({ status: 303 });
  });

  test("a name just under the body limit is answered with the length message", async ({ baseURL }) => {
    const person = uniquePerson("large");
    const answer = await register(baseURL!, { name: "x".repeat(900 * 1024), email: person.email });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("Your name must be at most 255 characters.");
    expect(await storedRegistrants(person.email)).toEqual([]);
  });

  test("a streamed body without a length is refused with 411", async ({ baseURL }) => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("name=streamed"));
        controller.close();
      },
    });
    const response = await fetch(`${baseURL}/register`, {
      method: "POST",
      body,
      headers: { origin: baseURL!, "content-type": "application/x-www-form-urlencoded" },
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(411);
    expect(await response.text()).toContain("nothing was saved");
  });
});

test("a /register post that says nothing of where it came from registers, but never rewrites the visitor's registrations cookie", async ({ baseURL }) => {
  const fields = await fetchRegisterForm(baseURL!);
  const post = (person: { name: string; email: string }, headers: Record<string, string>) => {
    const body = new FormData();
    for (const [name, value] of fields) body.append(name, name === "name" ? person.name : name === "email" ? person.email : value);
    return fetch(`${baseURL}/register`, { method: "POST", body, redirect: "manual", headers: { cookie: `${REGISTRATIONS}=the-visitors-own-seal`, ...headers } });
  };
  const unsignalled = uniquePerson("no-signal-cookie");
  const bare = await post(unsignalled, {});
  expect(bare.status).toBe(303);
  expect(bare.headers.getSetCookie()).toEqual([]);
  expect(await storedRegistrants(unsignalled.email)).toEqual([unsignalled]);

  // The same post from the site's own page remembers the registration, as a browser's does.
  const signalled = uniquePerson("signal-cookie");
  const own = await post(signalled, { origin: new URL(baseURL!).origin });
  expect(own.status).toBe(303);
  expect(own.headers.getSetCookie().filter((line) => line.startsWith(`${REGISTRATIONS}=`))).toHaveLength(1);
});
