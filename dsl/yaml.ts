/**
 * YAML scenario files: `parseScenario` turns text into the step representation and reports every
 * problem (syntax, unknown step with "did you mean", wrong type, unknown GUID name) with its 1-based
 * line and column; loading a file runs no code. `runScenarioFile` parses and runs one.
 *
 * @module
 */
import { isMap, isScalar, isSeq, type Node, type Pair, parseDocument, type YAMLMap } from "yaml";
import { NTSTATUS_TABLE } from "../lib/ntstatus.ts";
import { REG_TYPE_NAMES } from "../lib/constants.ts";
import { resolveGuid, WELL_KNOWN_GUIDS } from "./guids.ts";
import { runScenarioData, type ScenarioResult } from "./runner.ts";
import {
  didYouMean,
  type FieldDef,
  type ScenarioData,
  type Step,
  STEP_DEFINITIONS,
} from "./steps.ts";

/** A problem in a scenario file. */
export interface ScenarioError {
  /** What is wrong, with a "did you mean" hint where one helps. */
  message: string;
  /** The line in the file, from 1. */
  line: number;
  /** The column in that line, from 1. */
  column: number;
  /** The scenario file's path, when it was read from a file. */
  file?: string;
}

const TOP_LEVEL = ["title", "teaches", "boot", "steps"] as const;
const BOOT_FIELDS: Readonly<Record<string, FieldDef>> = {
  hardwareProfiles: { type: "strings", doc: "Hardware profile names" },
  currentProfile: { type: "string", doc: "The profile to start in" },
  safeMode: { type: "boolean", doc: "Boot in safe mode" },
  verifier: { type: "string", doc: "strict, warn or off", values: ["strict", "warn", "off"] },
  example: { type: "boolean", doc: "Start from the bundled example machine" },
  includeExistingDuplicates: {
    type: "string",
    doc: "never or always",
    values: ["never", "always"],
  },
};

/**
 * Parses a scenario file (one scenario, or `scenarios:` with a list of them).
 *
 * @example
 * ```ts
 * import { parseScenario } from "./yaml.ts";
 * import assert from "node:assert/strict";
 * const { errors } = parseScenario("title: t\nsteps:\n  - plugin: PCI\\\\VEN_1\n", "x.yaml");
 * assert.equal(errors[0]?.line, 3);
 * assert.match(errors[0]!.message, /did you mean 'plugIn'/);
 * ```
 */
export function parseScenario(
  text: string,
  fileName?: string,
): { scenario?: ScenarioData; scenarios: ScenarioData[]; errors: ScenarioError[] } {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const errors: ScenarioError[] = [];
  // Line starts from the text itself: yaml's LineCounter misses the line breaks inside a token its
  // error recovery skips (a block scalar after a broken key), which puts later errors past the
  // end of their line.
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const linePos = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - lineStarts[lo]! + 1 };
  };
  const pos = (node: { range?: [number, number, number] | null } | null | undefined) => {
    const p = linePos(node?.range?.[0] ?? 0);
    return { line: p.line, column: p.col };
  };
  const at: At = (node, message) => {
    errors.push({ message, ...pos(node as Node), ...(fileName ? { file: fileName } : {}) });
  };
  at.pos = pos;
  for (const e of doc.errors) {
    const pos = e.linePos?.[0] ?? linePos(e.pos[0]);
    errors.push({
      message: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""),
      line: pos.line,
      column: pos.col,
      ...(fileName ? { file: fileName } : {}),
    });
  }
  if (errors.length) return { scenarios: [], errors };
  const root = doc.contents;
  if (!isMap(root)) {
    at(root as Node, "A scenario file is a map with 'title' and 'steps' (or 'scenarios')");
    return { scenarios: [], errors };
  }
  const scenarios: ScenarioData[] = [];
  const list = root.get("scenarios", true);
  if (list !== undefined) {
    if (!isSeq(list)) at(list as Node, "'scenarios' must be a list of scenarios");
    else for (const item of list.items) scenarios.push(...readScenario(item as Node, at, fileName));
  } else {
    scenarios.push(...readScenario(root, at, fileName));
  }
  return {
    ...(scenarios[0] && !errors.length ? { scenario: scenarios[0] } : {}),
    scenarios: errors.length ? [] : scenarios,
    errors,
  };
}

