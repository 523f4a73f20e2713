// A manual job that has not run yet: GitLab's "This job requires a manual action", with variables for this run.
/** @jsxImportSource hono/jsx */
import { jobUrl } from "../urls.ts";
import { CsrfField, Field } from "../views/form.tsx";
import { Icon } from "../views/icons.tsx";
import type { JobSidebarProps } from "./job-sidebar.tsx";

/** How many key/value rows the form offers (enough without JS to add more). */
const VARIABLE_ROWS = 3;

export function ManualJobPanel(
  props: Pick<JobSidebarProps, "project" | "job" | "canUpdate" | "csrfToken"> & { errors?: Record<string, string> },
) {
  return (
    <section class="card">
      <h2>This job requires a manual action</h2>
      <p class="muted">It runs only when someone starts it. You can pass variables to this run.</p>
      {props.canUpdate ? (
        <form method="post" action={`${jobUrl(props.project, props.job.id)}/play`} novalidate>
          <CsrfField token={props.csrfToken} />
          <div class="var-rows">
            {Array.from({ length: VARIABLE_ROWS }, (_, i) => (
              <div class="var-row">
                <Field
                  name={`variables[${i}][key]`}
                  label={`Variable ${i + 1} key`}
                  error={props.errors?.[`variables[${i}][key]`]}
                />
                <Field name={`variables[${i}][value]`} label={`Variable ${i + 1} value`} />
              </div>
            ))}
          </div>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary">
              <Icon name="play" />
              Run job
            </button>
          </div>
        </form>
      ) : (
        <p>You are not allowed to run it.</p>
      )}
    </section>
  );
}
