// The document cache's rules (server/document-cache.ts), over a real HTTP server. Next is stood in
// for by a renderer that writes the data version it "read" into the page, the way Next streams a
// page (setHeader, write, end), and counts its renders; the data version is a variable the test
// moves, as a commit would. The real server with Next behind the cache: tests/e2e/list-cache.spec.ts.
import { createHash } from "node:crypto";
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, test } from "vitest";
import type { ListState } from "@/db/list-version";
import { metrics } from "@/lib/metrics";
import { createDocumentCache, type RequestHandler, type UnreadableAnswer } from "@/server/document-cache";

process.env.METRICS_PORT = "9464"; // evictions are counted (read when the first cache is made)

async function evictions(): Promise<number> {
  return (await metrics()!.cacheEvictions.get()).values[0]?.value ?? 0;
}

const PAGE_SIZE = 50;
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** `down`: the database is gone; a shared read of its version made before still says what it was. */
type World = { state: ListState; renders: number; renderMs: number; bodyBytes: number; down?: boolean; onRender?: () => void };

/** What the server answers a render that failed while the database cannot be read (server/answer-request.ts: the 503 page). */
const answerUnreadable: UnreadableAnswer = (_request, response) => void response.writeHead(503, { "retry-after": "30" }).end("the 503 page");

async function start(world: World, maxBytes = 1024 * 1024) {
  const shared = async () => ({ ...world.state });
  const readNow = async () => {
    if (world.down) throw new Error("connection refused");
    return { ...world.state };
  };
  const cache = createDocumentCache({ maxBytes, pageSize: PAGE_SIZE }, { current: shared, readNow }, answerUnreadable);
  const render: RequestHandler = async (request, response) => {
    world.renders++;
    const version = world.state.version; // what the render reads
    world.onRender?.();
    if (world.down) return void response.writeHead(500).end("Next's error page"); // the page's own read failed
    if (request.headers["x-never-ends"]) return; // as Next does when its client has gone
    if (request.headers["x-throws"]) throw new Error("render failed");
    if (request.headers["x-fails"]) return void response.writeHead(500).end("a bug");
    await new Promise((resolve) => setTimeout(resolve, world.renderMs));
    response.statusCode = 200;
    response.setHeader("content-type", "text/html; charset=utf-8");
    response.setHeader("cache-control", "private, no-cache, no-store, max-age=0, must-revalidate");
    response.write(`<main data-url="${request.url}">version ${version} <script>self.version = ${version}</script>`);
    response.end("x".repeat(world.bodyBytes));
  };
  server = createServer((request, response) =>
    cache.serve(request, response, render).catch(() => {
      if (!response.headersSent) response.writeHead(500).end("failed"); // as server/answer-request.ts does
    }),
  );
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
      httpRequest({ port, host: "127.0.0.1", path, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const raw = Buffer.concat(chunks);
          const body = response.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
          resolve({ status: response.statusCode!, headers: response.headers, body: body.toString("utf8") });
        });
      })
        .on("error", reject)
        .end();
    });
  return { cache, get };
}

const world = (overrides: Partial<World> = {}): World => ({ state: { version: 1, total: 500 }, renders: 0, renderMs: 5, bodyBytes: 100, ...overrides });

