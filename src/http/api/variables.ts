// /projects/:id/variables: CI/CD variables (Maintainer): list, show, create, update, delete; masked-value rules.
import { Hono } from "hono";
import { z } from "zod";
import { auditVariableChange } from "../../auth/audit.ts";
import { conflict, invalid, notFound } from "../../domain/errors.ts";
import { variableFieldErrors } from "../../domain/variable-rules.ts";
import type { VariableRow } from "../../store/rows.ts";
import { type ApiContext, type ApiEnv, clientIp } from "../env.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zBool, zText } from "../middleware/validate.ts";
import { variableEntity } from "../serializers/project-settings.ts";
import { allowed, loadProject, type ProjectAccess } from "./guard.ts";

const attributes = {
  value: zText(),
  variable_type: z.enum(["env_var", "file"]).optional(),
  protected: zBool().optional(),
  masked: zBool().optional(),
  raw: zBool().optional(),
  environment_scope: zText().optional(),
  description: zText().nullable().optional(),
};
const createSchema = z.object({ key: zText(), ...attributes });
const updateSchema = z.object({ ...attributes, value: zText().optional() });
const filterSchema = z.object({ filter: z.object({ environment_scope: zText().optional() }).optional() });

function check(v: { key: string; value: string; masked: boolean; environmentScope: string }) {
  const fields = variableFieldErrors(v);
  if (v.environmentScope.length === 0 || v.environmentScope.length > 255) fields.environment_scope = ["is invalid"];
  if (Object.keys(fields).length > 0) throw invalid(fields);
}

/** The variable named by `:key` (and `filter[environment_scope]` when several scopes share the key). */
async function variableOf(c: ApiContext, access: ProjectAccess): Promise<VariableRow> {
  const scope = parseParams(filterSchema, await readParams(c)).filter?.environment_scope;
  const rows = c.get("deps").store.repos.variables.withKey(access.project.id, c.req.param("key") ?? "", scope);
  if (rows.length === 0) throw notFound("Variable");
  if (rows.length > 1)
    throw conflict("There are multiple variables with provided parameters. Please use 'filter[environment_scope]'");
  return rows[0]!;
}

export function variableRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const render = (access: ProjectAccess, v: VariableRow) =>
    variableEntity(v, { revealMasked: allowed(access, "admin_variables") });
  const record = (c: ApiContext, access: ProjectAccess, key: string, change: string) =>
    auditVariableChange(c.get("deps").store.db, {
      actor: access.actor,
      projectId: access.project.id,
      key,
      change,
      ip: clientIp(c),
    });

  app.get("/projects/:id/variables", async (c) => {
    const access = loadProject(c, "admin_variables");
    const page = pageOf(await readParams(c));
    const { rows, total } = c.get("deps").store.repos.variables.pageOfProject(access.project.id, page);
    return paginated(
      c,
      page,
      total,
      rows.map((v) => render(access, v)),
    );
  });

  app.get("/projects/:id/variables/:key", async (c) => {
    const access = loadProject(c, "admin_variables");
    return c.json(render(access, await variableOf(c, access)));
  });

  app.post("/projects/:id/variables", async (c) => {
    const access = loadProject(c, "admin_variables");
    const p = parseParams(createSchema, await readParams(c));
    const environmentScope = p.environment_scope ?? "*";
    check({ key: p.key, value: p.value, masked: p.masked ?? false, environmentScope });
    const repo = c.get("deps").store.repos.variables;
    if (repo.withKey(access.project.id, p.key, environmentScope).length > 0)
      throw invalid({ key: [`(${p.key}) has already been taken`] });
    const row = repo.insert({
      projectId: access.project.id,
      key: p.key,
      value: p.value,
      variableType: p.variable_type,
      masked: p.masked,
      protected: p.protected,
      raw: p.raw,
      environmentScope,
      description: p.description ?? null,
    });
    record(c, access, row.key, "created");
    return c.json(render(access, row), 201);
  });

  app.put("/projects/:id/variables/:key", async (c) => {
    const access = loadProject(c, "admin_variables");
    const current = await variableOf(c, access);
    const p = parseParams(updateSchema, await readParams(c));
    const next = {
      key: current.key,
      value: p.value ?? current.value,
      masked: p.masked ?? current.masked,
      environmentScope: p.environment_scope ?? current.environmentScope,
    };
    check(next);
    const row = c.get("deps").store.repos.variables.update(current.id, {
      value: next.value,
      masked: next.masked,
      environmentScope: next.environmentScope,
      variableType: p.variable_type,
      protected: p.protected,
      raw: p.raw,
      description: p.description,
    });
    record(c, access, row.key, "updated");
    return c.json(render(access, row));
  });

  app.delete("/projects/:id/variables/:key", async (c) => {
    const access = loadProject(c, "admin_variables");
    const current = await variableOf(c, access);
    c.get("deps").store.repos.variables.delete(current.id);
    record(c, access, current.key, "deleted");
    return c.body(null, 204);
  });
  return app;
}
