// Lets the document cache see a whole response before any of it reaches the client: Next writes
// into the response as usual (writeHead, setHeader, write, end), but nothing is sent until the
// cache has decided whether to keep it (it needs the data version read after the render). Next's
// pipe waits for the response's `finish` event, which comes once the held response is finally sent.
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

export type HeldDocument = { status: number; headers: OutgoingHttpHeaders; body: Buffer };

export type HeldResponse = {
  /** Settles when Next ends the response; null when the client went away first (nothing to keep or send). */
  result: Promise<HeldDocument | null>;
  /** Sends what Next wrote, as Next wrote it (plus `x-cache`). */
  release: (answeredBy: string) => void;
  /** Gives the response back untouched by what Next wrote, for the caller to answer. */
  discard: () => void;
};

const HELD_METHODS = ["writeHead", "flushHeaders", "write", "end"] as const;

export function holdResponse(response: ServerResponse): HeldResponse {
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function") return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string | Uint8Array as string, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
  };
  const callbackOf = (args: unknown[]) => args.find((arg): arg is () => void => typeof arg === "function");
  let finish!: (document: HeldDocument | null) => void;
  const result = new Promise<HeldDocument | null>((resolve) => (finish = resolve));
  // A client that disconnects mid-render: Next may then never end the response.
  response.once("close", () => finish(null));

  const held = response as unknown as Record<(typeof HELD_METHODS)[number], unknown>;
  held.writeHead = (status: number, ...rest: unknown[]) => {
    response.statusCode = status;
    const headers = rest.find((arg) => typeof arg === "object" && arg !== null) as OutgoingHttpHeaders | undefined;
    for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) response.setHeader(name, value);
    return response;
  };
  held.flushHeaders = () => {};
  held.write = (chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    callbackOf(rest)?.();
    return true;
  };
  held.end = (chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    callbackOf(rest)?.();
    finish({ status: response.statusCode, headers: response.getHeaders(), body: Buffer.concat(chunks) });
    return response;
  };

  const restore = () => {
    for (const method of HELD_METHODS) delete held[method]; // the prototype's own methods again
  };
  return {
    result,
    release: (answeredBy) => {
      restore();
      response.setHeader("x-cache", answeredBy);
      response.end(Buffer.concat(chunks));
    },
    discard: () => {
      restore();
      for (const name of response.getHeaderNames()) response.removeHeader(name);
    },
  };
}
