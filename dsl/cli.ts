/**
 * `deno task scenario <file|dir>...`: runs scenario files with a readable report (each scenario, its
 * result, the failures with file:line:column and the trace lines that matter) and a closing
 * `N passed, M failed` line. `--trace` prints each scenario's whole trace, `--json` the results as
 * JSON. The exit code is 0 only when every scenario passes.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { formatEvent } from "../lib/trace/format.ts";
import type { TraceEvent } from "../lib/trace/trace.ts";
import { ruleNamed } from "../lib/verifier/rules.ts";
import { renderReport, type ReportEntry } from "./report.ts";
import { resolveDriverModules } from "./modules.ts";
import { runScenarioWithMachine, type ScenarioResult } from "./runner.ts";
import { diffTraces, firstDifference, renderDiff, renderDiffReport } from "./diff.ts";
import { didYouMean, type ScenarioData } from "./steps.ts";
import { parseScenario } from "./yaml.ts";

/** Every .yaml/.yml file under the paths, sorted (directories are walked). */
export async function scenarioFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string) => {
    const info = await Deno.stat(p);
    if (info.isDirectory) {
      const entries: string[] = [];
      for await (const e of Deno.readDir(p)) entries.push(e.name);
      for (const name of entries.sort()) await walk(`${p.replace(/\/$/, "")}/${name}`);
    } else if (/\.ya?ml$/.test(p)) out.push(p);
  };
  for (const p of paths) await walk(p);
  return out;
}

const color = !Deno.noColor && Deno.stdout.isTerminal();
const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);

/**
 * What the verifier said during a run, each with its documentation page: the findings and a bug
 * check's rule (a failed scenario's report shows these, so the reader knows which page to read).
 *
 * @example
 * ```ts
 * import { verifierNotes } from "./cli.ts";
 * import assert from "node:assert/strict";
 * const notes = verifierNotes([{ seq: 1, time: 0, caller: "PnP", kind: "finding", rule: "PnpRemove", severity: "error", message: "m", doc: "PnpRemove rule (wdm)" }]);
 * assert.deepEqual(notes, ["verifier PnpRemove (error): m", "  see: PnpRemove rule (wdm)"]);
 * ```
 */
export function verifierNotes(trace: readonly TraceEvent[]): string[] {
  const lines: string[] = [];
  for (const e of trace) {
    if (e.kind === "finding") {
      lines.push(`verifier ${e.rule} (${e.severity}): ${e.message}`);
      if (e.doc) lines.push(`  see: ${e.doc}`);
    } else if (e.kind === "bugcheck" && e.rule) {
      lines.push(`bug check 0x${e.code.toString(16).toUpperCase()} for rule ${e.rule}`);
      const doc = ruleNamed(e.rule)?.doc;
      if (doc) lines.push(`  see: ${doc}`);
    }
  }
  return lines;
}

const USAGE = "Usage: deno task scenario <file|dir>... [--trace] [--json] [--html report.html]\n" +
  "       deno task scenario --diff <a.yaml[#n]> <b.yaml[#n]> [--html diff.html]\n" +
  "  Runs pnplab scenario files and reports each one; exits 0 only when all pass, 2 on a usage\n" +
  "  error. --diff runs two scenarios (the n-th of a file, 0 by default) and shows where their\n" +
  "  traces part; it exits 0 when they do the same, 1 when they differ.";

