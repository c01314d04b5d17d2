// What a long operator command (db:registrants export, db:migrate) is doing while it runs: one line
// on stderr, rewritten in place, and only when stderr is a terminal. Piped or logged, stderr gets
// nothing extra, and stdout (an export's data) never gets a byte from here.

/** The part of a stream this needs: process.stderr, or a stand-in in tests. */
export type ProgressStream = { isTTY?: boolean; columns?: number; write(text: string): unknown };

export type Progress = {
  /** Shows a step at once ("applying 0003_…"): for a few events. */
  step(text: string): void;
  /** Shows a running count, at most once per interval: cheap to call for every page. */
  update(text: string): void;
  /** Erases the line, so the command's own last line starts clean. */
  clear(): void;
};

export const NO_PROGRESS: Progress = { step() {}, update() {}, clear() {} };

const ERASE_TO_END_OF_LINE = "\x1b[K";

export function terminalProgress(
  stream: ProgressStream = process.stderr,
  { intervalMs = 250, now = () => Date.now() }: { intervalMs?: number; now?: () => number } = {},
): Progress {
  if (!stream.isTTY) return NO_PROGRESS;
  let shownAt = -Infinity;
  let isShowing = false;
  const show = (text: string) => {
    // A line wider than the terminal would wrap, and `\r` only goes back to the start of its last row.
    // A terminal of unknown width (a pseudo-terminal never sized) says 0 columns.
    const fitted = text.slice(0, (stream.columns || 80) - 1);
    stream.write(`\r${fitted}${ERASE_TO_END_OF_LINE}`);
    shownAt = now();
    isShowing = true;
  };
  return {
    step: show,
    update(text) {
      if (now() - shownAt >= intervalMs) show(text);
    },
    clear() {
      if (isShowing) stream.write(`\r${ERASE_TO_END_OF_LINE}`);
      isShowing = false;
    },
  };
}
