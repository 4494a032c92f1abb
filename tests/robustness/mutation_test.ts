/**
 * The three loaders fed mutated and truncated real inputs: scenario files (`parseScenario`), `.reg`
 * files (`machine.registry.importReg`) and hive files (`deserializeHive`, `boot({ hiveFile })`).
 * Whatever the input, each one answers with its documented result: no exception escapes; a problem
 * is an error with a 1-based line and column inside the text; and nothing is half-applied (a scenario
 * with errors yields no scenario, a `.reg` import with errors leaves the exported registry exactly as
 * it was, a hive with errors yields no hive and `boot` throws `HiveLoadError`).
 *
 * The inputs come from the repository: every `scenarios/**\/*.yaml`, `tests/fixtures/realistic.reg`,
 * and a hive saved from the example machine. Each property counts the inputs it tried.
 */
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import { boot, exampleMachine, HiveLoadError, type Machine } from "../../mod.ts";
import { parseScenario } from "../../dsl/yaml.ts";
import { deserializeHive } from "../../lib/registry/persist.ts";
import { fuzzRuns, fuzzSeed } from "./_fuzz.ts";

const ROOT = new URL("../../", import.meta.url);

// ---- Mutations --------------------------------------------------------------------------------------

/** One edit of a text; positions are fractions of its length so that one edit fits any text. */
type Edit =
  | { kind: "truncate"; at: number }
  | { kind: "delete"; at: number; length: number }
  | { kind: "insert"; at: number; token: string }
  | { kind: "replace"; at: number; length: number; token: string }
  | { kind: "duplicateLine"; at: number }
  | { kind: "swapLines"; at: number; other: number }
  | { kind: "indent"; at: number; by: number };

function offset(text: string, at: number): number {
  return Math.min(text.length, Math.floor(at * (text.length + 1)));
}

function applyEdit(text: string, e: Edit): string {
  const i = offset(text, e.at);
  switch (e.kind) {
    case "truncate":
      return text.slice(0, i);
    case "delete":
      return text.slice(0, i) + text.slice(i + e.length);
    case "insert":
      return text.slice(0, i) + e.token + text.slice(i);
    case "replace":
      return text.slice(0, i) + e.token + text.slice(i + e.length);
    case "duplicateLine":
    case "swapLines":
    case "indent": {
      const lines = text.split("\n");
      const n = Math.min(lines.length - 1, Math.floor(e.at * lines.length));
      if (e.kind === "duplicateLine") lines.splice(n, 0, lines[n]!);
      else if (e.kind === "swapLines") {
        const m = Math.min(lines.length - 1, Math.floor(e.other * lines.length));
        [lines[n], lines[m]] = [lines[m]!, lines[n]!];
      } else {
        lines[n] = e.by > 0 ? " ".repeat(e.by) + lines[n] : lines[n]!.slice(-e.by);
      }
      return lines.join("\n");
    }
  }
}

/** Edits built from the tokens that mean something in a format (and a few that mean nothing). */
function edits(tokens: readonly string[]): fc.Arbitrary<Edit[]> {
  const at = fc.double({ min: 0, max: 1, noNaN: true });
  const token = fc.oneof(
    { arbitrary: fc.constantFrom(...tokens), weight: 4 },
    { arbitrary: fc.string({ maxLength: 4, unit: "binary" }), weight: 1 },
  );
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ kind: fc.constant("truncate" as const), at }),
    fc.record({
      kind: fc.constant("delete" as const),
      at,
      length: fc.integer({ min: 1, max: 12 }),
    }),
    { arbitrary: fc.record({ kind: fc.constant("insert" as const), at, token }), weight: 3 },
    {
      arbitrary: fc.record({
        kind: fc.constant("replace" as const),
        at,
        length: fc.integer({ min: 1, max: 6 }),
        token,
      }),
      weight: 3,
    },
    fc.record({ kind: fc.constant("duplicateLine" as const), at }),
    fc.record({ kind: fc.constant("swapLines" as const), at, other: at }),
    fc.record({ kind: fc.constant("indent" as const), at, by: fc.integer({ min: -4, max: 4 }) }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 3 });
}

function mutate(text: string, list: Edit[]): string {
  return list.reduce(applyEdit, text);
}

/** The lines of a text as any of the loaders may count them (`\r\n`, `\n` or a lone `\r`). */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

/** An error's position is 1-based and inside the text (a column may point just past a line's end). */
function assertPosition(
  text: string,
  e: { line: number; column: number; message: string },
  what: string,
): void {
  const lengths = lineLengths(text);
  assert.ok(Number.isInteger(e.line) && e.line >= 1, `${what}: line ${e.line} (${e.message})`);
  assert.ok(e.line <= lengths.length, `${what}: line ${e.line} past the end (${e.message})`);
  assert.ok(Number.isInteger(e.column) && e.column >= 1, `${what}: column ${e.column}`);
  // Some parsers count a line's characters in code points, some a \n line's \r: allow both.
  const longest = Math.max(lengths[e.line - 1] ?? 0, text.split("\n")[e.line - 1]?.length ?? 0);
  assert.ok(
    e.column <= longest + 2,
    `${what}: column ${e.column} past the end of line ${e.line} (${e.message})`,
  );
  assert.equal(typeof e.message, "string");
  assert.ok(e.message.length > 0, `${what}: empty message`);
}

