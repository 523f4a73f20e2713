// Leases of remote jobs, swept at chosen times: expiry fails (or, unconfirmed, requeues) a job; renewals keep it.
import { describe, expect, test } from "bun:test";
import { createRunner } from "../auth/runner-tokens.ts";
import { planJob } from "../pipeline/pipeline.testing.ts";
import { queueWithPipeline } from "./queue.testing.ts";

const LEASE_MS = 60_000; // the queue's default lease
const later = (ms: number) => new Date(Date.now() + ms);

async function leasedJob(opts: { twoPhase?: boolean; retry?: boolean } = {}) {
  const spec = planJob("j", 0, {
    retry: { max: opts.retry ? 1 : 0, when: ["runner_system_failure"], exitCodes: [] },
  });
  const env = queueWithPipeline([spec]);
  const { row: runner } = createRunner(env.store.db, { description: "remote" });
  const got = await env.queue.remote.request(runner, {
    session: null,
    twoPhase: opts.twoPhase ?? false,
    signal: new AbortController().signal,
  });
  if (!got) throw new Error("no job was handed out");
  const row = () => env.store.repos.jobs.findById(got.job.id)!;
  return { env, job: got.job, row };
}

describe("remote job leases", () => {
  test("a lease is not expired before its time, and is after it: the job fails with runner_system_failure", async () => {
    const { env, job, row } = await leasedJob();
    expect(env.queue.remote.sweep(later(LEASE_MS - 1000))).toEqual([]);
    expect(row().status).toBe("running");
    expect(env.queue.remote.sweep(later(LEASE_MS + 1000))).toEqual([job.id]);
    expect(row()).toMatchObject({ status: "failed", failureReason: "runner_system_failure", tokenHash: null });
    env.queue.stop();
  });

  test("a renewal moves the lease on", async () => {
    const { env, job, row } = await leasedJob();
    await Bun.sleep(20);
    env.queue.remote.renew(job, false);
    const renewedUntil = row().leaseExpiresAt!.getTime();
    expect(renewedUntil).toBeGreaterThan(job.leaseExpiresAt!.getTime());
    expect(env.queue.remote.sweep(new Date(renewedUntil - 1))).toEqual([]);
    env.queue.stop();
  });

  test("retry: when runner_system_failure makes a new try that is pending for the next runner", async () => {
    const { env, row } = await leasedJob({ retry: true });
    env.queue.remote.sweep(later(LEASE_MS + 1000));
    expect(row().retried).toBe(true);
    const fresh = env.store.repos.jobs.currentOfPipeline(env.pipelineId);
    expect(fresh.map((j) => j.status)).toEqual(["pending"]);
    env.queue.stop();
  });

  test("an unconfirmed two-phase job goes back to the queue; a confirmed one fails like any other", async () => {
    const first = await leasedJob({ twoPhase: true });
    first.env.queue.remote.sweep(later(LEASE_MS + 1000));
    expect(first.row()).toMatchObject({ status: "pending", runnerId: null, tokenHash: null, leaseExpiresAt: null });
    first.env.queue.stop();

    const second = await leasedJob({ twoPhase: true });
    second.env.queue.remote.renew(second.job, true);
    expect(second.row().awaitingRunnerAck).toBe(false);
    second.env.queue.remote.sweep(later(LEASE_MS + 1000));
    expect(second.row().status).toBe("failed");
    second.env.queue.stop();
  });
});
