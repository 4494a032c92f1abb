/**
 * A REPL session without a terminal: evaluate one line, get the printed output. It holds a machine
 * (the bundled example machine unless asked otherwise), the DSL verbs, the kernel (`k`), the WDK
 * constants and GUID names, and WinDbg / reg.exe style commands. The terminal REPL (dsl/repl.ts)
 * and the tests both drive it. Every DSL verb and `k.` call is recorded as a step, so `.save`
 * writes a scenario file that replays the session.
 *
 * @module
 */
import { inspect } from "node:util";
import vm from "node:vm";
import { Scalar, stringify } from "yaml";
import { BugCheck } from "../lib/bugcheck.ts";
import * as constants from "../lib/constants.ts";
import { DeviceObject, type DriverSpec, KEVENT } from "../lib/io/objects.ts";
import { sampleDrivers } from "../lib/examples/example_machine.ts";
import { Kernel } from "../lib/kernel.ts";
import type { Machine } from "../lib/machine.ts";
import * as statuses from "../lib/ntstatus.ts";
import { Handle } from "../lib/ob/handles.ts";
import { regTypeName } from "../lib/registry/data.ts";
import type { KeyNode } from "../lib/registry/hive.ts";
import { regQueryData } from "../lib/registry/render.ts";
import { longRootPath } from "../lib/registry/view.ts";
import {
  renderAnalyze,
  renderDeviceTree,
  renderDevStack,
  renderDrvObj,
  renderIrp,
  renderIrps,
} from "../lib/render/text.ts";
import { formatEvent } from "../lib/trace/format.ts";
import { DeviceBuilder, ScenarioContext } from "./fluent.ts";
import { WELL_KNOWN_GUIDS } from "./guids.ts";
import { bootFor, Runner } from "./runner.ts";
import { didYouMean, type ScenarioData, type Step, STEP_DEFINITIONS } from "./steps.ts";
import { parseScenario } from "./yaml.ts";

/** How a session starts. */
export interface SessionOptions {
  /** A bare machine instead of the example machine. */
  empty?: boolean;
  /** Hardware profile names. */
  profiles?: string[];
  /** Boot in safe mode. */
  safeMode?: boolean;
  /** Colour the output (default: no). */
  color?: boolean;
  /** How long one input's synchronous code may run, in milliseconds (default 10 000). */
  scriptTimeoutMs?: number;
}

/** What one evaluation printed. */
export interface Evaluation {
  /** The text to print (may be empty). */
  output: string;
  /** The input is an unfinished statement: read another line and evaluate both. */
  incomplete?: boolean;
  /** The session asked to end (`.exit`). */
  exit?: boolean;
}

const KERNEL_ROUTINES = Object.getOwnPropertyNames(Kernel.prototype).filter((n) =>
  /^(Zw|Io|Rtl|Ke|Ob)[A-Z]/.test(n)
).sort();
const CONSTANT_NAMES = [
  ...Object.keys(constants),
  ...Object.keys(statuses).filter((n) => n.startsWith("STATUS_")),
];
// ---- Power steps ----
// The REPL's power commands (.sleep, .wake, !podev, !poaction) and the machine's power verbs.

const POWER_COMMANDS = ["!podev", "!poaction"];
const POWER_META = [".sleep", ".wake", ".shutdown"];
const POWER_HELP = `Power:
  !podev <device>         a device's stack with each device object's power state, and its pending power IRPs
  !poaction               the system power transition in progress (else the last one)
  .sleep S1|S2|S3|S4  .wake [device]  .shutdown`;

/** The machine's power verbs, recorded as the power steps. */
const POWER_MACHINE_VERBS: Readonly<Record<string, MachineVerb>> = {
  sleep: {
    returns: "status",
    translate: ([state]) => typeof state === "string" ? { step: "sleep", state } : null,
  },
  wake: {
    returns: "status",
    translate: ([options], ctx) => {
      const by = (options as { by?: unknown } | undefined)?.by;
      if (by === undefined) return { step: "wake" };
      const device = ctx.device(by);
      return device ? { step: "wake", by: device } : NO_NAME;
    },
  },
  shutdown: { returns: "status", translate: () => ({ step: "shutdown" }) },
  // A device with power fields, or one plugged into a sleeping machine, is a hotPlug step.
  plugIn: {
    returns: "device",
    translate: ([spec, parent], ctx) => {
      const fields = spec && typeof spec === "object" ? { ...spec } as Record<string, unknown> : {};
      const power = Object.fromEntries(
        POWER_DEVICE_FIELDS.filter((f) => f in fields).map((f) => [f, fields[f]]),
      );
      if (!Object.keys(power).length && ctx.machine.powerState === "S0") {
        return plugInStep([spec, parent], ctx);
      }
      for (const f of POWER_DEVICE_FIELDS) delete fields[f];
      const base = plugInStep([typeof spec === "string" ? spec : fields, parent], ctx);
      if (!base || "leftOut" in base) return base;
      return { ...base, step: "hotPlug", ...power };
    },
  },
};

/** The DeviceSpec fields only the hotPlug step has. */
const POWER_DEVICE_FIELDS = ["capabilities", "powerPagable", "powerInrush"];
// ---- end of Power steps ----

const COMMANDS = [
  "!devnode",
  "!devstack",
  "!drvobj",
  "!irp",
  "!analyze",
  "reg query",
  ...POWER_COMMANDS,
];
const META = [".help", ".trace", ".reset", ".reboot", ".load", ".save", ".exit", ...POWER_META];
const DSL_VERBS = [
  "device",
  "child",
  "driver",
  "sampleDriver",
  "sampleDrivers",
  "listen",
  "app",
  "registry",
  "importReg",
  "profile",
  "reboot",
  "settle",
  "command",
  "expectStatus",
  "expectBugCheck",
  "expectInterfaces",
  "expectFinding",
  "pdo",
  "machine",
  "k",
  "trace",
];

/** How long one input may run before it is stopped: an endless loop must not hang the REPL. */
const SCRIPT_TIMEOUT_MS = 10_000;

const HELP =
  `pnplab REPL: TypeScript with top-level await; the machine, the DSL and the kernel are in scope.
  device("PCI\\\\VEN_1").registerInterface("GUID_DEVINTERFACE_DISK").enable()   DSL verbs (recorded for .save)
  k.IoGetDeviceInterfaces(GUID_DEVINTERFACE_TOASTER, null, 0)               kernel routines (recorded for .save)
  machine.requestRemoval(pdo("ROOT\\\\BUSENUM\\\\0"))                            machine verbs (recorded for .save)
  pdo("ROOT\\\\BUSENUM\\\\0")                                                    a device by instance ID or name
Debugger and reg.exe style commands:
  !devnode [instance]     the device tree with states and problem codes (!devnode 0 1: the whole tree)
  !devstack <device>      a device's stack, top first: an instance ID, a name (d1) or a device
                          object (\\Device\\00000003, #8)
  !drvobj <driver>        a driver object (toaster, \\Driver\\toaster): devices, references, routines
  !irp [n | #id]          the last n IRPs (default 5), or IRP #id, and where they went
  !analyze                explain the last bug check (rule, offending call, documentation)
  reg query <path> [/s] [/v name | /ve]   a registry key, or one value, as reg.exe prints it
Meta commands:
  .help  .trace [n]  .reset  .reboot [safe]  .load <file.yaml>[#n]  .save <file.yaml>  .exit
${POWER_HELP}`;

