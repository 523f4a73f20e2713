// `/-/ui/events`: server-sent "change" events telling a page that a job or pipeline it shows has changed.
import { resolveProject } from "../../../auth/access.ts";
import { notFound } from "../../../domain/errors.ts";
import type { JobRow, PipelineRow } from "../../../store/rows.ts";
import { requireActor } from "../data/access.ts";
import type { UiContext } from "../env.ts";
import { eventStream } from "../event-stream.ts";
import type { PageRouter } from "../page-routes.ts";

/** Changes within this window become one event (a pipeline start touches many jobs at once). */
const COALESCE_MS = 250;

const optionalId = (raw: string | undefined) => {
  const n = Number(raw);
  return raw !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/** Whether the signed-in user may see project `id` (the single decision is permissions.ts). */
function canSee(c: UiContext, id: number): boolean {
  const actor = c.get("actor");
  return !!actor && resolveProject(c.get("deps").store.db, actor, String(id), "read_pipeline").ok;
}

export function addLiveRoutes(r: PageRouter): void {
  r.get("/-/ui/events", (c) => {
    requireActor(c);
    const [project, pipeline, job] = ["project", "pipeline", "job"].map((k) => optionalId(c.req.query(k)));
    if (project !== undefined && !canSee(c, project)) throw notFound("Project");
    const wantsPipeline = (p: PipelineRow) =>
      project === undefined
        ? canSee(c, p.projectId)
        : p.projectId === project && (pipeline === undefined || p.id === pipeline);
    const wantsJob = (j: JobRow) =>
      project !== undefined &&
      j.projectId === project &&
      (pipeline === undefined || j.pipelineId === pipeline || j.id === job);
    const { events } = c.get("deps");
    return eventStream(c, (sink) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const changed = () => {
        timer ??= setTimeout(() => {
          timer = null;
          sink.send("change", {});
        }, COALESCE_MS);
      };
      const offPipeline = events.onPipeline((p) => wantsPipeline(p) && changed());
      const offJob = events.onJob((j) => wantsJob(j) && changed());
      return () => {
        offPipeline();
        offJob();
        if (timer) clearTimeout(timer);
      };
    });
  });
}
