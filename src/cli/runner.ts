// `porthole runner`: a remote runner process taking jobs from a porthole (or GitLab) server over HTTP.
import { loadConfig } from "../config/load.ts";
import { ConfigError } from "../config/problems.ts";
import { createLogger } from "../logger.ts";
import { fromGitlabRunnerToml } from "../runner/remote/gitlab-runner-toml.ts";
import { parseCommandArgs, printHelp } from "./args.ts";
import { configFlagHelp, configFlagOptions } from "./config-flags.ts";

export const runnerHelp = `Usage: porthole runner --url URL --token glrt-… [flags]

Runs jobs for a porthole server from another machine: create the runner on the server's admin page
(Admin → Runners, "New instance runner") and start it with the URL and token shown there. Jobs run with
runner.executor (shell or docker), runner.concurrent at a time. The session server (session_server.*) serves
job terminals over TLS with a certificate made at start; set session_server.advertise_address to the
host:port the server reaches this machine at. Stops on Ctrl-C (SIGINT) or SIGTERM: running jobs are canceled.

The config file may be porthole's shape or gitlab-runner's config.toml shape (concurrent, one [[runners]]
entry with url, token, executor, [runners.docker]; [session_server]).

  --url URL      same as --runner-url
  --token TOKEN  same as --runner-token

${configFlagHelp()}`;

const options = { ...configFlagOptions, url: { type: "string" as const }, token: { type: "string" as const } };

/** Resolves with the first SIGINT or SIGTERM; a second one exits at once. */
function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.on("SIGINT", () => process.exit(130)).on("SIGTERM", () => process.exit(143));
      resolve(signal);
    };
    process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  });
}

export async function runRunner(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { name: "porthole runner", options });
  if (!parsed) return printHelp(runnerHelp);
  const { url, token, ...rest } = parsed.values;
  const flags = { ...rest, ...(url ? { "runner-url": url } : {}), ...(token ? { "runner-token": token } : {}) };
  const config = loadConfig({
    argvFlags: flags,
    env: process.env,
    cwd: process.cwd(),
    translateFile: fromGitlabRunnerToml,
  });
  const problems: string[] = [
    ...(config.runner.url ? [] : ["runner.url is required (--url, PORTHOLE_RUNNER_URL or url in the config file)"]),
    ...(config.runner.token
      ? []
      : ["runner.token is required (--token, PORTHOLE_RUNNER_TOKEN or token in the config file)"]),
  ];
  const advertise = config.session_server.advertise_address;
  if (advertise && !/^(\[[0-9a-fA-F:]+\]|[^\s:/]+):\d{1,5}$/.test(advertise))
    problems.push(
      `session_server.advertise_address must be host:port, e.g. runner1.example.com:8093, got "${advertise}"`,
    );
  if (problems.length > 0) throw new ConfigError(problems);
  const logger = createLogger(config.log);
  const { startRemoteRunner } = await import("../runner/remote/remote-runner.ts");
  const stopSignal = untilStopSignal();
  let runner: Awaited<ReturnType<typeof startRemoteRunner>>;
  try {
    runner = await startRemoteRunner(config, logger);
  } catch (error) {
    console.error(`porthole runner: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  console.log(`porthole runner: runner ${runner.id} online; Ctrl-C stops`);
  const signal = await stopSignal;
  console.log(`porthole runner: ${signal} received, stopping`);
  await runner.stop();
  console.log("porthole runner: stopped");
  return 0;
}
