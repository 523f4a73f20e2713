// The runner API calls exactly as gitlab-runner 17.x sends them (network/gitlab.go, common/network.go): paths,
// headers and JSON shapes, so protocol tests drive porthole the way a real runner fleet does.

export const RUNNER_VERSION = "17.5.0";
const USER_AGENT = `gitlab-runner ${RUNNER_VERSION} (17-5-stable; go1.22.7; linux/amd64)`;

/** `info` (common.VersionInfo) with the features a shell runner with a session server advertises. */
export function runnerInfo(features: Record<string, boolean> = {}) {
  return {
    name: "gitlab-runner",
    version: RUNNER_VERSION,
    revision: "66269445",
    platform: "linux",
    architecture: "amd64",
    executor: "shell",
    shell: "bash",
    features: {
      variables: true,
      image: false,
      services: false,
      artifacts: true,
      cache: true,
      fallback_cache_keys: true,
      shared: true,
      upload_multiple_artifacts: true,
      upload_raw_artifacts: true,
      session: true,
      terminal: true,
      refspecs: true,
      masking: true,
      proxy: false,
      raw_variables: true,
      artifacts_exclude: true,
      multi_build_steps: true,
      trace_reset: true,
      trace_checksum: true,
      trace_size: true,
      vault_secrets: true,
      cancelable: true,
      return_exit_code: true,
      service_variables: true,
      service_multiple_aliases: true,
      image_executor_opts: true,
      service_executor_opts: true,
      cancel_gracefully: true,
      native_steps_integration: false,
      two_phase_job_commit: false,
      ...features,
    },
    config: { gpus: "" },
  };
}

export interface RunnerCallOptions {
  base: string;
  token: string;
  features?: Record<string, boolean>;
}

const json = { "Content-Type": "application/json", Accept: "application/json", "User-Agent": USER_AGENT };

export function gitlabRunnerCalls({ base, token, features }: RunnerCallOptions) {
  const api = `${base}/api/v4`;
  const info = runnerInfo(features);
  return {
    verify: () =>
      fetch(`${api}/runners/verify`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ token, system_id: "s_0123456789ab" }),
      }),
    unregister: () => fetch(`${api}/runners`, { method: "DELETE", headers: json, body: JSON.stringify({ token }) }),
    requestJob: (lastUpdate = "", session?: { url: string; certificate: string; authorization: string }) =>
      fetch(`${api}/jobs/request`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ info, token, system_id: "s_0123456789ab", last_update: lastUpdate, session }),
      }),
    /** common.UpdateJobRequest; `output` carries the trace's IEEE CRC-32 and size as the runner computes them. */
    updateJob: (
      jobId: number,
      jobToken: string,
      state: "running" | "success" | "failed",
      extra: { failure_reason?: string; exit_code?: number; output?: { checksum: string; bytesize: number } } = {},
    ) =>
      fetch(`${api}/jobs/${jobId}`, {
        method: "PUT",
        headers: { ...json, "JOB-TOKEN": jobToken },
        body: JSON.stringify({
          info,
          token: jobToken,
          state,
          failure_reason: extra.failure_reason ?? "",
          exit_code: extra.exit_code ?? 0,
          output: extra.output,
        }),
      }),
    /** `Content-Range: start-end`, inclusive, no unit (network/trace.go). */
    patchTrace: (jobId: number, jobToken: string, offset: number, chunk: string | Uint8Array) => {
      const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
      return fetch(`${api}/jobs/${jobId}/trace`, {
        method: "PATCH",
        headers: {
          "Content-Type": "text/plain",
          "User-Agent": USER_AGENT,
          "JOB-TOKEN": jobToken,
          "Content-Range": `${offset}-${offset + bytes.length - 1}`,
        },
        body: bytes as Uint8Array<ArrayBuffer>,
      });
    },
  };
}

/** The output checksum gitlab-runner sends: `crc32:` and the IEEE CRC-32 of the whole trace (`%x`: no leading zeros). */
export function traceChecksum(trace: string | Uint8Array): { checksum: string; bytesize: number } {
  const bytes = typeof trace === "string" ? new TextEncoder().encode(trace) : trace;
  return { checksum: `crc32:${Bun.hash.crc32(bytes).toString(16)}`, bytesize: bytes.length };
}
