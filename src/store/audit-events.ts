// The audit trail: appending events and reading pages of them, all or per project, with filters.
import { and, desc, eq, gte, isNotNull, isNull, lte, or, type SQL } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { AuditEventRow } from "./rows.ts";
import { auditEvents, projects } from "./schema.ts";

export interface AuditFilters {
  /** Only this project's events. */
  projectId?: number;
  /** A project's events (any project when no id), or events about (or by) a user outside projects. */
  entity?: { type: "User" | "Project"; id?: number };
  after?: Date;
  before?: Date;
}

/** An event with the `namespace/path` of its project (null for events outside projects). */
export interface AuditEventWithPath {
  event: AuditEventRow;
  projectPath: string | null;
}

function entityFilter(entity: AuditFilters["entity"]): SQL | undefined {
  if (!entity) return undefined;
  const { type, id } = entity;
  if (type === "Project") return id === undefined ? isNotNull(auditEvents.projectId) : eq(auditEvents.projectId, id);
  const about =
    id === undefined
      ? undefined
      : or(eq(auditEvents.actorId, id), and(eq(auditEvents.targetType, "User"), eq(auditEvents.targetId, String(id))));
  return and(isNull(auditEvents.projectId), about);
}

export function createAuditEventsRepository({ db }: { db: DbHandle }) {
  return {
    append(values: typeof auditEvents.$inferInsert): void {
      db.insert(auditEvents).values(values).run();
    },

    /** Newest first. */
    page(f: AuditFilters, page: PageWindow): PageOf<AuditEventWithPath> {
      const where = and(
        f.projectId === undefined ? undefined : eq(auditEvents.projectId, f.projectId),
        entityFilter(f.entity),
        f.after ? gte(auditEvents.createdAt, f.after) : undefined,
        f.before ? lte(auditEvents.createdAt, f.before) : undefined,
      );
      const query = db
        .select({ event: auditEvents, namespace: projects.namespace, path: projects.path })
        .from(auditEvents)
        .leftJoin(projects, eq(projects.id, auditEvents.projectId))
        .where(where)
        .orderBy(desc(auditEvents.id));
      const { rows, total } = paginate(db, query, { table: auditEvents, where }, page);
      return {
        rows: rows.map((r) => ({
          event: r.event,
          projectPath: r.namespace === null ? null : `${r.namespace}/${r.path}`,
        })),
        total,
      };
    },
  };
}
