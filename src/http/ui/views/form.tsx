// Form pieces: every field has a visible <label>, its hint and its error next to it (linked by aria-describedby).
/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

/** Field name → the message shown under that field. */
export type FieldErrors = Record<string, string>;

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="authenticity_token" value={props.token} />;
}

interface FieldProps {
  name: string;
  label: string;
  /** The id prefix when the same field name appears twice on a page. */
  idPrefix?: string;
  value?: string;
  error?: string;
  hint?: Child;
  required?: boolean;
  type?: "text" | "password" | "url" | "date" | "email" | "number" | "search";
  autocomplete?: string;
  placeholder?: string;
  maxlength?: number;
  autofocus?: boolean;
  /** Id of a <datalist> with suggestions. */
  list?: string;
}

const ids = (p: { name: string; idPrefix?: string }) => {
  const id = `${p.idPrefix ?? "f"}-${p.name.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
  return { id, hint: `${id}-hint`, error: `${id}-error` };
};

function Messages(props: { name: string; idPrefix?: string; hint?: Child; error?: string }) {
  const i = ids(props);
  return (
    <>
      {props.hint && (
        <p class="field-hint" id={i.hint}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={i.error} data-error-for={props.name}>
          {props.error}
        </p>
      )}
    </>
  );
}

const describedBy = (p: FieldProps | TextAreaProps) => {
  const i = ids(p);
  return [p.hint ? i.hint : "", p.error ? i.error : ""].filter(Boolean).join(" ") || undefined;
};

export function Field(props: FieldProps) {
  const i = ids(props);
  return (
    <div class={`field${props.error ? " has-error" : ""}`}>
      <label for={i.id}>{props.label}</label>
      <input
        id={i.id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value ?? ""}
        required={props.required}
        autocomplete={props.autocomplete}
        placeholder={props.placeholder}
        maxlength={props.maxlength}
        list={props.list}
        autofocus={props.autofocus}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy(props)}
      />
      <Messages {...props} />
    </div>
  );
}

interface TextAreaProps extends Omit<FieldProps, "type" | "autocomplete"> {
  rows?: number;
  /** Lint the text as CI YAML while typing, POSTing it to this URL (the result shows under the field). */
  lintUrl?: string;
}

export function TextArea(props: TextAreaProps) {
  const i = ids(props);
  return (
    <div class={`field${props.error ? " has-error" : ""}`}>
      <label for={i.id}>{props.label}</label>
      <textarea
        id={i.id}
        name={props.name}
        rows={props.rows ?? 8}
        required={props.required}
        spellcheck={false}
        placeholder={props.placeholder}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy(props)}
        data-lint={props.lintUrl ? "" : undefined}
        data-lint-url={props.lintUrl}
      >
        {props.value ?? ""}
      </textarea>
      <Messages {...props} />
      {props.lintUrl && <p class="lint-status" id={`${i.id}-lint`} aria-live="polite"></p>}
    </div>
  );
}

export function Select(props: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string;
  error?: string;
  idPrefix?: string;
  hint?: Child;
}) {
  const i = ids(props);
  return (
    <div class={`field${props.error ? " has-error" : ""}`}>
      <label for={i.id}>{props.label}</label>
      <select
        id={i.id}
        name={props.name}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? i.error : props.hint ? i.hint : undefined}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Messages {...props} />
    </div>
  );
}

export function Checkbox(props: {
  name: string;
  label: string;
  checked?: boolean;
  hint?: Child;
  idPrefix?: string;
  value?: string;
}) {
  const i = ids(props);
  return (
    <div class="field field-check">
      <input
        type="checkbox"
        id={i.id}
        name={props.name}
        value={props.value ?? "1"}
        checked={props.checked}
        aria-describedby={props.hint ? i.hint : undefined}
      />
      <label for={i.id}>{props.label}</label>
      <Messages {...props} />
    </div>
  );
}

/** A one-button form (cancel, retry, play, delete): POST with the CSRF token; `confirm` asks first when JS runs. */
export function ActionButton(props: {
  action: string;
  label: string;
  csrfToken: string;
  variant?: "primary" | "danger" | "default";
  confirm?: string;
  small?: boolean;
  icon?: Child;
  title?: string;
}) {
  const cls = [
    "btn",
    props.variant && props.variant !== "default" ? `btn-${props.variant}` : "",
    props.small ? "btn-sm" : "",
  ];
  return (
    <form method="post" action={props.action} class="inline-form" data-confirm={props.confirm}>
      <CsrfField token={props.csrfToken} />
      <button type="submit" class={cls.filter(Boolean).join(" ")} title={props.title} aria-label={props.title}>
        {props.icon}
        {props.label}
      </button>
    </form>
  );
}
