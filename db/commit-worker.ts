// The thread that commits registrations. The embedded libSQL driver runs each statement, and each
// commit's fsync, synchronously on the calling thread; on the server's main thread every fsync
// would stop all request handling for its duration (tens of ms on a busy disk), so batches could
// never grow while one was being written. Here the main thread keeps taking requests while a batch
// is on its way to disk, and the next batch holds everything that arrived meanwhile.
//
// The worker is plain JavaScript evaluated from a string: it is not part of any bundle, and
// resolves @libsql/client from the project folder like the server does.
import { Worker } from "node:worker_threads";
import type { DatabaseConfig } from "../lib/config";
import { BUSY_TIMEOUT_MS } from "./client";

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createClient } = require("@libsql/client");
const open = () => createClient({ url: workerData.url, authToken: workerData.authToken, timeout: workerData.timeout });
let client = null;
parentPort.on("message", async ({ id, rows }) => {
  client ??= open();
  try {
    const results = await client.batch(
      rows.map(({ name, email }) => ({
        sql: "INSERT INTO registrants (name, email) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING id",
        args: [name, email],
      })),
      "write",
    );
    parentPort.postMessage({ id, ids: results.map((result) => (result.rows.length ? Number(result.rows[0].id) : null)) });
  } catch (error) {
    // After a failed commit the driver can leave a statement open that fails every later COMMIT
    // on this connection: start the next batch on a new one.
    client.close();
    client = null;
    const cause = error.cause ?? {};
    parentPort.postMessage({ id, error: { message: error.message, code: error.code, extendedCode: error.extendedCode, causeMessage: cause.message } });
  }
});
`;

export type Row = { name: string; email: string };
type Reply = { id: number; ids?: (number | null)[]; error?: { message: string; code?: string; extendedCode?: string; causeMessage?: string } };

export class CommitWorker {
  #worker: Worker;
  #waiting = new Map<number, { resolve: (ids: (number | null)[]) => void; reject: (error: Error) => void }>();
  #nextId = 0;

  constructor(config: DatabaseConfig) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...config, timeout: BUSY_TIMEOUT_MS } });
    this.#worker.unref(); // never what keeps a process (a CLI, a test) alive
    this.#worker.on("message", (reply: Reply) => this.#settle(reply));
    this.#worker.on("error", (error) => this.#failAll(error));
  }

  /** Inserts the rows in one transaction; each gets its new id, or null for a duplicate email. */
  commit(rows: Row[]): Promise<(number | null)[]> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ id, rows });
    });
  }

  stop(): void {
    this.#failAll(new Error("The database connection was closed."));
    void this.#worker.terminate();
  }

  #settle({ id, ids, error }: Reply): void {
    const waiting = this.#waiting.get(id);
    this.#waiting.delete(id);
    if (!waiting) return;
    if (ids) return waiting.resolve(ids);
    const failure = Object.assign(new Error(error?.message ?? "commit failed", { cause: error?.causeMessage ? new Error(error.causeMessage) : undefined }), {
      code: error?.code,
      extendedCode: error?.extendedCode,
    });
    waiting.reject(failure);
  }

  #failAll(error: Error): void {
    for (const { reject } of this.#waiting.values()) reject(error);
    this.#waiting.clear();
  }
}
