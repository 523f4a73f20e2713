// The job page's debugging parts: the wait for a terminal with Continue, and the "Retry with terminal" form.
/** @jsxImportSource hono/jsx */
import type { DebugPause } from "../../../domain/debug.ts";
import { ActionButton, CsrfField } from "../views/form.tsx";
import { countdownClock } from "../views/format.ts";
import { Icon } from "../views/icons.tsx";

/** The Debug button's label: what a terminal opened now would see. */
export function debugLabel(pause: DebugPause | null): string {
  if (pause?.kind === "on_failure") return "Debug the failure";
  if (pause) return "Debug the breakpoint";
  return "Debug";
}

/** "Paused before script line 2 · waiting for a terminal until Continue" (or when the wait ends), with Continue. */
export function DebugPauseNotice(props: {
  pause: DebugPause;
  canContinue: boolean;
  continueAction: string;
  csrfToken: string;
}) {
  const { pause } = props;
  const left = pause.endsAt ? Math.max(0, (pause.endsAt.getTime() - Date.now()) / 1000) : null;
  return (
    <div class="flash flash-notice debug-pause" role="status" data-debug-pause={pause.kind}>
      {pause.kind === "on_failure" ? `Waiting for a terminal ${pause.where}` : `Paused ${pause.where}`}
      {left === null ? (
        " · waiting for a terminal until Continue"
      ) : (
        <>
          {" "}
          · the environment is kept; the wait ends in{" "}
          <span data-countdown-to={pause.endsAt!.toISOString()}>{countdownClock(left)}</span>
        </>
      )}
      {props.canContinue && (
        <>
          {" "}
          <ActionButton
            action={props.continueAction}
            label="Continue"
            small
            icon={<Icon name="play" />}
            csrfToken={props.csrfToken}
          />
        </>
      )}
    </div>
  );
}

/** Retry whose new try pauses at a breakpoint for a terminal (porthole's own). */
export function RetryWithTerminal(props: { action: string; csrfToken: string }) {
  return (
    <details class="retry-with-terminal">
      <summary class="btn">
        <Icon name="terminal" />
        Retry with terminal
      </summary>
      <form method="post" action={props.action} class="stack">
        <CsrfField token={props.csrfToken} />
        <label>
          Pause
          <select name="debug_breakpoint">
            <option value="before_script">before before_script</option>
            <option value="before_script_end">at the end of before_script</option>
            <option value="script">before script line…</option>
            <option value="on_failure">when the script fails</option>
          </select>
        </label>
        <label>
          Script line <input type="number" name="debug_line" min="1" value="1" />
        </label>
        <button type="submit" class="btn btn-primary">
          Retry with terminal
        </button>
      </form>
    </details>
  );
}

/** The form's fields as the API's `debug_breakpoint` word (`script` takes the line). */
export function breakpointField(body: Record<string, unknown>): string | undefined {
  const kind = body.debug_breakpoint;
  if (typeof kind !== "string" || kind === "") return undefined;
  return kind === "script" ? `script:${String(body.debug_line ?? "").trim()}` : kind;
}
