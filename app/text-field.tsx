// A labelled text input whose error message is tied to it (aria-describedby, aria-invalid) and
// announced (role="alert"). Shared by the register and task forms.
import type { ComponentProps } from "react";

type TextFieldProps = Omit<ComponentProps<"input">, "name" | "id"> & {
  name: string;
  label: string;
  error?: string;
};

export function TextField({ name, label, error, type = "text", ...input }: TextFieldProps) {
  const errorId = `${name}-error`;
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        name={name}
        type={type}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        {...input}
      />
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