/** What `reg` accepts, for every other `reg` command line. */
const REG_USAGE = "Only 'reg query <path> [/s] [/v name]' is supported";

/** Steps a stopped machine still runs (the runner's rule): expectations, a reboot, pulling hardware. */
function runsWhileStopped(step: Step): boolean {
  return step.step.startsWith("expect") || step.step === "reboot" || step.step === "unplug";
}

/**
 * The session's runner. A step asked for while the machine is stopped is not run, nor kept for
 * `.save` (a replay would skip it too); a step that stops the machine is remembered with its bug
 * check, so the saved file expects it there.
 */
class SessionRunner extends Runner {
  /** Each step that stopped the machine, with the bug check it raised. */
  readonly stoppedBy: Map<Step, BugCheck> = new Map();
  /** How many steps were asked for while the machine was stopped. */
  refused = 0;

  override run(step: Step): void {
    const before = this.machine.bugCheck;
    if (before && !runsWhileStopped(step)) {
      this.refused++;
      return;
    }
    super.run(step);
    const after = this.machine.bugCheck;
    if (after && after !== before) this.stoppedBy.set(step, after);
  }
}

/** Why a call typed at the prompt cannot be a step. */
interface LeftOut {
  /** The reason, in a phrase. */
  leftOut: string;
}

/** What a machine verb typed at the prompt is recorded as: a step, or why it cannot be one. */
type Translation = Step | LeftOut | null;

function isLeftOut(t: Step | LeftOut): t is LeftOut {
  return typeof (t as { leftOut?: unknown }).leftOut === "string" && !("step" in t);
}

/** What a machine verb needs to become a step. */
interface VerbContext {
  /** A device argument's name in the scenario (naming it with a `name` step if needed). */
  device(arg: unknown): string | undefined;
  /** The machine. */
  machine: Machine;
  /** A fresh name (`d1` ...). */
  nextId(prefix: string): string;
}

/** A machine verb: the step it becomes, and what the machine call returns (the step's status, or the device). */
interface MachineVerb {
  /** The step for these arguments; null when the call is invalid (the machine then says why). */
  translate: (args: unknown[], ctx: VerbContext) => Translation;
  /** What the call returns. */
  returns?: "status" | "device";
  /** The step it records (for status-printing builder verbs). */
  step?: string;
}

const NO_NAME = { leftOut: "its device has no name the scenario can use" };

/** A verb on one device, recorded as a device step. */
function deviceVerb(step: string, returns?: "status"): MachineVerb {
  return {
    step,
    ...(returns ? { returns } : {}),
    translate: (args, ctx) => {
      const device = ctx.device(args[0]);
      return device ? { step, device } : NO_NAME;
    },
  };
}

/** The DeviceSpec fields the plugIn step has. */
const PLUG_IN_FIELDS = Object.keys(STEP_DEFINITIONS.plugIn!.fields).filter((f) =>
  !["id", "parent", "driver"].includes(f)
);

/** `machine.plugIn(spec, parent)` as a plugIn step. */
function plugInStep(args: unknown[], ctx: VerbContext): Translation {
  const [spec, parent] = args;
  const fields: Record<string, unknown> = spec && typeof spec === "object" ? { ...spec } : {};
  const hardwareIds = typeof spec === "string" ? [spec] : fields.hardwareIds;
  if (!Array.isArray(hardwareIds) || !hardwareIds.length) return null;
  if (typeof spec === "string") fields.hardwareId = spec;
  const extra = Object.keys(fields).filter((f) => !PLUG_IN_FIELDS.includes(f));
  if (extra.length) return { leftOut: `the plugIn step has no ${extra.join(", ")} field` };
  const parentId = parent === undefined ? undefined : ctx.device(parent);
  if (parent !== undefined && !parentId) {
    return { leftOut: "its parent has no name the scenario can use" };
  }
  // The plugIn step gives a device no loaded driver lists a pass-through driver, which
  // machine.plugIn does not; a driver it names that is not loaded keeps the device without one.
  const ids = [...hardwareIds, ...((fields.compatibleIds as string[] | undefined) ?? [])].map((
    i,
  ) => String(i).toUpperCase());
  const listed = [...ctx.machine._sys.io.drivers.values()].some((d) =>
    d.spec.hardwareIds?.some((h) => ids.includes(h.toUpperCase()))
  );
  return {
    step: "plugIn",
    ...fields,
    ...(listed || fields.rawDeviceOk ? {} : { driver: NO_DRIVER }),
    id: ctx.nextId("d"),
    ...(parentId ? { parent: parentId } : {}),
  };
}

/** The driver name a saved plugIn step gives a device that had none: no driver is loaded under it. */
const NO_DRIVER = "(none)";

/**
 * The machine's verbs and the steps they are recorded as; every other method only reads the
 * machine. A verb with `leftOut` runs but `.save` cannot replay it, and says so.
 */
const MACHINE_VERBS: Readonly<Record<string, MachineVerb>> = {
  plugIn: { translate: plugInStep, returns: "device" },
  unplug: deviceVerb("unplug"),
  eject: deviceVerb("eject", "status"),
  requestRemoval: deviceVerb("requestRemoval", "status"),
  restart: deviceVerb("restart"),
  disable: deviceVerb("disableDevice", "status"),
  enable: deviceVerb("enableDevice", "status"),
  rebalance: {
    step: "rebalance",
    returns: "status",
    translate: ([pdo, options], ctx) => {
      const device = ctx.device(pdo);
      if (!device) return NO_NAME;
      const failRestart = (options as { failRestart?: boolean } | undefined)?.failRestart;
      return { step: "rebalance", device, ...(failRestart ? { failRestart: true } : {}) };
    },
  },
  changeHardwareProfile: {
    returns: "status",
    translate: ([profile]) =>
      typeof profile === "string" ? { step: "changeProfile", profile } : null,
  },
  reboot: {
    translate: ([options]) => ({
      step: "reboot",
      ...((options as { safeMode?: boolean } | undefined)?.safeMode ? { safeMode: true } : {}),
    }),
  },
  settle: { translate: () => ({ step: "settle" }) },
  loadDriver: {
    // A bundled driver is the sampleDriver step; any other spec's routines have no step form.
    translate: ([spec]) =>
      Object.values(sampleDrivers).includes(spec as DriverSpec)
        ? { step: "sampleDriver", name: (spec as DriverSpec).name }
        : {
          leftOut:
            "a driver spec's routines have no step form (driver({ name, ... }) declares one)",
        },
  },
  registerCommand: {
    translate: () => ({
      leftOut: "a command handler is a function (command(program, succeeds) records one)",
    }),
  },
  runOnce: { translate: () => ({ leftOut: "RunOnce has no step of its own (a reboot runs it)" }) },
  app: {
    translate: () => ({ leftOut: "its application has no name for later steps (use app(name))" }),
  },
  openDevice: {
    translate: () => ({
      leftOut: "its handle has no name for later steps (use app(...) and open)",
    }),
  },
  closeHandle: {
    translate: () => ({ leftOut: "a handle from machine.openDevice has no name in the scenario" }),
  },
  deviceIoControl: {
    translate: () => ({ leftOut: "a handle from machine.openDevice has no name in the scenario" }),
  },
  ...POWER_MACHINE_VERBS,
};

