// Deployments: one per start job with an environment, numbered per project, following the job's status.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { DeploymentRow } from "./rows.ts";
import { deployments } from "./schema.ts";

export type NewDeployment = Omit<DeploymentRow, "id" | "iid" | "createdAt" | "updatedAt" | "finishedAt" | "status">;

export interface DeploymentFilters {
  environmentId?: number;
  status?: string;
  orderBy: "id" | "iid" | "created_at" | "updated_at" | "finished_at";
  sort: "asc" | "desc";
}

const ORDER_COLUMNS = {
  id: deployments.id,
  iid: deployments.iid,
  created_at: deployments.createdAt,
  updated_at: deployments.updatedAt,
  finished_at: deployments.finishedAt,
};

export function createDeploymentsRepository({ db }: { db: DbHandle }) {
  return {
    /** Inserts a `created` deployment with the project's next iid. */
    insert(values: NewDeployment): DeploymentRow {
      const next = sql<number>`(select coalesce(max(${deployments.iid}), 0) + 1 from ${deployments} where ${deployments.projectId} = ${values.projectId})`;
      return db
        .insert(deployments)
        .values({ ...values, iid: next })
        .returning()
        .get();
    },

    findInProject: (projectId: number, id: number): DeploymentRow | null =>
      db
        .select()
        .from(deployments)
        .where(and(eq(deployments.projectId, projectId), eq(deployments.id, id)))
        .get() ?? null,

    ofJob: (jobId: number): DeploymentRow | null =>
      db.select().from(deployments).where(eq(deployments.jobId, jobId)).get() ?? null,

    page(projectId: number, f: DeploymentFilters, page: PageWindow): PageOf<DeploymentRow> {
      const where = and(
        eq(deployments.projectId, projectId),
        f.environmentId !== undefined ? eq(deployments.environmentId, f.environmentId) : undefined,
        f.status ? eq(deployments.status, f.status) : undefined,
      );
      const column = ORDER_COLUMNS[f.orderBy];
      const query = db
        .select()
        .from(deployments)
        .where(where)
        .orderBy(
          f.sort === "asc" ? asc(column) : desc(column),
          f.sort === "asc" ? asc(deployments.id) : desc(deployments.id),
        );
      return paginate(db, query, { table: deployments, where }, page);
    },

    /** The environment's latest successful deployment (GitLab's `last_deployment`), or null. */
    lastSuccessful: (environmentId: number): DeploymentRow | null =>
      db
        .select()
        .from(deployments)
        .where(and(eq(deployments.environmentId, environmentId), eq(deployments.status, "success")))
        .orderBy(desc(deployments.id))
        .get() ?? null,

    /** The latest successful deployment of each of these environments, by environment id. */
    lastSuccessfulOf(environmentIds: number[]): Map<number, DeploymentRow> {
      const rows = environmentIds.length
        ? db
            .select()
            .from(deployments)
            .where(and(inArray(deployments.environmentId, environmentIds), eq(deployments.status, "success")))
            .orderBy(asc(deployments.id))
            .all()
        : [];
      return new Map(rows.map((row) => [row.environmentId, row]));
    },

    update(id: number, changes: Partial<Pick<DeploymentRow, "status" | "finishedAt">>): DeploymentRow {
      return db
        .update(deployments)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(deployments.id, id))
        .returning()
        .get()!;
    },
  };
}
