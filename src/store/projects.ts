// Projects: lookups by id or `namespace/path`, visible lists and pages, creation with its Owner, changes.
import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { countRows, likePattern, type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { ProjectRow } from "./rows.ts";
import { members, projects, protectedBranches } from "./schema.ts";

export type NewProjectRow = typeof projects.$inferInsert;

/**
 * Which projects someone may see, as decided by auth/permissions.ts: every project, only one, the public ones,
 * or (signed in) public and internal ones plus those with a membership unexpired on `today`.
 */
export type ProjectVisibility =
  | { kind: "all" }
  | { kind: "only"; projectId: number }
  | { kind: "public" }
  | { kind: "signed_in"; userId: number; today: string };

export interface ProjectListFilters {
  visibleTo: ProjectVisibility;
  /** Part of the name or path, any case. */
  search?: string;
  visibility?: ProjectRow["visibility"];
  /** Only projects this user is a member of. */
  memberId?: number;
  namespace?: string;
}

export type ProjectOrder = "id" | "name" | "path" | "created_at" | "updated_at" | "last_activity_at";

function visibleWhere(v: ProjectVisibility): SQL | undefined {
  switch (v.kind) {
    case "all":
      return undefined;
    case "only":
      return eq(projects.id, v.projectId);
    case "public":
      return eq(projects.visibility, "public");
    case "signed_in":
      return sql`(${projects.visibility} IN ('public', 'internal') OR ${projects.id} IN (SELECT ${members.projectId} FROM ${members} WHERE ${members.userId} = ${v.userId}
    AND (${members.expiresAt} IS NULL OR ${members.expiresAt} > ${v.today})))`;
  }
}

function listWhere(f: ProjectListFilters): SQL | undefined {
  const conditions: (SQL | undefined)[] = [visibleWhere(f.visibleTo)];
  if (f.search) {
    const like = likePattern(f.search);
    conditions.push(
      sql`(lower(${projects.name}) LIKE ${like} ESCAPE '\\' OR lower(${projects.path}) LIKE ${like} ESCAPE '\\')`,
    );
  }
  if (f.visibility) conditions.push(eq(projects.visibility, f.visibility));
  if (f.memberId !== undefined) {
    conditions.push(
      sql`${projects.id} IN (SELECT ${members.projectId} FROM ${members} WHERE ${members.userId} = ${f.memberId})`,
    );
  }
  if (f.namespace !== undefined) conditions.push(eq(projects.namespace, f.namespace));
  return and(...conditions);
}

export function createProjectsRepository({ db }: { db: DbHandle }) {
  return {
    findById: (id: number): ProjectRow | null => db.select().from(projects).where(eq(projects.id, id)).get() ?? null,

    /** The project at `namespace/path`, ignoring case (as GitLab's routes do). */
    findByFullPath: (namespace: string, path: string): ProjectRow | null =>
      db
        .select()
        .from(projects)
        .where(
          sql`lower(${projects.namespace}) = ${namespace.toLowerCase()} AND lower(${projects.path}) = ${path.toLowerCase()}`,
        )
        .get() ?? null,

    /** The id of the project in `namespace` whose name (or path) is `value`, ignoring case. */
    idWithSame: (namespace: string, field: "name" | "path", value: string): number | null =>
      db
        .select({ id: projects.id })
        .from(projects)
        .where(sql`${projects.namespace} = ${namespace} AND lower(${projects[field]}) = ${value.toLowerCase()}`)
        .get()?.id ?? null,

    hasAnyInNamespace: (namespace: string): boolean =>
      db.select({ id: projects.id }).from(projects).where(eq(projects.namespace, namespace)).get() !== undefined,

    /** Inserts a bare project (no members, nothing protected); see createWithOwner for what users create. */
    insert: (values: NewProjectRow): ProjectRow => db.insert(projects).values(values).returning().get(),

    /** Inserts the project, its creator as Owner (`ownerLevel`) and its default branch as protected, at once. */
    createWithOwner(values: NewProjectRow & { creatorId: number }, ownerLevel: number): ProjectRow {
      return db.transaction((tx) => {
        const row = tx.insert(projects).values(values).returning().get();
        tx.insert(members).values({ projectId: row.id, userId: values.creatorId, accessLevel: ownerLevel }).run();
        tx.insert(protectedBranches).values({ projectId: row.id, name: row.defaultBranch }).run();
        return row;
      });
    },

    update: (id: number, changes: Partial<NewProjectRow>): ProjectRow =>
      db.update(projects).set(changes).where(eq(projects.id, id)).returning().get()!,

    /** Takes the project's next pipeline iid (and marks it active). */
    nextPipelineIid: (id: number): number =>
      db
        .update(projects)
        .set({ pipelineIidSeq: sql`${projects.pipelineIidSeq} + 1`, lastActivityAt: new Date() })
        .where(eq(projects.id, id))
        .returning({ iid: projects.pipelineIidSeq })
        .get()!.iid,

    /** "Clear runner caches": bumps the index every cache key of the project ends in; the new index, or null. */
    bumpJobsCacheIndex: (id: number): number | null =>
      db
        .update(projects)
        .set({ jobsCacheIndex: sql`${projects.jobsCacheIndex} + 1` })
        .where(eq(projects.id, id))
        .returning({ index: projects.jobsCacheIndex })
        .get()?.index ?? null,

    /** Moves every project of namespace `from` to `to` (a renamed user). */
    moveNamespace(from: string, to: string): void {
      db.update(projects).set({ namespace: to }).where(eq(projects.namespace, from)).run();
    },

    delete(id: number): void {
      db.delete(projects).where(eq(projects.id, id)).run();
    },

    count: (): number => countRows(db, projects),

    /** A page of the visible projects matching `f`, in `order` then by id. */
    page(
      f: ProjectListFilters,
      order: { by: ProjectOrder; sort: "asc" | "desc" },
      page: PageWindow,
    ): PageOf<ProjectRow> {
      const where = listWhere(f);
      const column = {
        id: projects.id,
        name: projects.name,
        path: projects.path,
        created_at: projects.createdAt,
        updated_at: projects.lastActivityAt,
        last_activity_at: projects.lastActivityAt,
      }[order.by];
      const direction = order.sort === "asc" ? asc : desc;
      const query = db.select().from(projects).where(where).orderBy(direction(column), direction(projects.id));
      return paginate(db, query, { table: projects, where }, page);
    },

    /** A page of the visible projects matching `f`, most recently active first, with each one's latest pipeline id. */
    pageByActivity(
      f: ProjectListFilters,
      page: PageWindow,
    ): PageOf<{ project: ProjectRow; lastPipelineId: number | null }> {
      const where = listWhere(f);
      const query = db
        .select({
          project: projects,
          lastPipelineId: sql<
            number | null
          >`(SELECT max(id) FROM pipelines WHERE project_id = ${projects.id} AND source != 'parent_pipeline')`,
        })
        .from(projects)
        .where(where)
        .orderBy(desc(sql`coalesce(${projects.lastActivityAt}, ${projects.createdAt})`), desc(projects.id));
      return paginate(db, query, { table: projects, where }, page);
    },
  };
}
