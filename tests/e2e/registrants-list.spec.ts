import { expect, test } from "@playwright/test";
import { openClient } from "../../db/connection/client";
import { JS_MODES, sharedDatabase } from "./helpers";

test.describe("the registrants list", () => {
  test.beforeAll(async () => {
    // Enough rows for at least three pages, written straight to the server's database (with the
    // app's busy timeout: registrations in other workers may hold the write lock for a moment).
    const client = openClient(sharedDatabase());
    await client.execute(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 120)
      INSERT INTO registrants (name, email) SELECT 'Listed Person ' || i, 'listed-' || i || '-' || abs(random()) || '@example.com' FROM seq`);
    client.close();
  });

  for (const mode of JS_MODES) {
    test(`pages through 50 at a time ${mode.label}`, async ({ browser }) => {
      const context = await browser.newContext({ javaScriptEnabled: mode.javaScriptEnabled });
      const page = await context.newPage();
      await page.goto("/");
      const items = page.getByRole("list", { name: "Registrants" }).getByRole("listitem");
      await expect(items).toHaveCount(50);
      const pages = page.getByRole("navigation", { name: "Pages" });
      await expect(pages).toContainText(/Page 1 of \d+/);
      await expect(pages.getByRole("link", { name: /Newer/ })).toHaveCount(0);

      const firstOnPageOne = await items.first().textContent();
      await pages.getByRole("link", { name: /Older/ }).click();
      await expect(page).toHaveURL(/\?page=2$/);
      await expect(page.getByRole("navigation", { name: "Pages" })).toContainText(/Page 2 of \d+/);
      await expect(items).toHaveCount(50);
      await expect(items.first()).not.toHaveText(firstOnPageOne!);
      await page.getByRole("link", { name: /Newer/ }).click();
      await expect(page).toHaveURL(/\/$/);
      await context.close();
    });
  }

  test("shows how many people have registered", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByText(/^[\d,]+ people have registered\./)).toBeVisible();
  });

  for (const bad of ["0", "-1", "abc", "1.5", "%00"]) {
    test(`?page=${bad} shows the first page`, async ({ page }) => {
      const response = await page.goto(`/?page=${bad}`);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("navigation", { name: "Pages" })).toContainText(/Page 1 of/);
    });
  }

  test("a page past the end says so and links back to the last page", async ({ page }) => {
    const response = await page.goto("/?page=999999");
    expect(response?.status()).toBe(200);
    await expect(page.getByText(/There is no page 999999/)).toBeVisible();
    await page.getByRole("link", { name: "Go to the last page" }).click();
    await expect(page.getByRole("list", { name: "Registrants" }).getByRole("listitem").first()).toBeVisible();
    await expect(page.getByRole("link", { name: /Older/ })).toHaveCount(0);
  });

  test("the navigation marks the current page and reaches every section", async ({ page }) => {
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Registrants" })).toHaveAttribute("aria-current", "page");
    await nav.getByRole("link", { name: "Register" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Register" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Register" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Tasks" })).toHaveAttribute("href", "/todos");
  });

  test("fits a phone screen without sideways scrolling", async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    for (const path of ["/", "/register"]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});
