// What a valid task is: the zod schema, the form's maxLength and the cookie codec read these.
import { z } from "zod";

export const TASK_MAX_LENGTH = 200;

// Counted in UTF-16 code units, as the browser's maxLength counts them. Control characters are
// refused: they are invisible, and the cookie codec uses a newline between tasks.
export const taskSchema = z.object({
  task: z
    .string()
    .trim()
    .min(1, "Please enter a task.")
    .max(TASK_MAX_LENGTH, `A task can be at most ${TASK_MAX_LENGTH} characters.`)
    .refine((task) => !/[\u0000-\u001f\u007f]/.test(task), "A task cannot contain control characters."),
});

export type Task = { id: number; text: string; done: boolean };
