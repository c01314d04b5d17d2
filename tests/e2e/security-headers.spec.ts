// Every answer carries the security headers, whether Next rendered it (pages, 404, a bad Server
// Action request) or proxy.ts wrote it (refused posts); none says what it runs on.
import { expect, test, type APIResponse } from "@playwright/test";

function expectSecurityHeaders(response: APIResponse) {
  const headers = response.headers();
  const csp = headers["content-security-policy"];
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self' 'unsafe-inline'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("unsafe-eval");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["x-powered-by"]).toBeUndefined();
}

for (const [path, status] of [["/", 200], ["/register", 200], ["/?page=2", 200], ["/no-such-page", 404]] as const) {
  test(`GET ${path} answers ${status} with the security headers`, async ({ request }) => {
    const response = await request.get(path);
    expect(response.status()).toBe(status);
    expectSecurityHeaders(response);
  });
}

test("a refused cross-site post (403) and a bad Server Action request (400) carry them too", async ({ request, baseURL }) => {
  const crossSite = await request.post("/register", { headers: { origin: "https://evil.example" }, multipart: { name: "Eve" } });
  expect(crossSite.status()).toBe(403);
  expectSecurityHeaders(crossSite);
  const badAction = await request.post("/register", { headers: { origin: baseURL! }, multipart: { "$ACTION_ID_0000": "", name: "x" } });
  expect(badAction.status()).toBe(400);
  expectSecurityHeaders(badAction);
});

test("the pages work under the policy: no CSP violations in the browser", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto("/register");
  await page.getByLabel("Name").fill("Policy Tester");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Registrants" })).toBeVisible();
  expect(violations).toEqual([]);
});
