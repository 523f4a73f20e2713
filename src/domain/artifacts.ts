// What runner and server exchange about artifacts: what a job collects, what it downloads, what it uploads.

/** `archive` (the job's `paths`), or a report type (`junit`, `dotenv`, …): GitLab's artifact `file_type`. */
export type ArtifactType = string;

/** One thing the runner collects after after_script (GitLab's payload `artifacts[]`). */
export interface PayloadArtifact {
  type: ArtifactType;
  paths: string[];
  exclude: string[];
  untracked: boolean;
  when: "on_success" | "on_failure" | "always";
}

/** An earlier job whose artifacts the runner unpacks into the project dir before the script. */
export interface PayloadDependency {
  id: number;
  name: string;
}

/** One collected archive (a zip), sent to the server. */
export interface ArtifactUpload {
  type: ArtifactType;
  bytes: Uint8Array;
}

/**
 * The server refused an upload or a download (too large, expired, gone). `message` is what the job log shows;
 * `status` is the runner protocol's HTTP status (413, 404, 410).
 */
export class ArtifactRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ArtifactRefused";
  }
}
