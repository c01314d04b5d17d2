// What a browser's sealed `registrations` cookie remembers: which registrations it made (id and a
// digest of the email), bounded, and nothing that a tampered, foreign or expired seal can add to.
import { sealData } from "iron-session";
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  decodeRemembered,
  emailDigest,
  forgetRegistration,
  isRemembered,
  MAX_REMEMBERED_REGISTRATIONS,
  REGISTRATIONS_COOKIE_NAME,
  REGISTRATIONS_TTL_SECONDS,
  rememberRegistration,
  sealRemembered,
  unsealRemembered,
  type RememberedRegistration,
} from "@/lib/session/registrations";
import { MAX_SET_COOKIE_BYTES, setCookieBytes } from "@/lib/session/seal";

const NEW = "new-secret-0123456789abcdefghijklmnopqrstuv";
const OLD = "old-secret-0123456789abcdefghijklmnopqrstuv";
const OTHER = "someone-elses-secret-0123456789abcdefghijk";

const entry = (id: number, email = `p${id}@example.com`): RememberedRegistration => ({ id, emailDigest: emailDigest(email) });

afterEach(() => vi.useRealTimers());

describe("remembered registrations", () => {
  test("a sealed list opens to the same list, with the newest or an older secret", async () => {
    const list = [entry(1), entry(13), entry(35), entry(36), entry(123_456_789), entry(Number.MAX_SAFE_INTEGER)];
    expect(await unsealRemembered(await sealRemembered(list, [NEW]), [NEW, OLD])).toEqual(list);
    expect(await unsealRemembered(await sealRemembered(list, [OLD]), [NEW, OLD])).toEqual(list);
  });

  test("a tampered, truncated, foreign or expired seal remembers nothing", async () => {
    const seal = await sealRemembered([entry(7)], [NEW]);
    const flipped = seal.slice(0, 40) + (seal[40] === "A" ? "B" : "A") + seal.slice(41);
    for (const bad of [flipped, seal.slice(0, -5), "garbage", await sealRemembered([entry(7)], [OTHER])]) {
      expect(await unsealRemembered(bad, [NEW])).toEqual([]);
    }
    vi.useFakeTimers({ now: Date.now() + (REGISTRATIONS_TTL_SECONDS + 120) * 1000 });
    expect(await unsealRemembered(seal, [NEW])).toEqual([]);
  });

  test("a seal of our own secret holding anything but the format is an empty list", async () => {
    for (const text of ["r1 0.abcdefgh", "r1 7.short", "t1:1\n1-task", "r1 7.abcdefgh 7.abcdefgh x"]) {
      expect(await unsealRemembered(await sealData(text, { password: { 1: NEW }, ttl: 60 }), [NEW])).toEqual([]);
    }
    expect(decodeRemembered(`r1 ${Array.from({ length: MAX_REMEMBERED_REGISTRATIONS + 1 }, (_, i) => `${i + 1}.abcdefgh`).join(" ")}`)).toEqual([]);
  });

  test(`keeps the ${MAX_REMEMBERED_REGISTRATIONS} newest: past the bound the oldest is forgotten, and the cookie stays small`, async () => {
    let list: RememberedRegistration[] = [];
    for (let id = 1; id <= MAX_REMEMBERED_REGISTRATIONS + 5; id++) list = rememberRegistration(list, entry(id * 1_000_003));
    expect(list).toHaveLength(MAX_REMEMBERED_REGISTRATIONS);
    expect(list[0].id).toBe(6 * 1_000_003);
    expect(list.at(-1)!.id).toBe((MAX_REMEMBERED_REGISTRATIONS + 5) * 1_000_003);
    const bytes = setCookieBytes(await sealRemembered(list, [NEW]), REGISTRATIONS_COOKIE_NAME);
    expect(bytes).toBeLessThan(MAX_SET_COOKIE_BYTES / 4);
  });

  test("counts a row as this browser's only when both its id and its email match", () => {
    const list = [entry(5, "ada@example.com")];
    expect(isRemembered(list, { id: 5, email: "ada@example.com" })).toBe(true);
    expect(isRemembered(list, { id: 5, email: "someone-else@example.com" })).toBe(false); // an id handed out again (restored backup)
    expect(isRemembered(list, { id: 6, email: "ada@example.com" })).toBe(false);
    expect(forgetRegistration(list, 5)).toEqual([]);
  });
});
