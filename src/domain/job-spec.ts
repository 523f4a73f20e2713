// The parts of a job that outlive the YAML: its variables as written, its image, its services and its caches.

/** A variable defined in YAML (global, job, rules or matrix). `raw` is GitLab's `expand: false`. */
export interface YamlVariable {
  key: string;
  value: string;
  raw: boolean;
}

export interface ImageSpec {
  name: string;
  /** `undefined`: the image's own; `[]` (from `entrypoint: [""]`): cleared. */
  entrypoint?: string[];
}

export interface ServiceSpec {
  name: string;
  alias?: string;
  entrypoint?: string[];
  command?: string[];
  variables: YamlVariable[];
}

/** One `cache:` entry as written (the pipeline's CacheSpec and the runner's PayloadCache add their own parts). */
export interface CacheFields {
  /** The key (`default` when not written); unused when `keyFiles` is set. */
  key: string;
  /** `key:files`: the runner keys the cache by a hash of these files' contents (`<prefix>-<hash>`). */
  keyFiles?: string[];
  keyPrefix?: string;
  paths: string[];
  untracked: boolean;
  policy: "pull" | "push" | "pull-push";
  when: "on_success" | "on_failure" | "always";
  fallbackKeys: string[];
}
