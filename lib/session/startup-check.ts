// Start-up checks: a production server with a missing or weak SESSION_SECRET stops at once with
// instructions, instead of failing (or, worse, sealing cookies weakly) on a visitor's request.
import { PHASE_PRODUCTION_BUILD } from "next/constants";
import { resolveSessionSecrets } from "./secrets";

export function refuseToStartWithoutSessionSecret(env: Record<string, string | undefined> = process.env): void {
  if (env.NODE_ENV !== "production" || env.NEXT_PHASE === PHASE_PRODUCTION_BUILD) return;
  try {
    resolveSessionSecrets(env);
  } catch (error) {
    console.error(`Refusing to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
