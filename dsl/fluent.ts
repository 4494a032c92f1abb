/**
 * The fluent DSL: `scenario(title, body)` boots a machine and hands the body a context whose verbs
 * are named after what a driver author does. Each verb records a step (the same plain data a YAML
 * file compiles to) and runs it at once, so the machine always shows the state so far. Builders are
 * typed so that a wrong chain does not compile: `device(...).enable()` has no interface to enable.
 *
 * @example
 * ```ts
 * import { scenario } from "./fluent.ts";
 * import assert from "node:assert/strict";
 * const result = await scenario("Interface arrival", ({ device }) => {
 *   device("PCI\\VEN_1").registerInterface("GUID_DEVINTERFACE_DISK").enable().expectArrival();
 * });
 * assert.equal(result.passed, true);
 * ```
 *
 * @module
 */
import type { DeviceSpec } from "../lib/bus/virtual_bus.ts";
import type { DeviceObject, DriverSpec } from "../lib/io/objects.ts";
import type { Machine } from "../lib/machine.ts";
import type { RegData } from "../lib/registry/data.ts";
import type { DriverDecl } from "./drivers.ts";
import { bootFor, Runner, type ScenarioResult } from "./runner.ts";
import {
  type ScenarioData,
  type Step,
  STEP_DEFINITIONS,
  type STEP_ROWS,
  type StepName,
} from "./steps.ts";

/**
 * Device capabilities and IDs for `device()` and `child()`: the virtual bus's DeviceSpec (hardware IDs
 * optional when a hardware ID string is given instead), plus a name for later steps (default d1, d2 ...).
 */
export type DeviceOptions =
  & Partial<Omit<DeviceSpec, "children" | "address" | "uiNumber" | "containerId">>
  & {
    /** A name for later steps (default d1, d2 ...). */
    id?: string;
  };

/**
 * The steps whose only field is a device, an interface or a listener: with `S` the field, the
 * step names (`unplug`, `eject` ... for "device").
 */
export type SubjectSteps<S extends string> = {
  [N in StepName]: [keyof (typeof STEP_ROWS)[N]["fields"]] extends [S]
    ? [S] extends [keyof (typeof STEP_ROWS)[N]["fields"]] ? N : never
    : never;
}[StepName];

/**
 * The verbs a builder takes from the step table: one per step whose only field is the builder's
 * subject `S`, named as the step, running it on the subject and returning the builder `B` (so a new
 * row of that shape is a new verb: `device(...).unplug()`, `iface.expectArrival()`).
 */
export type SubjectVerbs<S extends string, B> = { [N in SubjectSteps<S>]: () => B };

/** The names of the steps whose only field is `field`, in the table's order. */
function subjectSteps(field: string): string[] {
  return Object.entries(STEP_DEFINITIONS).filter(([, def]) => {
    const fields = Object.keys(def.fields);
    return fields.length === 1 && fields[0] === field;
  }).map(([name]) => name);
}

/** Puts a verb per subject step on a builder's prototype: each records `{ step, [field]: id }`. */
function addSubjectVerbs(
  prototype: object,
  field: string,
  run: (builder: { id: string }, step: Step) => void,
): void {
  for (const step of subjectSteps(field)) {
    Object.defineProperty(prototype, step, {
      value: function (this: { id: string }) {
        run(this, { step, [field]: this.id } as unknown as Step);
        return this;
      },
      writable: true,
      configurable: true,
    });
  }
}

/** The device verbs of the step table (unplug, eject, requestRemoval, restart, disableDevice, enableDevice ...). */
export interface DeviceBuilder extends SubjectVerbs<"device", DeviceBuilder> {}

/** A plugged-in device. */
export class DeviceBuilder {
  /** The device's name in the scenario. */
  readonly id: string;
  readonly #ctx: ScenarioContext;

  /** Created by `ctx.device()`. */
  constructor(ctx: ScenarioContext, id: string) {
    this.#ctx = ctx;
    this.id = id;
  }

  static {
    addSubjectVerbs(this.prototype, "device", (b, step) => (b as DeviceBuilder).#ctx.run(step));
  }

  /** Its PDO. */
  get pdo(): DeviceObject {
    return this.#ctx.runner.pdo(this.id);
  }

  /** Its device instance ID. */
  get instanceId(): string {
    return this.#ctx.runner.instanceOf(this.id);
  }

  /** IoRegisterDeviceInterface on its PDO; returns the interface to enable. */
  registerInterface(guid: string, refString?: string): InterfaceBuilder {
    const id = this.#ctx.runner.nextId("i");
    this.#ctx.run({
      step: "registerInterface",
      device: this.id,
      guid,
      id,
      ...(refString !== undefined ? { refString } : {}),
    });
    return new InterfaceBuilder(this.#ctx, id);
  }

