// The composition root: runs the command line (src/cli/) and exits with its code.
import { runCli } from "./cli/run-cli.ts";

// exit() rather than exitCode: a command that failed half-way must not leave the process hanging on open handles.
process.exit(await runCli(process.argv.slice(2)));
