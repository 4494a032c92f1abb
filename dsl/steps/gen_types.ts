/**
 * Writes dsl/steps/_types.ts, the explicit types of the step table's groups, from the rows
 * themselves (`deno task step-types`; tests/dsl/step_table_test.ts fails when the file is stale).
 *
 * Why a generator: JSR's fast check ("no slow types") wants every exported const of the public API
 * to have a type it can read without inference, and a row cannot be one (`defineStep(...)` is a
 * call, `run` a function, `values` computed). Annotating each group with a hand-written type would
 * write every step's fields twice; `as const` rows fail too (fast check infers an `as const`
 * object of literals, but not one holding a method or a computed list: tried with `deno publish
 * --dry-run`). So the rows stay the one source, and this script reads what a `Step` is typed from
 * (each field's name, type and whether it is required) out of them, as `deno task schema` does
 * for scenarios/schema.json.
 *
 * @module
 */
import { APPLICATION_STEPS } from "./applications.ts";
import { DEVICE_STEPS } from "./devices.ts";
import { EXPECTATION_STEPS } from "./expectations.ts";
import { INTERFACE_STEPS } from "./interfaces.ts";
import { LISTENER_STEPS } from "./listeners.ts";
import { MACHINE_STEPS } from "./machine.ts";
import { MODULE_STEPS } from "./modules.ts";
import { POWER_STEPS } from "./power.ts";
import type { StepDef } from "./row.ts";

/** Each group of rows: its type's name, its const and its file, in the table's order. */
const GROUPS: readonly [string, string, Readonly<Record<string, StepDef>>, string][] = [
  ["DeviceSteps", "DEVICE_STEPS", DEVICE_STEPS, "devices.ts"],
  ["ModuleSteps", "MODULE_STEPS", MODULE_STEPS, "modules.ts"],
  ["InterfaceSteps", "INTERFACE_STEPS", INTERFACE_STEPS, "interfaces.ts"],
  ["ListenerSteps", "LISTENER_STEPS", LISTENER_STEPS, "listeners.ts"],
  ["ApplicationSteps", "APPLICATION_STEPS", APPLICATION_STEPS, "applications.ts"],
  ["MachineSteps", "MACHINE_STEPS", MACHINE_STEPS, "machine.ts"],
  ["PowerSteps", "POWER_STEPS", POWER_STEPS, "power.ts"],
  ["ExpectationSteps", "EXPECTATION_STEPS", EXPECTATION_STEPS, "expectations.ts"],
];

/** A property name as TypeScript writes it: bare when it is an identifier, else quoted. */
function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

/** One row's type: `Row<"name", { field: RequiredField<"type">; ... }>`. */
function rowType(name: string, def: StepDef): string[] {
  const fields = Object.entries(def.fields).map(([field, f]) =>
    `    ${key(field)}: ${f.required ? "RequiredField" : "OptionalField"}<${
      JSON.stringify(f.type)
    }>;`
  );
  const doc = def.doc.replaceAll("*/", "*\\/");
  if (!fields.length) {
    return [
      `  /** ${doc} */`,
      `  ${key(name)}: Row<${JSON.stringify(name)}, Record<never, never>>;`,
    ];
  }
  return [
    `  /** ${doc} */`,
    `  ${key(name)}: Row<${JSON.stringify(name)}, {`,
    ...fields,
    "  }>;",
  ];
}

/** The text of dsl/steps/_types.ts. */
export function stepTypesText(): string {
  const lines = [
    "/**",
    " * The explicit types of the step table's groups, GENERATED from the rows by",
    " * dsl/steps/gen_types.ts (`deno task step-types`): do not edit. Each group's const is annotated",
    " * with its type here, so that the public API has no slow types (JSR's fast check reads no",
    " * inferred type); the rows stay the one source, and tests/dsl/step_table_test.ts fails when this",
    " * file no longer matches them.",
    " *",
    " * @module",
    " */",
    'import type { OptionalField, RequiredField, Row } from "./row.ts";',
  ];
  for (const [type, constName, rows, file] of GROUPS) {
    lines.push(
      "",
      `/** The rows of dsl/steps/${file} (\`${constName}\`): each step's fields, typed. */`,
      `export type ${type} = {`,
      ...Object.entries(rows).flatMap(([name, def]) => rowType(name, def)),
      "};",
    );
  }
  return lines.join("\n") + "\n";
}

if (import.meta.main) {
  await Deno.writeTextFile(new URL("./_types.ts", import.meta.url), stepTypesText());
  console.log("wrote dsl/steps/_types.ts");
}
