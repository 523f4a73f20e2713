// `image:` and `services:`: a name string or a hash; keywords porthole cannot honour are refused by name.
import type { ImageSpec, ServiceSpec } from "../types.ts";
import { isMap, isSeq, type YMap, type YNode } from "../yaml/tree.ts";
import { type At, checkKeys, fail, stringOf, stringsOf, under } from "./check.ts";
import { readVariables } from "./variables.ts";

const REFUSED = new Set(["pull_policy", "docker", "kubernetes", "ports"]);
export const IMAGE_KEYS: ReadonlySet<string> = new Set(["name", "entrypoint"]);
export const SERVICE_KEYS: ReadonlySet<string> = new Set(["name", "entrypoint", "command", "alias", "variables"]);

/** `image`: `name[:tag]` or `{name, entrypoint}`; `entrypoint: [""]` clears the image's entrypoint. */
export function readImage(a: At, node: YNode): ImageSpec | undefined {
  const name = stringOf(node);
  if (name !== undefined) return named(a, node, name);
  if (!isMap(node)) return fail(a, node, "config should be a hash or a string");
  if (!checkKeys(a, node, IMAGE_KEYS, REFUSED)) return undefined;
  return withName(a, node);
}

/** `services`: a list of names or `{name, alias, entrypoint, command, variables}`. */
export function readServices(a: At, node: YNode): ServiceSpec[] | undefined {
  if (!isSeq(node)) return fail(a, node, "config should be an array");
  const out: ServiceSpec[] = [];
  for (const item of node.items) {
    const s = under(a, "service");
    const name = stringOf(item);
    if (name !== undefined) {
      if (named(s, item, name)) out.push({ name, variables: [] });
      continue;
    }
    if (!isMap(item)) {
      fail(s, item, "config should be a hash or a string");
      continue;
    }
    if (!checkKeys(s, item, SERVICE_KEYS, REFUSED)) continue;
    const image = withName(s, item);
    const service = image && serviceExtras(s, item, image);
    if (service) out.push(service);
  }
  return out.length === node.items.length ? out : undefined;
}

function named(a: At, node: YNode, name: string): ImageSpec | undefined {
  return name.trim() === "" ? fail(a, node, "name can't be blank") : { name };
}

function withName(a: At, map: YMap): ImageSpec | undefined {
  const nameNode = map.pairs.get("name")?.value;
  const name = stringOf(nameNode);
  if (name === undefined) return fail(a, nameNode ?? map, nameNode ? "name should be a string" : "name can't be blank");
  if (!named(a, nameNode!, name)) return undefined;
  const entryNode = map.pairs.get("entrypoint")?.value;
  if (!entryNode) return { name };
  const entrypoint = stringsOf(entryNode);
  if (!entrypoint) return fail(a, entryNode, "entrypoint should be an array of strings");
  return { name, entrypoint: entrypoint.length === 1 && entrypoint[0] === "" ? [] : entrypoint };
}

function serviceExtras(a: At, map: YMap, image: ImageSpec): ServiceSpec | undefined {
  const service: ServiceSpec = { ...image, variables: [] };
  const commandNode = map.pairs.get("command")?.value;
  if (commandNode) {
    const command = stringsOf(commandNode);
    if (!command) return fail(a, commandNode, "command should be an array of strings");
    service.command = command;
  }
  const aliasNode = map.pairs.get("alias")?.value;
  if (aliasNode) {
    const alias = stringOf(aliasNode);
    if (alias === undefined) return fail(a, aliasNode, "alias should be a string");
    service.alias = alias;
  }
  const variablesNode = map.pairs.get("variables")?.value;
  if (variablesNode) service.variables = readVariables(under(a, "variables"), variablesNode, null);
  return service;
}
