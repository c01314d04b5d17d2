import { expect, test } from "@playwright/test";
import { disableBrowserValidation, fillRegistration, JS_MODES, storedRegistrants, uniquePerson } from "./helpers";

for (const mode of JS_MODES) {
  test.describe(`registering ${mode.label}`, () => {
    test.use({ javaScriptEnabled: mode.javaScriptEnabled });

    test("a visitor registers and sees themselves at the top of the list", async ({ page }) => {
      const person = uniquePerson("reg");
      await page.goto("/register");
      await fillRegistration(page, { ...person, email: `  ${person.email.toUpperCase()} ` });
      await page.getByRole("button", { name: "Register" }).click();

      await expect(page).toHaveURL(/\/$/);
      const rows = page.getByRole("list", { name: "Registrants" }).getByRole("listitem");
      const own = rows.filter({ hasText: person.name });
      await expect(own).toContainText(person.email.toLowerCase());
      // Newest first. Another test's visitor (the suite runs two at once) may register between this
      // post and the list it redirects to, so "at the top" means among the first few, not first.
      const names = await rows.allTextContents();
      expect(names.findIndex((text) => text.includes(person.name))).toBeLessThan(5);
    });

    test("invalid fields get their own messages, keep what was typed, and store nothing", async ({ page }) => {
      const person = uniquePerson("bad");
      await page.goto("/register");
      await disableBrowserValidation(page);
      await page.getByLabel("Name").fill("   ");
      await page.getByLabel("Email").fill(`${person.email}-not-an-email@`);
      await page.getByRole("button", { name: "Register" }).click();

      const name = page.getByLabel("Name");
      const email = page.getByLabel("Email");
      await expect(name).toHaveAccessibleDescription("Please enter your name.");
      await expect(email).toHaveAccessibleDescription("Please enter a valid email address, like name@example.com.");
      await expect(name).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByRole("alert").filter({ hasText: "Please enter your name." })).toBeVisible();
      await expect(email).toHaveValue(`${person.email}-not-an-email@`);
      await expect(name).toBeFocused();

      await page.goto("/");
      await expect(page.getByText(person.email)).toHaveCount(0);
    });

    test("a valid name with an invalid email keeps the name and focuses the email", async ({ page }) => {
      const person = uniquePerson("focus");
      await page.goto("/register");
      await disableBrowserValidation(page);
      await fillRegistration(page, { name: person.name, email: "a@b" });
      await page.getByRole("button", { name: "Register" }).click();

      await expect(page.getByLabel("Email")).toHaveAccessibleDescription(/valid email address/);
      await expect(page.getByLabel("Name")).toHaveValue(person.name);
      await expect(page.getByLabel("Name")).not.toHaveAttribute("aria-invalid");
      await expect(page.getByLabel("Email")).toBeFocused();
    });

    test("a name over 255 characters is refused by the server", async ({ page }) => {
      const person = uniquePerson("long");
      await page.goto("/register");
      await page.getByLabel("Name").evaluate((input: HTMLInputElement) => input.removeAttribute("maxlength"));
      await fillRegistration(page, { name: "x".repeat(256), email: person.email });
      await page.getByRole("button", { name: "Register" }).click();
      await expect(page.getByLabel("Name")).toHaveAccessibleDescription("Your name must be at most 255 characters.");
      await expect(page.getByLabel("Name")).toHaveValue("x".repeat(256));
    });

    test("the same email in another letter case is refused as already registered", async ({ page }) => {
      const person = uniquePerson("dup");
      await page.goto("/register");
      await fillRegistration(page, person);
      await page.getByRole("button", { name: "Register" }).click();
      await expect(page).toHaveURL(/\/$/);

      await page.goto("/register");
      await fillRegistration(page, { name: "Someone Else", email: person.email.toUpperCase() });
      await page.getByRole("button", { name: "Register" }).click();
      await expect(page.getByLabel("Email")).toHaveAccessibleDescription("This email is already registered.");
      await expect(page.getByLabel("Name")).toHaveValue("Someone Else");
      await expect(page.getByLabel("Email")).toHaveValue(person.email.toUpperCase());
    });
  });
}

test.describe("registering with JavaScript", () => {
  test("the button shows a pending state and a double click stores one row", async ({ page }) => {
    const person = uniquePerson("pending");
    await page.goto("/register");
    await fillRegistration(page, person);
    // Hold the action's request so the pending state can be seen.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/register", async (route) => {
      if (route.request().method() === "POST") await held;
      await route.continue();
    });
    const button = page.getByRole("button", { name: /Register/ });
    await button.click();
    await expect(page.getByRole("button", { name: "Registering…" })).toBeDisabled();
    await button.click({ force: true }).catch(() => {});
    release();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByText(person.email)).toHaveCount(1);
  });

  test("the form can be completed with the keyboard alone", async ({ page }) => {
    const person = uniquePerson("keys");
    await page.goto("/register");
    await page.getByLabel("Name").focus();
    await page.keyboard.type(person.name);
    await page.keyboard.press("Tab");
    await page.keyboard.type(person.email);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByText(person.email)).toBeVisible();
  });
});

test.describe("registering without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the form posts natively and the answer is a 303 to the list", async ({ page }) => {
    const person = uniquePerson("native");
    await page.goto("/register");
    await fillRegistration(page, person);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Register" }).click(),
    ]);
    expect(response.status()).toBe(303);
    expect(response.headers()["location"]).toMatch(/\/$/);
    await expect(page.getByText(person.email)).toBeVisible();
  });
});

test.describe("registering without JavaScript, with a direction override in the name", () => {
  test.use({ javaScriptEnabled: false });

  test("is refused with its own message under the name, keeps both values, and stores nothing", async ({ page }) => {
    const person = uniquePerson("bidi");
    // Would read on the public list as "Eveexe.png": U+202E reverses everything after it.
    const spoofing = `Eve\u202egnp.exe ${person.name}`;
    await page.goto("/register");
    await fillRegistration(page, { name: spoofing, email: person.email });
    await page.getByRole("button", { name: "Register" }).click();

    const name = page.getByLabel("Name");
    await expect(name).toHaveAccessibleDescription(
      "Your name cannot contain invisible characters that change the direction of the text (direction overrides or isolates).",
    );
    await expect(name).toHaveAttribute("aria-invalid", "true");
    await expect(name).toHaveValue(spoofing);
    await expect(page.getByLabel("Email")).toHaveValue(person.email);
    expect(await storedRegistrants(person.email)).toEqual([]);
  });
});
