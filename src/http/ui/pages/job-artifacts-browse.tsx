// Browsing a job's artifacts: one directory of the archive's tree, and one text file shown in the page.
/** @jsxImportSource hono/jsx */
import type { JobRow, ProjectRow } from "../../../store/rows.ts";
import { jobArtifactsUrl, jobUrl, pipelinesUrl, pipelineUrl } from "../urls.ts";
import { Icon } from "../views/icons.tsx";
import { ProjectHeader } from "../views/project-header.tsx";

interface Common {
  project: ProjectRow;
  job: JobRow;
  canAdmin: boolean;
}

const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/** The directories and files directly inside `dir`, from the archive's entry names (`a/b/`, `a/b/c.txt`). */
export function childrenOf(entries: string[], dir: string): { name: string; dir: boolean }[] {
  const prefix = dir ? `${dir}/` : "";
  const seen = new Map<string, boolean>();
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || entry === prefix) continue;
    const rest = entry.slice(prefix.length);
    const slash = rest.indexOf("/");
    const name = slash < 0 ? rest : rest.slice(0, slash);
    seen.set(name, (seen.get(name) ?? false) || slash >= 0);
  }
  return [...seen]
    .map(([name, isDir]) => ({ name, dir: isDir }))
    .sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name));
}

function Header(props: Common & { path: string }) {
  const { project, job } = props;
  const base = jobArtifactsUrl(project, job.id);
  const parts = props.path ? props.path.split("/") : [];
  return (
    <>
      <ProjectHeader
        project={project}
        tab="pipelines"
        canAdmin={props.canAdmin}
        trail={[
          { label: "Pipelines", href: pipelinesUrl(project) },
          { label: `#${job.pipelineId}`, href: pipelineUrl(project, job.pipelineId) },
          { label: job.name, href: jobUrl(project, job.id) },
          { label: "Artifacts" },
        ]}
        title={`Artifacts of ${job.name}`}
      />
      <nav class="artifact-path" aria-label="Artifact path">
        <a href={`${base}/browse`}>artifacts</a>
        {parts.map((part, i) => (
          <>
            {" / "}
            <a href={`${base}/browse/${encodePath(parts.slice(0, i + 1).join("/"))}`}>{part}</a>
          </>
        ))}
        <span class="grow"></span>
        <a class="btn btn-sm" href={`${base}/download`}>
          Download
        </a>
      </nav>
    </>
  );
}

export function ArtifactBrowsePage(props: Common & { dir: string; entries: string[] }) {
  const base = jobArtifactsUrl(props.project, props.job.id);
  const children = childrenOf(props.entries, props.dir);
  const full = (name: string) => encodePath(props.dir ? `${props.dir}/${name}` : name);
  return (
    <div>
      <Header {...props} path={props.dir} />
      <div class="table-wrap">
        <table class="list" data-artifact-tree>
          <thead>
            <tr>
              <th scope="col">Name</th>
            </tr>
          </thead>
          <tbody>
            {children.map((child) => (
              <tr>
                <td>
                  {child.dir ? (
                    <a href={`${base}/browse/${full(child.name)}`} data-dir>
                      <Icon name="commit" />
                      {child.name}/
                    </a>
                  ) : (
                    <a href={`${base}/file/${full(child.name)}`} data-file>
                      {child.name}
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function ArtifactFilePage(props: Common & { path: string; size: number; text: string | null }) {
  const base = jobArtifactsUrl(props.project, props.job.id);
  return (
    <div>
      <Header {...props} path={props.path} />
      <p class="muted">
        {props.size} bytes · <a href={`${base}/raw/${encodePath(props.path)}`}>Download this file</a>
      </p>
      {props.text === null ? (
        <p>This file is binary or too large to show here.</p>
      ) : (
        <pre class="artifact-file" data-artifact-text>
          {props.text}
        </pre>
      )}
    </div>
  );
}
