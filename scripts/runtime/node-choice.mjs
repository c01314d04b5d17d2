// The rule of scripts/runtime/settle-node.mjs, apart from the file system so a unit test can hold it.

/** The Node major the project is built, tested and shipped on (package.json engines, .nvmrc, the image). */
export const PINNED_MAJOR = 24;

/** The major of the Node that runs npm, read from npm's user agent ("npm/11.19.1 node/v20.20.2 linux x64 …"). */
export function npmNodeMajor(userAgent) {
  const match = /\bnode\/v(\d+)\./.exec(userAgent ?? "");
  return match ? Number(match[1]) : undefined;
}

/**
 * Whether node_modules/.bin/node (the pinned binary) stays in front of the machine's own node.
 * @param {{ npmUserAgent: string | undefined, pinnedRuns: boolean }} facts
 * @returns {{ keep: boolean, reason: string }}
 */
export function decideNodeLink({ npmUserAgent, pinnedRuns }) {
  if (!pinnedRuns) return { keep: false, reason: "the pinned binary does not run on this system" };
  const major = npmNodeMajor(npmUserAgent);
  if (major !== undefined && major >= PINNED_MAJOR) {
    return { keep: false, reason: `this machine's Node ${major} is already ${PINNED_MAJOR} or newer` };
  }
  return { keep: true, reason: major === undefined ? "the machine's Node version is unknown" : `this machine's Node ${major} is older than ${PINNED_MAJOR}` };
}
