/**
 * What one row of the step table is: the fields a step takes, the names it gives, and the function
 * that runs it. Every front end reads the same row (the YAML loader and the JSON Schema its fields,
 * the runner its `run`, the REPL its machine verb and `.help` its docs), so adding a step is adding
 * a row; `defineStep` keeps each row's field types, so that a step is a typed union member.
 *
 * @module
 */
import type { DriverSpec } from "../../lib/io/objects.ts";
import type { Machine } from "../../lib/machine.ts";
import type { StepContext } from "./context.ts";

/** Where a step came from, for messages (YAML files have line and column). */
export interface StepSource {
  /** The scenario file's path. */
  file?: string;
  /** The step's line in the file, from 1. */
  line?: number;
  /** The step's column in that line, from 1. */
  column?: number;
}

/** The type of one field. */
export type FieldType =
  | "string"
  | "number"
  | "boolean"
  | "guid"
  | "status"
  | "regType"
  | "strings"
  | "guids"
  | "regValues"
  | "data"
  | "id"
  | "object"
  | "driver"
  | "device";

/** What a field of each type holds once the loader has checked it (what the fluent DSL passes). */
export interface FieldValues {
  /** Text (a number written for a `numbers` field becomes its text). */
  string: string;
  /** A number. */
  number: number;
  /** true or false. */
  boolean: boolean;
  /** A GUID or a well-known GUID name. */
  guid: string;
  /** An NTSTATUS name, `0x` text or number. */
  status: string | number;
  /** A `REG_*` name or number. */
  regType: string | number;
  /** A list of strings. */
  strings: string[];
  /** A list of GUIDs or GUID names. */
  guids: string[];
  /** Registry values by name: each a `REG_*` type and data in the type's form. */
  regValues: Record<string, { type: string | number; data: unknown }>;
  /** Any data, in the form its step reads it. */
  data: unknown;
  /** A name an earlier step gave. */
  id: string;
  /** Any object. */
  object: unknown;
  /** A driver. */
  driver: unknown;
  /** A device. */
  device: unknown;
}

/** The kinds of things steps name, and later steps refer to by that name. */
export type NameKind = "device" | "interface" | "listener" | "handle" | "result" | "application";

/** A field of a step. */
export interface FieldDef {
  /** What kind of value the field takes. */
  type: FieldType;
  /** The step is invalid without it. */
  required?: boolean;
  /** What the field means, in a phrase (the schema's description). */
  doc: string;
  /** For "string" and "strings" fields with a fixed set of values. */
  values?: readonly string[];
  /** Also accepted besides `values`: text of this form (a number, `{fmtid},pid` ...). */
  pattern?: RegExp;
  /** What one of the values is, for messages: "Unknown IRP 'X' in 'expectIrps.irps'". */
  noun?: string;
  /** A YAML number is accepted for this "string" field (an I/O control code); elsewhere it must be quoted. */
  numbers?: boolean;
  /** The value names something an earlier step defined (a device, an interface ...). */
  refers?: NameKind | readonly NameKind[];
  /** Strings in the value name devices, interfaces, results, GUIDs and WDK constants (`call.args`). */
  resolvesNames?: boolean;
}

/** A row's fields: field name → definition. */
export type Fields = Readonly<Record<string, FieldDef>>;

/** The names a step gives, for later steps. */
export interface NameDef {
  /** What the name stands for. */
  kind: NameKind;
  /** The fields that give the name, in the runner's order of preference. */
  from: readonly string[];
  /** The name when none of them is written. */
  fallback?: string;
  /** A second step defining the same name fails. */
  unique?: boolean;
}

/** The fields of a step as TypeScript sees them: required fields present, the others optional. */
export type FieldsOf<F extends Fields> =
  & {
    -readonly [K in keyof F as F[K] extends { required: true } ? K : never]:
      FieldValues[F[K]["type"]];
  }
  & {
    -readonly [K in keyof F as F[K] extends { required: true } ? never : K]?: FieldValues[
      F[K]["type"]
    ];
  };

/** Why a machine call typed at the REPL cannot be a step (`.save` lists it). */
export interface LeftOut {
  /** The reason, in a phrase. */
  leftOut: string;
}

/** What a machine call typed at the REPL is recorded as: a step, why it cannot be one, or null when the call is invalid (the machine then says why). */
export type Translation = (StepBase & { [field: string]: unknown }) | LeftOut | null;

/** What a machine verb needs to become a step. */
export interface VerbContext {
  /** A device argument's name in the scenario (naming it with a `name` step if needed). */
  device(arg: unknown): string | undefined;
  /** The machine. */
  machine: Machine;
  /** A fresh name (`d1` ...). */
  nextId(prefix: string): string;
}

