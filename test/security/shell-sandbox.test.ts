// Issue 10, item 1: a low-privilege user's shell job attacks the server, its data and another user's running job.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { waitFor } from "../support/wait.ts";
import { type ShellServer, startShellServer } from "./shell-server.ts";

let s: ShellServer;
const victimSecret = `victim-${crypto.randomUUID().replaceAll("-", "")}`;
let victim: { projectId: number; jobId: number };

/** A job that waits until a file `go` appears in its folder, holding a secret in a file, its variables and argv. */
const VICTIM_CI = `victim:\n  script:\n    - echo "$VICTIM_SECRET" > secret.txt\n    - echo victim-started\n    - while [ ! -f go ]; do sleep 0.2; done\n`;

beforeAll(async () => {
  s = await startShellServer();
  const created = await s.api("/projects", s.rootToken, {
    method: "POST",
    json: { name: "victim", ci_config: VICTIM_CI },
  });
  const { id } = (await created.json()) as { id: number };
  const variable = await s.api(`/projects/${id}/variables`, s.rootToken, {
    method: "POST",
    json: { key: "VICTIM_SECRET", value: victimSecret, masked: true },
  });
  expect(variable.status).toBe(201);
  const pipeline = await s.api(`/projects/${id}/pipeline`, s.rootToken, { method: "POST", json: { ref: "main" } });
  const { id: pipelineId } = (await pipeline.json()) as { id: number };
  const [job] = (await (await s.api(`/projects/${id}/pipelines/${pipelineId}/jobs`, s.rootToken)).json()) as {
    id: number;
  }[];
  victim = { projectId: id, jobId: job!.id };
  await s.traceWith(id, job!.id, "victim-started");
  // A terminal session's recording, as the server keeps them.
  mkdirSync(join(s.dataDir, "recordings"), { recursive: true });
  writeFileSync(join(s.dataDir, "recordings", "1.cast"), `{"version": 2}\n[0.1, "o", "${victimSecret}"]\n`);
}, 60_000);

afterAll(async () => {
  await s?.dispose();
});

/** Each attack prints `REFUSED <name>` or `BREACH <name>`; the job itself never fails on purpose. */
function attackScript(serverPid: number, dataDir: string): string[] {
  const db = join(dataDir, "porthole.db");
  return [
    `echo "tag=\${PORTHOLE_PROCESS_TAG:-none}"`,
    // The server's pid, as the job's process tag used to name it, and as the test knows it.
    `TAG_PID="\${PORTHOLE_PROCESS_TAG%%:*}"`,
    `for pid in ${serverPid} "$TAG_PID"; do if tr '\\0' '\\n' < /proc/$pid/environ 2>/dev/null | grep PORTHOLE_ROOT_PASSWORD; then echo "BREACH environ"; else echo "REFUSED environ of $pid: $(cat /proc/$pid/environ 2>&1 | head -c 120)"; fi; done`,
    `if ls /proc | grep -qx ${serverPid}; then echo "BREACH server-process-visible"; else echo "REFUSED server-process-visible"; fi`,
    `if [ -e ${db} ]; then echo "BREACH db-visible"; grep -a -o 'victim-[0-9a-f]*' ${db} | head -1 || true; else echo "REFUSED db-visible: $(ls -l ${db} 2>&1)"; fi`,
    `found=$(for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do tr '\\0' '\\n' < $f 2>/dev/null; done | grep -E '^(VICTIM_SECRET|CI_JOB_TOKEN)=' | grep -v "^CI_JOB_TOKEN=$CI_JOB_TOKEN$" || true)`,
    `if [ -n "$found" ]; then echo "BREACH other-job-environment: $found"; else echo "REFUSED other-job-environment"; fi`,
    `others=$(find "$CI_BUILDS_DIR" -name secret.txt 2>/dev/null; find ${dataDir} -maxdepth 3 -path "$CI_BUILDS_DIR" -prune -o -print 2>/dev/null | grep -v "^${dataDir}$" || true)`,
    `if [ -n "$others" ]; then echo "BREACH other-files: $others"; cat $(find "$CI_BUILDS_DIR" -name secret.txt) 2>/dev/null || true; else echo "REFUSED other-files"; fi`,
    // Last of the file attacks: sqlite3 makes an empty file where it may write.
    `if sqlite3 ${db} "UPDATE users SET admin = 1 WHERE username = 'mallory'" 2>/dev/null; then echo "BREACH db-write"; else echo "REFUSED db-write"; fi`,
    `if [ -e ${join(dataDir, "recordings")} ]; then echo "BREACH recordings"; cat ${join(dataDir, "recordings")}/* 2>/dev/null || true; else echo "REFUSED recordings"; fi`,
    `if kill -TERM ${serverPid} 2>/dev/null; then echo "BREACH signal"; else echo "REFUSED signal: $(kill -0 ${serverPid} 2>&1)"; fi`,
    // Root on the host: uid 0 outside any user namespace (a user namespace maps the job's uid to the server's).
    `host_uid=$(awk -v u="$(id -u)" '$1 <= u && u < $1 + $3 { print $2 + u - $1 }' /proc/self/uid_map)`,
    `if [ "$host_uid" = 0 ]; then echo "BREACH root"; else echo "REFUSED root: $(id), host uid $host_uid"; fi`,
    `if touch /etc/porthole-pwned /usr/porthole-pwned 2>/dev/null; then echo "BREACH system-write"; else echo "REFUSED system-write"; fi`,
    `if ls -A /root /home 2>/dev/null | grep -v '^job$' | grep -q .; then echo "BREACH homes"; else echo "REFUSED homes"; fi`,
    "echo attacks-done",
  ];
}

