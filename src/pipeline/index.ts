// The pipeline compiler's public API: compile a CI file for a ref, lint it, parse durations, print errors.
export { compilePipeline } from "./compile.ts";
export { DEFAULT_AUTO_CANCEL } from "./config/auto-cancel.ts";
export { parseDuration } from "./duration.ts";
export { formatError } from "./errors.ts";
export { jobLimitMessage } from "./job-limit.ts";
export { lintPipeline } from "./lint.ts";
