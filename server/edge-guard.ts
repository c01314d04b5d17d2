// The request guard (lib/http/request-guard.ts) at the server's door: a form post is judged here,
// first from its headers alone, before Next reads its body; then, for a Server Action post, from the
// framework fields in its body (refuseMalformedForm, docs/decisions/action-field-check.md). A
// refused one gets its page at once. One that passes the headers' check is marked, so Next's proxy
// (proxy.ts, which judges posts itself under `next dev`, where there is no launcher) is not run for
// it: the proxy copies every body it sees, a cost CPU-bound registrations would pay for nothing
// (docs/decisions/launcher-and-document-cache.md, "The choice"). The mark is removed from every
// incoming request first, so a client cannot send it itself.
import type { IncomingMessage, ServerResponse } from "node:http";
import { readAllowedOrigins } from "../lib/config";
import { actionFieldProblem, actionIdsOf, fetchActionBodyProblem } from "../lib/http/action-fields";
import { logRefusal, refusalAnswer } from "../lib/http/refusal";
import { EDGE_CHECKED_HEADER, refusalFor, type Refusal } from "../lib/http/request-guard";
import { peekBody } from "./form-body";

const allowedOrigins = readAllowedOrigins();

/** Answers a refused post and returns true; otherwise marks the request as judged and returns false. */
export function refuseAtTheDoor(request: IncomingMessage, response: ServerResponse): boolean {
  delete request.headers[EDGE_CHECKED_HEADER];
  const method = request.method ?? "GET";
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return false;
  const headers = headersOf(request);
  const path = (request.url ?? "/").split("?")[0];
  const refusal = refusalFor({ method, pathname: path, headers }, allowedOrigins);
  if (!refusal) {
    request.headers[EDGE_CHECKED_HEADER] = "1";
    return false;
  }
  refuse(refusal, request, response, headers);
  return true;
}

function refuse(refusal: Refusal, request: IncomingMessage, response: ServerResponse, headers?: Headers): void {
  const method = request.method ?? "POST";
  const path = (request.url ?? "/").split("?")[0];
  logRefusal(refusal, { method, path, headers: headers ?? headersOf(request) });
  const { body, headers: answerHeaders } = refusalAnswer(refusal);
  response.writeHead(refusal.status, answerHeaders).end(body);
}

function headersOf(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
  return headers;
}

/**
 * A post that Next would decode as a Server Action: a form posted without JavaScript (multipart,
 * no Next-Action header) or a call from the page's script (a Next-Action header), with a declared length.
 */
export function isActionPost(request: IncomingMessage): boolean {
  if (request.method !== "POST" || request.headers["content-length"] === undefined) return false;
  return request.headers["next-action"] !== undefined || /^multipart\/form-data\b/i.test(request.headers["content-type"] ?? "");
}

export type ActionPost = { answered: true } | { answered: false; actionIds: string[] };

/**
 * For an action post (isActionPost) that refuseAtTheDoor let in: reads the body (left in place for
 * Next) and answers 400 when what Next would decode is malformed or foreign
 * (lib/http/action-fields.ts). Otherwise says which Server Actions the post will run (for its budget,
 * server/rate-limits.ts).
 */
export async function judgeActionPost(request: IncomingMessage, response: ServerResponse, knownActionIds: ReadonlySet<string>): Promise<ActionPost> {
  const type = request.headers["content-type"] ?? "";
  const fetchedAction = request.headers["next-action"];
  const body = await peekBody(request, Number(request.headers["content-length"]));
  if (body === null) return { answered: false, actionIds: [] }; // the client left before sending it all: Next sees what there is
  const isMultipart = /^multipart\/form-data\b/i.test(type);
  let problem: string | null;
  let actionIds: string[] = typeof fetchedAction === "string" ? [fetchedAction] : [];
  try {
    const fields = isMultipart ? await new Request("http://form.invalid/", { method: "POST", headers: { "content-type": type }, body: new Uint8Array(body) }).formData() : undefined;
    if (fetchedAction === undefined) {
      problem = actionFieldProblem(fields!, knownActionIds);
      if (problem === null) actionIds = actionIdsOf(fields!);
    } else problem = fetchActionBodyProblem(fields ? { fields } : { text: body.toString("utf8") });
  } catch {
    problem = "unreadable-multipart";
  }
  if (problem === null) return { answered: false, actionIds };
  refuse({ status: 400, reason: "malformed-form", problem }, request, response);
  return { answered: true };
}
