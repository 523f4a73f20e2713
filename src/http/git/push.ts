// `git push` to porthole (`/<ns>/<project>.git`, receive-pack through `git http-backend`): a personal access token
// of a Developer or more, protected branches only for Maintainers; each changed branch or tag then starts a pipeline.
import { join, resolve } from "node:path";
import { gunzipSync } from "bun";
import type { Actor } from "../../auth/actor.ts";
import { audit } from "../../auth/audit.ts";
import { accessLevel, can, scopeAllows } from "../../auth/permissions.ts";
import { isProtectedRef, listProtectedBranches, PROTECTED_BRANCH_ACCESS_LEVEL } from "../../auth/protected-branches.ts";
import { authenticateToken, type TokenScope } from "../../auth/tokens.ts";
import { createGitMirror } from "../../queue/git-mirror.ts";
import type { ProjectRow, UserRow } from "../../store/rows.ts";
import { type ApiContext, clientIp } from "../env.ts";
import { runGitHttpBackend } from "./cgi.ts";
import { parseReceiveRequest, type RefUpdate, refusalReport } from "./receive-pack.ts";

const RECEIVE_CONFIG = ["http.receivepack=true", "receive.advertisePushOptions=true"];
const ZERO = /^0+$/;

const text = (status: number, message: string, headers: Record<string, string> = {}) =>
  new Response(`${message}\n`, { status, headers });
const challenge = (message: string) => text(401, message, { "WWW-Authenticate": 'Basic realm="porthole"' });

/** Pushes to one project run one at a time, so the refs compared before and after belong to that push alone. */
const running = new Map<number, Promise<unknown>>();
function serialized<T>(projectId: number, work: () => Promise<T>): Promise<T> {
  const next = (running.get(projectId) ?? Promise.resolve()).then(work, work);
  const settled = next.catch(() => undefined);
  running.set(projectId, settled);
  void settled.then(() => {
    if (running.get(projectId) === settled) running.delete(projectId);
  });
  return next;
}

type Pusher = { ok: true; user: UserRow; level: number } | { ok: false; response: Response };

/** The user a push acts as: a personal access token with `api` scope of a Developer or more. */
function authorizePush(c: ApiContext, project: ProjectRow, password: string | null, username: string): Pusher {
  if (password === null) return { ok: false, response: challenge("HTTP Basic: Access denied") };
  if (username === "gitlab-ci-token")
    return { ok: false, response: text(403, "CI_JOB_TOKEN may clone and fetch, not push.") };
  const db = c.get("deps").store.db;
  const found = authenticateToken(db, password);
  if (!found) return { ok: false, response: challenge("HTTP Basic: Access denied") };
  const actor: Actor = {
    user: found.user,
    via: "token",
    scopes: found.token.scopes as TokenScope[],
    tokenId: found.token.id,
  };
  const level = accessLevel(db, found.user, project);
  const ctx = { project, level };
  if (!can(actor, "read_project", ctx))
    return { ok: false, response: text(404, "The project you were looking for could not be found.") };
  if (!can(actor, "push_code", ctx) || !scopeAllows(actor, "POST"))
    return { ok: false, response: text(403, "You are not allowed to push code to this project.") };
  if (project.importUrl)
    return {
      ok: false,
      response: text(403, "This project mirrors its import_url: push there; the forge's webhook brings the push here."),
    };
  return { ok: true, user: found.user, level };
}

/** Why an update is refused by the protected-branch rules, or null. */
function protectionProblem(patterns: string[], user: UserRow, level: number, update: RefUpdate): string | null {
  if (!update.ref.startsWith("refs/heads/")) return null;
  const branch = { name: update.ref.slice(11), tag: false };
  if (!isProtectedRef(patterns, branch)) return null;
  if (ZERO.test(update.after)) return "protected branch: it cannot be deleted by a push";
  if (user.admin || level >= PROTECTED_BRANCH_ACCESS_LEVEL) return null;
  return "protected branch: only Maintainers may push to it";
}

/** `GET …/info/refs?service=git-receive-pack` and `POST …/git-receive-pack` for a project hosted here. */
export async function servePush(
  c: ApiContext,
  project: ProjectRow,
  credentials: { user: string; password: string } | null,
  suffix: "/info/refs" | "/git-receive-pack",
): Promise<Response> {
  const pusher = authorizePush(c, project, credentials?.password ?? null, credentials?.user ?? "");
  if (!pusher.ok) return pusher.response;
  const deps = c.get("deps");
  const root = join(resolve(deps.config.data_dir), "repos");
  const mirror = createGitMirror(root);
  await mirror.ensureRepository(project.id, project.defaultBranch);
  const cgi = {
    projectRoot: root,
    pathInfo: `/${project.id}.git${suffix}`,
    request: c.req.raw,
    remoteUser: pusher.user.username,
    remoteAddr: clientIp(c) ?? "",
    config: RECEIVE_CONFIG,
  };
  if (suffix === "/info/refs") return runGitHttpBackend(cgi);

  const body = new Uint8Array(await c.req.raw.arrayBuffer());
  const gzipped = /gzip/i.test(c.req.header("content-encoding") ?? "");
  const request = parseReceiveRequest(gzipped ? gunzipSync(body) : body);
  if (!request) return text(400, "Not a git-receive-pack request.");
  const patterns = listProtectedBranches(deps.store.db, project.id).map((row) => row.name);
  const refused = new Map<string, string>();
  for (const update of request.updates) {
    const problem = protectionProblem(patterns, pusher.user, pusher.level, update);
    if (problem) refused.set(update.ref, problem);
  }
  const auditBase = { actor: { user: pusher.user }, projectId: project.id, ip: clientIp(c) };
  if (refused.size > 0) {
    audit(deps.store.db, {
      ...auditBase,
      action: "git_push_refused",
      details: { refs: Object.fromEntries(refused) },
    });
    return refusalReport(request, refused);
  }
  // GitLab's default for protected branches: no force push, for Maintainers neither. git can only refuse non-fast-
  // forwards for the whole push, so a push that touches a protected branch may force no branch.
  const touchesProtected = request.updates.some(
    (u) => u.ref.startsWith("refs/heads/") && isProtectedRef(patterns, { name: u.ref.slice(11), tag: false }),
  );
  const config = touchesProtected ? [...RECEIVE_CONFIG, "receive.denyNonFastForwards=true"] : RECEIVE_CONFIG;
  return serialized(project.id, async () => {
    const before = await mirror.refs(project.id);
    const answer = await runGitHttpBackend({ ...cgi, config, body });
    // receive-pack has updated the refs once its report is written in full.
    const report = new Uint8Array(await answer.arrayBuffer());
    const after = await mirror.refs(project.id);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (ref) => before.get(ref) !== after.get(ref),
    );
    if (changed.length > 0) audit(deps.store.db, { ...auditBase, action: "git_push", details: { refs: changed } });
    for (const ref of changed) {
      await deps.pipelines.push(
        {
          projectId: project.id,
          ref,
          before: before.get(ref) ?? "0".repeat(40),
          after: after.get(ref) ?? "0".repeat(40),
          userId: pusher.user.id,
          pushOptions: request.pushOptions,
          fetch: false,
        },
        "git_push",
      );
    }
    return new Response(report, { status: answer.status, headers: answer.headers });
  });
}
