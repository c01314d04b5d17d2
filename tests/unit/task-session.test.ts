import fc from "fast-check";
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  MAX_SET_COOKIE_BYTES,
  SESSION_TTL_SECONDS,
  sealTaskList,
  setCookieBytes,
  unsealTaskList,
} from "@/lib/session/seal";
import { cookieNameFor } from "@/lib/session/cookie-names";
import { addTask, EMPTY_TASK_LIST, toggleTask, type TaskList } from "@/lib/tasks/list";

const OLD = "old-secret-0123456789abcdefghijklmnopqrstuv";
const NEW = "new-secret-0123456789abcdefghijklmnopqrstuv";
const OTHER = "someone-elses-secret-0123456789abcdefghijk";

const listOf = (...texts: string[]): TaskList => texts.reduce(addTask, EMPTY_TASK_LIST);
const fortyChars = (i: number) => `Task number ${i} `.padEnd(40, "abcdefghij");

/** The cookie's longest name: prefixed, as a Secure cookie is in production. */
const SECURE_NAME = cookieNameFor("tasks", { path: "/", secure: true });

/** The most tasks of 40 characters whose sealed cookie stays within the browser limit. */
async function capacity(): Promise<{ tasks: number; bytes: number }> {
  let list = EMPTY_TASK_LIST;
  let bytes = 0;
  for (;;) {
    const next = addTask(list, fortyChars(list.tasks.length + 1));
    const size = setCookieBytes(await sealTaskList(next, [NEW]), SECURE_NAME);
    if (size > MAX_SET_COOKIE_BYTES) return { tasks: list.tasks.length, bytes };
    list = next;
    bytes = size;
  }
}

afterEach(() => vi.useRealTimers());

describe("sealing the task list", () => {
  test("a sealed list opens to the same list", async () => {
    const list = toggleTask(listOf("Buy milk", "Write 📝 notes"), 2);
    expect(await unsealTaskList(await sealTaskList(list, [NEW]), [NEW])).toEqual(list);
  });

  test("the cookie value carries no task text in any readable encoding", async () => {
    const text = "Secret-plan-for-Tuesday";
    const seal = await sealTaskList(listOf(text), [NEW]);
    const decodings = seal.split(/[*~]/).flatMap((part) => [part, Buffer.from(part, "base64").toString("latin1"), Buffer.from(part, "base64url").toString("latin1"), Buffer.from(part, "hex").toString("latin1")]);
    for (const decoded of [seal, decodeURIComponent(seal), ...decodings]) {
      expect(decoded).not.toContain("Secret-plan");
      expect(decoded.toLowerCase()).not.toContain("tuesday");
    }
  });

  test("rotation: a cookie sealed with an older secret is read, and new seals use the newest", async () => {
    const list = listOf("made before the rotation");
    const oldSeal = await sealTaskList(list, [OLD]);
    expect(await unsealTaskList(oldSeal, [NEW, OLD])).toEqual(list);
    const newSeal = await sealTaskList(list, [NEW, OLD]);
    expect(await unsealTaskList(newSeal, [NEW])).toEqual(list);
    expect(await unsealTaskList(newSeal, [OLD])).toEqual(EMPTY_TASK_LIST);
  });

  test("once the old secret is dropped, its cookies are simply empty", async () => {
    expect(await unsealTaskList(await sealTaskList(listOf("x"), [OLD]), [NEW])).toEqual(EMPTY_TASK_LIST);
  });

  test("tampered, truncated, foreign, garbage and oversized cookies are empty lists", async () => {
    const seal = await sealTaskList(listOf("mine"), [NEW]);
    const flipped = seal.slice(0, 60) + (seal[60] === "A" ? "B" : "A") + seal.slice(61);
    const bad = [
      flipped,
      seal.slice(0, seal.length - 10),
      seal.slice(0, 30),
      await sealTaskList(listOf("theirs"), [OTHER]),
      "garbage",
      "Fe26.2**********",
      "%00%ff~2",
      "x".repeat(10_000),
      Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256)).toString("latin1"),
    ];
    for (const value of bad) expect(await unsealTaskList(value, [NEW])).toEqual(EMPTY_TASK_LIST);
  });

  test("an expired cookie (older than 30 days) is an empty list", async () => {
    const seal = await sealTaskList(listOf("old news"), [NEW]);
    vi.useFakeTimers({ now: Date.now() + (SESSION_TTL_SECONDS + 120) * 1000, toFake: ["Date"] });
    expect(await unsealTaskList(seal, [NEW])).toEqual(EMPTY_TASK_LIST);
  });

  test("a seal opened once is remembered, for the same secrets only and only until it expires", async () => {
    const secrets = [NEW];
    const seal = await sealTaskList(listOf("remembered"), secrets);
    const first = await unsealTaskList(seal, secrets);
    expect(await unsealTaskList(seal, secrets)).toBe(first);
    expect(await unsealTaskList(seal, [OLD])).toEqual(EMPTY_TASK_LIST);
    vi.useFakeTimers({ now: Date.now() + (SESSION_TTL_SECONDS + 120) * 1000, toFake: ["Date"] });
    expect(await unsealTaskList(seal, secrets)).toEqual(EMPTY_TASK_LIST);
  });

  test("63 tasks of 40 characters fit in one cookie, under its prefixed name, and the limit is where a browser's is", async () => {
    const { tasks, bytes } = await capacity();
    console.log(`capacity: ${tasks} tasks of 40 characters, Set-Cookie ${bytes} bytes as ${SECURE_NAME}`);
    expect(tasks).toBe(63); // the README's number
    expect(bytes).toBeLessThanOrEqual(MAX_SET_COOKIE_BYTES);
    expect(MAX_SET_COOKIE_BYTES).toBe(4096);
  });
});

describe("hostile cookies (property-based)", () => {
  test("the format marker after the signed seal (\"~2\") is not what authenticates it: without it the seal still opens", async () => {
    const list = addTask(EMPTY_TASK_LIST, "mine");
    const genuine = await sealTaskList(list, [NEW]);
    expect(genuine).toMatch(/~2$/);
    expect(await unsealTaskList(genuine.slice(0, genuine.lastIndexOf("~")), [NEW])).toEqual(list);
  });


  test("random bytes, truncated or spliced seals and seals made with another secret never throw and read as empty", async () => {
    const genuine = await sealTaskList(addTask(EMPTY_TASK_LIST, "mine"), [NEW]);
    const foreign = await sealTaskList(addTask(EMPTY_TASK_LIST, "theirs"), [OTHER]);
    // Cuts and splices land in the signed part: iron-session's "~2" format marker comes after it.
    const signed = genuine.slice(0, genuine.lastIndexOf("~"));
    const marker = genuine.slice(signed.length);
    const hostile = fc.oneof(
      fc.string({ maxLength: 5000 }),
      fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
      fc.nat(signed.length - 1).map((cut) => signed.slice(0, cut)),
      fc.nat(signed.length - 1).map((cut) => signed.slice(0, cut) + marker),
      fc.tuple(fc.nat(signed.length - 1), fc.string({ minLength: 1, maxLength: 8 })).map(([at, junk]) => signed.slice(0, at) + junk + signed.slice(at + junk.length) + marker),
      fc.constant(foreign),
      fc.constant("x".repeat(10_240)),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        if (value.split("~")[0] === signed) return; // the signed seal itself, whatever follows the marker
        expect(await unsealTaskList(value, [NEW])).toEqual(EMPTY_TASK_LIST);
      }),
      { numRuns: 300 },
    );
  });
});
