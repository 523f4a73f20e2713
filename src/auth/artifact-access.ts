// `artifacts:access` (and `public`): who may download a job's artifacts, beyond reading the job.
import { ROLES } from "./permissions.ts";

/** `all`: whoever may read the job; `developer`: Developers and up (and admins); `none`: nobody. */
export function mayDownloadArtifacts(rule: "all" | "developer" | "none" | undefined, level: number, admin: boolean) {
  if (rule === undefined || rule === "all") return true;
  return rule === "developer" && (level >= ROLES.developer || admin);
}
