// Making and revoking a job terminal's read-only share links on the job page (Maintainers and up), each audited.
import { externalUrl } from "../../../config/schema.ts";
import { badRequest, notFound } from "../../../domain/errors.ts";
import { makeShareLink, revokeShareLink, SHARE_LINK_LIFETIMES, shareTokenOf } from "../../../session/share-links.ts";
import { clientIp } from "../../env.ts";
import { routeId, routeJob } from "../data/access.ts";
import type { UiContext } from "../env.ts";
import type { PageRouter } from "../page-routes.ts";
import type { ShareLinkItem } from "../pages/terminal-share-links.tsx";
import { jobUrl, terminalShareUrl } from "../urls.ts";
import { setFlash } from "../views/flash.ts";

const LINKS = "/:namespace/:project/-/jobs/:id{[0-9]+}/terminal/share_links";

/** The job's working links with their URLs, for the job page. */
export function shareLinkItems(
  c: UiContext,
  project: { namespace: string; path: string },
  jobId: number,
): ShareLinkItem[] {
  const { config, store } = c.get("deps");
  return store.repos.terminalShareLinks.activeOfJob(jobId, new Date()).map((link) => ({
    id: link.id,
    url: `${externalUrl(config)}${terminalShareUrl(project, jobId, shareTokenOf(link))}`,
    expiresAt: link.expiresAt,
  }));
}

export function addShareLinkRoutes(r: PageRouter): void {
  r.post(LINKS, async (c) => {
    const { job, project, actor } = routeJob(c, "share_terminal");
    const lifetime = SHARE_LINK_LIFETIMES[String((await c.req.parseBody()).expires_in ?? "")];
    if (!lifetime) throw badRequest(`expires_in must be one of ${Object.keys(SHARE_LINK_LIFETIMES).join(", ")}`);
    makeShareLink(c.get("deps").store.db, job, lifetime.seconds, { actor: actor!, ip: clientIp(c) });
    setFlash(c, "notice", `Read-only link made; it works for ${lifetime.label}.`);
    return c.redirect(jobUrl(project, job.id), 303);
  });

  r.post(`${LINKS}/:link{[0-9]+}/revoke`, (c) => {
    const { job, project, actor } = routeJob(c, "share_terminal");
    const { db, repos } = c.get("deps").store;
    const link = repos.terminalShareLinks.find(routeId(c, "link"));
    if (!link || link.jobId !== job.id) throw notFound("Share link");
    revokeShareLink(db, link, { actor: actor!, ip: clientIp(c) });
    setFlash(c, "notice", "Read-only link revoked; anyone watching through it is disconnected.");
    return c.redirect(jobUrl(project, job.id), 303);
  });
}
