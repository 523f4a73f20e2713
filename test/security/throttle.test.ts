// Password guessing is refused (429) per login after 5 failures and per address after 30, without locking out others.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { insertTestUser, TEST_PASSWORD } from "../../src/auth/users.testing.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

let t: TestPorthole;

beforeEach(async () => {
  t = await startTestPorthole({ runner: { enabled: false } });
  for (const username of ["victim", "colleague"]) insertTestUser(t.porthole.store.db, { username });
});
afterEach(async () => {
  await t?.stop();
});

/** One sign-in through the real form (pre-session CSRF cookie included); answers the status. */
async function signIn(login: string, password: string): Promise<number> {
  const res = await fetch(`${t.url}/users/sign_in`, {
    method: "POST",
    headers: { Cookie: "_porthole_csrf=throttle-test", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      authenticity_token: "throttle-test",
      "user[login]": login,
      "user[password]": password,
    }),
    redirect: "manual",
  });
  await res.body?.cancel();
  return res.status;
}

test("20 bad passwords for one user: 5 are checked (401), then refused (429) — even the right one — others still sign in", async () => {
  const answers: number[] = [];
  for (let i = 0; i < 20; i++) answers.push(await signIn("victim", `wrong-${i}`));
  expect(answers).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
  expect(await signIn("VICTIM", TEST_PASSWORD)).toBe(429);
  expect(await signIn("colleague", TEST_PASSWORD)).toBe(303);
  const failed = t.porthole.store.sqlite
    .query<{ n: number }, []>("SELECT count(*) AS n FROM audit_events WHERE action = 'sign_in_failed'")
    .get()!.n;
  expect(failed).toBe(21);
});

test("spraying one password over many usernames from one address: refused after 30 failures, for every login", async () => {
  const answers: number[] = [];
  for (let i = 0; i < 31; i++) answers.push(await signIn(`guess-${i}`, "Summer2024!"));
  expect(answers).toEqual([...Array(30).fill(401), 429]);
  expect(await signIn("colleague", TEST_PASSWORD)).toBe(429);
});
