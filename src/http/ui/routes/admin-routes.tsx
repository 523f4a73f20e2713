// The Admin area: overview counts, users (create, block, unblock), runners (register, pause, remove), terminal audit.
/** @jsxImportSource hono/jsx */
import { resolve } from "node:path";
import { audit } from "../../../auth/audit.ts";
import { can } from "../../../auth/permissions.ts";
import { createRunner } from "../../../auth/runner-tokens.ts";
import { isLastAdmin, setUserState } from "../../../auth/user-admin.ts";
import { createUser } from "../../../auth/users.ts";
import { DomainError, forbidden, notFound } from "../../../domain/errors.ts";
import { recordingsTotal } from "../../../session/recording-retention.ts";
import { lowDiskWarning } from "../../ops/disk.ts";
import { requireActor, routeId } from "../data/access.ts";
import type { UiContext } from "../env.ts";
import type { PageRouter } from "../page-routes.ts";
import { AdminOverview } from "../pages/admin-nav.tsx";
import { AdminRunnersPage, type AdminRunnersProps } from "../pages/admin-runners.tsx";
import { AdminTerminalsPage } from "../pages/admin-terminals.tsx";
import { AdminUsersPage, type AdminUsersProps } from "../pages/admin-users.tsx";
import { renderPage } from "../render.tsx";
import { setFlash } from "../views/flash.ts";
import { fieldErrors, formChecked, formText } from "../views/form-data.ts";
import { PER_PAGE, pageNumber, withPage } from "../views/pagination.tsx";

function requireAdmin(c: UiContext) {
  const actor = requireActor(c);
  if (!can(actor, "admin_users")) throw forbidden();
  return actor;
}

function usersPage(c: UiContext, extra: Partial<AdminUsersProps> = {}, status: 200 | 422 = 200) {
  const actor = requireAdmin(c);
  const list = c.get("deps").store.repos.users.allByUsername();
  return renderPage(
    c,
    "Users · Admin",
    <AdminUsersPage
      users={list}
      currentUserId={actor.user.id}
      csrfToken={c.get("csrfToken")}
      values={{ username: "", name: "", email: "", admin: false }}
      errors={{}}
      {...extra}
    />,
    { status },
  );
}

function runnersPage(c: UiContext, extra: Partial<AdminRunnersProps> = {}, status: 200 | 201 | 422 = 200) {
  requireAdmin(c);
  const list = c.get("deps").store.repos.runners.all();
  return renderPage(
    c,
    "Runners · Admin",
    <AdminRunnersPage
      runners={list}
      csrfToken={c.get("csrfToken")}
      values={{ description: "", tags: "", run_untagged: true }}
      errors={{}}
      {...extra}
    />,
    { status },
  );
}

