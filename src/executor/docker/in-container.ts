// The small shell programs porthole runs inside a job's container: keep it alive, launch steps and shells, kill them.
import type { Duplex } from "node:stream";
import type Dockerode from "dockerode";

/** Inside the container: step scripts and the pid files that name each exec's session. */
const WORK_DIR = "/tmp/.porthole";

/** Every process an exec starts inherits `PORTHOLE_EXEC=<id>`, also those that leave its session (setsid). */
const MARKER = "PORTHOLE_EXEC";

/** A unique name for one exec (`step_script-3-1f0c…`): random and fixed-length, so no id is a prefix of another. */
export function execId(kind: string, n: number): string {
  return `${kind}-${n}-${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
}

/** The environment entry that marks the processes of exec `id`. */
export function execMarker(id: string): string {
  return `${MARKER}=${id}`;
}

/**
 * The build container's main process: idles until stopped, ends at once on TERM/INT. Docker's `--init` (tini) runs
 * it as a child and reaps the orphans that killed steps leave behind.
 */
export const KEEP_ALIVE = ["sh", "-c", 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'];

/**
 * Runs a step: `$1` names it. Records its session id (every Docker exec is its own session leader), reads the script
 * from stdin to a file (so a command reading stdin cannot eat the script), then runs it with bash when the image has
 * it, else sh; stdin is /dev/null, stderr joins stdout so the two stay in order.
 */
export function stepCommand(id: string): string[] {
  const launcher = `d=${WORK_DIR}; mkdir -p "$d" && echo $$ > "$d/$1.pid" && cat > "$d/$1.sh" || exit 1
exec </dev/null 2>&1
if command -v bash >/dev/null 2>&1; then exec bash "$d/$1.sh"; fi
exec sh "$d/$1.sh"`;
  return ["sh", "-c", launcher, "porthole-step", id];
}

/**
 * An interactive shell for a terminal: `$1` names it; bash when the image has it, else sh. With `savedState`, the
 * shell that would have run the step (bash or sh) first reads that file (a debugged script's variables, directory).
 */
export function shellCommand(id: string, savedState?: string): string[] {
  const launcher = `d=${WORK_DIR}; mkdir -p "$d" 2>/dev/null && echo $$ > "$d/$1.pid"
s=sh; if command -v bash >/dev/null 2>&1; then s=bash; fi
if [ -n "$2" ] && [ -r "$2" ]; then exec "$s" -c '. "$0" >/dev/null 2>&1; exec "$1"' "$2" "$s"; fi
exec "$s"`;
  return ["sh", "-c", launcher, "porthole-shell", id, savedState ?? ""];
}

/**
 * Ends every process of the exec named `$1`: those in its session (its pid file holds the session id) and those
 * carrying its marker variable (found by grep, when the image has it: this catches daemons that left the session;
 * not `grep -F`, which in busybox stops at the first NUL of /proc/<pid>/environ). Zombies are skipped.
 * First freezes them all with SIGSTOP, so none acts on a sibling's death (a shell running its next command), then
 * SIGKILLs them; up to three rounds catch children forked meanwhile.
 */
function killCommand(id: string): string[] {
  const killer = `id=$1; sid=; read -r sid < "${WORK_DIR}/$id.pid" 2>/dev/null
members() {
  [ -n "$sid" ] && for p in /proc/[0-9]*; do
    read -r stat < "$p/stat" 2>/dev/null || continue
    set -- \${stat##*) }
    [ "$1" != Z ] && [ "$4" = "$sid" ] && echo "\${p#/proc/}"
  done
  grep -l "${MARKER}=$id" /proc/[0-9]*/environ 2>/dev/null | while read -r f; do f=\${f#/proc/}; echo "\${f%/environ}"; done
}
for round in 1 2 3; do
  pids=$(members)
  [ -z "$pids" ] && break
  kill -STOP $pids 2>/dev/null
  kill -KILL $(members) 2>/dev/null
done
exit 0`;
  return ["sh", "-c", killer, "porthole-kill", id];
}

/**
 * Kills every process of the named exec and waits for the killer to finish (at most `timeoutMs`).
 * Resolves false when the killer could not run (container stopped or gone) or did not finish in time.
 */
export async function killExec(container: Dockerode.Container, id: string, timeoutMs = 3000): Promise<boolean> {
  // The whole kill is bounded, the engine's exec create and start included: a busy engine must not hold a stop.
  let stream: Duplex | undefined;
  const kill = (async () => {
    const exec = await container.exec({ Cmd: killCommand(id), AttachStdout: true, AttachStderr: true });
    const started = (await exec.start({})) as Duplex;
    stream = started;
    started.resume();
    return new Promise<boolean>((resolve) => {
      started.once("end", () => resolve(true));
      started.once("error", () => resolve(false));
    });
  })().catch(() => false);
  const finished = await Promise.race([kill, Bun.sleep(timeoutMs).then(() => false)]);
  if (!finished) stream?.destroy();
  return finished;
}
