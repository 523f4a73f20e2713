// Per-request memoised row lookups for serializers (a job list touches the same pipeline, project and user often).
import { externalUrl } from "../../config/schema.ts";
import type { ArtifactStore } from "../../store/artifacts.ts";
import { pipelineCoverage } from "../../store/coverage.ts";
import type { Db } from "../../store/db.ts";
import { repositoriesOf } from "../../store/repositories.ts";
import type { JobArtifactRow, PipelineRow, ProjectRow, RunnerRow, UserRow } from "../../store/rows.ts";
import type { AppDeps } from "../env.ts";

/** What serializers need besides the row itself. Make one per request: rows are cached for its duration. */
export interface Lookups {
  /** external_url without a trailing slash, for `web_url` fields. */
  baseUrl: string;
  user(id: number | null): UserRow | null;
  project(id: number): ProjectRow | null;
  pipeline(id: number): PipelineRow | null;
  runner(id: number | null): RunnerRow | null;
  /** The average coverage of the pipeline's jobs, or null. */
  pipelineCoverage(pipelineId: number): number | null;
  /** The job's stored, unexpired artifacts (none when the lookups have no artifact store). */
  artifacts(jobId: number): JobArtifactRow[];
  /** The user whose username is the project's namespace (porthole's namespaces are users). */
  namespaceOwner(namespace: string): UserRow | null;
}

export function createLookups(db: Db, baseUrl: string, store?: ArtifactStore): Lookups {
  const memo = <K, V>(load: (key: K) => V | null) => {
    const cache = new Map<K, V | null>();
    return (key: K): V | null => {
      if (!cache.has(key)) cache.set(key, load(key) ?? null);
      return cache.get(key)!;
    };
  };
  const repos = repositoriesOf(db);
  const user = memo((id: number) => repos.users.findById(id));
  const runner = memo((id: number) => repos.runners.findById(id));
  return {
    baseUrl,
    user: (id) => (id === null ? null : user(id)),
    project: memo((id: number) => repos.projects.findById(id)),
    pipeline: memo((id: number) => repos.pipelines.findById(id)),
    runner: (id) => (id === null ? null : runner(id)),
    pipelineCoverage: (pipelineId) => pipelineCoverage(db, pipelineId),
    artifacts: (jobId) => store?.list(jobId) ?? [],
    namespaceOwner: memo((namespace: string) => repos.users.findByExactUsername(namespace)),
  };
}

/** Lookups for one request of the app. */
export function lookupsFor(deps: AppDeps): Lookups {
  return createLookups(deps.store.db, externalUrl(deps.config), deps.artifacts);
}
