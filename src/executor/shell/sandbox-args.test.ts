// The sandbox's command lines: what is mounted, hidden and made, and how a program enters as whom.
import { describe, expect, test } from "bun:test";
import { enterArgv, sandboxInitArgv } from "./sandbox-args.ts";

const nobody = { name: "nobody", uid: 65534, gid: 65534 };
const layout = (hiddenPaths: string[], projectDir = "/srv/ci/data/builds/0/g/p") => ({
  projectDir,
  scriptsDir: `${projectDir}.tmp`,
  hiddenPaths,
});
/** The `--flag a b` triples of an argv, as "flag a b" strings. */
const ops = (argv: string[]) =>
  argv.map((arg, i) => (arg.startsWith("--") ? argv.slice(i, i + 3).join(" ") : "")).filter(Boolean);

describe("sandboxInitArgv", () => {
  test("the system read-only, the project read-write, scripts read-only; nothing of /srv, /home or /run", () => {
    const argv = sandboxInitArgv("bwrap", layout(["/srv/ci/data"]), true);
    expect(argv.slice(0, 5)).toEqual(["bwrap", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent"]);
    expect(argv).not.toContain("--unshare-user");
    expect(ops(argv)).toContain("--ro-bind /usr /usr");
    expect(ops(argv)).toContain("--ro-bind /etc /etc");
    expect(ops(argv)).toContain("--bind /srv/ci/data/builds/0/g/p /srv/ci/data/builds/0/g/p");
    expect(ops(argv)).toContain("--ro-bind /srv/ci/data/builds/0/g/p.tmp /srv/ci/data/builds/0/g/p.tmp");
    const sources = argv.filter((_, i) => ["--bind", "--ro-bind", "--dev-bind"].includes(argv[i - 1] ?? ""));
    for (const source of sources) expect(source).not.toMatch(/^\/(srv\/ci\/data\/?$|home|root|run|var)/);
    // Passable folders on the way to the project, made in the sandbox's own root.
    expect(ops(argv)).toContain("--perms 0755 --dir");
    expect(argv.join(" ")).toContain("--perms 0755 --dir /srv/ci/data/builds/0/g");
  });

  test("a data_dir below /opt is covered by an empty tmpfs; a data_dir that is /opt keeps /opt out", () => {
    const below = sandboxInitArgv("bwrap", layout(["/opt/porthole/data"], "/opt/porthole/data/builds/0/g/p"), true);
    expect(ops(below)).toContain("--ro-bind /opt /opt");
    expect(below.join(" ")).toContain("--tmpfs /opt/porthole/data");
    expect(below.indexOf("/opt/porthole/data")).toBeLessThan(below.indexOf("/opt/porthole/data/builds/0/g/p"));
    const whole = sandboxInitArgv("bwrap", layout(["/opt"]), true);
    expect(ops(whole)).not.toContain("--ro-bind /opt /opt");
  });

  test("a server that is not root gets a user namespace in which it is uid 0", () => {
    const argv = sandboxInitArgv("bwrap", layout([]), false);
    expect(argv.join(" ")).toContain("--unshare-user --uid 0 --gid 0");
  });
});

describe("enterArgv", () => {
  test("a root server enters as the job's user, without new privileges", () => {
    expect(enterArgv({ nsenter: "/usr/bin/nsenter" }, 42, nobody, true)).toEqual([
      "/usr/bin/nsenter",
      ..."-t 42 -m -p -i -u --wd --".split(" "),
      ..."/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs".split(" "),
    ]);
  });

  test("another server joins the user namespace too, and drops every capability", () => {
    const argv = enterArgv({ nsenter: "nsenter" }, 42, nobody, false);
    expect(argv).toContain("-U");
    expect(argv).toContain("--preserve-credentials");
    expect(argv.slice(-4)).toEqual(["/usr/bin/setpriv", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs"]);
  });
});
