// Reads branches, tags, commits and files from a project's bare mirror (git for-each-ref, log, ls-tree, cat-file).
import type { CommitInfo } from "../domain/commit.ts";
import { isolatedGitEnv } from "../shared/git-env.ts";

const GIT_ENV = isolatedGitEnv();
const FIXED_CONFIG = [
  "core.hooksPath=/dev/null",
  "core.fsmonitor=false",
  "log.showSignature=false",
  "core.quotePath=false",
];

const UNIT = "\x1f";
const RECORD = "\x1e";
/** One commit per record: sha, parents, author, committer, full message. */
const COMMIT_FORMAT = `${["%H", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%B"].join("%x1f")}%x1e`;

export interface Commit extends CommitInfo {
  id: string;
}

/** What a pipeline keeps of its commit: everything but the sha, which it has already. */
export function commitInfo({ id: _id, ...info }: Commit): CommitInfo {
  return info;
}

export interface RefEntry {
  name: string;
  commit: Commit;
}

export interface TagEntry extends RefEntry {
  /** The tag object's sha for annotated tags, the commit's otherwise (GitLab's `target`). */
  target: string;
  /** The annotation, or null for a lightweight tag. */
  message: string | null;
}

export interface FileEntry {
  path: string;
  blobId: string;
  size: number;
  commitId: string;
  lastCommitId: string;
  /** The whole content (callers check `size` first). */
  read(): Promise<Uint8Array>;
  /** The content as a stream, for files too large to hold. */
  stream(): ReadableStream<Uint8Array>;
}

export interface CommitQuery {
  ref: string;
  path?: string;
  since?: string;
  until?: string;
  skip: number;
  limit: number;
}

