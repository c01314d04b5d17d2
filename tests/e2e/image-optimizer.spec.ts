// The app shows no images, so Next's image optimizer (`/_next/image`) is switched off
// (next.config.ts `images.unoptimized`): it must not fetch, render or transform anything a URL
// names, local or remote, whatever the query asks for.
import { createServer, type Server } from "node:http";
import { expect, test } from "@playwright/test";
import { freePort } from "../support/server";

let upstream: Server;
let upstreamUrl = "";
const upstreamRequests: string[] = [];
test.beforeAll(async () => {
  upstream = createServer((request, response) => {
    upstreamRequests.push(request.url ?? "");
    response.writeHead(200, { "content-type": "image/png" }).end(Buffer.alloc(64));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => upstream.listen(port, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${port}/picture.png`;
});
test.afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

// What the optimizer says once it has fetched the resource and looked at it.
const OPTIMIZER_VERDICT = /isn't a valid image|internal response is invalid|image type is not allowed|"url" parameter/;

test("/_next/image answers 404 for local pages, the icon and remote images, and fetches none of them", async ({ request }) => {
  for (const url of ["/register", "/", "/icon.svg", upstreamUrl]) {
    const response = await request.get(`/_next/image?url=${encodeURIComponent(url)}&w=64&q=75`);
    expect(response.status(), url).toBe(404);
    expect(response.headers()["content-type"], url).toMatch(/^text\/html/);
    expect(await response.text(), url).not.toMatch(OPTIMIZER_VERDICT);
  }
  expect(upstreamRequests).toEqual([]);
});
