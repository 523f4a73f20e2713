// Mirror polling: projects with `mirror_poll_interval` have their import_url fetched that often; each branch or tag
// the fetch moved starts a push pipeline, as the project's creator (checked at run time), audited as `mirror_poll`.
import type { Actor } from "../auth/actor.ts";
import { audit } from "../auth/audit.ts";
import { accessLevel, can } from "../auth/permissions.ts";
import { findUserById } from "../auth/users.ts";
import type { Logger } from "../logger.ts";
import type { ProjectRow, UserRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { guardedFor } from "./create-pipeline.ts";
import type { GitMirror } from "./git-mirror.ts";
import { auditedPush } from "./push-pipeline.ts";

const TICK_MS = 1_000;
const ZERO = "0".repeat(40);

export interface MirrorPoller {
  /** Fetches the project now and starts pipelines for what moved (the timer does this on the interval). */
  poll(projectId: number): Promise<void>;
  stop(): void;
}

/** The creator, when still active and allowed to run pipelines in the project. */
function runner(q: QueueContext, project: ProjectRow): UserRow | null {
  const user = project.creatorId === null ? null : findUserById(q.db, project.creatorId);
  if (user?.state !== "active") return null;
  const actor: Actor = { user, via: "trigger", scopes: ["api"] };
  return can(actor, "create_pipeline", { project, level: accessLevel(q.db, user, project) }) ? user : null;
}

export function createMirrorPoller(
  q: QueueContext,
  mirror: GitMirror,
  now: () => number,
  logger: Logger,
): MirrorPoller {
  const lastPolled = new Map<number, number>();
  const busy = new Set<number>();
  const started = now();

  async function pollProject(project: ProjectRow) {
    if (!project.importUrl || busy.has(project.id)) return;
    busy.add(project.id);
    try {
      const user = runner(q, project);
      if (!user) {
        audit(q.db, {
          action: "mirror_poll_failed",
          actor: null,
          projectId: project.id,
          details: { error: "the project's creator may no longer run pipelines here" },
        });
        return;
      }
      // The first fetch only makes the mirror: what it brings was not pushed just now.
      const first = !mirror.hasRepository(project.id);
      const before = await mirror.refs(project.id);
      await mirror.fetch(project.id, project.importUrl, guardedFor(q, user.id));
      const after = await mirror.refs(project.id);
      if (first) return;
      for (const ref of after.keys()) {
        if (before.get(ref) === after.get(ref)) continue;
        const input = { projectId: project.id, ref, before: before.get(ref) ?? ZERO, after: after.get(ref)! };
        await auditedPush(q, mirror, { ...input, userId: user.id, fetch: false }, "mirror_poll");
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      audit(q.db, { action: "mirror_poll_failed", actor: null, projectId: project.id, details: { error: message } });
    } finally {
      busy.delete(project.id);
    }
  }

  const timer = setInterval(() => {
    const at = now();
    for (const project of q.repos.mirrorPolls.polledProjects()) {
      const interval = (project.mirrorPollInterval ?? 0) * 1000;
      if (interval <= 0 || at - (lastPolled.get(project.id) ?? started) < interval) continue;
      lastPolled.set(project.id, at);
      pollProject(project).catch((error) => logger.error("a mirror poll failed", { error, project: project.id }));
    }
  }, TICK_MS);
  timer.unref?.();

  return {
    async poll(projectId) {
      const project = q.repos.mirrorPolls.polledProjects().find((p) => p.id === projectId);
      if (project) await pollProject(project);
    },
    stop: () => clearInterval(timer),
  };
}
