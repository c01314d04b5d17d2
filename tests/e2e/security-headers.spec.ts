// Every answer carries the security headers, whether Next rendered it (pages, 404, a bad Server
// Action request) or the server wrote it (refused posts: 403, 411, 413); none says what it runs on.
// A document's Content-Security-Policy names its own inline scripts by hash and allows no other
// inline script (server/document-policy.ts): the pages work under it with JavaScript on and off,
// cached or not, and a script injected into a page does not run.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type APIResponse, type Page } from "@playwright/test";
import { migrateDatabase } from "../support/server";
import { disableBrowserValidation, fillRegistration, uniquePerson } from "./helpers";
import { withOwnServer } from "./own-server";
import { addTask, submitAndWait, taskItems } from "./task-cookies";

/** What the policy allowed before: any inline script. The control test serves it to show the injection check can fail. */
const OLD_POLICY =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

const headersOf = (response: APIResponse | Response) => (response instanceof Response ? Object.fromEntries(response.headers) : response.headers());

const sourcesOf = (csp: string, directive: string) => (csp.split(";").map((part) => part.trim().split(/\s+/)).find(([name]) => name === directive) ?? []).slice(1);

function expectSecurityHeaders(response: APIResponse | Response) {
  const headers = headersOf(response);
  const csp = headers["content-security-policy"];
  expect(csp).toContain("default-src 'self'");
  expect(sourcesOf(csp, "script-src")[0]).toBe("'self'");
  for (const directive of ["script-src", "style-src"]) {
    for (const source of sourcesOf(csp, directive).slice(1)) expect(source, `${directive} allows only hashes besides 'self'`).toMatch(/^'sha256-[A-Za-z0-9+/]{43}='$/);
  }
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'self'");
  expect(csp).toContain("form-action 'self'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["strict-transport-security"]).toBe("max-age=63072000");
  expect(headers["x-powered-by"]).toBeUndefined();
}

/** The hash sources of a page's inline elements, computed here from the HTML the browser got, independently of the server's code. */
function inlineHashesIn(html: string, tag: "script" | "style"): string[] {
  const elements = html.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "g"));
  const inline = [...elements].filter(([, attributes]) => !/\ssrc=/.test(attributes ?? ""));
  return [...new Set(inline.map(([, , text]) => `'sha256-${createHash("sha256").update(text!).digest("base64")}'`))].sort();
}

/** The policy of a document names exactly its inline scripts and styles, and it has some: Next's bootstrap. */
async function expectOwnPolicy(response: APIResponse) {
  const html = await response.text();
  const csp = response.headers()["content-security-policy"];
  expect(sourcesOf(csp, "script-src").slice(1).sort()).toEqual(inlineHashesIn(html, "script"));
  expect(sourcesOf(csp, "style-src").slice(1).sort()).toEqual(inlineHashesIn(html, "style"));
  expect(inlineHashesIn(html, "script").length).toBeGreaterThan(0);
}

for (const [path, status] of [["/", 200], ["/register", 200], ["/todos", 200], ["/?page=2", 200], ["/register/cancel?id=1", 200], ["/no-such-page", 404]] as const) {
  test(`GET ${path} answers ${status} with the security headers, its policy naming its own inline scripts`, async ({ request }) => {
    const response = await request.get(path);
    expect(response.status()).toBe(status);
    expectSecurityHeaders(response);
    await expectOwnPolicy(response);
  });
}

test("the proxy's refusal pages (403 cross-site, 403 no signal, 413) and a bad Server Action request (400) carry them too, their one style allowed by hash", async ({ request, baseURL }) => {
  const crossSite = await request.post("/register", { headers: { origin: "https://evil.example" }, multipart: { name: "Eve" } });
  expect(crossSite.status()).toBe(403);
  const unsigned = await request.post("/todos", { multipart: { task: "Eve" } });
  expect(unsigned.status()).toBe(403);
  const tooLarge = await request.post("/register", { headers: { origin: baseURL! }, multipart: { name: "x".repeat(1024 * 1024 + 1) } });
  expect(tooLarge.status()).toBe(413);
  const badAction = await request.post("/register", { headers: { origin: baseURL! }, multipart: { "$ACTION_ID_0000": "", name: "x" } });
  expect(badAction.status()).toBe(400);
  for (const refused of [crossSite, unsigned, tooLarge, badAction]) {
    expectSecurityHeaders(refused);
    const csp = refused.headers()["content-security-policy"];
    expect(sourcesOf(csp, "style-src").slice(1)).toEqual(inlineHashesIn(await refused.text(), "style"));
    expect(sourcesOf(csp, "script-src")).toEqual(["'self'"]);
  }
});

