// Registering the way a browser without JavaScript does: GET /register, keep every input of the
// form (the hidden Server Action fields included), fill in name and email, POST it all back as
// multipart/form-data with the page's own Origin. Used by the load driver and the HTTP bad-input tests.

export type Person = { name: string; email: string };

export type PostOutcome = {
  status: number;
  /** Where a 303 sends the browser, if anywhere. */
  location: string | null;
  /** The HTML of a re-rendered form (validation message, retry message); empty for a redirect. */
  body: string;
};

/** No request of a visitor waits longer than this: a hung server shows as "no answer", never as a hung run. */
export const VISITOR_DEADLINE_MS = 30_000;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] !== "#") return ENTITIES[code.toLowerCase()] ?? whole;
    return String.fromCodePoint(code[1] === "x" || code[1] === "X" ? parseInt(code.slice(2), 16) : Number(code.slice(1)));
  });
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`, "i").exec(tag);
  return match ? decodeEntities(match[1]) : null;
}

/** Every named input of the page's first form, in document order, as [name, value]. */
export function formFields(html: string): Array<[string, string]> {
  const form = /<form\b[\s\S]*?<\/form>/i.exec(html)?.[0];
  if (!form) throw new Error("no <form> in the page");
  const fields: Array<[string, string]> = [];
  for (const [tag] of form.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(tag, "name");
    if (name !== null) fields.push([name, attribute(tag, "value") ?? ""]);
  }
  return fields;
}

export async function fetchRegisterForm(baseUrl: string): Promise<Array<[string, string]>> {
  const response = await fetch(`${baseUrl}/register`, { signal: AbortSignal.timeout(VISITOR_DEADLINE_MS) });
  if (!response.ok) throw new Error(`GET /register answered ${response.status}`);
  return formFields(await response.text());
}

/**
 * Posts the form with `person` filled in; `origin` defaults to the server's own. `headers`, when
 * given, are sent instead of the Origin (`{}`: a post that says nothing about where it came from).
 */
export async function postRegistration(
  baseUrl: string,
  fields: Array<[string, string]>,
  person: Person,
  options: { origin?: string; headers?: Record<string, string> } = {},
): Promise<PostOutcome> {
  const body = new FormData();
  for (const [name, value] of fields) {
    body.append(name, name === "name" ? person.name : name === "email" ? person.email : value);
  }
  const response = await fetch(`${baseUrl}/register`, {
    method: "POST",
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(VISITOR_DEADLINE_MS),
    headers: options.headers ?? { origin: options.origin ?? new URL(baseUrl).origin },
  });
  const location = response.headers.get("location");
  return { status: response.status, location, body: response.status === 303 ? "" : await response.text() };
}

/** GET the form, then post it: one visitor registering without JavaScript. */
export async function register(baseUrl: string, person: Person, options: { origin?: string } = {}): Promise<PostOutcome> {
  return postRegistration(baseUrl, await fetchRegisterForm(baseUrl), person, options);
}
