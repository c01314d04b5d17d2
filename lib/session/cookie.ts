// The one module that owns the visitor's session: the cookies' names and options and the read/save
// helpers every page and action uses (the task list; the registrations this browser made). The
// sealing itself is lib/session/seal.ts and lib/session/registrations.ts.
import { cookies } from "next/headers";
import { readSessionConfig } from "../config";
import { resolveSessionSecrets } from "./secrets";
import type { TaskList } from "../tasks/list";
import {
  MAX_SET_COOKIE_BYTES,
  SESSION_COOKIE_NAME,
  SESSION_TTL_SECONDS,
  sealTaskList,
  setCookieBytes,
  TaskListFullError,
  unsealTaskList,
} from "./seal";

import {
  REGISTRATIONS_COOKIE_NAME,
  REGISTRATIONS_COOKIE_PATH,
  REGISTRATIONS_TTL_SECONDS,
  sealRemembered,
  unsealRemembered,
  type RememberedRegistration,
} from "./registrations";

export { SESSION_COOKIE_NAME, TaskListFullError };

let cachedSecrets: string[] | undefined;
function secrets(): string[] {
  cachedSecrets ??= resolveSessionSecrets();
  return cachedSecrets;
}

/** The visitor's task list from their cookie (an empty list when they have none or it is bad). */
export async function readTaskList(): Promise<TaskList> {
  return unsealTaskList((await cookies()).get(SESSION_COOKIE_NAME)?.value, secrets());
}

/** Seals the list into the visitor's cookie, always with the newest secret. Throws TaskListFullError. */
export async function saveTaskList(list: TaskList): Promise<void> {
  const seal = await sealTaskList(list, secrets());
  const bytes = setCookieBytes(seal);
  if (bytes > MAX_SET_COOKIE_BYTES) throw new TaskListFullError(bytes);
  (await cookies()).set(SESSION_COOKIE_NAME, seal, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: readSessionConfig().secureCookie,
    maxAge: SESSION_TTL_SECONDS,
  });
}

/** The registrations this browser made, from its sealed cookie (none when it has none or it is bad). */
export async function readRememberedRegistrations(): Promise<RememberedRegistration[]> {
  return unsealRemembered((await cookies()).get(REGISTRATIONS_COOKIE_NAME)?.value, secrets());
}

/** Seals the list into the browser's registrations cookie (bounded: MAX_REMEMBERED_REGISTRATIONS entries). */
export async function saveRememberedRegistrations(entries: RememberedRegistration[]): Promise<void> {
  (await cookies()).set(REGISTRATIONS_COOKIE_NAME, await sealRemembered(entries, secrets()), {
    httpOnly: true,
    sameSite: "lax",
    path: REGISTRATIONS_COOKIE_PATH,
    secure: readSessionConfig().secureCookie,
    maxAge: REGISTRATIONS_TTL_SECONDS,
  });
}
