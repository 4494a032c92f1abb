/**
 * Every scenario file under scenarios/ is an acceptance test: one Deno.test per scenario, so
 * `--filter`, `--reporter=junit` and coverage work on them. Also checks that scenarios/schema.json
 * is the schema generated from the step table.
 */
import assert from "node:assert/strict";
import { runScenarioData } from "../dsl/runner.ts";
import { scenarioFiles } from "../dsl/cli.ts";
import { scenarioSchemaText } from "../dsl/schema.ts";
import { parseScenario } from "../dsl/yaml.ts";

const root = new URL("../scenarios/", import.meta.url).pathname;
const files = await scenarioFiles([root]);

for (const file of files) {
  const text = await Deno.readTextFile(file);
  const parsed = parseScenario(text, file.slice(root.length - "scenarios/".length));
  if (parsed.errors.length) {
    Deno.test(`scenario file ${file.slice(root.length)} parses`, () => {
      assert.fail(
        parsed.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`).join("\n"),
      );
    });
    continue;
  }
  for (const s of parsed.scenarios) {
    Deno.test(`scenario: ${s.title} (${file.slice(root.length)})`, () => {
      const r = runScenarioData(s);
      assert.ok(
        r.passed,
        r.failures.map((f) => `${f.file ?? ""}:${f.line ?? ""}:${f.column ?? ""} ${f.message}`)
          .join("\n"),
      );
    });
  }
}

Deno.test("scenarios/schema.json is generated from the step table (deno task schema)", async () => {
  assert.equal(await Deno.readTextFile(`${root}schema.json`), scenarioSchemaText());
});

Deno.test("every scenario file references the schema for editors", () => {
  for (const file of files) {
    const first = Deno.readTextFileSync(file).split("\n")[0];
    assert.match(first ?? "", /^# yaml-language-server: \$schema=/, file);
  }
});
