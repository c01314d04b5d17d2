// Sealing the task list (and the registrations a browser made, lib/session/registrations.ts) into
// a cookie value and opening it again (iron's seal as iron-session writes it: AES-256 encrypted,
// HMAC signed), and what a cookie may weigh. No request in sight: lib/session/cookie.ts does the
// cookie I/O, the tests call these directly.
import { createHash } from "node:crypto";
import * as Iron from "@hapi/iron";
import { LRUCache } from "lru-cache";
import { decodeTaskList, encodeTaskList } from "../tasks/codec";
import { EMPTY_TASK_LIST, type TaskList } from "../tasks/list";

export const SESSION_COOKIE_NAME = "tasks";
export const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;

/**
 * The most a whole `Set-Cookie` line may take. Browsers keep name and value up to 4096 bytes (some
 * count the attributes too), so the attributes' share is set aside as well: a cookie within this
 * bound is kept by every browser. The Tasks cookie's attributes, as lib/session/cookie.ts writes them.
 */
export const MAX_SET_COOKIE_BYTES = 4096;
const ATTRIBUTES_ALLOWANCE = "; Path=/; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Secure; HttpOnly; SameSite=lax".length;

/** Thrown by saveTaskList when the list would make a cookie a browser drops; nothing is written. */
export class TaskListFullError extends Error {
  constructor(readonly cookieBytes: number) {
    super(`The sealed task list would need a ${cookieBytes}-byte cookie (at most ${MAX_SET_COOKIE_BYTES}).`);
    this.name = "TaskListFullError";
  }
}

// iron names the secret a seal was made with; the name is derived from the secret itself (a number
// from a short hash, which says nothing useful about it), so rotating never renames a secret in use.
// A seal is made with the newest secret (sealText); opening tries the one its id names.
type PasswordMap = Record<string, string>;
const idOf = (secret: string) => String(parseInt(createHash("sha256").update(secret).digest("hex").slice(0, 12), 16));
/** Without a prototype, so an id such as `constructor` names no password at all. */
const passwordMap = (secrets: string[]): PasswordMap =>
  Object.assign(Object.create(null) as PasswordMap, Object.fromEntries(secrets.map((secret) => [idOf(secret), secret])));

/** What iron-session writes after iron's seal (the major that wrote it): outside the HMAC, ignored when opening. */
const IRON_SESSION_SUFFIX = "~2";

/**
 * Seals a text with the newest secret, valid for `ttl` seconds: iron's `Fe26.2` seal made by
 * @hapi/iron (node:crypto) with iron's defaults, as iron-session's `sealData` writes it; iron-session's
 * own `unsealData` opens it (tests/unit/seal-format.test.ts). Why not iron-session's own sealData:
 * docs/decisions/session-seal.md. Refuses a secret shorter than iron's 32 characters.
 */
export async function sealText(text: string, secrets: string[], ttl: number): Promise<string> {
  const secret = secrets[0];
  if (!secret) throw new Error("There is no session secret to seal with.");
  const sealed = await Iron.seal(text, { id: idOf(secret), secret }, { ...Iron.defaults, ttl: ttl * 1000 });
  return `${sealed}${IRON_SESSION_SUFFIX}`;
}

/**
 * What a seal made with any of the secrets holds; throws for a tampered, truncated, foreign or
 * expired one. Like iron-session, everything from the first `~` is dropped before iron checks it.
 */
export function openSeal(seal: string, secrets: string[]): Promise<unknown> {
  return Iron.unseal(seal.split("~", 1)[0], passwordMap(secrets), Iron.defaults);
}

/** Seals a list with the newest secret. */
export async function sealTaskList(list: TaskList, secrets: string[]): Promise<string> {
  return sealText(encodeTaskList(list), secrets, SESSION_TTL_SECONDS);
}

