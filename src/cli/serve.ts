// `porthole serve`: boots the whole server (store, runner, HTTP) and runs until SIGINT or SIGTERM, then stops cleanly.
import { parseCommandArgs, printHelp } from "./args.ts";
import { configFlagHelp, configFlagOptions, configFromFlags } from "./config-flags.ts";

export const serveHelp = `Usage: porthole serve [flags]

Runs the web UI, the API, the SQLite store, terminal WebSockets and the embedded runner.
Migrations run at start. On a new database the admin "root" is created; its password comes from
PORTHOLE_ROOT_PASSWORD or is generated and printed once. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM: running
jobs are canceled, live log followers get their end event and terminals are closed, within 10 s; a second
signal exits at once.

${configFlagHelp()}`;

/** How long stopping may take (jobs canceled, followers told `end`, store closed) before the process just exits. */
const STOP_LIMIT_MS = 10_000;

/** Resolves with the first SIGINT or SIGTERM; a second one while stopping exits at once. */
function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.on("SIGINT", () => process.exit(130)).on("SIGTERM", () => process.exit(143));
      resolve(signal);
    };
    process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  });
}

export async function runServe(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { name: "porthole serve", options: configFlagOptions });
  if (!parsed) return printHelp(serveHelp);
  const config = configFromFlags(parsed.values);
  const { bootPorthole } = await import("../boot.ts"); // after flag checks: help and mistakes stay quick
  const stopSignal = untilStopSignal();
  const porthole = await bootPorthole(config);
  if (porthole.rootPassword) {
    console.log(
      `Created the administrator "root" with password: ${porthole.rootPassword}  (shown once; change it at /-/user_settings/profile after signing in)`,
    );
  }
  console.log(`porthole: data in ${config.data_dir}; Ctrl-C stops`);
  const signal = await stopSignal;
  console.log(`porthole: ${signal} received, stopping`);
  const stopped = await Promise.race([porthole.stop().then(() => true), Bun.sleep(STOP_LIMIT_MS).then(() => false)]);
  if (!stopped) {
    console.error(`porthole: not stopped within ${STOP_LIMIT_MS / 1000} s; exiting now`);
    return 1;
  }
  console.log("porthole: stopped");
  return 0;
}