/** Data the setValue step carries for a value of this type, or undefined when it cannot. */
function stepData(type: number, data: unknown): unknown {
  // The runner reads REG_BINARY and REG_NONE data as hex and REG_QWORD from a number or string.
  if (data instanceof Uint8Array) {
    return type === constants.REG_BINARY || type === constants.REG_NONE
      ? [...data].map((b) => b.toString(16).padStart(2, "0")).join("")
      : undefined;
  }
  if (typeof data === "bigint") return type === constants.REG_QWORD ? String(data) : undefined;
  if (typeof data === "string" || typeof data === "number") return data;
  if (Array.isArray(data) && data.every((x) => typeof x === "string")) return data;
  return undefined;
}

/** The registry's verbs (machine.registry.*) and their steps; reads pass through. */
const REGISTRY_VERBS: Readonly<Record<string, MachineVerb>> = {
  setValue: {
    translate: ([path, name, type, data]) => {
      if (typeof path !== "string" || typeof name !== "string" || typeof type !== "number") {
        return null;
      }
      const d = stepData(type, data);
      if (d === undefined) return { leftOut: "the setValue step cannot carry this data" };
      return {
        step: "setValue",
        path,
        name,
        type: constants.REG_TYPE_NAMES[type] ?? type,
        data: d,
      };
    },
  },
  deleteKey: {
    translate: ([path]) => typeof path === "string" ? { step: "deleteKey", path } : null,
  },
  deleteValue: { translate: () => ({ leftOut: "no step deletes a single value" }) },
  createKey: { translate: () => ({ leftOut: "no step creates an empty key" }) },
};

/** The steps whose machine verb returns an NTSTATUS: a builder verb running one prints it. */
const STATUS_STEPS = Object.values(MACHINE_VERBS).filter((v) => v.returns === "status" && v.step)
  .map((v) => v.step!);

/** Why a file could not be read or written, in a sentence. */
function fileProblem(verb: "read" | "write", path: string, e: unknown): string {
  const reason = e instanceof Deno.errors.NotFound
    ? verb === "read" ? "no such file" : "no such folder"
    : e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable
    ? "permission denied"
    : e instanceof Deno.errors.IsADirectory
    ? "it is a folder"
    : e instanceof Error
    ? e.message
    : String(e);
  return `Cannot ${verb} '${path}': ${reason}`;
}

/**
 * Whether a scenario file (`file.yaml`, or `file.yaml#2` for its second scenario) can be loaded:
 * undefined when it can, else what is wrong, one problem a line. The REPL's `--scenario` checks it
 * before starting.
 *
 * @example
 * ```ts
 * import { scenarioProblem } from "./session.ts";
 * import assert from "node:assert/strict";
 * assert.equal(scenarioProblem("/nonexistent.yaml"), "Cannot read '/nonexistent.yaml': no such file");
 * ```
 */
export function scenarioProblem(spec: string): string | undefined {
  const r = readScenarios(spec);
  return "problem" in r ? r.problem : undefined;
}

/** The scenarios of a file and which one `file.yaml#n` picks (1-based; default the first). */
function readScenarios(
  spec: string,
): { problem: string } | { path: string; scenarios: ScenarioData[]; index: number } {
  const m = /^(.+)#(\d+)$/.exec(spec);
  const path = m ? m[1]! : spec;
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    return { problem: fileProblem("read", path, e) };
  }
  const parsed = parseScenario(text, path);
  if (parsed.errors.length) {
    return {
      problem: parsed.errors.map((e) => `${path}:${e.line}:${e.column}: ${e.message}`).join("\n"),
    };
  }
  const scenarios = parsed.scenarios;
  if (!scenarios.length) return { problem: `'${path}' holds no scenario` };
  const index = m ? Number(m[2]) : 1;
  if (index < 1 || index > scenarios.length) {
    return {
      problem: `'${path}' holds ${scenarios.length} scenario${
        scenarios.length === 1 ? "" : "s"
      }: #${index} is not one of #1 to #${scenarios.length}`,
    };
  }
  return { path, scenarios, index };
}

/** A REPL session. */
export class Session {
  #runner: SessionRunner;
  #ctx: ScenarioContext;
  #options: SessionOptions;
  #context: vm.Context;
  #transform: ((code: string) => string) | null = null;
  #results = new Map<Handle, string>();
  #resultCount = 0;
  /** Calls that ran but have no step form: the input each was in, and why. */
  #leftOut: { input: string; call: string; reason: string }[] = [];
  /** The input being evaluated, for `#leftOut`. */
  #input = "";
  /** What `.load` ran last, so `.save` keeps its boot options. */
  #boot: ScenarioData["boot"];

