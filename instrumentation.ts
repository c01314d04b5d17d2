// Next calls register() once when a server process starts, before it serves anyone, and
// onRequestError for every request whose handling threw. The start-up checks and closing the
// database need Node (the environment, the database client), so they load only in that runtime.
import type { Instrumentation } from "next";
import { logRequestError } from "./lib/http/request-errors";

export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { refuseToStartWithoutSessionSecret } = await import("./lib/session/startup-check");
    refuseToStartWithoutSessionSecret();
    // The connection and the writer's thread are the process's (lib/process-wide.ts): closed here, on
    // exit, however the process ends: the launcher's graceful shutdown (server/shutdown.ts), `next
    // dev`, `next start`. An embedded file then checkpoints and removes its WAL.
    const { closeDb } = await import("./db/connection");
    process.once("exit", closeDb);
  }
}

export const onRequestError: Instrumentation.onRequestError = (error, request, context) => {
  logRequestError(error, request, context);
};
