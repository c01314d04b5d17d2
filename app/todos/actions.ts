"use server";
// The Tasks page's Server Actions. Each reads the visitor's list from their cookie, applies one
// change (lib/tasks/list.ts) and seals it back. A plain form post (JavaScript off) then gets
// post/redirect/get to /todos. The page's own script marks its posts (ENHANCED_FIELD) and gets an
// answer instead: setting the cookie already re-renders the page in the same response, and a
// redirect would make React drop a second task typed while the first was on its way.
import { refresh } from "next/cache";
import { redirect } from "next/navigation";
import { readTaskList, saveTaskList, TaskListFullError } from "@/lib/session/cookie";
import { addTask, clearCompleted, deleteTask, hasTask, toggleTask, type TaskList } from "@/lib/tasks/list";
import { taskSchema } from "@/lib/tasks/rules";
import { isFormArgument, NOT_A_FORM_MESSAGE } from "@/lib/http/action-input";
import { slowDownMessage } from "@/lib/http/rate-limited";
import { rateLimitedFor } from "../rate-limited";
import { logEvent } from "@/lib/log";
import { ENHANCED_FIELD, type AddTaskState, type TaskChangeResult } from "./form-state";
import type { TaskNotice } from "./notices";

const LIST_FULL =
  "Your list is full: a browser cookie holds only so many tasks. Delete a task or clear completed ones to make room, then add this one again.";

export async function addTaskAction(_previous: AddTaskState, formData: FormData): Promise<AddTaskState> {
  if (!isFormArgument(formData, "add-task")) return { values: { task: "" }, errors: { task: NOT_A_FORM_MESSAGE } };
  const values = { task: typeof formData.get("task") === "string" ? (formData.get("task") as string) : "" };
  const wait = await rateLimitedFor(); // over this client's budget (server/rate-limits.ts): nothing changes
  if (wait !== null) return { values, errors: { task: slowDownMessage(wait, "task changes") } };
  const parsed = taskSchema.safeParse(values);
  if (!parsed.success) {
    logEvent("info", "task.rejected", { reason: "invalid" });
    return { values, errors: { task: parsed.error.issues[0].message } };
  }
  try {
    await saveTaskList(addTask(await readTaskList(), parsed.data.task));
  } catch (error) {
    if (!(error instanceof TaskListFullError)) throw error;
    logEvent("info", "task.rejected", { reason: "list-full", cookieBytes: error.cookieBytes });
    return { values, errors: { task: LIST_FULL } };
  }
  if (!isEnhanced(formData)) backToList();
  return { values: { task: "" } };
}

const isEnhanced = (formData: FormData) => formData.get(ENHANCED_FIELD) === "1";

/** The task id a toggle or delete form posted: a plain whole number, or null for anything else. */
function postedId(formData: FormData): number | null {
  const raw = formData.get("id");
  return typeof raw === "string" && /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

/**
 * Over this client's budget (server/rate-limits.ts): nothing changes. The page's script shows the
 * message; a plain form post gets the page itself (it reads the same mark), not a redirect.
 */
async function limited(): Promise<TaskChangeResult | null> {
  const wait = await rateLimitedFor();
  return wait === null ? null : { message: slowDownMessage(wait, "task changes") };
}

async function changeOneTask(formData: FormData, change: (list: TaskList, id: number) => TaskList): Promise<TaskChangeResult> {
  const refused = await limited();
  if (refused) return refused;
  const id = postedId(formData);
  const list = await readTaskList();
  if (id === null || !hasTask(list, id)) return answer(formData, "task-gone");
  await saveTaskList(change(list, id));
  return answer(formData);
}

function backToList(notice?: TaskNotice): never {
  redirect(notice ? `/todos?notice=${notice}` : "/todos");
}

function answer(formData: FormData, notice?: TaskNotice): TaskChangeResult {
  if (!isEnhanced(formData)) backToList(notice);
  refresh(); // even when nothing changed: an old tab shows the list as it is now
  return { notice };
}

export async function toggleTaskAction(formData: FormData): Promise<TaskChangeResult> {
  if (!isFormArgument(formData, "toggle-task")) return {};
  return changeOneTask(formData, toggleTask);
}

export async function deleteTaskAction(formData: FormData): Promise<TaskChangeResult> {
  if (!isFormArgument(formData, "delete-task")) return {};
  return changeOneTask(formData, deleteTask);
}

export async function clearCompletedAction(formData: FormData): Promise<TaskChangeResult> {
  if (!isFormArgument(formData, "clear-completed")) return {};
  const refused = await limited();
  if (refused) return refused;
  const list = await readTaskList();
  if (!list.tasks.some((task) => task.done)) return answer(formData, "nothing-completed");
  await saveTaskList(clearCompleted(list));
  return answer(formData);
}
