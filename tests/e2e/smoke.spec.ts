import { expect, test } from "@playwright/test";

test("the registrants page answers with its heading and navigation", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Registrants" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Register" })).toBeVisible();
});
