// Next calls register() once when a server process starts, before it serves anyone, and
// onRequestError for every request whose handling threw. The start-up checks and graceful shutdown
// need Node (the environment, signals, the database client), so they load only in that runtime.
import type { Instrumentation } from "next";
import { logRequestError } from "./lib/request-errors";

export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { refuseToStartWithoutSessionSecret } = await import("./lib/startup-checks");
    refuseToStartWithoutSessionSecret();
    const { installGracefulShutdown } = await import("./lib/shutdown");
    installGracefulShutdown();
  }
}

export const onRequestError: Instrumentation.onRequestError = (error, request, context) => {
  logRequestError(error, request, context);
};
