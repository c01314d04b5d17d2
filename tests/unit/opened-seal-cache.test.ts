// The cache of opened task-list seals grows with what visitors send, so it must be keyed on what
// iron authenticates (not on spellings iron ignores) and stay within its byte bound.
import { describe, expect, test } from "vitest";
import { OPENED_SEALS_MAX_BYTES, openedSealCacheStats, sealTaskList, unsealTaskList } from "@/lib/session/seal";
import { addTask, EMPTY_TASK_LIST, type TaskList } from "@/lib/tasks/list";

const SECRET = "cache-secret-0123456789abcdefghijklmnopqr";

const listOf = (...texts: string[]): TaskList => texts.reduce(addTask, EMPTY_TASK_LIST);
/** About 60 tasks of 40 characters: a seal near the 4 KB cookie limit. */
const fullList = (owner: number) => listOf(...Array.from({ length: 60 }, (_, i) => `${owner} task ${i} `.padEnd(40, "abcdefghij")));

/** The digest is the last `*` part of the iron seal, before iron-session's `~2`. */
function respell(seal: string, change: (digest: string) => string): string {
  const [iron, marker] = seal.split("~");
  const cut = iron.lastIndexOf("*") + 1;
  return `${iron.slice(0, cut)}${change(iron.slice(cut))}~${marker}`;
}

describe("the opened-seal cache", () => {
  test("one valid seal presented with 1,000 distinct suffixes after `~` leaves one entry", async () => {
    const secrets = [SECRET];
    const list = fullList(1);
    const seal = await sealTaskList(list, secrets);
    for (let i = 0; i < 1000; i++) expect(await unsealTaskList(`${seal}${i}x${"~".repeat(i % 3)}`, secrets)).toEqual(list);
    expect(openedSealCacheStats(secrets).entries).toBe(1);
  });

  // iron-webcrypto (iron-session's opener) decodes a digest leniently; @hapi/iron compares it exactly.
  test("other spellings of the digest are refused, add no entry and leave the verified one", async () => {
    const secrets = [SECRET];
    const list = listOf("spelled three ways");
    const seal = await sealTaskList(list, secrets);
    const opened = await unsealTaskList(seal, secrets);
    expect(opened).toEqual(list);
    const respellings = [
      respell(seal, (digest) => `${digest.slice(0, 5)} ${digest.slice(5)}`),
      respell(seal, (digest) => `${digest}=`),
      respell(seal, (digest) => `\t${digest}`),
    ];
    for (const spelling of respellings) expect(await unsealTaskList(spelling, secrets)).toEqual(EMPTY_TASK_LIST);
    expect(openedSealCacheStats(secrets).entries).toBe(1);
    expect(await unsealTaskList(seal, secrets)).toBe(opened);
  });

  test("a remembered seal's signed part with a forged digest is not trusted", async () => {
    const secrets = [SECRET];
    const list = listOf("mine");
    const seal = await sealTaskList(list, secrets);
    expect(await unsealTaskList(seal, secrets)).toEqual(list);
    const forged = respell(seal, (digest) => (digest.startsWith("A") ? "B" : "A") + digest.slice(1));
    expect(await unsealTaskList(forged, secrets)).toEqual(EMPTY_TASK_LIST);
    expect(await unsealTaskList(seal, secrets)).toEqual(list);
  });

  test("a flood of distinct full-size valid seals stays within the byte bound and keeps the newest", async () => {
    const secrets = [SECRET];
    const seals = await Promise.all(Array.from({ length: 400 }, (_, owner) => sealTaskList(fullList(owner), secrets)));
    for (const seal of seals) await unsealTaskList(seal, secrets);
    const { entries, bytes } = openedSealCacheStats(secrets);
    expect(bytes).toBeLessThanOrEqual(OPENED_SEALS_MAX_BYTES);
    expect(bytes).toBeGreaterThan(OPENED_SEALS_MAX_BYTES / 2);
    expect(entries).toBeLessThan(seals.length);
    expect(await unsealTaskList(seals.at(-1), secrets)).toBe(await unsealTaskList(seals.at(-1), secrets));
  });

  test("a flood of small valid seals is bounded in entries too", async () => {
    const secrets = [SECRET];
    const seals = await Promise.all(Array.from({ length: 1500 }, (_, i) => sealTaskList(listOf(`small ${i}`), secrets)));
    for (const seal of seals) await unsealTaskList(seal, secrets);
    expect(openedSealCacheStats(secrets).entries).toBe(1000);
  });
});
