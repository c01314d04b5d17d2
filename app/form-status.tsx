// The end of a form that a Server Action answers: the form-wide message (announced at once) and the
// submit button, disabled with its pending label while the action runs. Shared by the register and
// cancel forms; no hook here, so it renders inside either client component.
export function FormStatus({ id, message, isPending, label, pendingLabel }: { id: string; message?: string; isPending: boolean; label: string; pendingLabel: string }) {
  return (
    <>
      <p id={id} className="form-error" role="alert" aria-live="assertive">
        {message}
      </p>
      <button type="submit" disabled={isPending} aria-disabled={isPending}>
        {isPending ? pendingLabel : label}
      </button>
    </>
  );
}
