/**
 * Records the trace of every scenario file and of every notebook, as SHA-256 digests of their JSON,
 * so that moving code between layers can be checked to change no behaviour: the same steps must give
 * the same trace, byte for byte (DESIGN-NOTES, "Data"). A notebook's code cells run as one module
 * whose imports of `mod.ts` go through a shim that keeps the trace of every machine and scenario
 * result the cells make.
 *
 * `deno run -A tests/layers/_traces.ts --write` rewrites `tests/fixtures/trace-baseline.json`;
 * do that only in a commit that changes behaviour on purpose, and say which in its message.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runScenarioData } from "../../dsl/runner.ts";
import { scenarioFiles } from "../../dsl/cli.ts";
import { parseScenario } from "../../dsl/yaml.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
export const BASELINE_FILE = `${root}tests/fixtures/trace-baseline.json`;

const digest = (events: unknown): string =>
  createHash("sha256").update(JSON.stringify(events)).digest("hex").slice(0, 32);

/** `{ "scenarios/x.yaml#0": digest, ... }` for every scenario in every scenario file. */
export async function scenarioTraces(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of await scenarioFiles([`${root}scenarios`])) {
    const rel = file.slice(root.length);
    const parsed = parseScenario(await Deno.readTextFile(file), rel);
    parsed.scenarios.forEach((s, i) => {
      out[`${rel}#${i}`] = digest(runScenarioData(s).trace);
    });
  }
  return out;
}

const SHIM = `
import * as real from "${pathToFileURL(`${root}mod.ts`).href}";
export * from "${pathToFileURL(`${root}mod.ts`).href}";
const seen: unknown[] = [];
(globalThis as Record<string, unknown>).__pnplabTraces = seen;
const keep = (r: unknown): unknown => {
  if (r && typeof r === "object") {
    if (r instanceof real.Machine) seen.push(r.trace);
    else if (Array.isArray((r as { trace?: unknown }).trace)) seen.push((r as { trace: unknown[] }).trace);
    else if ((r as { machine?: unknown }).machine instanceof real.Machine) seen.push((r as { machine: real.Machine }).machine.trace);
  }
  return r;
};
const wrap = <F extends (...a: never[]) => unknown>(f: F): F =>
  ((...a: never[]) => {
    const r = f(...a);
    return r instanceof Promise ? r.then(keep) : keep(r);
  }) as F;
export const boot = wrap(real.boot);
export const scenario = wrap(real.scenario);
export const runScenarioFile = wrap(real.runScenarioFile);
export const runScenarioData = wrap(real.runScenarioData);
export const exampleMachine = wrap(real.exampleMachine);
`;

interface Cell {
  cell_type: string;
  source: string | string[];
}

/** `{ "notebooks/x.ipynb": digest }`: the traces of every machine a notebook's cells made, in order. */
export async function notebookTraces(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const dir = `${root}notebooks/`;
  const tmp = await Deno.makeTempDir({ prefix: "pnplab-nb-" });
  try {
    await Deno.writeTextFile(`${tmp}/shim.ts`, SHIM);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".ipynb"))
      .sort();
    for (const name of names) {
      const nb = JSON.parse(await Deno.readTextFile(dir + name)) as { cells: Cell[] };
      const code = nb.cells.filter((c) => c.cell_type === "code").map((c) =>
        (Array.isArray(c.source) ? c.source.join("") : c.source).replaceAll(
          `from "../mod.ts"`,
          `from "./shim.ts"`,
          // Other modules of the repository (notebook 07 imports dsl/debug.ts) from where they are.
        ).replaceAll(`from "../`, `from "${root}`) + "\n;\n"
      ).join("\n");
      const file = `${tmp}/${name}.ts`;
      await Deno.writeTextFile(
        file,
        `${code}\nconsole.log("@@" + JSON.stringify((globalThis as Record<string, unknown>).__pnplabTraces));\n`,
      );
      const r = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--no-check", `--config=${root}deno.json`, file],
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const text = new TextDecoder().decode(r.stdout);
      const line = text.split("\n").find((l) => l.startsWith("@@"));
      if (!r.success || !line) {
        throw new Error(`notebook ${name} did not run:\n${new TextDecoder().decode(r.stderr)}`);
      }
      out[`notebooks/${name}`] = digest(JSON.parse(line.slice(2)));
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  return out;
}

if (import.meta.main) {
  const all = { ...await scenarioTraces(), ...await notebookTraces() };
  if (Deno.args.includes("--write")) {
    await Deno.writeTextFile(BASELINE_FILE, JSON.stringify(all, null, 2) + "\n");
    console.log(`wrote ${Object.keys(all).length} trace digests to ${BASELINE_FILE}`);
  } else console.log(JSON.stringify(all, null, 2));
}