  /** A device plugged into this one's bus. */
  child(hardwareIdOrSpec: string | DeviceOptions): DeviceBuilder {
    return this.#ctx.device(hardwareIdOrSpec, this);
  }

  /** Stops it to rebalance resources. */
  rebalance(options: { failRestart?: boolean } = {}): this {
    this.#ctx.run({ step: "rebalance", device: this.id, ...options });
    return this;
  }

  // ---- Power steps ----

  /** Expects these power IRPs at its stack (`SET_POWER(S3)`, `SET_POWER(D3)` ...), in order. */
  expectPowerIrps(irps: string[], options: { exact?: boolean } = {}): this {
    this.#ctx.run({ step: "expectPowerIrps", device: this.id, irps, ...options });
    return this;
  }

  /** Expects its device power state (`D0`..`D3`, `Unspecified`). */
  expectPowerState(state: string): this {
    this.#ctx.run({ step: "expectPowerState", device: this.id, state });
    return this;
  }

  /** Expects its stack to have vetoed the last sleep (optionally: this driver). */
  expectVeto(driver?: string): this {
    this.#ctx.run({ step: "expectVeto", device: this.id, ...(driver ? { driver } : {}) });
    return this;
  }

  /** Wakes the machine with this device's wake signal (its armed IRP_MN_WAIT_WAKE completes). */
  wakeMachine(): this {
    this.#ctx.run({ step: "wake", by: this.id });
    return this;
  }
  // ---- end of Power steps ----

  /** Expects these IRPs at its stack, in order (since the last expectIrps for it). */
  expectIrps(irps: string[], options: { exact?: boolean } = {}): this {
    this.#ctx.run({ step: "expectIrps", device: this.id, irps, ...options });
    return this;
  }

  /**
   * Expects its PnP state, and optionally its problem code (e.g. "CM_PROB_FAILED_START") or the
   * `DN_*` flags CM_Get_DevNode_Status reports (`status`) and does not report (`notStatus`).
   */
  expectState(
    state: string,
    options?: string | { problem?: string; status?: string[]; notStatus?: string[] },
  ): this {
    const o = typeof options === "string" ? { problem: options } : options ?? {};
    this.#ctx.run({ step: "expectState", device: this.id, state, ...o });
    return this;
  }

  /** Raises a custom target-device event for it. */
  customEvent(guid: string, options: { asynchronous?: boolean } = {}): this {
    this.#ctx.run({ step: "customEvent", device: this.id, guid, ...options });
    return this;
  }

  /** Expects its stack now, top first, by driver name, ending with the PDO's (bus) driver. */
  expectStack(drivers: string[]): this {
    this.#ctx.run({ step: "expectStack", device: this.id, drivers });
    return this;
  }
}

/** The interface verbs of the step table (enable, disable, expectArrival, expectRemoval ...). */
export interface InterfaceBuilder extends SubjectVerbs<"interface", InterfaceBuilder> {}

/** A registered interface. */
export class InterfaceBuilder {
  /** The interface's name in the scenario. */
  readonly id: string;
  readonly #ctx: ScenarioContext;

  /** Created by `registerInterface()`. */
  constructor(ctx: ScenarioContext, id: string) {
    this.#ctx = ctx;
    this.id = id;
  }

  static {
    addSubjectVerbs(
      this.prototype,
      "interface",
      (b, step) => (b as InterfaceBuilder).#ctx.run(step),
    );
  }

  /** Its symbolic link. */
  get symbolicLinkName(): string {
    return this.#ctx.runner.link(this.id);
  }

  /** IoSetDeviceInterfacePropertyData: a DEVPKEY name or `{fmtid},pid`, a value, its DEVPROP_TYPE name. */
  setProperty(
    key: string,
    value: unknown,
    options: { type?: string; persistent?: boolean } = {},
  ): this {
    this.#ctx.run({ step: "setProperty", interface: this.id, key, value, ...options });
    return this;
  }

  /** Expects a property's value (IoGetDeviceInterfacePropertyData). */
  expectProperty(key: string, data: unknown): this {
    this.#ctx.run({ step: "expectProperty", interface: this.id, key, data });
    return this;
  }

