// `artifacts:reports:dotenv`: `KEY=VALUE` lines a job leaves for later jobs, within GitLab's limits.
import { ArtifactRefused } from "../domain/artifacts.ts";
import { readZip } from "../shared/zip-archive.ts";

/** GitLab's limits: 5 KiB per report, 20 variables. */
const MAX_BYTES = 5 * 1024;
const MAX_VARIABLES = 20;
const KEY = /^[A-Za-z0-9_]+$/;

/** The variables of a dotenv report (a zip of the matched files); throws ArtifactRefused naming the bad line. */
export function readDotenv(zip: Uint8Array, limits: { maxFiles: number; maxBytes: number }) {
  const out = new Map<string, string>();
  for (const entry of readZip(zip, limits)) {
    if (entry.dir) continue;
    if (entry.data.length > MAX_BYTES)
      throw new ArtifactRefused(`dotenv report ${entry.path} is larger than ${MAX_BYTES} bytes`, 400);
    const lines = new TextDecoder().decode(entry.data).split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trim() === "" || line.trimStart().startsWith("#")) return;
      const eq = line.indexOf("=");
      const key = eq > 0 ? line.slice(0, eq) : "";
      if (!KEY.test(key))
        throw new ArtifactRefused(`dotenv report ${entry.path} line ${i + 1}: expected KEY=VALUE, not "${line}"`, 400);
      out.set(key, line.slice(eq + 1));
    });
  }
  if (out.size > MAX_VARIABLES)
    throw new ArtifactRefused(`dotenv report has ${out.size} variables, more than ${MAX_VARIABLES}`, 400);
  return [...out].map(([key, value]) => ({ key, value }));
}
