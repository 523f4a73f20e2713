// Reads a request's parameters once: query string merged with a JSON, form-encoded or multipart body (body wins).
import type { ApiContext } from "../env.ts";
import { ParamsError } from "./errors.ts";
import { nestParams, type Params } from "./nested-params.ts";

/**
 * All parameters of the request, as GitLab's API (Grape) sees them: the query string and the body merged.
 * JSON bodies must be an object; form bodies use Rack's nested names. Files in multipart bodies are ignored.
 * Throws ParamsError (400) for a body that cannot be parsed.
 */
export async function readParams(c: ApiContext): Promise<Params> {
  const cached = c.get("params");
  if (cached) return cached;
  const query = nestParams(new URL(c.req.url).searchParams);
  const body = await readBody(c);
  const params = { ...query, ...body };
  c.set("params", params);
  return params;
}

async function readBody(c: ApiContext): Promise<Params> {
  if (c.req.method === "GET" || c.req.method === "HEAD") return {};
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || type.endsWith("+json")) {
    const text = await c.req.text();
    if (text.trim() === "") return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ParamsError("The request body is not valid JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new ParamsError("The request body must be a JSON object");
    }
    return parsed as Params;
  }
  if (type === "application/x-www-form-urlencoded") {
    return nestParams(new URLSearchParams(await c.req.text()));
  }
  if (type === "multipart/form-data") {
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw new ParamsError("The multipart request body could not be read");
    }
    const fields: [string, unknown][] = [];
    form.forEach((value, name) => {
      if (typeof value === "string") fields.push([name, value]);
    });
    return nestParams(fields);
  }
  return {};
}