  /** An application opens it; returns the handle's name for `close`. */
  open(options: { app?: string; closeOnQueryRemove?: boolean; id?: string } = {}): string {
    const id = options.id ?? this.#ctx.runner.nextId("h");
    this.#ctx.run({ step: "open", interface: this.id, id, ...options });
    return id;
  }
}

/** The listener verbs of the step table (expectNoMore ...). */
export interface ListenerBuilder extends SubjectVerbs<"listener", ListenerBuilder> {}

/** A kernel listener. */
export class ListenerBuilder {
  /** The listener's name. */
  readonly id: string;
  readonly #ctx: ScenarioContext;

  /** Created by `listen.*()`. */
  constructor(ctx: ScenarioContext, id: string) {
    this.#ctx = ctx;
    this.id = id;
  }

  static {
    addSubjectVerbs(this.prototype, "listener", (b, step) => (b as ListenerBuilder).#ctx.run(step));
  }

  /** Expects exactly these events since the last check (ARRIVAL, QUERY_REMOVE, ... or full GUID names). */
  expect(events: string[]): this {
    this.#ctx.run({ step: "expectNotifications", listener: this.id, events });
    return this;
  }

  /** IoUnregisterPlugPlayNotificationEx (or, with `{ ex: false }`, the non-Ex form). */
  unregister(options: { ex?: boolean } = {}): this {
    this.#ctx.run({ step: "unlisten", listener: this.id, ...options });
    return this;
  }
}

/** `ctx.listen`: callable for interface classes, with a method per notification category. */
export interface Listen {
  /** Interface arrivals and removals of a class (the same as `listen.interfaces`). */
  (guid: string, options?: { includeExisting?: boolean; id?: string }): ListenerBuilder;
  /** Interface arrivals and removals of a class. */
  interfaces(guid: string, options?: { includeExisting?: boolean; id?: string }): ListenerBuilder;
  /** A device's target events (the listener opens its interface). */
  target(
    device: DeviceBuilder,
    options?: { veto?: boolean; holdHandle?: boolean; id?: string },
  ): ListenerBuilder;
  /** Hardware profile changes. */
  profiles(options?: { veto?: boolean; id?: string }): ListenerBuilder;
}

/** What a scenario body receives. */
export class ScenarioContext {
  /** The runner (names, steps, failures). */
  readonly runner: Runner;

  /** Created by `scenario()`. */
  constructor(runner: Runner) {
    this.runner = runner;
  }

  /** The machine. */
  get machine(): Machine {
    return this.runner.machine;
  }

  /** Every step recorded so far. */
  get steps(): Step[] {
    return this.runner.steps;
  }

  /** Records and runs one step. */
  run(step: Step): void {
    this.runner.run(step);
  }

  /** Plugs in a device (a hardware ID string or options); it gets a pass-through driver unless one matches. */
  device = (
    hardwareIdOrSpec: string | DeviceOptions,
    parent?: DeviceBuilder | DeviceObject,
  ): DeviceBuilder => {
    const spec = typeof hardwareIdOrSpec === "string"
      ? { hardwareId: hardwareIdOrSpec }
      : { ...hardwareIdOrSpec };
    const id = (spec as DeviceOptions).id ?? this.runner.nextId("d");
    let parentId: string | undefined;
    if (parent instanceof DeviceBuilder) parentId = parent.id;
    else if (parent) {
      // A device object (a PDO of the example machine, say): name it for the steps.
      const instance = this.machine.devnode(parent)?.instanceId;
      if (instance) {
        parentId = this.runner.nextId("dev");
        this.run({ step: "name", id: parentId, instance });
      }
    }
    this.run({ step: "plugIn", ...spec, id, ...(parentId ? { parent: parentId } : {}) });
    return new DeviceBuilder(this, id);
  };

  /** Plugs a device into a parent's bus. */
  child = (parent: DeviceBuilder, hardwareIdOrSpec: string | DeviceOptions): DeviceBuilder =>
    this.device(hardwareIdOrSpec, parent);

  /** Names a device that is already present (one of the example machine's) by its instance ID. */
  name = (id: string, instance: string): DeviceBuilder => {
    this.run({ step: "name", id, instance });
    return new DeviceBuilder(this, id);
  };

  /**
   * Calls a kernel routine as a driver would. Arguments may name devices, interfaces, earlier
   * results (`"h.devInstRegKey"`) and WDK constants (`"KEY_READ"`); `id` names the result.
   */
  call = (
    routine: string,
    args: unknown[] = [],
    options: { id?: string; settle?: boolean } = {},
  ): void => this.run({ step: "call", routine, args, ...options });

