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
import { runScenarioWithMachine, type ScenarioResult } from "./runner.ts";
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

/** Runs the files and prints the report; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      trace: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      html: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(
      "Usage: deno task scenario <file|dir>... [--trace] [--json] [--html report.html]\n" +
        "  Runs pnplab scenario files and reports each one; exits 0 only when all pass.",
    );
    return positionals.length === 0 && !values.help ? 2 : 0;
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
      const run = runScenarioWithMachine(s);
      results.push({ file, ...run.result });
      entries.push({ data: s, result: run.result, machine: run.machine, file });
    }
  }
  if (values.html) await Deno.writeTextFile(values.html, renderReport(entries));
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

if (import.meta.main) Deno.exit(await main(Deno.args));
