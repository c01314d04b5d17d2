// What the add-task action returns to its form: the typed text (React 19 resets a form after an
// action, so it comes back to refill the field) and the message for the field.
import type { TaskNotice } from "./notices";
export type AddTaskState = {
  values: { task: string };
  errors?: { task?: string };
};

export const initialAddTaskState: AddTaskState = { values: { task: "" } };

/** What a toggle, delete or clear answers the page's script (a plain form post is redirected instead). */
export type TaskChangeResult = { notice?: TaskNotice; message?: string };

/** The field the page's script adds to its posts, so an action answers it rather than redirecting. */
export const ENHANCED_FIELD = "enhanced";
