// Who shell jobs run as, for a root server and for any other.
import { expect, test } from "bun:test";
import { resolveJobUser } from "./job-user.ts";

test("a root server: nobody by default, root or another user only when named", () => {
  expect(resolveJobUser("", 0)).toMatchObject({ name: "nobody", uid: 65534 });
  expect(resolveJobUser("root", 0)).toMatchObject({ name: "root", uid: 0, gid: 0 });
  expect(resolveJobUser("0", 0)).toMatchObject({ uid: 0 });
  expect(resolveJobUser("4242", 0)).toEqual({ name: "4242", uid: 4242, gid: 4242 });
  expect(() => resolveJobUser("no-such-user-here", 0)).toThrow('runner.shell_user = "no-such-user-here": no such user');
});

test("any other server runs jobs as itself, and says so when told otherwise", () => {
  expect(resolveJobUser("", 1234).uid).toBe(1234);
  expect(resolveJobUser("1234", 1234).uid).toBe(1234);
  expect(() => resolveJobUser("root", 1234)).toThrow("not root, so shell jobs can only run as");
});
