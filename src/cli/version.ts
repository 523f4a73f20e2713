// `porthole version`: prints the program's version and the Bun runtime it runs on.
import { VERSION } from "../version.ts";
import { printHelp } from "./args.ts";

export const versionHelp = `Usage: porthole version

Prints porthole's version and the Bun runtime it runs on.`;

export async function runVersion(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) return printHelp(versionHelp);
  console.log(`porthole ${VERSION} (bun ${Bun.version})`);
  return 0;
}