describe("the document cache", () => {
  test("renders a page once per data version and answers the rest from memory", async () => {
    const w = world();
    const { get } = await start(w);
    const first = await get("/");
    expect(first.headers["x-cache"]).toBe("MISS");
    const second = await get("/");
    expect(second.headers["x-cache"]).toBe("HIT");
    expect(second.body).toBe(first.body);
    expect(w.renders).toBe(1);

    w.state = { version: 2, total: 501 };
    const third = await get("/");
    expect(third.headers["x-cache"]).toBe("MISS");
    expect(third.body).toContain("version 2");
    expect(w.renders).toBe(2);
  });

  test("keeps nothing rendered while the data changed: the render may show either version", async () => {
    const w = world();
    w.onRender = () => (w.state = { version: w.state.version + 1, total: 500 });
    const { get } = await start(w);
    expect((await get("/")).headers["x-cache"]).toBe("BYPASS");
    w.onRender = undefined;
    expect((await get("/")).headers["x-cache"]).toBe("MISS");
    expect((await get("/")).headers["x-cache"]).toBe("HIT");
  });

  test("a burst of misses for one page at one version renders it once", async () => {
    const w = world({ renderMs: 100 });
    const { get } = await start(w);
    const answers = await Promise.all(Array.from({ length: 20 }, () => get("/?page=3")));
    expect(w.renders).toBe(1);
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
    expect(answers.filter((answer) => answer.headers["x-cache"] === "MISS")).toHaveLength(1);
  });

  test("a request that saw a newer version never joins a render of an older one", async () => {
    let renderStarted!: () => void;
    const underWay = new Promise<void>((resolve) => (renderStarted = resolve));
    const w = world({ renderMs: 150, onRender: () => renderStarted() });
    const { get } = await start(w);
    const older = get("/");
    await underWay; // the first render has read version 1 (a fixed sleep lost this race on a busy machine)
    w.state = { version: 2, total: 501 }; // a registration commits
    const newer = await get("/");
    expect(newer.body).toContain("version 2");
    expect((await older).body).toContain("version 1");
    expect(w.renders).toBe(2);
  });

  test("a render whose client left (and that Next never ends) holds up nobody", async () => {
    const w = world();
    const { get } = await start(w);
    const port = (server!.address() as AddressInfo).port;
    const abandoned = httpRequest({ port, host: "127.0.0.1", path: "/", headers: { "x-never-ends": "1" } }).on("error", () => {});
    abandoned.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    abandoned.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const next = await get("/");
    expect(next.headers["x-cache"]).toBe("MISS");
    expect(Date.now() - started).toBeLessThan(2_000); // not the 5 s a joiner may wait
  });

  test("a render that throws is answered 500 by the caller, and keeps nothing", async () => {
    const w = world();
    const { cache, get } = await start(w);
    const failed = await get("/", { "x-throws": "1" });
    expect(failed.status).toBe(500);
    expect(failed.body).toBe("failed");
    expect(cache.stats().entries).toBe(0);
    expect((await get("/")).headers["x-cache"]).toBe("MISS");
  });

  test("only canonical URLs of real pages are kept; every other list URL is passed on uncached", async () => {
    const w = world({ state: { version: 1, total: 120 } }); // 3 pages
    const { cache, get } = await start(w);
    for (const path of ["/?page=4", "/?page=999999", "/?page=03", "/?page=1", "/?page=2&x=1", "/page/2", "/?x=1"]) {
      const answer = await get(path);
      expect(answer.headers["x-cache"] ?? "none", path).not.toMatch(/HIT|MISS/);
    }
    expect(cache.stats().entries).toBe(0);
    expect((await get("/?page=3")).headers["x-cache"]).toBe("MISS");
    expect(cache.stats().entries).toBe(1);
  });

  test("requests of Next's client router (RSC) and non-GET methods always go to Next", async () => {
    const w = world();
    const { cache, get } = await start(w);
    await get("/", { rsc: "1" });
    await get("/", { "next-router-prefetch": "1" });
    expect(cache.stats().entries).toBe(0);
    expect(w.renders).toBe(2);
  });

  test("an entry keeps the policy naming its own inline script, and every hit is sent with it; a page not kept gets its own too", async () => {
    const w = world({ state: { version: 7, total: 120 } });
    const { get } = await start(w);
    const scriptSrc = (answer: { headers: IncomingHttpHeaders }) => String(answer.headers["content-security-policy"]).split("; ").find((part) => part.startsWith("script-src"));
    const ownHash = (version: number) => `'sha256-${createHash("sha256").update(`self.version = ${version}`).digest("base64")}'`;
    const miss = await get("/");
    const hit = await get("/", { "accept-encoding": "gzip" });
    expect([miss.headers["x-cache"], hit.headers["x-cache"]]).toEqual(["MISS", "HIT"]);
    expect(scriptSrc(miss)).toBe(`script-src 'self' ${ownHash(7)}`);
    expect(scriptSrc(hit)).toBe(scriptSrc(miss));
    w.state = { version: 8, total: 120 };
    expect(scriptSrc(await get("/"))).toBe(`script-src 'self' ${ownHash(8)}`);
    const pastTheEnd = await get("/?page=9");
    expect(pastTheEnd.headers["x-cache"]).toBe("BYPASS");
    expect(scriptSrc(pastTheEnd)).toBe(`script-src 'self' ${ownHash(8)}`);
    expect(scriptSrc(await get("/register"))).toBe(`script-src 'self' ${ownHash(8)}`);
  });

  test("DOCUMENT_CACHE_MAX_BYTES=0 turns it off", async () => {
    const w = world();
    const { get } = await start(w, 0);
    await get("/");
    await get("/");
    expect(w.renders).toBe(2);
  });

  test("gzip only for a client that accepts it: q-values are honoured (gzip;q=0 refuses it)", async () => {
    const { get } = await start(world());
    await get("/"); // rendered and kept
    const encodingFor = async (acceptEncoding: string) => (await get("/", { "accept-encoding": acceptEncoding })).headers["content-encoding"];
    expect(await encodingFor("gzip, deflate, br")).toBe("gzip");
    expect(await encodingFor("br;q=1.0, gzip;q=0.8, *;q=0.1")).toBe("gzip");
    expect(await encodingFor("*")).toBe("gzip");
    expect(await encodingFor("gzip;q=0")).toBeUndefined();
    expect(await encodingFor("gzip;q=0, identity")).toBeUndefined();
    expect(await encodingFor("*;q=0, identity")).toBeUndefined();
    expect(await encodingFor("br")).toBeUndefined();
    expect(await encodingFor("GZIP")).toBe("gzip");
  });

  test("tells shared caches to revalidate, and a revalidation of an unchanged page is a 304", async () => {
    const w = world();
    const { get } = await start(w);
    const first = await get("/", { "accept-encoding": "gzip" });
    expect(first.headers["cache-control"]).toBe("no-cache");
    expect(first.headers.vary).toMatch(/Accept-Encoding/);
    expect(first.headers["content-encoding"]).toBe("gzip");
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^W\/".+"$/);

    const unchanged = await get("/", { "if-none-match": etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBe("");

    w.state = { version: 2, total: 501 };
    const changed = await get("/", { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.body).toContain("version 2");
    expect(changed.headers.etag).not.toBe(etag);
  });

  test("a render that fails because the database went away after its version was read is answered with the 503 page, and keeps nothing", async () => {
    const w = world();
    const { get } = await start(w);
    w.state = { version: 2, total: 500 }; // a change elsewhere: page 1 is not in the cache at this version
    w.down = true; // …and then the database goes away, while the shared read of version 2 still holds
    const during = await get("/");
    expect(during.status).toBe(503);
    expect(during.body).toBe("the 503 page");
    expect(during.headers["retry-after"]).toBe("30");
    expect(during.headers["x-cache"]).toBe("BYPASS");

    w.down = false;
    const after = await get("/");
    expect(after.status).toBe(200);
    expect(after.headers["x-cache"]).toBe("MISS"); // the failed render was not kept
    expect(after.body).toContain("version 2");
  });

  test("a render that fails while the database can be read keeps its own answer (a bug is not an outage)", async () => {
    const w = world();
    const { get } = await start(w);
    const failed = await get("/", { "x-fails": "1" });
    expect(failed.status).toBe(500);
    expect(failed.body).toBe("a bug");
    expect((await get("/")).headers["x-cache"]).toBe("MISS");
  });

  test("a database that cannot be read sends the request to Next, which answers it (the 503 page)", async () => {
    const locked = async () => {
      throw new Error("database is locked");
    };
    const cache = createDocumentCache({ maxBytes: 1024 * 1024, pageSize: PAGE_SIZE }, { current: locked, readNow: locked }, answerUnreadable);
    let rendered = 0;
    server = createServer((request, response) =>
      void cache.serve(request, response, async (_request, res) => {
        rendered++;
        res.writeHead(503).end("unavailable");
      }),
    );
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const status = await new Promise<number>((resolve) =>
      httpRequest({ port: (server!.address() as AddressInfo).port, host: "127.0.0.1", path: "/" }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      }).end(),
    );
    expect(status).toBe(503);
    expect(rendered).toBe(1);
  });
});

describe("the document cache's bounds", () => {
  const pathOf = (page: number) => (page === 1 ? "/" : `/?page=${page}`);
  const manyPages = () => world({ state: { version: 1, total: 50 * 5_000 } });

  test("holds at most its byte bound, however many heavy pages are asked for", async () => {
    const maxBytes = 256 * 1024;
    const w = world({ state: { version: 1, total: 50 * 5_000 }, bodyBytes: 20_000 });
    const { cache, get } = await start(w, maxBytes);
    for (let page = 1; page <= 300; page++) {
      await get(pathOf(page));
      expect(cache.stats().bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(cache.stats().entries).toBeGreaterThan(0);
    expect(cache.stats().entries).toBeLessThan(300);
    expect((await get("/")).headers["x-cache"]).toBe("MISS"); // page 1 was evicted long ago
  });

  test("drops the least recently used page first; a hit counts as a use", async () => {
    const w = { ...manyPages(), bodyBytes: 9_000 };
    const { cache, get } = await start(w, 100_000);
    await get(pathOf(1));
    await get(pathOf(2));
    expect((await get(pathOf(1))).headers["x-cache"]).toBe("HIT");
    const evictedBefore = await evictions();
    let page = 3;
    for (; cache.stats().entries === page - 1; page++) await get(pathOf(page)); // until one page is evicted
    expect(cache.stats().entries).toBe(page - 2);
    expect(await evictions()).toBe(evictedBefore + 1); // document_cache_evictions_total
    expect((await get(pathOf(1))).headers["x-cache"]).toBe("HIT");
    expect((await get(pathOf(2))).headers["x-cache"]).toBe("MISS");
  });

  test("keeps no page heavier than an eighth of the bound, so one page cannot flush the rest", async () => {
    const maxBytes = 100_000;
    const w = { ...manyPages(), bodyBytes: 1_000 };
    const { cache, get } = await start(w, maxBytes);
    await get(pathOf(1));
    await get(pathOf(2));
    w.bodyBytes = maxBytes / 8;
    expect((await get(pathOf(3))).headers["x-cache"]).toBe("MISS");
    expect((await get(pathOf(3))).headers["x-cache"]).toBe("MISS"); // rendered again: it was not kept
    expect(cache.stats().entries).toBe(2);
    w.state = { ...w.state, version: 2 };
    await get(pathOf(1)); // page 1 at the new version is too heavy too: the old one goes, nothing replaces it
    expect(cache.stats().entries).toBe(1);
    w.bodyBytes = 1_000;
    expect((await get(pathOf(2))).headers["x-cache"]).toBe("MISS"); // version 2
    expect((await get(pathOf(2))).headers["x-cache"]).toBe("HIT");
  });

  test("a page rendered again at a new version counts its bytes once", async () => {
    const w = world();
    const { cache, get } = await start(w);
    await get("/");
    const { bytes } = cache.stats();
    w.state = { version: 2, total: 501 };
    expect((await get("/")).headers["x-cache"]).toBe("MISS");
    expect(cache.stats()).toMatchObject({ entries: 1, bytes });
  });
});
