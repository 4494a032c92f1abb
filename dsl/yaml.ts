/**
 * YAML scenario files: `parseScenario` turns text into the step representation and reports every
 * problem (syntax, unknown step with "did you mean", wrong type, unknown GUID name) with its 1-based
 * line and column; loading a file runs no code. `runScenarioFile` parses and runs one.
 *
 * @module
 */
import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseDocument,
  Scalar,
  type YAMLMap,
} from "npm:yaml@2.9.1";
import { NTSTATUS_TABLE } from "../lib/ntstatus.ts";
import { REG_TYPE_NAMES } from "../lib/constants.ts";
import { resolveGuid, WELL_KNOWN_GUIDS } from "./guids.ts";
import { runScenarioData, type ScenarioResult, WDK_CONSTANTS } from "./runner.ts";
import { resolveDriverModules } from "./modules.ts";
import {
  didYouMean,
  type FieldDef,
  type NameKind,
  type ScenarioData,
  type Step,
  STEP_DEFINITIONS,
  type StepDef,
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
 * Parses a scenario file (one scenario, or `scenarios:` with a list of them). Every problem is
 * reported in one pass, in file order: syntax, unknown steps and fields, wrong types, names the
 * model does not know (GUIDs, statuses, IRPs, states, routines, constants ...) and names no earlier
 * step defines (devices, interfaces, listeners, handles, results, applications).
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
  // yaml's composer recurses once per level: a deep enough file overflows the stack. No scenario
  // needs more than a few levels, so a deep one is refused before it is parsed; a stack overflow
  // that the estimate missed is still an error of the file, never an exception.
  const refuse = (where: { line: number; column: number }) => ({
    scenarios: [],
    errors: [{
      message: `Nesting deeper than ${MAX_NESTING} levels (a scenario file needs a few)`,
      ...where,
      ...(fileName ? { file: fileName } : {}),
    }],
  });
  const deep = tooDeep(text, MAX_NESTING);
  if (deep) return refuse(deep);
  try {
    return parseShallow(text, fileName);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return refuse(tooDeep(text, 0) ?? { line: 1, column: 1 });
  }
}

function parseShallow(
  text: string,
  fileName?: string,
): { scenario?: ScenarioData; scenarios: ScenarioData[]; errors: ScenarioError[] } {
  const errors: ScenarioError[] = [];
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
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
  // An indentation error is reported once, where the misplaced text starts: the checks of the
  // node yaml's recovery built around it would only repeat it in other words.
  const misplaced = doc.errors.filter((e) => /same column|indent/i.test(e.message)).map((e) =>
    e.pos[0]
  );
  const at: At = (node, message) => {
    const range = (node as { range?: [number, number, number] | null } | null)?.range;
    if (range && misplaced.some((o) => range[0] <= o && o <= range[2])) return;
    errors.push({ message, ...pos(node as Node), ...(fileName ? { file: fileName } : {}) });
  };
  at.pos = pos;
  at.count = () => errors.length;
  at.source = (node) => {
    const range = (node as { range?: [number, number, number] | null }).range;
    return range ? text.slice(range[0], range[1]) : "";
  };
  for (const e of doc.errors) {
    let offset = e.pos[0];
    // Past the leading blanks, to the misplaced text itself.
    if (/same column|indent/i.test(e.message)) {
      while (offset < text.length && (text[offset] === " " || text[offset] === "\t")) offset++;
    }
    const pos = /same column|indent/i.test(e.message)
      ? linePos(offset)
      : e.linePos?.[0] ?? linePos(offset);
    errors.push({
      message: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""),
      line: pos.line,
      column: pos.col,
      ...(fileName ? { file: fileName } : {}),
    });
  }
  // The rest of the file is checked too, as yaml's error recovery read it, so that one pass shows
  // every problem; a file with any error yields no scenario.
  const syntaxErrors = errors.length;
  const root = doc.contents;
  // An alias would reach the readers as an unresolved node and become a `{ source }` object: each
  // one is refused where it stands (which also makes an alias bomb harmless).
  const odd = oddNodesIn(root);
  for (const alias of odd.aliases) {
    at(alias, `Aliases are not supported ('*${alias.source}'): write the value itself`);
  }
  // A map or list used as a key (`? [a]: b`) becomes text only by stringifying it, which yaml does
  // again at every level: nested ones take exponential time. No scenario field has such a key, and
  // the readers would stringify them, so a file with one is refused before they run.
  for (const key of odd.collectionKeys) at(key, "A key must be plain text, not a map or a list");
  if (odd.collectionKeys.length) return done([], errors);
  const scenarios: ScenarioData[] = [];
  if (!isMap(root)) {
    if (!syntaxErrors) {
      at(root as Node, "A scenario file is a map with 'title' and 'steps' (or 'scenarios')");
    }
  } else {
    const list = root.get("scenarios", true);
    if (list !== undefined) {
      if (!isSeq(list)) at(list as Node, "'scenarios' must be a list of scenarios");
      else if (!list.items.length) at(list as Node, "'scenarios' is empty: the file runs nothing");
      // Anything beside the list would be silently ignored (steps that never run).
      for (const pair of root.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : "";
        if (key === "scenarios") continue;
        at(
          pair.key as Node,
          `'${key}' beside 'scenarios' is never read: put it inside a scenario of the list`,
        );
      }
      const items = isSeq(list) ? list.items : [];
      for (const item of items) scenarios.push(...readScenario(item as Node, at, fileName));
    } else {
      scenarios.push(...readScenario(root, at, fileName));
    }
  }
  return {
    ...(scenarios[0] && !errors.length ? { scenario: scenarios[0] } : {}),
    ...done(scenarios, errors),
  };
}

