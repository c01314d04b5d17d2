// issue 17: a frozen link to sqld, over HTTP and over WebSocket. Every request is answered within
// 12 s (the form, the post, the list), requests fail fast once the app knows, the app serves again
// within 5 s of the thaw, nothing acknowledged is lost and nobody is told "nothing was stored"
// about a row that was.
import { expect, test } from "@playwright/test";
import { frozenLinkScenario } from "./frozen-link";

test.describe.configure({ mode: "serial", timeout: 120_000 });

/** The longest any visitor may wait for one answer while the link is frozen. */
const ANSWER_WITHIN_MS = 12_000;
/** By then every request that started before the freeze has met a deadline, so the app knows. */
const KNOWN_AFTER_MS = 10_000;

for (const transport of ["http", "ws"] as const) {
  test(`a link to sqld frozen for 15 s (${transport}): every request answered within 12 s, fast once known, back within 5 s, nothing lost`, async () => {
    const report = await frozenLinkScenario({ transport, freezeMs: 15_000, registrars: 4, readers: 2, knownAfterMs: KNOWN_AFTER_MS });
    const { audit, ...summary } = report;
    console.log(`frozen link (${transport}): ${JSON.stringify({ ...summary, stored: audit.stored })}`);
    expect(report.failures).toEqual([]);
    expect(report.unanswered).toBe(0);
    expect(report.slowestDuringFreezeMs).toBeLessThan(ANSWER_WITHIN_MS);
    // Once known, a request fails at once, or waits for one probe (LINK_PROBE_DEADLINE_MS, 2 s):
    // without the breaker each would wait out its own deadline (4 s for a read, 9 s for a commit).
    expect(report.onceKnownP90Ms).toBeLessThan(2_500);
    expect(report.slowestOnceKnownMs).toBeLessThan(6_000);
    expect(report.recoveryMs).toBeLessThan(5_000);
    expect(report.falselyDenied).toEqual([]);
    expect(report.acknowledged).toBeGreaterThan(0);
  });
}
