// Reading an operators' port (server/operator-port.ts) the way Prometheus does: GET /metrics, and its
// text exposition format (https://prometheus.io/docs/instrumenting/exposition_formats/) parsed into
// samples, so a test can ask for one series' value or add up a family.

export type Sample = { name: string; labels: Record<string, string>; value: number };

const ESCAPES: Record<string, string> = { "\\": "\\", '"': '"', n: "\n" };

/**
 * A sample's value. The special values in any letter case, as Prometheus reads them (Go's
 * strconv.ParseFloat): prom-client 15 writes NaN as "Nan" (lib/util.js getValueAsString), e.g. for
 * nodejs_eventloop_lag_mean_seconds when two scrapes come within its 10 ms sampling resolution.
 */
function parseValue(text: string): number {
  const special = { "+inf": Infinity, inf: Infinity, "-inf": -Infinity, nan: NaN }[text.toLowerCase()];
  if (special !== undefined) return special;
  const value = Number(text);
  if (text === "" || Number.isNaN(value)) throw new Error(`not a sample value: ${JSON.stringify(text)}`);
  return value;
}

/** One sample line: `name{label="value",…} value [timestamp]`. */
function parseLine(line: string): Sample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === "{") {
    at += 1;
    while (line[at] !== "}") {
      const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(at));
      if (!label) throw new Error(`bad label at ${at}: ${JSON.stringify(line)}`);
      at += label[0].length;
      let value = "";
      while (line[at] !== '"') {
        if (at >= line.length) throw new Error(`unterminated label value: ${JSON.stringify(line)}`);
        if (line[at] === "\\") {
          value += ESCAPES[line[at + 1]] ?? `\\${line[at + 1]}`;
          at += 2;
        } else value += line[at++];
      }
      labels[label[1]] = value;
      at += 1; // the closing quote
      if (line[at] === ",") at += 1;
    }
    at += 1; // the closing brace
  }
  const [value] = line.slice(at).trim().split(/\s+/);
  return { name, labels, value: parseValue(value) };
}

export type Exposition = { samples: Sample[]; types: Map<string, string> };

/** Every sample, and each family's `# TYPE`. */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    else if (!line.startsWith("#")) samples.push(parseLine(line));
  }
  return { samples, types };
}

const matches = (sample: Sample, name: string, labels: Record<string, string>) =>
  sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value);

/** The samples named `name` whose labels include `labels`. */
export function samplesOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exposition.samples.filter((sample) => matches(sample, name, labels));
}

/** The sum of the matching samples' values; undefined when there is none (the series was never created). */
export function sumOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samplesOf(exposition, name, labels);
  return found.length === 0 ? undefined : found.reduce((sum, sample) => sum + sample.value, 0);
}

/** GET /metrics from an operators' port, checked to be Prometheus's text format. */
export async function scrape(metricsUrl: string, token?: string): Promise<Exposition> {
  const response = await fetch(metricsUrl, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200) throw new Error(`GET ${metricsUrl} answered ${response.status}`);
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("text/plain; version=0.0.4")) throw new Error(`GET ${metricsUrl}: not Prometheus's text format: ${type}`);
  return parseExposition(await response.text());
}
