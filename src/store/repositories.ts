// Every repository over one database handle, and transactions that hand out repositories bound to the transaction.
import { createAuditEventsRepository } from "./audit-events.ts";
import { createCommitStatusesRepository } from "./commit-statuses.ts";
import type { Db, DbHandle } from "./db.ts";
import { createDeploymentsRepository } from "./deployments.ts";
import { createEnvironmentsRepository } from "./environments.ts";
import { createJobLeasesRepository } from "./job-leases.ts";
import { createJobSessionsRepository } from "./job-sessions.ts";
import { createJobsRepository } from "./jobs.ts";
import { createMembersRepository } from "./members.ts";
import { createMirrorPollsRepository } from "./mirror-polls.ts";
import { createPipelineSchedulesRepository } from "./pipeline-schedules.ts";
import { createPipelinesRepository } from "./pipelines.ts";
import { createProjectsRepository } from "./projects.ts";
import { createProtectedBranchesRepository } from "./protected-branches.ts";
import { createResourceGroupsRepository } from "./resource-groups.ts";
import { createRunnersRepository } from "./runners.ts";
import { createTerminalSessionsRepository } from "./terminal-sessions.ts";
import { createTerminalShareLinksRepository } from "./terminal-share-links.ts";
import { createTokensRepository } from "./tokens.ts";
import { createTraceChunksRepository } from "./trace-chunks.ts";
import { createTriggersRepository } from "./triggers.ts";
import { createUsersRepository } from "./users.ts";
import { createVariablesRepository } from "./variables.ts";
import { createWebSessionsRepository } from "./web-sessions.ts";
import { createWebhooksRepository } from "./webhooks.ts";

export function createRepositories({ db }: { db: DbHandle }) {
  return {
    users: createUsersRepository({ db }),
    tokens: createTokensRepository({ db }),
    webSessions: createWebSessionsRepository({ db }),
    projects: createProjectsRepository({ db }),
    members: createMembersRepository({ db }),
    variables: createVariablesRepository({ db }),
    protectedBranches: createProtectedBranchesRepository({ db }),
    triggers: createTriggersRepository({ db }),
    pipelines: createPipelinesRepository({ db }),
    jobs: createJobsRepository({ db }),
    jobLeases: createJobLeasesRepository({ db }),
    jobSessions: createJobSessionsRepository({ db }),
    traceChunks: createTraceChunksRepository({ db }),
    runners: createRunnersRepository({ db }),
    auditEvents: createAuditEventsRepository({ db }),
    terminalSessions: createTerminalSessionsRepository({ db }),
    terminalShareLinks: createTerminalShareLinksRepository({ db }),
    webhooks: createWebhooksRepository({ db }),
    pipelineSchedules: createPipelineSchedulesRepository({ db }),
    mirrorPolls: createMirrorPollsRepository({ db }),
    commitStatuses: createCommitStatusesRepository({ db }),
    environments: createEnvironmentsRepository({ db }),
    deployments: createDeploymentsRepository({ db }),
    resourceGroups: createResourceGroupsRepository({ db }),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

const bundles = new WeakMap<DbHandle, Repositories>();

/** The repositories over `db`, made once per database. */
export function repositoriesOf(db: DbHandle): Repositories {
  const known = bundles.get(db);
  if (known) return known;
  const repos = createRepositories({ db });
  bundles.set(db, repos);
  return repos;
}

/** Runs `work` in one transaction, with repositories bound to it; it all rolls back if `work` throws. */
export function transaction<T>(db: Db, work: (repos: Repositories) => T): T {
  return db.transaction((tx) => work(createRepositories({ db: tx })));
}
