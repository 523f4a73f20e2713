// A terminal on a Docker job is a TTY exec in the job's own container, which outlives the script until cleanup.
import { afterAll, describe, expect, test } from "bun:test";
import type { Pty } from "../../src/domain/pty.ts";
import { docker, noDocker, ofJob } from "../support/docker-engine.ts";
import { makeJob, never, testProvider } from "../support/docker-job.ts";
import { captureSink } from "../support/sink.ts";
import { waitFor } from "../support/wait.ts";

const { provider, scope } = testProvider();
const disposals: (() => void)[] = [];
afterAll(() => {
  for (const dispose of disposals) dispose();
});

/** Collects a terminal's output; `until(text)` waits for it to appear. */
function screen(pty: Pty) {
  let text = "";
  const decoder = new TextDecoder();
  pty.onData((bytes) => {
    text += decoder.decode(bytes, { stream: true });
  });
  return {
    text: () => text,
    until: (needle: string, timeoutMs = 15_000) =>
      waitFor(`terminal output ${JSON.stringify(needle)}`, async () => text.includes(needle), timeoutMs),
  };
}

async function running(jobId: number): Promise<number> {
  const byJob = ofJob(scope!, jobId);
  const list = await docker!.listContainers({ filters: { ...byJob.filters, status: ["running"] } });
  return list.length;
}

describe.skipIf(noDocker)("docker executor: terminal", () => {
  test("shows the container's sources and the job's variables, and keeps the container alive after the script", async () => {
    const made = makeJob({ image: { name: "porthole-test/busybox" } }, { SECRET_WORD: "swordfish" });
    disposals.push(made.dispose);
    const { env } = made;
    const executor = provider.create(env);
    try {
      await executor.prepare(captureSink(), never());
      expect(
        await executor.run(
          { name: "step_script", script: "echo made-in-job > artifact.txt\n" },
          captureSink(),
          never(),
        ),
      ).toBe(0);
      expect(await running(env.jobId)).toBe(1); // the script is over; the container is not

      const pty = await executor.openTerminal!({ cols: 120, rows: 40 });
      let exit: number | null | undefined;
      pty.onExit((code) => (exit = code));
      const term = screen(pty);
      pty.write('pwd; ls; cat artifact.txt; echo "word=$SECRET_WORD term=$TERM"; stty size\n');
      await term.until("40 120");
      expect(term.text()).toContain(env.projectDir);
      expect(term.text()).toContain("README.md");
      expect(term.text()).toContain("made-in-job");
      expect(term.text()).toContain("word=swordfish term=xterm-256color");

      pty.resize(100, 30);
      await Bun.sleep(100); // the resize is an API call of its own; give it a moment before asking the TTY
      pty.write("stty size\n");
      await term.until("30 100");

      pty.write("exit 5\n");
      await waitFor("the shell's exit", async () => exit !== undefined);
      expect(exit).toBe(5);
      expect(await running(env.jobId)).toBe(1);
    } finally {
      await executor.cleanup();
    }
    expect(await running(env.jobId)).toBe(0);
  }, 60_000);

  test("close() ends the shell and what it started; cleanup ends a terminal left open", async () => {
    const made = makeJob();
    disposals.push(made.dispose);
    const executor = provider.create(made.env);
    try {
      await executor.prepare(captureSink(), never());
      const pty = await executor.openTerminal!({ cols: 80, rows: 24 });
      let exit: number | null | undefined;
      pty.onExit((code) => (exit = code));
      screen(pty);
      pty.write("sleep 4242 & sleep 4343\n");
      await Bun.sleep(300);
      const ps = async () => {
        const out = captureSink();
        await executor.run({ name: "step_script", script: "ps -o args\n" }, out, never());
        return out.text();
      };
      await waitFor("the terminal's sleeps", async () => (await ps()).includes("sleep 4343"));
      await pty.close();
      await pty.close();
      expect(exit).toBeNull();
      const after = await ps();
      expect(after).not.toContain("sleep 4242");
      expect(after).not.toContain("sleep 4343");

      const open = await executor.openTerminal!({ cols: 80, rows: 24 });
      let openExit: number | null | undefined;
      open.onExit((code) => (openExit = code));
      screen(open);
      await executor.cleanup();
      await waitFor("the open terminal to end with the container", async () => openExit !== undefined);
      expect(openExit).toBeNull();
      await expect(executor.openTerminal!({ cols: 80, rows: 24 })).rejects.toThrow("already removed");
    } finally {
      await executor.cleanup();
    }
  }, 60_000);

  test("pause() stops reading: the program writing into the terminal blocks until resume()", async () => {
    const made = makeJob();
    disposals.push(made.dispose);
    const executor = provider.create(made.env);
    try {
      await executor.prepare(captureSink(), never());
      const pty = await executor.openTerminal!({ cols: 80, rows: 24 });
      expect(pty.canPause).toBe(true);
      const term = screen(pty);
      pty.write("echo ready\n");
      await term.until("ready");
      pty.pause();
      // 8 MB is far more than the socket, dockerd and PTY buffers hold: the writer must block while paused.
      pty.write("head -c 8000000 /dev/zero | tr '\\0' x; echo; echo FLOOD-DONE\n");
      await Bun.sleep(1500);
      const out = captureSink();
      // busybox lists `head` as "{head} sh"; `tr` is the one writing into the terminal.
      await executor.run({ name: "step_script", script: "ps -o args | grep -c '^tr ' || true\n" }, out, never());
      expect(out.text().trim()).toBe("1"); // still running: blocked on a full terminal
      expect(term.text()).not.toContain("FLOOD-DONE");
      pty.resume();
      await term.until("FLOOD-DONE", 30_000);
      await pty.close();
    } finally {
      await executor.cleanup();
    }
  }, 60_000);
});
