// The terminal pages of the permission matrix: recorded sessions (player page and cast, Reporters and up) and
// read-only share links (made and revoked by Maintainers, on the job page and through the API).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { recordOpen } from "../../../src/session/audit.ts";
import { createShareLink } from "../../../src/session/share-links.ts";
import type { Row } from "./api-table.ts";
import { api, page } from "./expect.ts";
import type { PageRow } from "./page-table.ts";
import type { World } from "./world.ts";

let recorded: { job: number; session: number } | undefined;
/** A job of the world's project with one recorded terminal session, made on first use. */
async function recordedSession(w: World): Promise<{ job: number; session: number }> {
  if (!recorded) {
    const job = (await w.freshPipeline()).jobs[0]!.id;
    const recordingPath = `recordings/job-${job}-matrix.cast`;
    mkdirSync(join(w.t.dataDir, "recordings"), { recursive: true });
    writeFileSync(join(w.t.dataDir, recordingPath), '{"version":3,"term":{"cols":80,"rows":24}}\n');
    const session = recordOpen(w.t.porthole.store.db, {
      jobId: job,
      projectId: w.project.id,
      userId: w.who.owner.userId,
      mode: "rw",
      subprotocol: "porthole.terminal.v1",
      remoteAddress: null,
      userAgent: null,
      recordingPath,
    });
    recorded = { job, session };
  }
  return recorded;
}
const sessionPath = async (w: World) => {
  const { job, session } = await recordedSession(w);
  return `/${w.project.path}/-/jobs/${job}/terminal_sessions/${session}`;
};

export const TERMINAL_PAGE_ROWS: PageRow[] = [
  {
    route: "GET /:namespace/:project/-/jobs/:id{[0-9]+}/terminal_sessions/:session{[0-9]+}",
    expect: page("reporter"),
    call: async (w) => ({ path: await sessionPath(w) }),
  },
  {
    route: "GET /:namespace/:project/-/jobs/:id{[0-9]+}/terminal_sessions/:session{[0-9]+}/recording.cast",
    expect: page("reporter"),
    call: async (w) => ({ path: `${await sessionPath(w)}/recording.cast` }),
  },
  {
    route: "POST /:namespace/:project/-/jobs/:id{[0-9]+}/terminal/share_links",
    expect: page("maintainer", 303),
    call: async (w) => ({
      path: `/${w.project.path}/-/jobs/${(await recordedSession(w)).job}/terminal/share_links`,
      form: { expires_in: "1h" },
    }),
  },
  {
    route: "POST /:namespace/:project/-/jobs/:id{[0-9]+}/terminal/share_links/:link{[0-9]+}/revoke",
    expect: page("maintainer", 303),
    call: async (w) => {
      const { job } = await recordedSession(w);
      const values = { jobId: job, projectId: w.project.id, createdBy: w.who.owner.userId, seconds: 60 };
      const { link } = createShareLink(w.t.porthole.store.db, values);
      return { path: `/${w.project.path}/-/jobs/${job}/terminal/share_links/${link.id}/revoke` };
    },
  },
];

const linksPath = async (w: World) =>
  `/projects/${w.project.id}/jobs/${(await recordedSession(w)).job}/terminal/share_links`;

/** The API of the same links: Maintainers and up. */
export const TERMINAL_API_ROWS: Row[] = [
  {
    route: "GET /api/v4/projects/:id/jobs/:job_id{[0-9]+}/terminal/share_links",
    expect: api("maintainer"),
    call: async (w) => ({ path: await linksPath(w) }),
  },
  {
    route: "POST /api/v4/projects/:id/jobs/:job_id{[0-9]+}/terminal/share_links",
    expect: api("maintainer", 201),
    call: async (w) => ({ path: await linksPath(w), body: { expires_in: "1h" } }),
  },
  {
    route: "DELETE /api/v4/projects/:id/jobs/:job_id{[0-9]+}/terminal/share_links/:link_id{[0-9]+}",
    expect: api("maintainer", 204),
    call: async (w) => {
      const { job } = await recordedSession(w);
      const values = { jobId: job, projectId: w.project.id, createdBy: w.who.owner.userId, seconds: 60 };
      return { path: `${await linksPath(w)}/${createShareLink(w.t.porthole.store.db, values).link.id}` };
    },
  },
];
