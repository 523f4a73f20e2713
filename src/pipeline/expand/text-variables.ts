// `$VAR` and `${VAR}` in paths and globs, replaced where the variable is known (GitLab's `expand_existing`).

/** `text` with each `$NAME` / `${NAME}` whose name is in `variables` replaced by its value; others stay. */
export function expandKnownVariables(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(/\$(?:\{(\w+)\}|(\w+))/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    return Object.hasOwn(variables, name) ? variables[name]! : whole;
  });
}

/** `text` with every `$NAME` / `${NAME}` replaced, unknown ones by nothing (GitLab's `ExpandVariables.expand`). */
export function expandAllVariables(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    return Object.hasOwn(variables, name) ? variables[name]! : "";
  });
}
