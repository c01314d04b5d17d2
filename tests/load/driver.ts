// Many visitors registering at once: `concurrency` of them in flight, each with a unique name and
// email, spread round-robin over one or more servers. Records what each server answered, so the
// audit can compare the database with what was acknowledged. The server list is read for every
// registration, so a scenario can take a killed instance out of rotation, as a load balancer would.
import { register, type Person } from "./register-form";

export type Outcome =
  /** 303 to the list: the server says it stored the registration. */
  | "acknowledged"
  /** 200 with the form again (a validation or "could not save" message): nothing stored. */
  | "refused"
  | "server-error"
  /** No HTTP answer (connection refused or reset, e.g. the server was killed). */
  | "no-answer";

export type Attempt = Person & {
  index: number;
  server: string;
  outcome: Outcome;
  status: number;
  /** When the registration started (performance.now()) and how long it took. */
  startedAt: number;
  ms: number;
  message?: string;
};

export type RunOptions = {
  servers: string[];
  count: number;
  concurrency: number;
  /** Makes names and emails unique to this run. */
  tag: string;
  /** Called after each answer; return true to stop starting new registrations. */
  shouldStop?: (attempt: Attempt, done: Attempt[]) => boolean;
  /** How long this visitor waits after an answer before the next registration (a person told "try again" waits a moment). */
  pauseAfter?: (attempt: Attempt) => number;
};

export function personFor(tag: string, index: number): Person {
  return { name: `Load ${tag} #${index}`, email: `load-${tag}-${index}@example.com` };
}

async function attempt(server: string, person: Person, index: number): Promise<Attempt> {
  const started = performance.now();
  try {
    const answer = await register(server, person);
    const outcome: Outcome = answer.status === 303 ? "acknowledged" : answer.status >= 500 ? "server-error" : "refused";
    const message = outcome === "refused" ? /role="alert"[^>]*>([^<]+)</.exec(answer.body)?.[1] : undefined;
    return { ...person, index, server, outcome, status: answer.status, startedAt: started, ms: performance.now() - started, message };
  } catch (error) {
    const message = error instanceof Error ? String(error.cause ?? error.message) : String(error);
    return { ...person, index, server, outcome: "no-answer", status: 0, startedAt: started, ms: performance.now() - started, message };
  }
}

/** Runs the registrations and returns every attempt, in the order they were answered. */
export async function runRegistrations({ servers, count, concurrency, tag, shouldStop, pauseAfter }: RunOptions): Promise<Attempt[]> {
  const done: Attempt[] = [];
  let next = 0;
  let stopped = false;
  async function visitor() {
    while (!stopped && next < count) {
      const index = next++;
      const result = await attempt(servers[index % servers.length], personFor(tag, index), index);
      done.push(result);
      if (shouldStop?.(result, done)) stopped = true;
      const pause = pauseAfter?.(result) ?? 0;
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, visitor));
  return done;
}
