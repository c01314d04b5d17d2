// Notices the task actions leave in the URL after post/redirect/get (`/todos?notice=…`): only these
// known codes are shown, so the address bar cannot put arbitrary text on the page.
export const TASK_NOTICES = {
  "task-gone": "That task is no longer on your list (perhaps it was deleted in another tab). Nothing was changed.",
  "nothing-completed": "There are no completed tasks to clear.",
} as const;

export type TaskNotice = keyof typeof TASK_NOTICES;

export function noticeText(code: string | string[] | undefined): string | undefined {
  return typeof code === "string" && Object.hasOwn(TASK_NOTICES, code) ? TASK_NOTICES[code as TaskNotice] : undefined;
}
