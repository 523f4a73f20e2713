// Prints a configuration tree back as YAML (GitLab's `merged_yaml`).
import { stringify } from "yaml";
import { toPlain, type YNode } from "./tree.ts";

/** YAML 1.1 text, so that strings like `yes` or `012` stay quoted for readers such as GitLab's. */
export function stringifyConfig(node: YNode): string {
  return stringify(toPlain(node), { version: "1.1", aliasDuplicateObjects: false, lineWidth: 0 });
}
