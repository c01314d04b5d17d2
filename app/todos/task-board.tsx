"use client";
// Client component for useOptimistic: every change shows at once and is reconciled when the
// server's answer (the re-rendered page) arrives. Each control is a real <form> posting to a Server
// Action, so with JavaScript off the same markup works by plain post/redirect/get.
import { startTransition, useOptimistic, useState, type FormEvent } from "react";
import { openCount, type TaskList } from "@/lib/tasks/list";
import { AddTaskForm } from "./add-task-form";
import { clearCompletedAction, deleteTaskAction, toggleTaskAction } from "./actions";
import { ENHANCED_FIELD, type TaskChangeResult } from "./form-state";
import { TASK_NOTICES } from "./notices";
import { applyPendingChange, type PendingChange } from "./optimistic";

type ActionOf = (formData: FormData) => Promise<TaskChangeResult>;

// A plain form post (JavaScript off) ignores what an action returns; with JavaScript the submit
// handler calls the action itself and reads the answer. So the form may take it as a void action.
const asFormAction = (action: ActionOf) => action as unknown as (formData: FormData) => Promise<void>;

export function TaskBoard({ list, notice }: { list: TaskList; notice?: string }) {
  const [shown, showPending] = useOptimistic(list, applyPendingChange);
  // With JavaScript the actions answer instead of redirecting, so their notice is kept here.
  const [answeredNotice, setAnsweredNotice] = useState<string | undefined>();
  const open = openCount(shown);
  const completed = shown.tasks.length - open;

  /** Shows `change` now and runs `send` in the same transition, so the view holds until the answer. */
  function run(change: PendingChange | null, send: () => unknown) {
    startTransition(async () => {
      if (change) showPending(change);
      await send();
    });
  }

  function submitWith(action: ActionOf, change: PendingChange) {
    return (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const formData = new FormData(event.currentTarget);
      formData.set(ENHANCED_FIELD, "1");
      run(change, async () => {
        const { notice: code, message } = await action(formData);
        setAnsweredNotice(message ?? (code ? TASK_NOTICES[code] : undefined));
      });
    };
  }

  return (
    <div className="stack">
      <AddTaskForm
        onAdd={(text, submit) => {
          setAnsweredNotice(undefined);
          run(text ? { kind: "add", text } : null, submit);
        }}
      />
      <p className="notice" role="status">
        {answeredNotice ?? notice}
      </p>
      <p className="muted" aria-live="polite">
        {shown.tasks.length === 0
          ? "No tasks yet: add your first one above."
          : `${open} open ${open === 1 ? "task" : "tasks"}${completed > 0 ? `, ${completed} done` : ""}.`}
      </p>
      {shown.tasks.length > 0 ? (
        <ul className="list tasks" aria-label="Your list">
          {shown.tasks.map((task) => (
            <li key={task.id} className={task.done ? "task done" : "task"}>
              <span className="task-text">
                {task.done ? <span className="visually-hidden">Done: </span> : null}
                {task.text}
              </span>
              <span className="task-controls">
                <form action={asFormAction(toggleTaskAction)} onSubmit={submitWith(toggleTaskAction, { kind: "toggle", id: task.id })}>
                  <input type="hidden" name="id" value={task.id} />
                  <button type="submit" className="secondary small" aria-label={`${task.done ? "Undo" : "Done"}: ${task.text}`}>
                    {task.done ? "Undo" : "Done"}
                  </button>
                </form>
                <form action={asFormAction(deleteTaskAction)} onSubmit={submitWith(deleteTaskAction, { kind: "delete", id: task.id })}>
                  <input type="hidden" name="id" value={task.id} />
                  <button type="submit" className="secondary small danger" aria-label={`Delete: ${task.text}`}>
                    Delete
                  </button>
                </form>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {completed > 0 ? (
        <form action={asFormAction(clearCompletedAction)} onSubmit={submitWith(clearCompletedAction, { kind: "clear-completed" })}>
          <button type="submit" className="secondary">
            Clear completed
          </button>
        </form>
      ) : null}
    </div>
  );
}
