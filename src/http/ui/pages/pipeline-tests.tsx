// The pipeline's Tests tab: totals from its junit reports, then each suite's cases, failed first, with output.
/** @jsxImportSource hono/jsx */
import type { TestSuite } from "../../../queue/test-report.ts";
import type { PipelineRow, ProjectRow } from "../../../store/rows.ts";
import { pipelinesUrl, pipelineUrl } from "../urls.ts";
import { ProjectHeader } from "../views/project-header.tsx";
import { PipelineTabs } from "./pipeline-tabs.tsx";

export interface PipelineTestsProps {
  project: ProjectRow;
  pipeline: PipelineRow;
  suites: TestSuite[];
  canAdmin: boolean;
}

const seconds = (s: number) => `${Math.round(s * 1000) / 1000} s`;

export function PipelineTestsPage(props: PipelineTestsProps) {
  const { project, pipeline, suites } = props;
  const cases = suites.flatMap((s) => s.cases);
  const n = (status: string) => cases.filter((c) => c.status === status).length;
  const time = cases.reduce((sum, c) => sum + c.executionTime, 0);
  return (
    <div>
      <ProjectHeader
        project={project}
        tab="pipelines"
        canAdmin={props.canAdmin}
        trail={[
          { label: "Pipelines", href: pipelinesUrl(project) },
          { label: `#${pipeline.id}`, href: pipelineUrl(project, pipeline.id) },
          { label: "Tests" },
        ]}
        title={`Pipeline #${pipeline.id}`}
      />
      <PipelineTabs project={project} pipeline={pipeline} current="tests" testCount={cases.length} />
      {suites.length === 0 ? (
        <p class="muted" data-tests-empty>
          No test reports: add <code>artifacts:reports:junit</code> to a job to see its tests here.
        </p>
      ) : (
        <>
          <dl class="kv test-totals" data-test-totals>
            <dt>Tests</dt>
            <dd data-count="total">{cases.length}</dd>
            <dt>Failed</dt>
            <dd data-count="failed">{n("failed")}</dd>
            <dt>Errors</dt>
            <dd data-count="error">{n("error")}</dd>
            <dt>Skipped</dt>
            <dd data-count="skipped">{n("skipped")}</dd>
            <dt>Passed</dt>
            <dd data-count="success">{n("success")}</dd>
            <dt>Duration</dt>
            <dd>{seconds(time)}</dd>
          </dl>
          {suites.map((suite) => (
            <section class="card" data-test-suite={suite.name}>
              <h2>{suite.name}</h2>
              {suite.suiteError && <p class="alert">{suite.suiteError}</p>}
              <div class="table-wrap">
                <table class="list">
                  <thead>
                    <tr>
                      <th scope="col">Status</th>
                      <th scope="col">Case</th>
                      <th scope="col">Class</th>
                      <th scope="col">Duration</th>
                    </tr>
                  </thead>
                  <tbody>
                    {suite.cases.map((c) => (
                      <tr data-test-case={c.status}>
                        <td>{c.status}</td>
                        <td>
                          {c.name}
                          {c.systemOutput && (
                            <details>
                              <summary>Output</summary>
                              <pre>{c.systemOutput}</pre>
                            </details>
                          )}
                        </td>
                        <td class="mono">{c.classname}</td>
                        <td>{seconds(c.executionTime)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
        </>
      )}
    </div>
  );
}
