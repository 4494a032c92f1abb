/**
 * "Did you mean": the known name a misspelt or shortened one most likely stands for. Every front end
 * (the YAML loader, the step rows, the REPL, the debugger, the scenario CLI) suggests names the same
 * way, so it sits apart from the step table, which its rows would otherwise have to import.
 *
 * @module
 */

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d = Array.from(
    { length: a.length + 1 },
    (_, i) => [i, ...Array(b.length).fill(0)] as number[],
  );
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest known name, when it is close enough to be a likely misspelling; else the shortest
 * known name that contains what was typed (`QUERY_REMOVE` for `QUERY_REMOVE_DEVICE`), when the typed
 * text is long enough to say something (4 characters or more).
 *
 * @example
 * ```ts
 * import { didYouMean } from "./suggest.ts";
 * import assert from "node:assert/strict";
 * assert.equal(didYouMean("plugin", ["plugIn", "unplug"]), "plugIn");
 * assert.equal(didYouMean("QUERY_REMOVE", ["QUERY_REMOVE_DEVICE", "REMOVE_DEVICE"]), "QUERY_REMOVE_DEVICE");
 * ```
 */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const list = [...known];
  // The edit distance is at least the difference in length: names too long or too short to be
  // within the cut-off are not compared (a pasted paragraph costs nothing).
  const slack = Math.max(2, Math.floor(name.length / 3));
  for (const k of list) {
    if (Math.abs(k.length - name.length) > slack) continue;
    const dist = editDistance(name, k);
    if (dist < bestD) {
      bestD = dist;
      best = k;
    }
  }
  if (best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3))) return best;
  if (name.length < 4) return undefined;
  const upper = name.toUpperCase();
  return list.filter((k) => k.toUpperCase().includes(upper)).sort((a, b) => a.length - b.length)[0];
}
