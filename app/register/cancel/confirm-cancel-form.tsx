"use client";
// Client component only for useActionState: the pending state while the cancel is on its way, and
// the failure message. Without JavaScript the same form posts natively (post/redirect/get).
import Link from "next/link";
import { useActionState } from "react";
import { cancelRegistration, type CancelState } from "./actions";

const initialState: CancelState = {};

export function ConfirmCancelForm({ id }: { id: number }) {
  const [state, formAction, isPending] = useActionState(cancelRegistration, initialState);
  return (
    <form action={formAction} className="stack" aria-describedby="cancel-status">
      <input type="hidden" name="id" value={id} />
      <p id="cancel-status" className="form-error" role="alert" aria-live="assertive">
        {state.message}
      </p>
      <button type="submit" disabled={isPending} aria-disabled={isPending}>
        {isPending ? "Cancelling…" : "Yes, cancel my registration"}
      </button>
      <Link href="/register">No, keep my registration</Link>
    </form>
  );
}
