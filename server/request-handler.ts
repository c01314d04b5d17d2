import type { IncomingMessage, ServerResponse } from "node:http";

/** What Next's getRequestHandler() returns, and what every layer in front of it takes and passes on. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;
