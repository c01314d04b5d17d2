// Whether the launcher marked this post as over its client's budget (lib/http/rate-limited.ts).
import { headers } from "next/headers";
import { RATE_LIMITED_HEADER } from "@/lib/http/rate-limited";

/** Seconds until the client may post again, when this request is over its budget; else null. */
export async function rateLimitedFor(): Promise<number | null> {
  const value = (await headers()).get(RATE_LIMITED_HEADER);
  return value && /^\d{1,6}$/.test(value) ? Number(value) : null;
}
