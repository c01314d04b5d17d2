// Asking a person at a terminal to confirm a removal: they type the number of rows it will remove
// (so a glance at the count is part of saying yes) or "yes". Anything else, an empty line, Ctrl-C or
// Ctrl-D is a no.
import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";

/** True when `answer` is "yes" (any letter case) or the count, with or without thousands separators. */
export function isConfirmation(answer: string, count: number): boolean {
  const typed = answer.trim().toLowerCase();
  return typed === "yes" || typed.replace(/[\s,_]/g, "") === String(count);
}

/** Asks `question` on `output` and reads one line from `input`; resolves true only for a confirmation of `count`. */
export async function askToConfirm(question: string, count: number, { input, output }: { input: Readable; output: Writable }): Promise<boolean> {
  const prompt = createInterface({ input, output });
  const closed = new Promise<null>((resolve) => prompt.once("close", () => resolve(null)));
  // On a terminal readline takes Ctrl-C itself (raw mode): it ends the prompt unanswered.
  prompt.once("SIGINT", () => prompt.close());
  try {
    const answer = await Promise.race([prompt.question(question).catch(() => null), closed]);
    if (answer === null) output.write("\n"); // the next line starts on its own, not after the question
    return answer !== null && isConfirmation(answer, count);
  } finally {
    prompt.close();
  }
}
