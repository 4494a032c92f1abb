/**
 * Two runs side by side: where their traces part. A driver author compares a broken driver with a
 * fixed one, or a removal with and without a veto, and wants the first moment they differ, not two
 * listings to read. Events are compared by what happened (kind, routine, IRP, device, status ...),
 * not by their numbers: once one run has an extra event every later `seq`, clock and IRP number
 * shifts, and the events after the difference are still the same events. The alignment is Myers'
 * shortest edit script, so what is shown is the smallest set of added and removed events.
 *
 * @module
 */
import { escapeXml, sequencePicture } from "../lib/render/svg.ts";
import { formatEvent } from "../lib/trace/format.ts";
import type { TraceEvent } from "../lib/trace/trace.ts";

/** One line of an aligned pair of traces. */
export type DiffLine =
  /** The same event in both runs. */
  | { readonly op: "same"; readonly a: TraceEvent; readonly b: TraceEvent }
  /** Only in the first run. */
  | { readonly op: "removed"; readonly a: TraceEvent }
  /** Only in the second run. */
  | { readonly op: "added"; readonly b: TraceEvent };

/** What an event is, without where it stands: numbers that shift when an event is added are left out. */
export function eventKey(e: TraceEvent): string {
  const { seq: _seq, time: _time, ...rest } = e;
  const copy: Record<string, unknown> = { ...rest };
  if (copy.kind === "irp") delete copy.irp;
  // Object numbers (`\Device\00000007`, `#12`, `KEVENT#3`, `IRP#4`) shift with every extra object.
  return JSON.stringify(copy).replace(/\\\\Device\\\\[0-9A-F]{8}|#\d+/g, "#n");
}

/**
 * The shortest alignment of two traces (Myers' O((N+M)D) algorithm): every event of each, in
 * order, marked same, removed (only in `a`) or added (only in `b`).
 *
 * @example
 * ```ts
 * import { diffTraces } from "./diff.ts";
 * import assert from "node:assert/strict";
 * const e = (seq: number, what: string) => ({ seq, time: 0, caller: "host", kind: "info" as const, what });
 * const d = diffTraces([e(1, "boot"), e(2, "x")], [e(1, "boot"), e(2, "y"), e(3, "x")]);
 * assert.deepEqual(d.map((l) => l.op), ["same", "added", "same"]);
 * ```
 */
export function diffTraces(a: readonly TraceEvent[], b: readonly TraceEvent[]): DiffLine[] {
  const ka = a.map(eventKey);
  const kb = b.map(eventKey);
  const n = ka.length;
  const m = kb.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
        ? v[offset + k + 1]!
        : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && ka[x] === kb[y]) x++, y++;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the saved frontiers back from the end to recover the edit script.
  const out: DiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!)
      ? k + 1
      : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) out.push({ op: "same", a: a[--x]!, b: b[--y]! });
    if (d > 0) {
      if (x === prevX) out.push({ op: "added", b: b[--y]! });
      else out.push({ op: "removed", a: a[--x]! });
    }
  }
  while (x > 0 && y > 0) out.push({ op: "same", a: a[--x]!, b: b[--y]! });
  return out.reverse();
}

/** The index in `lines` of the first difference, or -1 when the runs did the same. */
export function firstDifference(lines: readonly DiffLine[]): number {
  return lines.findIndex((l) => l.op !== "same");
}

/**
 * The aligned traces as text: where they part, then each difference with `context` events of the
 * same around it (`-` only in the first run, `+` only in the second), with both event numbers.
 */
export function renderDiff(
  lines: readonly DiffLine[],
  names: readonly [string, string],
  context = 3,
): string {
  const first = firstDifference(lines);
  if (first < 0) return `The runs do the same: ${lines.length} events, identical\n`;
  const where = lines[first]!;
  const at = where.op === "added"
    ? `#${where.b.seq} of ${names[1]}`
    : `#${(where as { a: TraceEvent }).a.seq} of ${names[0]}`;
  const removed = lines.filter((l) => l.op === "removed").length;
  const added = lines.filter((l) => l.op === "added").length;
  const rows = [
    `--- ${names[0]}`,
    `+++ ${names[1]}`,
    `The runs part at ${at}: ${removed} event(s) only in the first, ${added} only in the second`,
  ];
  const show = new Set<number>();
  lines.forEach((l, i) => {
    if (l.op === "same") return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) {
      show.add(j);
    }
  });
  let last = -2;
  for (const i of [...show].sort((p, q) => p - q)) {
    if (i !== last + 1) rows.push("@@");
    last = i;
    const l = lines[i]!;
    if (l.op === "same") {
      const moved = l.a.seq === l.b.seq ? "" : `   (#${l.b.seq} in the second)`;
      rows.push(`  ${formatEvent(l.a)}${moved}`);
    } else if (l.op === "removed") rows.push(`- ${formatEvent(l.a)}`);
    else rows.push(`+ ${formatEvent(l.b)}`);
  }
  return rows.join("\n") + "\n";
}

/**
 * An HTML page with the two runs' sequence diagrams side by side from a little before the first
 * difference, the first differing event marked in each, and the text diff below (the scenario
 * CLI's `--diff ... --html`).
 */
export function renderDiffReport(
  a: readonly TraceEvent[],
  b: readonly TraceEvent[],
  names: readonly [string, string],
): string {
  const lines = diffTraces(a, b);
  const first = firstDifference(lines);
  const lead = 8;
  const start = Math.max(0, first - lead);
  const fromA = lines.slice(start).find((l) => l.op !== "added") as { a: TraceEvent } | undefined;
  const fromB = lines.slice(start).find((l) => l.op !== "removed") as { b: TraceEvent } | undefined;
  const firstA = lines.slice(first).find((l) => l.op === "removed") as
    | { a: TraceEvent }
    | undefined;
  const firstB = lines.slice(first).find((l) => l.op === "added") as { b: TraceEvent } | undefined;
  const column = (
    events: readonly TraceEvent[],
    from: number | undefined,
    mark: number | undefined,
    name: string,
  ) => {
    const picture = sequencePicture(events, { from: from ?? 0, max: 60, registry: false });
    return `<figure><figcaption>${escapeXml(name)}${
      mark !== undefined ? ` — first difference: <strong>#${mark}</strong>` : ""
    }</figcaption>${picture.svg}<details><summary>As text</summary><pre>${
      escapeXml(picture.text)
    }</pre></details></figure>`;
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pnplab: ${escapeXml(names[0])} vs ${
    escapeXml(names[1])
  }</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; }
.side { display: flex; gap: 1rem; overflow-x: auto; }
figure { margin: 0; flex: 1; min-width: 20rem; }
figcaption { font-weight: 600; margin-bottom: .5rem; }
pre { background: #f6f6f6; padding: .75rem; overflow-x: auto; }
</style></head><body>
<h1>Where the runs part</h1>
<div class="side">
${column(a, fromA?.a.seq, firstA?.a.seq, names[0])}
${column(b, fromB?.b.seq, firstB?.b.seq, names[1])}
</div>
<h2>Difference</h2>
<pre>${escapeXml(renderDiff(lines, names))}</pre>
</body></html>
`;
}
