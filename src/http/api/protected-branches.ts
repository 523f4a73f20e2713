// GitLab's protected branches API: list (Developer+), protect and unprotect (Maintainer+) branch name patterns.
import { Hono } from "hono";
import { z } from "zod";
import { audit } from "../../auth/audit.ts";
import {
  findProtectedBranch,
  listProtectedBranches,
  protectBranch,
  unprotectBranch,
} from "../../auth/protected-branches.ts";
import { notFound } from "../../domain/errors.ts";
import type { ProtectedBranchRow } from "../../store/rows.ts";
import { type ApiEnv, clientIp } from "../env.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zText } from "../middleware/validate.ts";
import { loadProject } from "./guard.ts";

/** Porthole has no per-level push rules: everyone who may push is a Maintainer, as in GitLab's default. */
const MAINTAINERS = [
  { id: 0, access_level: 40, access_level_description: "Maintainers", user_id: null, group_id: null },
];

function protectedBranchEntity(row: ProtectedBranchRow) {
  return {
    id: row.id,
    name: row.name,
    push_access_levels: MAINTAINERS,
    merge_access_levels: MAINTAINERS,
    allow_force_push: false,
    code_owner_approval_required: false,
  };
}

const nameSchema = z.object({ name: zText() });

export function protectedBranchRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/projects/:id/protected_branches", async (c) => {
    const { project } = loadProject(c, "read_protected_branches");
    const page = pageOf(await readParams(c));
    const rows = listProtectedBranches(c.get("deps").store.db, project.id);
    return paginated(
      c,
      page,
      rows.length,
      rows.slice(page.offset, page.offset + page.perPage).map(protectedBranchEntity),
    );
  });

  app.get("/projects/:id/protected_branches/:name{.+}", (c) => {
    const { project } = loadProject(c, "read_protected_branches");
    const row = findProtectedBranch(c.get("deps").store.db, project.id, c.req.param("name"));
    if (!row) throw notFound("Protected Branch");
    return c.json(protectedBranchEntity(row));
  });

  app.post("/projects/:id/protected_branches", async (c) => {
    const access = loadProject(c, "admin_protected_branches");
    const { name } = parseParams(nameSchema, await readParams(c));
    const db = c.get("deps").store.db;
    const row = protectBranch(db, access.project.id, name.trim());
    audit(db, {
      action: "protected_branch_created",
      actor: access.actor,
      projectId: access.project.id,
      targetType: "ProtectedBranch",
      targetId: row.name,
      ip: clientIp(c),
    });
    return c.json(protectedBranchEntity(row), 201);
  });

  app.delete("/projects/:id/protected_branches/:name{.+}", (c) => {
    const access = loadProject(c, "admin_protected_branches");
    const db = c.get("deps").store.db;
    const row = unprotectBranch(db, access.project.id, c.req.param("name"));
    audit(db, {
      action: "protected_branch_deleted",
      actor: access.actor,
      projectId: access.project.id,
      targetType: "ProtectedBranch",
      targetId: row.name,
      ip: clientIp(c),
    });
    return c.body(null, 204);
  });

  return app;
}
