/**
 * The step that loads a driver written in TypeScript: `driverModule: { path, export? }` names a
 * module and the driver spec it exports (README: Scenarios). Loading a scenario file runs no code,
 * so `parseScenario` only checks the fields; running the file imports the module (dsl/modules.ts,
 * relative to the file) and hands the step the spec it exported, which this row loads. The REPL's
 * `.driver` records the same step.
 *
 * @module
 */
import type { ModuleSteps } from "./_types.ts";
import { StepError } from "./context.ts";
import { defineStep, type Fields, type StepExtras } from "./row.ts";

/** The fields of a driverModule step. */
const MODULE_FIELDS = {
  path: {
    type: "string",
    required: true,
    doc: "The TypeScript module, relative to the scenario file (./drivers/busy.ts)",
  },
  export: {
    type: "string",
    doc:
      "The export holding the driver spec (default: the default export, or the only driver the module exports)",
  },
} as const satisfies Fields;

/** The driver module step's row. */
export const MODULE_STEPS: ModuleSteps = {
  driverModule: defineStep<typeof MODULE_FIELDS, StepExtras["driverModule"]>({
    doc:
      "Load a driver spec exported by a TypeScript module (running the scenario imports and runs that module's code)",
    fields: MODULE_FIELDS,
    shorthand: "path",
    run(context, step) {
      if (!step.spec) {
        throw new StepError(
          `The driver module '${step.path}' was not imported: runScenarioFile, the scenario CLI and the REPL import it before running; parseScenario and runScenarioData do not`,
        );
      }
      context.machine.loadDriver(step.spec);
      context.machine.settle();
    },
  }),
};
