// The environment every git the server or runner starts gets: nothing of the server's but PATH and HOME.

/**
 * PATH and HOME (for ssh's keys and known hosts) and nothing else of the server's environment; no system or global
 * git config, no system attributes, no prompts and English messages: every git call runs with the same
 * configuration, whatever the machine or a job wrote.
 */
export function isolatedGitEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: process.env.HOME ?? "/",
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_ATTR_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GCM_INTERACTIVE: "never",
    GIT_SSH_COMMAND: "ssh -o BatchMode=yes",
    GIT_NO_REPLACE_OBJECTS: "1",
  };
}
