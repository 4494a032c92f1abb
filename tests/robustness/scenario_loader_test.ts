/**
 * The scenario loader under hostile shapes that mutation of real files rarely reaches: nesting deep
 * enough to overflow a recursive parser, aliases (and alias bombs), a file whose steps are never
 * run, and names long enough to make "did you mean" slow. Each found example is a regression test;
 * each class has a generator. The rule throughout is the project's: a loader answers with errors
 * that carry a line and column, never an exception, and a file with errors yields no scenario.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseScenario } from "../../dsl/yaml.ts";
import { fuzzRuns, fuzzSeed } from "./_fuzz.ts";

/** A result with errors is all-or-nothing, and every error is placed inside the text. */
function assertRefused(text: string, r: ReturnType<typeof parseScenario>, pattern?: RegExp) {
  assert.ok(r.errors.length > 0, "accepted");
  assert.deepEqual(r.scenarios, []);
  assert.equal(r.scenario, undefined);
  const lines = text.split(/\r\n|\r|\n/);
  for (const e of r.errors) {
    assert.ok(e.line >= 1 && e.line <= lines.length, `line ${e.line} (${e.message})`);
    assert.ok(e.column >= 1 && e.column <= lines[e.line - 1]!.length + 2, `column ${e.column}`);
  }
  if (pattern) assert.ok(r.errors.some((e) => pattern.test(e.message)), JSON.stringify(r.errors));
}

Deno.test("issue 14: 3,000 nested '- ' is a nesting error with its line and column, not a RangeError", () => {
  const text = "- ".repeat(3000) + "x\ny: 1\n";
  const r = parseScenario(text, "deep.yaml");
  assertRefused(text, r, /Nesting deeper than 200 levels/);
  assert.equal(r.errors[0]!.line, 1);
});

Deno.test("nested complex keys ('? ' inside flow maps, 150 levels) are refused at the first key that is a map, instead of stringified again at every level (exponential time, then out of memory)", () => {
  const levels = Array.from({ length: 150 }, (_, i) => ["{a: ", "a:\n", "? "][i % 3]!);
  let text = "title: t\nsteps:\n  - ";
  let close = "";
  for (const level of levels) {
    if (level === "{a: ") {
      text += level;
      close = "}" + close;
    } else text += level === "a:\n" ? "a: " : level;
  }
  text += "x" + close + "\n";
  const r = parseScenario(text, "keys.yaml");
  assertRefused(text, r, /A key must be plain text, not a map or a list/);
});

Deno.test("issue 14: 'args: [*acc]' with '&acc KEY_READ' earlier is refused at the alias, never a { source } object", () => {
  const text = [
    "title: alias",
    "steps:",
    "  - loadDriver: {name: drv, hardwareIds: [ROOT\\X]}",
    "  - call:",
    "      routine: ZwOpenKey",
    "      args: [&acc KEY_READ, 'HKLM']",
    "  - call:",
    "      routine: ZwOpenKey",
    "      args: [*acc, 'HKLM']",
    "",
  ].join("\n");
  const r = parseScenario(text, "alias.yaml");
  assertRefused(text, r, /Aliases are not supported \('\*acc'\)/);
  const e = r.errors.find((e) => /Aliases/.test(e.message))!;
  assert.deepEqual([e.line, e.column], [9, 14]);
});

Deno.test("issue 14: 'title', 'steps' and 'scenarios: []' together are a load-time error, not a file that passes running nothing", () => {
  const text = "title: t\nsteps:\n  - plugIn: {hardwareId: ROOT\\X}\nscenarios: []\n";
  const r = parseScenario(text, "ignored.yaml");
  assertRefused(text, r, /'steps' beside 'scenarios' is never read/);
  assert.ok(r.errors.some((e) => /'scenarios' is empty/.test(e.message)));
});

Deno.test("issue 14: an unknown 100,000-character routine name is reported without a hint (did-you-mean compares only names of a near length: 4.5 s before)", () => {
  const text = `title: t\nsteps:\n  - call: {routine: Zw${"x".repeat(100_000)}}\n`;
  const r = parseScenario(text, "long.yaml");
  assertRefused(text, r, /Unknown kernel routine/);
  // The hint still works for a real misspelling.
  const typo = parseScenario("title: t\nsteps:\n  - plugn: {}\n");
  assert.match(typo.errors[0]!.message, /did you mean 'plugIn'/);
});

