// The task list as plain data and the changes a visitor can make to it. Pure functions, shared by
// the Server Actions (the truth, kept in the cookie) and the page's optimistic updates, so the
// instant view and the server's answer never disagree about what a change does.
export type Task = { id: number; text: string; done: boolean };

export type TaskList = {
  tasks: Task[];
  /** The id the next task gets: ids are never reused, so an old tab cannot hit a newer task. */
  nextId: number;
};

export const EMPTY_TASK_LIST: TaskList = { tasks: [], nextId: 1 };

export function addTask(list: TaskList, text: string): TaskList {
  return { tasks: [...list.tasks, { id: list.nextId, text, done: false }], nextId: list.nextId + 1 };
}

export function hasTask(list: TaskList, id: number): boolean {
  return list.tasks.some((task) => task.id === id);
}

export function toggleTask(list: TaskList, id: number): TaskList {
  return { ...list, tasks: list.tasks.map((task) => (task.id === id ? { ...task, done: !task.done } : task)) };
}

export function deleteTask(list: TaskList, id: number): TaskList {
  return { ...list, tasks: list.tasks.filter((task) => task.id !== id) };
}

export function clearCompleted(list: TaskList): TaskList {
  return { ...list, tasks: list.tasks.filter((task) => !task.done) };
}

export function openCount(list: TaskList): number {
  return list.tasks.filter((task) => !task.done).length;
}