/** How deep a scenario file may nest its maps, lists and flow collections. */
const MAX_NESTING = 200;

/**
 * The position where `text` first nests deeper than `limit`, counting block indentation levels,
 * compact `- ` entries and flow brackets. An estimate that errs on the high side only for
 * absurd files; it exists so that the recursive parser never sees them.
 */
function tooDeep(text: string, limit: number): { line: number; column: number } | undefined {
  const indents: number[] = [];
  let flow = 0;
  const lines = text.split(/\r\n|\r|\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    let i = 0;
    while (line[i] === " ") i++;
    if (i >= line.length || line[i] === "#") continue;
    if (flow === 0) {
      while (indents.length && indents[indents.length - 1]! >= i) indents.pop();
      indents.push(i);
    }
    let quote = "";
    let valueStart = true;
    for (; i < line.length; i++) {
      const ch = line[i]!;
      if (quote) {
        if (ch === quote) quote = "";
        continue;
      }
      if (ch === "#" && (i === 0 || line[i - 1] === " ")) break;
      if (valueStart && (ch === '"' || ch === "'")) quote = ch;
      else if (valueStart && (ch === "[" || ch === "{")) flow++;
      else if (flow > 0 && (ch === "]" || ch === "}")) flow--;
      else if (valueStart && (ch === "-" || ch === "?") && line[i + 1] === " ") {
        // A block entry inside a flow collection is an error, but yaml's recovery still nests it.
        indents.push(i + 2);
      }
      if (indents.length + flow > limit) return { line: n + 1, column: i + 1 };
      if (ch !== " ") valueStart = flow > 0 ? "[{,:".includes(ch) : ":-?".includes(ch);
    }
  }
  return undefined;
}

