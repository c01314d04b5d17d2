// Registration posts for `npm run bench`, exactly as a browser with JavaScript off sends them: the
// register page's own form (multipart, with the hidden $ACTION_ fields React renders for a Server
// Action), a unique name and email per request, and the server's Origin. Afterwards `verify`
// checks that every registration answered with a redirect is stored in the database file.
import { createClient } from "@libsql/client";

const attribute = (tag, name) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const decode = (text) => text.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The register form's fields as [name, value] pairs, name and email left empty. */
async function formFields(baseUrl) {
  const html = await (await fetch(`${baseUrl}/register`)).text();
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1];
  if (!form) throw new Error("no <form> on /register");
  const fields = [...form.matchAll(/<(?:input|button)\b([^>]*)>/g)]
    .map(([, tag]) => [attribute(tag, "name"), decode(attribute(tag, "value") ?? "")])
    .filter(([name]) => name);
  if (!fields.some(([name]) => name === "name") || !fields.some(([name]) => name === "email")) throw new Error("the form has no name/email inputs");
  return fields;
}

function multipart(fields) {
  const boundary = `----registrantsbench${Math.random().toString(16).slice(2)}`;
  const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: `${parts.join("")}--${boundary}--\r\n` };
}

/** autocannon options that post unique registrations, and a check of what was acknowledged. */
export async function registrationPoster(baseUrl, tag) {
  const fields = await formFields(baseUrl);
  const run = `${tag}-${Date.now().toString(36)}`;
  const answered = [];
  let sequence = 0;
  const options = {
    requests: [
      {
        method: "POST",
        path: "/register",
        setupRequest(request, context) {
          sequence += 1;
          context.email = `bench-${run}-${sequence}@example.com`;
          const values = { name: `Bench ${run} ${sequence}`, email: context.email };
          const { contentType, body } = multipart(fields.map(([name, value]) => [name, values[name] ?? value]));
          return { ...request, body, headers: { ...request.headers, "content-type": contentType, origin: baseUrl } };
        },
        onResponse(status, _body, context) {
          if (status === 303) answered.push(context.email);
        },
      },
    ],
  };
  async function verify(dbFile) {
    const client = createClient({ url: `file:${dbFile}` });
    const { rows } = await client.execute({ sql: "SELECT email FROM registrants WHERE email LIKE ?", args: [`bench-${run}-%`] });
    client.close();
    const stored = new Set(rows.map((row) => row.email));
    return { answered303: answered.length, stored: stored.size, lost: answered.filter((email) => !stored.has(email)).length };
  }
  return { options, verify };
}
