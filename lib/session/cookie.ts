// The one module that owns the visitor's session: the cookies' names and options and the read/save
// helpers every page and action uses (the task list; the registrations this browser made). The
// sealing itself is lib/session/seal.ts and lib/session/registrations.ts. A Secure cookie's name is
// prefixed (lib/session/cookie-names.ts); one still under its name from before the prefixes is read
// until its next save, which writes the prefixed one and expires the old.
import { cookies } from "next/headers";
import { readSessionConfig } from "../config";
import { cookieNameFor } from "./cookie-names";
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

type CookieSpec = { name: string; path: string };
const TASKS_COOKIE: CookieSpec = { name: SESSION_COOKIE_NAME, path: "/" };
const REGISTRATIONS_COOKIE: CookieSpec = { name: REGISTRATIONS_COOKIE_NAME, path: REGISTRATIONS_COOKIE_PATH };

/** The name a cookie is written under now: prefixed when Secure (lib/session/cookie-names.ts). */
const currentName = ({ name, path }: CookieSpec, secure = readSessionConfig().secureCookie) => cookieNameFor(name, { path, secure });

/**
 * A cookie's value: under its current name, else under the name it had before prefixes, which
 * browsers keep sending until its first save after the upgrade (writeCookie).
 */
async function readCookie(cookie: CookieSpec): Promise<string | undefined> {
  const jar = await cookies();
  return jar.get(currentName(cookie))?.value ?? jar.get(cookie.name)?.value;
}

/** Writes the cookie under its current name, and expires the one under its old name if the browser sent it. */
async function writeCookie(cookie: CookieSpec, value: string, lifetime: { maxAge: number } | { expires: Date }): Promise<void> {
  const jar = await cookies();
  const secure = readSessionConfig().secureCookie;
  const name = currentName(cookie, secure);
  const attributes = { httpOnly: true, sameSite: "lax", path: cookie.path, secure } as const;
  jar.set(name, value, { ...attributes, ...lifetime });
  if (name !== cookie.name && jar.has(cookie.name)) jar.delete({ name: cookie.name, ...attributes });
}

/** The visitor's task list from their cookie (an empty list when they have none or it is bad). */
export async function readTaskList(): Promise<TaskList> {
  return unsealTaskList(await readCookie(TASKS_COOKIE), secrets());
}

/**
 * Seals the list into the visitor's cookie, always with the newest secret. Throws TaskListFullError.
 * Its lifetime is given as Expires alone (counted in lib/session/seal.ts MAX_SET_COOKIE_BYTES): a Max-Age as
 * well would take the bytes the `__Host-` prefix needs, and a 63rd task would no longer fit.
 */
export async function saveTaskList(list: TaskList): Promise<void> {
  const seal = await sealTaskList(list, secrets());
  const bytes = setCookieBytes(seal, currentName(TASKS_COOKIE));
  if (bytes > MAX_SET_COOKIE_BYTES) throw new TaskListFullError(bytes);
  await writeCookie(TASKS_COOKIE, seal, { expires: new Date(Date.now() + SESSION_TTL_SECONDS * 1000) });
}

/** The registrations this browser made, from its sealed cookie (none when it has none or it is bad). */
export async function readRememberedRegistrations(): Promise<RememberedRegistration[]> {
  return unsealRemembered(await readCookie(REGISTRATIONS_COOKIE), secrets());
}

/** Seals the list into the browser's registrations cookie (bounded: MAX_REMEMBERED_REGISTRATIONS entries). */
export async function saveRememberedRegistrations(entries: RememberedRegistration[]): Promise<void> {
  await writeCookie(REGISTRATIONS_COOKIE, await sealRemembered(entries, secrets()), { maxAge: REGISTRATIONS_TTL_SECONDS });
}
