// `/<username>`: the profile page the API's user `web_url` points at, for everyone who may read users.
/** @jsxImportSource hono/jsx */
import { can } from "../../../auth/permissions.ts";
import { forbidden, notFound } from "../../../domain/errors.ts";
import { requireActor } from "../data/access.ts";
import { listProjectsWithStatus } from "../data/projects.ts";
import type { PageRouter } from "../page-routes.ts";
import { UserShowPage } from "../pages/user-show.tsx";
import { renderPage } from "../render.tsx";
import { PER_PAGE, pageNumber, withPage } from "../views/pagination.tsx";

/** Register last among one-segment pages: `/admin`, `/projects` … are taken first (usernames cannot be those). */
export function addUserRoutes(r: PageRouter): void {
  r.get("/:username", (c) => {
    const actor = requireActor(c);
    if (!can(actor, "read_users")) throw forbidden();
    const { db, repos } = c.get("deps").store;
    const user = repos.users.findByExactUsername(c.req.param("username") ?? "");
    if (!user) throw notFound("User");
    const page = pageNumber(c.req.query("page"));
    const { items, total } = listProjectsWithStatus(db, actor, { namespace: user.username, page, perPage: PER_PAGE });
    const url = new URL(c.req.url);
    return renderPage(
      c,
      user.name,
      <UserShowPage
        user={user}
        projects={items}
        pageInfo={{ page, perPage: PER_PAGE, total }}
        href={(n) => withPage(url, n)}
      />,
    );
  });
}