  /** Loads a bundled sample driver by service name (`statbus`, `toaster`, `ToasterFilter` ...). */
  sampleDriver = (name: string): void => {
    this.run({ step: "sampleDriver", name });
  };

  /** Loads a driver: declared behaviours, and WDM routines that replace the generated ones. */
  driver = (spec: DriverDecl & Partial<Omit<DriverSpec, "name" | "hardwareIds">>): void => {
    const { DriverEntry, AddDevice, DispatchPnp, MajorFunction, Unload, ...decl } = spec;
    const hooks: Partial<DriverSpec> = {};
    if (DriverEntry) hooks.DriverEntry = DriverEntry;
    if (AddDevice) hooks.AddDevice = AddDevice;
    if (DispatchPnp) hooks.DispatchPnp = DispatchPnp;
    if (MajorFunction) hooks.MajorFunction = MajorFunction;
    if (Unload) hooks.Unload = Unload;
    this.run({ step: "driver", ...decl, ...(Object.keys(hooks).length ? { hooks } : {}) });
  };

  /** Kernel listeners (IoRegisterPlugPlayNotification). */
  /**
   * Kernel listeners (IoRegisterPlugPlayNotification). `listen(guid, options)` is
   * `listen.interfaces(guid, options)`; `listen.target(device)` and `listen.profiles()` register for
   * the other two categories.
   */
  listen: Listen = Object.assign(
    (guid: string, options: { includeExisting?: boolean; id?: string } = {}) =>
      this.listen.interfaces(guid, options),
    {
      interfaces: (
        guid: string,
        options: { includeExisting?: boolean; id?: string } = {},
      ): ListenerBuilder => {
        const id = options.id ?? this.runner.nextId("l");
        this.run({
          step: "listen",
          id,
          interfaces: guid,
          ...(options.includeExisting ? { includeExisting: true } : {}),
        });
        return new ListenerBuilder(this, id);
      },
      target: (
        device: DeviceBuilder,
        options: { veto?: boolean; holdHandle?: boolean; id?: string } = {},
      ): ListenerBuilder => {
        const id = options.id ?? this.runner.nextId("l");
        this.run({
          step: "listen",
          id,
          target: device.id,
          ...(options.veto ? { veto: true } : {}),
          ...(options.holdHandle ? { holdHandle: true } : {}),
        });
        return new ListenerBuilder(this, id);
      },
      profiles: (options: { veto?: boolean; id?: string } = {}): ListenerBuilder => {
        const id = options.id ?? this.runner.nextId("l");
        this.run({ step: "listen", id, profiles: true, ...(options.veto ? { veto: true } : {}) });
        return new ListenerBuilder(this, id);
      },
    },
  );

  /** A user-mode application. */
  app = (
    name: string,
    options: { interfaces?: string; vetoQueryRemove?: boolean; vetoProfileChange?: boolean } = {},
  ): {
    expectMessages(messages: string[]): void;
    close(handle: string): void;
    deviceIoControl(handle: string, code: string | number): void;
  } => {
    this.run({ step: "app", id: name, ...options });
    return {
      expectMessages: (messages: string[]) =>
        this.run({ step: "expectMessages", app: name, messages }),
      close: (handle: string) => this.run({ step: "close", handle }),
      deviceIoControl: (handle: string, code: string | number) =>
        this.run({ step: "deviceIoControl", handle, code: String(code) }),
    };
  };

  /** The registry as an administrator sees it. */
  registry = {
    /** Sets a value (REG_* type number or name). */
    set: (path: string, name: string, type: number | string, data: RegData): void =>
      this.run({ step: "setValue", path, name, type, data }),
    /** Reads a value. */
    get: (path: string, name: string): RegData | undefined =>
      this.machine.registry.getValue(path, name)?.data,
    /** Expects a key or value. */
    expect: (
      path: string,
      name?: string,
      options: { type?: string; data?: RegData; exists?: boolean; volatile?: boolean } = {},
    ): void =>
      this.run({
        step: "expectRegistry",
        path,
        ...(name !== undefined ? { name } : {}),
        ...options,
      }),
  };

  /** Imports `.reg` text. */
  importReg = (text: string): void => this.run({ step: "importReg", text });

  /** Hardware profiles. */
  profile = {
    /** Changes the hardware profile (query, then complete or cancel). */
    change: (profile: string): void => this.run({ step: "changeProfile", profile }),
  };