/** Every alias node and every key that is a collection in a document, found without recursion. */
function oddNodesIn(
  root: unknown,
): { aliases: (Node & { source: string })[]; collectionKeys: Node[] } {
  const aliases: (Node & { source: string })[] = [];
  const collectionKeys: Node[] = [];
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (isAlias(node)) aliases.push(node as unknown as Node & { source: string });
    else if (isPair(node)) {
      if (isCollection(node.key)) collectionKeys.push(node.key as Node);
      stack.push(node.value, node.key);
    } else if (isCollection(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return { aliases, collectionKeys };
}

/** In file order, each problem once; no scenario when there is any. */
function done(
  scenarios: ScenarioData[],
  errors: ScenarioError[],
): { scenarios: ScenarioData[]; errors: ScenarioError[] } {
  const seen = new Set<string>();
  const unique = errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.line - b.e.line || a.e.column - b.e.column || a.i - b.i)
    .map(({ e }) => e)
    .filter((e) => {
      const key = `${e.line}:${e.column}:${e.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return { scenarios: unique.length ? [] : scenarios, errors: unique };
}

/** Records a problem at a node; `pos` gives a node's 1-based line and column, `source` its text. */
interface At {
  (node: Node | Pair | null | undefined, message: string): void;
  pos: (node: Node) => { line: number; column: number };
  source: (node: Node) => string;
  /** How many problems are recorded so far. */
  count: () => number;
}

/** What each kind of name is called in messages. */
const NAME_NOUNS: Readonly<Record<NameKind, string>> = {
  device: "device",
  interface: "interface",
  listener: "listener",
  handle: "handle",
  result: "result",
  application: "application",
};

/**
 * The names a scenario's steps have defined so far, as the runner will hold them: a reference to
 * one that no earlier step defines is an error before anything runs.
 */
class Names {
  readonly #defined = new Map<NameKind, string[]>();
  /** Names an unknown step seems to define: they are not reported again where they are used. */
  readonly #loose = new Set<string>();

  add(kind: NameKind, name: string): void {
    const list = this.#defined.get(kind) ?? [];
    if (!list.includes(name)) list.push(name);
    this.#defined.set(kind, list);
  }

  addLoose(name: string): void {
    this.#loose.add(name);
  }

  has(kind: NameKind, name: string): boolean {
    return this.#loose.has(name) || (this.#defined.get(kind)?.includes(name) ?? false);
  }

  list(kind: NameKind): string[] {
    return this.#defined.get(kind) ?? [];
  }

  /** A name the runner's `call` arguments resolve: a device, an interface or a result. */
  resolves(name: string): boolean {
    return (["device", "interface", "result"] as const).some((k) => this.has(k, name));
  }
}

/** "Unknown device 't2' (defined so far: t1, bus)". */
function unknownName(kinds: readonly NameKind[], name: string, names: Names): string {
  const noun = kinds.map((k) => NAME_NOUNS[k]).join(" or ");
  const known = [...new Set(kinds.flatMap((k) => names.list(k)))];
  if (!known.length) return `Unknown ${noun} '${name}' (no earlier step defines one)`;
  const MAX = 8;
  const hint = known.length > MAX ? didYouMean(name, known) : undefined;
  const shown = known.length > MAX
    ? `${known.slice(0, MAX).join(", ")} and ${known.length - MAX} more`
    : known.join(", ");
  return `Unknown ${noun} '${name}' (${
    hint ? `did you mean '${hint}'? ` : ""
  }defined so far: ${shown})`;
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
  // Each scenario of a file runs on a fresh machine, with no names yet.
  const names = new Names();
  for (const item of steps.items) {
    const step = readStep(item as Node, at, names, file);
    if (step) data.steps.push(step);
  }
  return [data];
}

/** A step's fields as written, before any check: what the names it defines are taken from. */
function writtenFields(def: StepDef, value: Node | null): Record<string, unknown> {
  if (isMap(value)) {
    const js = value.toJSON() as unknown;
    return js && typeof js === "object" ? js as Record<string, unknown> : {};
  }
  if (def.shorthand && isScalar(value)) return { [def.shorthand]: value.toJSON() };
  return {};
}

/** Adds the names a step defines (a listener's twice is an error, as it is when the step runs). */
function defineNames(
  def: StepDef,
  written: Record<string, unknown>,
  names: Names,
  nodes: Record<string, Node>,
  at: At,
): void {
  for (const d of def.defines ?? []) {
    const field = d.from.find((f) => written[f] !== undefined && written[f] !== null);
    const raw = field !== undefined ? written[field] : d.fallback;
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (typeof first !== "string" && typeof first !== "number") continue;
    const name = String(first);
    if (d.unique && field !== undefined && names.list(d.kind).includes(name)) {
      at(nodes[field], `A ${NAME_NOUNS[d.kind]} named '${name}' exists already`);
    }
    names.add(d.kind, name);
  }
}

/** The names a step that is in error would give: known from here on, whatever they name. */
function defineLoosely(def: StepDef, value: Node | null, names: Names, at: At): void {
  const given = new Names();
  defineNames(def, writtenFields(def, value), given, {}, at);
  for (const kind of Object.keys(NAME_NOUNS) as NameKind[]) {
    for (const name of given.list(kind)) names.addLoose(name);
  }
}

/** A constant name as WDK headers spell them: KEY_READ, PLUGPLAY_REGKEY_DEVICE, REG_DWORD. */
const CONSTANT_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
/** `id.field` naming an out-parameter of an earlier call: `h.devInstRegKey`, `q.resultLength`. */
const RESULT_FIELD = /^([A-Za-z_][\w-]*)\.((?:[a-z]+(?:[A-Z0-9][a-z0-9]*)+|status))(?:\.\w+)*$/;

/**
 * The strings of a `call` argument list (or an expected result) that the runner resolves: an
 * unquoted ALL_CAPS name must be a constant, a GUID name or a defined name, since the runner would
 * pass a misspelt one on as text; `x.field` with `x` close to a call's id is a misspelt result.
 */
function checkArguments(node: Node | null | undefined, names: Names, where: string, at: At): void {
  if (isSeq(node)) {
    for (const item of node.items) checkArguments(item as Node, names, where, at);
    return;
  }
  if (!isScalar(node) || typeof node.value !== "string" || node.type !== Scalar.PLAIN) return;
  const text = node.value;
  if (CONSTANT_NAME.test(text)) {
    if (text in WDK_CONSTANTS || resolveGuid(text) || names.resolves(text)) return;
    const hint = didYouMean(text, [
      ...Object.keys(WDK_CONSTANTS),
      ...Object.keys(WELL_KNOWN_GUIDS),
      ...(["device", "interface", "result"] as const).flatMap((k) => names.list(k)),
    ]);
    at(
      node,
      `Unknown constant '${text}' in '${where}'${
        hint ? ` (did you mean '${hint}'?)` : " (quote it to pass the text itself)"
      }`,
    );
    return;
  }
  const field = RESULT_FIELD.exec(text);
  if (field && !names.resolves(text) && !names.has("result", field[1]!)) {
    const hint = didYouMean(field[1]!, names.list("result"));
    if (hint) at(node, `Unknown result '${field[1]}' in '${where}' (did you mean '${hint}'?)`);
  }
}

/** The names a step refers to, each defined by an earlier step. */
function checkNames(
  name: string,
  def: StepDef,
  fields: Record<string, unknown>,
  nodes: Record<string, Node>,
  names: Names,
  at: At,
): void {
  for (const [f, fd] of Object.entries(def.fields)) {
    const value = fields[f];
    if (value === undefined) continue;
    if (fd.resolvesNames) checkArguments(nodes[f], names, `${name}.${f}`, at);
    if (!fd.refers || typeof value !== "string") continue;
    const kinds: readonly NameKind[] = typeof fd.refers === "string" ? [fd.refers] : fd.refers;
    // An interface registered without an id is named by its symbolic link, known only at run time.
    if (kinds.includes("interface") && value.startsWith("\\")) continue;
    const ref = kinds.includes("result") ? value.split(".")[0]! : value;
    if (!kinds.some((k) => names.has(k, ref))) at(nodes[f], unknownName(kinds, ref, names));
  }
}

function readStep(node: Node, at: At, names: Names, file?: string): Step | undefined {
  if (!isMap(node) || node.items.length !== 1) {
    at(node, "Each step is a map with one key, the step name (e.g. '- plugIn: {hardwareId: ...}')");
    // Two steps in one item (a missing '-'): the names they give stay known all the same.
    for (const pair of isMap(node) ? node.items : []) {
      const def = isScalar(pair.key) ? STEP_DEFINITIONS[String(pair.key.value)] : undefined;
      if (def) defineLoosely(def, pair.value as Node | null, names, at);
    }
    return undefined;
  }
  const pair = node.items[0]!;
  const name = isScalar(pair.key) ? String(pair.key.value) : "";
  const def = STEP_DEFINITIONS[name];
  const keyNode = pair.key as Node;
  const range = keyNode.range;
  const value = pair.value as Node | null;
  if (!def) {
    const hint = didYouMean(name, Object.keys(STEP_DEFINITIONS));
    at(keyNode, `Unknown step '${name}'${hint ? ` (did you mean '${hint}'?)` : ""}`);
    // What the step seems to name stays known, so its later uses are not reported as well.
    const meant = hint ? STEP_DEFINITIONS[hint] : undefined;
    if (meant) defineLoosely(meant, value, names, at);
    const id = isMap(value) ? value.get("id") : undefined;
    if (typeof id === "string") names.addLoose(id);
    return undefined;
  }
  let fields: Record<string, unknown>;
  const nodes: Record<string, Node> = {};
  if (isMap(value)) {
    fields = readFields(value, def.fields, name, at, undefined, nodes);
  } else if (value === null || (isScalar(value) && value.value === null)) {
    fields = {};
  } else if (def.shorthand && isScalar(value)) {
    fields = readFields(null, def.fields, name, at, { [def.shorthand]: value }, nodes);
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
  checkNames(name, def, fields, nodes, names, at);
  defineNames(def, writtenFields(def, value), names, nodes, at);
  // A key written twice is an error already; whichever value was meant stays known.
  const keys = isMap(value)
    ? value.items.map((p) => isScalar(p.key) ? String(p.key.value) : "")
    : [];
  keys.forEach((key, i) => {
    const item = (value as YAMLMap).items[i]!.value;
    const twice = keys.indexOf(key) !== keys.lastIndexOf(key);
    if (twice && isScalar(item) && def.defines?.some((d) => d.from.includes(key))) {
      names.addLoose(String(item.value));
    }
  });
  const source: Step["source"] = {};
  if (file) source.file = file;
  if (range) Object.assign(source, at.pos(keyNode));
  return { step: name, ...fields, source } as Step;
}

function readFields(
  map: YAMLMap | null,
  defs: Readonly<Record<string, FieldDef>>,
  owner: string,
  at: At,
  given?: Record<string, Node>,
  nodes: Record<string, Node> = {},
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
    nodes[key] = value ?? keyNode;
    const v = readValue(value, def, `${owner}.${key}`, at);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** A value outside a field's fixed set: the set when it is short, a did-you-mean when one is close. */
function unknownValue(
  node: Node,
  def: FieldDef,
  written: string,
  where: string,
  at: At,
): undefined {
  const values = def.values ?? [];
  const hint = didYouMean(written, values);
  at(
    node,
    `Unknown ${def.noun ?? "value"} '${written}' in '${where}'` +
      (hint
        ? ` (did you mean '${hint}'?)`
        : values.length <= 8
        ? ` (one of ${values.join(", ")})`
        : ""),
  );
  return undefined;
}

/** A GUID field's value: a GUID, or a name of WELL_KNOWN_GUIDS. */
function checkGuid(node: Node, guid: string, where: string, at: At): boolean {
  if (resolveGuid(guid)) return true;
  const hint = didYouMean(guid, Object.keys(WELL_KNOWN_GUIDS));
  at(node, `Unknown GUID name '${guid}' in '${where}'${hint ? ` (did you mean '${hint}'?)` : ""}`);
  return false;
}

/** A node's plain value; a missing node (a key without a value in a flow map) has none. */
function toJs(node: unknown): unknown {
  return node && typeof node === "object" && "toJSON" in node
    ? (node as { toJSON(): unknown }).toJSON()
    : undefined;
}

function readValue(node: Node, def: FieldDef, where: string, at: At): unknown {
  const js = toJs(node);
  const bad = (what: string) => {
    at(node, `'${where}' must be ${what}`);
    return undefined;
  };
  switch (def.type) {
    case "string":
    case "id": {
      if (typeof js === "number" && !def.numbers) {
        // An ID written as a number loses its form (01 is 1, 1e3 is 1000): the text must be quoted.
        return bad(`a string; quote it: "${at.source(node) || String(js)}"`);
      }
      if (typeof js !== "string" && typeof js !== "number") return bad("a string");
      const text = String(js);
      if (def.values && !def.values.includes(text) && !def.pattern?.test(text)) {
        return unknownValue(node, def, text, where, at);
      }
      return text;
    }
    case "number":
      if (typeof js !== "number") return bad("a number");
      return js;
    case "boolean":
      if (typeof js !== "boolean") return bad("true or false");
      return js;
    case "strings":
    case "guids": {
      const guids = def.type === "guids";
      const items: [unknown, Node][] = isSeq(node)
        ? node.items.map((item) => [toJs(item), item as Node])
        : [[js, node]];
      if (
        !(isSeq(node) || typeof js === "string") || !items.every(([x]) => typeof x === "string")
      ) {
        return bad(guids ? "a list of GUIDs or GUID names" : "a list of strings");
      }
      let ok = true;
      for (const [text, item] of items as [string, Node][]) {
        if (guids) ok = checkGuid(item, text, where, at) && ok;
        else if (def.values && !def.values.includes(text) && !def.pattern?.test(text)) {
          unknownValue(item, def, text, where, at);
          ok = false;
        }
      }
      return ok ? items.map(([text]) => text) : undefined;
    }
    case "guid": {
      if (typeof js !== "string") return bad("a GUID or a GUID name");
      return checkGuid(node, js, where, at) ? js : undefined;
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
    case "regValues": {
      if (!isMap(node)) return bad("a map of value names to { type, data }");
      let ok = true;
      for (const pair of node.items) {
        const name = isScalar(pair.key) ? String(pair.key.value) : "";
        const value = pair.value as Node | null;
        if (!isMap(value)) {
          at(value ?? pair.key as Node, `'${where}.${name}' must be { type, data }`);
          ok = false;
          continue;
        }
        const before = at.count();
        const fields = readFields(value, REG_VALUE_FIELDS, `${where}.${name}`, at);
        for (const f of Object.keys(REG_VALUE_FIELDS)) {
          if (!value.has(f)) at(pair.key as Node, `'${where}.${name}' needs '${f}'`);
        }
        ok = ok && at.count() === before && fields.type !== undefined;
      }
      return ok ? js : undefined;
    }
    default:
      return js;
  }
}

/** One value a driver's INF writes: what `driver.deviceParameters` maps each name to. */
const REG_VALUE_FIELDS: Readonly<Record<string, FieldDef>> = {
  type: { type: "regType", required: true, doc: "REG_SZ, REG_DWORD, ..." },
  data: { type: "data", required: true, doc: "Data in the type's form" },
};

/**
 * Reads, parses and runs a scenario file (every scenario in it); problems in the file are failures
 * with their line and column.
 *
 * @example
 * ```ts
 * import { runScenarioFile } from "./yaml.ts";
 * import assert from "node:assert/strict";
 * const file = await Deno.makeTempFile({ suffix: ".yaml" });
 * await Deno.writeTextFile(file, [
 *   "title: A toaster starts",
 *   "steps:",
 *   "  - driver: { name: toaster, hardwareIds: ['ROOT\\TOASTER'] }",
 *   "  - plugIn: { id: t, hardwareId: 'ROOT\\TOASTER' }",
 *   "  - expectState: { device: t, state: Started }",
 * ].join("\n"));
 * const result = await runScenarioFile(file);
 * await Deno.remove(file);
 * assert.equal(result.passed, true, result.failures.map((f) => f.message).join("\n"));
 * ```
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
  const results: ScenarioResult[] = [];
  for (const s of parsed.scenarios) {
    // Only running imports a driverModule step's module; a missing one fails at its line.
    const missing = await resolveDriverModules(s, path);
    results.push(
      missing.length
        ? { title: s.title, passed: false, failures: missing, trace: [] }
        : runScenarioData(s),
    );
  }
  return {
    title: results.map((r) => r.title).join("; "),
    passed: results.every((r) => r.passed),
    failures: results.flatMap((r) => r.failures),
    trace: results.flatMap((r) => r.trace),
  };
}
