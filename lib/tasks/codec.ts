// The task list as the short text that goes inside the sealed cookie. A browser keeps at most about
// 4 KB of cookie, and iron's sealing adds a third (base64) plus ~250 bytes, so the encoding is lean:
// one line per task, `<id base36><+ done | - open><text>`, after a first line holding the next id.
// JSON objects would spend ~25 bytes a task on keys and quotes: 60 tasks of 40 characters would not fit.
import { EMPTY_TASK_LIST, type Task, type TaskList } from "./list";

const FORMAT = "t1";

export function encodeTaskList(list: TaskList): string {
  const lines = list.tasks.map((task) => `${task.id.toString(36)}${task.done ? "+" : "-"}${task.text}`);
  return [`${FORMAT}:${list.nextId.toString(36)}`, ...lines].join("\n");
}

/** Reads what encodeTaskList wrote; anything else (an unknown format, a damaged line) is an empty list. */
export function decodeTaskList(encoded: unknown): TaskList {
  if (typeof encoded !== "string") return EMPTY_TASK_LIST;
  const [header, ...lines] = encoded.split("\n");
  const headerMatch = /^t1:([0-9a-z]+)$/.exec(header);
  if (!headerMatch) return EMPTY_TASK_LIST;
  const tasks: Task[] = [];
  for (const line of lines) {
    const match = /^([0-9a-z]+)([+-])(.+)$/s.exec(line);
    if (!match) return EMPTY_TASK_LIST;
    tasks.push({ id: parseInt(match[1], 36), text: match[3], done: match[2] === "+" });
  }
  const highestId = tasks.reduce((highest, task) => Math.max(highest, task.id), 0);
  return { tasks, nextId: Math.max(parseInt(headerMatch[1], 36), highestId + 1) };
}
