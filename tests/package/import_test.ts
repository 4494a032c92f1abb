/**
 * A project that depends on pnplab has none of pnplab's configuration: no import map, no
 * compilerOptions, no lock file. This test is that project: a temporary folder with no deno.json
 * whose one file imports mod.ts by absolute path, boots a machine and prints what it sees. A bare
 * specifier that only pnplab's deno.json resolves ("yaml", "sucrase") fails the run.
 */
import assert from "node:assert/strict";

const modUrl = new URL("../../mod.ts", import.meta.url).href;

/** Runs `deno run` on `source` inside a fresh folder that has no configuration file. */
async function runInBareProject(source: string): Promise<Deno.CommandOutput & { text: string }> {
  const dir = await Deno.makeTempDir({ prefix: "pnplab-consumer-" });
  try {
    await Deno.writeTextFile(`${dir}/main.ts`, source);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-env", "main.ts"],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return Object.assign(out, { text });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("mod.ts imported by path from a project with no deno.json boots a machine", async () => {
  const r = await runInBareProject(`
import { boot, ntStatusName, STATUS_SUCCESS } from ${JSON.stringify(modUrl)};
const machine = boot();
machine.loadDriver({ name: "toaster", hardwareIds: ["ROOT\\\\TOASTER"] });
const pdo = machine.plugIn({ hardwareIds: ["ROOT\\\\TOASTER"], description: "A toaster" });
console.log("state", machine.devnode(pdo)?.state);
console.log("status", ntStatusName(STATUS_SUCCESS));
`);
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /^state Started$/m);
  assert.match(r.text, /^status STATUS_SUCCESS$/m);
});

Deno.test("the scenario parser and the DSL load from a project with no deno.json", async () => {
  // parseScenario is the one path through npm:yaml; a bare "yaml" specifier would fail here.
  const r = await runInBareProject(`
import { parseScenario, runScenarioData } from ${JSON.stringify(modUrl)};
const parsed = parseScenario("title: empty\\nsteps: []\\n", "inline.yaml");
console.log("errors", parsed.errors.length, "scenarios", parsed.scenarios.length);
const first = parsed.scenarios[0];
if (first) console.log("passed", runScenarioData(first).passed);
`);
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /^errors 0 scenarios 1$/m);
  assert.match(r.text, /^passed true$/m);
});
