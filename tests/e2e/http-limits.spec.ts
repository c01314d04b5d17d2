// What the server does with clients that hold its connections: headers sent a line at a time
// (slowloris), a body that never finishes, idle keep-alive connections, more connections than it
// will take, oversized headers. Each test starts the real server with short limits set through the
// environment (README "Configuration"), so a limit shows within seconds, and talks to it on raw
// sockets (tests/support/raw-connection.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { closedWithin, getRequest, openConnection, waitToReceive } from "../support/raw-connection";
import { migrateDatabase, startServer, type RunningServer } from "../support/server";

const dir = mkdtempSync(join(tmpdir(), "registrants-e2e-limits-"));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

const started: RunningServer[] = [];
test.afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

async function serverWith(limits: Record<string, string>): Promise<RunningServer> {
  const url = `file:${join(dir, `${test.info().testId}.db`)}`;
  await migrateDatabase(url);
  const server = await startServer({ DATABASE_URL: url, ...limits });
  started.push(server);
  return server;
}

/** How late past a limit the server may act: its check runs every quarter of the headers timeout, and this machine is shared. */
const SLACK_MS = 1_000;

test("a client sending its headers a line at a time is cut off within HTTP_HEADERS_TIMEOUT_MS", async () => {
  const server = await serverWith({ HTTP_HEADERS_TIMEOUT_MS: "1000" });
  const slowloris = await openConnection(server.port);
  slowloris.send("GET /register HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  slowloris.drip("X-Still-Typing: 1\r\n", 200); // never the blank line that ends the headers

  const closedAt = await closedWithin(slowloris, 1_000 + SLACK_MS);
  expect(closedAt, "closed while the headers were still coming").not.toBeNull();
  expect(closedAt! - slowloris.openedAt).toBeGreaterThanOrEqual(900);
  expect(slowloris.received()).toMatch(/^(HTTP\/1\.1 408 |$)/);
});

test("a client sending its body a byte at a time gets 408 within HTTP_REQUEST_TIMEOUT_MS", async () => {
  const server = await serverWith({ HTTP_HEADERS_TIMEOUT_MS: "1000", HTTP_REQUEST_TIMEOUT_MS: "2000" });
  const slowUpload = await openConnection(server.port);
  const boundary = "----slow";
  slowUpload.send(
    `POST /register HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: ${server.url}\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 10000\r\n\r\n--${boundary}\r\n`,
  );
  slowUpload.drip("x", 200);

  const closedAt = await closedWithin(slowUpload, 2_000 + SLACK_MS);
  expect(closedAt, "closed while the body was still coming").not.toBeNull();
  expect(closedAt! - slowUpload.openedAt).toBeGreaterThanOrEqual(1_900);
  expect(slowUpload.received()).toMatch(/^HTTP\/1\.1 408 /);
});

test("an idle keep-alive connection stays open for KEEP_ALIVE_TIMEOUT (above Node's 5 s, as a load balancer needs) and is then closed", async () => {
  const server = await serverWith({ KEEP_ALIVE_TIMEOUT: "6500" });
  const idle = await openConnection(server.port);
  idle.send(getRequest("/api/health"));
  await waitToReceive(idle, /^HTTP\/1\.1 200 [\s\S]*"status":"ok"/);
  const answeredAt = Date.now();

  expect(await closedWithin(idle, 6_300), "still open just before KEEP_ALIVE_TIMEOUT").toBeNull();
  const closedAt = await closedWithin(idle, 200 + 1_000 + SLACK_MS); // Node adds a 1 s buffer to the socket's timer
  expect(closedAt, "closed after KEEP_ALIVE_TIMEOUT").not.toBeNull();
  expect(closedAt! - answeredAt).toBeGreaterThanOrEqual(6_500);
});

test("past HTTP_MAX_CONNECTIONS a new connection is closed unanswered while the open ones are still served", async () => {
  const server = await serverWith({ HTTP_MAX_CONNECTIONS: "3" });
  const held = await Promise.all([1, 2, 3].map(() => openConnection(server.port)));
  for (const connection of held) {
    connection.send(getRequest("/api/health"));
    await waitToReceive(connection, /^HTTP\/1\.1 200 /);
  }

  const extra = await openConnection(server.port);
  extra.send(getRequest("/api/health"));
  expect(await closedWithin(extra, 2_000), "the fourth connection is closed").not.toBeNull();
  expect(extra.received()).toBe("");

  for (const connection of held) {
    connection.send(getRequest("/api/health"));
    await waitToReceive(connection, /^HTTP\/1\.1 200 [\s\S]*HTTP\/1\.1 200 /);
  }
  held[0].destroy();
  await held[0].closed;
  await expect.poll(async () => (await fetch(`${server.url}/api/health`).catch(() => null))?.status, { message: "a freed place is taken again" }).toBe(200);
  for (const connection of held) connection.destroy();
});

test("a request whose headers are over HTTP_MAX_HEADER_BYTES is answered 431", async () => {
  const server = await serverWith({ HTTP_MAX_HEADER_BYTES: "4096" });
  const oversized = await openConnection(server.port);
  oversized.send(`GET /register HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"a".repeat(6_000)}\r\n\r\n`);
  await waitToReceive(oversized, /^HTTP\/1\.1 431 /);

  const normal = await openConnection(server.port);
  normal.send(getRequest("/api/health"));
  await waitToReceive(normal, /^HTTP\/1\.1 200 /);
  normal.destroy();
});
