// `workflow:name` reaches the pipeline's JSON as `name` (GitLab's PipelineBasic), expanded when it was created.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Harness, makeHarness } from "../support/api-harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(() => h?.close());

const CI = `workflow:
  name: 'Deploy $CI_COMMIT_REF_NAME to $TARGET'
variables: {TARGET: staging}
job: {script: x}
`;

test("the created pipeline, the list and the single pipeline show the expanded name", async () => {
  const project = h.project(h.root.user, { ci_config: CI });
  const created = await h.request(`/projects/${project.id}/pipeline`, {
    json: { ref: "main", variables: [{ key: "TARGET", value: "production" }] },
  });
  expect(created.status).toBe(201);
  const { id, name } = (await created.json()) as { id: number; name: string };
  expect(name).toBe("Deploy main to production");
  const shown = (await (await h.request(`/projects/${project.id}/pipelines/${id}`)).json()) as { name: string };
  expect(shown.name).toBe("Deploy main to production");
  const listed = (await (await h.request(`/projects/${project.id}/pipelines`)).json()) as { name: string }[];
  expect(listed.map((p) => p.name)).toEqual(["Deploy main to production"]);
});

test("a CI file without workflow:name gives a pipeline whose name is null", async () => {
  const project = h.project(h.root.user, { ci_config: "job: {script: x}\n" });
  const created = await h.request(`/projects/${project.id}/pipeline`, { json: { ref: "main" } });
  expect(((await created.json()) as { name: string | null }).name).toBeNull();
});
