// Compiler speed: compilePipeline and lintPipeline on a 50-job .gitlab-ci.yml that uses most keywords.
import { compilePipeline, lintPipeline } from "../src/pipeline/index.ts";
import type { PipelineContext } from "../src/pipeline/types.ts";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const RUNS = 500;
const WARMUP = 50;
const JOBS = 50;

/** 50 visible jobs over four stages: templates with anchors and extends, !reference, rules, needs, matrix. */
export function fiftyJobFile(): string {
  const lines = [
    "stages: [build, test, package, deploy]",
    "variables: {RUBY_VERSION: '3.3', DEBUG: 'off'}",
    "default:",
    "  image: ruby:3.3",
    "  before_script: [bundle install]",
    "  retry: {max: 2, when: [runner_system_failure]}",
    ".defaults: &defaults",
    "  tags: [docker]",
    "  interruptible: true",
    ".rules:",
    "  rules:",
    "    - if: $CI_COMMIT_TAG",
    "      when: never",
    '    - if: $CI_COMMIT_BRANCH == "main" || $CI_COMMIT_BRANCH =~ /^release\\/.*$/',
    "    - changes: ['src/**/*']",
    ".setup: {script: [echo setup, echo more]}",
  ];
  const stages = ["build", "test", "package", "deploy"];
  for (let i = 0; i < JOBS; i++) {
    const stage = stages[Math.min(3, Math.floor(i / 13))]!;
    lines.push(`job-${i}:`, "  <<: *defaults", "  extends: .rules", `  stage: ${stage}`);
    lines.push("  script:", "    - !reference [.setup, script]", `    - make target-${i}`);
    lines.push(`  variables: {INDEX: ${i}}`, "  timeout: 1h 30m", "  artifacts: {paths: [out/], expire_in: 1 week}");
    if (stage !== "build") lines.push(`  needs: [job-${i % 13}]`);
    if (i % 10 === 0) lines.push("  parallel: {matrix: [{OS: [linux, mac], ARCH: [amd64, arm64]}]}");
  }
  return `${lines.join("\n")}\n`;
}

/** 50 short jobs (a stage, a script line, a need): the shape of most real files. */
function fiftyPlainJobs(): string {
  const stages = ["build", "test", "deploy"];
  const jobs = Array.from({ length: JOBS }, (_, i) => {
    const stage = stages[Math.min(2, Math.floor(i / 17))]!;
    const needs = stage === "build" ? "" : `\n  needs: [job-${i % 17}]`;
    return `job-${i}:\n  stage: ${stage}\n  script: [make target-${i}]${needs}\n`;
  });
  return `image: alpine:3.20\n${jobs.join("")}`;
}

/** Wall and CPU milliseconds per call; `fn` gets the run number (to vary the text and defeat the parse cache). */
function timeEach(fn: (run: number) => void): { wall: number[]; cpu: number[] } {
  for (let i = 0; i < WARMUP; i++) fn(-i - 1);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    fn(i);
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

const bench: Bench = {
  name: "pipeline-compile",
  description: `compilePipeline / lintPipeline on a ${JOBS}-job file (anchors, extends, !reference, rules, needs, matrix)`,
  async run() {
    const content = fiftyJobFile();
    const ctx: PipelineContext = { ref: "main", tag: false, source: "push", variables: { CI_COMMIT_BRANCH: "main" } };
    const first = compilePipeline(content, ctx, null);
    if (!first.ok) throw new Error(`the bench file does not compile: ${first.errors.map((e) => e.message).join("; ")}`);
    const cold = timeEach((run) => compilePipeline(`${content}# run ${run}\n`, ctx, null));
    const warm = timeEach(() => compilePipeline(content, ctx, null));
    const lint = timeEach((run) => lintPipeline(`${content}# run ${run}\n`, null));
    const plainContent = fiftyPlainJobs();
    const plain = timeEach((run) => compilePipeline(`${plainContent}# run ${run}\n`, ctx, null));
    const ms = (samples: number[]) => round(median(samples), 2);
    return {
      metrics: [
        { name: "compile, new text: median wall", value: ms(cold.wall), unit: "ms", target: { below: 5 } },
        { name: "compile, new text: p95 wall", value: round(percentile(cold.wall, 95), 2), unit: "ms" },
        { name: "compile, new text: median CPU", value: ms(cold.cpu), unit: "ms", target: { below: 5 } },
        {
          name: "compile, same text (parse cached): median wall",
          value: ms(warm.wall),
          unit: "ms",
          target: { below: 5 },
        },
        { name: "lint, new text: median wall", value: ms(lint.wall), unit: "ms" },
        {
          name: "compile, 50 short jobs, new text: median wall",
          value: ms(plain.wall),
          unit: "ms",
          target: { below: 5 },
        },
        {
          name: "compile, 50 short jobs, new text: median CPU",
          value: ms(plain.cpu),
          unit: "ms",
          target: { below: 5 },
        },
      ],
      notes: [
        `${content.length} bytes of YAML, ${first.plan.jobs.length} plan jobs from ${JOBS} job definitions`,
        `50 short jobs: ${plainContent.length} bytes of YAML`,
        `${RUNS} runs after ${WARMUP} warm-up runs, in one process; CPU is user+system time of the process`,
        "new text: a comment with the run number is appended, so every run parses the YAML",
      ],
    };
  },
};

export default bench;