// ---- Scenario files ------------------------------------------------------------------------------------

function yamlFiles(dir: URL, out: { name: string; text: string }[] = []) {
  for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yamlFiles(url, out);
    else if (entry.name.endsWith(".yaml")) {
      out.push({
        name: url.pathname.slice(ROOT.pathname.length),
        text: Deno.readTextFileSync(url),
      });
    }
  }
  return out;
}

const YAML_TOKENS = [
  ":",
  ": ",
  "- ",
  "-",
  "[",
  "]",
  "{",
  "}",
  ",",
  '"',
  "'",
  "\t",
  "\n",
  "\r\n",
  "  ",
  "    ",
  "&a ",
  "*a",
  "!!str ",
  "!!binary ",
  "!tag ",
  "%YAML 1.2\n",
  "---\n",
  "...\n",
  "|",
  ">-",
  "#",
  "? ",
  "@",
  "`",
  "\u0000",
  "\ufeff",
  "\ud800",
  "null",
  "~",
  "true",
  "0x",
  "1e999",
  "<<: *a",
  "steps",
  "title",
  "boot",
  "plugIn",
  "hardwareId",
  "expect",
  "scenarios:",
];

Deno.test("mutated and truncated scenario files: parseScenario never throws, reports each problem with a line and column inside the file, and returns no scenario when it reports any", () => {
  const files = yamlFiles(new URL("scenarios/", ROOT));
  assert.ok(files.length > 0);
  let tried = 0;
  fc.assert(
    fc.property(fc.nat(files.length - 1), edits(YAML_TOKENS), (index, list) => {
      const file = files[index]!;
      const text = mutate(file.text, list);
      tried++;
      const r = parseScenario(text, file.name);
      if (r.errors.length) {
        for (const e of r.errors) {
          assertPosition(text, e, file.name);
          assert.equal(e.file, file.name);
        }
        assert.deepEqual(r.scenarios, [], "a scenario with errors is not half-parsed");
        assert.equal(r.scenario, undefined);
      } else {
        assert.ok(r.scenarios.length >= 1, "no error and no scenario");
        for (const s of r.scenarios) {
          for (const step of s.steps) {
            assert.ok(typeof step.step === "string");
            if (step.source?.line !== undefined) assert.ok(step.source.line >= 1);
          }
        }
      }
    }),
    { seed: fuzzSeed(), numRuns: fuzzRuns(3000) },
  );
  assert.ok(tried >= fuzzRuns(3000));
});

// ---- .reg files -------------------------------------------------------------------------------------------

const REG_TOKENS = [
  "[",
  "]",
  "[-",
  "[HKEY_LOCAL_MACHINE\\",
  "[HKEY_BOGUS\\X]",
  "[HKEY_CURRENT_USER\\X]",
  '"',
  '"="',
  "=",
  "=-",
  "\\",
  "\\\r\n",
  "\\\\",
  "@",
  "@=",
  "-",
  "hex:",
  "hex(2):",
  "hex(7):",
  "hex(b):",
  "hex(0):",
  "hex(ffffffff):",
  "hex(100000000):",
  "dword:",
  "dword:fffffffff",
  "dword:-1",
  ",",
  "zz",
  "0",
  "00,",
  "\r\n",
  "\n",
  "\r",
  "\u0000",
  ";",
  "REGEDIT4\r\n",
  "\t",
  " ",
  "\ufeff",
  "Windows Registry Editor Version 5.00\r\n",
  "\\SymbolicLinkValue",
  "[HKEY_LOCAL_MACHINE]",
];

const REG_HEADER = "Windows Registry Editor Version 5.00\r\n\r\n";

/** The registry as the host exports it: the state an import must leave alone when it fails. */
function exported(m: Machine): string {
  return m.registry.exportReg("HKLM") + m.registry.exportReg("HKU");
}

Deno.test("mutated and truncated .reg files: importReg never throws, reports each problem with a line and column, and an import with errors leaves the exported registry identical", () => {
  const real = Deno.readTextFileSync(new URL("tests/fixtures/realistic.reg", ROOT));
  const lines = real.split("\r\n");
  const keyLines = lines.flatMap((l, i) => (l.startsWith("[") ? [i] : []));
  let tried = 0;
  let refused = 0;
  fc.assert(
    fc.property(
      fc.nat(keyLines.length - 1),
      fc.integer({ min: 1, max: 8 }),
      fc.boolean(),
      fc.integer({ min: 0, max: 19 }),
      edits(REG_TOKENS),
      (start, count, withHeader, whole, list) => {
        // A window of real keys (so an import reaches existing keys), or now and then the whole file.
        const first = keyLines[start]!;
        const end = keyLines[start + count] ?? lines.length;
        const window = whole === 0
          ? real
          : REG_HEADER + lines.slice(first, end).join("\r\n") + "\r\n";
        const m = boot();
        if (whole !== 0) assert.deepEqual(m.registry.importReg(window).errors, []);
        const text = mutate(
          withHeader || whole === 0 ? window : window.slice(REG_HEADER.length),
          list,
        );
        const before = exported(m);
        tried++;
        const r = m.registry.importReg(text);
        assert.ok(Array.isArray(r.errors));
        if (r.errors.length === 0) return;
        refused++;
        for (const e of r.errors) assertPosition(text, e, ".reg import");
        assert.equal(exported(m), before, "an import that reported errors changed the registry");
      },
    ),
    { seed: fuzzSeed(), numRuns: fuzzRuns(2000) },
  );
  assert.ok(tried >= fuzzRuns(2000));
  assert.ok(refused > tried / 4, `only ${refused} of ${tried} mutated files were refused`);
});

