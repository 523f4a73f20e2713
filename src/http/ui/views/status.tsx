// Status icons and badges with GitLab's words and colours (green check, red cross, blue running, grey skipped …).
/** @jsxImportSource hono/jsx */
import type { JobStatus } from "../../../domain/status.ts";
import { statusWord } from "../../../domain/status-words.ts";

/** A status as shown: GitLab's statuses plus `warning` for a failed job that was allowed to fail. */
export type ShownStatus = JobStatus | "warning";

/** The inner marks of each icon, drawn on a 16×16 circle. */
const MARKS: Record<ShownStatus, string> = {
  success: "M4.5 8.2l2.3 2.3 4.7-4.9",
  failed: "M5.5 5.5l5 5M10.5 5.5l-5 5",
  running: "M8 3.5a4.5 4.5 0 0 1 0 9z",
  pending: "M6.3 5.5v5M9.7 5.5v5",
  canceled: "M4.8 11.2l6.4-6.4",
  skipped: "M4.5 5.5l2.5 2.5-2.5 2.5M8.5 5.5l2.5 2.5-2.5 2.5",
  manual: "M6.5 5.2v5.6l4.3-2.8z",
  created: "",
  scheduled: "M8 4.8V8l2.2 1.5",
  waiting_for_resource: "M5 8h.01M8 8h.01M11 8h.01",
  warning: "M8 4.5v4.2M8 10.8v.7",
};

export const statusLabel = (s: ShownStatus): string => statusWord(s);

/** The status to show for a job: `warning` for a failed job with allow_failure. */
export function shownJobStatus(job: { status: JobStatus; allowFailure: boolean }): ShownStatus {
  return job.status === "failed" && job.allowFailure ? "warning" : job.status;
}

/** A 16px status icon; `label` gives it an accessible name (omit it when text beside it says the same). */
export function StatusIcon(props: { status: ShownStatus; label?: boolean }) {
  const s = props.status;
  const filled = s === "running" || s === "manual";
  return (
    <svg
      class={`ci-icon ci-${s}`}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      role={props.label ? "img" : undefined}
      aria-hidden={props.label ? undefined : "true"}
      aria-label={props.label ? statusLabel(s) : undefined}
    >
      <circle
        cx="8"
        cy="8"
        r="7"
        fill="none"
        stroke="currentColor"
        stroke-width="1.6"
        stroke-dasharray={s === "created" ? "2.2 1.8" : undefined}
      />
      {MARKS[s] && (
        <path
          d={MARKS[s]}
          fill={filled ? "currentColor" : "none"}
          stroke="currentColor"
          stroke-width="1.6"
          stroke-linecap="round"
          stroke-linejoin="round"
        />
      )}
    </svg>
  );
}

/** The pill GitLab shows in lists and headers: icon and word, linking somewhere when `href` is given. */
export function StatusBadge(props: { status: ShownStatus; href?: string }) {
  const inner = (
    <>
      <StatusIcon status={props.status} />
      <span>{statusLabel(props.status)}</span>
    </>
  );
  const cls = `ci-badge ci-${props.status}`;
  return props.href ? (
    <a class={cls} href={props.href} data-status={props.status}>
      {inner}
    </a>
  ) : (
    <span class={cls} data-status={props.status}>
      {inner}
    </span>
  );
}
