// The small shell programs porthole runs inside a job's container: keep it alive, launch steps and shells, kill them.
import type Dockerode from "dockerode";

/** Inside the container: step scripts and the pid files that name each exec's session. */
const WORK_DIR = "/tmp/.porthole";

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

/** An interactive shell for a terminal: `$1` names it; bash when the image has it, else sh. */
export function shellCommand(id: string): string[] {
  const launcher = `d=${WORK_DIR}; mkdir -p "$d" 2>/dev/null && echo $$ > "$d/$1.pid"
if command -v bash >/dev/null 2>&1; then exec bash; fi
exec sh`;
  return ["sh", "-c", launcher, "porthole-shell", id];
}

/**
 * Ends every process in the session of the exec named `$1` (its pid file holds the session id): first freezes them
 * all with SIGSTOP, so none acts on a sibling's death (a shell running its next command), then SIGKILLs them; up to
 * three rounds catch children forked meanwhile. Processes that started their own session (daemons) survive until
 * the container is removed.
 */
function sessionKillCommand(id: string): string[] {
  const killer = `read -r sid < "${WORK_DIR}/$1.pid" 2>/dev/null || exit 0
members() {
  for p in /proc/[0-9]*; do
    read -r stat < "$p/stat" 2>/dev/null || continue
    set -- \${stat##*) }
    [ "$4" = "$sid" ] && echo "\${p#/proc/}"
  done
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
 * Kills the named exec's whole session and waits for the killer to finish (at most `timeoutMs`).
 * Resolves false when the killer could not run (container stopped or gone) or did not finish in time.
 */
export async function killSession(container: Dockerode.Container, id: string, timeoutMs = 3000): Promise<boolean> {
  try {
    const exec = await container.exec({ Cmd: sessionKillCommand(id), AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    stream.resume();
    const ended = new Promise<boolean>((resolve) => {
      stream.once("end", () => resolve(true));
      stream.once("error", () => resolve(false));
    });
    const finished = await Promise.race([ended, Bun.sleep(timeoutMs).then(() => false)]);
    if (!finished) stream.destroy();
    return finished;
  } catch {
    return false;
  }
}
