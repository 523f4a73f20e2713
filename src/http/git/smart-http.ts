// Git over smart HTTP for each project's repository (`git clone <url>/<ns>/<project>.git`): runners clone with
// `gitlab-ci-token:<job token>`, users with a personal access token (Reporter or more); pushes go to push.ts.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Hono } from "hono";
import { accessLevel, can } from "../../auth/permissions.ts";
import { constantTimeEqual, hashToken } from "../../auth/secrets.ts";
import { authenticateToken } from "../../auth/tokens.ts";
import { createGitAccessStore } from "../../store/git-access.ts";
import type { ProjectRow } from "../../store/rows.ts";
import { type ApiContext, type ApiEnv, clientIp } from "../env.ts";
import { runGitHttpBackend } from "./cgi.ts";
import { servePush } from "./push.ts";

const REPO = "/:namespace/:repo{[^/]+\\.git}";

type Access = { ok: true; user: string } | { ok: false; response: Response };

const challenge = (message: string) =>
  new Response(`${message}\n`, { status: 401, headers: { "WWW-Authenticate": 'Basic realm="porthole"' } });
const refuse = (status: 403 | 404, message: string) => new Response(`${message}\n`, { status });

function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const encoded = header?.match(/^Basic\s+(\S+)\s*$/i)?.[1];
  if (!encoded) return null;
  const text = Buffer.from(encoded, "base64").toString("utf8");
  const colon = text.indexOf(":");
  return colon < 0 ? null : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Whether the caller may read the project's repository; git retries with credentials after a 401. */
function authorize(c: ApiContext, project: ProjectRow | null): Access {
  const db = c.get("deps").store.db;
  const creds = basicCredentials(c.req.header("authorization"));
  if (!creds) {
    if (project && can(null, "read_pipeline", { project, level: 0 })) return { ok: true, user: "" };
    return { ok: false, response: challenge("HTTP Basic: Access denied") };
  }
  if (creds.user === "gitlab-ci-token") {
    const hash = hashToken(creds.password);
    const job = creds.password.length <= 256 ? createGitAccessStore(db).findJobByTokenHash(hash) : null;
    const live =
      job?.tokenHash && constantTimeEqual(job.tokenHash, hash) && ["running", "canceled"].includes(job.status);
    if (!job || !live || !project || job.projectId !== project.id)
      return {
        ok: false,
        response: challenge("HTTP Basic: Access denied: the job token is not valid for this project"),
      };
    return { ok: true, user: `job-${job.id}` };
  }
  const found = authenticateToken(db, creds.password);
  if (found?.user.state !== "active") return { ok: false, response: challenge("HTTP Basic: Access denied") };
  if (!project) return { ok: false, response: refuse(404, "The project you were looking for could not be found.") };
  const actor = { user: found.user, via: "token" as const, scopes: ["read_api" as const], tokenId: found.token.id };
  const ctx = { project, level: accessLevel(db, found.user, project) };
  if (can(actor, "read_pipeline", ctx)) return { ok: true, user: found.user.username };
  return can(actor, "read_project", ctx)
    ? { ok: false, response: refuse(403, "You are not allowed to download code from this project.") }
    : { ok: false, response: refuse(404, "The project you were looking for could not be found.") };
}

async function serve(c: ApiContext, suffix: "/info/refs" | "/git-upload-pack"): Promise<Response> {
  const namespace = c.req.param("namespace") ?? "";
  const path = (c.req.param("repo") ?? "").replace(/\.git$/, "");
  const project = createGitAccessStore(c.get("deps").store.db).findProject(namespace, path);
  const access = authorize(c, project);
  if (!access.ok) return access.response;
  if (!project) return refuse(404, "The project you were looking for could not be found.");
  if (suffix === "/info/refs" && c.req.query("service") === "git-receive-pack")
    return servePush(c, project, basicCredentials(c.req.header("authorization")), "/info/refs");
  if (suffix === "/info/refs" && c.req.query("service") !== "git-upload-pack") {
    return refuse(403, "Only service=git-upload-pack (fetch) and service=git-receive-pack (push) are offered here.");
  }
  const root = join(resolve(c.get("deps").config.data_dir), "repos");
  if (!existsSync(join(root, `${project.id}.git`, "HEAD")))
    return refuse(
      404,
      "The project has no repository yet (nothing was pushed to it, or no pipeline fetched its import_url).",
    );
  return runGitHttpBackend({
    projectRoot: root,
    pathInfo: `/${project.id}.git${suffix}`,
    request: c.req.raw,
    remoteUser: access.user,
    remoteAddr: clientIp(c) ?? "",
  });
}

export function gitHttpRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get(`${REPO}/info/refs`, (c) => serve(c, "/info/refs"));
  app.post(`${REPO}/git-upload-pack`, (c) => serve(c, "/git-upload-pack"));
  app.post(`${REPO}/git-receive-pack`, (c) => {
    const project = createGitAccessStore(c.get("deps").store.db).findProject(
      c.req.param("namespace") ?? "",
      (c.req.param("repo") ?? "").replace(/\.git$/, ""),
    );
    if (!project) return refuse(404, "The project you were looking for could not be found.");
    return servePush(c, project, basicCredentials(c.req.header("authorization")), "/git-receive-pack");
  });
  return app;
}