const OPTIONS = {
  trace: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  html: { type: "string" },
  diff: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** A usage error: what was wrong, then the usage; exit code 2. */
function usageError(message: string): number {
  console.error(`${message}\n${USAGE}`);
  return 2;
}

/** Runs the files and prints the report; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (e) {
    const option = /'(-{1,2}[^']+)'/.exec((e as Error).message)?.[1];
    const known = Object.keys(OPTIONS).map((o) => `--${o}`);
    const hint = option ? didYouMean(option, known) : undefined;
    return usageError(
      option
        ? `Unknown option '${option}'${hint ? ` (did you mean '${hint}'?)` : ""}`
        : (e as Error).message,
    );
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0) return usageError("No scenario file or folder given");
  if (values.diff) return await diff(positionals, values.html);
  for (const p of positionals) {
    try {
      await Deno.stat(p);
    } catch {
      return usageError(`Cannot read '${p}': no such file or folder`);
    }
  }
  const files = await scenarioFiles(positionals);
  const results: (ScenarioResult & { file: string })[] = [];
  const entries: ReportEntry[] = [];
  for (const file of files) {
    const parsed = parseScenario(await Deno.readTextFile(file), file);
    if (parsed.errors.length) {
      results.push({
        file,
        title: file,
        passed: false,
        failures: parsed.errors.map((e) => ({
          message: e.message,
          file,
          line: e.line,
          column: e.column,
        })),
        trace: [],
      });
      entries.push({ result: results[results.length - 1]!, machine: null, file });
      continue;
    }
    for (const s of parsed.scenarios) {
      // Running a scenario imports its driver modules (and runs their code); parsing did not.
      const missing = await resolveDriverModules(s, file);
      const run = missing.length
        ? { result: { title: s.title, passed: false, failures: missing, trace: [] }, machine: null }
        : runScenarioWithMachine(s);
      results.push({ file, ...run.result });
      entries.push({ data: s, result: run.result, machine: run.machine, file });
    }
  }
  if (values.html) {
    await Deno.writeTextFile(values.html, renderReport(entries));
    // On stderr with --json, so that the JSON on stdout stays whole.
    (values.json ? console.error : console.log)(`Wrote the HTML report to ${values.html}`);
  }
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  if (values.json) {
    console.log(JSON.stringify(
      results.map((r) => ({
        file: r.file,
        title: r.title,
        passed: r.passed,
        failures: r.failures,
        ...(values.trace ? { trace: r.trace } : {}),
      })),
      null,
      1,
    ));
  } else {
    for (const r of results) {
      // A file that does not parse has no title of its own: its path stands for it, once.
      const file = r.title === r.file ? "" : `  ${paint(90, r.file)}`;
      console.log(`${r.passed ? paint(32, "PASS") : paint(31, "FAIL")} ${r.title}${file}`);
      for (const f of r.failures) {
        const where = f.file ? `${f.file}${f.line ? `:${f.line}:${f.column ?? 1}` : ""}: ` : "";
        console.log("  " + where + f.message.split("\n").join("\n  "));
      }
      if (!r.passed) { for (const line of verifierNotes(r.trace)) console.log("  " + line); }
      if (values.trace) { for (const e of r.trace) console.log("    " + formatEvent(e)); }
    }
    console.log(`${passed} passed, ${failed} failed`);
  }
  return failed === 0 ? 0 : 1;
}

/** `a.yaml#2`: a file and which of its scenarios (0 by default). */
async function loadOne(spec: string): Promise<ScenarioData | string> {
  const m = /^(.*?)(?:#(\d+))?$/.exec(spec)!;
  const file = m[1]!;
  const index = Number(m[2] ?? 0);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch {
    return `Cannot read '${file}': no such file`;
  }
  const parsed = parseScenario(text, file);
  if (parsed.errors.length) {
    const e = parsed.errors[0]!;
    return `${file}:${e.line}:${e.column}: ${e.message}`;
  }
  const data = parsed.scenarios[index];
  if (!data) return `'${file}' has ${parsed.scenarios.length} scenario(s); #${index} is not one`;
  return data;
}

/** `--diff a b`: where two runs' traces part. */
async function diff(specs: string[], html: string | undefined): Promise<number> {
  if (specs.length !== 2) return usageError("--diff takes two scenarios");
  const runs: ScenarioData[] = [];
  for (const spec of specs) {
    const one = await loadOne(spec);
    if (typeof one === "string") return usageError(one);
    const missing = await resolveDriverModules(one, spec.replace(/#\d+$/, ""));
    if (missing.length) {
      for (const f of missing) console.error(`${f.file}:${f.line}:${f.column}: ${f.message}`);
      return 1;
    }
    runs.push(one);
  }
  const [a, b] = runs.map((d) => runScenarioWithMachine(d).result.trace) as [
    TraceEvent[],
    TraceEvent[],
  ];
  const names = [specs[0]!, specs[1]!] as const;
  const lines = diffTraces(a, b);
  console.log(renderDiff(lines, names).trimEnd());
  if (html) {
    await Deno.writeTextFile(html, renderDiffReport(a, b, names));
    console.log(`Wrote the side-by-side report to ${html}`);
  }
  return firstDifference(lines) < 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
