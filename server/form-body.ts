// Reading a form post's body at the door and handing it on to Next untouched: the bytes are read
// in paused mode up to the declared length, then put back at the front of the request stream
// (Readable.unshift) before its end is seen, so Next reads the same body from the same request.
// Only posts with a Content-Length within the Server Action limit get here (lib/http/request-guard.ts).
// tests/unit/form-body.test.ts holds this to Node's stream behaviour.
import type { IncomingMessage } from "node:http";

/** Resolves true when more can be read, false when the request ended, closed or failed first. */
function moreToRead(request: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (more: boolean) => () => {
      request.off("readable", onReadable).off("end", onEnd).off("close", onEnd).off("error", onEnd);
      resolve(more);
    };
    const onReadable = settle(true);
    const onEnd = settle(false);
    request.once("readable", onReadable).once("end", onEnd).once("close", onEnd).once("error", onEnd);
  });
}

/** The whole body (`length` bytes), left in the request for the next reader. Null when the client ends or fails first. */
export async function peekBody(request: IncomingMessage, length: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < length) {
    const chunk = request.read() as Buffer | null;
    if (chunk !== null) {
      chunks.push(chunk);
      size += chunk.length;
    } else if (request.readableEnded || request.destroyed || !(await moreToRead(request))) {
      break;
    }
  }
  const body = Buffer.concat(chunks);
  if (chunks.length > 0 && !request.readableEnded && !request.destroyed) request.unshift(body);
  return size === length ? body : null;
}
