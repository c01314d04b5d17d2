// Registering over plain HTTP, as a browser with JavaScript off does: the register page's form
// (with the hidden fields naming its Server Action) posted as multipart form data. Lets a test hold
// registrations in flight for as long as it likes (a slow upload) and read their raw responses.
// The form's fields come from tests/load/register-form.ts (fetchRegisterForm).
import { Agent, request } from "node:http";

export type FormFields = [string, string][];
export type RawResponse = { status: number; location: string | undefined; connection: string | undefined };

const keepAliveAgent = new Agent({ keepAlive: true });

async function encode(fields: FormFields, person: { name: string; email: string }) {
  const form = new FormData();
  for (const [key, value] of fields) form.append(key, key === "name" ? person.name : key === "email" ? person.email : value);
  const encoded = new Request("http://localhost/", { method: "POST", body: form });
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type")! };
}

/**
 * Starts a registration whose upload stops halfway, like a visitor on a slow connection: the
 * server has the request but not yet its whole body. `finish()` sends the rest.
 */
export async function startSlowRegistration(baseUrl: string, fields: FormFields, person: { name: string; email: string }) {
  const { body, contentType } = await encode(fields, person);
  const half = Math.floor(body.length / 2);
  const outgoing = request(`${baseUrl}/register`, {
    agent: keepAliveAgent, // as browsers and load balancers do: the connection outlives the request
    method: "POST",
    headers: { "content-type": contentType, "content-length": body.length, origin: baseUrl },
  });
  const response = new Promise<RawResponse>((resolve, reject) => {
    outgoing.once("response", (incoming) => {
      incoming.resume();
      resolve({ status: incoming.statusCode ?? 0, location: incoming.headers.location, connection: incoming.headers.connection });
    });
    outgoing.once("error", reject);
  });
  outgoing.flushHeaders();
  outgoing.write(body.subarray(0, half));
  return { response, finish: () => outgoing.end(body.subarray(half)) };
}
