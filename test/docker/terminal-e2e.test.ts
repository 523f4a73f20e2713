// Through the server with the Docker executor: Debug's WebSocket lands in the job's container, and holds it alive.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { hostname } from "node:os";
import { docker, noDocker, ofJob } from "../support/docker-engine.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, jobStatus, runJob } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

setDefaultTimeout(60_000);

/** Waits for `go` in the project dir (typed by the test), then says it is done: the issue's `echo done` job. */
const CI = `variables:\n  GREETING: from-the-job\ndebug-me:\n  image: porthole-test/busybox\n  script:\n    - while [ ! -f go ]; do sleep 0.1; done\n    - echo done\n`;

let t: TestPorthole;
beforeAll(async () => {
  if (!noDocker) t = await startTestPorthole({ runner: { executor: "docker" }, docker: { pull_policy: "never" } });
});
afterAll(() => t?.stop());

const containersOf = async (jobId: number) => docker!.listContainers({ all: true, ...ofJob(t.dataDir, jobId) });

describe.skipIf(noDocker)("terminal on a Docker job", () => {
  test("shows the container's files and variables; the container lives while attached and is gone after", async () => {
    const job = await runJob(t, await createProject(t, "docker-debug", CI));
    const c = new TerminalClient(terminalWsUrl(t.url, job.jobPath), { token: t.rootToken });
    await c.control("hello");
    c.type('echo "host=$(hostname) dir=$(pwd) greeting=$GREETING id=$CI_JOB_ID"; ls /bin/busybox\n');
    const [, host, dir] = (await c.until(/host=(\S+) dir=(\S+) greeting=from-the-job id=(\d+)/))!;
    expect(host).not.toBe(hostname());
    expect(dir).toContain(`/builds/`);
    await c.until(/\/bin\/busybox\r\n/);

    c.type("touch go\n");
    await waitFor("the script to finish", async () =>
      (await (await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/trace`)).text()).includes(
        "Terminal is connected",
      ),
    );
    expect(jobStatus(t, job.jobId)).toBe("running");
    expect((await containersOf(job.jobId)).map((x) => x.State)).toContain("running");
    c.type("echo still-here\n");
    await c.until(/still-here\r\n/);

    await c.close();
    await waitFor("the job to succeed", async () => jobStatus(t, job.jobId) === "success");
    await waitFor("the container to be removed", async () => (await containersOf(job.jobId)).length === 0, 10_000);
  });
});
