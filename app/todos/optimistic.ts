// The changes the page can show before the server answers, applied with the same pure functions
// the Server Actions use (lib/tasks/list.ts), so the instant view is what the server will store.
import { addTask, clearCompleted, deleteTask, toggleTask, type TaskList } from "@/lib/tasks/list";

export type PendingChange =
  | { kind: "add"; text: string }
  | { kind: "toggle"; id: number }
  | { kind: "delete"; id: number }
  | { kind: "clear-completed" };

export function applyPendingChange(list: TaskList, change: PendingChange): TaskList {
  switch (change.kind) {
    case "add":
      return addTask(list, change.text);
    case "toggle":
      return toggleTask(list, change.id);
    case "delete":
      return deleteTask(list, change.id);
    case "clear-completed":
      return clearCompleted(list);
  }
}
