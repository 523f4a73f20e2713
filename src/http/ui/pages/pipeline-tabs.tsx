// The pipeline page's tabs (Pipeline, Tests) and its `artifacts:expose_as` links.
/** @jsxImportSource hono/jsx */
import type { PipelineRow, ProjectRow } from "../../../store/rows.ts";
import { pipelineTestsUrl, pipelineUrl } from "../urls.ts";

export function PipelineTabs(props: {
  project: ProjectRow;
  pipeline: PipelineRow;
  current: "pipeline" | "tests";
  testCount: number;
}) {
  const { project, pipeline } = props;
  return (
    <nav class="tabs" aria-label="Pipeline">
      <a href={pipelineUrl(project, pipeline.id)} aria-current={props.current === "pipeline" ? "page" : undefined}>
        Pipeline
      </a>
      <a href={pipelineTestsUrl(project, pipeline.id)} aria-current={props.current === "tests" ? "page" : undefined}>
        Tests <span class="pill">{props.testCount}</span>
      </a>
    </nav>
  );
}

/** One `expose_as` link: the label and where it leads (a single file, or the job's artifacts browser). */
export interface ExposedArtifact {
  label: string;
  href: string;
}

export function ExposedArtifacts(props: { links: ExposedArtifact[] }) {
  if (props.links.length === 0) return null;
  return (
    <section class="card" data-exposed-artifacts>
      <h2>Artifacts</h2>
      <ul class="plain">
        {props.links.map((l) => (
          <li>
            <a href={l.href}>{l.label}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
