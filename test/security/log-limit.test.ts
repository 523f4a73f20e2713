// Issue 10 item 8: a job printing 50 MB. Its log stops at limits.output_limit with gitlab-runner's closing line, and
// the job keeps running (its next command decides how it ends), on the shell and the Docker executor.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { limitExceededMessage } from "../../src/runner/trace-writer.ts";
import { jobs } from "../../src/store/schema.ts";
import { noDocker } from "../support/docker-engine.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { json, userWithRole } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const LIMIT_KIB = 64;
const LIMIT = LIMIT_KIB * 1024;
/** 50 MB of output, then a command that runs only if the job went on: it fails the job with its own exit code. */
const flood = (image?: string) => `
flood:
  ${image ? `image: ${image}` : ""}
  script:
    - head -c 52428800 /dev/zero | tr '\\0' x
    - echo "still running after the flood"
    - exit 3
`;

function suite(executor: "shell" | "docker", image?: string) {
  let t: TestPorthole;
  let trace: string;
  let job: { id: number; status: string; failure_reason?: string };

  beforeAll(async () => {
    t = await startTestPorthole({
      runner: { executor },
      limits: { output_limit: LIMIT_KIB },
      ...(executor === "docker" ? { docker: { pull_policy: "never" } } : {}),
    });
    const user = await userWithRole(t, "flooder", 0);
    const project = await json<{ id: number }>(
      t.api("/projects", { method: "POST", token: user.token, json: { name: "loud", ci_config: flood(image) } }),
    );
    const pipeline = await json<{ id: number }>(
      t.api(`/projects/${project.id}/pipeline?ref=main`, { method: "POST", token: user.token }),
    );
    const [first] = await json<{ id: number }[]>(t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`));
    job = await waitFor(
      "the flooding job to finish",
      async () => {
        const row = await json<{ id: number; status: string; failure_reason?: string }>(
          t.api(`/projects/${project.id}/jobs/${first!.id}`),
        );
        return ["success", "failed", "canceled"].includes(row.status) && row;
      },
      120_000,
    );
    trace = await (await t.api(`/projects/${project.id}/jobs/${first!.id}/trace`)).text();
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
  });

  test("the stored log is the limit plus GitLab's message, which ends it", () => {
    const message = limitExceededMessage(LIMIT);
    expect(message).toBe(
      `\n\x1b[33;1mJob's log exceeded limit of ${LIMIT} bytes.\nJob execution will continue but no more output will be collected.\x1b[0;m\n`,
    );
    expect(Buffer.byteLength(trace)).toBe(LIMIT + Buffer.byteLength(message));
    expect(trace.endsWith(message)).toBe(true);
    expect(trace).not.toContain("still running after the flood");
  });

  test("the job kept running past the limit: its last command's exit code failed it", () => {
    expect(job.status).toBe("failed");
    expect(job.failure_reason).toBe("script_failure");
    const row = t.porthole.store.db.select({ exitCode: jobs.exitCode }).from(jobs).where(eq(jobs.id, job.id)).get();
    expect(row?.exitCode).toBe(3);
  });
}

describe("output_limit with the shell executor", () => suite("shell"));
describe.skipIf(noDocker)("output_limit with the Docker executor", () => suite("docker", "porthole-test/busybox"));
