/**
 * Completion for the playground's YAML editor, read from the scenario JSON Schema
 * (`scenarios/schema.json`, which `dsl/schema.ts` generates from the step table the loader checks
 * with), so the page offers exactly the steps, fields and values the loader accepts. Kept apart from
 * the editor so Deno tests it without a page.
 *
 * @module
 */

/** A schema node, as far as completion reads it. */
interface Node {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  $ref?: string;
  anyOf?: Node[];
  oneOf?: Node[];
  properties?: Record<string, Node>;
  items?: Node;
  definitions?: Record<string, Node>;
}

/** One completion: the text, what it is, and its documentation. */
export interface Suggestion {
  /** The word to insert. */
  label: string;
  /** A step, a field, a value or a top-level key. */
  type: "step" | "field" | "value" | "key";
  /** The schema's description. */
  info?: string;
  /** What to insert, when more than the label (`plugIn: `). */
  apply?: string;
}

/** What the schema allows: top-level keys, boot options, steps with their fields and values. */
export interface SchemaIndex {
  /** `title`, `teaches`, `boot`, `steps`, `scenarios`. */
  topLevel: Suggestion[];
  /** The boot map's fields. */
  boot: Map<string, { info?: string; values: string[] }>;
  /** Each step: its description and its fields (with the values a field takes, if listed). */
  steps: Map<string, { info?: string; fields: Map<string, { info?: string; values: string[] }> }>;
}

/** Reads the schema into what completion needs, following `$ref`s into `definitions`. */
export function indexSchema(schema: Node): SchemaIndex {
  const definitions = schema.definitions ?? {};
  const resolve = (n: Node | undefined): Node | undefined =>
    n?.$ref ? definitions[n.$ref.replace("#/definitions/", "")] : n;
  /** Every string a field may take as listed (enums, also inside anyOf and array items). */
  const values = (n: Node | undefined, seen = 0): string[] => {
    const r = resolve(n);
    if (!r || seen > 4) return [];
    return [
      ...(r.enum ?? []).filter((v): v is string => typeof v === "string"),
      ...[...(r.anyOf ?? []), ...(r.oneOf ?? [])].flatMap((a) => values(a, seen + 1)),
      ...(r.items ? values(r.items, seen + 1) : []),
    ];
  };
  const fieldsOf = (n: Node | undefined) => {
    const r = resolve(n);
    const object = r?.properties ? r : [...(r?.anyOf ?? [])].find((a) => a.properties);
    const fields = new Map<string, { info?: string; values: string[] }>();
    for (const [name, f] of Object.entries(object?.properties ?? {})) {
      fields.set(name, {
        ...(f.description ? { info: f.description } : {}),
        values: [...new Set(values(f))],
      });
    }
    return fields;
  };
  const scenario = definitions.scenario ?? {};
  const topLevel: Suggestion[] = Object.entries(scenario.properties ?? {}).map(([label, n]) => ({
    label,
    type: "key",
    ...(n.description ? { info: n.description } : {}),
    apply: `${label}: `,
  }));
  topLevel.push({
    label: "scenarios",
    type: "key",
    info: "A list of scenarios",
    apply: "scenarios:",
  });
  const steps: SchemaIndex["steps"] = new Map();
  for (const option of definitions.step?.oneOf ?? []) {
    for (const [name, body] of Object.entries(option.properties ?? {})) {
      steps.set(name, {
        ...(option.description ? { info: option.description } : {}),
        fields: fieldsOf(body),
      });
    }
  }
  return { topLevel, boot: fieldsOf(scenario.properties?.boot), steps };
}

/** The step a position is inside: the nearest `- step:` at or above it, indented no deeper. */
function enclosingStep(lines: string[], row: number): string | undefined {
  const indent = (s: string) => s.length - s.trimStart().length;
  const here = indent(lines[row]!);
  for (let i = row; i >= 0; i--) {
    const m = /^(\s*)-\s+([A-Za-z]+)\s*:/.exec(lines[i]!);
    if (m && (i === row || m[1]!.length < here)) return m[2];
    if (i < row && lines[i]!.trim() && indent(lines[i]!) < here && !m) {
      // A plain key above the position ends the search unless it is a step's own body.
      if (/^\s*(steps|scenarios)\s*:/.test(lines[i]!)) return undefined;
    }
  }
  return undefined;
}

/** Whether the position is under `boot:`. */
function inBoot(lines: string[], row: number): boolean {
  const indent = (s: string) => s.length - s.trimStart().length;
  const line = lines[row]!;
  if (/^\s*boot\s*:\s*\{/.test(line)) return true;
  for (let i = row - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (!l.trim()) continue;
    if (indent(l) < indent(line)) return /^\s*boot\s*:\s*$/.test(l);
  }
  return false;
}

/**
 * What to offer at `pos` in `text`: the word being typed starts at `from`. A list item under
 * `steps:` gets the step names; a key inside a step gets that step's fields; a value after a field
 * gets the values the schema lists for it; a line at the left margin gets the top-level keys.
 */
export function suggest(
  index: SchemaIndex,
  text: string,
  pos: number,
): { from: number; options: Suggestion[] } | null {
  const lines = text.slice(0, pos).split("\n");
  const row = lines.length - 1;
  const before = lines[row]!;
  const word = /[A-Za-z_][\w\\]*$/.exec(before)?.[0] ?? "";
  const from = pos - word.length;
  const allLines = text.split("\n");
  allLines[row] = before;
  // A value: `field: |` (block or flow), completed from the field's listed values.
  const value = /([A-Za-z]+)\s*:\s*(?:\[\s*(?:[^\]]*,\s*)?)?([A-Za-z_][\w\\]*)?$/.exec(before);
  const stepHere = /^\s*-\s+([A-Za-z]+)\s*:\s*([A-Za-z_]\w*)?$/.exec(before);
  if (stepHere && stepHere[2] !== undefined || (stepHere && word === "")) {
    // `- expectState: ` : the step's shorthand value, when it has listed values.
    const step = index.steps.get(stepHere[1]!);
    const shorthand = step ? [...step.fields.values()].find((f) => f.values.length) : undefined;
    if (!shorthand || step!.fields.size !== 1) return null;
    return { from, options: shorthand.values.map((v) => ({ label: v, type: "value" })) };
  }
  if (/^\s*-\s+[A-Za-z]*$/.test(before)) {
    return {
      from,
      options: [...index.steps].map(([label, s]) => ({
        label,
        type: "step",
        ...(s.info ? { info: s.info } : {}),
        apply: `${label}: `,
      })),
    };
  }
  if (/^[A-Za-z]*$/.test(before)) return { from, options: index.topLevel };
  const boot = inBoot(allLines, row);
  const fields = boot ? index.boot : index.steps.get(enclosingStep(allLines, row) ?? "")?.fields;
  if (!fields) return null;
  if (value && fields.has(value[1]!) && before.lastIndexOf(":") > before.search(/\S/)) {
    const f = fields.get(value[1]!)!;
    if (!f.values.length) return null;
    return { from, options: f.values.map((v) => ({ label: v, type: "value" })) };
  }
  // A key: at the start of a block line, or after `{` or `,` in a flow map.
  if (/(^\s*|[{,]\s*)[A-Za-z]*$/.test(before)) {
    return {
      from,
      options: [...fields].map(([label, f]) => ({
        label,
        type: "field",
        ...(f.info ? { info: f.info } : {}),
        apply: `${label}: `,
      })),
    };
  }
  return null;
}
