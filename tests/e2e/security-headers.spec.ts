// Every answer carries the security headers, whether Next rendered it (pages, 404, a bad Server
// Action request) or proxy.ts wrote it (refused posts: 403, 411, 413); none says what it runs on.
import { expect, test, type APIResponse } from "@playwright/test";

function expectSecurityHeaders(response: APIResponse | Response) {
  const headers = response instanceof Response ? Object.fromEntries(response.headers) : response.headers();
  const csp = headers["content-security-policy"];
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self' 'unsafe-inline'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'self'");
  expect(csp).toContain("form-action 'self'");
  expect(csp).not.toContain("unsafe-eval");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["x-powered-by"]).toBeUndefined();
}

for (const [path, status] of [["/", 200], ["/register", 200], ["/todos", 200], ["/?page=2", 200], ["/no-such-page", 404]] as const) {
  test(`GET ${path} answers ${status} with the security headers`, async ({ request }) => {
    const response = await request.get(path);
    expect(response.status()).toBe(status);
    expectSecurityHeaders(response);
  });
}

test("the proxy's refusal pages (403 cross-site, 403 no signal, 413) and a bad Server Action request (400) carry them too", async ({ request, baseURL }) => {
  const crossSite = await request.post("/register", { headers: { origin: "https://evil.example" }, multipart: { name: "Eve" } });
  expect(crossSite.status()).toBe(403);
  expectSecurityHeaders(crossSite);
  const unsigned = await request.post("/todos", { multipart: { task: "Eve" } });
  expect(unsigned.status()).toBe(403);
  expectSecurityHeaders(unsigned);
  const tooLarge = await request.post("/register", { headers: { origin: baseURL! }, multipart: { name: "x".repeat(1024 * 1024 + 1) } });
  expect(tooLarge.status()).toBe(413);
  expectSecurityHeaders(tooLarge);
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
