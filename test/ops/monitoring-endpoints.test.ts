// /-/health, /-/liveness, /-/readiness and /-/metrics: open to loopback without signing in, refused outside the list.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";

let t: TestPorthole;

beforeAll(async () => {
  t = await startTestPorthole({ runner: { executor: "shell" } });
});
afterAll(async () => {
  await t?.stop();
});

/** The value of one sample line `name{labels} value` in Prometheus text, or undefined. */
function sample(text: string, name: string, labels = ""): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("monitoring endpoints", () => {
  test("health and liveness answer loopback without credentials", async () => {
    const health = await fetch(`${t.url}/-/health`, { redirect: "manual" });
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("porthole OK");
    const live = await fetch(`${t.url}/-/liveness`, { redirect: "manual" });
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok" });
  });

  test("readiness reports the database, disk and runner checks", async () => {
    const res = await fetch(`${t.url}/-/readiness`, { redirect: "manual" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "ok",
      db_check: [{ status: "ok" }],
      disk_check: [{ status: "ok" }],
      runner_check: [{ status: "ok" }],
    });
  });

  test("metrics count a finished pipeline's job, its log bytes, the requests and the process", async () => {
    const project = (await (
      await t.api("/projects", {
        method: "POST",
        json: { name: "metered", ci_config: "job:\n  script: [echo metered-output]\n" },
      })
    ).json()) as { id: number };
    const pipeline = (await (await t.api(`/projects/${project.id}/pipeline?ref=main`, { method: "POST" })).json()) as {
      id: number;
    };
    await waitFor("the pipeline to succeed", async () => {
      const p = (await (await t.api(`/projects/${project.id}/pipelines/${pipeline.id}`)).json()) as { status: string };
      return p.status === "success";
    });
    const res = await fetch(`${t.url}/-/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(sample(text, "porthole_jobs", '{status="success"}')).toBe(1);
    expect(sample(text, "porthole_pipelines_created_total")).toBe(1);
    expect(sample(text, "porthole_job_queue_wait_seconds_count")).toBe(1);
    expect(sample(text, "porthole_job_duration_seconds_count", '{status="success"}')).toBe(1);
    expect(sample(text, "porthole_trace_ingested_bytes_total")).toBeGreaterThan("metered-output".length);
    expect(sample(text, "porthole_terminals_open")).toBe(0);
    expect(sample(text, "porthole_terminal_viewers")).toBe(0);
    expect(sample(text, "porthole_terminal_relayed_bytes_total")).toBe(0);
    expect(sample(text, "porthole_recordings_bytes")).toBe(0);
    expect(sample(text, "porthole_http_requests_total", '{method="POST",route="/api/v4/projects",status="201"}')).toBe(
      1,
    );
    expect(
      sample(text, "porthole_http_request_duration_seconds_count", '{method="POST",route="/api/v4/projects"}'),
    ).toBe(1);
    expect(sample(text, "porthole_database_bytes")).toBeGreaterThan(0);
    expect(sample(text, "porthole_data_dir_free_bytes")).toBeGreaterThan(0);
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(10_000_000);
    expect(sample(text, "porthole_event_loop_delay_seconds", '{quantile="1"}')).toBeGreaterThan(0);
  });
});

describe("the monitoring allow-list", () => {
  test("a loopback caller outside monitoring.ip_whitelist gets 404 from every endpoint", async () => {
    const other = await startTestPorthole({ runner: { enabled: false }, monitoring: { ip_whitelist: ["10.0.0.0/8"] } });
    try {
      for (const path of ["/-/health", "/-/liveness", "/-/readiness", "/-/metrics"]) {
        const res = await fetch(`${other.url}${path}`, { redirect: "manual" });
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
      }
    } finally {
      await other.stop();
    }
  });

  test("an address in the list is let in, a malformed range is a configuration error", async () => {
    const other = await startTestPorthole({
      runner: { enabled: false },
      monitoring: { ip_whitelist: ["10.0.0.0/8", "127.0.0.1"] },
    });
    try {
      expect((await fetch(`${other.url}/-/health`)).status).toBe(200);
    } finally {
      await other.stop();
    }
    const { configSchema } = await import("../../src/config/schema.ts");
    const parsed = configSchema.safeParse({ monitoring: { ip_whitelist: ["10.0.0.0/33"] } });
    expect(parsed.success).toBe(false);
  });
});

describe("the admin page's free-space warning", () => {
  const adminPage = async (target: TestPorthole) => {
    const { createWebSession } = await import("../../src/auth/web-sessions.ts");
    const { users } = await import("../../src/store/schema.ts");
    const { eq } = await import("drizzle-orm");
    const db = target.porthole.store.db;
    const root = db.select().from(users).where(eq(users.username, "root")).get()!;
    const session = createWebSession(db, root.id, {});
    const res = await fetch(`${target.url}/admin`, { headers: { Cookie: `_porthole_session=${session.cookieValue}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  test("appears when less than monitoring.disk_warning_bytes is free under data_dir, and not otherwise", async () => {
    expect(await adminPage(t)).not.toContain("are free under");
    const other = await startTestPorthole({
      runner: { enabled: false },
      monitoring: { disk_warning_bytes: Number.MAX_SAFE_INTEGER },
    });
    try {
      const html = await adminPage(other);
      expect(html).toContain(`are free under ${other.dataDir}`);
      expect(html).toContain('role="alert"');
    } finally {
      await other.stop();
    }
  });
});
