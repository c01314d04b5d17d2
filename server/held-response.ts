// Lets the server see a whole response before any of it reaches the client: Next writes into the
// response as usual (writeHead, setHeader, write, end), but nothing is sent until the server has
// decided what to send: the document cache whether to keep it (it needs the data version read after
// the render), and every document its Content-Security-Policy, which names the hashes of what Next
// wrote (server/document-policy.ts). Next's pipe waits for the response's `finish` event, which
// comes once the held response is finally sent.
// The only module that overrides a response's methods, and only on its own response: it relies on
// how Next writes a response, which tests/unit/held-response.test.ts reads from Next's own sources
// and fails on, naming the member, when an upgrade changes it.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { RequestHandler } from "./request-handler";

export type HeldDocument = { status: number; headers: OutgoingHttpHeaders; body: Buffer };

export type HeldResponse = {
  /** Settles when Next ends the response; null when the client went away first (nothing to keep or send). */
  result: Promise<HeldDocument | null>;
  /** Sends what Next wrote, as Next wrote it but for `headers` (each set, or removed where null). */
  release: (headers: Record<string, string | null>) => void;
  /** The same with another status (a rate-limited post's 429). */
  releaseWith: (changes: { status?: number; headers?: Record<string, string | null> }) => void;
  /** Gives the response back with the headers it had when it was held, none of Next's, for the caller to answer. */
  discard: () => void;
};

const HELD_METHODS = ["writeHead", "flushHeaders", "write", "end"] as const;

/**
 * Every member of the response Next's response writers touch, as of the Next this was built for:
 * the held methods above, and the rest, which work unchanged on a held response (headers and status
 * are kept on the response itself; `flush` exists only behind compression middleware; `closed`
 * says whether the client has gone).
 */
export const RESPONSE_MEMBERS_NEXT_USES = new Set<string>([
  ...HELD_METHODS,
  ...["setHeader", "getHeader", "getHeaders", "hasHeader", "removeHeader", "statusCode", "statusMessage", "headersSent", "finished"],
  ...["writableFinished", "on", "once", "off", "destroy", "flush", "appendHeader", "closed"],
]);

export function holdResponse(response: ServerResponse): HeldResponse {
  const headersBefore = response.getHeaders();
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
  const send = ({ status, headers = {} }: { status?: number; headers?: Record<string, string | null> }) => {
    restore();
    if (status !== undefined) response.statusCode = status;
    for (const [name, value] of Object.entries(headers)) {
      if (value === null) response.removeHeader(name);
      else response.setHeader(name, value);
    }
    response.end(Buffer.concat(chunks));
  };
  return {
    result,
    release: (headers) => send({ headers }),
    releaseWith: send,
    discard: () => {
      restore();
      for (const name of response.getHeaderNames()) response.removeHeader(name);
      for (const [name, value] of Object.entries(headersBefore)) if (value !== undefined) response.setHeader(name, value);
    },
  };
}

/**
 * Runs `render` on a held response and settles with what it wrote once it has ended the response
 * (Next ends it before its handler settles), or null when the client left first. A render that
 * throws before that gives the response back (discard) and the error goes to the caller, whose 500
 * then reaches the client.
 */
export async function renderHeld(request: IncomingMessage, response: ServerResponse, render: RequestHandler): Promise<{ held: HeldResponse; document: HeldDocument | null }> {
  const held = holdResponse(response);
  try {
    const document = await Promise.race([held.result, render(request, response).then(() => held.result)]);
    return { held, document };
  } catch (error) {
    held.discard();
    throw error;
  }
}
