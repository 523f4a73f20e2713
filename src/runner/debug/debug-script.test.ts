// The debugged step_script run by a real bash: the saved state a terminal reads, the breakpoints, the exit code.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Breakpoint } from "../../domain/debug.ts";
import { buildDebugStepScript, PAUSED_FILE, STATE_FILE } from "./debug-script.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function place() {
  const root = mkdtempSync(join(tmpdir(), "debug-script-"));
  dirs.push(root);
  const work = join(root, "project");
  const control = join(root, "project.debug");
  mkdirSync(work);
  mkdirSync(control);
  return { work, control };
}

/** Runs the script; at each pause records the log so far and removes the paused file (what Continue does). */
async function run(before: string[], script: string[], breakpoint?: Breakpoint) {
  const { work, control } = place();
  const file = join(work, "..", "step.sh");
  writeFileSync(file, buildDebugStepScript(before, script, { controlDir: control, breakpoint }));
  const proc = Bun.spawn(["bash", file], { cwd: work, stdout: "pipe", env: { PATH: process.env.PATH ?? "" } });
  let log = "";
  const reading = (async () => {
    for await (const chunk of proc.stdout) log += new TextDecoder().decode(chunk);
  })();
  const atPause: string[] = [];
  while (proc.exitCode === null) {
    if (existsSync(join(control, PAUSED_FILE))) {
      await Bun.sleep(50);
      atPause.push(log);
      rmSync(join(control, PAUSED_FILE));
    }
    await Bun.sleep(20);
  }
  await proc.exited;
  await reading;
  const statePath = join(control, STATE_FILE);
  return { code: proc.exitCode, log, atPause, control, state: existsSync(statePath) ? statePath : null };
}

/** What a terminal starting from the saved state sees. */
function terminalSees(state: string, command: string): string {
  const out = Bun.spawnSync(["bash", "-c", `. "$0" >/dev/null 2>&1; ${command}`, state], {
    env: { PATH: process.env.PATH ?? "" },
  });
  return out.stdout.toString().trim();
}

describe("debug step script", () => {
  test("a failing script keeps its exit code and saves its variables (exported or not) and directory", async () => {
    const r = await run(
      ["export FROM_BEFORE=b"],
      ["PLAIN='two words'", "mkdir -p 'sub dir' && cd 'sub dir'", "exit 7"],
    );
    expect(r.code).toBe(7);
    expect(r.state).not.toBeNull();
    expect(terminalSees(r.state!, 'echo "$FROM_BEFORE|$PLAIN|$(pwd)"')).toMatch(
      /^b\|two words\|\/.*\/project\/sub dir$/,
    );
    expect(statSync(r.state!).mode & 0o077).toBe(0); // it holds the job's secrets: its user's only
    const saved = readFileSync(r.state!, "utf8");
    expect(saved).not.toContain("PORTHOLE_PROCESS_TAG");
    expect(saved).not.toMatch(/ TERM=/);
  });

  test("a successful script saves nothing and exits 0", async () => {
    const r = await run([], ["A=1", "true"]);
    expect(r.code).toBe(0);
    expect(r.state).toBeNull();
  });

  test("each breakpoint pauses where it says, once, and the script goes on after", async () => {
    const before = ["echo in-before"];
    const script = ["echo line-one", "echo line-two"];
    const at = async (b: Breakpoint) => {
      const r = await run(before, script, b);
      expect(r.code).toBe(0);
      expect(r.atPause).toHaveLength(1);
      expect(r.log).toContain("line-two\n");
      return r.atPause[0]!;
    };
    expect(await at({ kind: "before_script" })).not.toContain("in-before");
    const beforeEnd = await at({ kind: "before_script_end" });
    expect(beforeEnd).toContain("in-before\n");
    expect(beforeEnd).not.toContain("line-one\n");
    const lineTwo = await at({ kind: "script", line: 2 });
    expect(lineTwo).toContain("line-one\n");
    expect(lineTwo).toContain("Paused before script line 2");
    expect(lineTwo).not.toContain("line-two\n");
    expect(await at({ kind: "script", line: 9 })).toContain("Paused after the last script line");
  });

  test("at a breakpoint the saved state is the shell's at that point", async () => {
    const { work, control } = place();
    const file = join(work, "..", "step.sh");
    const b: Breakpoint = { kind: "script", line: 2 };
    writeFileSync(
      file,
      buildDebugStepScript([], ["export STAGE=first && cd /", "echo after"], { controlDir: control, breakpoint: b }),
    );
    const proc = Bun.spawn(["bash", file], { cwd: work, stdout: "ignore", env: { PATH: process.env.PATH ?? "" } });
    while (!existsSync(join(control, PAUSED_FILE))) await Bun.sleep(20);
    expect(terminalSees(join(control, STATE_FILE), 'echo "$STAGE $(pwd)"')).toBe("first /");
    rmSync(join(control, PAUSED_FILE));
    expect(await proc.exited).toBe(0);
  });
});