  /** Creates a session (use `Session.create`). */
  constructor(options: SessionOptions = {}) {
    this.#options = options;
    this.#boot = {
      ...(options.empty ? {} : { example: true }),
      ...(options.profiles ? { hardwareProfiles: options.profiles } : {}),
      ...(options.safeMode ? { safeMode: true } : {}),
    };
    this.#runner = new SessionRunner(bootFor(this.#boot));
    this.#ctx = new ScenarioContext(this.#runner);
    this.#context = this.#makeContext();
  }

  /** The current machine's runner, which records the steps for `.save`; `.reset` and `.load` replace it. */
  get runner(): Runner {
    return this.#runner;
  }

  /** The machine. */
  get machine(): Machine {
    return this.#runner.machine;
  }

  /** The steps recorded so far. */
  get steps(): Step[] {
    return this.#runner.steps;
  }

  #makeContext(): vm.Context {
    const ctx = this.#ctx;
    const kernel = this.#recording(
      this.machine.kernel,
      (routine, args, direct) =>
        KERNEL_ROUTINES.includes(routine)
          ? () => this.#kernelCall(routine, args, direct)
          : undefined,
    );
    const registry = this.#recording(this.machine.registry, (name, args, direct) => {
      const verb = REGISTRY_VERBS[name];
      if (name === "importReg") return () => this.#importReg(args, direct);
      return verb ? () => this.#machineCall(`registry.${name}`, verb, args, direct) : undefined;
    });
    const machine = this.#recording(this.machine, (name, args, direct) => {
      const verb = MACHINE_VERBS[name];
      return verb ? () => this.#machineCall(name, verb, args, direct) : undefined;
    }, { kernel, registry });
    const globals: Record<string, unknown> = {
      ...constants,
      ...statuses,
      ...WELL_KNOWN_GUIDS,
      device: ctx.device,
      child: ctx.child,
      driver: ctx.driver,
      sampleDriver: ctx.sampleDriver,
      sampleDrivers,
      listen: ctx.listen,
      app: ctx.app,
      registry: ctx.registry,
      importReg: ctx.importReg,
      profile: ctx.profile,
      reboot: ctx.reboot,
      settle: ctx.settle,
      command: ctx.command,
      expectStatus: ctx.expectStatus,
      expectBugCheck: ctx.expectBugCheck,
      expectInterfaces: ctx.expectInterfaces,
      expectFinding: ctx.expectFinding,
      k: kernel,
      // A driver written at the prompt allocates its events itself, as in C (KeInitializeEvent).
      KEVENT,
      machine,
      pdo: (nameOrInstance: string) => this.#pdo(nameOrInstance),
      console,
    };
    Object.defineProperty(globals, "trace", { get: () => this.machine.trace, enumerable: true });
    return vm.createContext(globals);
  }

  /**
   * An object as the prompt sees it: each method `intercept` claims runs through the session (which
   * records it), every other one runs as it is; `replace` swaps properties (the machine's kernel
   * and registry are recorded too).
   */
  #recording<T extends object>(
    target: T,
    intercept: (
      name: string,
      args: unknown[],
      direct: () => unknown,
    ) => (() => unknown) | undefined,
    replace: Record<string, unknown> = {},
  ): T {
    return new Proxy(target, {
      get(t, prop) {
        if (typeof prop === "string" && prop in replace) return replace[prop];
        // The target as receiver: the classes' private fields are not on the proxy.
        const value = Reflect.get(t, prop, t);
        if (typeof value !== "function") return value;
        if (typeof prop !== "string") return value.bind(t);
        return (...args: unknown[]) => {
          const direct = () => (value as (...a: unknown[]) => unknown).apply(t, args);
          return (intercept(prop, args, direct) ?? direct)();
        };
      },
    });
  }

  /** A device object by scenario name, instance ID or object name (`\Device\00000003`, `#8`). */
  #findDevice(name: string): DeviceObject | undefined {
    if (this.#runner.names.devices.includes(name)) return this.#runner.pdo(name).top;
    const pdo = this.machine.device(name);
    if (pdo) return pdo.top;
    const wanted = name.toUpperCase();
    const sys = this.machine._sys;
    for (const node of sys.pnp.all()) {
      for (let d: DeviceObject | null = node.top; d; d = d.lower) {
        if (
          d.name?.toUpperCase() === wanted || `#${d.serial}` === name ||
          String(d).toUpperCase() === wanted
        ) {
          return d;
        }
      }
    }
    return sys.io.names.get(wanted);
  }

  /** Why no device answers to a name, as `!devstack` and `pdo()` say it. */
  #noDevice(name: string): string {
    const hint = didYouMean(name, [...this.#runner.names.devices, ...this.machine.devices()]);
    return `No present device '${name}' (${hint ? `did you mean '${hint}'?` : "try !devnode"})`;
  }

  /** A device's PDO by scenario name, instance ID or the name of any device object in its stack. */
  #pdo(name: string): DeviceObject {
    const d = this.#findDevice(name);
    if (!d) throw new TypeError(this.#noDevice(name));
    return d.bottom;
  }

  /** A scenario name for a device, naming it (a recorded `name` step) the first time. */
  #deviceName(arg: unknown): string | undefined {
    if (arg instanceof DeviceBuilder) return arg.id;
    if (!(arg instanceof DeviceObject)) return undefined;
    for (const id of this.#runner.names.devices) {
      if (this.#runner.pdo(id) === arg) return id;
    }
    const node = this.machine._sys.pnp.nodeOf(arg);
    if (!node) return undefined;
    for (const id of this.#runner.names.devices) {
      if (this.#runner.instanceOf(id).toUpperCase() === node.instanceId.toUpperCase()) return id;
    }
    // A stopped machine runs no name step; a device that is gone cannot be named.
    if (this.machine.halted || this.machine.device(node.instanceId) !== arg) return undefined;
    const id = this.#runner.nextId("dev");
    this.#runner.run({ step: "name", id, instance: node.instanceId });
    return id;
  }

  /** A call that ran without a step: `.save` lists it. */
  #leave(call: string, reason: string): void {
    this.#leftOut.push({ input: this.#input, call, reason });
  }

  /**
   * Runs a recorded step for a call typed at the prompt and gives back what the call would: the
   * failure as an error (the step is dropped: a replay would fail on it too), the bug check it
   * raised, or on a stopped machine the bug check that stopped it.
   */
  #runStep(step: Step): void {
    const runner = this.#runner;
    const before = this.machine.bugCheck;
    const failures = runner.failures.length;
    const index = runner.steps.length;
    runner.run(step);
    // Only this step's own failure: one reported now for an earlier step (a hang) stays listed.
    const own = runner.failures.findIndex((f, i) => i >= failures && f.step === index + 1);
    if (own >= 0) {
      const [failure] = runner.failures.splice(own, 1);
      if (runner.steps[index] === step) runner.steps.splice(index, 1);
      throw new Error(failure!.message.replace(/^Step \d+ \([^)]*\): /, ""));
    }
    const after = this.machine.bugCheck;
    if (after && (after !== before || !runsWhileStopped(step))) throw after;
  }

  /** A machine or registry verb typed at the prompt: recorded as its step when it has one. */
  #machineCall(name: string, verb: MachineVerb, args: unknown[], direct: () => unknown): unknown {
    const t = verb.translate(args, {
      device: (a) => this.#deviceName(a),
      machine: this.machine,
      nextId: (prefix) => this.#runner.nextId(prefix),
    });
    if (t === null) return direct();
    if (isLeftOut(t)) {
      this.#leave(`machine.${name}`, t.leftOut);
      return direct();
    }
    this.#runStep(t);
    if (verb.returns === "status") return this.#runner.lastStatus;
    if (verb.returns === "device") return this.#runner.pdo(t.id as string);
    return undefined;
  }

  /** machine.registry.importReg: recorded when the text imports cleanly (the step fails otherwise). */
  #importReg(args: unknown[], direct: () => unknown): unknown {
    if (this.machine.halted || typeof args[0] !== "string") {
      this.#leave("machine.registry.importReg", "the machine was stopped");
      return direct();
    }
    const result = direct() as { errors: unknown[] };
    if (result.errors.length) this.#leave("machine.registry.importReg", "the text has errors");
    else this.#runner.steps.push({ step: "importReg", text: args[0] });
    return result;
  }

  /** A kernel call typed at the prompt: recorded as a `call` step when its arguments can be named. */
  #kernelCall(routine: string, args: unknown[], direct: () => unknown): unknown {
    const named: unknown[] = [];
    let recordable = true;
    for (const a of args) {
      if (a instanceof DeviceObject) {
        const name = this.#deviceName(a);
        if (name) named.push(name);
        else recordable = false;
      } else if (a instanceof Handle) {
        const ref = this.#results.get(a);
        if (ref) named.push(ref);
        else recordable = false;
      } else if (a === null || ["string", "number", "boolean"].includes(typeof a)) {
        named.push(a);
      } else if (Array.isArray(a) && a.every((x) => typeof x === "string")) {
        named.push(a);
      } else {
        recordable = false;
      }
    }
    if (!recordable) {
      this.#leave(`k.${routine}`, "an argument has no name the scenario can use");
      return direct();
    }
    const id = `r${++this.#resultCount}`;
    this.#runStep({ step: "call", routine, args: named, id });
    const result = this.#runner.result(id);
    if (result && typeof result === "object") {
      for (const [key, value] of Object.entries(result)) {
        if (value instanceof Handle) this.#results.set(value, `${id}.${key}`);
      }
    }
    return result;
  }

  get #timeout(): number {
    return this.#options.scriptTimeoutMs ?? SCRIPT_TIMEOUT_MS;
  }

  #paint(code: number, s: string): string {
    return this.#options.color ? `\x1b[${code}m${s}\x1b[0m` : s;
  }

  /** Prints a value: statuses with their names, objects with inspect. */
  show(value: unknown, statusContext: boolean): string {
    if (
      typeof value === "number" && statusContext &&
      statuses.NTSTATUS_TABLE.some((s) => s.value === value >>> 0)
    ) {
      return `${this.#hex(value)} (${
        this.#paint(statuses.NT_SUCCESS(value) ? 32 : 31, statuses.ntStatusName(value))
      })`;
    }
    if (
      value && typeof value === "object" && "status" in value &&
      typeof (value as { status: unknown }).status === "number"
    ) {
      const s = (value as { status: number }).status;
      const copy = { ...(value as object), status: `${this.#hex(s)} ${statuses.ntStatusName(s)}` };
      return inspect(copy, { colors: this.#options.color ?? false, depth: 3 });
    }
    if (value === undefined) return "";
    return inspect(value, { colors: this.#options.color ?? false, depth: 3 });
  }

  #hex(n: number): string {
    return "0x" + (n >>> 0).toString(16).toUpperCase().padStart(8, "0");
  }

  /** The blue-screen summary of a bug check. */
  #blueScreen(b: BugCheck): string {
    const lines = [
      "A problem has been detected and the simulated machine has been stopped.",
      "",
      b.name,
      "",
      `*** STOP: 0x${b.code.toString(16).toUpperCase().padStart(8, "0")} (${
        b.parameters.map((p) => "0x" + p.toString(16).toUpperCase().padStart(8, "0")).join(", ")
      })`,
      b.message.replace(/^\*\*\* STOP: [^:]*: /, ""),
      "",
      "Type !analyze for the rule and the offending call, .reboot to restart.",
      ...(b.device
        ? [
          `The hardware behind ${b.device} is still plugged in, so a reboot meets it again:`,
          "pull it first with machine.unplug(machine.bugCheck.device).",
        ]
        : []),
    ];
    return this.#options.color
      ? `\x1b[44;97m${lines.map((l) => ` ${l.padEnd(78)}`).join("\n")}\x1b[0m`
      : lines.join("\n");
  }

  /** Evaluates one input (a command, or TypeScript that may span several lines). */
  async evaluate(input: string): Promise<Evaluation> {
    const line = input.trim();
    if (line === "") return { output: "" };
    // The bug check that had stopped the machine before this input: it is not news any more.
    const stopped = this.machine.bugCheck;
    try {
      if (line.startsWith(".")) return this.#meta(line);
      if (line.startsWith("!")) return { output: this.#bang(line) };
      if (/^reg\s+query\b/i.test(line)) return { output: this.#regQuery(line) };
      return await this.#code(input, stopped);
    } catch (e) {
      if (e instanceof BugCheck) {
        return { output: e === stopped ? this.#stoppedLine(e) : this.#blueScreen(e) };
      }
      // `reg add ...` and the like are not TypeScript either.
      if (/^reg(\s|$)/i.test(line) && isError(e, ["SyntaxError", "ReferenceError"])) {
        return { output: REG_USAGE };
      }
      return { output: this.#paint(31, describeThrown(e)) };
    }
  }

  /** What a call on a stopped machine prints instead of the whole blue screen again. */
  #stoppedLine(b: BugCheck): string {
    return `The machine is stopped (${
      this.#hex(b.code)
    } ${b.name}): .reboot, .reboot safe or .reset${
      b.device ? "; a reboot stops again until machine.unplug(machine.bugCheck.device)" : ""
    }`;
  }

  #meta(line: string): Evaluation {
    const [cmd, ...rest] = line.split(/\s+/);
    const arg = rest.join(" ");
    switch (cmd) {
      case ".help":
        return { output: HELP };
      case ".exit":
        return { output: "", exit: true };
      case ".trace": {
        const n = arg ? Number(arg) : 20;
        // slice(-0) and slice(-NaN) would be the whole trace.
        if (!Number.isInteger(n) || n < 1) return { output: "Usage: .trace [n] (n >= 1)" };
        return { output: this.machine.trace.slice(-n).map(formatEvent).join("\n") };
      }
      case ".reset":
        this.#reset(this.#boot);
        return {
          output: `Machine reset (${this.#boot?.example ? "example machine" : "empty machine"})`,
        };
      case ".reboot":
        this.#runner.run({ step: "reboot", ...(arg === "safe" ? { safeMode: true } : {}) });
        if (this.machine.bugCheck) {
          return {
            output: `The machine stopped again while booting:\n${
              this.#blueScreen(this.machine.bugCheck)
            }`,
          };
        }
        return { output: `Rebooted${arg === "safe" ? " in safe mode" : ""}` };
      case ".load":
        return { output: this.load(arg) };
      case ".save":
        return { output: this.save(arg) };
      default: {
        const power = this.#powerMeta(cmd!, arg);
        if (power) return power;
        const hint = didYouMean(cmd!, META);
        return {
          output: `Unknown command '${cmd}' (${hint ? `did you mean '${hint}'?` : "try .help"})`,
        };
      }
    }
  }

  #reset(boot: ScenarioData["boot"]): void {
    this.#boot = boot;
    this.#runner = new SessionRunner(bootFor(boot));
    this.#ctx = new ScenarioContext(this.#runner);
    this.#context = this.#makeContext();
    this.#results.clear();
    this.#resultCount = 0;
    this.#leftOut = [];
  }

  /**
   * Runs a scenario file from a fresh machine and stays in its final state. A file with several
   * scenarios runs the first, or the one `file.yaml#n` names (from 1), and lists the others.
   */
  load(spec: string): string {
    if (!spec) return "Usage: .load <scenario.yaml>[#n]";
    const r = readScenarios(spec);
    if ("problem" in r) return r.problem;
    const { path, scenarios, index } = r;
    const s = scenarios[index - 1]!;
    this.#reset(s.boot);
    for (const step of s.steps) this.#runner.run(step);
    const failures = this.#runner.failures.splice(0);
    const others = scenarios.map((o, i) => ({ title: o.title, n: i + 1 })).filter((o) =>
      o.n !== index
    );
    return [
      `Loaded '${s.title}' (${s.steps.length} step${s.steps.length === 1 ? "" : "s"}${
        scenarios.length > 1 ? `; scenario ${index} of ${scenarios.length}` : ""
      })`,
      s.teaches ? s.teaches.trim() : "",
      failures.length
        ? failures.map((f) => this.#paint(31, f.message)).join("\n")
        : this.#paint(32, "All expectations hold"),
      ...(others.length
        ? [
          `The file holds ${others.length} more (.load ${path}#n loads one):`,
          ...others.map((o) => `  #${o.n} ${o.title}`),
        ]
        : []),
    ].filter(Boolean).join("\n");
  }

  /** The session's steps as a scenario file's text; `schemaPath` is how the file refers to the schema. */
  scenarioText(title = "Saved REPL session", schemaPath = "schema.json"): string {
    const steps: Record<string, unknown>[] = [];
    const kept = this.#runner.steps.filter((s) => !("hooks" in s));
    for (const [i, s] of kept.entries()) {
      const { step, source: _source, ...fields } = s;
      const keys = Object.keys(fields);
      const def = STEP_DEFINITIONS[step];
      steps.push({
        [step]: keys.length === 0
          ? null
          : def?.shorthand && keys.length === 1 && keys[0] === def.shorthand
          ? fields[def.shorthand]
          : fields,
      });
      // The step that stopped the machine is followed by the bug check it raised, so the file
      // replays as a passing scenario (unless the session expected it itself).
      const b = this.#runner.stoppedBy.get(s);
      if (b && kept[i + 1]?.step !== "expectBugCheck") {
        const hex = (n: number) => Object.assign(new Scalar(n), { format: "HEX" });
        steps.push({ expectBugCheck: { code: hex(b.code), parameter1: hex(b.parameters[0]!) } });
      }
    }
    // End with what the session left behind, so the file is a regression test.
    for (const id of this.#runner.names.devices) {
      const info = this.machine.devnode(this.#runner.instanceOf(id)) ??
        this.machine.devnode(this.#runner.pdo(id));
      steps.push({ expectState: { device: id, state: info?.state ?? "Absent" } });
    }
    const doc: Record<string, unknown> = { title };
    if (this.#boot && Object.keys(this.#boot).length) doc.boot = this.#boot;
    doc.steps = steps;
    return `# yaml-language-server: $schema=${schemaPath}\n` + stringify(doc, { lineWidth: 100 });
  }

  /** Writes the session as a scenario file, and says which inputs it could not record. */
  save(path: string): string {
    if (!path) return "Usage: .save <file.yaml>";
    const text = this.scenarioText("Saved REPL session", relativeSchemaPath(path));
    try {
      Deno.writeTextFileSync(path, text);
    } catch (e) {
      return fileProblem("write", path, e);
    }
    const n = this.#runner.steps.length;
    const saved = `Saved ${n} step${n === 1 ? "" : "s"} to ${path}`;
    if (!this.#leftOut.length) return saved;
    return [
      saved,
      `Left out ${this.#leftOut.length} call${
        this.#leftOut.length === 1 ? "" : "s"
      } that no step can replay:`,
      ...this.#leftOut.map((l) => `  ${l.call}: ${l.reason}\n    in: ${l.input.split("\n")[0]}`),
    ].join("\n");
  }

  #bang(line: string): string {
    const [cmd, ...rest] = line.split(/\s+/);
    const arg = rest.join(" ").replace(/^"|"$/g, "");
    switch (cmd) {
      case "!devnode": {
        // WinDbg's `!devnode 0 1` is the whole tree (0: the root, flag 1: its children).
        if (!arg || /^0(\s+(0x)?[0-9a-f]+)?$/i.test(arg)) {
          return renderDeviceTree(this.machine).trimEnd();
        }
        const flags = /^(.+?)\s+(0x)?[0-9a-f]+$/i.exec(arg);
        const from = !this.machine.device(arg) && flags && this.machine.device(flags[1]!)
          ? flags[1]!
          : arg;
        return renderDeviceTree(this.machine, from).trimEnd();
      }
      case "!devstack": {
        if (!arg) return "Usage: !devstack <instance ID or device name>";
        const device = this.#findDevice(arg);
        if (!device) return this.#noDevice(arg);
        return renderDevStack(this.machine, device).trimEnd();
      }
      case "!drvobj":
        if (!arg) return "Usage: !drvobj <driver>";
        return renderDrvObj(this.machine, arg).trimEnd();
      case "!irp": {
        const one = /^#(\d+)$/.exec(arg);
        if (one) return renderIrp(this.machine, Number(one[1])).trimEnd();
        const n = arg ? Number(arg) : 5;
        if (!Number.isInteger(n) || n < 1) return "Usage: !irp [n | #id] (n >= 1)";
        return renderIrps(this.machine, n).trimEnd();
      }
      case "!analyze":
        return renderAnalyze(this.machine).trimEnd();
      default: {
        const power = this.#powerBang(cmd!, arg);
        if (power !== undefined) return power;
        const hint = didYouMean(cmd!, COMMANDS.filter((c) => c.startsWith("!")));
        return `Unknown extension '${cmd}' (${hint ? `did you mean '${hint}'?` : "try .help"})`;
      }
    }
  }

  // ---- Power steps ----

  /** `.sleep S3`, `.wake [device]`, `.shutdown`: the power steps, recorded for `.save`. */
  #powerMeta(cmd: string, arg: string): Evaluation | undefined {
    const status = () => statuses.ntStatusName(this.#runner.lastStatus);
    switch (cmd) {
      case ".sleep": {
        if (!/^S[1-4]$/.test(arg)) return { output: "Usage: .sleep S1|S2|S3|S4" };
        this.#runner.run({ step: "sleep", state: arg });
        if (this.machine.powerState === arg) return { output: `Asleep in ${arg}` };
        const veto = [...this.machine.trace].reverse().find((e) =>
          e.kind === "info" && e.what === "power veto"
        );
        const d = veto?.kind === "info" ? veto.detail as Record<string, unknown> : {};
        return {
          output: `Sleep vetoed (${status()})${d.driver ? ` by ${String(d.driver)}` : ""}${
            d.instance ? ` for ${String(d.instance)}` : ""
          }; the machine stays in S0`,
        };
      }
      case ".wake": {
        const device = arg ? this.#findDevice(arg) : undefined;
        if (arg && !device) return { output: this.#noDevice(arg) };
        const name = device ? this.#deviceName(device) : undefined;
        if (device && !name) return { output: `'${arg}' has no name a step can use` };
        this.#runner.run({ step: "wake", ...(name ? { by: name } : {}) });
        return {
          output: `${this.machine.powerState === "S0" ? "Awake" : "Still asleep"} (${status()})`,
        };
      }
      case ".shutdown":
        this.#runner.run({ step: "shutdown" });
        return { output: `Shut down (${status()}): .reboot starts it again` };
    }
    return undefined;
  }

  /** `!podev <device>` and `!poaction`, in WinDbg's spirit. */
  #powerBang(cmd: string, arg: string): string | undefined {
    switch (cmd) {
      case "!podev": {
        if (!arg) return "Usage: !podev <instance ID or device name>";
        const device = this.#findDevice(arg);
        if (!device) return this.#noDevice(arg);
        const info = this.machine.podev(device);
        if (!info) return this.#noDevice(arg);
        const rows = [
          `Device power for ${info.instanceId || String(device)} (system ${info.systemState})`,
          "  !DevObj                 !DrvObj                    Role    CurrentDevicePowerState",
          ...info.stack.map((d) =>
            `  ${d.device.padEnd(24)}${d.driver.padEnd(27)}${d.role.padEnd(8)}${d.powerState}` +
            (d.flags.length ? `  ${d.flags.join(" | ")}` : "")
          ),
          info.pending.length ? "  Pending power IRPs:" : "  No power IRP pending",
          ...info.pending.map((p) =>
            `    IRP#${p.irp} ${p.minor}(${p.powerState}) held by ${p.heldBy}`
          ),
        ];
        return rows.join("\n");
      }
      case "!poaction": {
        const a = this.machine.powerAction;
        if (!a) return `No power action yet (system ${this.machine.powerState})`;
        return [
          `${
            a.inProgress ? "Power action in progress" : "Last power action"
          }: ${a.action} to ${a.target}`,
          `  Phase: ${a.phase}  Stacks queried: ${a.queried}${
            a.instance ? `  Current/last stack: ${a.instance}` : ""
          }`,
          ...(a.status ? [`  Result: ${a.status}`] : []),
          `  System power state: ${this.machine.powerState}`,
        ].join("\n");
      }
    }
    return undefined;
  }
  // ---- end of Power steps ----

  /** `reg query <path> [/s] [/v name | /ve]` as reg.exe prints it (Wine's reg query tests). */
  #regQuery(line: string): string {
    const m = /^reg\s+query\s+(?:"([^"]+)"|(\S+))((?:\s+(?:\/s|\/ve|\/v\s+(?:"[^"]*"|\S+)))*)\s*$/i
      .exec(line);
    if (!m) return "Usage: reg query <path> [/s] [/v name | /ve]";
    const path = m[1] ?? m[2]!;
    let recursive = false;
    let name: string | undefined;
    const tokens = m[3]!.match(/"[^"]*"|\S+/g) ?? [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!.toLowerCase();
      // reg.exe refuses a switch given twice, and /v with /ve.
      if (t === "/s" && !recursive) recursive = true;
      else if (t === "/ve" && name === undefined) name = "";
      else if (t === "/v" && name === undefined && tokens[i + 1]) {
        name = tokens[++i]!.replace(/^"|"$/g, "");
      } else return "Usage: reg query <path> [/s] [/v name | /ve]";
    }
    if (name === undefined) return this.machine.registry.query(path, { recursive }).trimEnd();
    const key = this.machine._sys.hive.find(path);
    const lines = key ? regQueryValue(key, longRootPath(path), name, recursive) : [];
    if (!lines.length) {
      return "ERROR: The system was unable to find the specified registry key or value.";
    }
    const matches = lines.filter((l) => l.startsWith("    ")).length;
    return ["", ...lines, ...(recursive ? [`End of search: ${matches} match(es) found.`] : [])]
      .join("\n").trimEnd();
  }

  async #compile(code: string): Promise<string> {
    if (!this.#transform) {
      const { transform } = await import("sucrase");
      this.#transform = (c: string) => transform(c, { transforms: ["typescript"] }).code;
    }
    return this.#transform(code);
  }

  async #code(input: string, stopped: BugCheck | null): Promise<Evaluation> {
    let js: string;
    try {
      js = await this.#compile(input);
    } catch (e) {
      // Unfinished only when the parser ran off the end, or a template or comment is still open
      // (an error on the last character, as in `1 +)`, is a real syntax error).
      const pos = (e as { pos?: number }).pos;
      const message = (e as Error).message;
      if (
        (pos !== undefined && pos >= input.trimEnd().length) ||
        /^Unterminated (template|comment)/.test(message)
      ) {
        return { output: "", incomplete: true };
      }
      throw new SyntaxError(message);
    }
    // The IRQL routines return IRQLs and the event routines an event's state, not NTSTATUS values.
    const statusContext =
      /\b((k|kernel)\.(?!Ke(GetCurrentIrql|RaiseIrql|LowerIrql|SetEvent|ResetEvent|ReadStateEvent)\b)\w+|requestRemoval|eject|rebalance|changeHardwareProfile|closeHandle|machine\.(disable|enable))\s*\(/
        .test(input);
    this.#input = input;
    const steps = this.#runner.steps.length;
    const refused = this.#runner.refused;
    let value: unknown;
    if (/\bawait\b/.test(js)) {
      // Top-level await: declarations become globals so they outlive the wrapper.
      // A destructuring one (`const { a } = await f()`) becomes `({ a } = await f());`.
      const body = js.replace(/^(\s*)(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/gm, "$1$2 =")
        .replace(
          /^(\s*)(?:const|let|var)\s+(\{[^}=]*\}|\[[^\]=]*\])\s*=(?!=)([^;\n]*);?[ \t]*$/gm,
          "$1($2 =$3);",
        );
      let wrapped: string;
      try {
        new Function(`return (async () => (${body.trim().replace(/;$/, "")}));`);
        wrapped = `(async () => (${body.trim().replace(/;$/, "")}))()`;
      } catch {
        wrapped = `(async () => { ${body} })()`;
      }
      value = await vm.runInContext(wrapped, this.#context, { timeout: this.#timeout });
    } else {
      let script: vm.Script;
      try {
        script = new vm.Script(js);
      } catch (e) {
        // What sucrase accepts but V8 does not finish (`if (x) {} else`): read another line.
        if ((e as Error).message === "Unexpected end of input") {
          return { output: "", incomplete: true };
        }
        throw e;
      }
      value = script.runInContext(this.#context, { timeout: this.#timeout });
      // Promises made at the prompt come from the context's realm: `instanceof Promise` misses them,
      // and a rejected one left alone would end the process as an unhandled rejection.
      if (isThenable(value)) value = await value;
    }
    // The blue screen once, when this input stopped the machine; a verb it refused, one line.
    const b = this.machine.bugCheck;
    if (b && b !== stopped) return { output: this.#blueScreen(b) };
    if (b && this.#runner.refused > refused) return { output: this.#stoppedLine(b) };
    const failures = this.#runner.failures.splice(0);
    // A builder's verbs return the builder, for chaining; one that did what a status-returning
    // machine verb does (t.requestRemoval()) prints that status as the machine verb would.
    const last = this.#runner.steps.length > steps ? this.#runner.steps.at(-1) : undefined;
    const shown = value instanceof Object &&
        (value.constructor?.name?.endsWith("Builder") || value === this.#ctx)
      ? last && STATUS_STEPS.includes(last.step) ? this.show(this.#runner.lastStatus, true) : ""
      : this.show(value, statusContext);
    return {
      output: [shown, ...failures.map((f) => this.#paint(31, f.message))].filter(Boolean).join(
        "\n",
      ),
    };
  }

  /** Tab completion: candidates for the word at the end of the line, and that word. */
  complete(line: string): [string[], string] {
    if (/^reg\s+query\s+/i.test(line)) {
      const word = line.replace(/^reg\s+query\s+"?/i, "");
      return [this.#registryCompletions(word), word];
    }
    if (/^[!.]\S*$/.test(line)) {
      return [[...COMMANDS, ...META].filter((c) => c.startsWith(line)), line];
    }
    if (/^!(devstack|devnode)\s+/.test(line)) {
      const word = line.replace(/^!\w+\s+"?/, "");
      // !devstack takes a device object's name too (\Device\00000003, #8).
      const objects = line.startsWith("!devstack") && /^[\\#]/.test(word)
        ? this.machine._sys.pnp.all().flatMap((n) => {
          const names: string[] = [];
          for (let d: DeviceObject | null = n.top; d; d = d.lower) {
            names.push(d.name ?? `#${d.serial}`);
          }
          return names;
        })
        : this.machine.devices();
      return [objects.filter((d) => d.toUpperCase().startsWith(word.toUpperCase())), word];
    }
    if (/^!drvobj\s+/.test(line)) {
      const word = line.replace(/^!drvobj\s+/, "");
      const sys = this.machine._sys;
      const drivers = new Set([sys.pnp.pnpDriver, ...sys.io.drivers.values()]);
      for (const n of sys.pnp.all()) {
        for (let d: DeviceObject | null = n.top; d; d = d.lower) drivers.add(d.DriverObject);
      }
      const names = [...drivers].map((d) => word.startsWith("\\") ? d.DriverName : d.name);
      return [
        [...new Set(names)].filter((n) => n.startsWith(word)).sort(),
        word,
      ];
    }
    const quotes = (line.match(/"/g) ?? []).length;
    if (quotes % 2 === 1) {
      const word = line.slice(line.lastIndexOf('"') + 1);
      const unescaped = word.replace(/\\\\/g, "\\");
      const pool = [
        ...this.machine.devices(),
        ...[...this.machine._sys.interfaces.byLink.values()].map((i) => i.symbolicLinkName),
        ...(/^(HKLM|\\Registry)/i.test(unescaped) ? this.#registryCompletions(unescaped) : []),
      ];
      return [
        pool.filter((p) => p.toUpperCase().startsWith(unescaped.toUpperCase())).map((p) =>
          p.replace(/\\/g, "\\\\")
        ),
        word,
      ];
    }
    const k = /\bk\.(\w*)$/.exec(line);
    if (k) {
      return [KERNEL_ROUTINES.filter((r) => r.startsWith(k[1]!)).map((r) => `k.${r}`), `k.${k[1]}`];
    }
    const word = /[A-Za-z_$][\w$]*$/.exec(line)?.[0] ?? "";
    if (!word) return [[], ""];
    const pool = [...DSL_VERBS, ...CONSTANT_NAMES, ...Object.keys(WELL_KNOWN_GUIDS)];
    return [pool.filter((p) => p.startsWith(word)).sort(), word];
  }

  #registryCompletions(word: string): string[] {
    const cut = word.lastIndexOf("\\");
    const parent = cut < 0 ? "" : word.slice(0, cut);
    const prefix = word.slice(cut + 1).toUpperCase();
    if (!parent) {
      return ["HKLM\\", "HKEY_LOCAL_MACHINE\\"].filter((r) => r.startsWith(word.toUpperCase()));
    }
    return this.machine.registry.subkeys(parent).filter((s) => s.toUpperCase().startsWith(prefix))
      .map((s) => `${parent}\\${s}`);
  }
}

/**
 * `reg query <key> /v <name>` (with `/s`: in the key and every key below it): each key holding the
 * value, its path, the value line and a blank line, as Wine's reg query tests expect on Windows.
 */
function regQueryValue(key: KeyNode, shown: string, name: string, recursive: boolean): string[] {
  const lines: string[] = [];
  const visit = (k: KeyNode, path: string) => {
    const v = k.value(name);
    if (v) {
      lines.push(
        path,
        `    ${v.name === "" ? "(Default)" : v.name}    ${regTypeName(v.type)}    ${
          regQueryData(v)
        }`,
        "",
      );
    } else if (name === "") {
      // Every key has a default value; reg.exe shows an unset one as such.
      lines.push(path, "    (Default)    REG_SZ    (value not set)", "");
    }
    if (!recursive) return;
    for (const child of k.sortedChildren()) {
      if (child.link === null) visit(child, `${path}\\${child.name}`);
    }
  };
  visit(key, shown);
  return lines;
}

/** Whether a thrown value (maybe from the prompt's realm) is an error of one of these names. */
function isError(e: unknown, names: string[]): boolean {
  return typeof e === "object" && e !== null && names.includes(String((e as Error).name));
}

/** What was thrown, as one line: errors from the prompt's realm are not `instanceof Error` here. */
function describeThrown(e: unknown): string {
  try {
    if (e instanceof Error) return `${e.name}: ${e.message}`;
    if (typeof e === "object" && e !== null && "name" in e && "message" in e) {
      return `${String(e.name)}: ${String(e.message)}`;
    }
    return `Uncaught ${typeof e === "string" ? JSON.stringify(e) : String(e)}`;
  } catch {
    // Its toString or message getter threw too.
    return "Uncaught exception (it cannot be printed)";
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}

/** The path from a file's folder to scenarios/schema.json, for the yaml-language-server comment. */
function relativeSchemaPath(file: string): string {
  const schema = new URL("../scenarios/schema.json", import.meta.url).pathname.split("/").filter(
    Boolean,
  );
  const cwd = Deno.cwd().split("/").filter(Boolean);
  const target = (file.startsWith("/") ? file : [...cwd, file].join("/")).split("/").filter(Boolean)
    .slice(0, -1);
  let i = 0;
  while (i < target.length && i < schema.length && target[i] === schema[i]) i++;
  return [...target.slice(i).map(() => ".."), ...schema.slice(i)].join("/") || "schema.json";
}
