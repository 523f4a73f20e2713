// Pipeline variables from a request: `[{key, value}]` (pipeline API, job play) or `{KEY: value}` (trigger API).
import { ParamsError } from "../middleware/errors.ts";

const KEY = /^[a-zA-Z0-9_]{1,255}$/;
const MAX_VARIABLES = 200;

/**
 * Normalises the forms GitLab clients send: a list of `{key, value}` (`variables[][key]=…` in forms), or a map
 * of key to value (`variables[KEY]=value`, python-gitlab's trigger). Values may be numbers or booleans.
 * Throws ParamsError naming `param` for anything else.
 */
export function pipelineVariables(raw: unknown, param = "variables"): { key: string; value: string }[] {
  if (raw === undefined || raw === null || raw === "") return [];
  const entries: [unknown, unknown][] = Array.isArray(raw)
    ? raw.map((item) =>
        typeof item === "object" && item !== null
          ? [(item as Record<string, unknown>).key, (item as Record<string, unknown>).value]
          : [undefined, undefined],
      )
    : typeof raw === "object"
      ? Object.entries(raw as Record<string, unknown>)
      : [[undefined, undefined]];
  if (entries.length > MAX_VARIABLES) throw new ParamsError(`${param} is invalid: at most ${MAX_VARIABLES} variables`);
  return entries.map(([key, value], i) => {
    if (typeof key !== "string" || !KEY.test(key)) {
      throw new ParamsError(`${param}[${i}][key] is invalid: letters, digits and '_' only`);
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new ParamsError(`${param}[${i}][value] is missing`);
    }
    return { key, value: String(value) };
  });
}
