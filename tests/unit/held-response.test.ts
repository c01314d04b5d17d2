// server/held-response.ts holds what Next writes until the document cache decides. It overrides a
// response's methods, so it depends on how Next writes: these read Next's own response writers and
// fail, naming the member, when an upgrade starts using one the held response was not built for;
// and they hold a real response on a real socket.
import { existsSync, readFileSync } from "node:fs";
import { createServer, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { holdResponse, RESPONSE_MEMBERS_NEXT_USES, type HeldResponse } from "@/server/held-response";

const NEXT = join(import.meta.dirname, "..", "..", "node_modules", "next");
const nextVersion = () => (JSON.parse(readFileSync(join(NEXT, "package.json"), "utf8")) as { version: string }).version;

/**
 * The files through which Next writes a response the server holds (every document, and a route
 * handler's or a redirect's answer: server/document-policy.ts), and the name each gives the response.
 */
const NEXT_RESPONSE_WRITERS = [
  { path: "dist/server/pipe-readable.js", names: ["res"] },
  { path: "dist/server/send-payload.js", names: ["res"] },
  { path: "dist/server/base-http/node.js", names: ["_res", "originalResponse"] },
  { path: "dist/server/send-response.js", names: ["res"] },
  { path: "dist/server/lib/router-server.js", names: ["res"] },
];

function membersUsed(path: string, names: string[]): Set<string> {
  const file = join(NEXT, path);
  if (!existsSync(file)) throw new Error(`next@${nextVersion()} has no ${path} any more: server/held-response.ts needs a look`);
  const source = readFileSync(file, "utf8");
  const used = new Set<string>();
  for (const name of names) for (const match of source.matchAll(new RegExp(`\\b${name}\\.([A-Za-z_]\\w*)`, "g"))) used.add(match[1]!);
  return used;
}

test("Next writes a response only through members a held response was built for", () => {
  for (const { path, names } of NEXT_RESPONSE_WRITERS) {
    const unknown = [...membersUsed(path, names)].filter((member) => !RESPONSE_MEMBERS_NEXT_USES.has(member));
    expect(unknown, `next@${nextVersion()} ${path} now uses ${unknown.join(", ")} on the response: check server/held-response.ts, then add it to RESPONSE_MEMBERS_NEXT_USES`).toEqual([]);
  }
});

test("Next's pipe still writes the body with write and end, and waits for the response's finish", () => {
  const used = membersUsed("dist/server/pipe-readable.js", ["res"]);
  for (const member of ["write", "end", "once"]) expect(used.has(member), `next@${nextVersion()} pipe-readable.js no longer calls res.${member}`).toBe(true);
  expect(readFileSync(join(NEXT, "dist/server/pipe-readable.js"), "utf8")).toMatch(/res\.once\('finish'/);
});

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A real server whose one response is held by `act`; resolves with what the client got. */
async function heldExchange(act: (response: ServerResponse, held: HeldResponse) => Promise<void>) {
  server = createServer((_request, response) => {
    const held = holdResponse(response);
    void act(response, held);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    request({ port, host: "127.0.0.1", path: "/" }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString() }));
    })
      .on("error", reject)
      .end();
  });
}

test("nothing written to a held response reaches the client until it is released, then all of it, as written", async () => {
  let sentEarly = false;
  const answer = await heldExchange(async (response, held) => {
    response.writeHead(201, { "content-type": "text/plain" });
    response.flushHeaders();
    response.write("one ");
    response.write(Buffer.from("two "));
    response.end("three", () => {});
    const document = await held.result;
    expect(document).toEqual({ status: 201, headers: expect.objectContaining({ "content-type": "text/plain" }), body: Buffer.from("one two three") });
    sentEarly = response.headersSent;
    held.release({ "x-cache": "HIT" });
  });
  expect(sentEarly).toBe(false);
  expect(answer).toMatchObject({ status: 201, body: "one two three", headers: { "x-cache": "HIT", "content-type": "text/plain" } });
});

test("a discarded response is the caller's again, without what Next wrote", async () => {
  const answer = await heldExchange(async (response, held) => {
    response.setHeader("x-from-next", "yes");
    response.writeHead(500);
    response.end("Next's error page");
    await held.result;
    held.discard();
    response.writeHead(503, { "content-type": "text/plain" }).end("unavailable");
  });
  expect(answer.status).toBe(503);
  expect(answer.body).toBe("unavailable");
  expect(answer.headers["x-from-next"]).toBeUndefined();
});

test("a released response is sent with the caller's header changes: one set, one removed", async () => {
  const answer = await heldExchange(async (response, held) => {
    response.setHeader("content-security-policy", "Next's static policy");
    response.setHeader("x-gone", "yes");
    response.writeHead(200, { "content-type": "text/html" });
    response.end("<p>page</p>");
    await held.result;
    held.release({ "content-security-policy": "the page's own policy", "x-gone": null });
  });
  expect(answer.headers["content-security-policy"]).toBe("the page's own policy");
  expect(answer.headers["x-gone"]).toBeUndefined();
  expect(answer.body).toBe("<p>page</p>");
});

test("a discarded response keeps the headers it had before it was held (the server's own, such as Strict-Transport-Security)", async () => {
  server = createServer((_request, response) => {
    response.setHeader("strict-transport-security", "max-age=60");
    const held = holdResponse(response);
    response.setHeader("strict-transport-security", "overwritten by Next");
    response.writeHead(500).end("Next's error page");
    void held.result.then(() => {
      held.discard();
      response.writeHead(503).end("unavailable");
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const headers = await new Promise<Record<string, unknown>>((resolve, reject) =>
    request({ port, host: "127.0.0.1", path: "/" }, (response) => {
      response.resume();
      resolve(response.headers);
    })
      .on("error", reject)
      .end(),
  );
  expect(headers["strict-transport-security"]).toBe("max-age=60");
});