/** Records a problem at a node; `pos` gives a node's 1-based line and column. */
interface At {
  (node: Node | Pair | null | undefined, message: string): void;
  pos: (node: Node) => { line: number; column: number };
}

function readScenario(node: Node, at: At, file?: string): ScenarioData[] {
  if (!isMap(node)) {
    at(node, "A scenario is a map with 'title' and 'steps'");
    return [];
  }
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!(TOP_LEVEL as readonly string[]).includes(key)) {
      const hint = didYouMean(key, TOP_LEVEL);
      at(
        pair.key as Node,
        `Unknown scenario field '${key}'${hint ? ` (did you mean '${hint}'?)` : ""}`,
      );
    }
  }
  const title = node.get("title", true);
  if (!isScalar(title) || typeof title.value !== "string") {
    at(title ?? node, "The scenario needs a 'title' string");
  }
  const teaches = node.get("teaches", true);
  if (teaches !== undefined && (!isScalar(teaches) || typeof teaches.value !== "string")) {
    at(teaches, "'teaches' must be text");
  }
  const data: ScenarioData = {
    title: isScalar(title) ? String(title.value) : "",
    steps: [],
    ...(file ? { file } : {}),
  };
  if (isScalar(teaches)) data.teaches = String(teaches.value);
  const bootNode = node.get("boot", true);
  if (bootNode !== undefined) {
    if (!isMap(bootNode)) at(bootNode, "'boot' must be a map of boot options");
    else {data.boot = readFields(bootNode, BOOT_FIELDS, "boot", at) as NonNullable<
        ScenarioData["boot"]
      >;}
  }
  const steps = node.get("steps", true);
  if (!isSeq(steps)) {
    at(steps ?? node, "The scenario needs a 'steps' list");
    return [data];
  }
  for (const item of steps.items) {
    const step = readStep(item as Node, at, file);
    if (step) data.steps.push(step);
  }
  return [data];
}

function readStep(node: Node, at: At, file?: string): Step | undefined {
  if (!isMap(node) || node.items.length !== 1) {
    at(node, "Each step is a map with one key, the step name (e.g. '- plugIn: {hardwareId: ...}')");
    return undefined;
  }
  const pair = node.items[0]!;
  const name = isScalar(pair.key) ? String(pair.key.value) : "";
  const def = STEP_DEFINITIONS[name];
  const keyNode = pair.key as Node;
  const range = keyNode.range;
  if (!def) {
    const hint = didYouMean(name, Object.keys(STEP_DEFINITIONS));
    at(keyNode, `Unknown step '${name}'${hint ? ` (did you mean '${hint}'?)` : ""}`);
    return undefined;
  }
  const value = pair.value as Node | null;
  let fields: Record<string, unknown>;
  if (isMap(value)) {
    fields = readFields(value, def.fields, name, at);
  } else if (value === null || (isScalar(value) && value.value === null)) {
    fields = {};
  } else if (def.shorthand && isScalar(value)) {
    fields = readFields(null, def.fields, name, at, { [def.shorthand]: value });
  } else {
    at(
      value,
      `Step '${name}' takes a map of fields${def.shorthand ? ` or a single ${def.shorthand}` : ""}`,
    );
    return undefined;
  }
  const written = new Set(
    isMap(value)
      ? value.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ""))
      : def.shorthand
      ? [def.shorthand]
      : [],
  );
  for (const [f, fd] of Object.entries(def.fields)) {
    if (fd.required && fields[f] === undefined && !written.has(f)) {
      at(keyNode, `Step '${name}' needs '${f}' (${fd.doc})`);
    }
  }
  const source: Step["source"] = {};
  if (file) source.file = file;
  if (range) Object.assign(source, at.pos(keyNode));
  return { step: name, ...fields, source };
}