/** The `Machine` method (or `registry.` method) that does what a step does. */
export interface MachineVerb {
  /** The method's name: `requestRemoval`, `registry.setValue` ... */
  method: string;
  /** The step for a call's arguments. */
  translate(args: unknown[], ctx: VerbContext): Translation;
  /** What the call returns: the step's status, or the device (a PDO) it plugged in. */
  returns?: "status" | "device";
}

/** Any step: its name and where it was written (its fields as its row describes them). */
export interface StepBase {
  /** The step name, a key of STEP_DEFINITIONS. */
  step: string;
  /** Where the step was written. */
  source?: StepSource;
}

/** A step of a row: the row's fields, typed, with anything only the fluent DSL passes (`X`). */
export type StepWith<F extends Fields, X = unknown> = StepBase & FieldsOf<F> & X;

/** A row of the step table: what the step takes, what it does (`run`), and the names it gives. */
export interface StepDef {
  /** What the step does, in a sentence (the schema's description and the REPL's `.help`). */
  doc: string;
  /** Its fields. */
  fields: Fields;
  /** The field a scalar value stands for: `unplug: t1` means `{ device: t1 }`. */
  shorthand?: string;
  /**
   * An expectation, checked against the trace rather than changing the machine. A failed one never
   * stops the run; a stopped machine still checks it.
   */
  expectation?: boolean;
  /**
   * An expectation settles the machine first (the work the steps before it queued has run); false
   * checks the machine as the previous step left it (a bug check, a hang).
   */
  settlesFirst?: boolean;
  /** An action a machine a bug check stopped still takes: pulling hardware, a reboot. */
  whileStopped?: boolean;
  /**
   * The names it gives, for later steps (the runner's maps of devices, interfaces ...): each the
   * first of `from` that the step writes (a list's first item), else `fallback`.
   */
  defines?: readonly NameDef[];
  /** The Machine method doing the same: the REPL records a call of it as this step. */
  machineVerb?: MachineVerb;
  /**
   * Runs the step on the context's machine; a failure (an expectation that does not hold, a name
   * no step gave) throws `StepError` with its message.
   */
  run(context: StepContext, step: StepBase): void;
}

/**
 * A row as `defineStep` types it: its fields `F` kept, so that `run` receives the step with them
 * typed; `X` is what only the fluent DSL passes besides the fields (a driver's WDM routines).
 */
export interface StepRow<F extends Fields = Fields, X = unknown> extends StepDef {
  /** Its fields. */
  fields: F;
  /** Runs the step (see `StepDef.run`). */
  run(context: StepContext, step: StepWith<F, X>): void;
}

/** A required field of type `T`, as dsl/steps/_types.ts declares a row's fields. */
export type RequiredField<T extends FieldType> = FieldDef & { type: T; required: true };

/** An optional field of type `T`, as dsl/steps/_types.ts declares a row's fields. */
export type OptionalField<T extends FieldType> = FieldDef & { type: T; required?: false };

/**
 * What only the fluent DSL passes to a step besides its fields, by step name (a value a scenario
 * file cannot write). A row's `X`: `defineStep<F, StepExtras["driver"]>` and dsl/steps/_types.ts
 * both read it here.
 */
export interface StepExtras {
  /** The driver step: WDM routines that replace the generated ones (DriverEntry, AddDevice ...). */
  driver: { hooks?: Partial<DriverSpec> };
  /** The driverModule step: the spec running a scenario imported from the module (dsl/modules.ts). */
  driverModule: { spec?: DriverSpec };
}

/** Row `N` of the step table with fields `F`: the type dsl/steps/_types.ts gives each row. */
export type Row<N extends string, F extends Fields> = StepRow<
  F,
  N extends keyof StepExtras ? StepExtras[N] : unknown
>;

/**
 * A row, with its fields' types kept for the step it runs (`step.device` is a string, `step.exact`
 * a boolean or absent).
 *
 * @example
 * ```ts
 * import { defineStep } from "./row.ts";
 * import assert from "node:assert/strict";
 * const row = defineStep({
 *   doc: "Run queued PnP work until none is left",
 *   fields: {},
 *   run: (context) => context.machine.settle(),
 * });
 * assert.equal(row.doc, "Run queued PnP work until none is left");
 * ```
 */
export function defineStep<const F extends Fields, X = unknown>(
  row: StepRow<F, X> & { shorthand?: keyof F & string },
): StepRow<F, X> {
  return row;
}

/** A step of the same device verb: `{ step, device }` for `machine.<method>(pdo)` typed at the REPL. */
export function deviceVerb(method: string, step: string, returns?: "status"): MachineVerb {
  return {
    method,
    ...(returns ? { returns } : {}),
    translate: (args, ctx) => {
      const device = ctx.device(args[0]);
      return device ? { step, device } : NO_NAME;
    },
  };
}

/** A device argument the scenario has no name for. */
export const NO_NAME: LeftOut = { leftOut: "its device has no name the scenario can use" };
