// A signed GitHub push to a real server: the job runs in a checkout of the pushed sha, with the push's variables.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { githubPush } from "../support/forge-webhooks.ts";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";

const CI = `show:
  script:
    - echo "HEAD=$(git rev-parse HEAD) SHA=$CI_COMMIT_SHA BEFORE=$CI_COMMIT_BEFORE_SHA SOURCE=$CI_PIPELINE_SOURCE"
`;
let t: TestPorthole;
const repo = makeRepo({ ".gitlab-ci.yml": CI });

beforeAll(async () => {
  t = await startTestPorthole({});
});
afterAll(async () => {
  await t?.stop();
  rmSync(repo.dir, { recursive: true, force: true });
});

test("the job of a webhook's pipeline runs the pushed sha", async () => {
  const project = (await (
    await t.api("/projects", { method: "POST", json: { name: "hooked", import_url: repo.dir } })
  ).json()) as {
    id: number;
  };
  const { secret } = (await (await t.api(`/projects/${project.id}/hooks/push/secret`, { method: "POST" })).json()) as {
    secret: string;
  };
  const before = repo.sha;
  const after = repo.commit({ "a.txt": "1" }, "pushed");
  const d = githubPush(secret, { ref: "refs/heads/main", before, after, message: "pushed", cloneUrl: repo.dir });
  const res = await fetch(`${t.url}/api/v4/projects/${project.id}/hooks/push`, {
    method: "POST",
    headers: d.headers,
    body: d.body,
  });
  expect(res.status).toBe(202);
  const log = await waitFor("the job's line", async () => {
    const [pipeline] = (await (await t.api(`/projects/${project.id}/pipelines`)).json()) as { id: number }[];
    if (!pipeline) return null;
    const [job] = (await (await t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`)).json()) as {
      id: number;
    }[];
    const text = job ? await (await t.api(`/projects/${project.id}/jobs/${job.id}/trace`)).text() : "";
    return /HEAD=[0-9a-f]{40}/.test(text) ? text : null;
  });
  expect(log).toContain(`HEAD=${after} SHA=${after} BEFORE=${before} SOURCE=push`);
});
