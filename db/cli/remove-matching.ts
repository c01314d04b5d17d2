// `db:registrants remove-matching`: the clean-up after a flood that got through. It first shows what
// the filter matches (the count, and the oldest and newest rows: never more than 2 × SHOWN_AT_EACH_END
// rows, whatever the size), then removes only once confirmed: typed at a terminal, or --yes for a
// script; --dry-run only shows. It removes what it showed and nothing newer: a row registered after
// the preview is left for another run. Batches, and why not through the writer: db/operations/registrant-removal.ts.
import type { Database } from "../connection";
import { previewRemoval, REMOVAL_BATCH_SIZE, removeRegistrants, terminalProgress, type RegistrantFilter, type RemovalPreview } from "../operations";
import { askToConfirm } from "./confirm";
import { describeFilter } from "./removal-filter";
import { rowLine } from "./shared";

const JOB = "db:registrants";
const SHOWN_AT_EACH_END = 10;

const counted = (n: number) => n.toLocaleString("en-US");
const registrantsCounted = (n: number) => `${counted(n)} registrant${n === 1 ? "" : "s"}`;

function previewText(preview: RemovalPreview, filter: RegistrantFilter, url: string): string {
  const everyone = preview.count > 0 && preview.count === preview.total ? " (that is every registrant)" : "";
  const heading = `${JOB}: ${counted(preview.count)} of ${registrantsCounted(preview.total)} in ${url} match ${describeFilter(filter)}${everyone}.`;
  if (preview.count === 0) return heading;
  const lines = [heading, "id\tname\temail\tregistered", ...preview.first.map(rowLine)];
  if (preview.last.length > 0) {
    lines.push(`… ${counted(preview.count - preview.first.length - preview.last.length)} more …`, ...preview.last.map(rowLine));
  }
  return lines.join("\n");
}

/** Shows, asks, removes; returns the closing summary. A refusal or a failure throws (exit 1). */
export async function removeMatching(db: Database, url: string, filter: RegistrantFilter, { dryRun, yes }: { dryRun: boolean; yes: boolean }): Promise<string> {
  const preview = await previewRemoval(db, filter, SHOWN_AT_EACH_END);
  console.log(previewText(preview, filter, url));
  if (preview.upToId === null) return `${JOB}: nothing to remove.`;
  if (dryRun) return `${JOB}: dry run: nothing removed.`;
  if (!yes) {
    if (!process.stdin.isTTY) {
      throw new Error(`refused: nobody can confirm (stdin is not a terminal), so nothing was removed. Add --yes to remove these ${registrantsCounted(preview.count)}, or --dry-run to only look.`);
    }
    const question = `Remove these ${registrantsCounted(preview.count)}? Type ${preview.count} or yes to go on: `;
    if (!(await askToConfirm(question, preview.count, { input: process.stdin, output: process.stderr }))) throw new Error("not confirmed, so nothing was removed.");
  }

  const progress = terminalProgress(process.stderr);
  let removed = 0;
  let batches = 0;
  try {
    await removeRegistrants(db, filter, {
      upToId: preview.upToId,
      onBatch: (_rows, soFar) => {
        removed = soFar;
        batches += 1;
        progress.update(`${JOB}: removed ${counted(removed)} of ${counted(preview.count)} registrants…`);
      },
    });
  } catch (error) {
    // Each batch commits whole: the operator needs to know how far it got.
    throw new Error(`stopped after removing ${counted(removed)} of ${registrantsCounted(preview.count)} (run the same command again for the rest)`, { cause: error });
  } finally {
    progress.clear();
  }
  const gone = preview.count - removed;
  const alreadyGone = gone > 0 ? ` ${counted(gone)} of those shown had already gone.` : "";
  return `${JOB}: removed ${registrantsCounted(removed)} matching ${describeFilter(filter)} from ${url}, in ${counted(batches)} batch${batches === 1 ? "" : "es"} of at most ${REMOVAL_BATCH_SIZE}.${alreadyGone}`;
}
