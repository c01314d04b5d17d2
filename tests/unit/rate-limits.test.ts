// The per-client budgets (server/rate-limits.ts) on a clock of the test's own.
import { expect, test } from "vitest";
import type { RateLimitConfig } from "@/lib/config";
import { createRateLimiter } from "@/server/rate-limits";

const OFF = { burst: 0, perMinute: 0 };
const config = (changes: Partial<RateLimitConfig> = {}): RateLimitConfig => ({
  register: { burst: 30, perMinute: 120 },
  cancel: OFF,
  tasks: OFF,
  registerGlobalPerMinute: 0,
  connectionsPerClient: 0,
  clientsTracked: 1_000,
  ...changes,
});

function clock() {
  let ms = 0;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

test("a client may post its burst at once, then refill-rate more; the refusal says how long to wait", () => {
  const time = clock();
  const limiter = createRateLimiter(config(), time.now);
  for (let i = 0; i < 30; i++) expect(limiter.check("register", "a").allowed).toBe(true);
  const refused = limiter.check("register", "a");
  expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1, scope: "client" });
  time.advance(500); // 120 a minute: one every 500 ms
  expect(limiter.check("register", "a").allowed).toBe(true);
  expect(limiter.check("register", "a").allowed).toBe(false);
});

test("a lecture hall behind one address registers a hundred within a minute; a script is stopped in its first second", () => {
  const time = clock();
  const limiter = createRateLimiter(config(), time.now);
  // A hundred students, a few at once, over 45 s.
  let accepted = 0;
  for (let i = 0; i < 100; i++) {
    if (i % 4 === 0) time.advance(1_800);
    if (limiter.check("register", "hall").allowed) accepted += 1;
  }
  expect(accepted).toBe(100);
  // A script: 500 posts within one second.
  let scripted = 0;
  for (let i = 0; i < 500; i++) {
    time.advance(2);
    if (limiter.check("register", "script").allowed) scripted += 1;
  }
  expect(scripted).toBeLessThanOrEqual(33);
});

test("clients are counted apart, and kinds are counted apart", () => {
  const limiter = createRateLimiter(config({ tasks: { burst: 2, perMinute: 60 } }), clock().now);
  for (let i = 0; i < 30; i++) limiter.check("register", "a");
  expect(limiter.check("register", "a").allowed).toBe(false);
  expect(limiter.check("register", "b").allowed).toBe(true);
  expect(limiter.check("tasks", "a").allowed).toBe(true);
  expect(limiter.check("cancel", "a").allowed).toBe(true); // off
});

test("a person's first refusals of a minute get their form back; past them the door answers", () => {
  const time = clock();
  const limiter = createRateLimiter(config({ register: { burst: 1, perMinute: 1 } }), time.now);
  limiter.check("register", "a");
  const verdicts = Array.from({ length: 5 }, () => limiter.check("register", "a"));
  expect(verdicts.map((v) => !v.allowed && v.friendly)).toEqual([true, true, true, false, false]);
  time.advance(60_000);
  limiter.check("register", "a"); // the refilled token
  expect(limiter.check("register", "a")).toMatchObject({ allowed: false, friendly: true });
});

test("all clients together meet the global ceiling, answered at the door", () => {
  const limiter = createRateLimiter(config({ registerGlobalPerMinute: 60 }), clock().now);
  const allowed = Array.from({ length: 20 }, (_, i) => limiter.check("register", `client-${i}`).allowed);
  expect(allowed.filter(Boolean)).toHaveLength(6); // a tenth of a minute's worth at once
  expect(limiter.check("register", "someone-new")).toMatchObject({ allowed: false, friendly: false, scope: "everyone" });
});

test("a spray of distinct clients keeps at most RATE_LIMIT_CLIENTS remembered", () => {
  const limiter = createRateLimiter(config({ clientsTracked: 1_000 }), clock().now);
  for (let i = 0; i < 100_000; i++) limiter.check("register", `198.51.${i >> 8}.${i & 255}`);
  expect(limiter.stats().clients).toBe(1_000);
});

test("a limit of 0 is off", () => {
  const limiter = createRateLimiter(config({ register: { burst: 0, perMinute: 120 } }), clock().now);
  for (let i = 0; i < 1_000; i++) expect(limiter.check("register", "a").allowed).toBe(true);
});

test("a client that keeps posting is never forgotten into a fresh burst", () => {
  const time = clock();
  const limiter = createRateLimiter(config(), time.now);
  let accepted = 0;
  // Ten minutes of one post every 100 ms: 30 at first, then 2 a second.
  for (let i = 0; i < 6_000; i++) {
    time.advance(100);
    if (limiter.check("register", "steady").allowed) accepted += 1;
  }
  expect(accepted).toBeLessThanOrEqual(30 + 2 * 600 + 1);
});
