// Posting a form from a chosen local address (127.0.0.x are all this machine's), over node:http:
// fetch cannot pick its source address. For the rate limits, which count clients by address.
import { Agent, request } from "node:http";

export type Posted = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A form's fields (tests/load/register-form.ts formFields) with a person's name and email filled in. */
export const withPerson = (fields: Array<[string, string]>, person: { name: string; email: string }): Array<[string, string]> =>
  fields.map(([name, value]) => [name, name === "name" ? person.name : name === "email" ? person.email : value]);

/** A keep-alive agent whose connections leave from `localAddress`. */
export function agentFrom(localAddress: string, maxSockets = 8): Agent {
  return new Agent({ keepAlive: true, maxSockets, localAddress } as ConstructorParameters<typeof Agent>[0] & { localAddress: string });
}

/** Posts `fields` as multipart/form-data (as a browser without JavaScript does) to `url`. */
export async function postForm(url: string, fields: Array<[string, string]>, options: { agent: Agent; headers?: Record<string, string> }): Promise<Posted> {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  const encoded = new Request("http://form.invalid/", { method: "POST", body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const sent = request(
      target,
      {
        method: "POST",
        agent: options.agent,
        headers: { "content-type": encoded.headers.get("content-type")!, "content-length": body.length, origin: target.origin, ...options.headers },
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    sent.on("timeout", () => sent.destroy(new Error(`no answer from ${url} within 30 s`)));
    sent.on("error", reject);
    sent.end(body);
  });
}
