/**
 * The verifier's rule table (lib/verifier/rules.ts) and its lessons: every rule is complete, and
 * every rule has a triggered and a corrected example, as a scenario under scenarios/verifier/ or
 * as a fluent test in tests/verifier/rules_test.ts. The declarative drivers' misbehaviours
 * (dsl/drivers.ts) each name rules of the table and each appear in a lesson.
 */
import assert from "node:assert/strict";
import { scenarioFiles } from "../../dsl/cli.ts";
import { MISBEHAVIOURS } from "../../dsl/drivers.ts";
import type { ScenarioData } from "../../dsl/steps.ts";
import { parseScenario } from "../../dsl/yaml.ts";
import { BUGCHECK_NAMES } from "../../lib/bugcheck.ts";
import { VERIFIER_RULES, type VerifierRule } from "../../lib/verifier/rules.ts";

const root = new URL("../../scenarios/verifier/", import.meta.url).pathname;
const lessons: ScenarioData[] = [];
for (const file of await scenarioFiles([root])) {
  const parsed = parseScenario(await Deno.readTextFile(file), file);
  assert.deepEqual(parsed.errors, [], file);
  lessons.push(...parsed.scenarios);
}
const fluentTests = await Deno.readTextFile(new URL("./rules_test.ts", import.meta.url));

/** Whether a scenario expects this rule: its finding, or its bug check (code and parameter 1). */
function expectsRule(s: ScenarioData, rule: VerifierRule): boolean {
  return s.steps.some((step) =>
    (step.step === "expectFinding" && step.rule === rule.name) ||
    (step.step === "expectBugCheck" && rule.bugCheck !== undefined &&
      Number(step.code) === rule.bugCheck.code &&
      Number(step.parameter1) === rule.bugCheck.parameter1)
  );
}

Deno.test("VERIFIER_RULES: at least 25 rules, each with a unique name, what it checks, its documentation page and a severity", () => {
  assert.ok(VERIFIER_RULES.length >= 25, `${VERIFIER_RULES.length} rules`);
  const names = new Set<string>();
  for (const r of VERIFIER_RULES) {
    assert.match(r.name, /^[A-Z][A-Za-z0-9]+$/, `rule name '${r.name}'`);
    assert.ok(!names.has(r.name), `${r.name} appears twice`);
    names.add(r.name);
    assert.ok(r.checks.trim().length > 10, `${r.name}: checks`);
    assert.ok(r.doc.trim().length > 5, `${r.name}: doc`);
    assert.ok(r.severity === "error" || r.severity === "warning", `${r.name}: severity`);
    assert.ok(["DV", "SDV", "BugCheck", "pnplab"].includes(r.source), `${r.name}: source`);
    if (r.bugCheck) assert.ok(BUGCHECK_NAMES[r.bugCheck.code], `${r.name}: a known bug check`);
    if (r.always) assert.ok(r.bugCheck, `${r.name}: 'always' needs a bug check`);
  }
});

Deno.test("VERIFIER_RULES: every rule has a triggered and a corrected example, in scenarios/verifier/ or tests/verifier/rules_test.ts", () => {
  const missing: string[] = [];
  for (const rule of VERIFIER_RULES) {
    const triggered = lessons.filter((s) => s.title.startsWith(`${rule.name}: triggered`));
    const corrected = lessons.filter((s) => s.title.startsWith(`${rule.name}: corrected`));
    const inYaml = triggered.length > 0 && corrected.length > 0;
    const inTests = fluentTests.includes(`"${rule.name}: triggered`) &&
      fluentTests.includes(`"${rule.name}: corrected`);
    if (!inYaml && !inTests) missing.push(rule.name);
  }
  assert.deepEqual(missing, [], "rules without a triggered/corrected pair");
});

Deno.test("scenarios/verifier/: a triggered scenario expects its rule (the finding, or the rule's bug check), a corrected one expects no finding for it", () => {
  for (const rule of VERIFIER_RULES) {
    for (const s of lessons.filter((x) => x.title.startsWith(`${rule.name}: triggered`))) {
      assert.ok(expectsRule(s, rule), `'${s.title}' does not expect ${rule.name}`);
    }
    for (const s of lessons.filter((x) => x.title.startsWith(`${rule.name}: corrected`))) {
      assert.ok(
        s.steps.some((step) => step.step === "expectNoFinding" && step.rule === rule.name),
        `'${s.title}' does not check that ${rule.name} stayed quiet`,
      );
    }
  }
});

Deno.test("scenarios/verifier/: a rule with a Driver Verifier bug check shows it under the strict verifier as well as its finding", () => {
  for (const rule of VERIFIER_RULES.filter((r) => r.bugCheck && !r.always)) {
    const triggered = lessons.filter((s) => s.title.startsWith(`${rule.name}: triggered`));
    if (!triggered.length) continue;
    assert.ok(
      triggered.some((s) => s.steps.some((x) => x.step === "expectBugCheck")),
      `${rule.name}: no triggered scenario shows bug check 0x${rule.bugCheck!.code.toString(16)}`,
    );
  }
});

Deno.test("MISBEHAVIOURS: each names rules of the table, and each is shown by a scenario under scenarios/verifier/", () => {
  const names = new Set(VERIFIER_RULES.map((r) => r.name));
  const used = new Set(
    lessons.flatMap((s) =>
      s.steps.flatMap((step) => step.step === "driver" ? (step.misbehave as string[]) ?? [] : [])
    ),
  );
  for (const [name, m] of Object.entries(MISBEHAVIOURS)) {
    for (const rule of m.rules) assert.ok(names.has(rule), `${name}: unknown rule ${rule}`);
    assert.ok(used.has(name), `no scenario shows the misbehaviour ${name}`);
  }
});