test("a streamed post without a length (411) carries them too", async ({ baseURL }) => {
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("name=streamed"));
      controller.close();
    },
  });
  const response = await fetch(`${baseURL}/register`, { method: "POST", body, headers: { origin: baseURL! }, duplex: "half" } as RequestInit);
  expect(response.status).toBe(411);
  expectSecurityHeaders(response);
});

test("Next's static files carry nosniff, not the document policies a phone would download with every file", async ({ request }) => {
  const html = await (await request.get("/register")).text();
  const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const headers = (await request.get(script!)).headers();
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["content-security-policy"]).toBeUndefined();
  expect(headers["permissions-policy"]).toBeUndefined();
});

test("a gzipped page's policy names the hashes of its text", async ({ request }) => {
  const response = await request.get("/register", { headers: { "accept-encoding": "gzip" } });
  expect(response.headers()["content-encoding"]).toBe("gzip");
  await expectOwnPolicy(response); // Playwright hands over the decoded text
});

// ---------------------------------------------------------------------------------------------
// In the browser, on a server of its own, so the list's cache answers exactly as the test says:
// MISS, then HIT, then BYPASS for a page past the end, and MISS again after a registration.

test.describe("in the browser", () => {
  test.describe.configure({ mode: "serial" });
  const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-csp-"));
  const databaseUrl = `file:${join(dir, "csp.db")}`;
  test.beforeAll(() => migrateDatabase(databaseUrl));
  const server = withOwnServer(() => databaseUrl);
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Every CSP violation the page reports: the event (JavaScript on) and Chromium's console line (either way). */
  async function watchViolations(page: Page): Promise<string[]> {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`));
    });
    return violations;
  }

  /** React has hydrated the page: its inline bootstrap and payload ran. Without them the page would only work as without JavaScript. */
  async function expectHydrated(page: Page) {
    await page.waitForFunction(() => {
      const main = document.querySelector("main");
      return main !== null && Object.keys(main).some((key) => key.startsWith("__reactFiber"));
    });
  }

  async function visit(page: Page, path: string, cache?: string) {
    const response = await page.goto(server.url(path));
    if (cache) expect(response?.headers()["x-cache"], path).toBe(cache);
    await expectHydrated(page);
    return response!;
  }

  test("the pages work under the policy with JavaScript on: no CSP violations, every document hydrated", async ({ page }) => {
    const violations = await watchViolations(page);
    const person = uniquePerson("policy");
    await visit(page, "/", "MISS");
    await visit(page, "/", "HIT");
    await visit(page, "/?page=99", "BYPASS");
    await visit(page, "/no-such-page");

    // Registering (a Server Action), then the list again: a new version, so rendered now.
    await visit(page, "/register");
    await fillRegistration(page, person);
    await page.getByRole("button", { name: "Register" }).click();
    await expect(page.getByRole("list", { name: "Registrants" })).toContainText(person.email);
    await visit(page, "/", "MISS");
    await visit(page, "/", "HIT");

    // Cancelling it (the confirmation page, then a Server Action).
    await visit(page, "/register");
    await page.getByRole("list", { name: "Your registrations" }).getByRole("button", { name: "Cancel my registration" }).click();
    await expect(page).toHaveURL(/\/register\/cancel\?id=\d+$/);
    await expectHydrated(page);
    await page.getByRole("button", { name: "Yes, cancel my registration" }).click();
    await expect(page.getByRole("status")).toContainText("cancelled");

    // Tasks: add, complete, delete (Server Actions with optimistic updates).
    await visit(page, "/todos");
    await addTask(page, "Checked under the policy");
    await submitAndWait(page, page.getByRole("button", { name: "Done: Checked under the policy" }));
    await submitAndWait(page, page.getByRole("button", { name: "Delete: Checked under the policy" }));
    await expect(taskItems(page)).toHaveCount(0);

    expect(violations).toEqual([]);
  });

  test("a form posted without the page's script (a no-JS post) comes back re-rendered, and that page hydrates under its own policy", async ({ page }) => {
    const violations = await watchViolations(page);
    const person = uniquePerson("nojs-post");
    await visit(page, "/register");
    await disableBrowserValidation(page);
    await fillRegistration(page, { name: person.name, email: "not-an-email" });
    // HTMLFormElement.submit() fires no submit event, so React does not take it: the browser posts the
    // form itself, as it does with JavaScript off, and shows the page the server renders for it.
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === "POST" && response.request().resourceType() === "document"),
      page.locator("form").first().evaluate((form: HTMLFormElement) => HTMLFormElement.prototype.submit.call(form)),
    ]);
    expect(answer.status()).toBe(200);
    const csp = (await answer.allHeaders())["content-security-policy"];
    expect(sourcesOf(csp, "script-src").slice(1).sort()).toEqual(inlineHashesIn(await answer.text(), "script"));
    await expect(page.getByLabel("Email")).toHaveAccessibleDescription(/valid email address/);
    await expect(page.getByLabel("Name")).toHaveValue(person.name);
    await expectHydrated(page);
    expect(violations).toEqual([]);
  });

  test.describe("with JavaScript off", () => {
    test.use({ javaScriptEnabled: false });

    test("the pages and a form re-rendered with its errors work, with no CSP violation", async ({ page }) => {
      const violations = await watchViolations(page);
      for (const path of ["/", "/?page=99", "/register", "/todos", "/register/cancel?id=1", "/no-such-page"]) await page.goto(server.url(path));
      await page.goto(server.url("/register"));
      await fillRegistration(page, { name: "No Script", email: "not-an-email" });
      await disableBrowserValidation(page);
      await page.getByRole("button", { name: "Register" }).click();
      await expect(page.getByLabel("Email")).toHaveAccessibleDescription(/valid email address/);
      await expect(page.getByLabel("Name")).toHaveValue("No Script");
      expect(violations).toEqual([]);
    });
  });

  /** Adds an inline <script> to the page after load, as an XSS would; says whether it ran and what the browser reported. */
  function injectInlineScript(page: Page) {
    return page.evaluate(
      () =>
        new Promise<{ ran: boolean; violated: string | null }>((resolve) => {
          const win = window as unknown as { injectedRan?: boolean };
          let violated: string | null = null;
          document.addEventListener("securitypolicyviolation", (event) => (violated = event.violatedDirective));
          const script = document.createElement("script");
          script.textContent = "window.injectedRan = true;";
          document.body.append(script);
          // The violation event is queued as a task: give it time to arrive.
          setTimeout(() => resolve({ ran: win.injectedRan === true, violated }), 500);
        }),
    );
  }

  for (const [label, path, cache] of [
    ["the cached list", "/", "HIT"],
    ["a page rendered for one visitor", "/todos", undefined],
  ] as const) {
    test(`an inline script injected into ${label} does not run, and the browser reports the violation`, async ({ page }) => {
      if (cache) await page.goto(server.url(path));
      await visit(page, path, cache);
      expect(await injectInlineScript(page)).toEqual({ ran: false, violated: "script-src-elem" });
    });
  }

  test("the check can fail: under the old policy ('unsafe-inline') the same injection runs", async ({ page }) => {
    await page.route(server.url("/todos"), async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": OLD_POLICY } });
    });
    await visit(page, "/todos");
    expect(await injectInlineScript(page)).toEqual({ ran: true, violated: null });
  });
});

test.describe("with HSTS_MAX_AGE_SECONDS=0", () => {
  const server = withOwnServer(() => process.env.E2E_DATABASE_URL!, { env: { HSTS_MAX_AGE_SECONDS: "0" } });

  test("no answer carries Strict-Transport-Security", async ({ request }) => {
    for (const path of ["/", "/register", "/no-such-page"]) expect((await request.get(server.url(path))).headers()["strict-transport-security"]).toBeUndefined();
  });
});
