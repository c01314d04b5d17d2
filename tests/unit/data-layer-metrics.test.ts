// What the data layer records for the operators' /metrics (lib/metrics), made to happen for real:
// group commits on the real commit thread and a real SQLite file, a commit thread that dies, reads of
// a remote server that refuses connections or never answers, and an embedded replica's pulls.
import { join } from "node:path";
import { expect, test } from "vitest";
import { openClient } from "@/db/connection/client";
import { guardClient, RemoteLink } from "@/db/connection/remote-link";
import { ReplicaSync } from "@/db/connection/replica-sync";
import { insertRegistrant } from "@/db/writer";
import { metrics } from "@/lib/metrics";
import { freePort } from "../support/server";
import { startSilentDatabase } from "../support/silent-database";
import { makeTempDir, uniqueEmail, withTempDatabase } from "../support/temp-db";
import { injectWriterFault } from "../support/writer-faults";

const faultFile = join(makeTempDir("metrics-faults-"), "fault");
process.env.REGISTRATION_FAULT_FILE = faultFile;
process.env.REGISTRATION_COMMIT_TIMEOUT_MS = "6000";
process.env.METRICS_PORT = "9464"; // recording on; no listener is opened by these tests
withTempDatabase();

/** One series' value, summed over the series matching `labels`: a counter's or gauge's, or a histogram's `_count` / `_sum`. */
async function valueOf(metricName: string, labels: Record<string, string> = {}): Promise<number> {
  let total = 0;
  for (const metric of await metrics()!.registry.getMetricsAsJSON()) {
    for (const value of metric.values) {
      const matches = ((value as { metricName?: string }).metricName ?? metric.name) === metricName && Object.entries(labels).every(([name, wanted]) => value.labels[name] === wanted);
      if (matches) total += value.value;
    }
  }
  return total;
}

const person = (name: string) => ({ name, email: uniqueEmail("metrics") });

test("each group commit's size and time are recorded: twenty registrations together, one batch of twenty", async () => {
  await insertRegistrant(person("Warm Up"));
  const [batchesBefore, rowsBefore, okBefore] = [await valueOf("writer_commit_batch_size_count"), await valueOf("writer_commit_batch_size_sum"), await valueOf("writer_commit_duration_seconds_count", { result: "ok" })];
  await Promise.all(Array.from({ length: 20 }, (_, i) => insertRegistrant(person(`Batch ${i}`))));
  expect(await valueOf("writer_commit_batch_size_count")).toBe(batchesBefore + 1);
  expect(await valueOf("writer_commit_batch_size_sum")).toBe(rowsBefore + 20);
  expect(await valueOf("writer_commit_duration_seconds_count", { result: "ok" })).toBe(okBefore + 1);
  expect(await valueOf("writer_commit_duration_seconds_sum", { result: "ok" })).toBeGreaterThan(0);
});

test("a commit thread that dies is counted as a restart, and its commit as failed", async () => {
  await insertRegistrant(person("Before The Fault"));
  const [restartsBefore, failedBefore] = [await valueOf("writer_restarts_total"), await valueOf("writer_commit_duration_seconds_count", { result: "failed" })];
  injectWriterFault(faultFile, "exit");
  await expect(insertRegistrant(person("Lost With The Thread"))).rejects.toThrow();
  expect(await valueOf("writer_restarts_total")).toBe(restartsBefore + 1);
  expect(await valueOf("writer_commit_duration_seconds_count", { result: "failed" })).toBe(failedBefore + 1);
  expect((await insertRegistrant(person("After The Fault"))).ok).toBe(true); // the replacement commits
});

test("remote reads: a refused connection is a network failure, and while the link is down calls are refused without going out", async () => {
  const url = `http://127.0.0.1:${await freePort()}`; // nobody listens there
  const link = new RemoteLink(async () => {
    throw new Error("connect ECONNREFUSED (probe)");
  });
  const client = guardClient(openClient({ url }), link, 2_000, () => {});
  const before = { network: await valueOf("database_remote_request_failures_total", { reason: "network" }), down: await valueOf("database_remote_request_failures_total", { reason: "link_down" }), failed: await valueOf("database_remote_request_duration_seconds_count", { result: "failed" }) };
  await expect(client.execute("SELECT 1")).rejects.toThrow();
  expect(link.isDown()).toBe(true);
  expect(await valueOf("database_remote_request_failures_total", { reason: "network" })).toBe(before.network + 1);
  expect(await valueOf("database_remote_request_duration_seconds_count", { result: "failed" })).toBe(before.failed + 1);
  await expect(client.execute("SELECT 1")).rejects.toThrow(/unreachable/);
  expect(await valueOf("database_remote_request_failures_total", { reason: "link_down" })).toBe(before.down + 1);
  expect(await valueOf("database_remote_request_duration_seconds_count", { result: "failed" })).toBe(before.failed + 1); // never sent: not timed
  client.close();
});

test("remote reads: a server that never answers is counted at the read's deadline", async () => {
  const silent = await startSilentDatabase();
  try {
    const link = new RemoteLink(async () => {});
    const client = guardClient(openClient({ url: silent.url }), link, 300, () => {});
    const before = await valueOf("database_remote_request_failures_total", { reason: "deadline" });
    await expect(client.execute("SELECT 1")).rejects.toThrow(/within 300 ms/);
    expect(await valueOf("database_remote_request_failures_total", { reason: "deadline" })).toBe(before + 1);
    client.close();
  } finally {
    await silent.close();
  }
});

test("an embedded replica's pulls are counted by result", async () => {
  let failing = false;
  const replica = new ReplicaSync({ sync: async () => (failing ? Promise.reject(new Error("Replication(PrimaryHandshakeTimeout)")) : { frame_no: 1, frames_synced: 0 }) }, 60_000);
  const [okBefore, failedBefore] = [await valueOf("database_replica_pulls_total", { result: "ok" }), await valueOf("database_replica_pulls_total", { result: "failed" })];
  await replica.syncNow();
  failing = true;
  await replica.syncNow();
  await replica.syncNow();
  replica.stop();
  expect(await valueOf("database_replica_pulls_total", { result: "ok" })).toBe(okBefore + 1);
  expect(await valueOf("database_replica_pulls_total", { result: "failed" })).toBe(failedBefore + 2);
});
