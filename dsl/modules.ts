/**
 * Driver modules: a TypeScript file exporting a `DriverSpec`, named by a scenario's `driverModule`
 * step or the REPL's `.driver`. Importing runs the module's code, so only running a scenario (or
 * typing `.driver`) does it, never parsing one. A module imported again after an edit (`.reload`)
 * gets a fresh URL, so the new code is what runs.
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { DriverSpec } from "../lib/io/objects.ts";
import type { Failure } from "./runner.ts";
import { didYouMean, type ScenarioData } from "./steps.ts";

/** A module's exports once imported: the driver specs among them, and every name. */
export interface LoadedModule {
  /** The module's absolute path. */
  path: string;
  /** Every export name. */
  names: string[];
  /** The module namespace. */
  namespace: Record<string, unknown>;
}

let generation = 0;

/** Whether a value is a driver spec: an object with a service name. */
export function isDriverSpec(v: unknown): v is DriverSpec {
  return typeof v === "object" && v !== null && typeof (v as { name?: unknown }).name === "string";
}

/** Imports a module by absolute path; `fresh` gets the file's current text even if it was imported before. */
export async function importModule(path: string, fresh = false): Promise<LoadedModule> {
  const url = pathToFileURL(path).href + (fresh ? `?v=${++generation}` : "");
  const namespace = await import(url) as Record<string, unknown>;
  return { path, names: Object.keys(namespace), namespace };
}

/**
 * The driver spec a module exports under `name`, or (no name) its default export, or its only
 * driver spec; a string says why there is none, with a did-you-mean.
 */
export function driverExport(
  mod: LoadedModule,
  name: string | undefined,
  shown: string,
): { spec: DriverSpec; name: string } | string {
  const drivers = mod.names.filter((n) => isDriverSpec(mod.namespace[n]));
  if (name !== undefined) {
    if (!(name in mod.namespace)) {
      const hint = didYouMean(name, mod.names);
      return `'${shown}' has no export '${name}'${
        hint
          ? ` (did you mean '${hint}'?)`
          : drivers.length
          ? ` (its drivers: ${drivers.join(", ")})`
          : ""
      }`;
    }
    const v = mod.namespace[name];
    if (!isDriverSpec(v)) {
      return `Export '${name}' of '${shown}' is not a driver spec (an object with a name and its routines)`;
    }
    return { spec: v, name };
  }
  if (isDriverSpec(mod.namespace.default)) return { spec: mod.namespace.default, name: "default" };
  if (drivers.length === 1) {
    return { spec: mod.namespace[drivers[0]!] as DriverSpec, name: drivers[0]! };
  }
  return drivers.length
    ? `'${shown}' exports ${drivers.length} drivers (${drivers.join(", ")}): name one`
    : `'${shown}' exports no driver spec (an object with a name and its routines)`;
}

/** Why an import failed, in a sentence. */
export function importProblem(shown: string, e: unknown): string {
  const message = e instanceof Error ? e.message.split("\n")[0]! : String(e);
  if (/Module not found|No such file|cannot find/i.test(message)) {
    return `Cannot import '${shown}': no such module`;
  }
  return `Cannot import '${shown}': ${message}`;
}

/** A path relative to a base folder, as written (`./drivers/x.ts`), made absolute. */
export function modulePath(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/**
 * Imports the module of every `driverModule` step of a scenario read from `file` (paths relative
 * to the file) and hands each step its spec. A missing module or export is a failure at the step's
 * line and column; a scenario with any is not run (all or nothing).
 */
export async function resolveDriverModules(
  data: ScenarioData,
  file: string | undefined,
): Promise<Failure[]> {
  const failures: Failure[] = [];
  const baseDir = file ? dirname(resolve(file)) : Deno.cwd();
  for (const [i, step] of data.steps.entries()) {
    if (step.step !== "driverModule") continue;
    const s = step as {
      path: string;
      export?: string;
      spec?: DriverSpec;
      source?: ScenarioData["steps"][0]["source"];
    };
    const fail = (message: string) =>
      failures.push({
        message: `Step ${i + 1} (driverModule): ${message}`,
        step: i + 1,
        ...(s.source?.file ?? file ? { file: s.source?.file ?? file! } : {}),
        ...(s.source?.line ? { line: s.source.line, column: s.source.column ?? 1 } : {}),
      });
    let mod: LoadedModule;
    try {
      mod = await importModule(modulePath(s.path, baseDir));
    } catch (e) {
      fail(importProblem(s.path, e));
      continue;
    }
    const found = driverExport(mod, s.export, s.path);
    if (typeof found === "string") fail(found);
    else s.spec = found.spec;
  }
  return failures;
}
