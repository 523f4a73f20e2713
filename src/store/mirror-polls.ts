// Projects whose import_url is fetched on an interval (for forges that send no webhooks).
import { and, isNotNull } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import type { ProjectRow } from "./rows.ts";
import { projects } from "./schema.ts";

export function createMirrorPollsRepository({ db }: { db: DbHandle }) {
  return {
    polledProjects: (): ProjectRow[] =>
      db
        .select()
        .from(projects)
        .where(and(isNotNull(projects.importUrl), isNotNull(projects.mirrorPollInterval)))
        .all(),
  };
}
