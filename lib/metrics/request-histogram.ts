// http_request_duration_seconds, kept without prom-client's per-observation work. prom-client's
// Histogram#observe (a labels() child's too) builds the label set's key string, validates the labels
// and allocates on every call, which made a cached GET / hit measurably dearer (docs/decisions/metrics.md,
// figures in docs/performance.md#metrics). Here each label set is a series the caller keeps
// (server/request-metrics.ts), and an observation is a bucket search and three additions, with no
// allocation. The registry reads it through the metric contract every prom-client metric keeps
// (Registry#registerMetric, `get()`): cumulative `_bucket` values with `le`, then `_sum` and `_count`.
import type { Registry } from "prom-client";

export type HistogramSeries = { observe: (seconds: number) => void };

type Series = { labels: Record<string, string>; counts: Float64Array; sum: number; count: number };

type Value = { labels: Record<string, string | number>; value: number; metricName: string };

export class RequestHistogram<Label extends string> {
  readonly type = "histogram";
  readonly aggregator = "sum";
  readonly name: string;
  readonly help: string;
  readonly #bounds: readonly number[];
  readonly #labelNames: readonly Label[];
  /** In order of first observation, as prom-client lists a histogram's label sets. */
  readonly #series: Series[] = [];

  constructor(config: { name: string; help: string; labelNames: readonly Label[]; buckets: readonly number[]; registers: Registry[] }) {
    this.name = config.name;
    this.help = config.help;
    this.#labelNames = config.labelNames;
    this.#bounds = [...config.buckets].sort((a, b) => a - b);
    for (const registry of config.registers) registry.registerMetric(this as unknown as Parameters<Registry["registerMetric"]>[0]);
  }

  /** The recorder of one label set. Call it once per label set and keep it: each call makes a new series. */
  labels(labels: Record<Label, string>): HistogramSeries {
    for (const name of this.#labelNames) if (typeof labels[name] !== "string") throw new Error(`${this.name}: label ${name} is missing`);
    const series: Series = { labels: { ...labels }, counts: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
    const bounds = this.#bounds;
    const all = this.#series;
    return {
      observe(seconds: number): void {
        if (series.count === 0) all.push(series); // shown from its first observation, as prom-client does
        let i = 0;
        while (i < bounds.length && seconds > bounds[i]!) i++;
        series.counts[i]! += 1;
        series.sum += seconds;
        series.count += 1;
      },
    };
  }

  /** prom-client's histogram values: what the registry prints and getMetricsAsJSON returns. */
  async get(): Promise<{ name: string; help: string; type: "histogram"; aggregator: "sum"; values: Value[] }> {
    const values: Value[] = [];
    for (const { labels, counts, sum, count } of this.#series) {
      let cumulative = 0;
      this.#bounds.forEach((le, i) => {
        cumulative += counts[i]!;
        values.push({ labels: { le, ...labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: "+Inf", ...labels }, value: count, metricName: `${this.name}_bucket` });
      values.push({ labels: { ...labels }, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...labels }, value: count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Registry#resetMetrics: every series back to zero (and hidden until observed again). */
  reset(): void {
    for (const series of this.#series) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
    this.#series.length = 0;
  }
}
