// Runs every bench/*.bench.ts (or those named on the command line) and writes bench/results/results.json and summary.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { basename, join } from "node:path";
import { type Bench, type BenchResult, type Metric, meetsTarget } from "./lib/types.ts";

interface Recorded extends BenchResult {
  name: string;
  description: string;
  ranAt: string;
  error?: string;
}

const RESULTS_DIR = join(import.meta.dir, "results");
const JSON_PATH = join(RESULTS_DIR, "results.json");

function targetText(metric: Metric): string {
  if (!metric.target) return "";
  return "below" in metric.target ? `< ${metric.target.below}` : `> ${metric.target.above}`;
}

function markdown(results: Recorded[], machine: string): string {
  const lines = ["# Benchmark results", "", `Machine: ${machine}. Written by \`npm run bench\` (bench/run.ts).`, ""];
  for (const r of results) {
    lines.push(`## ${r.name}`, "", `${r.description} — run ${r.ranAt}`, "");
    if (r.error) lines.push(`**Failed:** ${r.error}`, "");
    if (r.metrics.length > 0) lines.push("| metric | value | target | met |", "| --- | --- | --- | --- |");
    for (const m of r.metrics) {
      const met = meetsTarget(m);
      lines.push(
        `| ${m.name} | ${m.value} ${m.unit} | ${targetText(m)} | ${met === undefined ? "" : met ? "yes" : "**no**"} |`,
      );
    }
    for (const note of r.notes ?? []) lines.push(`- ${note}`);
    lines.push("");
  }
  return lines.join("\n");
}

const wanted = process.argv.slice(2);
const files = [...new Bun.Glob("*.bench.ts").scanSync(import.meta.dir)].sort();
const selected = files.filter((f) => wanted.length === 0 || wanted.includes(basename(f, ".bench.ts")));
if (selected.length === 0) {
  console.error(
    `bench: nothing matches ${wanted.join(", ")}; available: ${files.map((f) => basename(f, ".bench.ts")).join(", ")}`,
  );
  process.exit(2);
}

const previous: Recorded[] = existsSync(JSON_PATH)
  ? (JSON.parse(readFileSync(JSON_PATH, "utf8")) as { results: Recorded[] }).results
  : [];
const byName = new Map(previous.map((r) => [r.name, r]));
let failures = 0;
for (const file of selected) {
  const bench = ((await import(join(import.meta.dir, file))) as { default: Bench }).default;
  console.log(`bench ${bench.name}: ${bench.description}`);
  const record: Recorded = {
    name: bench.name,
    description: bench.description,
    ranAt: new Date().toISOString(),
    metrics: [],
  };
  try {
    Object.assign(record, await bench.run());
  } catch (error) {
    failures++;
    record.error = error instanceof Error ? error.message : String(error);
    console.error(`  failed: ${record.error}`);
  }
  for (const m of record.metrics) console.log(`  ${m.name}: ${m.value} ${m.unit} ${targetText(m)}`.trimEnd());
  byName.set(bench.name, record);
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GB, bun ${Bun.version}, ${process.platform}`;
const results = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(JSON_PATH, `${JSON.stringify({ machine, results }, null, 2)}\n`);
writeFileSync(join(RESULTS_DIR, "summary.md"), markdown(results, machine));
console.log(`bench: wrote ${JSON_PATH} and summary.md`);
process.exit(failures > 0 ? 1 : 0);
