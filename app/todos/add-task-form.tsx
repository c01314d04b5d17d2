"use client";
// Client component for useActionState (the field's message and kept text) and the optimistic add.
// Without JavaScript the same form posts natively to the Server Action.
import { useActionState, useEffect, useRef, type FormEvent } from "react";
import { checkTask, TASK_MAX_LENGTH } from "@/lib/tasks/limits";
import { TextField } from "../text-field";
import { addTaskAction } from "./actions";
import { ENHANCED_FIELD, initialAddTaskState } from "./form-state";

export function AddTaskForm({ onAdd }: { onAdd: (text: string, submit: () => void) => void }) {
  const [state, formAction] = useActionState(addTaskAction, initialAddTaskState);
  const inputRef = useRef<HTMLInputElement>(null);

  // A refused task comes back into the field (unless something new was typed meanwhile), focused.
  useEffect(() => {
    const input = inputRef.current;
    if (!state.errors?.task || !input) return;
    if (!input.value) input.value = state.values.task;
    input.focus();
  }, [state]);

  function submitOptimistically(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const formData = new FormData(form);
    formData.set(ENHANCED_FIELD, "1");
    const text = formData.get("task");
    const checked = checkTask(typeof text === "string" ? text : "");
    // Only a task the server will accept is shown at once; the server still decides (and may say
    // the list is full, in which case the field gets its text back with the message).
    onAdd(checked.ok ? checked.task : "", () => formAction(formData));
    if (checked.ok) form.reset();
  }

  return (
    <form action={formAction} onSubmit={submitOptimistically} className="add-task">
      <TextField
        ref={inputRef}
        name="task"
        label="Task"
        autoComplete="off"
        maxLength={TASK_MAX_LENGTH}
        defaultValue={state.values.task}
        error={state.errors?.task}
        autoFocus={Boolean(state.errors?.task)}
      />
      <button type="submit">Add</button>
    </form>
  );
}