// ---- Hive files --------------------------------------------------------------------------------------------

const JSON_TOKENS = [
  "{",
  "}",
  "[",
  "]",
  ",",
  ":",
  '"',
  "null",
  "true",
  "false",
  "0",
  "-1",
  "1.5",
  "1e999",
  "-0",
  '"x"',
  '"\\u0000"',
  '"\\ud800"',
  "\\",
  "\n",
  "NaN",
  "0x10",
  '{"hex":"zz"}',
  '{"qword":"0xg"}',
  '"\\\\REGISTRY"',
  '"\\\\REGISTRY\\\\MACHINE\\\\X"',
  "[]",
  "{}",
  '"path":',
  '"values":',
  '"type":',
  '"data":',
  '"raw":"0"',
  '"lastWrite":',
  '"format":"pnplab-hive",',
  '"version":2,',
];

/** A structural edit of the hive's JSON: a field of a key or value set to another JSON value or removed. */
interface StructuralEdit {
  key: number;
  value: number;
  field: string;
  to: unknown;
  remove: boolean;
}

const KEY_FIELDS = ["path", "lastWrite", "class", "allowed", "values", "link", "extra"];
const VALUE_FIELDS = ["name", "type", "data", "raw"];
const TOP_FIELDS = ["format", "version", "clock", "keys"];

function structural(json: string, e: StructuralEdit): string {
  const file = JSON.parse(json) as { keys: Record<string, unknown>[] } & Record<string, unknown>;
  let target: Record<string, unknown> = file;
  let fields = TOP_FIELDS;
  if (e.key > 0) {
    const key = file.keys[e.key % file.keys.length]!;
    const values = key.values as Record<string, unknown>[];
    if (e.value > 0 && values.length) {
      target = values[e.value % values.length]!;
      fields = VALUE_FIELDS;
    } else {
      target = key;
      fields = KEY_FIELDS;
    }
  }
  const field = fields[e.field.length % fields.length]!;
  if (e.remove) delete target[field];
  else target[field] = e.to;
  return JSON.stringify(file, null, 1) + "\n";
}

Deno.test("mutated and truncated hive files: deserializeHive and boot({ hiveFile }) never throw anything but HiveLoadError, report each problem with a line and column, and load nothing when they report any", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab-hive-mutation-" });
  try {
    const saved = `${dir}/saved.json`;
    exampleMachine().saveHive(saved);
    const real = Deno.readTextFileSync(saved);
    const file = `${dir}/mutated.json`;
    let tried = 0;
    let refused = 0;
    const check = (mutated: string) => {
      // What boot reads back: a lone surrogate, for one, is written as U+FFFD.
      Deno.writeTextFileSync(file, mutated);
      const text = Deno.readTextFileSync(file);
      tried++;
      const r = deserializeHive(text);
      for (const e of r.errors) assertPosition(text, e, "hive file");
      if (r.errors.length) {
        refused++;
        assert.equal(r.hive, undefined, "a hive with errors was half-loaded");
      } else assert.ok(r.hive);
      let m: Machine | undefined;
      try {
        m = boot({ hiveFile: file });
      } catch (e) {
        assert.ok(e instanceof HiveLoadError, `boot threw ${e instanceof Error ? e.stack : e}`);
        assert.ok(r.errors.length > 0, "boot refused a hive deserializeHive accepted");
        assert.deepEqual(e.errors, r.errors);
        return;
      }
      assert.equal(r.errors.length, 0, "boot accepted a hive deserializeHive refused");
      // A loaded machine works: the registry exports and PnP enumerates.
      m.registry.exportReg("HKLM");
      m.plugIn("PT\\MUTANT");
      m.reboot();
    };
    fc.assert(
      fc.property(edits(JSON_TOKENS), (list) => check(mutate(real, list))),
      { seed: fuzzSeed(), numRuns: fuzzRuns(1000) },
    );
    fc.assert(
      fc.property(
        fc.record({
          key: fc.nat(),
          value: fc.nat(),
          field: fc.string({ maxLength: 8 }),
          to: fc.jsonValue({ maxDepth: 2 }),
          remove: fc.boolean(),
        }),
        (e) => check(structural(real, e)),
      ),
      { seed: fuzzSeed(), numRuns: fuzzRuns(1000) },
    );
    assert.ok(tried >= 2 * fuzzRuns(1000));
    assert.ok(refused > tried / 4, `only ${refused} of ${tried} mutated hives were refused`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
