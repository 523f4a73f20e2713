// Remembers recently loaded files: pipelines for the same commit read the same CI files, and parsing dominates.
import { type LoadResult, loadYaml } from "./load.ts";

/** Entries kept, and the largest text kept (bigger files are parsed every time). */
const ENTRIES = 64;
const MAX_TEXT = 256 * 1024;
const recent = new Map<string, LoadResult>();

/**
 * `loadYaml(text, file)`, from memory when the same file had the same text lately. The trees are never
 * changed after loading (every later step builds new nodes), so sharing them is safe.
 */
export function loadYamlCached(text: string, file: string): LoadResult {
  if (text.length > MAX_TEXT) return loadYaml(text, file);
  const key = `${file}\0${text}`;
  const hit = recent.get(key);
  if (hit) {
    recent.delete(key);
    recent.set(key, hit);
    return hit;
  }
  const loaded = loadYaml(text, file);
  if (recent.size >= ENTRIES) recent.delete(recent.keys().next().value!);
  recent.set(key, loaded);
  return loaded;
}
