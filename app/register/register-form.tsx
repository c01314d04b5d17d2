"use client";
// Client component only for useActionState: pending state, and focus on the first bad field.
// Without JavaScript the same form posts natively and the server renders the returned state.
import { useActionState, useEffect, useRef } from "react";
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, REGISTRANT_FIELDS } from "@/lib/registrants/limits";
import { register } from "./actions";
import { initialRegisterState } from "./form-state";
import { FormStatus } from "../form-status";
import { TextField } from "../text-field";


export function RegisterForm() {
  const [state, formAction, isPending] = useActionState(register, initialRegisterState);
  const formRef = useRef<HTMLFormElement>(null);
  const firstInvalid = REGISTRANT_FIELDS.find((field) => state.errors?.[field]);

  useEffect(() => {
    if (firstInvalid) formRef.current?.querySelector<HTMLInputElement>(`[name="${firstInvalid}"]`)?.focus();
  }, [state, firstInvalid]);

  return (
    <form ref={formRef} action={formAction} className="stack" aria-describedby="register-status">
      <TextField
        name="name"
        label="Name"
        autoComplete="name"
        maxLength={NAME_MAX_LENGTH}
        defaultValue={state.values.name}
        error={state.errors?.name}
        autoFocus={firstInvalid === "name"}
      />
      <TextField
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        maxLength={EMAIL_MAX_LENGTH}
        defaultValue={state.values.email}
        error={state.errors?.email}
        autoFocus={firstInvalid === "email"}
      />
      <FormStatus id="register-status" message={state.message} isPending={isPending} label="Register" pendingLabel="Registering…" />
    </form>
  );
}
