// A bare mirror of each project's git source under data_dir/repos: resolves refs to shas and reads files at a sha.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { badRequest } from "../domain/errors.ts";
import type { RepositoryFiles } from "../pipeline/types.ts";
import { processOutput } from "../shared/process-output.ts";
import { IMPORT_REFUSED, type ImportAllowlist, importTarget, pinPublicImport } from "./import-target.ts";
import { type RepositoryReader, repositoryReader } from "./repository-reader.ts";

const GIT_ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin", GIT_TERMINAL_PROMPT: "0", HOME: process.env.HOME ?? "/" };

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
  /** Read access to the files of `sha` (which `resolve` fetched). */
  files(projectId: number, sha: string): Promise<RepositoryFiles>;
  /** Branches, tags, commits and files of the mirror; fetched first when there is no mirror yet. */
  reader(projectId: number, url: string, guarded?: boolean): Promise<RepositoryReader>;
  /**
   * The files at `ref` (branch first, then tag) as the mirror last fetched them, without fetching; null when the
   * mirror has no such ref. Synchronous, for the compiler's `include:project`.
   */
  filesAtRefSync(projectId: number, ref: string): RepositoryFiles | null;
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

  async function fetch(projectId: number, url: string, guarded: boolean) {
    const from = await source(url, guarded);
    const dir = dirOf(projectId);
    if (!existsSync(join(dir, "HEAD"))) {
      mkdirSync(dir, { recursive: true });
      const init = await git(["init", "--bare", "--quiet", dir]);
      if (!init.ok) throw new Error(`git init failed: ${init.stderr.trim()}`);
    }
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

  /** One fetch at a time per project; concurrent callers share it. */
  async function fetchShared(projectId: number, url: string, guarded: boolean) {
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

  return {
    async reader(projectId, url, guarded = false) {
      const dir = dirOf(projectId);
      if (!existsSync(join(dir, "HEAD")) || fetching.has(projectId)) await fetchShared(projectId, url, guarded);
      return repositoryReader(dir);
    },
    async resolve(projectId, url, ref, guarded = false) {
      await fetchShared(projectId, url, guarded);
      const dir = dirOf(projectId);
      for (const [prefix, tag] of [
        ["refs/heads/", false],
        ["refs/tags/", true],
      ] as const) {
        const res = await git(["rev-parse", "--verify", "--quiet", `${prefix}${ref}^{commit}`], dir);
        if (res.ok) return { sha: res.stdout.trim(), tag };
      }
      throw badRequest("Reference not found", { base: ["Reference not found"] });
    },
    async files(projectId, sha) {
      const dir = dirOf(projectId);
      const listed = await git(["ls-tree", "-r", "--name-only", "-z", sha], dir);
      return filesOf(dir, sha, listed.ok ? listed.stdout : "");
    },
    filesAtRefSync(projectId, ref) {
      const dir = dirOf(projectId);
      if (!existsSync(join(dir, "HEAD")) || ref.startsWith("-")) return null;
      for (const prefix of ["refs/heads/", "refs/tags/"]) {
        const res = gitSync(["rev-parse", "--verify", "--quiet", `${prefix}${ref}^{commit}`], dir);
        if (!res.ok) continue;
        const sha = res.stdout.trim();
        return filesOf(dir, sha, gitSync(["ls-tree", "-r", "--name-only", "-z", sha], dir).stdout);
      }
      return null;
    },
  };
}

function gitSync(args: string[], cwd: string): { ok: boolean; stdout: string } {
  const res = Bun.spawnSync(["git", ...args], { cwd, env: GIT_ENV, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  return { ok: res.exitCode === 0, stdout: res.stdout.toString() };
}

/** The files of `sha` in the bare mirror `dir`, given its `ls-tree -z` listing. */
function filesOf(dir: string, sha: string, listing: string): RepositoryFiles {
  const paths = listing.split("\0").filter(Boolean);
  const present = new Set(paths);
  return {
    list: () => paths,
    read(path) {
      const clean = path.replace(/^\/+/, "");
      if (!present.has(clean)) return null;
      const res = Bun.spawnSync(["git", "show", `${sha}:${clean}`], { cwd: dir, env: GIT_ENV });
      return res.exitCode === 0 ? res.stdout.toString() : null;
    },
  };
}
