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
import { Scalar, stringify } from "npm:yaml@2.9.1";
import { BugCheck } from "../lib/bugcheck.ts";
import * as constants from "../lib/constants.ts";
import { DeviceObject, KEVENT } from "../lib/io/objects.ts";
import { sampleDrivers } from "../lib/examples/example_machine.ts";
import type { Machine } from "../lib/machine.ts";
import * as statuses from "../lib/ntstatus.ts";
import { Handle } from "../lib/ob/handles.ts";
import type { TraceEvent } from "../lib/trace/trace.ts";
import { dirname, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { COMMAND_TABLE } from "./commands/meta.ts";
import type { CommandHost } from "./commands/table.ts";
import { breakpointText, Debugger, kernelRoutineNames } from "./debug.ts";
import {
  driverExport,
  importModule,
  importProblem,
  type LoadedModule,
  modulePath,
  resolveDriverModules,
} from "./modules.ts";
import { DeviceBuilder, ScenarioContext } from "./fluent.ts";
import { WELL_KNOWN_GUIDS } from "./guids.ts";
import { bootFor, Runner, runScenarioWithMachine } from "./runner.ts";
import {
  didYouMean,
  isExpectation,
  KERNEL_ROUTINES,
  type LeftOut,
  type MachineVerb,
  runsWhileStopped,
  type ScenarioData,
  type Step,
  STEP_DEFINITIONS,
  type Translation,
} from "./steps.ts";
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

const CONSTANT_NAMES = [
  ...Object.keys(constants),
  ...Object.keys(statuses).filter((n) => n.startsWith("STATUS_")),
];
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

/** A translation that is no step: why `.save` leaves the call out. */
function isLeftOut(t: Translation): t is LeftOut {
  return t !== null && typeof (t as { leftOut?: unknown }).leftOut === "string" && !("step" in t);
}

/**
 * Machine and registry methods that change the machine but that no step records: a call runs as
 * typed, and `.save` says why it left it out.
 */
const NO_STEP: Readonly<Record<string, string>> = {
  registerCommand: "a command handler is a function (command(program, succeeds) records one)",
  runOnce: "RunOnce has no step of its own (a reboot runs it)",
  app: "its application has no name for later steps (use app(name))",
  openDevice: "its handle has no name for later steps (use app(...) and open)",
  closeHandle: "a handle from machine.openDevice has no name in the scenario",
  deviceIoControl: "a handle from machine.openDevice has no name in the scenario",
  "registry.deleteValue": "no step deletes a single value",
  "registry.createKey": "no step creates an empty key",
};

/**
 * The methods of the machine (and of `machine.registry`, as `registry.<name>`) that change it, each
 * with the step a call of it is recorded as: the step table's machine verbs, and the methods no
 * step records. Every other method only reads the machine.
 */
const MACHINE_VERBS: ReadonlyMap<string, MachineVerb> = new Map([
  ...Object.values(STEP_DEFINITIONS).flatMap((d) =>
    d.machineVerb ? [[d.machineVerb.method, d.machineVerb] as const] : []
  ),
  ...Object.entries(NO_STEP).map(([method, leftOut]) =>
    [method, { method, translate: () => ({ leftOut }) }] as const
  ),
]);

/** The device steps whose machine verb returns an NTSTATUS: a builder verb running one prints it. */
const STATUS_STEPS = Object.entries(STEP_DEFINITIONS).filter(([, d]) =>
  d.machineVerb?.returns === "status" && "device" in d.fields
).map(([name]) => name);

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
  /** The machine, its kernel and its registry as the prompt sees them (their verbs recorded). */
  #api!: { machine: Machine; kernel: Machine["kernel"]; registry: Machine["registry"] };
  #transform: ((code: string) => string) | null = null;
  #results = new Map<Handle, string>();
  #resultCount = 0;
  /** Calls that ran but have no step form: the input each was in, and why. */
  #leftOut: { input: string; call: string; reason: string }[] = [];
  /** The input being evaluated, for `#leftOut`. */
  #input = "";
  /** What `.load` ran last, so `.save` keeps its boot options. */
  #boot: ScenarioData["boot"];
  /** The debugger over the recorded steps, made on first use; null also when it left a stop. */
  #debugger: Debugger | null = null;
  /** Each driver module imported (absolute path): its latest import, so `import()` gets the same code. */
  #modules = new Map<string, LoadedModule>();
  /** Rejects the evaluation under way (Ctrl-C). */
  #interrupt: ((reason: unknown) => void) | null = null;

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
    this.#makeApi();
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

  /** The event the debugger stopped at (the inspection commands show the machine then), or null. */
  get stoppedAt(): number | null {
    return this.#debugger?.current?.stop?.event.seq ?? null;
  }

  /** The prompt: `kd> `, or `kd at #N> ` while the commands look at the machine at event N. */
  get prompt(): string {
    const at = this.stoppedAt;
    return at === null ? "kd> " : `kd at #${at}> `;
  }

  /** The machine the inspection commands show: the replayed one at a debugger stop. */
  get #view(): Machine {
    const current = this.#debugger?.current;
    return current?.stop ? current.machine : this.machine;
  }

  /** The debugger over the session's recorded steps: each replay boots afresh and runs them. */
  get #dbg(): Debugger {
    if (!this.#debugger) {
      this.#debugger = new Debugger((attach) => {
        const machine = bootFor(this.#boot);
        attach(machine);
        const runner = new Runner(machine);
        for (const step of this.#runner.steps) runner.run(step);
      }, kernelRoutineNames());
    }
    return this.#debugger;
  }

  /** Leaves a debugger stop, keeping the breakpoints: the commands look at the session's end again. */
  #leaveStop(): void {
    if (!this.#debugger) return;
    const kept = this.#debugger.breakpoints.map(breakpointText);
    this.#debugger = null;
    if (kept.length) { for (const text of kept) this.#dbg.bp(text); }
  }

  /**
   * Replays the recorded steps on a fresh machine and says whether the trace is the session's byte
   * for byte (it is unless a call ran that no step records: `.save` lists those).
   */
  replayMatches(): boolean {
    const replayed = new Debugger((attach) => {
      const machine = bootFor(this.#boot);
      attach(machine);
      const runner = new Runner(machine);
      for (const step of this.#runner.steps) runner.run(step);
    }, []).goto(Number.MAX_SAFE_INTEGER);
    return JSON.stringify(replayed.machine.trace) === JSON.stringify(this.machine.trace);
  }

  /** What the command table's rows see of the session. */
  #host(): CommandHost {
    // deno-lint-ignore no-this-alias
    const session = this;
    return {
      get machine() {
        return session.#view;
      },
      get live() {
        return session.machine;
      },
      get runner() {
        return session.#runner;
      },
      get debugger() {
        return session.#dbg;
      },
      get stoppedAt() {
        return session.stoppedAt;
      },
      leaveStop: () => this.#leaveStop(),
      findDevice: (name) => this.#findDevice(name, this.#view),
      noDevice: (name) => this.#noDevice(name),
      machineVerb: (method, args) => {
        const [target, name] = method.startsWith("registry.")
          ? [this.#api.registry, method.slice("registry.".length)]
          : [this.#api.machine, method];
        return (target as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
      },
      kernelCall: (routine, args) =>
        (this.#api.kernel as unknown as Record<string, (...a: unknown[]) => unknown>)[routine]!(
          ...args,
        ),
      paint: (code, text) => this.#paint(code, text),
      session: {
        load: (spec) => this.loadWithModules(spec),
        save: (path) => this.save(path),
        reset: () => {
          this.#reset(this.#boot);
          return `Machine reset (${this.#boot?.example ? "example machine" : "empty machine"})`;
        },
        reboot: (safe) => this.#reboot(safe),
        loadModule: (path, name) => this.loadModule(path, name),
        reload: () => this.reload(),
        moduleExports: (path) => this.#moduleExports(path),
        scenarioTrace: (spec) => this.#scenarioTrace(spec),
        color: this.#options.color ?? false,
      },
    };
  }

  /** The machine, kernel and registry the prompt sees: each call of a verb is recorded as its step. */
  #makeApi(): void {
    const kernel = this.#recording(
      this.machine.kernel,
      (routine, args, direct) =>
        KERNEL_ROUTINES.includes(routine)
          ? () => this.#kernelCall(routine, args, direct)
          : undefined,
    );
    const registry = this.#recording(this.machine.registry, (name, args, direct) => {
      if (name === "importReg") return () => this.#importReg(args, direct);
      const verb = MACHINE_VERBS.get(`registry.${name}`);
      return verb ? () => this.#machineCall(verb, args, direct) : undefined;
    });
    const machine = this.#recording(this.machine, (name, args, direct) => {
      const verb = MACHINE_VERBS.get(name);
      return verb ? () => this.#machineCall(verb, args, direct) : undefined;
    }, { kernel, registry });
    this.#api = { machine, kernel, registry };
  }

  /**
   * The prompt's globals. The DSL verbs, the machine and the kernel are read through getters, so a
   * `.reload` (a new machine replaying the steps) keeps the variables typed so far.
   */
  #makeContext(): vm.Context {
    const globals: Record<string, unknown> = {
      ...constants,
      ...statuses,
      ...WELL_KNOWN_GUIDS,
      sampleDrivers,
      // A driver written at the prompt allocates its events itself, as in C (KeInitializeEvent).
      KEVENT,
      pdo: (nameOrInstance: string) => this.#pdo(nameOrInstance),
      console,
      // Timers, so that code at the prompt can wait (and Ctrl-C abandon the wait).
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      queueMicrotask,
    };
    const live: Record<string, () => unknown> = {
      device: () => this.#ctx.device,
      child: () => this.#ctx.child,
      driver: () => this.#ctx.driver,
      sampleDriver: () => this.#ctx.sampleDriver,
      listen: () => this.#ctx.listen,
      app: () => this.#ctx.app,
      registry: () => this.#ctx.registry,
      importReg: () => this.#ctx.importReg,
      profile: () => this.#ctx.profile,
      reboot: () => this.#ctx.reboot,
      settle: () => this.#ctx.settle,
      command: () => this.#ctx.command,
      expectStatus: () => this.#ctx.expectStatus,
      expectBugCheck: () => this.#ctx.expectBugCheck,
      expectInterfaces: () => this.#ctx.expectInterfaces,
      expectFinding: () => this.#ctx.expectFinding,
      k: () => this.#api.kernel,
      machine: () => this.#api.machine,
      trace: () => this.machine.trace,
    };
    for (const [name, get] of Object.entries(live)) {
      Object.defineProperty(globals, name, { get, enumerable: true, configurable: true });
    }
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
  #findDevice(name: string, m: Machine = this.machine): DeviceObject | undefined {
    if (this.#runner.names.devices.includes(name)) {
      // At a debugger stop the device is looked up on the replayed machine, by its instance ID.
      if (m !== this.machine) return m.device(this.#runner.instanceOf(name))?.top;
      return this.#runner.pdo(name).top;
    }
    return m.device(name)?.top ?? m.deviceObject(name);
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
    const node = this.machine.devnode(arg);
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
  #machineCall(verb: MachineVerb, args: unknown[], direct: () => unknown): unknown {
    const t = verb.translate(args, {
      device: (a) => this.#deviceName(a),
      machine: this.machine,
      nextId: (prefix) => this.#runner.nextId(prefix),
    });
    if (t === null) return direct();
    if (isLeftOut(t)) {
      this.#leave(`machine.${verb.method}`, t.leftOut);
      return direct();
    }
    this.#runStep(t as Step);
    if (verb.returns === "status") return this.#runner.lastStatus;
    if (verb.returns === "device") return this.#runner.pdo(String(t.id));
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

  /** Awaits a promise made at the prompt, unless Ctrl-C (`interrupt`) abandons it first. */
  async #interruptible(value: unknown): Promise<unknown> {
    try {
      return await Promise.race([
        value,
        new Promise((_, reject) => {
          this.#interrupt = reject;
        }),
      ]);
    } finally {
      this.#interrupt = null;
    }
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
      // An NTSTATUS by name; any other `status` (a devnode's DN_* flags) as hex alone.
      const named = statuses.NTSTATUS_TABLE.some((t) => t.value === s >>> 0);
      const copy = {
        ...(value as object),
        status: named ? `${this.#hex(s)} ${statuses.ntStatusName(s)}` : this.#hex(s),
      };
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
    const found = COMMAND_TABLE.find(line);
    this.#input = line;
    try {
      if (found) {
        const at = found.command.changes ? this.stoppedAt : null;
        if (at !== null) this.#leaveStop();
        const r = await found.command.run(this.#host(), found.arg);
        const out = typeof r === "string" ? { output: r } : r;
        return at === null ? out : {
          ...out,
          output:
            `(left the stop at #${at}: ${found.command.name} changes the session's machine)\n${out.output}`,
        };
      }
      const unknown = COMMAND_TABLE.unknown(line);
      if (unknown) return { output: unknown };
    } catch (e) {
      if (e instanceof BugCheck) {
        return { output: e === stopped ? this.#stoppedLine(e) : this.#blueScreen(e) };
      }
      return { output: this.#paint(31, describeThrown(e)) };
    }
    // TypeScript runs on the session's machine, at its end: a debugger stop is left.
    const at = this.stoppedAt;
    if (at !== null) this.#leaveStop();
    const left = at === null
      ? ""
      : `(left the stop at #${at}: code runs on the session's machine)\n`;
    const steps = this.#runner.steps.length;
    const events = this.machine.trace.length;
    const leftOut = this.#leftOut.length;
    try {
      const r = await this.#code(input, stopped);
      return left ? { ...r, output: left + r.output } : r;
    } catch (e) {
      if (e instanceof BugCheck) {
        return { output: e === stopped ? this.#stoppedLine(e) : this.#blueScreen(e) };
      }
      // An input that throws changes nothing: what it did before the throw (a fluent chain's
      // first verbs) is undone by replaying the steps recorded before it.
      const undone = this.#undo(steps, events, leftOut);
      const message = e instanceof InputFailed ? e.message : describeThrown(e);
      return { output: left + this.#paint(31, message) + undone };
    }
  }

  /**
   * Undoes what a throwing input did: its recorded steps are dropped and the machine is replayed
   * to where it was (the session is a list of steps, so going back is replaying). Says so, or
   * nothing when the input changed nothing.
   */
  #undo(steps: number, events: number, leftOut: number): string {
    if (this.#runner.steps.length === steps && this.machine.trace.length === events) return "";
    if (this.machine.bugCheck) return "";
    const kept = this.#runner.steps.slice(0, steps);
    const saved = this.#leftOut.slice(0, leftOut);
    this.#replay(kept);
    this.#leftOut = saved;
    return `\n(nothing recorded: the machine was replayed to where it was before this input)`;
  }

  /** Replays steps on a fresh machine as the session booted, keeping the prompt's variables. */
  #replay(steps: readonly Step[]): void {
    this.#reset(this.#boot, true);
    for (const step of steps) this.#runner.run(step);
    this.#runner.failures.splice(0);
  }

  /** `.reboot [safe]`: recorded as a reboot step. */
  #reboot(safe: boolean): string {
    this.#runner.run({ step: "reboot", ...(safe ? { safeMode: true } : {}) });
    if (this.machine.bugCheck) {
      return `The machine stopped again while booting:\n${this.#blueScreen(this.machine.bugCheck)}`;
    }
    return `Rebooted${safe ? " in safe mode" : ""}`;
  }

  /** Stops the evaluation under way (Ctrl-C): an awaited promise is abandoned. */
  interrupt(): boolean {
    if (!this.#interrupt) return false;
    this.#interrupt(new Error("Interrupted (Ctrl-C)"));
    this.#interrupt = null;
    return true;
  }

  /** What a call on a stopped machine prints instead of the whole blue screen again. */
  #stoppedLine(b: BugCheck): string {
    return `The machine is stopped (${
      this.#hex(b.code)
    } ${b.name}): .reboot, .reboot safe or .reset${
      b.device ? "; a reboot stops again until machine.unplug(machine.bugCheck.device)" : ""
    }`;
  }

  /** A fresh machine; `keepContext` keeps the prompt's variables (a replay, `.reload`). */
  #reset(boot: ScenarioData["boot"], keepContext = false): void {
    this.#boot = boot;
    this.#runner = new SessionRunner(bootFor(boot));
    this.#ctx = new ScenarioContext(this.#runner);
    this.#makeApi();
    // The breakpoints stay; a stop on the old machine does not.
    this.#leaveStop();
    if (!keepContext) this.#context = this.#makeContext();
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
    return this.#load(r);
  }

  /**
   * `.load` with driver modules: a `driverModule` step's module is imported (relative to the file)
   * first, which runs its code; a missing module or export loads nothing.
   */
  async loadWithModules(spec: string): Promise<string> {
    if (!spec) return "Usage: .load <scenario.yaml>[#n]";
    const r = readScenarios(spec);
    if ("problem" in r) return r.problem;
    const missing = await resolveDriverModules(r.scenarios[r.index - 1]!, r.path);
    if (missing.length) {
      return missing.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message}`).join("\n");
    }
    for (const step of r.scenarios[r.index - 1]!.steps) {
      if (step.step === "driverModule") {
        const abs = modulePath(step.path, dirname(resolve(r.path)));
        step.path = abs;
      }
    }
    return this.#load(r);
  }

  #load(r: { path: string; scenarios: ScenarioData[]; index: number }): string {
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
  scenarioText(
    title = "Saved REPL session",
    schemaPath = "schema.json",
    file = "session.yaml",
  ): string {
    const steps: Record<string, unknown>[] = [];
    const kept = this.#savedSteps();
    const folder = dirname(resolve(file));
    for (const [i, s] of kept.entries()) {
      const { step, source: _source, ...all } = s;
      const fields: Record<string, unknown> = { ...all };
      if (step === "driverModule") {
        // The module's code is the file's: the step names it, relative to the saved file.
        delete fields.spec;
        const rel = relative(folder, String(fields.path)).replaceAll("\\", "/");
        fields.path = rel.startsWith(".") ? rel : `./${rel}`;
      }
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

  /** The recorded steps a scenario file can hold: a driver whose routines are code cannot be one. */
  #savedSteps(): Step[] {
    return this.#runner.steps.filter((s) => !("hooks" in s && s.hooks));
  }

  /**
   * Every call `.save` cannot write, with why: the calls that ran without a step, and each driver
   * loaded with code routines at the prompt (its routines are functions, which YAML cannot hold).
   */
  leftOut(): { call: string; reason: string; input: string }[] {
    const drivers = this.#runner.steps.flatMap((s) => {
      if (s.step !== "driver" || !("hooks" in s) || !s.hooks) return [];
      const routines = Object.keys(s.hooks).join(", ");
      return [{
        call: `driver({ name: "${s.name}", ... })`,
        reason:
          `its routines (${routines}) are code, which no step holds: put the driver in a module and load it with .driver ./file.ts (saved as driverModule); what its devices did will not replay the same`,
        input: "",
      }];
    });
    return [...drivers, ...this.#leftOut];
  }

  /** Writes the session as a scenario file, and says which inputs it could not record. */
  save(path: string): string {
    if (!path) return "Usage: .save <file.yaml>";
    const text = this.scenarioText("Saved REPL session", relativeSchemaPath(path), path);
    try {
      Deno.writeTextFileSync(path, text);
    } catch (e) {
      return fileProblem("write", path, e);
    }
    const n = this.#savedSteps().length;
    const saved = `Saved ${n} step${n === 1 ? "" : "s"} to ${path}`;
    const left = this.leftOut();
    if (!left.length) return saved;
    return [
      saved,
      `Left out ${left.length} call${left.length === 1 ? "" : "s"} that no step can replay:`,
      ...left.map((l) =>
        `  ${l.call}: ${l.reason}${l.input ? `\n    in: ${l.input.split("\n")[0]}` : ""}`
      ),
    ].join("\n");
  }

  /**
   * `.driver <path> [export]`: imports a TypeScript module (relative to the folder the REPL started
   * in), runs a `driverModule` step with the driver spec it exports, and puts its exports in scope.
   */
  async loadModule(path: string, name: string | undefined): Promise<string> {
    const abs = modulePath(path, Deno.cwd());
    let mod: LoadedModule;
    try {
      mod = await importModule(abs, true);
    } catch (e) {
      return this.#paint(31, importProblem(path, e));
    }
    this.#modules.set(abs, mod);
    const found = driverExport(mod, name, path);
    if (typeof found === "string") return this.#paint(31, found);
    if (
      this.machine.drivers().some((d) => d.name.toUpperCase() === found.spec.name.toUpperCase())
    ) {
      return `Driver '${found.spec.name}' is already loaded: after an edit, .reload replays the session on the module's new code`;
    }
    this.#exposeExports(mod);
    this.#input = `.driver ${path}${name ? ` ${name}` : ""}`;
    const step = {
      step: "driverModule" as const,
      path: abs,
      ...(found.name === "default" ? {} : { export: found.name }),
      spec: found.spec,
    };
    try {
      this.#runStep(step);
    } catch (e) {
      if (e instanceof BugCheck) return this.#blueScreen(e);
      return this.#paint(31, describeThrown(e));
    }
    const devices = this.machine.devices().filter((i) =>
      this.machine.devnode(i)?.service?.toUpperCase() === found.spec.name.toUpperCase()
    );
    return `Loaded driver '${found.spec.name}' from ${path}${
      found.name === "default" ? "" : ` (export ${found.name})`
    }; exports in scope: ${mod.names.join(", ")}${
      devices.length ? `\nIt drives ${devices.join(", ")}` : ""
    }`;
  }

  /** A module's exports as globals of the prompt, except names the prompt already has for itself. */
  #exposeExports(mod: LoadedModule): void {
    const own = new Set([...DSL_VERBS, ...CONSTANT_NAMES, ...Object.keys(WELL_KNOWN_GUIDS)]);
    for (const n of mod.names) {
      if (n === "default" || own.has(n)) continue;
      (this.#context as Record<string, unknown>)[n] = mod.namespace[n];
    }
  }

  /**
   * `.reload`: imports every driver module again (its file as it is now) and replays the session's
   * steps on a fresh machine with the new code; the prompt's variables stay.
   */
  async reload(): Promise<string> {
    const paths = [
      ...new Set(
        this.#runner.steps.filter((s) => s.step === "driverModule").map((s) => String(s.path)),
      ),
    ];
    if (!paths.length) return "No driver module loaded (.driver <./path.ts> [export] loads one)";
    const fresh = new Map<string, LoadedModule>();
    for (const abs of paths) {
      try {
        fresh.set(abs, await importModule(abs, true));
      } catch (e) {
        return this.#paint(31, `${importProblem(abs, e)} (nothing reloaded)`);
      }
    }
    const steps: Step[] = [];
    for (const s of this.#runner.steps) {
      if (s.step !== "driverModule") {
        steps.push(s);
        continue;
      }
      const found = driverExport(fresh.get(String(s.path))!, s.export, String(s.path));
      if (typeof found === "string") return this.#paint(31, `${found} (nothing reloaded)`);
      steps.push({ ...s, spec: found.spec });
    }
    for (const [abs, mod] of fresh) {
      this.#modules.set(abs, mod);
      this.#exposeExports(mod);
    }
    const leftOut = this.#leftOut;
    this.#reset(this.#boot, true);
    this.#leftOut = leftOut;
    for (const step of steps) this.#runner.run(step);
    const failures = this.#runner.failures.splice(0);
    const shown = paths.map((p) => relative(Deno.cwd(), p) || p).join(", ");
    return [
      `Reloaded ${shown}; replayed ${steps.length} step${
        steps.length === 1 ? "" : "s"
      } on a fresh machine`,
      ...failures.map((f) => this.#paint(31, f.message)),
      ...(this.machine.bugCheck ? [this.#blueScreen(this.machine.bugCheck)] : []),
    ].join("\n");
  }

  /** A module file's export names: from its import when loaded, else read from its text. */
  #moduleExports(path: string): string[] {
    const abs = modulePath(path, Deno.cwd());
    const loaded = this.#modules.get(abs);
    if (loaded) return loaded.names.filter((n) => n !== "default");
    try {
      const text = Deno.readTextFileSync(abs);
      return [
        ...text.matchAll(
          /\bexport\s+(?:const|let|var|function\*?|class|async\s+function)\s+([A-Za-z_$][\w$]*)/g,
        ),
      ].map((m) => m[1]!);
    } catch {
      return [];
    }
  }

  /** A scenario file's run for `.diff`, its driver modules imported. */
  async #scenarioTrace(
    spec: string,
  ): Promise<{ trace: readonly TraceEvent[] } | { problem: string }> {
    const r = readScenarios(spec);
    if ("problem" in r) return r;
    const data = r.scenarios[r.index - 1]!;
    const missing = await resolveDriverModules(data, r.path);
    if (missing.length) {
      return {
        problem: missing.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message}`).join("\n"),
      };
    }
    return { trace: runScenarioWithMachine(data).result.trace };
  }

  /** What `import()` at the prompt loads: a path relative to the REPL's folder, a module's latest import. */
  #importer = (specifier: string): Promise<unknown> => {
    if (/^\.{1,2}\/|^\//.test(specifier)) {
      const abs = modulePath(specifier, Deno.cwd());
      const mod = this.#modules.get(abs);
      if (mod) return Promise.resolve(mod.namespace);
      return import(pathToFileURL(abs).href);
    }
    return import(specifier);
  };

  async #compile(code: string): Promise<string> {
    if (!this.#transform) {
      const { transform } = await import("npm:sucrase@3.35.1");
      this.#transform = (c: string) => transform(c, { transforms: ["typescript"] }).code;
    }
    return this.#transform(code);
  }

  async #code(input: string, stopped: BugCheck | null): Promise<Evaluation> {
    let js: string;
    try {
      // Before compiling: TypeScript drops an import whose names the input does not use.
      js = await this.#compile(staticImports(input));
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
    const options = { timeout: this.#timeout, importModuleDynamically: this.#importer };
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
      value = await this.#interruptible(
        vm.runInContext(wrapped, this.#context, options as vm.RunningCodeOptions),
      );
    } else {
      let script: vm.Script;
      try {
        script = new vm.Script(js, options as vm.ScriptOptions);
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
      if (isThenable(value)) value = await this.#interruptible(value);
    }
    // The blue screen once, when this input stopped the machine; a verb it refused, one line.
    const b = this.machine.bugCheck;
    if (b && b !== stopped) return { output: this.#blueScreen(b) };
    if (b && this.#runner.refused > refused) return { output: this.#stoppedLine(b) };
    const failures = this.#runner.failures.splice(0);
    // An action of this input that failed (a fluent chain's `registerInterface("NOPE")`) fails the
    // whole input: what its earlier verbs did is undone, as for a throw.
    const failedAction = failures.some((f) => {
      const step = f.step === undefined ? undefined : this.#runner.steps[f.step - 1];
      return f.step !== undefined && f.step > steps && (!step || !isExpectation(step));
    });
    if (failedAction) throw new InputFailed(failures.map((f) => f.message).join("\n"));
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
    const command = COMMAND_TABLE.complete(this.#host(), line);
    if (command) return command;
    const quotes = (line.match(/"/g) ?? []).length;
    if (quotes % 2 === 1) {
      const word = line.slice(line.lastIndexOf('"') + 1);
      const unescaped = word.replace(/\\\\/g, "\\");
      const pool = [
        ...this.machine.devices(),
        ...this.machine.interfaces().map((i) => i.symbolicLinkName),
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
      return [
        [...KERNEL_ROUTINES].sort().filter((r) => r.startsWith(k[1]!)).map((r) => `k.${r}`),
        `k.${k[1]}`,
      ];
    }
    // `machine.` and `machine.registry.`: the machine's methods and properties.
    const member = /\bmachine\.(?:(registry)\.)?(\w*)$/.exec(line);
    if (member) {
      const target: object = member[1] ? this.machine.registry : this.machine;
      const prefix = member[1] ? "machine.registry." : "machine.";
      return [
        memberNames(target).filter((n) => n.startsWith(member[2]!)).map((n) => `${prefix}${n}`),
        `${prefix}${member[2]}`,
      ];
    }
    const word = /[A-Za-z_$][\w$]*$/.exec(line)?.[0] ?? "";
    if (!word) return [[], ""];
    const modules = [...this.#modules.values()].flatMap((m) => m.names).filter((n) =>
      n !== "default"
    );
    const pool = [
      ...new Set([...DSL_VERBS, ...CONSTANT_NAMES, ...Object.keys(WELL_KNOWN_GUIDS), ...modules]),
    ];
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

/** The public members of an object and its prototypes (not the private `_` ones), sorted. */
function memberNames(target: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = target; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const n of Object.getOwnPropertyNames(o)) {
      if (n !== "constructor" && !n.startsWith("_") && !n.startsWith("#")) names.add(n);
    }
  }
  return [...names].sort();
}

/** An input whose action step failed: reported as the step's failure, and undone. */
class InputFailed extends Error {}

/**
 * Static imports typed at the prompt, as dynamic ones (type-only imports are dropped): `import { a as b } from "./m.ts"` becomes
 * `const { a: b } = await import("./m.ts")`, so the names are bound (a script has no static imports).
 */
export function staticImports(js: string): string {
  return js.replace(/^[ \t]*import\s+type\s[^;\n]*;?[ \t]*$/gm, "").replace(
    /^([ \t]*)import\s+(?:(["'][^"']+["'])|([\w$]+\s*,\s*)?(\*\s*as\s+[\w$]+|\{[^}]*\}|[\w$]+)\s+from\s+(["'][^"']+["']))\s*;?[ \t]*$/gm,
    (_all, indent: string, bare?: string, first?: string, clause?: string, from?: string) => {
      // `void 0` after each: an import prints nothing, as a declaration does.
      if (bare) return `${indent}await import(${bare});\n${indent}void 0;`;
      const parts: string[] = [];
      const def = first?.replace(/\s*,\s*$/, "");
      if (def) parts.push(`default: ${def}`);
      const c = clause!.trim();
      if (c.startsWith("*")) {
        const ns = c.replace(/^\*\s*as\s+/, "");
        return def
          ? `${indent}const ${ns} = await import(${from});\n${indent}const { default: ${def} } = ${ns};\n${indent}void 0;`
          : `${indent}const ${ns} = await import(${from});\n${indent}void 0;`;
      }
      if (c.startsWith("{")) {
        for (const item of c.slice(1, -1).split(",").map((x) => x.trim()).filter(Boolean)) {
          if (/^type\s/.test(item)) continue;
          parts.push(item.replace(/\s+as\s+/, ": "));
        }
      } else parts.push(`default: ${c}`);
      return `${indent}const { ${parts.join(", ")} } = await import(${from});\n${indent}void 0;`;
    },
  );
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