function readFields(
  map: YAMLMap | null,
  defs: Readonly<Record<string, FieldDef>>,
  owner: string,
  at: At,
  given?: Record<string, Node>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const entries: [string, Node, Node][] = given
    ? Object.entries(given).map(([k, v]) => [k, v, v])
    : map!.items.map((
      p,
    ) => [isScalar(p.key) ? String(p.key.value) : "", p.value as Node, p.key as Node]);
  for (const [key, value, keyNode] of entries) {
    const def = defs[key];
    if (!def) {
      const hint = didYouMean(key, Object.keys(defs));
      at(keyNode, `'${owner}' has no field '${key}'${hint ? ` (did you mean '${hint}'?)` : ""}`);
      continue;
    }
    const v = readValue(value, def, `${owner}.${key}`, at);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** A value outside a field's fixed set: the set when it is short, a did-you-mean when one is close. */
function unknownValue(
  node: Node,
  values: readonly string[],
  written: string,
  where: string,
  at: At,
): undefined {
  const hint = didYouMean(written, values);
  at(
    node,
    `Unknown value '${written}' in '${where}'` +
      (hint
        ? ` (did you mean '${hint}'?)`
        : values.length <= 8
        ? ` (one of ${values.join(", ")})`
        : ""),
  );
  return undefined;
}

function readValue(node: Node, def: FieldDef, where: string, at: At): unknown {
  const js = node && "toJSON" in node ? (node as { toJSON(): unknown }).toJSON() : undefined;
  const bad = (what: string) => {
    at(node, `'${where}' must be ${what}`);
    return undefined;
  };
  switch (def.type) {
    case "string":
    case "id":
      if (typeof js !== "string" && typeof js !== "number") return bad("a string");
      if (def.values && !def.values.includes(String(js))) {
        return unknownValue(node, def.values, String(js), where, at);
      }
      return String(js);
    case "number":
      if (typeof js !== "number") return bad("a number");
      return js;
    case "boolean":
      if (typeof js !== "boolean") return bad("true or false");
      return js;
    case "strings": {
      const list = typeof js === "string" ? [js] : js;
      if (!Array.isArray(list) || !list.every((x) => typeof x === "string")) {
        return bad("a list of strings");
      }
      const unknown = def.values && list.find((x) => !def.values!.includes(x));
      if (unknown !== undefined && def.values) {
        return unknownValue(node, def.values, unknown, where, at);
      }
      return list;
    }
    case "guid": {
      if (typeof js !== "string") return bad("a GUID or a GUID name");
      if (!resolveGuid(js)) {
        const hint = didYouMean(js, Object.keys(WELL_KNOWN_GUIDS));
        at(
          node,
          `Unknown GUID name '${js}' in '${where}'${hint ? ` (did you mean '${hint}'?)` : ""}`,
        );
        return undefined;
      }
      return js;
    }
    case "status": {
      if (typeof js === "number") return js;
      if (typeof js !== "string") return bad("an NTSTATUS name or number");
      if (!/^0x[0-9a-f]+$/i.test(js) && !NTSTATUS_TABLE.some((s) => s.name === js)) {
        const hint = didYouMean(js, NTSTATUS_TABLE.map((s) => s.name));
        at(
          node,
          `Unknown status '${js}' in '${where}'${hint ? ` (did you mean '${hint}'?)` : ""}`,
        );
        return undefined;
      }
      return js;
    }
    case "regType": {
      const names = Object.values(REG_TYPE_NAMES);
      if (typeof js === "number") return js;
      if (typeof js !== "string" || !names.includes(js)) {
        const hint = typeof js === "string" ? didYouMean(js, names) : undefined;
        at(
          node,
          `Unknown registry type '${String(js)}' in '${where}'${
            hint ? ` (did you mean '${hint}'?)` : ""
          }`,
        );
        return undefined;
      }
      return js;
    }
    default:
      return js;
  }
}

/**
 * Reads, parses and runs a scenario file (every scenario in it); problems in the file are failures
 * with their line and column.
 */
export async function runScenarioFile(path: string): Promise<ScenarioResult> {
  const text = await Deno.readTextFile(path);
  const parsed = parseScenario(text, path);
  if (parsed.errors.length) {
    return {
      title: path,
      passed: false,
      failures: parsed.errors.map((e) => ({
        message: e.message,
        file: path,
        line: e.line,
        column: e.column,
      })),
      trace: [],
    };
  }
  const results = parsed.scenarios.map((s) => runScenarioData(s));
  return {
    title: results.map((r) => r.title).join("; "),
    passed: results.every((r) => r.passed),
    failures: results.flatMap((r) => r.failures),
    trace: results.flatMap((r) => r.trace),
  };
}
