// Times every request the launcher answers, for http_request_duration_seconds (lib/metrics): from
// its arrival to the end of its answer, labelled by route, method, status class and who answered.
// A cached hit is the product's hottest path, so an answer already ended is recorded at once, with
// one labelled child per label set kept here (no per-request label hashing by prom-client's lookup
// of a new child); only answers still streaming wait for their `close`. docs/decisions/metrics.md.
import type { IncomingMessage, ServerResponse } from "node:http";
import { metrics, methodOf, routeOf, statusClassOf, type AnsweredBy } from "../lib/metrics";

/** Records one request; `answeredBy` null: the document cache's x-cache header says, else Next. */
export type RequestRecorder = (request: IncomingMessage, response: ServerResponse, startedAt: number, answeredBy: AnsweredBy | null) => void;

// A Map, not an object: a header naming one of Object.prototype's members ("valueOf") must not pass as a label.
const CACHE_ANSWERS: ReadonlyMap<unknown, AnsweredBy> = new Map([
  ["HIT", "cache_hit"],
  ["MISS", "cache_miss"],
  ["BYPASS", "cache_bypass"],
]);

/** The recorder, or null when metrics are off (nothing to do per request). */
export function requestRecorder(): RequestRecorder | null {
  const histogram = metrics()?.httpRequestDuration;
  if (!histogram) return null;
  // At most routes × methods × status classes × answers entries: every part comes from a fixed list.
  const children = new Map<string, ReturnType<typeof histogram.labels>>();

  function observe(request: IncomingMessage, response: ServerResponse, startedAt: number, answeredBy: AnsweredBy | null): void {
    const route = routeOf(request.url);
    const method = methodOf(request.method);
    const statusClass = statusClassOf(response.statusCode, response.writableEnded);
    const by = answeredBy ?? CACHE_ANSWERS.get(response.getHeader("x-cache")) ?? "next";
    const key = `${route} ${method} ${statusClass} ${by}`;
    let child = children.get(key);
    if (!child) {
      child = histogram!.labels({ route, method, status_class: statusClass, answered_by: by });
      children.set(key, child);
    }
    child.observe((performance.now() - startedAt) / 1000);
  }

  return (request, response, startedAt, answeredBy) => {
    if (response.writableEnded || response.closed) observe(request, response, startedAt, answeredBy);
    else response.once("close", () => observe(request, response, startedAt, answeredBy));
  };
}
