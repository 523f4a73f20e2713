// Git over smart HTTP for each project's repository (`git clone <url>/<ns>/<project>.git`): runners clone with
// `gitlab-ci-token:<job token>`, users with a personal access token (Reporter or more); pushes go to push.ts.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Hono } from "hono";
import { findProject, resolveProject } from "../../auth/access.ts";
import type { Actor } from "../../auth/actor.ts";
import { authenticateJobToken, jobActor } from "../../auth/authenticate.ts";
import { authenticateToken } from "../../auth/tokens.ts";
import type { ProjectRow } from "../../store/rows.ts";
import { type ApiContext, type ApiEnv, clientIp } from "../env.ts";
import { runGitHttpBackend } from "./cgi.ts";
import { servePush } from "./push.ts";

const REPO = "/:namespace/:repo{[^/]+\\.git}";
const NOT_FOUND = "The project you were looking for could not be found.";

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

/**
 * Who is cloning: anonymous (no credentials), a running job by `gitlab-ci-token:<job token>`, or a user by a
 * personal access token as the password; `invalid` for credentials that do not check out.
 */
function gitActor(c: ApiContext): Actor | null | "invalid" {
  const creds = basicCredentials(c.req.header("authorization"));
  if (!creds) return null;
  const db = c.get("deps").store.db;
  if (creds.user === "gitlab-ci-token") {
    const found = authenticateJobToken(db, creds.password);
    return found ? jobActor(found) : "invalid";
  }
  const found = authenticateToken(db, creds.password);
  if (found?.user.state !== "active") return "invalid";
  return { user: found.user, via: "token", scopes: ["read_api"], tokenId: found.token.id };
}

/** The project if the caller may read its code (Reporter and up, a job of it, or anyone on a public one). */
function readableProject(c: ApiContext): { project: ProjectRow; user: string } | Response {
  const actor = gitActor(c);
  if (actor === "invalid") return challenge("HTTP Basic: Access denied");
  const path = (c.req.param("repo") ?? "").replace(/\.git$/, "");
  const ref = `${c.req.param("namespace") ?? ""}/${path}`;
  const access = resolveProject(c.get("deps").store.db, actor, ref, "read_pipeline");
  if (access.ok) return { project: access.project, user: actor ? actor.user.username : "" };
  if (access.decision === "unauthorized") return challenge("HTTP Basic: Access denied");
  if (access.decision === "forbidden") return refuse(403, "You are not allowed to download code from this project.");
  return refuse(404, NOT_FOUND);
}

async function serve(c: ApiContext, suffix: "/info/refs" | "/git-upload-pack"): Promise<Response> {
  const found = readableProject(c);
  if (found instanceof Response) return found;
  if (suffix === "/info/refs" && c.req.query("service") === "git-receive-pack")
    return servePush(c, found.project, basicCredentials(c.req.header("authorization")), "/info/refs");
  if (suffix === "/info/refs" && c.req.query("service") !== "git-upload-pack") {
    return refuse(403, "Only service=git-upload-pack (fetch) and service=git-receive-pack (push) are offered here.");
  }
  const root = join(resolve(c.get("deps").config.data_dir), "repos");
  if (!existsSync(join(root, `${found.project.id}.git`, "HEAD")))
    return refuse(
      404,
      "The project has no repository yet (nothing was pushed to it, or no pipeline fetched its import_url).",
    );
  return runGitHttpBackend({
    projectRoot: root,
    pathInfo: `/${found.project.id}.git${suffix}`,
    request: c.req.raw,
    remoteUser: found.user,
    remoteAddr: clientIp(c) ?? "",
  });
}

export function gitHttpRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get(`${REPO}/info/refs`, (c) => serve(c, "/info/refs"));
  app.post(`${REPO}/git-upload-pack`, (c) => serve(c, "/git-upload-pack"));
  app.post(`${REPO}/git-receive-pack`, (c) => {
    const path = (c.req.param("repo") ?? "").replace(/\.git$/, "");
    const project = findProject(c.get("deps").store.db, `${c.req.param("namespace") ?? ""}/${path}`);
    const credentials = basicCredentials(c.req.header("authorization"));
    // Without credentials a missing project looks like any other: git asks for them first.
    if (!project) return credentials ? refuse(404, NOT_FOUND) : challenge("HTTP Basic: Access denied");
    return servePush(c, project, credentials, "/git-receive-pack");
  });
  return app;
}
