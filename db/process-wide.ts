// Every value this process shares between copies of the data layer, in one place. `next build` gives
// each server bundle (the pages, the register action, /api/health, proxy.ts) its own copy of db/, and
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
//   read fails (db/health/availability.ts).
// Nothing else crosses between the bundles. See docs/architecture.md "Process-wide state".
import type { Connection } from "./connection";
import type { RemoteLink } from "./connection/remote-link";
import type { DatabaseStatus } from "./health/availability";
import type { GroupCommit } from "./writer/group-commit";

export type ProcessWide = {
  connection?: Connection;
  /** Null: the database is a local file (no link to watch). Undefined: not decided yet. */
  link?: RemoteLink | null;
  writer?: GroupCommit;
  /** Only ever grows. */
  localCommits: number;
  availability?: { at: number; status: Promise<DatabaseStatus> };
};

const KEY = Symbol.for("lecture-registrants.process-wide");

export const processWide: ProcessWide = ((globalThis as Record<symbol, ProcessWide | undefined>)[KEY] ??= { localCommits: 0 });
