// The server's check of a posted task: zod around the rule in ./limits.ts, which the add form runs
// in the browser too. Server code only: a client component imports ./limits.ts, never zod.
import { z } from "zod";
import { checkTask } from "./limits";

export const taskSchema = z.object({
  task: z.string().transform((text, context) => {
    const checked = checkTask(text);
    if (checked.ok) return checked.task;
    context.addIssue({ code: "custom", message: checked.message });
    return z.NEVER;
  }),
});
