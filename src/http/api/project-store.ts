// Project rows: lookup by id or `namespace/path`, visible lists, and create/update/delete with their checks.
import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Actor } from "../../auth/actor.ts";
import { ROLES, visibleProjects } from "../../auth/permissions.ts";
import { invalid } from "../../domain/errors.ts";
import { importAllowlist, importUrlProblem } from "../../queue/import-target.ts";
import type { Db } from "../../store/db.ts";
import type { ProjectRow } from "../../store/rows.ts";
import { members, projects, protectedBranches } from "../../store/schema.ts";
import type { Page } from "../middleware/pagination.ts";
import {
  checkBranchName,
  checkCiConfigPath,
  checkImportUrl,
  checkProjectName,
  checkProjectPath,
  pathFromName,
} from "./project-rules.ts";

/** Mirror polling's bounds: no forge is asked more often than every 10 s; once a day at least. */
const MIN_POLL_SECONDS = 10;
const MAX_POLL_SECONDS = 86_400;

export interface ProjectFields {
  name?: string;
  path?: string;
  description?: string | null;
  visibility?: ProjectRow["visibility"];
  import_url?: string | null;
  ci_config?: string | null;
  ci_config_path?: string;
  default_branch?: string;
  /** Seconds between fetches of import_url (porthole's mirror polling); null: off. */
  mirror_poll_interval?: number | null;
}

export interface ProjectListFilters {
  search?: string;
  visibility?: ProjectRow["visibility"];
  /** Only projects the actor is a member of. */
  membership?: boolean;
  /** Only projects in the actor's namespace. */
  owned?: boolean;
  order_by: "id" | "name" | "path" | "created_at" | "updated_at" | "last_activity_at";
  sort: "asc" | "desc";
}

/** The project for an API `:id`: a numeric id or a `namespace/path` (case-insensitive, as GitLab). */
export function findProject(db: Db, ref: string): ProjectRow | null {
  if (/^\d+$/.test(ref))
    return (
      db
        .select()
        .from(projects)
        .where(eq(projects.id, Number(ref)))
        .get() ?? null
    );
  const slash = ref.lastIndexOf("/");
  if (slash <= 0) return null;
  const [namespace, path] = [ref.slice(0, slash).toLowerCase(), ref.slice(slash + 1).toLowerCase()];
  return (
    db
      .select()
      .from(projects)
      .where(sql`lower(${projects.namespace}) = ${namespace} AND lower(${projects.path}) = ${path}`)
      .get() ?? null
  );
}