  /** Reboots. */
  reboot = (options: { safeMode?: boolean } = {}): void => this.run({ step: "reboot", ...options });

  /** Provides a RunOnce command. */
  command = (program: string, succeeds = true): void =>
    this.run({ step: "command", program, succeeds });

  /** Runs queued PnP work. */
  settle = (): void => this.run({ step: "settle" });

  /** Expects the last step's status. */
  expectStatus = (status: string | number): void => this.run({ step: "expectStatus", status });

  /** Expects a bug check. */
  expectBugCheck = (code: number, parameter1?: number): void =>
    this.run({ step: "expectBugCheck", code, ...(parameter1 !== undefined ? { parameter1 } : {}) });

  /** Expects IoGetDeviceInterfaces to list this many interfaces of a class. */
  expectInterfaces = (
    guid: string,
    count: number,
    options: { includeNonActive?: boolean } = {},
  ): void => this.run({ step: "expectInterfaces", guid, count, ...options });

  /** Expects a verifier finding. */
  expectFinding = (rule: string): void => this.run({ step: "expectFinding", rule });

  /** Expects the verifier not to have reported a rule (no finding, no bug check for it). */
  expectNoFinding = (rule: string): void => this.run({ step: "expectNoFinding", rule });

  // ---- Power steps ----

  /** Puts the machine to sleep (S1-S3) or hibernates it (S4). */
  sleep = (state: "S1" | "S2" | "S3" | "S4"): void => this.run({ step: "sleep", state });

  /** Wakes the machine (optionally by a device's wake signal). */
  wake = (by?: DeviceBuilder): void => this.run({ step: "wake", ...(by ? { by: by.id } : {}) });

  /** Shuts the machine down. */
  shutdown = (): void => this.run({ step: "shutdown" });

  /** Plugs in a device with power capabilities, also into a sleeping machine. */
  hotPlug = (
    spec: DeviceOptions & { capabilities?: Record<string, unknown> },
    parent?: DeviceBuilder,
  ): DeviceBuilder => {
    const id = spec.id ?? this.runner.nextId("d");
    this.run({ step: "hotPlug", ...spec, id, ...(parent ? { parent: parent.id } : {}) });
    return new DeviceBuilder(this, id);
  };

  /** Expects the machine's system power state (`S0`..`S5`). */
  expectPowerState = (state: string): void => this.run({ step: "expectPowerState", state });
  // ---- end of Power steps ----

  /** Expects the previous step to have hung (a deadlock, or an IRP nobody completes). */
  expectHang = (): void => this.run({ step: "expectHang" });

  /** Expects an out-parameter of an earlier `call` (`"q.resultLength"`), or with `exists: false` that it was not set. */
  expectResult = (result: string, options: { data?: unknown; exists?: boolean } = {}): void =>
    this.run({ step: "expectResult", result, ...options });
}

/** Options of `scenario()`: boot() options plus `example` for the bundled example machine. */
export type ScenarioOptions = NonNullable<ScenarioData["boot"]>;

/**
 * Boots a fresh machine, runs `body`, settles, and returns the result with every failed expectation.
 * It never throws for a failed expectation.
 *
 * @example
 * ```ts
 * import { scenario } from "./fluent.ts";
 * import assert from "node:assert/strict";
 * const ok = await scenario("A toaster starts", ({ driver, device }) => {
 *   driver({ name: "toaster", hardwareIds: ["ROOT\\TOASTER"] });
 *   device("ROOT\\TOASTER").expectState("Started");
 * });
 * assert.equal(ok.passed, true);
 * // A wrong expectation is a failure in the result, not an exception.
 * const wrong = await scenario("A toaster is not removed", ({ driver, device }) => {
 *   driver({ name: "toaster", hardwareIds: ["ROOT\\TOASTER"] });
 *   device("ROOT\\TOASTER").expectState("Removed");
 * });
 * assert.equal(wrong.passed, false);
 * assert.equal(wrong.failures.length, 1);
 * ```
 */
export async function scenario(
  title: string,
  body: (ctx: ScenarioContext) => void | Promise<void>,
  options: ScenarioOptions = {},
): Promise<ScenarioResult> {
  const runner = new Runner(bootFor(options));
  const ctx = new ScenarioContext(runner);
  try {
    await body(ctx);
  } catch (e) {
    runner.failures.push({
      message: `The scenario body raised ${
        e instanceof Error ? `${e.name}: ${e.message}` : String(e)
      }`,
    });
  }
  return runner.finish(title);
}
