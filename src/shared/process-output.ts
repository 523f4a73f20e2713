// Waits for a spawned process to exit and collects everything it printed (stdout and stderr both piped).

export interface ProcessOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Reads both streams to their end while waiting for the exit, so a chatty process never blocks on a full pipe. */
export async function processOutput(proc: {
  stdout: ReadableStream<Uint8Array>;
  stderr: ReadableStream<Uint8Array>;
  exited: Promise<number>;
}): Promise<ProcessOutput> {
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}
