// The request histogram (lib/metrics/request-histogram.ts) is prom-client's Histogram without its
// per-observation cost: fed the same observations, the registry must print exactly what it prints for
// prom-client's own, so Prometheus, the dashboards and the tests cannot tell them apart.
import fc from "fast-check";
import { Histogram, Registry } from "prom-client";
import { expect, test } from "vitest";
import { RequestHistogram } from "@/lib/metrics/request-histogram";

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LABEL_NAMES = ["route", "method"] as const;
type LabelSet = Record<(typeof LABEL_NAMES)[number], string>;

function pair() {
  const [theirs, ours] = [new Registry(), new Registry()];
  const config = { name: "http_request_duration_seconds", help: "Time per request.", labelNames: LABEL_NAMES, buckets: BUCKETS };
  const reference = new Histogram({ ...config, registers: [theirs] });
  const histogram = new RequestHistogram({ ...config, registers: [ours] });
  const series = new Map<string, ReturnType<typeof histogram.labels>>();
  const observe = (labels: LabelSet, seconds: number) => {
    reference.observe(labels, seconds);
    const key = JSON.stringify(labels);
    if (!series.has(key)) series.set(key, histogram.labels(labels));
    series.get(key)!.observe(seconds);
  };
  return { theirs, ours, observe };
}

const labelSet = fc.record({ route: fc.constantFrom("/", "/register", "other"), method: fc.constantFrom("GET", "POST") });
const seconds = fc.oneof(fc.constantFrom(0, ...BUCKETS, 10.0001, 60), fc.double({ min: 0, max: 20, noNaN: true }));

test("prints exactly what prom-client's Histogram prints for the same observations", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(labelSet, seconds), { maxLength: 300 }), async (observations) => {
      const { theirs, ours, observe } = pair();
      for (const [labels, value] of observations) observe(labels, value);
      expect(await ours.metrics()).toBe(await theirs.metrics());
      // The same values as getMetricsAsJSON gives (prom-client adds an empty `exemplar` to each).
      const withoutExemplars = (json: Awaited<ReturnType<Registry["getMetricsAsJSON"]>>) =>
        json.map((metric) => ({ ...metric, values: metric.values.map((value) => Object.fromEntries(Object.entries(value).filter(([key]) => key !== "exemplar"))) }));
      expect(withoutExemplars(await ours.getMetricsAsJSON())).toEqual(withoutExemplars(await theirs.getMetricsAsJSON()));
    }),
    { numRuns: 200 },
  );
});

test("a reset empties every series, which come back on their next observation", async () => {
  const { theirs, ours, observe } = pair();
  observe({ route: "/", method: "GET" }, 0.0003);
  observe({ route: "other", method: "POST" }, 2);
  theirs.resetMetrics();
  ours.resetMetrics();
  expect(await ours.metrics()).toBe(await theirs.metrics());
  observe({ route: "other", method: "POST" }, 0.2);
  expect(await ours.metrics()).toBe(await theirs.metrics());
  expect(await ours.metrics()).toContain('http_request_duration_seconds_count{route="other",method="POST"} 1');
});

test("a label set missing a label is refused when its series is made, not at the scrape", () => {
  const histogram = new RequestHistogram({ name: "x_seconds", help: "x", labelNames: LABEL_NAMES, buckets: BUCKETS, registers: [] });
  expect(() => histogram.labels({ route: "/" } as LabelSet)).toThrow(/label method is missing/);
});
