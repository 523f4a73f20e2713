// A newly created token, shown exactly once with a copy button (it is stored only as a hash).
/** @jsxImportSource hono/jsx */

export function SecretBox(props: { title: string; secret: string; note?: string }) {
  return (
    <div class="secret-box" role="status">
      <label for="new-secret">
        <strong>{props.title}</strong>
      </label>
      <p class="field-hint">{props.note ?? "Copy it now: you won't be able to see it again."}</p>
      <div class="secret-row">
        <input id="new-secret" type="text" readonly value={props.secret} />
        <button type="button" class="btn" data-copy="#new-secret" hidden>
          Copy
        </button>
      </div>
    </div>
  );
}
