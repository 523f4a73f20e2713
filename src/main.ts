// The composition root: runs the command line (src/cli/) and exits with its code.
import { runCli } from "./cli/run-cli.ts";

// No top-level await: the binary is compiled with --bytecode (parsing ~10 MB of JS costs ~100 ms at every start
// otherwise), which needs a module without it. exit() rather than exitCode: a command that failed half-way
// must not leave the process hanging on open handles.
void runCli(process.argv.slice(2)).then((code) => process.exit(code));
