// The launcher's console (server/json-console.ts): whatever Next prints through console.* comes out
// as one JSON line of ours, level from the method, the text masked like any log text. Run in a
// child process, since it replaces the process's console for good.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

test("console output becomes JSON lines: Next's error with its stack, a warning, a plain line; emails and tokens masked", () => {
  const script = `
    import { routeConsoleThroughLog } from "./server/json-console.ts";
    routeConsoleThroughLog();
    console.error(" ⨯", new SyntaxError("Unexpected token ' in JSON at position 2"));
    console.warn("careful: bob@example.com used libsql://user:pw@db.example/x?authToken=abc");
    console.log("▲ Next.js 16");
    console.info({ nested: true });
  `;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
  expect(child.status).toBe(0);
  const lines = `${child.stdout}${child.stderr}`.split("\n").filter(Boolean);
  const parsed = lines.map((line) => JSON.parse(line) as { level: string; event: string; message: string });
  expect(parsed.map(({ level, event }) => [level, event])).toEqual(
    expect.arrayContaining([
      ["error", "next.output"],
      ["warn", "next.output"],
      ["info", "next.output"],
      ["info", "next.output"],
    ]),
  );
  expect(parsed).toHaveLength(4);
  const error = parsed.find((line) => line.level === "error")!;
  expect(error.message).toMatch(/SyntaxError: Unexpected token/);
  expect(error.message).toMatch(/\n\s+at /); // the stack stays, inside the one line
  const warning = parsed.find((line) => line.level === "warn")!.message;
  expect(warning).not.toContain("bob@example.com");
  expect(warning).not.toContain("pw@");
  expect(warning).not.toContain("abc");
});
