// Reading submitted forms: text fields by name, and a DomainError's field messages mapped to form fields.
import type { DomainError } from "../../../domain/errors.ts";

/** The text value of a form field ("" when absent or a file). */
export function formText(form: Record<string, unknown>, name: string): string {
  const v = form[name];
  return typeof v === "string" ? v : "";
}

/** Whether a checkbox named `name` was ticked. */
export const formChecked = (form: Record<string, unknown>, name: string): boolean => typeof form[name] === "string";

/**
 * The per-field messages of a DomainError (`fields.name = ["has already been taken"]` → `{ name: "has already …" }`);
 * an error without fields goes to `base`.
 */
export function fieldErrors(err: DomainError): Record<string, string> {
  if (!err.fields) return { base: err.message };
  return Object.fromEntries(Object.entries(err.fields).map(([field, messages]) => [field, messages.join("; ")]));
}

const VARIABLE_KEY = /^[a-zA-Z0-9_]{1,255}$/;

/**
 * Key/value rows named `<prefix>[i][key]` / `<prefix>[i][value]` (i < rows): `variables` holds the filled-in valid
 * ones, `entered` every row as typed (to show the form again), `errors` a message per bad key field (GitLab's wording).
 */
export function variableRows(form: Record<string, unknown>, prefix: string, rows: number) {
  const variables: { key: string; value: string }[] = [];
  const entered: { key: string; value: string }[] = [];
  const errors: Record<string, string> = {};
  for (let i = 0; i < rows; i++) {
    const keyField = `${prefix}[${i}][key]`;
    const key = formText(form, keyField).trim();
    const value = formText(form, `${prefix}[${i}][value]`);
    entered.push({ key, value });
    if (!key && !value) continue;
    if (!VARIABLE_KEY.test(key))
      errors[keyField] = key ? "can contain only letters, digits and '_'." : "can't be blank";
    else variables.push({ key, value });
  }
  return { variables, entered, errors };
}
