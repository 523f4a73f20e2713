// A real GitLab client (@gitbeaker/rest) drives porthole: project with inline CI, pipeline, jobs, log, cancel, retry, play.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Gitlab } from "@gitbeaker/rest";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";

const CI = `
stages: [build, test]
build:
  stage: build
  script:
    - echo "hello from $CI_JOB_NAME"
slow:
  stage: test
  script:
    - sleep 1000
deploy:
  stage: test
  needs: []
  when: manual
  script:
    - echo "deploying to $TARGET"
`;

let t: TestPorthole;
let api: InstanceType<typeof Gitlab>;
beforeAll(async () => {
  t = await startTestPorthole({ runner: { concurrent: 2 } });
  api = new Gitlab({ host: t.url, token: t.rootToken });
});
afterAll(() => t?.stop());

type Job = { id: number; name: string; status: string };
const jobNamed = async (projectId: number, pipelineId: number, name: string) => {
  const jobs = (await api.Jobs.all(projectId, { pipelineId })) as unknown as Job[];
  return jobs.find((j) => j.name === name)!;
};
const waitStatus = (projectId: number, jobId: number, status: string) =>
  waitFor(`job ${jobId} ${status}`, async () => {
    const job = (await api.Jobs.show(projectId, jobId)) as unknown as Job;
    return job.status === status ? job : null;
  });

test("@gitbeaker/rest: the whole CI flow against porthole", async () => {
  const me = await api.Users.showCurrentUser();
  expect(me.username).toBe("root");

  const project = await api.Projects.create({ name: "beaker", ciConfig: CI } as never);
  expect(project.path_with_namespace).toBe("root/beaker");
  const byPath = await api.Projects.show("root/beaker");
  expect(byPath.id).toBe(project.id);

  const lint = await api.Lint.lint(project.id, CI);
  expect(lint.valid).toBe(true);

  const pipeline = await api.Pipelines.create(project.id, "main", {
    variables: [{ key: "EXTRA", value: "1" }],
  } as never);
  expect(pipeline.status).toMatch(/created|pending|running/);
  const pipelines = await api.Pipelines.all(project.id);
  expect(pipelines.map((p) => p.id)).toContain(pipeline.id);

  const build = await jobNamed(project.id, pipeline.id, "build");
  await waitStatus(project.id, build.id, "success");
  const log = await api.Jobs.showLog(project.id, build.id);
  expect(log).toContain("hello from build");

  const slow = await jobNamed(project.id, pipeline.id, "slow");
  await waitStatus(project.id, slow.id, "running");
  const canceled = (await api.Jobs.cancel(project.id, slow.id)) as unknown as Job;
  expect(canceled.id).toBe(slow.id);
  await waitStatus(project.id, slow.id, "canceled");
  const retried = (await api.Jobs.retry(project.id, slow.id)) as unknown as Job;
  expect(retried.id).not.toBe(slow.id);
  expect(retried.name).toBe("slow");
  await waitStatus(project.id, retried.id, "running");
  await api.Jobs.cancel(project.id, retried.id);

  const deploy = await jobNamed(project.id, pipeline.id, "deploy");
  expect(deploy.status).toBe("manual");
  await api.Jobs.play(project.id, deploy.id, { jobVariablesAttributes: [{ key: "TARGET", value: "prod" }] });
  await waitStatus(project.id, deploy.id, "success");
  expect(await api.Jobs.showLog(project.id, deploy.id)).toContain("deploying to prod");

  const all = (await api.Jobs.all(project.id, { scope: ["success"] } as never)) as unknown as Job[];
  expect(all.map((j) => j.name).sort()).toEqual(["build", "deploy"]);
});
