// The one status vocabulary people read (GitLab's words): the pages, the terminal page and `porthole attach`.

const WORDS: Record<string, string> = {
  created: "created",
  pending: "pending",
  running: "running",
  success: "passed",
  failed: "failed",
  canceled: "canceled",
  skipped: "skipped",
  manual: "manual",
  scheduled: "delayed",
  warning: "warning",
};

/** The word a person reads for an API status (`success` → `passed`); an unknown status is shown as it is. */
export function statusWord(status: string): string {
  return WORDS[status] ?? status;
}

/** Why a terminal cannot attach to a job that is not running, in those words. */
export function notRunningReason(status: string): string {
  return `the job is not running (status: ${statusWord(status)})`;
}
