// Project members: list for anyone who sees the project; add, change role and remove for Maintainers (Owners for Owners).
/** @jsxImportSource hono/jsx */
import { audit } from "../../../auth/audit.ts";
import { todayUtc } from "../../../auth/tokens.ts";
import { DomainError } from "../../../domain/errors.ts";
import { allowed, type ProjectAccess, requireAllowed, routeId, routeProject } from "../data/access.ts";
import { addMember, changeMember, findMember, listMembers, removeMember, roleLevel } from "../data/members.ts";
import type { UiContext } from "../env.ts";
import type { PageRouter } from "../page-routes.ts";
import { MembersPage, type MembersPageProps } from "../pages/members.tsx";
import { renderPage } from "../render.tsx";
import { membersUrl } from "../urls.ts";
import { setFlash } from "../views/flash.ts";
import { fieldErrors, formText } from "../views/form-data.ts";

const MEMBERS = "/:namespace/:project/-/project_members";

function page(
  c: UiContext,
  access: ProjectAccess,
  values?: MembersPageProps["values"],
  errors: Record<string, string> = {},
) {
  return renderPage(
    c,
    `Members · ${access.project.name}`,
    <MembersPage
      project={access.project}
      members={listMembers(c.get("deps").store.db, access.project.id)}
      canManage={allowed(access, "admin_members")}
      canAdmin={allowed(access, "admin_variables")}
      csrfToken={c.get("csrfToken")}
      values={values ?? { username: "", access_level: "30", expires_at: "" }}
      errors={errors}
    />,
    { status: values ? 422 : 200 },
  );
}

/** Runs a membership change; a refused change (last Owner, unknown user) returns as a flash alert. */
function attempt(c: UiContext, access: ProjectAccess, notice: string, change: () => void): Response {
  try {
    change();
    setFlash(c, "notice", notice);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    setFlash(c, "alert", err.message);
  }
  return c.redirect(membersUrl(access.project), 303);
}

export function addMemberRoutes(r: PageRouter): void {
  r.get(MEMBERS, (c) => page(c, routeProject(c, "read_members")));

  r.post(MEMBERS, async (c) => {
    const access = routeProject(c, "read_members");
    const form = await c.req.parseBody();
    const values = {
      username: formText(form, "username").trim(),
      access_level: formText(form, "access_level"),
      expires_at: formText(form, "expires_at").trim(),
    };
    const level = roleLevel(values.access_level);
    const errors: Record<string, string> = {};
    if (level === null) errors.access_level = "is not a valid role";
    if (values.expires_at && (!/^\d{4}-\d{2}-\d{2}$/.test(values.expires_at) || values.expires_at <= todayUtc())) {
      errors.expires_at = "must be a date in the future";
    }
    requireAllowed(access, "admin_members", { memberChange: { to: level ?? 0 } });
    if (Object.keys(errors).length > 0) return page(c, access, values, errors);
    const { db } = c.get("deps").store;
    try {
      const user = addMember(db, access.project.id, values.username, level!, values.expires_at || null);
      audit(db, {
        action: "member_added",
        actor: c.get("actor"),
        projectId: access.project.id,
        targetType: "User",
        targetId: user.id,
        details: { access_level: level },
      });
      setFlash(c, "notice", `${user.username} was added to the project.`);
      return c.redirect(membersUrl(access.project), 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return page(c, access, values, err.fields ? fieldErrors(err) : { username: err.message });
    }
  });

  r.post(`${MEMBERS}/:id{[0-9]+}`, async (c) => {
    const access = routeProject(c, "read_members");
    const { db } = c.get("deps").store;
    const current = findMember(db, access.project.id, routeId(c));
    const level = roleLevel(formText(await c.req.parseBody(), "access_level"));
    requireAllowed(access, "admin_members", { memberChange: { from: current.accessLevel, to: level ?? 0 } });
    if (level === null) {
      setFlash(c, "alert", "Choose one of the five roles.");
      return c.redirect(membersUrl(access.project), 303);
    }
    return attempt(c, access, "Role changed.", () => {
      changeMember(db, current, level);
      audit(db, {
        action: "member_changed",
        actor: c.get("actor"),
        projectId: access.project.id,
        targetType: "User",
        targetId: current.userId,
        details: { from: current.accessLevel, to: level },
      });
    });
  });

  r.post(`${MEMBERS}/:id{[0-9]+}/delete`, (c) => {
    const access = routeProject(c, "read_members");
    const { db } = c.get("deps").store;
    const current = findMember(db, access.project.id, routeId(c));
    requireAllowed(access, "admin_members", { memberChange: { from: current.accessLevel } });
    return attempt(c, access, "Member removed.", () => {
      removeMember(db, current);
      audit(db, {
        action: "member_removed",
        actor: c.get("actor"),
        projectId: access.project.id,
        targetType: "User",
        targetId: current.userId,
        details: { access_level: current.accessLevel },
      });
    });
  });
}