/** A ref, sha or file path git must never read as an option or a revision range. */
const SAFE_REV = /^(?!-)(?!.*\.\.)[^\s~^:?*[\\\x00-\x1f]+$/;

export interface RepositoryReader {
  branches(): Promise<RefEntry[]>;
  /** The branches whose tip is reachable from `into` (GitLab's `merged`, into the default branch). */
  mergedInto(into: string): Promise<Set<string>>;
  tags(): Promise<TagEntry[]>;
  /** The commit a branch, tag or sha names; null when it names none. */
  commit(rev: string): Promise<Commit | null>;
  /** Lines added and deleted by a commit (against its first parent), as GitLab's `stats`. */
  stats(sha: string): Promise<{ additions: number; deletions: number; total: number }>;
  /** Commits reachable from `ref`, newest first, and how many there are in all. */
  commits(query: CommitQuery): Promise<{ commits: Commit[]; total: number } | null>;
  /** The file at `path` in `ref`; null when the ref or the file does not exist. */
  file(ref: string, path: string): Promise<FileEntry | null>;
}

function spawnGit(dir: string, args: string[]) {
  return Bun.spawn(["git", ...FIXED_CONFIG.flatMap((c) => ["-c", c]), `--git-dir=${dir}`, ...args], {
    env: GIT_ENV,
    stdout: "pipe",
    stderr: "ignore",
    stdin: "ignore",
  });
}

async function run(dir: string, args: string[]): Promise<{ ok: boolean; out: Buffer }> {
  const proc = spawnGit(dir, args);
  const [out, code] = await Promise.all([new Response(proc.stdout).arrayBuffer(), proc.exited]);
  return { ok: code === 0, out: Buffer.from(out) };
}

function parseCommits(text: string): Commit[] {
  return text
    .split(RECORD)
    .map((r) => r.replace(/^\n/, ""))
    .filter((r) => r.length > 0)
    .map((record) => {
      const [id, parents, authorName, authorEmail, authoredAt, committerName, committerEmail, committedAt, message] =
        record.split(UNIT);
      const body = (message ?? "").replace(/\n+$/, "\n");
      return {
        id: id!,
        parentIds: parents ? parents.split(" ") : [],
        authorName: authorName!,
        authorEmail: authorEmail!,
        authoredAt: authoredAt!,
        committerName: committerName!,
        committerEmail: committerEmail!,
        committedAt: committedAt!,
        title: body.split("\n")[0] ?? "",
        message: body,
      };
    });
}

/** A reader of the bare repository at `dir`. */
export function repositoryReader(dir: string): RepositoryReader {
  const commitsOf = async (shas: string[]): Promise<Map<string, Commit>> => {
    if (shas.length === 0) return new Map();
    const res = await run(dir, ["log", "--no-walk=unsorted", `--format=${COMMIT_FORMAT}`, ...new Set(shas)]);
    return new Map(parseCommits(res.ok ? res.out.toString() : "").map((c) => [c.id, c]));
  };
  const resolve = async (rev: string): Promise<string | null> => {
    if (!SAFE_REV.test(rev)) return null;
    for (const candidate of [`refs/heads/${rev}`, `refs/tags/${rev}`, rev]) {
      const res = await run(dir, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${candidate}^{commit}`]);
      if (res.ok) return res.out.toString().trim();
    }
    return null;
  };

  return {
    async mergedInto(into) {
      if (!SAFE_REV.test(into)) return new Set();
      const res = await run(dir, [
        "for-each-ref",
        `--merged=refs/heads/${into}`,
        "--format=%(refname:strip=2)",
        "refs/heads",
      ]);
      return new Set((res.ok ? res.out.toString() : "").split("\n").filter(Boolean));
    },
    async branches() {
      const res = await run(dir, [
        "for-each-ref",
        "--sort=refname",
        "--format=%(refname:strip=2)%1f%(objectname)",
        "refs/heads",
      ]);
      const refs = (res.ok ? res.out.toString() : "")
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(UNIT) as [string, string]);
      const commits = await commitsOf(refs.map(([, sha]) => sha));
      return refs.flatMap(([name, sha]) => (commits.has(sha) ? [{ name, commit: commits.get(sha)! }] : []));
    },
    async tags() {
      const format = "%(refname:strip=2)%1f%(objectname)%1f%(objecttype)%1f%(*objectname)%1f%(contents)%1e";
      const res = await run(dir, ["for-each-ref", "--sort=-creatordate", `--format=${format}`, "refs/tags"]);
      const refs = (res.ok ? res.out.toString() : "")
        .split(RECORD)
        .map((r) => r.replace(/^\n/, ""))
        .filter(Boolean)
        .map((r) => {
          const [name, target, type, peeled, contents] = r.split(UNIT) as [string, string, string, string, string];
          return { name, target, sha: type === "tag" ? peeled : target, message: type === "tag" ? contents : null };
        });
      const commits = await commitsOf(refs.map((r) => r.sha));
      return refs.flatMap((r) =>
        commits.has(r.sha) ? [{ name: r.name, target: r.target, message: r.message, commit: commits.get(r.sha)! }] : [],
      );
    },
    async commit(rev) {
      const sha = await resolve(rev);
      return sha ? ((await commitsOf([sha])).get(sha) ?? null) : null;
    },
    async stats(sha) {
      const res = SAFE_REV.test(sha)
        ? await run(dir, ["log", "-1", "--numstat", "--format=", "--diff-merges=first-parent", "--end-of-options", sha])
        : { ok: false, out: Buffer.alloc(0) };
      let additions = 0;
      let deletions = 0;
      for (const line of (res.ok ? res.out.toString() : "").split("\n")) {
        const [added, deleted] = line.split("\t");
        additions += Number(added) || 0;
        deletions += Number(deleted) || 0;
      }
      return { additions, deletions, total: additions + deletions };
    },
    async commits(q) {
      const sha = await resolve(q.ref);
      if (!sha || q.path?.startsWith("-")) return null;
      const filters = [...(q.since ? [`--since=${q.since}`] : []), ...(q.until ? [`--until=${q.until}`] : [])];
      const paths = q.path ? ["--", q.path] : [];
      const [page, count] = await Promise.all([
        run(dir, [
          "log",
          `--format=${COMMIT_FORMAT}`,
          `--skip=${q.skip}`,
          `--max-count=${q.limit}`,
          ...filters,
          sha,
          ...paths,
        ]),
        run(dir, ["rev-list", "--count", ...filters, sha, ...paths]),
      ]);
      return {
        commits: parseCommits(page.ok ? page.out.toString() : ""),
        total: Number(count.out.toString().trim()) || 0,
      };
    },
    async file(ref, path) {
      const sha = await resolve(ref);
      const clean = path.replace(/^\/+/, "");
      if (!sha || !clean || clean.split("/").some((part) => part === ".." || part === "")) return null;
      const listed = await run(dir, ["ls-tree", "-l", "-z", "--full-tree", sha, "--", clean]);
      const entry = listed.ok ? listed.out.toString().split("\0")[0] : "";
      const match = /^\d+ blob ([0-9a-f]+)\s+(\d+)\t(.*)$/s.exec(entry ?? "");
      if (!match || match[3] !== clean) return null;
      const blobId = match[1]!;
      const last = await run(dir, ["log", "-1", "--format=%H", sha, "--", clean]);
      return {
        path: clean,
        blobId,
        size: Number(match[2]),
        commitId: sha,
        lastCommitId: last.out.toString().trim() || sha,
        read: async () => new Uint8Array((await run(dir, ["cat-file", "blob", blobId])).out),
        stream: () => spawnGit(dir, ["cat-file", "blob", blobId]).stdout,
      };
    },
  };
}
