// What the register action returns to its form: the submitted values (React 19 resets the form
// after an action, so they come back to refill it), a message per bad field, and a form-wide
// message for failures that are nobody's typo.
import { REGISTRANT_FIELDS, type RegistrantField } from "@/lib/registrants/limits";

export type RegisterFormState = {
  values: Record<RegistrantField, string>;
  errors?: Partial<Record<RegistrantField, string>>;
  message?: string;
};

export const initialRegisterState: RegisterFormState = {
  values: Object.fromEntries(REGISTRANT_FIELDS.map((field) => [field, ""])) as Record<RegistrantField, string>,
};
