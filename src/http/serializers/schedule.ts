// Pipeline schedule JSON: GitLab's Ci::PipelineSchedule (with owner, last pipeline and, when detailed, variables).
import type { PipelineScheduleRow, PipelineScheduleVariableRow } from "../../store/rows.ts";
import type { Lookups } from "./lookups.ts";
import { iso } from "./time.ts";
import { userBasic } from "./user.ts";

export function scheduleVariableEntity(v: PipelineScheduleVariableRow) {
  return { key: v.key, variable_type: v.variableType, value: v.value, raw: false };
}

export function scheduleEntity(s: PipelineScheduleRow, look: Lookups, variables?: PipelineScheduleVariableRow[]) {
  const owner = look.user(s.ownerId);
  const last = s.lastPipelineId === null ? null : look.pipeline(s.lastPipelineId);
  return {
    id: s.id,
    description: s.description,
    ref: s.ref,
    cron: s.cron,
    cron_timezone: s.cronTimezone,
    next_run_at: s.active ? iso(s.nextRunAt) : null,
    active: s.active,
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt ?? s.createdAt),
    owner: owner ? userBasic(owner, look.baseUrl) : null,
    last_pipeline: last ? { id: last.id, iid: last.iid, sha: last.sha, ref: last.ref, status: last.status } : null,
    ...(variables ? { variables: variables.map(scheduleVariableEntity) } : {}),
  };
}