// ---- Generators ----------------------------------------------------------------------------------

/** One nesting level, in each syntax YAML has for it. */
const LEVEL = fc.constantFrom("- ", "[", "{a: ", "a:\n", "? ");

function nest(levels: string[], leaf: string): string {
  let text = "";
  let indent = 0;
  let close = "";
  for (const level of levels) {
    if (level === "[") {
      text += "[";
      close = "]" + close;
    } else if (level === "{a: ") {
      text += "{a: ";
      close = "}" + close;
    } else if (level === "a:\n") {
      if (close) text += "a: ";
      else {
        indent++;
        text += "a:\n" + " ".repeat(indent);
      }
    } else text += level;
  }
  return text + leaf + close + "\n";
}

Deno.test("deep nesting in every YAML syntax (block lists, flow lists and maps, block maps, complex keys): parseScenario never throws", () => {
  let deep = 0;
  fc.assert(
    fc.property(
      fc.array(LEVEL, { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 4000 }),
      fc.constantFrom("", "title: t\nsteps:\n  - ", "scenarios:\n  - "),
      (pattern, repeat, prefix) => {
        const levels = Array.from({ length: repeat }, (_, i) => pattern[i % pattern.length]!);
        const text = prefix + nest(levels, "x") + "y: 1\n";
        // Block maps indent one more column per level: keep those texts to a few megabytes.
        fc.pre(text.length < 4_000_000);
        const r = parseScenario(text, "deep.yaml");
        if (r.errors.length) assertRefused(text, r);
        if (r.errors.some((e) => /Nesting deeper/.test(e.message))) deep++;
      },
    ),
    { seed: fuzzSeed(), numRuns: fuzzRuns(150) },
  );
  assert.ok(deep > 0, "no generated file reached the nesting limit");
});

Deno.test("aliases anywhere in a scenario (step fields, args, boot, merge keys, alias bombs) are refused with their position", () => {
  const places = [
    (a: string) => `title: t\nx: &a 1\nsteps:\n  - plugIn: {hardwareId: ${a}}\n`,
    (a: string) => `title: t\nsteps:\n  - call: {routine: ZwClose, args: [&a 1, ${a}]}\n`,
    (a: string) => `title: &a t\nboot: {currentProfile: ${a}}\nsteps: []\n`,
    (a: string) => `title: t\nsteps:\n  - plugIn: &a {hardwareId: X}\n  - plugIn: {<<: ${a}}\n`,
    (a: string) =>
      `a0: &a0 [x, x]\n` +
      Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`).join("\n") +
      `\ntitle: t\nsteps: [${a}]\n`,
  ];
  fc.assert(
    fc.property(fc.nat(places.length - 1), fc.constantFrom("*a", "*a9", "*nosuch"), (i, a) => {
      const text = places[i]!(a);
      const r = parseScenario(text, "alias.yaml");
      assertRefused(text, r);
      assert.ok(
        r.errors.some((e) => /Aliases are not supported|alias|Unresolved/i.test(e.message)),
        JSON.stringify(r.errors),
      );
    }),
    { seed: fuzzSeed(), numRuns: fuzzRuns(200) },
  );
});

Deno.test("a file with 'scenarios' and any other top-level field, or an empty 'scenarios' list, is refused: nothing is silently not run", () => {
  const good = "  - title: s\n    steps:\n      - plugIn: {hardwareId: ROOT\\X}\n";
  fc.assert(
    fc.property(
      fc.subarray(["title: t\n", "teaches: x\n", "boot: {}\n", "steps: []\n", "extra: 1\n"]),
      fc.boolean(),
      (others, empty) => {
        const text = others.join("") + (empty ? "scenarios: []\n" : "scenarios:\n" + good);
        const r = parseScenario(text, "f.yaml");
        if (!others.length && !empty) {
          assert.deepEqual(r.errors, []);
          assert.equal(r.scenarios.length, 1);
          return;
        }
        assertRefused(text, r);
      },
    ),
    { seed: fuzzSeed(), numRuns: fuzzRuns(100) },
  );
});
