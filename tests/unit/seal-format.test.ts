// lib/session/seal.ts seals and opens with @hapi/iron instead of iron-session's sealData/unsealData
// (docs/decisions/session-seal.md). These tests hold it to iron-session: what sealText writes,
// iron-session's own unsealData opens to the same text; it has the shape of a seal iron-session
// writes; what iron-session writes, openSeal opens; and iron's checks (its HMAC, the secret's id,
// the expiry) still refuse what they should.
import fc from "fast-check";
import { sealData, unsealData } from "iron-session";
import { afterEach, describe, expect, test, vi } from "vitest";
import { openSeal, sealText } from "@/lib/session/seal";

const SECRET = "seal-format-secret-0123456789abcdef-0123456789";
const OTHER = "another-secret-rotated-in-later-0123456789abcdef";
const TTL_SECONDS = 3_600;
/** iron-session's own password map for these secrets, keyed by the id sealText writes. */
const passwordsOf = (seal: string, secret: string) => ({ [seal.split("*")[1]]: secret });
const openWithIronSession = (seal: string, secret = SECRET, ttl = TTL_SECONDS) => unsealData(seal, { password: passwordsOf(seal, secret), ttl });
/** Why iron-session refused a seal ("invalid", "expired", "unknown-password"), or null when it opened. */
async function refusalOf(seal: string, secret = SECRET, ttl = TTL_SECONDS): Promise<string | null> {
  let refusal: string | null = null;
  await unsealData(seal, { password: passwordsOf(seal, secret), ttl, onUnsealError: (reason) => (refusal = reason) });
  return refusal;
}

afterEach(() => vi.useRealTimers());

describe("sealText writes what iron-session opens", () => {
  test("any text comes back whole from iron-session's unsealData", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 300 }), async (text) => {
        expect(await openWithIronSession(await sealText(text, [SECRET], TTL_SECONDS))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  test("has the shape of iron-session's own seal: Fe26.2, eight parts, hex salts, a 16-byte IV, the expiry, then ~2", async () => {
    const ours = await sealText("r1 1.abcdefgh", [SECRET], TTL_SECONDS);
    const theirs = await sealData("r1 1.abcdefgh", { password: passwordsOf(ours, SECRET), ttl: TTL_SECONDS });
    for (const seal of [ours, theirs]) {
      expect(seal.endsWith("~2")).toBe(true);
      const parts = seal.slice(0, -2).split("*");
      expect(parts).toHaveLength(8);
      const [prefix, id, encryptionSalt, iv, encrypted, expiration, hmacSalt, digest] = parts;
      expect(prefix).toBe("Fe26.2");
      expect(id).toBe(ours.split("*")[1]);
      expect(encryptionSalt).toMatch(/^[0-9a-f]{64}$/);
      expect(hmacSalt).toMatch(/^[0-9a-f]{64}$/);
      expect(Buffer.from(iv, "base64url")).toHaveLength(16);
      expect(Buffer.from(encrypted, "base64url").length % 16).toBe(0); // AES-CBC blocks
      expect(Math.abs(Number(expiration) - (Date.now() + TTL_SECONDS * 1000))).toBeLessThan(5_000);
      expect(Buffer.from(digest, "base64url")).toHaveLength(32); // HMAC-SHA256
    }
    // The same text under the same secret encrypts to the same length both ways.
    expect(ours.split("*")[4].length).toBe(theirs.split("*")[4].length);
  });

  test("every seal is new: fresh salts and IV each time", async () => {
    const seals = await Promise.all(Array.from({ length: 20 }, () => sealText("same text", [SECRET], TTL_SECONDS)));
    expect(new Set(seals.map((seal) => seal.split("*")[2])).size).toBe(20);
    expect(new Set(seals.map((seal) => seal.split("*")[3])).size).toBe(20);
    expect(new Set(seals.map((seal) => seal.split("*")[6])).size).toBe(20);
  });

  test("is sealed with the newest secret: the older one alone cannot open it", async () => {
    const seal = await sealText("rotated", [OTHER, SECRET], TTL_SECONDS);
    expect(await openWithIronSession(seal, OTHER)).toBe("rotated");
    expect(await refusalOf(seal, SECRET)).toBe("invalid");
  });

  test("a changed character anywhere in the sealed parts is refused by iron's HMAC", async () => {
    const seal = await sealText("do not touch", [SECRET], TTL_SECONDS);
    const body = seal.slice(0, -2);
    for (const index of [2, 20, 90, body.indexOf("*", 100) + 3, body.length - 3]) {
      const changed = body.slice(0, index) + (body[index] === "A" ? "B" : "A") + body.slice(index + 1);
      expect(await refusalOf(`${changed}~2`)).not.toBeNull();
    }
  });

  test("expires after its ttl (and iron's 60 s of clock skew), by iron-session's own check", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_800_000_000_000);
    const seal = await sealText("short-lived", [SECRET], 60);
    vi.setSystemTime(1_800_000_000_000 + 60_000 + 59_000);
    expect(await openWithIronSession(seal, SECRET, 60)).toBe("short-lived");
    vi.setSystemTime(1_800_000_000_000 + 60_000 + 61_000);
    expect(await refusalOf(seal, SECRET, 60)).toBe("expired");
  });

  test("what iron-session's sealData writes, with any of the secrets, openSeal opens", async () => {
    const idOfSecret = async (secret: string) => (await sealText("", [secret], TTL_SECONDS)).split("*")[1];
    const password = { [await idOfSecret(SECRET)]: SECRET, [await idOfSecret(OTHER)]: OTHER };
    for (const secret of [SECRET, OTHER]) {
      const theirs = await sealData("r1 1.abcdefgh", { password: { [await idOfSecret(secret)]: secret }, ttl: TTL_SECONDS });
      expect(await openSeal(theirs, [OTHER, SECRET])).toBe("r1 1.abcdefgh");
    }
    const both = await sealData("sealed with the newest id", { password, ttl: TTL_SECONDS });
    expect(await openSeal(both, [OTHER, SECRET])).toBe("sealed with the newest id");
  });

  test("refuses a secret shorter than iron's 32 characters", async () => {
    await expect(sealText("x", ["too-short"], TTL_SECONDS)).rejects.toThrow(/32 characters/);
  });
});
