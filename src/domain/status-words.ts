// The one vocabulary people read for job statuses and terminal close reasons: pages, terminal page, `porthole attach`.

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
  waiting_for_resource: "waiting for resource",
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

const CLOSE_REASONS: Record<string, string> = {
  job_finished: "the job finished",
  session_timeout: "the session timed out",
  canceled: "the job was canceled",
  max_session_time: "the maximum session time was reached",
  replaced: "another writer took over (reload to watch)",
  shell_exited: "the shell exited",
  too_slow: "this connection fell too far behind",
  server_stopping: "the server is stopping",
  client_closed: "the connection was closed",
  no_terminal: "the job offers no terminal",
};

/** Why a terminal closed, in words (`session_timeout` → "the session timed out"); an unknown reason as it is. */
export function closeReasonWords(reason: string): string {
  return CLOSE_REASONS[reason] ?? reason;
}
