import fc from "fast-check";
import { expect, test } from "vitest";
import { ByteBoundedLru } from "@/server/byte-bounded-lru";

test("never holds more bytes than its bound, whatever is put in", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 400 })), { maxLength: 300 }), (puts) => {
      const lru = new ByteBoundedLru<number>(1_000);
      for (const [key, bytes] of puts) {
        lru.set(String(key), bytes, bytes);
        expect(lru.bytes).toBeLessThanOrEqual(1_000);
      }
    }),
  );
});

test("drops the least recently used first; a read counts as a use", () => {
  const lru = new ByteBoundedLru<string>(800);
  lru.set("a", "A", 100);
  lru.set("b", "B", 100);
  expect(lru.get("a")).toBe("A");
  for (let i = 0; i < 7; i++) lru.set(`filler-${i}`, "x", 100); // the 7th no longer fits beside a and b
  expect(lru.get("b")).toBeUndefined();
  expect(lru.get("a")).toBe("A");
  expect(lru.bytes).toBe(800);
});

test("keeps nothing heavier than an eighth of the bound, so one entry cannot flush the rest", () => {
  const lru = new ByteBoundedLru<string>(800);
  lru.set("small", "s", 100);
  expect(lru.set("heavy", "h", 101)).toBe(false);
  expect(lru.get("heavy")).toBeUndefined();
  expect(lru.get("small")).toBe("s");
});

test("replacing a key counts its bytes once", () => {
  const lru = new ByteBoundedLru<string>(800);
  lru.set("a", "1", 100);
  lru.set("a", "2", 50);
  expect(lru.bytes).toBe(50);
  expect(lru.size).toBe(1);
});
