// Which freshness mode each topology gets (db/list-version, the one place that decides it).
import { expect, test } from "vitest";
import { freshnessOf } from "@/db/list-version";
import { readDatabaseConfig, readFreshnessConfig } from "@/lib/config";

const freshness = (env: Record<string, string>) => freshnessOf(readDatabaseConfig(env), readFreshnessConfig(env));

test("the embedded file is read again whenever its WAL-index header says a commit landed, whatever the window", () => {
  expect(freshness({ DATABASE_URL: "file:data/app.db", LIST_FRESHNESS_WINDOW_MS: "5000" })).toEqual({ mode: "commit-marker", file: expect.stringMatching(/data\/app\.db$/) });
  expect(freshness({})).toMatchObject({ mode: "commit-marker" });
});

test("a remote database shares one read for LIST_FRESHNESS_WINDOW_MS (1 s unless set; 0 reads for every request)", () => {
  expect(freshness({ DATABASE_URL: "http://sqld:8080" })).toEqual({ mode: "shared-read", windowMs: 1_000 });
  expect(freshness({ DATABASE_URL: "libsql://db.turso.io", LIST_FRESHNESS_WINDOW_MS: "0" })).toEqual({ mode: "shared-read", windowMs: 0 });
  expect(freshness({ DATABASE_URL: "wss://db.turso.io", LIST_FRESHNESS_WINDOW_MS: "250" })).toEqual({ mode: "shared-read", windowMs: 250 });
});

test("an embedded replica shares one read for its sync interval (and until a pull brings a change)", () => {
  expect(freshness({ DATABASE_URL: "file:r.db", DATABASE_SYNC_URL: "http://sqld:8080", DATABASE_SYNC_INTERVAL_MS: "200" })).toEqual({ mode: "replica", windowMs: 200 });
});
