// What the browser is sent, checked on the suite's build (global-setup builds first). zod validates
// on the server only: a client component that reaches lib/*/rules.ts would ship all of zod (~30 KiB
// compressed) to every phone that opens the page. Client code imports lib/*/limits.ts instead.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { ROOT } from "../support/server";

test("no client chunk carries zod", () => {
  const chunks = join(ROOT, ".next", "static", "chunks");
  const scripts = readdirSync(chunks, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".js"));
  expect(scripts.length).toBeGreaterThan(0);
  // zod names its classes in strings ("$ZodType", "ZodError"), which minifying keeps.
  expect(scripts.filter((file) => /\$ZodType|ZodError/.test(readFileSync(join(chunks, file), "utf8")))).toEqual([]);
});
