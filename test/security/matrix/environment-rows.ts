// The environment, deployment and resource group routes (API and pages) of the permission matrix: rows made in
// the store (an environment per stop call, so each actor stops its own), with GitLab's least roles.
import { environmentSlug } from "../../../src/domain/environment-name.ts";
import type { Row } from "./api-table.ts";
import { api, page } from "./expect.ts";
import type { PageRow } from "./page-table.ts";
import { unique, type World } from "./world.ts";

const pid = (w: World) => `/projects/${w.project.id}`;
const base = (w: World) => `/${w.project.path}`;

/** A new environment of the matrix project (no on_stop job: stopping it stops it at once). */
function freshEnvironment(w: World): number {
  const name = unique("review/");
  return w.t.porthole.store.repos.environments.findOrCreate(w.project.id, name, environmentSlug(name), "development")
    .id;
}

let deployment: number | undefined;
/** One deployment of the matrix project, for the read routes. */
function readableDeployment(w: World): number {
  deployment ??= w.t.porthole.store.repos.deployments.insert({
    projectId: w.project.id,
    environmentId: freshEnvironment(w),
    jobId: null,
    ref: "main",
    tag: false,
    sha: "0".repeat(40),
    userId: null,
    onStop: null,
  }).id;
  return deployment;
}

function resourceGroup(w: World): string {
  return w.t.porthole.store.repos.resourceGroups.findOrCreate(w.project.id, "matrix").key;
}

export const ENVIRONMENT_ROWS: Row[] = [
  {
    route: "GET /api/v4/projects/:id/environments",
    expect: api("reporter"),
    call: (w) => ({ path: `${pid(w)}/environments` }),
  },
  {
    route: "GET /api/v4/projects/:id/environments/:environment_id{[0-9]+}",
    expect: api("reporter"),
    call: (w) => ({ path: `${pid(w)}/environments/${freshEnvironment(w)}` }),
  },
  {
    route: "POST /api/v4/projects/:id/environments/:environment_id{[0-9]+}/stop",
    expect: api("developer"),
    call: (w) => ({ path: `${pid(w)}/environments/${freshEnvironment(w)}/stop` }),
  },
  {
    route: "GET /api/v4/projects/:id/deployments",
    expect: api("reporter"),
    call: (w) => ({ path: `${pid(w)}/deployments` }),
  },
  {
    route: "GET /api/v4/projects/:id/deployments/:deployment_id{[0-9]+}",
    expect: api("reporter"),
    call: (w) => ({ path: `${pid(w)}/deployments/${readableDeployment(w)}` }),
  },
  {
    route: "GET /api/v4/projects/:id/resource_groups",
    expect: api("developer"),
    call: (w) => ({ path: `${pid(w)}/resource_groups` }),
  },
  {
    route: "GET /api/v4/projects/:id/resource_groups/:key",
    expect: api("developer"),
    call: (w) => ({ path: `${pid(w)}/resource_groups/${resourceGroup(w)}` }),
  },
  {
    route: "GET /api/v4/projects/:id/resource_groups/:key/upcoming_jobs",
    expect: api("developer"),
    call: (w) => ({ path: `${pid(w)}/resource_groups/${resourceGroup(w)}/upcoming_jobs` }),
  },
  {
    route: "PUT /api/v4/projects/:id/resource_groups/:key",
    expect: api("developer"),
    call: (w) => ({ path: `${pid(w)}/resource_groups/${resourceGroup(w)}`, body: { process_mode: "oldest_first" } }),
  },
];

export const ENVIRONMENT_PAGE_ROWS: PageRow[] = [
  {
    route: "GET /:namespace/:project/-/environments",
    expect: page("reporter"),
    call: (w) => ({ path: `${base(w)}/-/environments` }),
  },
  {
    route: "POST /:namespace/:project/-/environments/:id{[0-9]+}/stop",
    expect: page("developer", 303),
    call: (w) => ({ path: `${base(w)}/-/environments/${freshEnvironment(w)}/stop`, form: {} }),
  },
];
