// The filters of `db:registrants remove-matching`, from flags to a RegistrantFilter, each checked so
// that what an operator types means one thing: a domain is a domain (no wildcards), a pattern is SQL
// LIKE with `\` as its escape, times carry their zone. Anything else is a usage error (exit 2).
import type { RegistrantFilter } from "../operations";
import { printable, UsageError } from "./shared";

export const FILTER_OPTIONS = {
  "email-domain": { type: "string" },
  "email-like": { type: "string" },
  "name-like": { type: "string" },
  ids: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
} as const;

export type FilterFlags = { [flag in keyof typeof FILTER_OPTIONS]?: string };

/** The flags' filter; throws a UsageError for a bad value, or when no filter is given. */
export function filterOf(flags: FilterFlags): RegistrantFilter {
  const filter: RegistrantFilter = {};
  if (flags["email-domain"] !== undefined) filter.emailDomain = domainOf(flags["email-domain"]);
  if (flags["email-like"] !== undefined) filter.emailLike = likePatternOf("--email-like", flags["email-like"]);
  if (flags["name-like"] !== undefined) filter.nameLike = likePatternOf("--name-like", flags["name-like"]);
  if (flags.ids !== undefined) filter.ids = idRangeOf(flags.ids);
  if (flags.since !== undefined) filter.since = timeOf("--since", flags.since);
  if (flags.until !== undefined) filter.until = timeOf("--until", flags.until);
  if (Object.keys(filter).length === 0) {
    throw new UsageError("remove-matching needs at least one filter (--email-domain, --email-like, --name-like, --ids, --since, --until): it never removes everyone");
  }
  if (filter.since && filter.until && filter.since >= filter.until) throw new UsageError("--since must be before --until");
  return filter;
}

function domainOf(raw: string): string {
  const domain = raw.trim().replace(/^@/, "").toLowerCase();
  if (!/^[^\s@%*?]+$/u.test(domain)) {
    throw new UsageError(`--email-domain takes one exact domain, like spam.example, not "${printable(raw)}" (no @ inside, no spaces, no wildcards; for a pattern use --email-like)`);
  }
  return domain;
}

function likePatternOf(flag: string, pattern: string): string {
  // `\` must escape %, _ or itself: anything else (a trailing one included) would mean something unclear.
  if (pattern === "" || /\\(?![%_\\])/.test(pattern.replaceAll("\\\\", ""))) {
    throw new UsageError(`${flag} takes a SQL LIKE pattern (% any run, _ one character, \\% \\_ \\\\ themselves), not "${printable(pattern)}"`);
  }
  return pattern;
}

function idRangeOf(raw: string): { from: number; to: number } {
  const match = /^(\d{1,15})(?:-(\d{1,15}))?$/.exec(raw.trim());
  const from = Number(match?.[1]);
  const to = match?.[2] === undefined ? from : Number(match[2]);
  if (!match || from > to) throw new UsageError(`--ids takes an id or a range FROM-TO with FROM <= TO (both included), like 100-250, not "${printable(raw)}"`);
  return { from, to };
}

// created_at is stored in whole seconds, so seconds are the finest a time can be.
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-](\d{2}):(\d{2}))$/;

function timeOf(flag: string, raw: string): Date {
  const text = raw.trim().toUpperCase();
  const match = TIME.exec(text);
  const [year, month, day, hour, minute, second = "0", , offsetHours = "0", offsetMinutes = "0"] = match?.slice(1) ?? [];
  const isReal =
    match !== null &&
    new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDate() === Number(day) &&
    Number(month) <= 12 &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    Number(offsetHours) <= 23 &&
    Number(offsetMinutes) <= 59;
  if (!isReal) {
    throw new UsageError(`${flag} takes a real date and time with its zone, like 2026-12-01T10:00Z or 2026-12-01T11:00:30+01:00, not "${printable(raw)}"`);
  }
  return new Date(Date.parse(text));
}

const isoSeconds = (time: Date) => time.toISOString().replace(".000Z", "Z");

/** The filter in words, for the preview and the summary. */
export function describeFilter(filter: RegistrantFilter): string {
  const parts: string[] = [];
  if (filter.emailDomain !== undefined) parts.push(`email domain ${printable(filter.emailDomain)}`);
  if (filter.emailLike !== undefined) parts.push(`email like '${printable(filter.emailLike)}'`);
  if (filter.nameLike !== undefined) parts.push(`name like '${printable(filter.nameLike)}'`);
  if (filter.ids) parts.push(filter.ids.from === filter.ids.to ? `id ${filter.ids.from}` : `ids ${filter.ids.from}-${filter.ids.to}`);
  if (filter.since) parts.push(`registered at or after ${isoSeconds(filter.since)}`);
  if (filter.until) parts.push(`registered before ${isoSeconds(filter.until)}`);
  return parts.join(" and ");
}
