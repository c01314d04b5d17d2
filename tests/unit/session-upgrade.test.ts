// Visitors' task lists survive the iron-session 8 → 9 upgrade: a cookie value sealed by iron-session
// 8 with this app's secret-id scheme (tests/fixtures/iron-session-8-seal.json, made before the
// upgrade) opens to the same list, and secret rotation keeps working across it. The seal expires 30
// days after it was made, so the clock is set to a minute after sealing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { sealTaskList, unsealTaskList } from "@/lib/session/seal";
import { EMPTY_TASK_LIST, type TaskList } from "@/lib/tasks/list";
import { ROOT } from "../support/server";

type Fixture = { ironSession: string; secret: string; sealedAt: number; seal: string; list: TaskList };
const fixture = JSON.parse(readFileSync(join(ROOT, "tests", "fixtures", "iron-session-8-seal.json"), "utf8")) as Fixture;
const NEW_SECRET = "the-secret-rotated-in-after-the-upgrade-0123456789";
const installedIronSession = (JSON.parse(readFileSync(join(ROOT, "node_modules", "iron-session", "package.json"), "utf8")) as { version: string }).version;
/** iron's seal format: Fe26.2*<secret id>*…; the id names the secret that sealed it. */
const secretIdOf = (seal: string) => seal.split("*")[1];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(fixture.sealedAt + 60_000);
});
afterEach(() => vi.useRealTimers());

describe("a Tasks cookie sealed by iron-session 8", () => {
  test("was made by iron-session 8 and is opened here by iron-session 9", () => {
    expect(fixture.ironSession).toMatch(/^8\./);
    expect(installedIronSession).toMatch(/^9\./);
  });

  test("opens to the same list with the same secret", async () => {
    expect(await unsealTaskList(fixture.seal, [fixture.secret])).toEqual(fixture.list);
  });

  test("opens while a new secret is rotated in, and is sealed again with the new one", async () => {
    const secrets = [NEW_SECRET, fixture.secret];
    const list = await unsealTaskList(fixture.seal, secrets);
    expect(list).toEqual(fixture.list);

    const resealed = await sealTaskList(list, secrets);
    expect(secretIdOf(resealed)).not.toBe(secretIdOf(fixture.seal));
    expect(await unsealTaskList(resealed, [NEW_SECRET])).toEqual(fixture.list);
    expect(await unsealTaskList(resealed, [fixture.secret])).toEqual(EMPTY_TASK_LIST);
  });

  test("once its secret is retired it opens to an empty list, not an error", async () => {
    expect(await unsealTaskList(fixture.seal, [NEW_SECRET])).toEqual(EMPTY_TASK_LIST);
  });

  test("past its 30 days it opens to an empty list", async () => {
    vi.setSystemTime(fixture.sealedAt + 31 * 24 * 60 * 60 * 1000);
    expect(await unsealTaskList(fixture.seal, [fixture.secret])).toEqual(EMPTY_TASK_LIST);
  });
});
