// The request guard (lib/http/request-guard.ts) at the server's door: a form post is judged here,
// from its headers alone, before Next reads its body. A refused one gets its page at once; one that
// passes is marked, so proxy.ts (which judges it again under `next dev`, where there is no launcher)
// is not run for it. Running Next's proxy costs a post ~0.5 ms of CPU (it copies the request body
// to hand it on); registrations are CPU-bound, so that was a quarter of what a no-JS post cost.
// The mark is removed from every incoming request first, so a client cannot send it itself.
import type { IncomingMessage, ServerResponse } from "node:http";
import { readAllowedOrigins } from "../lib/config";
import { logRefusal, refusalAnswer } from "../lib/http/refusal";
import { EDGE_CHECKED_HEADER, refusalFor } from "../lib/http/request-guard";

const allowedOrigins = readAllowedOrigins();

/** Answers a refused post and returns true; otherwise marks the request as judged and returns false. */
export function refuseAtTheDoor(request: IncomingMessage, response: ServerResponse): boolean {
  delete request.headers[EDGE_CHECKED_HEADER];
  const method = request.method ?? "GET";
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return false;
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
  const path = (request.url ?? "/").split("?")[0];
  const refusal = refusalFor({ method, pathname: path, headers }, allowedOrigins);
  if (!refusal) {
    request.headers[EDGE_CHECKED_HEADER] = "1";
    return false;
  }
  logRefusal(refusal, { method, path, headers });
  const { body, headers: answerHeaders } = refusalAnswer(refusal);
  response.writeHead(refusal.status, answerHeaders).end(body);
  return true;
}
