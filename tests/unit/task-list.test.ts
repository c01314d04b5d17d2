import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { decodeTaskList, encodeTaskList } from "@/lib/tasks/codec";
import { addTask, clearCompleted, deleteTask, EMPTY_TASK_LIST, hasTask, openCount, toggleTask } from "@/lib/tasks/list";
import { checkTask, TASK_MAX_LENGTH } from "@/lib/tasks/limits";
import { taskSchema } from "@/lib/tasks/rules";

const listOf = (...texts: string[]) => texts.reduce(addTask, EMPTY_TASK_LIST);

describe("task list changes", () => {
  test("tasks are kept oldest first with ids that are never reused", () => {
    const list = deleteTask(listOf("a", "b", "c"), 3);
    expect(list.tasks.map((task) => task.text)).toEqual(["a", "b"]);
    expect(addTask(list, "d").tasks.at(-1)).toEqual({ id: 4, text: "d", done: false });
  });

  test("toggling marks done and back, and counts open tasks", () => {
    const list = toggleTask(listOf("a", "b"), 1);
    expect(list.tasks[0].done).toBe(true);
    expect(openCount(list)).toBe(1);
    expect(toggleTask(list, 1).tasks[0].done).toBe(false);
  });

  test("clearing completed keeps the open tasks in order", () => {
    const list = clearCompleted(toggleTask(toggleTask(listOf("a", "b", "c", "d"), 1), 3));
    expect(list.tasks.map((task) => task.text)).toEqual(["b", "d"]);
  });

  test("an id that is not on the list changes nothing", () => {
    const list = listOf("a");
    expect(hasTask(list, 7)).toBe(false);
    expect(toggleTask(list, 7)).toEqual(list);
    expect(deleteTask(list, 7)).toEqual(list);
  });
});

describe("the cookie encoding", () => {
  const validTask = fc
    .string({ unit: "grapheme", minLength: 1, maxLength: 60 })
    .map((text) => taskSchema.safeParse({ task: text }))
    .filter((parsed) => parsed.success)
    .map((parsed) => parsed.data!.task);

  test("reads back every list of valid tasks exactly", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(validTask, fc.boolean()), { maxLength: 30 }), fc.nat(50), (entries, deleted) => {
        let list = EMPTY_TASK_LIST;
        for (const [text, done] of entries) {
          list = addTask(list, text);
          if (done) list = toggleTask(list, list.nextId - 1);
        }
        list = deleteTask(list, deleted);
        expect(decodeTaskList(encodeTaskList(list))).toEqual(list);
      }),
    );
  });

  test("anything it did not write is an empty list, not an error", () => {
    for (const damaged of [undefined, 42, {}, "", "t9:1", "t1:2\nnoflag", "t1:2\n1*x", "t1:zz\n\n"]) {
      expect(decodeTaskList(damaged)).toEqual(EMPTY_TASK_LIST);
    }
  });

  test("spends at most 5 bytes a task beyond its text", () => {
    const list = listOf(...Array.from({ length: 60 }, (_, i) => `task ${i}`.padEnd(40, "x")));
    expect(encodeTaskList(list).length).toBeLessThanOrEqual(60 * 45 + 10);
  });
});

describe("task validation", () => {
  const errorOf = (task: string) => {
    const parsed = taskSchema.safeParse({ task });
    return parsed.success ? undefined : parsed.error.issues[0].message;
  };

  test("trims, and refuses blank, too long and control characters with their own messages", () => {
    expect(taskSchema.parse({ task: "  Buy milk " })).toEqual({ task: "Buy milk" });
    expect(errorOf(" \t ")).toBe("Please enter a task.");
    expect(errorOf("x".repeat(TASK_MAX_LENGTH))).toBeUndefined();
    expect(errorOf("x".repeat(TASK_MAX_LENGTH + 1))).toBe("A task can be at most 200 characters.");
    expect(errorOf("line\nbreak")).toBe("A task cannot contain control characters.");
    expect(errorOf("nul\u0000byte")).toBe("A task cannot contain control characters.");
  });

  test("counts length in UTF-16 code units, as the field's maxLength does (an emoji is 2)", () => {
    expect(errorOf("😀".repeat(TASK_MAX_LENGTH / 2))).toBeUndefined();
    expect(errorOf("😀".repeat(TASK_MAX_LENGTH / 2) + "x")).toBe("A task can be at most 200 characters.");
  });

  test("the add form's check in the browser (no zod) gives the server's answer", () => {
    for (const task of ["  Buy milk ", "", "x".repeat(TASK_MAX_LENGTH + 1), "tab\there", "🎉 party"]) {
      const parsed = taskSchema.safeParse({ task });
      expect(checkTask(task)).toEqual(parsed.success ? { ok: true, task: parsed.data.task } : { ok: false, message: parsed.error.issues[0].message });
    }
  });

  test("markup, SQL-looking text, emoji and right-to-left text are ordinary tasks", () => {
    for (const task of ["<img src=x onerror=alert(1)>", "'); DROP TABLE x;--", "🎉 party", "\u202Eabc שלום"]) {
      expect(errorOf(task)).toBeUndefined();
    }
  });
});
