// A finished job with a huge, sectioned, coloured log, made straight in the store (what a long build would leave).
import { findUserByLogin } from "../../src/auth/users.ts";
import { planJob } from "../../src/pipeline/pipeline.testing.ts";
import { createProject } from "../../src/queue/project-changes.ts";
import { jobs, pipelines } from "../../src/store/schema.ts";
import { makeUser } from "./browser.ts";
import type { TestPorthole } from "./porthole.ts";

const E = "\x1b";

/**
 * A finished job of a new user's project "big" whose log is about `bytes` long: a header section, then one long
 * step_script section of coloured lines. Answers the job page's URL, the user (to sign in) and the number of lines.
 */
export async function jobWithHugeLog(
  t: TestPorthole,
  bytes: number,
  username = "bob",
): Promise<{ url: string; lines: number; user: { username: string; password: string } }> {
  const user = await makeUser(t, username);
  const db = t.porthole.store.db;
  const project = createProject(db, findUserByLogin(db, user.username)!, {
    name: "big",
    ci_config: "x:\n  script: true\n",
  });
  const pipeline = db
    .insert(pipelines)
    .values({
      projectId: project.id,
      iid: 1,
      ref: "main",
      sha: "f".repeat(40),
      source: "web",
      status: "success",
      variables: [],
      yamlVariables: [],
    })
    .returning()
    .get();
  const job = db
    .insert(jobs)
    .values({
      pipelineId: pipeline.id,
      projectId: project.id,
      name: "huge",
      stage: "test",
      stageIdx: 0,
      spec: planJob("huge", 0, { stage: "test" }),
      status: "success",
      startedAt: new Date(Date.now() - 600_000),
      finishedAt: new Date(),
    })
    .returning()
    .get();
  const enc = new TextEncoder();
  t.porthole.traces.append(
    job.id,
    enc.encode(
      `${E}[0Ksection_start:1700000000:prepare\r${E}[0K${E}[36;1mPreparing${E}[0;m\nready\n` +
        `${E}[0Ksection_end:1700000001:prepare\r${E}[0K\n${E}[0Ksection_start:1700000001:step_script\r${E}[0K${E}[36;1mScript${E}[0;m\n`,
    ),
  );
  let written = 0;
  let lines = 4; // the number of the next line: 1–3 are the headers and "ready"; end-marker lines are not shown
  while (written < bytes) {
    const block: string[] = [];
    for (let i = 0; i < 2000; i++, lines++)
      block.push(
        i % 4 === 0
          ? `${E}[32;1m$ make part-${lines}${E}[0;m`
          : `compiling unit ${lines} of the big build with some detail`,
      );
    const bytes = enc.encode(`${block.join("\n")}\n`);
    t.porthole.traces.append(job.id, bytes);
    written += bytes.length;
  }
  t.porthole.traces.append(
    job.id,
    enc.encode(`${E}[0Ksection_end:1700000601:step_script\r${E}[0K\n${E}[32;1mJob succeeded${E}[0;m\n`),
  );
  t.porthole.traces.finish(job.id);
  return { url: `${t.url}/${user.username}/big/-/jobs/${job.id}`, lines, user };
}
