// A client on a bare TCP socket (node:net), to behave as no browser does: headers sent a line at a
// time (slowloris), a body a byte at a time, a keep-alive connection left idle, connections held
// open. It keeps everything the server sent and when the server closed the connection.
import { connect, type Socket } from "node:net";

export type RawConnection = {
  /** When the connection was established (Date.now()). */
  openedAt: number;
  /** Everything the server has sent so far, as text. */
  received: () => string;
  send: (text: string) => void;
  /** Sends `text` every `everyMs` until the connection closes or the returned function is called. */
  drip: (text: string, everyMs: number) => () => void;
  /** Resolves with Date.now() when the connection closes (by either side, or reset). */
  closed: Promise<number>;
  isClosed: () => boolean;
  destroy: () => void;
};

export function openConnection(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let received = "";
    let isClosed = false;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("error", () => {}); // a reset is one way of being closed; `closed` reports it
    const closed = new Promise<number>((done) =>
      socket.once("close", () => {
        isClosed = true;
        done(Date.now());
      }),
    );
    socket.once("error", reject);
    socket.once("connect", () => {
      const send = (text: string) => {
        if (!isClosed) socket.write(text);
      };
      resolve({
        openedAt: Date.now(),
        received: () => received,
        send,
        drip: (text, everyMs) => {
          const timer = setInterval(() => send(text), everyMs);
          void closed.then(() => clearInterval(timer));
          return () => clearInterval(timer);
        },
        closed,
        isClosed: () => isClosed,
        destroy: () => socket.destroy(),
      });
    });
  });
}

/** Resolves once `connection` has received text matching `pattern`; rejects after `timeoutMs`. */
export async function waitToReceive(connection: RawConnection, pattern: RegExp, timeoutMs = 5_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(connection.received())) {
    if (connection.isClosed() || Date.now() > deadline) {
      throw new Error(`expected ${pattern} from the server, got ${JSON.stringify(connection.received().slice(0, 300))}${connection.isClosed() ? " before it closed" : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return connection.received();
}

/** Resolves with when the connection closed, or null if it is still open after `timeoutMs`. */
export function closedWithin(connection: RawConnection, timeoutMs: number): Promise<number | null> {
  return Promise.race([connection.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs))]);
}

/** A complete keep-alive GET, as one write. */
export const getRequest = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