const ATTACKS = [
  "environ of",
  "server-process-visible",
  "db-visible",
  "db-write",
  "other-job-environment",
  "other-files",
  "recordings",
  "signal",
  "root",
  "system-write",
  "homes",
];

describe("shell executor sandbox: a low-privilege user's job against the server (issue 10, item 1)", () => {
  test("every attack is refused, and the server, its data and the other job are untouched", async () => {
    const ci = `attack:\n  script: ${JSON.stringify(attackScript(s.server.pid, s.dataDir))}\n`;
    const job = await s.runPipeline(s.userToken, "attack", ci);
    const log = await s.traceWith(job.projectId, job.jobId, "attacks-done", 60_000);
    // Lines the job printed (the log also echoes each command, which names both words).
    const printed = log.split("\n").filter((line) => /^(REFUSED|BREACH) /.test(line));
    for (const attack of ATTACKS)
      expect(
        printed.some((line) => line.startsWith(`REFUSED ${attack}`)),
        log,
      ).toBe(true);
    expect(printed.filter((line) => line.startsWith("BREACH"))).toEqual([]);
    expect(log).not.toContain(s.rootPassword);
    expect(log).not.toContain(victimSecret);
    // The job is not told the server's pid.
    expect(log).not.toMatch(new RegExp(`tag=${s.server.pid}:`));
    // The server still runs, mallory is no admin, and the victim job still runs.
    const me = (await (await s.api("/user", s.userToken)).json()) as { username: string; is_admin: boolean };
    expect(me).toMatchObject({ username: "mallory", is_admin: false });
    const v = (await (await s.api(`/projects/${victim.projectId}/jobs/${victim.jobId}`, s.rootToken)).json()) as {
      status: string;
    };
    expect(v.status).toBe("running");
  }, 90_000);

  test("a build still works: git, a compiler, curl to the network, its folder, HOME, /tmp, background processes", async () => {
    const script = [
      "git init -q repo && git -C repo -c user.email=a@b -c user.name=n commit -q --allow-empty -m first",
      `echo "git-commits=$(git -C repo rev-list --count HEAD)"`,
      `printf 'int main(void){return 0;}\\n' > hello.c && cc hello.c -o hello && ./hello && echo compiled-and-ran`,
      `echo "curl-status=$(curl -s -o /dev/null -w '%{http_code}' "$CI_SERVER_URL/api/v4/version")"`,
      "echo in-folder > out.txt && cat out.txt",
      `touch "$HOME/.probe" /tmp/probe && echo home-and-tmp-writable`,
      "(sleep 0.3; echo from-background > bg.txt) & wait; cat bg.txt",
    ];
    const job = await s.runPipeline(s.userToken, "build", `build:\n  script: ${JSON.stringify(script)}\n`);
    const log = await s.traceWith(job.projectId, job.jobId, "from-background", 60_000);
    expect(log).toContain("git-commits=1");
    expect(log).toContain("compiled-and-ran");
    expect(log).toMatch(/curl-status=(200|401)/);
    expect(log).toContain("in-folder");
    expect(log).toContain("home-and-tmp-writable");
    await waitFor("the build job to succeed", async () => {
      const j = (await (await s.api(`/projects/${job.projectId}/jobs/${job.jobId}`, s.userToken)).json()) as {
        status: string;
      };
      return j.status === "success";
    });
  }, 90_000);

  test("the job's terminal is in the job's sandbox: its files, its variables, its processes; nothing of the server", async () => {
    const ci = `debug:\n  script:\n    - echo job-file > marker.txt\n    - sleep 250 &\n    - while [ ! -f go ]; do sleep 0.1; done\n`;
    const job = await s.runPipeline(s.userToken, "debug", ci);
    await s.traceWith(job.projectId, job.jobId, 'Executing "step_script"');
    await waitFor("the step to write its file", async () => {
      const log = await s.trace(job.projectId, job.jobId);
      return log.includes("while [ ! -f go ]");
    });
    const client = new TerminalClient(terminalWsUrl(s.server.url, `/mallory/debug/-/jobs/${job.jobId}`), {
      token: s.userToken,
    });
    await client.opened;
    client.type(
      `echo "id=$CI_JOB_ID file=$(cat marker.txt) sleeps=$(pgrep -c -x sleep) pw=\${PORTHOLE_ROOT_PASSWORD:-absent}"; ls ${s.dataDir}/porthole.db; id -un; touch go\r`,
    );
    await waitFor("the terminal's answer", async () => client.text.includes("file=job-file"), 15_000);
    await Bun.sleep(300);
    expect(client.text).toContain(`id=${job.jobId} file=job-file`);
    expect(client.text).toMatch(/sleeps=[1-9]/); // the step's `sleep 250 &` runs in the same PID namespace
    expect(client.text).toContain("pw=absent");
    expect(client.text).toContain("No such file or directory");
    if (process.getuid?.() === 0) expect(client.text).toContain("nobody"); // a root server runs jobs unprivileged
    client.ws.close();
  }, 60_000);
});
