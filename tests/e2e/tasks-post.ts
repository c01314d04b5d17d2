// Posting the Tasks page's add form over plain HTTP with exactly the headers a test chooses (no
// Origin, Sec-Fetch-Site or Referer unless given), as a browser without JavaScript would post it
// when a privacy tool strips them. node:http adds nothing but Host; fetch() would add headers of its own.
import { request } from "node:http";
import { formFields } from "../load/register-form";
import { cookieNameFor } from "../../lib/session/cookie-names";
import { SESSION_COOKIE_NAME } from "../../lib/session/seal";

export type TasksAnswer = { status: number; location?: string; setCookie: string[]; body: string };

function send(url: string, method: string, headers: Record<string, string | number>, body?: Buffer): Promise<TasksAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () =>
        resolve({
          status: incoming.statusCode ?? 0,
          location: incoming.headers.location,
          setCookie: incoming.headers["set-cookie"] ?? [],
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    outgoing.once("error", reject);
    outgoing.end(body);
  });
}

/** The Tasks cookie's name on a server whose cookies are Secure (the default in production) or not. */
export const taskCookieName = (secure = true) => cookieNameFor(SESSION_COOKIE_NAME, { path: "/", secure });

/** GETs `/todos` with the visitor's cookie, then posts its add form with `task` to `path` (default /todos). */
export async function postNewTask(
  baseUrl: string,
  seal: string,
  task: string,
  options: { headers?: Record<string, string>; path?: string; cookieName?: string } = {},
) {
  const cookie = `${options.cookieName ?? taskCookieName()}=${seal}`;
  const page = await send(`${baseUrl}/todos`, "GET", { cookie });
  const form = new FormData();
  for (const [name, value] of formFields(page.body)) form.append(name, name === "task" ? task : value);
  const encoded = new Request("http://localhost/", { method: "POST", body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  return send(`${baseUrl}${options.path ?? "/todos"}`, "POST", {
    cookie,
    "content-type": encoded.headers.get("content-type")!,
    "content-length": body.length,
    ...options.headers,
  }, body);
}

/** The sealed list a response's Set-Cookie hands the browser, if it sets the Tasks cookie (`name`). */
export function sealIn(answer: TasksAnswer, name = taskCookieName()): string | undefined {
  const header = answer.setCookie.find((line) => line.startsWith(`${name}=`));
  return header?.slice(name.length + 1).split(";")[0];
}
