// A request's labels, from a fixed list whatever the request says: a path, method or status the
// app does not know is "other", so a client inventing URLs cannot add series (a unit test sends
// hostile ones: tests/unit/metrics-labels.test.ts).
import type { Method, Route, StatusClass } from "./catalogue";

const EXACT_ROUTES = new Map<string, Route>(
  (["/", "/register", "/register/cancel", "/todos", "/api/health", "/robots.txt", "/icon.svg"] as const).map((route) => [route, route]),
);

/** The route a request URL (path and query) belongs to. */
export function routeOf(url: string | undefined): Route {
  if (url === undefined) return "other";
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const exact = EXACT_ROUTES.get(path);
  if (exact) return exact;
  if (path.startsWith("/_next/static/")) return "/_next/static";
  if (path === "/_next/image") return "/_next/image";
  return "other";
}

export function methodOf(method: string | undefined): Method {
  return method === "GET" || method === "HEAD" || method === "POST" ? method : "other";
}

const CLASSES: readonly StatusClass[] = ["none", "1xx", "2xx", "3xx", "4xx", "5xx"];

/** `answered`: false when the client left before an answer was finished. */
export function statusClassOf(status: number, answered: boolean): StatusClass {
  if (!answered) return "none";
  return (status >= 100 && status < 600 && CLASSES[Math.floor(status / 100)]) || "none";
}
