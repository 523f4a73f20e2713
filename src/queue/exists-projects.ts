// `rules:exists:project` for the queue: the mirrors of the projects a CI file's exists clauses name are fetched
// before it compiles, so the compiler's synchronous reads see them (as `include:project` does for includes).
import { loadYamlCached } from "../pipeline/yaml/cache.ts";
import { isMap, isSeq, type YNode } from "../pipeline/yaml/tree.ts";
import type { QueueContext } from "./context.ts";
import type { GitMirror } from "./git-mirror.ts";
import { actorOf, namesProjectIncludes, readableProject } from "./project-files.ts";

/** Every `exists: {project: <path>}` without variables in the file, lower-cased. */
export function existsProjects(root: YNode | null | undefined): Set<string> {
  const found = new Set<string>();
  const walk = (node: YNode | null | undefined, depth: number) => {
    if (!node || depth > 64) return;
    if (isSeq(node)) for (const item of node.items) walk(item, depth + 1);
    if (!isMap(node)) return;
    for (const [key, pair] of node.pairs) {
      const project = key === "exists" && isMap(pair.value) ? pair.value.pairs.get("project")?.value : undefined;
      if (project?.kind === "scalar" && typeof project.value === "string" && !project.value.includes("$"))
        found.add(project.value.toLowerCase());
      walk(pair.value, depth + 1);
    }
  };
  walk(root, 0);
  return found;
}

/** Fetches the mirrors of the projects `rules:exists` names that the user may read; a failed fetch is the compiler's to report. */
export async function refreshExistsProjects(
  q: QueueContext,
  mirror: GitMirror,
  userId: number | null,
  content: string,
): Promise<void> {
  if (!namesProjectIncludes(content)) return; // parsing a large file here would block the event loop
  const actor = actorOf(q, userId);
  for (const path of existsProjects(loadYamlCached(content, ".gitlab-ci.yml").root)) {
    const project = readableProject(q, actor, path);
    if (!project?.importUrl) continue;
    await mirror.resolve(project.id, project.importUrl, project.defaultBranch, !actor?.user.admin).catch(() => {});
  }
}
