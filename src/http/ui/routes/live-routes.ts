// `/-/ui/events`: server-sent "change" events telling a page that a job or pipeline it shows has changed.
import { eq } from "drizzle-orm";
import { streamSSE } from "hono/streaming";
import { accessLevel, can } from "../../../auth/permissions.ts";
import type { JobRow, PipelineRow } from "../../../store/rows.ts";
import { projects } from "../../../store/schema.ts";
import { requireActor } from "../data/access.ts";
import { pageNotFound } from "../page-error.ts";
import type { PageRouter } from "../page-routes.ts";
import type { UiContext } from "../env.ts";

/** Changes within this window become one event (a pipeline start touches many jobs at once). */
const COALESCE_MS = 250;
const KEEPALIVE_MS = 20_000;

const optionalId = (raw: string | undefined) => {
  const n = Number(raw);
  return raw !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/** Whether the signed-in user may see project `id` (the single decision is permissions.ts). */
function canSee(c: UiContext, id: number): boolean {
  const { db } = c.get("deps").store;
  const project = db.select().from(projects).where(eq(projects.id, id)).get();
  const actor = c.get("actor");
  return !!project && !!actor && can(actor, "read_pipeline", { project, level: accessLevel(db, actor.user, project) });
}

export function addLiveRoutes(r: PageRouter): void {
  r.get("/-/ui/events", (c) => {
    requireActor(c);
    const [project, pipeline, job] = ["project", "pipeline", "job"].map((k) => optionalId(c.req.query(k)));
    if (project !== undefined && !canSee(c, project)) throw pageNotFound("Project");
    const wantsPipeline = (p: PipelineRow) =>
      project === undefined ? canSee(c, p.projectId) : p.projectId === project && (pipeline === undefined || p.id === pipeline);
    const wantsJob = (j: JobRow) =>
      project !== undefined && j.projectId === project && (pipeline === undefined || j.pipelineId === pipeline || j.id === job);
    const { events } = c.get("deps");
    return streamSSE(c, async (stream) => {
      const done = Promise.withResolvers<void>();
      let timer: ReturnType<typeof setTimeout> | null = null;
      const changed = () => {
        timer ??= setTimeout(() => {
          timer = null;
          stream.writeSSE({ event: "change", data: "{}" }).catch(() => done.resolve());
        }, COALESCE_MS);
      };
      const offPipeline = events.onPipeline((p) => wantsPipeline(p) && changed());
      const offJob = events.onJob((j) => wantsJob(j) && changed());
      const keepalive = setInterval(() => void stream.write(": keep-alive\n\n").catch(() => done.resolve()), KEEPALIVE_MS);
      stream.onAbort(() => done.resolve());
      await done.promise;
      offPipeline();
      offJob();
      clearInterval(keepalive);
      if (timer) clearTimeout(timer);
    });
  });
}
