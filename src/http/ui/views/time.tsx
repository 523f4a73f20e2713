// Times as GitLab shows them: "3 minutes ago" with the exact time on hover (a real <time> element).
/** @jsxImportSource hono/jsx */
import { exactTime, timeAgo } from "./format.ts";

export function TimeAgo(props: { at: Date | null }) {
  if (!props.at) return <span class="muted">—</span>;
  return (
    <time datetime={props.at.toISOString()} title={exactTime(props.at)}>
      {timeAgo(props.at)}
    </time>
  );
}
