"use client";
// Client component only for useActionState: the pending state while the cancel is on its way, and
// the failure message. Without JavaScript the same form posts natively (post/redirect/get).
import { useActionState } from "react";
import { FormStatus } from "../../form-status";
import { cancelRegistration, type CancelState } from "./actions";

const initialState: CancelState = {};

export function ConfirmCancelForm({ id }: { id: number }) {
  const [state, formAction, isPending] = useActionState(cancelRegistration, initialState);
  return (
    <form action={formAction} className="stack" aria-describedby="cancel-status">
      <input type="hidden" name="id" value={id} />
      <FormStatus id="cancel-status" message={state.message} isPending={isPending} label="Yes, cancel my registration" pendingLabel="Cancelling…" />
      <a href="/register">No, keep my registration</a>
    </form>
  );
}
