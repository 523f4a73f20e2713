// /projects/:id/jobs/:job_id/terminal/share_links: a job terminal's read-only share links (Maintainers and up).
import { Hono } from "hono";
import { externalUrl } from "../../config/schema.ts";
import { notFound } from "../../domain/errors.ts";
import { makeShareLink, revokeShareLink, SHARE_LINK_LIFETIMES, shareTokenOf } from "../../session/share-links.ts";
import type { TerminalShareLinkRow } from "../../store/rows.ts";
import { type ApiContext, type ApiEnv, clientIp } from "../env.ts";
import { ParamsError } from "../middleware/errors.ts";
import { readParams } from "../middleware/params.ts";
import { iso } from "../serializers/time.ts";
import { terminalShareUrl } from "../ui/urls.ts";
import { loadJob } from "./guard.ts";

const LINKS = "/projects/:id/jobs/:job_id{[0-9]+}/terminal/share_links";

function entity(c: ApiContext, project: { namespace: string; path: string }, link: TerminalShareLinkRow) {
  return {
    id: link.id,
    job_id: link.jobId,
    url: `${externalUrl(c.get("deps").config)}${terminalShareUrl(project, link.jobId, shareTokenOf(link))}`,
    expires_at: iso(link.expiresAt),
    created_at: iso(link.createdAt),
  };
}

export function terminalShareLinkRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  /** The job's links that still work, newest first. */
  app.get(LINKS, (c) => {
    const { job, project } = loadJob(c, "share_terminal");
    const links = c.get("deps").store.repos.terminalShareLinks.activeOfJob(job.id, new Date());
    return c.json(links.map((link) => entity(c, project, link)));
  });

  /** `expires_in`: 1h, 8h, 1d or 7d (default 8h). */
  app.post(LINKS, async (c) => {
    const { job, project, actor } = loadJob(c, "share_terminal");
    const expiresIn = (await readParams(c)).expires_in ?? "8h";
    const lifetime = typeof expiresIn === "string" ? SHARE_LINK_LIFETIMES[expiresIn] : undefined;
    if (!lifetime)
      throw new ParamsError(`expires_in should be one of: ${Object.keys(SHARE_LINK_LIFETIMES).join(", ")}`);
    const { link } = makeShareLink(c.get("deps").store.db, job, lifetime.seconds, { actor: actor!, ip: clientIp(c) });
    return c.json(entity(c, project, link), 201);
  });

  /** Revokes the link: its watchers are disconnected (4003), the link refused from now on. */
  app.delete(`${LINKS}/:link_id{[0-9]+}`, (c) => {
    const { job, actor } = loadJob(c, "share_terminal");
    const { db, repos } = c.get("deps").store;
    const link = repos.terminalShareLinks.find(Number(c.req.param("link_id")));
    if (!link || link.jobId !== job.id || link.revokedAt) throw notFound("Share link");
    revokeShareLink(db, link, { actor: actor!, ip: clientIp(c) });
    return c.body(null, 204);
  });
  return app;
}
