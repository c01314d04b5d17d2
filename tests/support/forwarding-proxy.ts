// What a TLS-terminating proxy (a load balancer, nginx, a CDN) looks like to the app: plain HTTP
// on loopback, every request forwarded with `X-Forwarded-Proto: https`, `X-Forwarded-Host` (the host
// the browser asked for), `X-Forwarded-For`, and `Host` rewritten to the upstream's address, as
// nginx's `proxy_pass` does by default. It records what it forwards, so a test can count the
// requests a page needed.
import { createServer, request, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type ForwardedRequest = { method: string; path: string; isServerAction: boolean; isPrefetch: boolean };

export type ForwardingProxy = { url: string; forwarded: ForwardedRequest[]; close: () => Promise<void> };

function forwardedHeaders(headers: IncomingHttpHeaders, upstream: URL, clientAddress: string): IncomingHttpHeaders {
  return {
    ...headers,
    host: upstream.host,
    "x-forwarded-proto": "https",
    "x-forwarded-host": headers.host,
    "x-forwarded-for": clientAddress,
  };
}

/** Starts the proxy on a free loopback port, forwarding to `target` (http://127.0.0.1:port). */
export async function startForwardingProxy(target: string): Promise<ForwardingProxy> {
  const upstream = new URL(target);
  const forwarded: ForwardedRequest[] = [];
  const proxy = createServer((incoming, outgoing) => {
    const path = incoming.url ?? "/";
    forwarded.push({
      method: incoming.method ?? "GET",
      path,
      isServerAction: Boolean(incoming.headers["next-action"]),
      isPrefetch: incoming.headers["next-router-prefetch"] === "1",
    });
    const toServer = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path, headers: forwardedHeaders(incoming.headers, upstream, incoming.socket.remoteAddress ?? "") },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    toServer.once("error", () => outgoing.destroy());
    incoming.pipe(toServer);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      }),
  };
}
