// A bare mirror of each project's git source under data_dir/repos: resolves refs to shas and reads files at a sha.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { badRequest } from "../domain/errors.ts";
import type { ServedFiles } from "../pipeline/worker/compile-pool.ts";
import { isolatedGitEnv } from "../shared/git-env.ts";
import { processOutput } from "../shared/process-output.ts";
import { IMPORT_REFUSED, type ImportAllowlist, importTarget, pinPublicImport } from "./import-target.ts";
import { type RepositoryReader, repositoryReader } from "./repository-reader.ts";

const GIT_ENV = isolatedGitEnv();

async function git(args: string[], cwd?: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const proc = Bun.spawn(["git", ...args], { cwd, env: GIT_ENV, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const { stdout, stderr, code } = await processOutput(proc);
  return { ok: code === 0, stdout, stderr };
}

export interface ResolvedRef {
  sha: string;
  tag: boolean;
}

export interface GitMirror {
  /**
   * Fetches the project's source and resolves `ref` (branch first, then tag); throws bad_request when unknown.
   * `guarded` (a non-admin acts): a network URL is fetched only from a public address, pinned to the one checked,
   * and every refusal or failure of the fetch reads the same (IMPORT_REFUSED).
   */
  resolve(projectId: number, url: string, ref: string, guarded?: boolean): Promise<ResolvedRef>;
  /** Read access to the files of `sha` (which `resolve` fetched), each read without blocking the event loop. */
  files(projectId: number, sha: string): Promise<ServedFiles>;
  /** Branches, tags, commits and files of the mirror; fetched first when there is no mirror yet. */
  reader(projectId: number, url: string, guarded?: boolean): Promise<RepositoryReader>;
  /**
   * The files at `ref` (branch first, then tag, then a commit's sha) as the mirror last fetched them, without
   * fetching; null when the mirror has no such ref. For the compiler's `include:project`.
   */
  filesAtRef(projectId: number, ref: string): Promise<ServedFiles | null>;
  /** Every tag's name; empty when there is no repository. */
  tagNames(projectId: number): Promise<string[]>;
  /** Fetches the project's source (as `resolve` does) without resolving a ref. */
  fetch(projectId: number, url: string, guarded?: boolean): Promise<void>;
  /** Resolves `ref` in the repository as it is (no fetch); null when unknown or there is no repository yet. */
  resolveLocal(projectId: number, ref: string): Promise<ResolvedRef | null>;
  /** The commit `sha` names (an annotated tag's sha peels to its commit), when the repository holds it; else null. */
  commitOf(projectId: number, sha: string): Promise<string | null>;
  /** Whether commit `sha` is `fullRef`'s tip or in its history (a push's sha once later pushes moved the ref on). */
  reachableFrom(projectId: number, sha: string, fullRef: string): Promise<boolean>;
  /** The full message of commit `sha`, or null. */
  commitMessage(projectId: number, sha: string): Promise<string | null>;
  /** Every branch and tag (`refs/heads/…`, `refs/tags/…`) with its sha; empty when there is no repository. */
  refs(projectId: number): Promise<Map<string, string>>;
  /** The bare repository's folder, made (empty, HEAD on `defaultBranch`) when missing: what `git push` writes. */
  ensureRepository(projectId: number, defaultBranch?: string): Promise<string>;
  /** Whether the project has a repository (hosted by pushes or mirrored). */
  hasRepository(projectId: number): boolean;
  /** The paths a push from `before` to `sha` changed; null when the repository lacks either commit. */
  pushChangedPaths(projectId: number, before: string, sha: string): Promise<string[] | null>;
}

export function createGitMirror(reposDir: string, allowlist?: ImportAllowlist): GitMirror {
  const dirOf = (projectId: number) => join(reposDir, `${projectId}.git`);
  const fetching = new Map<number, Promise<void>>();

  const refused = () => badRequest(IMPORT_REFUSED, { base: [IMPORT_REFUSED] });

  /** The `git fetch` source and `-c` settings; local paths (only admins may set them) need no guard. */
  async function source(url: string, guarded: boolean): Promise<{ url: string; config: string[] }> {
    if (!guarded || (importTarget(url) === null && (url.startsWith("/") || /^file:\/\//i.test(url))))
      return { url, config: [] };
    const pinned = await pinPublicImport(url, allowlist);
    if (!pinned) throw refused();
    return pinned;
  }

  async function ensureRepository(projectId: number, defaultBranch = "main"): Promise<string> {
    const dir = dirOf(projectId);
    if (!existsSync(join(dir, "HEAD"))) {
      mkdirSync(dir, { recursive: true });
      const init = await git(["init", "--bare", "--quiet", `--initial-branch=${defaultBranch}`, dir]);
      if (!init.ok) throw new Error(`git init failed: ${init.stderr.trim()}`);
    }
    return dir;
  }

  async function fetch(projectId: number, url: string, guarded: boolean) {
    const from = await source(url, guarded);
    const dir = await ensureRepository(projectId);
    const res = await git(
      [
        ...from.config.flatMap((setting) => ["-c", setting]),
        "fetch",
        "--quiet",
        "--prune",
        "--force",
        "--no-tags",
        from.url,
        "+refs/heads/*:refs/heads/*",
        "+refs/tags/*:refs/tags/*",
      ],
      dir,
    );
    if (!res.ok && guarded) throw refused();
    if (!res.ok) throw badRequest(`Could not fetch the repository ${url}: ${res.stderr.trim().split("\n").pop()}`);
  }

  /** One fetch at a time per project; concurrent pipeline creations share it. */
  async function sharedFetch(projectId: number, url: string, guarded: boolean) {
    const running = fetching.get(projectId);
    const job = running ?? fetch(projectId, url, guarded).finally(() => fetching.delete(projectId));
    if (!running) fetching.set(projectId, job);
    // A guarded caller sharing another caller's fetch still gets only the one refusal.
    await (guarded
      ? job.catch(() => {
          throw refused();
        })
      : job);
  }

  async function resolveLocal(projectId: number, ref: string): Promise<ResolvedRef | null> {
    const dir = dirOf(projectId);
    if (!existsSync(join(dir, "HEAD"))) return null;
    for (const [prefix, tag] of [
      ["refs/heads/", false],
      ["refs/tags/", true],
    ] as const) {
      const res = await git(["rev-parse", "--verify", "--quiet", `${prefix}${ref}^{commit}`], dir);
      if (res.ok) return { sha: res.stdout.trim(), tag };
    }
    return null;
  }

  return {
    async reader(projectId, url, guarded = false) {
      const dir = dirOf(projectId);
      if (!existsSync(join(dir, "HEAD")) || fetching.has(projectId)) await sharedFetch(projectId, url, guarded);
      return repositoryReader(dir);
    },
    async resolve(projectId, url, ref, guarded = false) {
      await sharedFetch(projectId, url, guarded);
      const found = await resolveLocal(projectId, ref);
      if (!found) throw badRequest("Reference not found", { base: ["Reference not found"] });
      return found;
    },
    fetch: (projectId, url, guarded = false) => sharedFetch(projectId, url, guarded),
    resolveLocal,
    ensureRepository,
    hasRepository: (projectId) => existsSync(join(dirOf(projectId), "HEAD")),
    async commitOf(projectId, sha) {
      if (!/^[0-9a-f]{40,64}$/.test(sha)) return null;
      const res = await git(["rev-parse", "--verify", "--quiet", `${sha}^{commit}`], dirOf(projectId));
      return res.ok ? res.stdout.trim() : null;
    },
    async reachableFrom(projectId, sha, fullRef) {
      if (!/^[0-9a-f]{40,64}$/.test(sha) || !/^refs\/(heads|tags)\/[^\s]+$/.test(fullRef)) return false;
      return (await git(["merge-base", "--is-ancestor", sha, fullRef], dirOf(projectId))).ok;
    },
    async commitMessage(projectId, sha) {
      const res = await git(["log", "-1", "--format=%B", sha, "--"], dirOf(projectId));
      return res.ok ? res.stdout : null;
    },
    async refs(projectId) {
      const dir = dirOf(projectId);
      const map = new Map<string, string>();
      if (!existsSync(join(dir, "HEAD"))) return map;
      const res = await git(["for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags"], dir);
      for (const line of res.stdout.split("\n")) {
        const [name, sha] = line.split(" ");
        if (name && sha) map.set(name, sha);
      }
      return map;
    },
    async files(projectId, sha) {
      const dir = dirOf(projectId);
      const listed = await git(["ls-tree", "-r", "--name-only", "-z", sha], dir);
      return filesOf(dir, sha, listed.ok ? listed.stdout : "");
    },
    async pushChangedPaths(projectId, before, sha) {
      const dir = dirOf(projectId);
      if (!existsSync(join(dir, "HEAD")) || before.startsWith("-") || sha.startsWith("-")) return null;
      return changedPaths(dir, before, sha);
    },
    async filesAtRef(projectId, ref) {
      const dir = dirOf(projectId);
      if (!existsSync(join(dir, "HEAD")) || ref.startsWith("-")) return null;
      // A branch, a tag, or (as GitLab's `project.commit(ref)`) a commit's sha, full or abbreviated.
      const bySha = /^[0-9a-f]{7,64}$/.test(ref) ? [""] : [];
      for (const prefix of ["refs/heads/", "refs/tags/", ...bySha]) {
        const res = await git(["rev-parse", "--verify", "--quiet", `${prefix}${ref}^{commit}`], dir);
        if (!res.ok) continue;
        const sha = res.stdout.trim();
        return filesOf(dir, sha, (await git(["ls-tree", "-r", "--name-only", "-z", sha], dir)).stdout);
      }
      return null;
    },
    async tagNames(projectId) {
      const dir = dirOf(projectId);
      if (!existsSync(join(dir, "HEAD"))) return [];
      const res = await git(["for-each-ref", "--format=%(refname:strip=2)", "refs/tags"], dir);
      return res.stdout.split("\n").filter(Boolean);
    },
  };
}

/** The files of `sha` in the bare mirror `dir`, given its `ls-tree -z` listing. */
function filesOf(dir: string, sha: string, listing: string): ServedFiles {
  const paths = listing.split("\0").filter(Boolean);
  const present = new Set(paths);
  return {
    sha,
    list: () => paths,
    async read(path) {
      const clean = path.replace(/^\/+/, "");
      if (!present.has(clean)) return null;
      const res = await git(["show", `${sha}:${clean}`], dir);
      return res.ok ? res.stdout : null;
    },
    changedSince: (ref) => changedSince(dir, ref, sha),
  };
}

/** Files changed from the merge base of `ref` and `sha` to `sha` (GitLab's `modified_paths_since`); null: no such ref. */
async function changedSince(dir: string, ref: string, sha: string): Promise<string[] | null> {
  if (ref.startsWith("-")) return null;
  const target = await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], dir);
  if (!target.ok) return null;
  const base = await git(["merge-base", target.stdout.trim(), sha], dir);
  if (!base.ok) return null;
  return changedPaths(dir, base.stdout.trim(), sha);
}

/** Paths a diff from `from` to `to` touches (renames count as both paths); null when git cannot tell. */
async function changedPaths(dir: string, from: string, to: string): Promise<string[] | null> {
  const res = await git(["diff", "--name-only", "--no-renames", "-z", from, to, "--"], dir);
  return res.ok ? res.stdout.split("\0").filter(Boolean) : null;
}
