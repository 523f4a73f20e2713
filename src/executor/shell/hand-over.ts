// Hands a job's project directory to the job's user: a recursive chown that never follows a link.
import { lchown, readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * Makes `dir` and everything below it owned by `uid:gid`. Links are changed themselves, never followed: the
 * folder's contents may come from an earlier job, which could have left a link to /etc in it. Run it only while
 * nothing of the job runs (it walks by path).
 */
export async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await lchown(dir, uid, gid);
  const entries = await readdir(dir, { withFileTypes: true });
  await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? chownTree(path, uid, gid) : lchown(path, uid, gid);
    }),
  );
}
