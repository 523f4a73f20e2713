// A pipeline's test report from its jobs' `reports:junit`: GitLab's test_report and test_report_summary JSON.
import { type CaseStatus, parseJunit, type TestCase } from "../shared/junit.ts";
import { readZip } from "../shared/zip-archive.ts";
import type { ArtifactStore } from "../store/artifacts.ts";
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";

export interface TestSuite {
  /** The job's name: GitLab groups a pipeline's cases by job. */
  name: string;
  jobIds: number[];
  cases: TestCase[];
  /** Why the suite could not be read (a malformed report), else null. */
  suiteError: string | null;
}

/** JUnit XML read per job at most (every pipeline page reads it: a huge report must not stall the page). */
const MAX_REPORT_BYTES = 20 * 1024 * 1024;
const ORDER: Record<CaseStatus, number> = { error: 0, failed: 1, success: 2, skipped: 3 };

/** Every junit suite of the pipeline's current jobs; cases failed first, then the slowest. */
export function pipelineTestSuites(db: Db, artifacts: ArtifactStore, pipelineId: number): TestSuite[] {
  const rows = repositoriesOf(db).jobs.currentOfPipelines([pipelineId]);
  const reports = artifacts.findMany(
    rows.map((j) => j.id),
    "junit",
  );
  const suites = new Map<string, TestSuite>();
  for (const job of rows) {
    const row = reports.get(job.id);
    const zip = row && artifacts.read(row);
    if (!zip) continue;
    const suite = suites.get(job.name) ?? { name: job.name, jobIds: [], cases: [], suiteError: null };
    suite.jobIds.push(job.id);
    try {
      for (const entry of readZip(zip, { maxFiles: artifacts.limits.maxFiles, maxBytes: MAX_REPORT_BYTES }))
        if (!entry.dir) suite.cases.push(...parseJunit(new TextDecoder().decode(entry.data)));
    } catch (err) {
      suite.suiteError = `JUnit XML parsing failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    suite.cases.sort((a, b) => ORDER[a.status] - ORDER[b.status] || b.executionTime - a.executionTime);
    suites.set(job.name, suite);
  }
  return [...suites.values()];
}

function counts(cases: TestCase[]) {
  const n = (s: CaseStatus) => cases.filter((c) => c.status === s).length;
  const time = cases.reduce((sum, c) => sum + c.executionTime, 0);
  return {
    total_time: Math.round(time * 1000) / 1000,
    total_count: cases.length,
    success_count: n("success"),
    failed_count: n("failed"),
    skipped_count: n("skipped"),
    error_count: n("error"),
  };
}

/** GitLab's `GET /projects/:id/pipelines/:pipeline_id/test_report`. */
export function testReportJson(suites: TestSuite[]) {
  return {
    ...counts(suites.flatMap((s) => s.cases)),
    test_suites: suites.map((s) => ({
      name: s.name,
      ...counts(s.cases),
      suite_error: s.suiteError,
      test_cases: s.cases.map((c) => ({
        status: c.status,
        name: c.name,
        classname: c.classname,
        file: c.file,
        execution_time: c.executionTime,
        system_output: c.systemOutput,
        stack_trace: null,
        recent_failures: null,
      })),
    })),
  };
}

/** GitLab's `GET /projects/:id/pipelines/:pipeline_id/test_report_summary`. */
export function testReportSummaryJson(suites: TestSuite[]) {
  const all = counts(suites.flatMap((s) => s.cases));
  return {
    total: {
      time: all.total_time,
      count: all.total_count,
      success: all.success_count,
      failed: all.failed_count,
      skipped: all.skipped_count,
      error: all.error_count,
      suite_error: suites.find((s) => s.suiteError)?.suiteError ?? null,
    },
    test_suites: suites.map((s) => ({
      name: s.name,
      ...counts(s.cases),
      build_ids: s.jobIds,
      suite_error: s.suiteError,
    })),
  };
}
