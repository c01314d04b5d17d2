// What the app's actions and pages need of the launcher's rate limits (server/rate-limits.ts): a post
// over its client's budget reaches its action marked (the header below, which the launcher removes
// from every incoming request, so only it can set it), and the action answers with its form and a
// message instead of changing anything (app/rate-limited.ts reads the mark). The launcher then sends
// that answer as 429 with Retry-After. No Next import here: the launcher bundles this module too.
import { processWide } from "../process-wide";

export const RATE_LIMITED_HEADER = "x-lecture-rate-limited";

export type PostKind = "register" | "cancel" | "tasks";
export type RateLimitStats = { clients: number; refused: Record<PostKind | "everyone", number> };

const inWords = (seconds: number) => (seconds <= 1 ? "a second" : seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`);

/** The message a person sees: what happened, that nothing changed, and when to try again. */
export function slowDownMessage(seconds: number, what: string): string {
  return `Too many ${what} have come from your network just now, so this one was not done: nothing was changed. Please try again in ${inWords(seconds)}.`;
}

/** What the limits refused so far, for /api/health's details (written by the launcher). */
export function rateLimitStats(): RateLimitStats | undefined {
  return processWide<RateLimitStats>("rateLimits").value;
}