/** One page of the projects `actor` can see, with the total. */
export function listProjects(db: Db, actor: Actor | null, f: ProjectListFilters, page: Page) {
  const conditions: (SQL | undefined)[] = [visibleProjects(actor)];
  if (f.search) {
    const like = `%${f.search.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(
      sql`(lower(${projects.name}) LIKE ${like} ESCAPE '\\' OR lower(${projects.path}) LIKE ${like} ESCAPE '\\')`,
    );
  }
  if (f.visibility) conditions.push(eq(projects.visibility, f.visibility));
  if (actor && f.membership) {
    conditions.push(
      sql`${projects.id} IN (SELECT ${members.projectId} FROM ${members} WHERE ${members.userId} = ${actor.user.id})`,
    );
  }
  if (actor && f.owned) conditions.push(eq(projects.namespace, actor.user.username));
  const where = and(...conditions);
  const column = {
    id: projects.id,
    name: projects.name,
    path: projects.path,
    created_at: projects.createdAt,
    updated_at: projects.lastActivityAt,
    last_activity_at: projects.lastActivityAt,
  }[f.order_by];
  const order = f.sort === "asc" ? asc : desc;
  const rows = db
    .select()
    .from(projects)
    .where(where)
    .orderBy(order(column), order(projects.id))
    .limit(page.perPage)
    .offset(page.offset)
    .all();
  const total = db.select({ n: sql<number>`count(*)` }).from(projects).where(where).get()?.n ?? 0;
  return { rows, total };
}

/**
 * The network half of the `import_url` check, run before create and update: a non-admin's URL whose host resolves
 * to a loopback, private or link-local address is refused with the one generic message.
 */
export async function checkImportTarget(
  actor: Actor["user"],
  input: ProjectFields,
  allowlist: readonly string[],
): Promise<void> {
  if (!input.import_url) return;
  const problem = await importUrlProblem(input.import_url, actor.admin, importAllowlist(allowlist));
  if (problem) throw invalid({ import_url: [problem] });
}

/** Creates a project in the creator's namespace and makes them its Owner, in one transaction. */
export function createProject(db: Db, creator: Actor["user"], input: ProjectFields): ProjectRow {
  const name = input.name ?? input.path ?? "";
  const path = input.path ?? pathFromName(name);
  validate(db, creator, { ...input, name, path }, null);
  return db.transaction((tx) => {
    const row = tx
      .insert(projects)
      .values({
        name,
        path,
        namespace: creator.username,
        description: input.description ?? null,
        visibility: input.visibility ?? "private",
        importUrl: input.import_url || null,
        ciConfig: input.ci_config ?? null,
        ciConfigPath: input.ci_config_path ?? ".gitlab-ci.yml",
        defaultBranch: input.default_branch ?? "main",
        mirrorPollInterval: input.mirror_poll_interval ?? null,
        creatorId: creator.id,
        lastActivityAt: new Date(),
      })
      .returning()
      .get();
    tx.insert(members).values({ projectId: row.id, userId: creator.id, accessLevel: ROLES.owner }).run();
    tx.insert(protectedBranches).values({ projectId: row.id, name: row.defaultBranch }).run();
    return row;
  });
}

/** Applies changed attributes; same checks as creation. */
export function updateProject(db: Db, actor: Actor["user"], project: ProjectRow, input: ProjectFields): ProjectRow {
  validate(db, actor, input, project);
  return db
    .update(projects)
    .set({
      name: input.name,
      path: input.path,
      description: input.description,
      visibility: input.visibility,
      importUrl: input.import_url === undefined ? undefined : input.import_url || null,
      ciConfig: input.ci_config,
      ciConfigPath: input.ci_config_path,
      defaultBranch: input.default_branch,
      mirrorPollInterval: input.mirror_poll_interval,
      lastActivityAt: new Date(),
    })
    .where(eq(projects.id, project.id))
    .returning()
    .get()!;
}

export function deleteProject(db: Db, id: number): void {
  db.delete(projects).where(eq(projects.id, id)).run();
}

function validate(db: Db, actor: Actor["user"], input: ProjectFields, existing: ProjectRow | null): void {
  const fields: Record<string, string[]> = {};
  const add = (field: string, problem: string | null) => problem && (fields[field] = [problem]);
  if (input.name !== undefined) add("name", checkProjectName(input.name));
  if (input.path !== undefined) add("path", checkProjectPath(input.path));
  if (input.import_url) add("import_url", checkImportUrl(input.import_url, actor.admin));
  if (input.ci_config_path !== undefined) add("ci_config_path", checkCiConfigPath(input.ci_config_path));
  if (input.default_branch !== undefined) add("default_branch", checkBranchName(input.default_branch));
  const poll = input.mirror_poll_interval;
  if (poll != null && (poll < MIN_POLL_SECONDS || poll > MAX_POLL_SECONDS))
    add("mirror_poll_interval", `must be between ${MIN_POLL_SECONDS} and ${MAX_POLL_SECONDS} seconds`);
  const namespace = existing?.namespace ?? actor.username;
  for (const key of ["name", "path"] as const) {
    const value = input[key];
    if (value === undefined || fields[key]) continue;
    const clash = db
      .select({ id: projects.id })
      .from(projects)
      .where(sql`${projects.namespace} = ${namespace} AND lower(${projects[key]}) = ${value.toLowerCase()}`)
      .get();
    if (clash && clash.id !== existing?.id) fields[key] = ["has already been taken"];
  }
  if (Object.keys(fields).length > 0) throw invalid(fields);
}
