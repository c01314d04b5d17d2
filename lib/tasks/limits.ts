// What a valid task is, without zod: this module ships to the browser, where the add form checks a
// task before showing it at once. The server's zod schema (./rules.ts) runs the same check.
export const TASK_MAX_LENGTH = 200;

export type TaskCheck = { ok: true; task: string } | { ok: false; message: string };

/** The task as it is stored (trimmed), or the message that says why it is refused. */
export function checkTask(text: string): TaskCheck {
  const task = text.trim();
  if (task.length === 0) return { ok: false, message: "Please enter a task." };
  // UTF-16 code units, as the browser's maxLength counts them (an emoji counts as 2).
  if (task.length > TASK_MAX_LENGTH) return { ok: false, message: `A task can be at most ${TASK_MAX_LENGTH} characters.` };
  // Invisible, and the cookie codec puts a newline between tasks.
  if (/[\u0000-\u001f\u007f]/.test(task)) return { ok: false, message: "A task cannot contain control characters." };
  return { ok: true, task };
}
