// Notices the task actions leave in the URL after post/redirect/get (`/todos?notice=…`).
import { knownNotice } from "../notice-text";

export const TASK_NOTICES = {
  "task-gone": "That task is no longer on your list (perhaps it was deleted in another tab). Nothing was changed.",
  "nothing-completed": "There are no completed tasks to clear.",
} as const;

export type TaskNotice = keyof typeof TASK_NOTICES;

export const noticeText = (code: string | string[] | undefined) => knownNotice(TASK_NOTICES, code);
