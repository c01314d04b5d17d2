// Next writes its own lines through console.* (a `⨯` error with its stack, a warning), as plain
// text. The launcher routes every console call through logEvent instead, so the server's output is
// nothing but JSON lines, Next's included: the method gives the level, the event is `next.output`,
// and the text is made fit for a log like any error message (lib/log.ts). logEvent itself writes
// to the streams directly, so it never comes back here.
import { format } from "node:util";
import { logEvent } from "../lib/log";

const LEVELS = { log: "info", info: "info", debug: "info", warn: "warn", error: "error" } as const;

export function routeConsoleThroughLog(): void {
  for (const [method, level] of Object.entries(LEVELS)) {
    console[method as keyof typeof LEVELS] = (...args: unknown[]) => logEvent(level, "next.output", { message: format(...args) });
  }
}
