// Job variables as GitLab's runner resolves them: last key wins, `$VAR`/`${VAR}` expansion, ref slugs; pure.
import type { PayloadVariable } from "./coordinator.ts";

/** A variable after precedence and expansion: one per key, as the job's processes see it. */
export interface ResolvedVariable {
  key: string;
  value: string;
  masked: boolean;
}

/** A variable the runner itself defines (CI_PROJECT_DIR, CI_BUILDS_DIR …). */
export interface RunnerVariable {
  key: string;
  value: string;
}

// Go's shell-special parameters: `$$` stays a dollar, the positional/special ones expand to nothing.
const SPECIAL = "*#$@!?-0123456789";
const isNameChar = (c: string) => /[A-Za-z0-9_]/.test(c);

/**
 * Expands `$NAME` and `${NAME}` in `text` the way Go's `os.Expand` does inside gitlab-runner:
 * unknown names become empty, `$$` becomes `$`, a `$` not followed by a name stays, and a bad
 * `${…` form is dropped. One level only: the value looked up is not expanded again (GitLab's rule).
 */
export function expandValue(text: string, lookup: (name: string) => string | undefined): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar < 0 || dollar === text.length - 1) return out + text.slice(i);
    out += text.slice(i, dollar);
    const { name, width } = nameAt(text, dollar + 1);
    if (name === "$") out += "$";
    else if (name.length === 1 && SPECIAL.includes(name)) out += "";
    else if (name !== "") out += lookup(name) ?? "";
    else if (width === 0) out += "$";
    i = dollar + 1 + width;
  }
  return out;
}

/** The parameter name after a `$` at `start`, and how many characters it spans (0: not a name). */
function nameAt(text: string, start: number): { name: string; width: number } {
  const first = text.charAt(start);
  if (first === "{") {
    if (start + 2 < text.length && SPECIAL.includes(text.charAt(start + 1)) && text.charAt(start + 2) === "}") {
      return { name: text.charAt(start + 1), width: 3 };
    }
    const close = text.indexOf("}", start + 1);
    if (close < 0) return { name: "", width: 1 };
    if (close === start + 1) return { name: "", width: 2 };
    return { name: text.slice(start + 1, close), width: close - start + 1 };
  }
  if (SPECIAL.includes(first)) return { name: first, width: 1 };
  let end = start;
  while (end < text.length && isNameChar(text.charAt(end))) end++;
  return { name: text.slice(start, end), width: end - start };
}

/**
 * Resolves a job's variables: `runnerDefined` first (lowest precedence, as gitlab-runner orders them), then
 * `vars` in rising precedence; a later key wins. Every non-raw value is expanded against the whole set
 * (the last value of each key, unexpanded). Returns one entry per key, in order of first appearance.
 */
export function expandVariables(
  vars: readonly PayloadVariable[],
  runnerDefined: readonly RunnerVariable[] = [],
): ResolvedVariable[] {
  const all: PayloadVariable[] = [
    ...runnerDefined.map((v) => ({ key: v.key, value: v.value, masked: false, raw: true })),
    ...vars,
  ];
  const last = new Map<string, PayloadVariable>();
  for (const v of all) last.set(v.key, v);
  const order = [...new Set(all.map((v) => v.key))];
  const lookup = (name: string) => last.get(name)?.value;
  return order.map((key) => {
    const v = last.get(key)!;
    return { key, value: v.raw ? v.value : expandValue(v.value, lookup), masked: v.masked };
  });
}

/** GitLab's CI_COMMIT_REF_SLUG: lowercased, every non `[a-z0-9]` → `-`, cut to 63, dashes trimmed. */
export function slugify(ref: string): string {
  return ref
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");
}
