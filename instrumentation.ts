// Next calls register() once when a server process starts, and onRequestError for every request
// whose handling threw. Graceful shutdown needs Node (signals, the database client), so it is
// loaded only in the Node.js runtime.
import type { Instrumentation } from "next";
import { logRequestError } from "./lib/request-errors";

export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installGracefulShutdown } = await import("./lib/shutdown");
    installGracefulShutdown();
  }
}

export const onRequestError: Instrumentation.onRequestError = (error, request, context) => {
  logRequestError(error, request, context);
};
