// The deployment every real site has: HTTPS ends at a proxy, which forwards plain HTTP to the
// server with `X-Forwarded-Proto: https`. A Server Action that redirects makes Next fetch the target
// page from itself, to send it along with the action's answer; that fetch must go to the server's
// own plain-HTTP address, not to `https://` on it (an SSL error in the log, and a JS registration
// that needs a second round trip to show the list).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { startForwardingProxy, type ForwardingProxy } from "../support/forwarding-proxy";
import { migrateDatabase, startServer, type RunningServer } from "../support/server";
import { fillRegistration, JS_MODES, uniquePerson } from "./helpers";
import { addTask } from "./task-cookies";

test.describe.configure({ mode: "serial" });
const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-proxy-"));
let server: RunningServer;
let proxy: ForwardingProxy;

test.beforeAll(async () => {
  const url = `file:${join(dir, "proxied.db")}`;
  await migrateDatabase(url);
  // The proxy connects from loopback: trusted, so its X-Forwarded-Proto and -Host are believed.
  server = await startServer({ DATABASE_URL: url, TRUSTED_PROXIES: "127.0.0.1" });
  proxy = await startForwardingProxy(server.url);
});
test.afterAll(async () => {
  await proxy?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const FAILED_SELF_FETCH = /ERR_SSL|wrong version number|fetch failed|Failed to fetch/i;

for (const mode of JS_MODES) {
  test(`a visitor behind the proxy registers ${mode.label} and is listed, with no failed fetch in the log`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: mode.javaScriptEnabled, baseURL: proxy.url });
    const page = await context.newPage();
    const person = uniquePerson("proxied");
    await page.goto("/register");
    const forwardedBefore = proxy.forwarded.length;
    await fillRegistration(page, person);
    await page.getByRole("button", { name: "Register" }).click();

    await expect(page).toHaveURL(/\/$/);
    // Their row, not the first one: the other mode's visitor may register on this server at the same time.
    await expect(page.getByRole("list", { name: "Registrants" }).getByRole("listitem").filter({ hasText: person.name })).toContainText(person.email);
    expect.soft(server.log()).not.toMatch(FAILED_SELF_FETCH);
    if (mode.javaScriptEnabled) {
      // The action's answer carried the list: no request of its own for `/` (a full page load when
      // Next's self-fetch failed). The router's link prefetches come and go meanwhile, on their own timer.
      const afterClick = proxy.forwarded.slice(forwardedBefore).filter((request) => !request.isPrefetch);
      expect(afterClick.filter((request) => request.isServerAction)).toHaveLength(1);
      const listRequests = afterClick.filter((request) => request.path === "/" || request.path.startsWith("/?"));
      expect(listRequests, "one request for the action, not a second one for the list").toEqual([]);
    }
    await context.close();
  });
}

// Strict-Transport-Security means something only over HTTPS (a browser ignores it over plain
// HTTP), which is what the proxy's visitors have: it reaches them, as do the cookies' prefixes.
test("the proxy's visitors get Strict-Transport-Security, and the cookies under their prefixed names", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: proxy.url });
  const page = await context.newPage();
  const answer = await page.goto("/register");
  expect(answer?.headers()["strict-transport-security"]).toBe("max-age=63072000");
  await fillRegistration(page, uniquePerson("proxied-cookie"));
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/todos");
  await addTask(page, "Behind the proxy"); // waits for the server's answer, not just the optimistic list
  const cookies = await context.cookies();
  expect(cookies.map(({ name, path, secure }) => ({ name, path, secure })).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
    { name: "__Host-tasks", path: "/", secure: true },
    { name: "__Secure-registrations", path: "/register", secure: true },
  ]);
  await context.close();
});
