// The parts of a job that outlive the YAML: its variables as written, its image and its services.

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
