// Rack's nested parameter names (`variables[KEY]=v`, `scopes[]=api`, `variables[][key]=K`) → plain objects.
//
// Written by hand because GitLab clients (curl examples, python-gitlab's form posts) rely on Rack's exact
// rules — notably `a[][k]=1&a[][v]=2` filling ONE array element — which generic query-string parsers differ on.

export type Params = Record<string, unknown>;

/** Names that would reach Object.prototype; such parameters are dropped. */
const UNSAFE_KEYS = new Set(["__proto__", "prototype", "constructor"]);
const MAX_DEPTH = 8;

const isObject = (v: unknown): v is Params => typeof v === "object" && v !== null && !Array.isArray(v);

/** Builds nested params from name/value pairs in order, as Rack::Utils.parse_nested_query does. */
export function nestParams(pairs: Iterable<[string, unknown]>): Params {
  const params: Params = {};
  for (const [name, value] of pairs) normalize(params, name, value, 0);
  return params;
}

function normalize(params: Params, name: string, value: unknown, depth: number): Params {
  const match = /^[[\]]*([^[\]]+)\]*(.*)$/s.exec(name);
  const key = match?.[1];
  const after = match?.[2] ?? "";
  if (!key || UNSAFE_KEYS.has(key) || depth > MAX_DEPTH) return params;
  if (after === "") {
    params[key] = value;
  } else if (after === "[]") {
    if (!Array.isArray(params[key])) params[key] = [];
    const list = params[key] as unknown[];
    list.push(value);
  } else if (after.startsWith("[]")) {
    const childKey = /^\[\]\[([^[\]]+)\]$/.exec(after)?.[1] ?? after.slice(2);
    if (!Array.isArray(params[key])) params[key] = [];
    const list = params[key] as unknown[];
    const last = list[list.length - 1];
    const childName = /^[^[\]]+/.exec(childKey)?.[0] ?? childKey;
    if (isObject(last) && !(childName in last)) normalize(last, childKey, value, depth + 1);
    else list.push(normalize({}, childKey, value, depth + 1));
  } else {
    if (!isObject(params[key])) params[key] = {};
    const child = params[key] as Params;
    normalize(child, after, value, depth + 1);
  }
  return params;
}
