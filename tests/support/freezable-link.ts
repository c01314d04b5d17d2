// A TCP link to a server that a test can freeze: while frozen it forwards nothing in either
// direction, on open connections and new ones alike (what a dead link or a network partition looks
// like to both ends: no reset, no close, just silence); thawed, it forwards again what it held.
import { createConnection, createServer, type Socket } from "node:net";

export type FreezableLink = {
  /** The same scheme and path as the target, through the link: what goes into DATABASE_URL. */
  url: (scheme: "http" | "ws") => string;
  freeze: () => void;
  thaw: () => void;
  close: () => Promise<void>;
};

/** A link on a free loopback port to `target` (host:port). */
export async function startFreezableLink(target: { host: string; port: number }): Promise<FreezableLink> {
  let frozen = false;
  const pairs = new Set<[Socket, Socket]>();
  const held: Array<() => void> = [];

  const server = createServer((inbound) => {
    inbound.pause();
    const open = () => {
      const outbound = createConnection(target);
      const pair: [Socket, Socket] = [inbound, outbound];
      pairs.add(pair);
      const forward = (from: Socket, to: Socket) => from.on("data", (chunk) => (to.write(chunk) ? undefined : from.pause()));
      forward(inbound, outbound);
      forward(outbound, inbound);
      inbound.on("drain", () => !frozen && outbound.resume());
      outbound.on("drain", () => !frozen && inbound.resume());
      // A close or reset on one side crosses the link only when it carries traffic.
      const end = () => {
        if (frozen) return void held.push(end);
        pairs.delete(pair);
        inbound.destroy();
        outbound.destroy();
      };
      inbound.on("close", end).on("error", end);
      outbound.on("close", end).on("error", end);
      if (!frozen) inbound.resume();
      else outbound.pause();
    };
    // A connection made while frozen reaches the server only when thawed.
    if (frozen) held.push(open);
    else open();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  return {
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    freeze() {
      frozen = true;
      for (const [inbound, outbound] of pairs) {
        inbound.pause();
        outbound.pause();
      }
    },
    thaw() {
      frozen = false;
      for (const [inbound, outbound] of pairs) {
        inbound.resume();
        outbound.resume();
      }
      for (const open of held.splice(0)) open();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [inbound, outbound] of pairs) {
          inbound.destroy();
          outbound.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
