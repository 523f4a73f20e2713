// Repository reads of mirrored projects: branches, tags, commits (with last_pipeline) and files at a ref.
import { Hono } from "hono";
import { z } from "zod";
import { ROLES } from "../../auth/permissions.ts";
import { isProtectedRef, PROTECTED_BRANCH_ACCESS_LEVEL } from "../../auth/protected-branches.ts";
import { badRequest, notFound } from "../../domain/errors.ts";
import type { RepositoryReader } from "../../queue/repository-reader.ts";
import type { ApiContext, ApiEnv } from "../env.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zText } from "../middleware/validate.ts";
import { lookupsFor } from "../serializers/lookups.ts";
import {
  type BranchFacts,
  branchEntity,
  commitDetail,
  commitEntity,
  fileEntity,
  tagEntity,
} from "../serializers/repository.ts";
import { statusesOf } from "./commit-statuses.ts";
import { loadProject, type ProjectAccess } from "./guard.ts";

const commitsSchema = z.object({
  ref_name: zText().optional(),
  path: zText().optional(),
  since: zText().optional(),
  until: zText().optional(),
});
const fileSchema = z.object({ ref: zText() });
/** Files answered in JSON (base64) at most this large; `…/raw` streams any size. */
const MAX_INLINE_FILE_BYTES = 10 * 1024 * 1024;
const searchSchema = z.object({ search: zText().optional() });

/** The route's project, for reading code, and its mirror; 404 for a project without a repository. */
async function loadRepository(c: ApiContext): Promise<ProjectAccess & { repo: RepositoryReader }> {
  const access = loadProject(c, "read_code");
  const repo = await c.get("deps").pipelines.repository(access.project.id, access.actor?.user.id ?? null);
  if (!repo) throw notFound("Repository");
  return { ...access, repo };
}

/** Answers `items` a page at a time (lists the mirror reads whole: branches, tags). */
function pageAll<T>(c: ApiContext, params: Record<string, unknown>, items: T[]): Response {
  const page = pageOf(params);
  return paginated(c, page, items.length, items.slice(page.offset, page.offset + page.perPage));
}

/** For each branch name: merged into the default branch, protected, default, and whether the caller may push. */
async function branchFacts(c: ApiContext, access: ProjectAccess & { repo: RepositoryReader }) {
  const patterns = c
    .get("deps")
    .store.repos.protectedBranches.ofProject(access.project.id)
    .map((b) => b.name);
  const merged = await access.repo.mergedInto(access.project.defaultBranch);
  const viaToken = access.actor?.via === "job" || access.actor?.via === "trigger";
  const admin = access.actor?.user.admin === true && !viaToken;
  return (name: string): BranchFacts => {
    const isProtected = isProtectedRef(patterns, { name, tag: false });
    const least = isProtected ? PROTECTED_BRANCH_ACCESS_LEVEL : ROLES.developer;
    return {
      merged: merged.has(name) && name !== access.project.defaultBranch,
      protected: isProtected,
      default: name === access.project.defaultBranch,
      canPush: !viaToken && (admin || access.level >= least),
    };
  };
}

export function repositoryRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get("/projects/:id/repository/branches", async (c) => {
    const params = await readParams(c);
    const { search } = parseParams(searchSchema, params);
    const access = await loadRepository(c);
    const facts = await branchFacts(c, access);
    const look = lookupsFor(c.get("deps"));
    const branches = (await access.repo.branches()).filter((b) => !search || b.name.includes(search));
    return pageAll(
      c,
      params,
      branches.map((b) => branchEntity(b, facts(b.name), access.project, look)),
    );
  });

  app.get("/projects/:id/repository/branches/:branch{.+}", async (c) => {
    const access = await loadRepository(c);
    const name = c.req.param("branch");
    const branch = (await access.repo.branches()).find((b) => b.name === name);
    if (!branch) throw notFound("Branch");
    return c.json(
      branchEntity(branch, (await branchFacts(c, access))(name), access.project, lookupsFor(c.get("deps"))),
    );
  });

  app.get("/projects/:id/repository/tags", async (c) => {
    const params = await readParams(c);
    const { search } = parseParams(searchSchema, params);
    const access = await loadRepository(c);
    const look = lookupsFor(c.get("deps"));
    const tags = (await access.repo.tags()).filter((t) => !search || t.name.includes(search));
    return pageAll(
      c,
      params,
      tags.map((t) => tagEntity(t, access.project, look)),
    );
  });

  app.get("/projects/:id/repository/tags/:tag{.+}", async (c) => {
    const access = await loadRepository(c);
    const tag = (await access.repo.tags()).find((t) => t.name === c.req.param("tag"));
    if (!tag) throw notFound("Tag");
    return c.json(tagEntity(tag, access.project, lookupsFor(c.get("deps"))));
  });

  app.get("/projects/:id/repository/commits", async (c) => {
    const params = await readParams(c);
    const f = parseParams(commitsSchema, params);
    const page = pageOf(params);
    const access = await loadRepository(c);
    const listed = await access.repo.commits({
      ref: f.ref_name ?? access.project.defaultBranch,
      path: f.path,
      since: f.since,
      until: f.until,
      skip: page.offset,
      limit: page.perPage,
    });
    if (!listed) throw notFound("Reference");
    const look = lookupsFor(c.get("deps"));
    return paginated(
      c,
      page,
      listed.total,
      listed.commits.map((commit) => commitEntity(commit, access.project, look)),
    );
  });

  app.get("/projects/:id/repository/commits/:sha{[^/]+}", async (c) => {
    const access = await loadRepository(c);
    const commit = await access.repo.commit(c.req.param("sha"));
    if (!commit) throw notFound("Commit");
    const last = statusesOf(c).latestPipeline(access.project.id, { sha: commit.id });
    const stats = await access.repo.stats(commit.id);
    return c.json(commitDetail(commit, stats, access.project, last, lookupsFor(c.get("deps"))));
  });

  const readFile = async (c: ApiContext) => {
    const { ref } = parseParams(fileSchema, await readParams(c));
    const access = await loadRepository(c);
    const file = await access.repo.file(ref, c.req.param("file_path") ?? "");
    if (!file) throw notFound("File");
    // GitLab's file headers (a HEAD request reads only these); names and refs percent-encoded beyond ASCII.
    c.header("X-Gitlab-File-Name", encodeURI(file.path.split("/").pop()!));
    c.header("X-Gitlab-File-Path", encodeURI(file.path));
    c.header("X-Gitlab-Ref", encodeURI(ref));
    c.header("X-Gitlab-Size", String(file.size));
    c.header("X-Gitlab-Blob-Id", file.blobId);
    c.header("X-Gitlab-Commit-Id", file.commitId);
    c.header("X-Gitlab-Last-Commit-Id", file.lastCommitId);
    return { file, ref };
  };
  app.get("/projects/:id/repository/files/:file_path{.+}/raw", async (c) => {
    const { file } = await readFile(c);
    c.header("Content-Type", "text/plain; charset=utf-8");
    c.header("Content-Disposition", "attachment");
    return c.body(file.stream());
  });
  app.get("/projects/:id/repository/files/:file_path{.+}", async (c) => {
    const { file, ref } = await readFile(c);
    if (file.size > MAX_INLINE_FILE_BYTES) {
      throw badRequest(`${file.path} is ${file.size} bytes, more than ${MAX_INLINE_FILE_BYTES}: read it from …/raw`);
    }
    return c.json(fileEntity(file, await file.read(), ref));
  });
  return app;
}
