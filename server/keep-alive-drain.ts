// Keep-alive connections while the server stops. server.close() closes the keep-alive connections
// idle at that moment but not those busy with a request: after their response they would stay
// open, idle, until KEEP_ALIVE_TIMEOUT, and the process would wait for them. Once stopping, the
// responses still to be written carry `Connection: close` and a connection that turns idle is
// closed at once, so the process exits right after the last response.
import type { Server, ServerResponse } from "node:http";

/** Starts watching the server's requests; call the returned function when it starts stopping. */
export function drainKeepAliveOnStop(server: Server): () => void {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  const closeAfter = (response: ServerResponse) => {
    if (!response.headersSent) response.setHeader("Connection", "close");
  };

  server.on("request", (_request, response: ServerResponse) => {
    if (stopping) closeAfter(response);
    inFlight.add(response);
    response.once("close", () => inFlight.delete(response));
    response.once("finish", () => {
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });

  return () => {
    stopping = true;
    for (const response of inFlight) closeAfter(response);
  };
}
