// Reads the TOML configuration file; a syntax error is reported with its line and column.
import { readFileSync } from "node:fs";
import { ConfigError } from "./problems.ts";

interface BuildMessage {
  message: string;
  position?: { line: number; column: number } | null;
}

/**
 * `Bun.TOML.parse` reports no position, while Bun's module loader (same parser) does; so on a syntax
 * error the file is loaded once more through `require` to learn where. Failed loads are not cached.
 */
function locateSyntaxError(path: string): string {
  if (!path.endsWith(".toml")) return "";
  try {
    require(path);
  } catch (error) {
    const position = (error as BuildMessage).position;
    if (position) return `:${position.line}:${position.column}`;
  }
  return "";
}

/**
 * Parses the file at `path` (absolute); `label` is how messages name it (e.g. `porthole.toml`).
 * Throws `ConfigError` when the file cannot be read, is not valid TOML, or is not a table.
 */
export function readTomlFile(path: string, label: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new ConfigError([`${label}: cannot read the configuration file: ${reason}`]);
  }
  try {
    return Bun.TOML.parse(text) as Record<string, unknown>;
  } catch (error) {
    const reason = (error as Error).message.replace(/^TOML Parse error: /, "");
    throw new ConfigError([`${label}${locateSyntaxError(path)}: invalid TOML: ${reason}`]);
  }
}
