// Reading a body at the door and leaving it for Next (server/form-body.ts), on a real HTTP server:
// the next reader gets every byte, in one chunk or many, and a client that stops early is seen.
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import { expect, test } from "vitest";
import { peekBody } from "@/server/form-body";

async function roundTrip(body: Buffer, chunks: number): Promise<{ peeked: Buffer | null; readAfter: string }> {
  let result!: { peeked: Buffer | null; readAfter: string };
  const server = createServer(async (request: IncomingMessage, response) => {
    const peeked = await peekBody(request, Number(request.headers["content-length"]));
    result = { peeked, readAfter: await text(request) }; // what Next would read next
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    const client = httpRequest({ port, host: "127.0.0.1", method: "POST", headers: { "content-length": body.length } }, (response) => {
      response.resume();
      response.on("end", resolve);
    });
    client.on("error", reject);
    const size = Math.ceil(body.length / chunks);
    const sendFrom = (at: number) => {
      if (at >= body.length) return void client.end();
      client.write(body.subarray(at, at + size));
      setTimeout(() => sendFrom(at + size), 5);
    };
    sendFrom(0);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return result;
}

test.each([1, 7])("the whole body is read and the next reader still gets every byte (%i chunks)", async (chunks) => {
  const body = Buffer.from(`--x\r\n${"é".repeat(50_000)}\r\n--x--\r\n`);
  const { peeked, readAfter } = await roundTrip(body, chunks);
  expect(peeked?.equals(body)).toBe(true);
  expect(readAfter).toBe(body.toString());
});
