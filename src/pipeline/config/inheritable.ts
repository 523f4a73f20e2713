// The keywords a job may take from `default:` — read the same way in `default:`, at the top level and in a job.
import { get, type YMap, type YNode } from "../yaml/tree.ts";
import { readArtifacts } from "./artifacts.ts";
import { readCaches } from "./cache.ts";
import { type At, under } from "./check.ts";
import { readImage, readServices } from "./image.ts";
import type { DefaultsDef } from "./model.ts";
import { readRetry } from "./retry.ts";
import { MAX_TIMEOUT_SECONDS, readBoolean, readCommands, readDuration, readTags } from "./simple.ts";

type Reader = (a: At, node: YNode, into: DefaultsDef) => void;

/** Readers by YAML key; each fills its field of DefaultsDef. */
export const INHERITABLE: Readonly<Record<string, Reader>> = {
  before_script: (a, n, d) => {
    d.beforeScript = readCommands(a, n);
  },
  after_script: (a, n, d) => {
    d.afterScript = readCommands(a, n);
  },
  image: (a, n, d) => {
    d.image = readImage(a, n);
  },
  services: (a, n, d) => {
    d.services = readServices(a, n);
  },
  timeout: (a, n, d) => {
    d.timeout = readDuration(a, n, "config", MAX_TIMEOUT_SECONDS);
  },
  retry: (a, n, d) => {
    d.retry = readRetry(a, n);
  },
  tags: (a, n, d) => {
    d.tags = readTags(a, n);
  },
  interruptible: (a, n, d) => {
    d.interruptible = readBoolean(a, n);
  },
  cache: (a, n, d) => {
    d.cache = readCaches(a, n);
  },
  artifacts: (a, n, d) => {
    d.artifacts = readArtifacts(a, n);
  },
};

/** Reads every inheritable keyword present in `map` (an explicit `null` counts as absent) into `into`. */
export function readInheritable(
  a: At,
  map: YMap,
  into: DefaultsDef,
  keys: readonly string[] = Object.keys(INHERITABLE),
): void {
  for (const key of keys) {
    const node = get(map, key);
    if (node) INHERITABLE[key]!(under(a, key), node, into);
  }
}
