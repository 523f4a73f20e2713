// The project's "Debug on failure" default (porthole's own): how long a failed job waits for a terminal.
/** @jsxImportSource hono/jsx */
import { goDuration } from "../../../domain/go-duration.ts";
import type { ProjectRow } from "../../../store/rows.ts";
import { settingsCiCdUrl } from "../urls.ts";
import { CsrfField, Field } from "../views/form.tsx";

/** The field's text for a stored number of seconds ("" when off). */
export function debugWaitText(seconds: number | null): string {
  return seconds ? goDuration(seconds) : "";
}

export function DebugSection(props: { project: ProjectRow; csrfToken: string; value: string; error?: string }) {
  return (
    <section aria-labelledby="debug-title">
      <h2 id="debug-title">Debug on failure</h2>
      <form method="post" action={`${settingsCiCdUrl(props.project)}/debug`} class="card narrow" novalidate>
        <CsrfField token={props.csrfToken} />
        <p class="muted">
          When a job's script fails, the job keeps its environment (files, variables, processes) and waits this long for
          someone to open its terminal; a job's own <code>debug: {"{ on_failure: … }"}</code> wins. Empty: off.
        </p>
        <Field
          name="debug_on_failure"
          label="Wait for a terminal (e.g. 10m, 1h)"
          value={props.value}
          error={props.error}
        />
        <button type="submit" class="btn btn-primary">
          Save changes
        </button>
      </form>
    </section>
  );
}
