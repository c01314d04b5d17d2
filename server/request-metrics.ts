// Times every request the launcher answers, for http_request_duration_seconds (lib/metrics): from
// its arrival to the end of its answer, labelled by route, method, status class and who answered.
// A cached hit is the product's hottest path, so an answer already ended is recorded at once, on a
// series found by its labels' positions in their fixed lists (no string built, nothing allocated);
// only answers still streaming wait for their `close`. Why and what it costs: docs/decisions/metrics.md.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ANSWERED_BY, METHODS, metrics, methodOf, ROUTES, routeOf, STATUS_CLASSES, statusClassOf, type AnsweredBy, type HistogramSeries } from "../lib/metrics";

/** Records one request; `answeredBy` null: the document cache's x-cache header says, else Next. */
export type RequestRecorder = (request: IncomingMessage, response: ServerResponse, startedAt: number, answeredBy: AnsweredBy | null) => void;

// A Map, not an object: a header naming one of Object.prototype's members ("valueOf") must not pass as a label.
const CACHE_ANSWERS: ReadonlyMap<unknown, AnsweredBy> = new Map([
  ["HIT", "cache_hit"],
  ["MISS", "cache_miss"],
  ["BYPASS", "cache_bypass"],
]);

const positions = <T>(values: readonly T[]): ReadonlyMap<T, number> => new Map(values.map((value, i) => [value, i]));
const ROUTE_AT = positions(ROUTES);
const METHOD_AT = positions(METHODS);
const STATUS_AT = positions(STATUS_CLASSES);
const ANSWER_AT = positions(ANSWERED_BY);

/** The recorder, or null when metrics are off (nothing to do per request). */
export function requestRecorder(): RequestRecorder | null {
  const histogram = metrics()?.httpRequestDuration;
  if (!histogram) return null;
  // One series per label set, made on its first request: at most routes × methods × status classes × answers.
  const series: (HistogramSeries | undefined)[] = [];

  function observe(request: IncomingMessage, response: ServerResponse, startedAt: number, answeredBy: AnsweredBy | null): void {
    const route = routeOf(request.url);
    const method = methodOf(request.method);
    const statusClass = statusClassOf(response.statusCode, response.writableEnded);
    const by = answeredBy ?? CACHE_ANSWERS.get(response.getHeader("x-cache")) ?? "next";
    const at = ((ROUTE_AT.get(route)! * METHODS.length + METHOD_AT.get(method)!) * STATUS_CLASSES.length + STATUS_AT.get(statusClass)!) * ANSWERED_BY.length + ANSWER_AT.get(by)!;
    (series[at] ??= histogram!.labels({ route, method, status_class: statusClass, answered_by: by })).observe((performance.now() - startedAt) / 1000);
  }

  return (request, response, startedAt, answeredBy) => {
    if (response.writableEnded || response.closed) observe(request, response, startedAt, answeredBy);
    else response.once("close", () => observe(request, response, startedAt, answeredBy));
  };
}
