// Pipeline schedules (GitLab's `…/-/pipeline_schedules`): the list with Play and Edit, and the new/edit form.
/** @jsxImportSource hono/jsx */
import type { PipelineScheduleRow, ProjectRow } from "../../../store/rows.ts";
import { pipelinesUrl, pipelineUrl, schedulesUrl } from "../urls.ts";
import { ActionButton, Checkbox, CsrfField, Field, type FieldErrors, TextArea } from "../views/form.tsx";
import { ProjectHeader } from "../views/project-header.tsx";
import { TimeAgo } from "../views/time.tsx";

export interface ScheduleListItem {
  schedule: PipelineScheduleRow;
  owner: string | null;
  /** Whether the visitor may edit, delete or take over this one. */
  canEdit: boolean;
}

export function SchedulesIndexPage(props: {
  project: ProjectRow;
  canAdmin: boolean;
  canCreate: boolean;
  csrfToken: string;
  schedules: ScheduleListItem[];
}) {
  const p = props.project;
  const base = schedulesUrl(p);
  return (
    <>
      <ProjectHeader
        project={p}
        tab="pipelines"
        canAdmin={props.canAdmin}
        trail={[{ label: "Pipelines", href: pipelinesUrl(p) }, { label: "Schedules" }]}
        title="Pipeline schedules"
        actions={
          props.canCreate && (
            <a class="btn btn-primary" href={`${base}/new`}>
              New schedule
            </a>
          )
        }
      />
      {props.schedules.length === 0 ? (
        <p class="muted">No schedules yet. A schedule runs a pipeline on a branch or tag at the times a cron names.</p>
      ) : (
        <div class="table-wrap">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Description</th>
                <th scope="col">Target</th>
                <th scope="col">Cron</th>
                <th scope="col">Next run</th>
                <th scope="col">Last pipeline</th>
                <th scope="col">Owner</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.schedules.map(({ schedule: s, owner, canEdit }) => (
                <tr>
                  <td>
                    {s.description}
                    {!s.active && <span class="muted"> (inactive)</span>}
                  </td>
                  <td class="mono">{s.ref}</td>
                  <td class="mono">
                    {s.cron} <span class="muted">{s.cronTimezone}</span>
                  </td>
                  <td>{s.active && s.nextRunAt ? <TimeAgo at={s.nextRunAt} /> : "—"}</td>
                  <td>{s.lastPipelineId ? <a href={pipelineUrl(p, s.lastPipelineId)}>#{s.lastPipelineId}</a> : "—"}</td>
                  <td>{owner ?? "—"}</td>
                  <td class="cell-actions">
                    {props.canCreate && (
                      <ActionButton action={`${base}/${s.id}/play`} label="Play" small csrfToken={props.csrfToken} />
                    )}
                    {canEdit && (
                      <a class="btn btn-sm" href={`${base}/${s.id}/edit`}>
                        Edit
                      </a>
                    )}
                    {canEdit && (
                      <ActionButton
                        action={`${base}/${s.id}/delete`}
                        label="Delete"
                        small
                        variant="danger"
                        csrfToken={props.csrfToken}
                        confirm="Delete this schedule?"
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export interface ScheduleFormValues {
  description: string;
  ref: string;
  cron: string;
  cron_timezone: string;
  active: boolean;
  /** `KEY=value` lines. */
  variables: string;
}

export function ScheduleFormPage(props: {
  project: ProjectRow;
  canAdmin: boolean;
  csrfToken: string;
  schedule: PipelineScheduleRow | null;
  values: ScheduleFormValues;
  errors: FieldErrors;
}) {
  const { project: p, values: v, errors: e } = props;
  const action = props.schedule ? `${schedulesUrl(p)}/${props.schedule.id}` : schedulesUrl(p);
  const title = props.schedule ? "Edit pipeline schedule" : "New pipeline schedule";
  return (
    <>
      <ProjectHeader
        project={p}
        tab="pipelines"
        canAdmin={props.canAdmin}
        trail={[{ label: "Schedules", href: schedulesUrl(p) }, { label: props.schedule ? "Edit" : "New" }]}
        title={title}
      />
      <form method="post" action={action} class="card narrow" novalidate>
        <CsrfField token={props.csrfToken} />
        {e.base && (
          <div class="flash flash-alert" role="alert">
            {e.base}
          </div>
        )}
        <Field name="description" label="Description" value={v.description} error={e.description} required />
        <Field
          name="cron"
          label="Interval pattern (cron)"
          value={v.cron}
          error={e.cron}
          required
          hint="Five fields: minute hour day-of-month month day-of-week, e.g. 0 3 * * 1-5"
        />
        <Field
          name="cron_timezone"
          label="Cron timezone"
          value={v.cron_timezone}
          error={e.cron_timezone}
          hint="An IANA name: UTC, Europe/Berlin, America/New_York"
        />
        <Field name="ref" label="Target branch or tag" value={v.ref} error={e.ref} required />
        <TextArea
          name="variables"
          label="Variables"
          value={v.variables}
          error={e.variables}
          rows={4}
          hint="One KEY=value per line; the schedule's pipelines get them."
        />
        <Checkbox name="active" label="Active" checked={v.active} />
        <button type="submit" class="btn btn-primary">
          {props.schedule ? "Save changes" : "Create pipeline schedule"}
        </button>
      </form>
    </>
  );
}
