// Bundle-time macro: builds the pages' client script and stylesheet from web/ui/ so the binary carries them.
import { join } from "node:path";

const WEB = join(import.meta.dir, "../../../web/ui");

/** Runs `bun build` (the CLI: Bun.build cannot run inside a macro) and returns the single output file's text. */
function bunBuild(entry: string, extra: string[]): string {
  const out = Bun.spawnSync([process.execPath, "build", join(WEB, entry), "--minify", ...extra], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (out.exitCode !== 0) throw new Error(`bundling web/ui/${entry} failed:\n${out.stderr.toString()}`);
  return out.stdout.toString();
}

/** The pages' client modules (web/ui/main.ts and what it imports) as one ES module. */
export function bundleScript(): string {
  return bunBuild("main.ts", ["--target=browser", "--format=esm"]);
}

/** The recording player page's script: web/player/player.ts with asciinema-player, as one ES module. */
export function bundlePlayerScript(): string {
  return bunBuild("../player/player.ts", ["--target=browser", "--format=esm"]);
}

/** The player page's stylesheet: asciinema-player's styles and the page's own. */
export function bundlePlayerStyles(): string {
  return bunBuild("../player/player.css", []);
}

/** web/ui/style.css with its @imports inlined, minified. */
export function bundleStyles(): string {
  return bunBuild("style.css", []);
}
