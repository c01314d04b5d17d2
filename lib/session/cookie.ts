// The one module that owns the visitor's session: the cookie's name and options and the read/save
// helpers every page and action uses; the sealing itself is lib/session/seal.ts.
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
