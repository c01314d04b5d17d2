// The framework's hidden fields of a form posted without JavaScript (a no-JS Server Action post,
// multipart): `$ACTION_REF_n` with its descriptor `$ACTION_n:0` and bound arguments `$ACTION_n:k`,
// `$ACTION_ID_<id>`, `$ACTION_KEY`. Next and React decode them without a guard, so a mangled one
// (text that is not JSON, an unknown id, a reference to a field that is not there) is a 500 with
// raw error lines in the log, or a decode that never settles. The server judges them here first
// (server/edge-guard.ts) and answers a malformed or foreign one with its own 400 page.
// The shapes mirror what React's encodeReply writes for a form's bound state; see
// docs/decisions/action-field-check.md.

/** Why the fields were refused, for the log (never the values themselves). */
export type ActionFieldProblem =
  | "foreign-field"
  | "unknown-action"
  | "malformed-descriptor"
  | "malformed-argument"
  | "missing-argument"
  | "malformed-key"
  | "too-many-actions";

const ACTION_REF = /^\$ACTION_REF_(\d{1,3})$/;
const ACTION_ID = /^\$ACTION_ID_([0-9a-f]{40,44})$/;
const ACTION_PART = /^\$ACTION_(\d{1,3}):(\d{1,3})$/;
const ACTION_KEY = "$ACTION_KEY";
/** React's own form-state key: `k` and a hash. */
const KEY_FORMAT = /^k[0-9a-f]{1,64}$/;
/** In React's reply encoding a string starting with `$` is a reference, unless it is an escaped `$$…`. */
const REFERENCE = /^\$(?!\$)/;

type Fields = Iterable<[string, FormDataEntryValue]>;

/** The first problem with the form's framework fields, or null when they are what a browser sends (or there are none). */
export function actionFieldProblem(fields: Fields, knownActionIds: ReadonlySet<string>): ActionFieldProblem | null {
  const refs: string[] = [];
  const parts = new Map<string, FormDataEntryValue[]>();
  for (const [name, value] of fields) {
    if (!name.startsWith("$ACTION_")) continue;
    const ref = ACTION_REF.exec(name);
    if (ref) {
      if (value !== "") return "foreign-field";
      refs.push(ref[1]);
      continue;
    }
    const id = ACTION_ID.exec(name);
    if (id) {
      if (value !== "") return "foreign-field";
      if (!knownActionIds.has(id[1])) return "unknown-action";
      continue;
    }
    if (name === ACTION_KEY) {
      if (typeof value !== "string" || !KEY_FORMAT.test(value)) return "malformed-key";
      continue;
    }
    if (!ACTION_PART.test(name)) return "foreign-field";
    parts.set(name, [...(parts.get(name) ?? []), value]);
  }
  if (refs.length > 2 || new Set(refs).size !== refs.length) return "too-many-actions";
  for (const ref of refs) {
    const problem = refProblem(ref, parts, knownActionIds);
    if (problem) return problem;
  }
  // Argument fields of no reference: nothing a browser sends.
  for (const name of parts.keys()) if (!refs.includes(ACTION_PART.exec(name)![1])) return "foreign-field";
  return null;
}

function refProblem(ref: string, parts: Map<string, FormDataEntryValue[]>, knownActionIds: ReadonlySet<string>): ActionFieldProblem | null {
  const descriptor = single(parts.get(`$ACTION_${ref}:0`));
  const parsed = descriptor === undefined ? undefined : parseJson(descriptor);
  if (!isPlainObject(parsed) || Object.keys(parsed).some((key) => key !== "id" && key !== "bound")) return "malformed-descriptor";
  const { id, bound } = parsed;
  if (typeof id !== "string" || !knownActionIds.has(id)) return "unknown-action";
  const boundField = bound === null ? null : typeof bound === "string" ? /^\$@(\d{1,3})$/.exec(bound)?.[1] : undefined;
  if (boundField === undefined) return "malformed-descriptor";
  for (const [name, values] of parts) {
    const [, owner, index] = ACTION_PART.exec(name)!;
    if (owner !== ref || index === "0") continue;
    // Only the field the descriptor binds; its value plain JSON with no references.
    if (index !== boundField) return "foreign-field";
    const value = single(values);
    if (value === undefined) return "malformed-argument";
    const argument = parseJson(value);
    if (argument === NOT_JSON || !Array.isArray(argument) || hasReference(argument)) return "malformed-argument";
  }
  if (boundField !== null && !parts.has(`$ACTION_${ref}:${boundField}`)) return "missing-argument";
  return null;
}

const NOT_JSON = Symbol("not JSON");

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function single(values: FormDataEntryValue[] | undefined): string | undefined {
  return values?.length === 1 && typeof values[0] === "string" ? values[0] : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when any string inside is a React reference (`$@1`, `$Q2`, `$K3`…) rather than plain or escaped (`$$…`) text. */
function hasReference(value: unknown, depth = 0): boolean {
  if (depth > 32) return true; // no form state is this deep
  if (typeof value === "string") return REFERENCE.test(value) && value !== "$undefined";
  if (Array.isArray(value)) return value.some((item) => hasReference(item, depth + 1));
  if (isPlainObject(value)) return Object.values(value).some((item) => hasReference(item, depth + 1));
  return false;
}

/**
 * The body of a Server Action called from the page's script (a `Next-Action` request): React's
 * encoding of the argument list, a JSON array as the whole body or as the multipart field `0`, with
 * any further numbered fields JSON too. Anything else makes Next fail before the action is called.
 */
export function fetchActionBodyProblem(body: { text?: string; fields?: Iterable<[string, FormDataEntryValue]> }): ActionFieldProblem | null {
  if (body.text !== undefined) return Array.isArray(parseJson(body.text)) ? null : "malformed-argument";
  let hasRoot = false;
  for (const [name, value] of body.fields ?? []) {
    if (!/^\d+$/.test(name)) continue; // a FormData argument's own entries (`1_name`), or the form's fields
    const parsed = typeof value === "string" ? parseJson(value) : NOT_JSON;
    if (parsed === NOT_JSON) return "malformed-argument";
    if (name === "0") hasRoot = Array.isArray(parsed);
  }
  return hasRoot ? null : "malformed-argument";
}

/** The Server Actions a form's fields name (`$ACTION_ID_<id>`, or the id in a `$ACTION_n:0` descriptor): what its post will run. Call after actionFieldProblem passed. */
export function actionIdsOf(fields: Fields): string[] {
  const ids = new Set<string>();
  for (const [name, value] of fields) {
    const id = ACTION_ID.exec(name);
    if (id) ids.add(id[1]);
    if (typeof value === "string" && /^\$ACTION_\d{1,3}:0$/.test(name)) {
      const descriptor = parseJson(value);
      if (isPlainObject(descriptor) && typeof descriptor.id === "string") ids.add(descriptor.id);
    }
  }
  return [...ids];
}