export function addAdminRoutes(r: PageRouter): void {
  r.get("/admin", (c) => {
    requireAdmin(c);
    const { repos } = c.get("deps").store;
    const { config } = c.get("deps");
    return renderPage(
      c,
      "Admin area",
      <AdminOverview
        counts={[
          { label: "Users", value: repos.users.count(), href: "/admin/users" },
          { label: "Projects", value: repos.projects.count(), href: "/" },
          { label: "Pipelines", value: repos.pipelines.count(), href: "/" },
          { label: "Jobs", value: repos.jobs.count(), href: "/" },
          { label: "Runners", value: repos.runners.count(), href: "/admin/runners" },
        ]}
        diskWarning={lowDiskWarning(resolve(config.data_dir), config.monitoring.disk_warning_bytes)}
      />,
    );
  });

  r.get("/admin/users", (c) => usersPage(c));

  r.post("/admin/users", async (c) => {
    const actor = requireAdmin(c);
    const form = await c.req.parseBody();
    const values = {
      username: formText(form, "username").trim(),
      name: formText(form, "name").trim(),
      email: formText(form, "email").trim(),
      admin: formChecked(form, "admin"),
    };
    const { db } = c.get("deps").store;
    try {
      const { user } = await createUser(db, {
        ...values,
        name: values.name || undefined,
        email: values.email || undefined,
        password: formText(form, "password"),
      });
      audit(db, {
        action: "user_created",
        actor,
        targetType: "User",
        targetId: user.id,
        details: { username: user.username, admin: user.admin },
      });
      setFlash(c, "notice", `User ${user.username} was created.`);
      return c.redirect("/admin/users", 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const errors =
        err.code === "conflict"
          ? { [/email/i.test(err.message) ? "email" : "username"]: err.message }
          : fieldErrors(err);
      return usersPage(c, { values, errors }, 422);
    }
  });

  for (const [path, state] of [
    ["block", "blocked"],
    ["unblock", "active"],
  ] as const) {
    r.post(`/admin/users/:id{[0-9]+}/${path}`, (c) => {
      const actor = requireAdmin(c);
      const id = routeId(c);
      const { db } = c.get("deps").store;
      if (id === actor.user.id || (state === "blocked" && isLastAdmin(db, id))) {
        setFlash(c, "alert", "You cannot block yourself or the last administrator.");
        return c.redirect("/admin/users", 303);
      }
      const user = setUserState(db, id, state);
      audit(db, {
        action: state === "blocked" ? "user_blocked" : "user_unblocked",
        actor,
        targetType: "User",
        targetId: id,
      });
      setFlash(c, "notice", `${user.username} is ${state === "blocked" ? "blocked" : "active again"}.`);
      return c.redirect("/admin/users", 303);
    });
  }

  r.get("/admin/runners", (c) => runnersPage(c));

  r.post("/admin/runners", async (c) => {
    const actor = requireAdmin(c);
    const form = await c.req.parseBody();
    const values = {
      description: formText(form, "description").trim(),
      tags: formText(form, "tags"),
      run_untagged: formChecked(form, "run_untagged"),
    };
    if (!values.description) return runnersPage(c, { values, errors: { description: "can't be blank" } }, 422);
    const { db } = c.get("deps").store;
    try {
      const { token, row } = createRunner(db, {
        description: values.description,
        tags: values.tags.split(","),
        runUntagged: values.run_untagged,
      });
      audit(db, { action: "runner_created", actor, targetType: "Runner", targetId: row.id });
      return runnersPage(c, { newToken: token }, 201);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return runnersPage(c, { values, errors: fieldErrors(err) }, 422);
    }
  });

  for (const action of ["pause", "resume", "delete"] as const) {
    r.post(`/admin/runners/:id{[0-9]+}/${action}`, (c) => {
      const actor = requireAdmin(c);
      const { db, repos } = c.get("deps").store;
      const runner = repos.runners.findById(routeId(c));
      if (!runner || (action === "delete" && runner.embedded)) throw notFound("Runner");
      if (action === "delete") repos.runners.delete(runner.id);
      else {
        repos.runners.setPaused(runner.id, action === "pause");
        if (action === "resume") c.get("deps").remoteJobs?.runnersChanged();
      }
      audit(db, {
        action: `runner_${action === "delete" ? "deleted" : action === "pause" ? "paused" : "resumed"}`,
        actor,
        targetType: "Runner",
        targetId: runner.id,
      });
      setFlash(
        c,
        "notice",
        `Runner #${runner.id} ${action === "delete" ? "removed" : action === "pause" ? "paused" : "resumed"}.`,
      );
      return c.redirect("/admin/runners", 303);
    });
  }

  r.get("/admin/terminal_sessions", async (c) => {
    requireAdmin(c);
    const page = pageNumber(c.req.query("page"));
    const { rows, total } = c
      .get("deps")
      .store.repos.terminalSessions.page({ perPage: PER_PAGE, offset: (page - 1) * PER_PAGE });
    const url = new URL(c.req.url);
    return renderPage(
      c,
      "Terminal sessions · Admin",
      <AdminTerminalsPage
        pageInfo={{ page, perPage: PER_PAGE, total }}
        href={(n) => withPage(url, n)}
        items={rows}
        recordings={{
          ...(await recordingsTotal(resolve(c.get("deps").config.data_dir))),
          retentionDays: c.get("deps").config.terminal.recording_retention,
        }}
      />,
    );
  });
}
