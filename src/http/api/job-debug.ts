// Porthole's debugging extensions of the jobs API: Continue a job waiting for a terminal; retry with a breakpoint.

import type { ProjectAccess } from "../../auth/access.ts";
import { can } from "../../auth/permissions.ts";
import { type Breakpoint, parseBreakpoint } from "../../domain/debug.ts";
import { conflict, forbidden } from "../../domain/errors.ts";
import type { JobRow } from "../../store/rows.ts";
import type { AppDeps } from "../env.ts";
import { ParamsError } from "../middleware/errors.ts";

/**
 * The `debug_breakpoint` parameter of a retry (`before_script`, `before_script_end`, `script:<line>`, `on_failure`),
 * or undefined when absent. Only someone who may open a terminal into the new try (its starter: the retrier) may ask.
 */
export function retryBreakpoint(access: ProjectAccess, value: unknown): Breakpoint | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const breakpoint = typeof value === "string" ? parseBreakpoint(value) : null;
  if (!breakpoint)
    throw new ParamsError(
      "debug_breakpoint should be one of: before_script, before_script_end, script:<line>, on_failure",
    );
  const userId = access.actor?.user.id ?? null;
  if (!can(access.actor, "open_terminal", { project: access.project, level: access.level, job: { userId } }))
    throw forbidden("You may not open terminals in this project, so you cannot retry with a terminal");
  return breakpoint;
}

/** Ends the job's wait for a terminal (a breakpoint, or a failed script's hold) at once. */
export async function continueJob(deps: AppDeps, job: JobRow): Promise<void> {
  if (job.status !== "running" || !(await deps.debugControl?.continue(job.id)))
    throw conflict("Job is not waiting at a breakpoint or after a failure");
}
