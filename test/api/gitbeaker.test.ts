// A real GitLab client (@gitbeaker/rest) drives porthole: project with inline CI, pipeline, jobs, log, cancel, retry, play.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Gitlab } from "@gitbeaker/rest";
import { mirroredRepo } from "../support/mirrored-repo.ts";
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

test("@gitbeaker/rest: metadata, repository reads, commit statuses, latest pipeline, its variables and name, lint at a ref", async () => {
  const metadata = await api.Metadata.show();
  expect(metadata).toMatchObject({ version: expect.any(String), enterprise: false, kas: { enabled: false } });

  const repo = mirroredRepo();
  const project = await api.Projects.create({ name: "beaker-mirror", importUrl: repo.dir } as never);
  expect((await api.Projects.all({ owned: true, membership: true })).map((p) => p.id)).toContain(project.id);

  const branches = await api.Branches.all(project.id);
  expect(branches.map((b) => b.name)).toEqual(["feature/x", "main"]);
  const feature = await api.Branches.show(project.id, "feature/x");
  expect(feature.commit).toMatchObject({ id: repo.feature, title: "Feature readme", author_name: "t" });
  const tags = await api.Tags.all(project.id);
  expect(tags).toEqual([expect.objectContaining({ name: "v1.0", message: "first release\n" })]);
  const commits = await api.Commits.all(project.id, { refName: "feature/x" });
  expect(commits.map((c) => c.id)).toEqual([repo.feature, repo.sha]);
  const file = await api.RepositoryFiles.show(project.id, "docs/read me.md", "feature/x");
  expect(Buffer.from(file.content, "base64").toString()).toBe("hello from feature\n");
  expect(file).toMatchObject({ file_path: "docs/read me.md", commit_id: repo.feature, last_commit_id: repo.feature });
  expect(await api.RepositoryFiles.showRaw(project.id, "docs/read me.md", "main")).toBe("hello from main\n");

  const created = await api.Pipelines.create(project.id, "main", {
    variables: [{ key: "EXTRA", value: "from beaker" }],
  } as never);
  const finished = await waitFor("pipeline finished", async () => {
    const p = await api.Pipelines.show(project.id, created.id);
    return p.status === "success" || p.status === "failed" ? p : null;
  });
  expect(finished).toMatchObject({ status: "success", name: "Build main" });
  const latest = await api.Pipelines.showLatest(project.id);
  expect(latest.ref).toBe("main");
  expect(latest.sha).toBe(repo.head);
  const variables = await api.Pipelines.allVariables(project.id, created.id);
  expect(variables).toEqual([expect.objectContaining({ key: "EXTRA", value: "from beaker" })]);

  const commit = await api.Commits.show(project.id, repo.head);
  expect(commit.last_pipeline).toMatchObject({ sha: repo.head, ref: "main" });
  expect(commit).toMatchObject({
    title: "Add the app",
    parent_ids: [repo.sha],
    stats: { additions: 1, deletions: 0, total: 1 },
  });
  const status = await api.Commits.editStatus(project.id, repo.head, "running", {
    name: "renovate/artifacts",
    targetUrl: "https://ci.example/x",
  });
  expect(status).toMatchObject({
    status: "running",
    name: "renovate/artifacts",
    ref: "main",
    target_url: "https://ci.example/x",
  });
  await api.Commits.editStatus(project.id, repo.head, "success", { name: "renovate/artifacts" });
  const statuses = await api.Commits.allStatuses(project.id, repo.head);
  expect(statuses).toContainEqual(expect.objectContaining({ name: "renovate/artifacts", status: "success" }));
  expect(statuses).toContainEqual(expect.objectContaining({ name: "vars", status: "success" }));

  const lint = await api.Lint.check(project.id, { ref: "feature/x" });
  expect(lint.valid).toBe(true);
});
