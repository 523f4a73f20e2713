// Services run beside the build container on a per-job network, answer by GitLab's aliases, and go with the job.
import { afterAll, describe, expect, test } from "bun:test";
import { SystemFailure } from "../../src/executor/types.ts";
import { docker, noDocker, ofJob } from "../support/docker-engine.ts";
import { makeJob, never, testProvider } from "../support/docker-job.ts";
import { captureSink } from "../support/sink.ts";

const disposals: (() => void)[] = [];
afterAll(() => {
  for (const dispose of disposals) dispose();
});

describe.skipIf(noDocker)("docker executor: services", () => {
  test("a service answers by its aliases with the job's and its own variables; nothing remains after cleanup", async () => {
    const { provider, scope } = testProvider({ volumes: ["/cache"] });
    const made = makeJob({
      image: { name: "porthole-test/busybox" },
      services: [
        {
          name: "porthole-test/httpd",
          alias: "web",
          variables: [{ key: "SERVICE_GREETING", value: "hi from $CI_JOB_ID", raw: false }],
        },
      ],
    });
    disposals.push(made.dispose);
    const { env } = made;
    const executor = provider.create(env);
    const out = captureSink();
    const byJob = ofJob(scope!, env.jobId);
    let volumes: string[] = [];
    try {
      await executor.prepare(out, never());
      expect(out.text()).toContain("Starting service porthole-test/httpd ...");
      expect(out.text()).toContain("Waiting for services to be up and running (timeout 30 seconds)...");
      expect(out.text()).not.toContain("WARNING");
      const script = [
        "wget -qO- http://web/",
        "wget -qO- http://porthole-test__httpd/",
        "wget -qO- http://porthole-test-httpd/cgi-bin/env",
      ].join("\n");
      expect(await executor.run({ name: "step_script", script }, out, never())).toBe(0);
      const log = out.text();
      expect(log.match(/porthole service ok\n/g)).toHaveLength(2);
      expect(log).toContain(`SERVICE_GREETING=hi from ${env.jobId}\nCI_JOB_ID=${env.jobId}\n`);

      const containers = await docker!.listContainers({ all: true, ...byJob });
      expect(containers).toHaveLength(2);
      expect(await docker!.listNetworks(byJob)).toHaveLength(1);
      volumes = containers.flatMap((c) => c.Mounts.filter((m) => m.Type === "volume").map((m) => m.Name!));
      expect(volumes).toHaveLength(2); // `/cache` in the build container and in the service
    } finally {
      await executor.cleanup();
    }
    expect(await docker!.listContainers({ all: true, ...byJob })).toHaveLength(0);
    expect(await docker!.listNetworks(byJob)).toHaveLength(0);
    const { Volumes: left } = await docker!.listVolumes();
    expect(left?.filter((v) => volumes.includes(v.Name)) ?? []).toHaveLength(0);
  }, 60_000);

  test("a service that exits is reported with its logs, and the job still runs", async () => {
    const { provider } = testProvider();
    const made = makeJob({
      services: [
        {
          name: "porthole-test/httpd",
          alias: "broken",
          command: ["sh", "-c", "echo service gives up; exit 4"],
          variables: [],
        },
      ],
    });
    disposals.push(made.dispose);
    const executor = provider.create(made.env);
    const out = captureSink();
    try {
      await executor.prepare(out, never());
      expect(out.text()).toContain("*** WARNING: Service porthole-test/httpd probably didn't start properly.");
      expect(out.text()).toContain("exited (exit code 4)");
      expect(out.text()).toContain("service gives up");
      expect(await executor.run({ name: "step_script", script: "echo job runs\n" }, out, never())).toBe(0);
    } finally {
      await executor.cleanup();
    }
  }, 60_000);

  test("services on a network mode without aliases are refused clearly", async () => {
    const { provider } = testProvider({ network_mode: "host" });
    const made = makeJob({ services: [{ name: "porthole-test/httpd", variables: [] }] });
    disposals.push(made.dispose);
    const executor = provider.create(made.env);
    const failure = await executor.prepare(captureSink(), never()).catch((e) => e);
    await executor.cleanup();
    expect(failure).toBeInstanceOf(SystemFailure);
    expect(failure.message).toBe('services need a user-defined network, but [docker] network_mode is "host"');
  }, 60_000);
});
