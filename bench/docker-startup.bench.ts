// Job start (prepare() called) → first byte of script output: the Docker executor against the shell executor.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configSchema } from "../src/config/schema.ts";
import { createDockerExecutorProvider } from "../src/executor/docker/index.ts";
import { createShellExecutorProvider } from "../src/executor/shell/index.ts";
import type { ExecutorProvider, JobEnvironment } from "../src/executor/types.ts";
import type { ServiceSpec } from "../src/pipeline/types.ts";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const SAMPLES = 20;
const IMAGE = "porthole-test/busybox";

interface Sample {
  firstByte: number;
  cleanup: number;
}

/** One job: prepare, run `echo first`, note when its first byte arrives, then clean up (timed apart). */
async function startOnce(provider: ExecutorProvider, jobId: number, services: ServiceSpec[]): Promise<Sample> {
  const buildsDir = await mkdtemp(join(tmpdir(), "porthole-bench-docker-"));
  const projectDir = join(buildsDir, "project");
  await mkdir(projectDir);
  const env: JobEnvironment = {
    jobId,
    pipelineId: 1,
    runnerId: 1,
    projectDir,
    buildsDir,
    image: { name: IMAGE },
    services,
    variables: [{ key: "CI_PROJECT_DIR", value: projectDir, masked: false }],
  };
  const executor = provider.create(env);
  const signal = new AbortController().signal;
  let firstByte = 0;
  const sink = {
    write: () => {
      firstByte ||= performance.now();
    },
    info: () => {},
  };
  try {
    const started = performance.now();
    await executor.prepare(sink, signal);
    const code = await executor.run({ name: "step_script", script: "echo first\n" }, sink, signal);
    if (code !== 0 || !firstByte) throw new Error(`the job did not print (exit code ${code})`);
    const cleanupStarted = performance.now();
    await executor.cleanup();
    return { firstByte: firstByte - started, cleanup: performance.now() - cleanupStarted };
  } finally {
    await executor.cleanup();
    await rm(buildsDir, { recursive: true, force: true });
  }
}

async function measure(provider: ExecutorProvider, services: ServiceSpec[] = []): Promise<Sample[]> {
  await startOnce(provider, 1, services); // warm-up: the first use imports dockerode and connects
  const samples: Sample[] = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await startOnce(provider, 2 + i, services));
  return samples;
}

const bench: Bench = {
  name: "docker-startup",
  description: `prepare() called → first script output byte, ${SAMPLES} sequential jobs per executor (after one warm-up); image ${IMAGE}`,
  async run() {
    const settings = configSchema.parse({ docker: { default_image: IMAGE } }).docker;
    const docker = createDockerExecutorProvider(settings, {
      id: 1,
      name: "bench",
      scope: `bench-${crypto.randomUUID()}`,
    });
    const shell = await measure(createShellExecutorProvider());
    const plain = await measure(docker);
    const withService = await measure(docker, [{ name: "porthole-test/httpd", alias: "web", variables: [] }]);
    const first = (s: Sample[]) => s.map((x) => x.firstByte);
    const dockerMedian = median(first(plain));
    const shellMedian = median(first(shell));
    return {
      metrics: [
        { name: "shell: start → first output, median", value: round(shellMedian, 1), unit: "ms" },
        { name: "docker: start → first output, median", value: round(dockerMedian, 1), unit: "ms" },
        { name: "docker: start → first output, p95", value: round(percentile(first(plain), 95), 1), unit: "ms" },
        { name: "docker − shell, median", value: round(dockerMedian - shellMedian, 1), unit: "ms" },
        {
          name: "docker + 1 service: start → first output, median",
          value: round(median(first(withService)), 1),
          unit: "ms",
        },
        {
          name: "docker: cleanup (container removed), median",
          value: round(median(plain.map((x) => x.cleanup)), 1),
          unit: "ms",
        },
        {
          name: "docker + 1 service: cleanup, median",
          value: round(median(withService.map((x) => x.cleanup)), 1),
          unit: "ms",
        },
      ],
      notes: [
        "Docker: create + start a container under docker-init, then one exec (script sent on stdin); the image is local.",
        "With a service: a per-job network, the service container, and the TCP wait for its exposed port.",
      ],
    };
  },
};

export default bench;
