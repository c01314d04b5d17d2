// The few pages proxy.ts answers by itself, before Next renders anything (refused posts, database
// down): a complete small HTML document in the site's look, with no script and nothing from the request.

const STYLE = `body{font-family:system-ui,sans-serif;line-height:1.5;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}a{color:#0b5cad}`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export function plainPage({ title, message }: { title: string; message: string }): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Lecture</title><style>${STYLE}</style></head>
<body><main id="main"><h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p>
<p><a href="/">See the registrants</a> or <a href="/register">register</a>.</p></main></body></html>`;
}