/**
 * Seals opened lately, per set of secrets. Opening one costs two key derivations, an HMAC and a
 * decryption, and a visitor's every page view presents the same seal until they change their list.
 *
 * The key is what iron's HMAC covers (`Fe26.2*id*salt*iv*data*expiry`), so one key always opens to
 * one list. Nothing outside the HMAC may name an entry: all from the first `~` is ignored
 * (iron-session's inert `~2` marker), so one seal has endless spellings. An entry keeps the salt and digest it was
 * verified with; any other is checked by iron again and, if good, replaces the entry, never adds one.
 * Bounded in entries and bytes; an entry lives until the seal's own expiry. Why a library's opening
 * still wants it: docs/decisions/session-seal.md.
 */
const OPENED_SEALS_KEPT = 1_000;
export const OPENED_SEALS_MAX_BYTES = 4 * 1024 * 1024;
type SealParts = { signed: string; authenticator: string; expiresAt: number };
type OpenedSeal = { list: TaskList; authenticator: string };
const openedSeals = new WeakMap<string[], LRUCache<string, OpenedSeal>>();

/** A generous guess at the heap an entry holds: two bytes a character, ~100 bytes a task object. */
const entryBytes = ({ list, authenticator }: OpenedSeal, signed: string) =>
  2 * (signed.length + authenticator.length) + list.tasks.reduce((bytes, task) => bytes + 100 + 2 * task.text.length, 100);

const newOpenedSealCache = () =>
  new LRUCache<string, OpenedSeal>({
    max: OPENED_SEALS_KEPT,
    maxSize: OPENED_SEALS_MAX_BYTES,
    sizeCalculation: entryBytes,
    perf: { now: () => Date.now() }, // a seal's expiry is wall-clock time: iron's clock, not performance.now()
    ttlResolution: 0,
  });

/** iron's seal is `Fe26.2*id*salt*iv*data*expiry*hmacSalt*hmac`, then iron-session's `~<major>`. */
function splitSeal(cookieValue: string): SealParts | undefined {
  const parts = cookieValue.split("~", 1)[0].split("*");
  if (parts.length !== 8) return undefined;
  return { signed: parts.slice(0, 6).join("*"), authenticator: parts.slice(6).join("*"), expiresAt: Number(parts[5]) };
}

function rememberedList({ signed, authenticator }: SealParts, secrets: string[]): TaskList | undefined {
  const entry = openedSeals.get(secrets)?.get(signed);
  return entry?.authenticator === authenticator ? entry.list : undefined;
}

function remember({ signed, authenticator, expiresAt }: SealParts, secrets: string[], list: TaskList): void {
  const ttl = expiresAt - Date.now();
  if (!Number.isSafeInteger(expiresAt) || ttl <= 0) return;
  let remembered = openedSeals.get(secrets);
  if (!remembered) openedSeals.set(secrets, (remembered = newOpenedSealCache()));
  remembered.set(signed, { list, authenticator }, { ttl });
}

/** How many opened seals are kept for these secrets and their estimated bytes: for tests and diagnostics. */
export function openedSealCacheStats(secrets: string[]): { entries: number; bytes: number } {
  const remembered = openedSeals.get(secrets);
  return { entries: remembered?.size ?? 0, bytes: remembered?.calculatedSize ?? 0 };
}

/** Opens a seal made with any of the secrets. Tampered, truncated, foreign or expired: an empty list. */
export async function unsealTaskList(seal: string | undefined, secrets: string[]): Promise<TaskList> {
  if (!seal) return EMPTY_TASK_LIST;
  const parts = splitSeal(seal);
  const known = parts && rememberedList(parts, secrets);
  if (known) return known;
  let list: TaskList;
  try {
    list = decodeTaskList(await openSeal(seal, secrets));
  } catch {
    return EMPTY_TASK_LIST; // garbage iron cannot even parse
  }
  if (parts && list !== EMPTY_TASK_LIST) remember(parts, secrets, list);
  return list;
}

export function setCookieBytes(seal: string, name = SESSION_COOKIE_NAME): number {
  return Buffer.byteLength(`${name}=${seal}`) + ATTRIBUTES_ALLOWANCE;
}
