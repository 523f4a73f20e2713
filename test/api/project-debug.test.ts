// The project's `debug_on_failure` (porthole's own): set on create and update, shown, bounded.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeHarness } from "../support/api-harness.ts";

let h: Awaited<ReturnType<typeof makeHarness>>;
beforeAll(async () => (h = await makeHarness()));
afterAll(() => h.close());

test("debug_on_failure is stored in seconds, shown, cleared with 0 or null, and refused out of range", async () => {
  const made = await h.request("/projects", { json: { name: "debugged", debug_on_failure: 600 } });
  expect(made.status).toBe(201);
  const project = (await made.json()) as { id: number; debug_on_failure: number | null };
  expect(project.debug_on_failure).toBe(600);

  const put = (body: Record<string, unknown>) => h.request(`/projects/${project.id}`, { method: "PUT", json: body });
  expect(((await (await put({ debug_on_failure: 0 })).json()) as { debug_on_failure: null }).debug_on_failure).toBe(
    null,
  );
  const tooLong = await put({ debug_on_failure: 90_000 });
  expect(tooLong.status).toBe(400);
  expect(await tooLong.text()).toContain("debug_on_failure");
  const negative = await put({ debug_on_failure: -1 });
  expect(negative.status).toBe(400);
  const words = await put({ debug_on_failure: "ten minutes" });
  expect(words.status).toBe(400);
  expect(await words.text()).toContain("debug_on_failure");
});
