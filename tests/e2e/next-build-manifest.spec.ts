// What `next build` wrote, checked once the suite's build exists (global-setup builds first): the
// launcher reads Next's configuration from required-server-files.json (server/next-internals.ts),
// in the project's .next and in the standalone folder the image ships.
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { readBuiltNextConfig } from "../../server/next-internals";
import { ROOT, STANDALONE } from "../support/server";

test("the built required-server-files.json (project and standalone folder) has the shape the launcher reads", () => {
  for (const folder of [ROOT, STANDALONE]) {
    const config = readBuiltNextConfig(folder);
    expect(config.experimental, join(folder, ".next", "required-server-files.json")).toEqual(expect.any(Object));
    expect(config.experimental.serverActions, "serverActions is what the launcher completes at start").toEqual(expect.any(Object));
  }
});
