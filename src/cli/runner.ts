// `porthole runner`: the remote runner process (not built yet); says so plainly with exit code 2.
import { printHelp } from "./args.ts";

export const runnerHelp = `Usage: porthole runner --url URL --token TOKEN

Runs jobs for a porthole server from another machine. Not yet available in this version:
use the embedded runner of "porthole serve" (runner.enabled = true, the default).`;

export async function runRunner(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) return printHelp(runnerHelp);
  console.error(
    "porthole runner: not yet available in this version; the embedded runner of 'porthole serve' runs jobs",
  );
  return 2;
}
