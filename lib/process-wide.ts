// Every value this process shares between copies of the app's modules, in one place. `next build` gives
// each server bundle (the pages, the register action, /api/health, proxy.ts) its own copy of them, and
// the launcher (server/start.ts, bundled as start.mjs) has one more; `next dev` re-evaluates them on
// every edit. Modules still meet here, on one object on globalThis, because one process must have:
// - `connection`: one client per database, so every copy reads through one connection (and one replica's pulls);
// - `link`: one view of whether the remote database answers, so a frozen link is found once, not once
//   per bundle (docs/decisions/frozen-database-link.md);
// - `writer`: one queue in front of one commit thread, or bundles would race each other's group
//   commits (docs/decisions/commit-thread-and-group-commit.md);
// - `localCommits`: how many commits this process made; the launcher's document cache reads it to show a
//   visitor's own registration on their next request (db/list-version);
// - `availability`: proxy.ts's last answer to "can the list be read?", which the launcher drops when a
//   read fails (db/health/availability.ts);
// - `rateLimits`: what the launcher's per-client limits refused, for /api/health's details
//   (server/rate-limits.ts);
// - `metrics`: one set of Prometheus instruments, so what the actions, the writer and the launcher
//   record reaches the one /metrics answer (lib/metrics).
// Nothing else crosses between the bundles. See docs/architecture.md "Process-wide state".
export type SharedValue = "connection" | "link" | "writer" | "localCommits" | "availability" | "rateLimits" | "metrics";

/** One shared value: the same object in every copy of the module that asks for it by name. */
export type Slot<T> = { value: T | undefined };

const KEY = Symbol.for("lecture-registrants.process-wide");
const slots = ((globalThis as Record<symbol, Partial<Record<SharedValue, Slot<unknown>>> | undefined>)[KEY] ??= {});

/** The slot of one listed value; its owner module gives its type (and is the only module that asks for it). */
export function processWide<T>(name: SharedValue): Slot<T> {
  return (slots[name] ??= { value: undefined }) as Slot<T>;
}
