/**
 * The step representation both front ends compile to: plain data, one object per step, named by its
 * `step` field. One table (`STEP_DEFINITIONS`) says what each step takes and how it runs; the YAML
 * loader validates against it, the JSON Schema is generated from it, the runner runs its rows, the
 * REPL records machine calls as its steps and lists them in `.help`, and the fluent DSL builds the
 * same objects. The rows live in `steps/`, one file per group (devices and drivers, interfaces,
 * listeners, applications, the machine, expectations); adding a step is adding a row there, with its
 * tests, then `deno task step-types`, which writes the rows' explicit types to `steps/_types.ts`
 * (JSR reads no inferred type in a public API; a test fails while that file is stale).
 *
 * @module
 */
import { APPLICATION_STEPS } from "./steps/applications.ts";
import { DEVICE_STEPS } from "./steps/devices.ts";
import { EXPECTATION_STEPS } from "./steps/expectations.ts";
import { INTERFACE_STEPS } from "./steps/interfaces.ts";
import { LISTENER_STEPS } from "./steps/listeners.ts";
import { MACHINE_STEPS } from "./steps/machine.ts";
import type {
  ApplicationSteps,
  DeviceSteps,
  ExpectationSteps,
  InterfaceSteps,
  ListenerSteps,
  MachineSteps,
  ModuleSteps,
  PowerSteps,
} from "./steps/_types.ts";
import { MODULE_STEPS } from "./steps/modules.ts";
import { POWER_STEPS } from "./steps/power.ts";
import type { FieldsOf, StepBase, StepDef, StepRow } from "./steps/row.ts";

export { KERNEL_ROUTINES, NOTIFICATION_EVENTS } from "./steps/fields.ts";
export { defineStep } from "./steps/row.ts";
export type {
  FieldDef,
  Fields,
  FieldsOf,
  FieldType,
  FieldValues,
  LeftOut,
  MachineVerb,
  NameDef,
  NameKind,
  StepBase,
  StepDef,
  StepRow,
  StepSource,
  StepWith,
  Translation,
  VerbContext,
} from "./steps/row.ts";
export { type Listener, StepContext, StepError } from "./steps/context.ts";

export type {
  ApplicationSteps,
  DeviceSteps,
  ExpectationSteps,
  InterfaceSteps,
  ListenerSteps,
  MachineSteps,
  ModuleSteps,
  PowerSteps,
} from "./steps/_types.ts";
export type { OptionalField, RequiredField, Row, StepExtras } from "./steps/row.ts";

/**
 * The type of the whole step table, group by group (each group's type is generated from its rows
 * into dsl/steps/_types.ts by `deno task step-types`): what `Step` is made of.
 */
export type StepRows =
  & DeviceSteps
  & ModuleSteps
  & InterfaceSteps
  & ListenerSteps
  & ApplicationSteps
  & MachineSteps
  & PowerSteps
  & ExpectationSteps;

/**
 * Every step, typed row by row: actions first, then expectations. Its type is what `Step` is made
 * of; the documented view of the table is `STEP_DEFINITIONS` (hence `@ignore`: the type of 47 rows
 * is no documentation).
 *
 * @example
 * ```ts
 * import { STEP_ROWS } from "./steps.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(Object.keys(STEP_ROWS.unplug.fields), ["device"]);
 * ```
 *
 * @ignore
 */
export const STEP_ROWS: StepRows = {
  ...DEVICE_STEPS,
  ...MODULE_STEPS,
  ...INTERFACE_STEPS,
  ...LISTENER_STEPS,
  ...APPLICATION_STEPS,
  ...MACHINE_STEPS,
  ...POWER_STEPS,
  ...EXPECTATION_STEPS,
};

/** The name of a step: a key of STEP_DEFINITIONS. */
export type StepName = keyof StepRows;

/** The step a row describes (`R` is the row of step `N`): its name, its fields typed as the row declares them, and its source. */
export type StepOfRow<N extends StepName, R> = R extends StepRow<infer F, infer X>
  ? { step: N } & Omit<StepBase, "step"> & FieldsOf<F> & X
  : never;

/**
 * One step: its name (`step`), its fields as its row declares them, and where it was written. The
 * name tells the fields apart: `{ step: "unplug", device: "t1" }`.
 */
export type Step = { [N in StepName]: StepOfRow<N, StepRows[N]> }[StepName];

/**
 * Every step by name, for front ends that look a name up (the loader, the schema, the REPL).
 *
 * @example
 * ```ts
 * import { STEP_DEFINITIONS } from "./steps.ts";
 * import assert from "node:assert/strict";
 * assert.equal(STEP_DEFINITIONS.unplug?.shorthand, "device");
 * ```
 */
export const STEP_DEFINITIONS: Readonly<Record<string, StepDef>> = STEP_ROWS;

/**
 * Whether a machine a bug check has stopped still takes this step: an expectation, or an action
 * whose row says so (pulling hardware out, a reboot). An unknown step named `expect...` counts as
 * an expectation.
 *
 * @example
 * ```ts
 * import { runsWhileStopped } from "./steps.ts";
 * import assert from "node:assert/strict";
 * assert.equal(runsWhileStopped({ step: "reboot" }), true);
 * assert.equal(runsWhileStopped({ step: "expectState" }), true);
 * assert.equal(runsWhileStopped({ step: "plugIn" }), false);
 * ```
 */
export function runsWhileStopped(step: StepBase): boolean {
  return isExpectation(step) || STEP_DEFINITIONS[step.step]?.whileStopped === true;
}

/** Whether a step is an expectation (its row says so; an unknown step named `expect...` is one too). */
export function isExpectation(step: StepBase): boolean {
  const def = STEP_DEFINITIONS[step.step];
  return def ? def.expectation === true : step.step.startsWith("expect");
}

/** A scenario as data: what both front ends produce. */
export interface ScenarioData {
  /** The scenario's title. */
  title: string;
  /** What it teaches (prose shown by the REPL and notebooks). */
  teaches?: string;
  /** boot() options, plus `example` to start from the bundled example machine. */
  boot?: {
    hardwareProfiles?: string[];
    currentProfile?: string;
    safeMode?: boolean;
    verifier?: "strict" | "warn" | "off";
    example?: boolean;
    includeExistingDuplicates?: "never" | "always" | { seed: number };
  };
  /** The steps, in order. */
  steps: Step[];
  /** The file it came from. */
  file?: string;
}

export { didYouMean, editDistance } from "./suggest.ts";
