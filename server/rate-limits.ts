// Per-client budgets for the posts that change something (registrations, cancels, task changes),
// checked at the door before Next: token buckets, one per client and kind, plus one for all clients'
// registrations. Bounded in memory whatever the addresses: at most RATE_LIMIT_CLIENTS clients are
// remembered (least recently seen forgotten first), and a client is forgotten anyway once its
// buckets would be full again. Why these numbers, and what they cost: docs/decisions/rate-limits.md.
import { LRUCache } from "lru-cache";
import type { Budget, RateLimitConfig } from "../lib/config";
import { logEvent } from "../lib/log";
import type { PostKind, RateLimitStats } from "../lib/http/rate-limited";
import { processWide } from "../lib/process-wide";

export type { PostKind };

export type Verdict =
  | { allowed: true }
  /** `friendly`: let the action answer with its form and a message (marked); else answer at the door. */
  | { allowed: false; retryAfterSeconds: number; friendly: boolean; scope: "client" | "everyone" };

type Bucket = { tokens: number; at: number };
type Client = { buckets: Partial<Record<PostKind, Bucket>>; windowStart: number; refusedInWindow: number; unlogged: number };

/** A person who is refused sees their form again, with the message, this many times a minute; a script past that gets the door's page. */
const FRIENDLY_REFUSALS_PER_WINDOW = 3;
/** One log line per client per window, and one for everyone's ceiling. */
const WINDOW_MS = 60_000;

const stats = processWide<RateLimitStats>("rateLimits");

export type RateLimiter = {
  check: (kind: PostKind, client: string) => Verdict;
  stats: () => RateLimitStats;
};

const isOn = (budget: Budget) => budget.burst > 0 && budget.perMinute > 0;

export function createRateLimiter(config: RateLimitConfig, now: () => number = () => performance.now()): RateLimiter {
  const budgets: Record<PostKind, Budget> = { register: config.register, cancel: config.cancel, tasks: config.tasks };
  // Long enough that a forgotten client would have had full buckets again.
  const forgetAfterMs = Math.max(WINDOW_MS, ...Object.values(budgets).filter(isOn).map((b) => Math.ceil((b.burst / b.perMinute) * 60_000)));
  // Forgotten after forgetAfterMs without a post (its buckets are full again by then), or when the bound needs room.
  const clients = new LRUCache<string, Client>({ max: config.clientsTracked, ttl: forgetAfterMs, updateAgeOnGet: true, ttlAutopurge: false, ttlResolution: 0, perf: { now } });
  const everyone: Bucket = { tokens: Math.max(1, config.registerGlobalPerMinute / 10), at: now() };
  const everyoneLog = { windowStart: -Infinity, unlogged: 0 };
  const counts: RateLimitStats = (stats.value ??= { clients: 0, refused: { register: 0, cancel: 0, tasks: 0, everyone: 0 } });

  function check(kind: PostKind, key: string): Verdict {
    const budget = budgets[kind];
    const at = now();
    if (isOn(budget)) {
      let client = clients.get(key);
      if (!client) {
        client = { buckets: {}, windowStart: at, refusedInWindow: 0, unlogged: 0 };
        clients.set(key, client);
        counts.clients = clients.size;
      }
      const bucket = (client.buckets[kind] ??= { tokens: budget.burst, at });
      const wait = take(bucket, budget.burst, budget.perMinute, at);
      if (wait > 0) return refuseClient(kind, key, client, wait, at);
    }
    if (kind === "register" && config.registerGlobalPerMinute > 0) {
      const wait = take(everyone, Math.max(1, config.registerGlobalPerMinute / 10), config.registerGlobalPerMinute, at);
      if (wait > 0) return refuseEveryone(wait, at);
    }
    return { allowed: true };
  }

  function refuseClient(kind: PostKind, key: string, client: Client, waitMs: number, at: number): Verdict {
    counts.refused[kind] += 1;
    if (at - client.windowStart >= WINDOW_MS) {
      if (client.unlogged > 0) logEvent("warn", "rate-limit.refused", { client: key, refused: client.unlogged, within: "the last minute" });
      client.windowStart = at;
      client.refusedInWindow = 0;
      client.unlogged = 0;
    }
    client.refusedInWindow += 1;
    const retryAfterSeconds = Math.ceil(waitMs / 1_000);
    // The first refusal of a window is logged at once; the rest are counted into the next line.
    if (client.refusedInWindow === 1) logEvent("warn", "rate-limit.refused", { client: key, kind, retryAfterSeconds });
    else client.unlogged += 1;
    return { allowed: false, retryAfterSeconds, friendly: client.refusedInWindow <= FRIENDLY_REFUSALS_PER_WINDOW, scope: "client" };
  }

  function refuseEveryone(waitMs: number, at: number): Verdict {
    counts.refused.everyone += 1;
    everyoneLog.unlogged += 1;
    if (at - everyoneLog.windowStart >= WINDOW_MS) {
      logEvent("warn", "rate-limit.ceiling", { refused: everyoneLog.unlogged, perMinute: config.registerGlobalPerMinute });
      everyoneLog.windowStart = at;
      everyoneLog.unlogged = 0;
    }
    return { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1_000), friendly: false, scope: "everyone" };
  }

  return {
    check,
    stats: () => ({ ...counts, clients: (counts.clients = clients.size) }),
  };
}

/** Takes one token if there is one (returns 0), else returns how many ms until there is. */
function take(bucket: Bucket, capacity: number, perMinute: number, at: number): number {
  const perMs = perMinute / 60_000;
  bucket.tokens = Math.min(capacity, bucket.tokens + (at - bucket.at) * perMs);
  bucket.at = at;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return Math.max(1, (1 - bucket.tokens) / perMs);
}
