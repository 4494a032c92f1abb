/**
 * The HTML report of scenario runs: a self-contained page (no network, inline SVG and CSS) with each
 * scenario's prose, its steps and which failed, the failures with the trace lines that explain them,
 * a sequence diagram of the trace, and the final device tree.
 *
 * @module
 */
import type { Machine } from "../lib/machine.ts";
import { deviceTreePicture, escapeXml, sequencePicture } from "../lib/render/svg.ts";
import { formatEvent } from "../lib/trace/format.ts";
import { linkPages, pagesNamedIn } from "../lib/doc_pages.ts";
import { ruleNamed } from "../lib/verifier/rules.ts";
import { bootFor, type ScenarioResult } from "./runner.ts";
import type { ScenarioData } from "./steps.ts";

/** One scenario's run, as the report shows it. */
export interface ReportEntry {
  /** The scenario as written, for its steps and `teaches` prose. */
  data?: ScenarioData;
  /** The outcome of the run. */
  result: ScenarioResult;
  /** The machine after the run, for the device tree; null when it could not boot. */
  machine: Machine | null;
  /** The scenario file's path. */
  file?: string;
}

const CSS = `
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1400px; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
.pass { color: #2e7d32; } .fail { color: #c00000; }
pre, code { font-family: Menlo, Consolas, monospace; font-size: 12px; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; }
ol.steps li.failed { color: #c00000; font-weight: bold; }
ol.steps li.skipped { color: #999; }
.diagram { overflow-x: auto; border: 1px solid #ddd; margin: 1em 0; }
.teaches { white-space: pre-wrap; background: #f4f8ff; padding: 0.8em; border-left: 4px solid #1f4e9c; }
`;

const MAX_ARROWS = 400;

/** How many trace events booting the scenario's machine makes (runs alike boot alike). */
function bootLength(data: ScenarioData | undefined): number {
  try {
    return bootFor(data?.boot).trace.length;
  } catch {
    return 0;
  }
}

/** Prose with every Microsoft page it names linked to its address (lib/doc_pages.ts). */
function linkedProse(text: string): string {
  return linkPages(
    text,
    (words, url) => `<a href="${escapeXml(url)}">${escapeXml(words)}</a>`,
    escapeXml,
  );
}

/** The pages the run's verifier findings and bug check rule name, once each, as a linked list. */
function verifierPages(trace: ScenarioResult["trace"]): string {
  const docs = trace.flatMap((e) =>
    e.kind === "finding"
      ? [e.doc ?? ""]
      : e.kind === "bugcheck" && e.rule
      ? [ruleNamed(e.rule)?.doc ?? ""]
      : []
  );
  // One entry per page, in the order the run first named it.
  const pages = new Map(pagesNamedIn(docs.join("; ")).map((p) => [p.title, p.url]));
  const items = [...pages].map(([title, url]) =>
    `<li>${url ? `<a href="${escapeXml(url)}">${escapeXml(title)}</a>` : escapeXml(title)}</li>`
  );
  return items.length
    ? `<h3>Verifier documentation</h3><ul class="pages">${items.join("")}</ul>`
    : "";
}

function stepLabel(step: { step: string; [k: string]: unknown }): string {
  const { step: name, source: _s, hooks: _h, ...rest } = step;
  const args = Object.entries(rest).map(([k, v]) =>
    `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`
  ).join(", ");
  return args ? `${name} { ${args} }` : name;
}

/**
 * The report page.
 *
 * @example
 * ```ts
 * import { renderReport } from "./report.ts";
 * import { runScenarioWithMachine } from "./runner.ts";
 * import assert from "node:assert/strict";
 * const run = runScenarioWithMachine({ title: "t", steps: [{ step: "plugIn", hardwareId: "ROOT\\X" }] });
 * assert.match(renderReport([run]), /<svg/);
 * ```
 */
export function renderReport(entries: ReportEntry[], title = "pnplab scenario report"): string {
  const passed = entries.filter((e) => e.result.passed).length;
  const sections = entries.map((e, n) => {
    const r = e.result;
    const failedSteps = new Set(
      r.failures.map((f) => f.step).filter((s): s is number => s !== undefined),
    );
    const steps = e.data?.steps ?? [];
    // A boot's events (hundreds for the example machine) are the same in every scenario that boots
    // alike: the diagram starts where the scenario's own steps do.
    const skip = bootLength(e.data);
    const diagram = sequencePicture(r.trace.slice(skip), { max: MAX_ARROWS, registry: false });
    const note = [
      skip > 1 ? `From the first step (the boot's ${skip} events are left out)` : "",
      diagram.text.split("\n").length - 1 >= MAX_ARROWS
        ? `the first ${MAX_ARROWS} arrows only`
        : "",
    ].filter((s) => s).join("; ");
    const tree = e.machine ? deviceTreePicture(e.machine) : null;
    return `<section id="s${n}">
<h2><span class="${r.passed ? "pass" : "fail"}">${r.passed ? "PASS" : "FAIL"}</span> ${
      escapeXml(r.title)
    }</h2>
${e.file ? `<p><code>${escapeXml(e.file)}</code></p>` : ""}
${e.data?.teaches ? `<div class="teaches">${linkedProse(e.data.teaches.trim())}</div>` : ""}
${
      steps.length
        ? `<h3>Steps</h3><ol class="steps">${
          steps.map((s, i) =>
            `<li class="${
              failedSteps.has(i + 1)
                ? "failed"
                : r.stoppedAt !== undefined && i + 1 > r.stoppedAt
                ? "skipped"
                : ""
            }"><code>${escapeXml(stepLabel(s))}</code>${
              r.stoppedAt !== undefined && i + 1 > r.stoppedAt ? " (skipped)" : ""
            }</li>`
          ).join("")
        }</ol>`
        : ""
    }
${
      r.failures.length
        ? `<h3>Failures</h3>${
          r.failures.map((f) =>
            `<pre class="fail">${
              escapeXml(
                `${f.file ? `${f.file}:${f.line ?? ""}:${f.column ?? ""} ` : ""}${f.message}`,
              )
            }</pre>`
          ).join("")
        }`
        : ""
    }
${verifierPages(r.trace)}
<h3>Sequence diagram</h3>${
      note ? `<p class="note">${escapeXml(note)}.</p>` : ""
    }<div class="diagram">${diagram.svg}</div>
${tree ? `<h3>Device tree at the end</h3><div class="diagram">${tree.svg}</div>` : ""}
<details><summary>Trace (${r.trace.length} events)</summary><pre>${
      escapeXml(r.trace.map(formatEvent).join("\n"))
    }</pre></details>
</section>`;
  });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${
    escapeXml(title)
  }</title><style>${CSS}</style></head>
<body><h1>${escapeXml(title)}</h1>
<p>${passed} passed, ${entries.length - passed} failed</p>
${sections.join("\n")}
</body></html>
`;
}
