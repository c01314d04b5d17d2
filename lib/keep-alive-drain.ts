// Keep-alive connections while the server stops. Next's SIGTERM handler calls server.close(), which
// closes the keep-alive connections idle at that moment but not those busy with a request: after
// their response they stay open, idle, until the keep-alive timeout (5 s), and the process waits
// for them. Node publishes every request with its server on a diagnostics channel (experimental
// but long-standing, what APM agents use); from it, once stopping, responses go out with
// `Connection: close` and connections that turn idle are closed, so the process exits right after
// the last response.
import { subscribe } from "node:diagnostics_channel";
import type { Server, ServerResponse } from "node:http";

type RequestMessage = { response: ServerResponse; server: Server };

/** Starts watching requests; call the returned function when the server starts stopping. */
export function drainKeepAliveOnStop(): () => void {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  const closeAfter = (response: ServerResponse) => {
    if (!response.headersSent) response.setHeader("Connection", "close");
  };

  subscribe("http.server.request.start", (message) => {
    const { response } = message as RequestMessage;
    if (stopping) return closeAfter(response);
    inFlight.add(response);
    response.once("close", () => inFlight.delete(response));
  });
  subscribe("http.server.response.finish", (message) => {
    const { server } = message as RequestMessage;
    if (stopping) setImmediate(() => server.closeIdleConnections());
  });

  return () => {
    stopping = true;
    for (const response of inFlight) closeAfter(response);
  };
}
