// Notices that actions leave in the URL after post/redirect/get (`?notice=…`): only the known codes
// of a page's own table are shown, so the address bar cannot put arbitrary text on the page.
export function knownNotice<Code extends string>(notices: Readonly<Record<Code, string>>, code: string | string[] | undefined): string | undefined {
  return typeof code === "string" && Object.hasOwn(notices, code) ? notices[code as Code] : undefined;
}
