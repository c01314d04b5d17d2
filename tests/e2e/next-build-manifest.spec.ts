// What `next build` wrote, checked once the suite's build exists (global-setup builds first): the
// launcher reads Next's configuration from required-server-files.json (server/next-internals.ts),
// in the project's .next and in the standalone folder the image ships, and the Server Actions' files
// (which the rate limits classify by).
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { LIMITED_ACTION_FILES } from "../../server/limited-post";
import { readBuiltNextConfig, readServerActions } from "../../server/next-internals";
import { ROOT, STANDALONE } from "../support/server";

test("the built required-server-files.json (project and standalone folder) has the shape the launcher reads", () => {
  for (const folder of [ROOT, STANDALONE]) {
    const config = readBuiltNextConfig(folder);
    expect(config.experimental, join(folder, ".next", "required-server-files.json")).toEqual(expect.any(Object));
    expect(config.experimental.serverActions, "serverActions is what the launcher completes at start").toEqual(expect.any(Object));
  }
});

test("every Server Action of the build draws on a rate-limit budget (server/limited-post.ts names its file)", () => {
  const actions = readServerActions(STANDALONE);
  expect(actions.size).toBeGreaterThanOrEqual(6);
  const files = new Set(actions.values());
  expect([...files].filter((file) => !LIMITED_ACTION_FILES.includes(file)), "a new action file needs a budget kind in server/limited-post.ts").toEqual([]);
});
