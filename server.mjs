// The production server (`npm start`): Next's request handler behind the registrants list's
// document cache (lib/document-cache.mjs). Listens on HOSTNAME:PORT (default 0.0.0.0:3000).
import { createServer } from "node:http";
import next from "next";
import { answerFromDocumentCache, documentKeyOf } from "./lib/document-cache.mjs";

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME || "0.0.0.0";
const app = next({ dev: false, hostname, port, dir: import.meta.dirname });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer(async (request, response) => {
  try {
    const key = documentKeyOf(request);
    if (key && (await answerFromDocumentCache(request, response, key))) return;
    await handle(request, response);
  } catch (error) {
    console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", event: "server.request-failed", error: String(error) }));
    if (!response.headersSent) response.writeHead(500).end("Internal Server Error");
  }
});
server.listen(port, hostname, () => console.log(`Ready on http://${hostname}:${port}`));

// Stop taking connections and let requests in flight finish; give up after 10 s.
process.once("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(1), 10_000).unref();
});
