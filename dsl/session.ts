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
import { stringify } from "yaml";
import { BugCheck } from "../lib/bugcheck.ts";
import * as constants from "../lib/constants.ts";
import { DeviceObject } from "../lib/io/objects.ts";
import { Kernel } from "../lib/kernel.ts";
import * as statuses from "../lib/ntstatus.ts";
import { Handle } from "../lib/ob/handles.ts";
import {
  renderAnalyze,
  renderDeviceTree,
  renderDevStack,
  renderDrvObj,
  renderIrps,
} from "../lib/render/text.ts";
import { formatEvent } from "../lib/trace/format.ts";
import { ScenarioContext } from "./fluent.ts";
import { WELL_KNOWN_GUIDS } from "./guids.ts";
import { bootFor, Runner } from "./runner.ts";
import { type ScenarioData, type Step, STEP_DEFINITIONS } from "./steps.ts";
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
const COMMANDS = ["!devnode", "!devstack", "!drvobj", "!irp", "!analyze", "reg query"];
const META = [".help", ".trace", ".reset", ".reboot", ".load", ".save", ".exit"];
const DSL_VERBS = [
  "device",
  "child",
  "driver",
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
  pdo("ROOT\\\\BUSENUM\\\\0")                                                    a device by instance ID or name
Debugger and reg.exe style commands:
  !devnode [instance]     the device tree with states and problem codes
  !devstack <device>      a device's stack, top first
  !drvobj <driver>        a driver object: devices, references, routines
  !irp [n]                the last n IRPs and where they went
  !analyze                explain the last bug check (rule, offending call, documentation)
  reg query <path> [/s]   a registry key as reg.exe prints it
Meta commands:
  .help  .trace [n]  .reset  .reboot [safe]  .load <scenario.yaml>  .save <file.yaml>  .exit`;

/** A REPL session. */
export class Session {
  /** The current machine's runner, which records the steps for `.save`; `.reset` and `.load` replace it. */
  runner: Runner;
  #ctx: ScenarioContext;
  #options: SessionOptions;
  #context: vm.Context;
  #transform: ((code: string) => string) | null = null;
  #results = new Map<Handle, string>();
  #resultCount = 0;
  #unrecorded = 0;
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
    this.runner = new Runner(bootFor(this.#boot));
    this.#ctx = new ScenarioContext(this.runner);
    this.#context = this.#makeContext();
  }

  /** The machine. */
  get machine(): import("../lib/machine.ts").Machine {
    return this.runner.machine;
  }

  /** The steps recorded so far. */
  get steps(): Step[] {
    return this.runner.steps;
  }

  #makeContext(): vm.Context {
    const ctx = this.#ctx;
    const call = (routine: string, args: unknown[]) => this.#kernelCall(routine, args);
    const kernel = new Proxy(this.machine.kernel, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (
          typeof prop !== "string" || typeof value !== "function" || !KERNEL_ROUTINES.includes(prop)
        ) {
          return typeof value === "function" ? value.bind(target) : value;
        }
        return (...args: unknown[]) => call(prop, args);
      },
    });
    const globals: Record<string, unknown> = {
      ...constants,
      ...statuses,
      ...WELL_KNOWN_GUIDS,
      device: ctx.device,
      child: ctx.child,
      driver: ctx.driver,
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
      pdo: (nameOrInstance: string) => this.#pdo(nameOrInstance),
      console,
    };
    Object.defineProperty(globals, "machine", { get: () => this.machine, enumerable: true });
    Object.defineProperty(globals, "trace", { get: () => this.machine.trace, enumerable: true });
    return vm.createContext(globals);
  }

  /** A device by instance ID or scenario name. */
  #pdo(nameOrInstance: string): DeviceObject {
    if (this.runner.names.devices.includes(nameOrInstance)) return this.runner.pdo(nameOrInstance);
    const pdo = this.machine.device(nameOrInstance);
    if (!pdo) throw new TypeError(`No present device '${nameOrInstance}' (try !devnode)`);
    return pdo;
  }

  /** A scenario name for a device, naming it (a recorded `name` step) the first time. */
  #deviceName(pdo: DeviceObject): string | undefined {
    const node = this.machine._sys.pnp.nodeOf(pdo);
    if (!node) return undefined;
    for (const id of this.runner.names.devices) {
      if (this.runner.instanceOf(id).toUpperCase() === node.instanceId.toUpperCase()) return id;
    }
    const id = this.runner.nextId("dev");
    this.runner.run({ step: "name", id, instance: node.instanceId });
    return id;
  }

  /** A kernel call typed at the prompt: recorded as a `call` step when its arguments can be named. */
  #kernelCall(routine: string, args: unknown[]): unknown {
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
      this.#unrecorded++;
      const fn =
        (this.machine.kernel as unknown as Record<string, (...a: unknown[]) => unknown>)[routine]!;
      return fn.apply(this.machine.kernel, args);
    }
    const id = `r${++this.#resultCount}`;
    const before = this.runner.failures.length;
    this.runner.run({ step: "call", routine, args: named, id });
    const result = this.runner.result(id);
    if (this.runner.failures.length > before) throw new Error(this.runner.failures.pop()!.message);
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
    try {
      if (line.startsWith(".")) return this.#meta(line);
      if (line.startsWith("!")) return { output: this.#bang(line) };
      if (/^reg\s+query\b/i.test(line)) return { output: this.#regQuery(line) };
      return await this.#code(input);
    } catch (e) {
      if (e instanceof BugCheck) return { output: this.#blueScreen(e) };
      return { output: this.#paint(31, describeThrown(e)) };
    }
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
        this.runner.run({ step: "reboot", ...(arg === "safe" ? { safeMode: true } : {}) });
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
      default:
        return { output: `Unknown command '${cmd}' (try .help)` };
    }
  }

  #reset(boot: ScenarioData["boot"]): void {
    this.#boot = boot;
    this.runner = new Runner(bootFor(boot));
    this.#ctx = new ScenarioContext(this.runner);
    this.#context = this.#makeContext();
    this.#results.clear();
    this.#resultCount = 0;
    this.#unrecorded = 0;
  }

  /** Runs a scenario file from a fresh machine and stays in its final state. */
  load(path: string): string {
    if (!path) return "Usage: .load <scenario.yaml>";
    const parsed = parseScenario(Deno.readTextFileSync(path), path);
    if (parsed.errors.length) {
      return parsed.errors.map((e) => `${path}:${e.line}:${e.column}: ${e.message}`).join("\n");
    }
    const s = parsed.scenario!;
    this.#reset(s.boot);
    for (const step of s.steps) this.runner.run(step);
    const failures = this.runner.failures;
    return [
      `Loaded '${s.title}' (${s.steps.length} steps)`,
      s.teaches ? s.teaches.trim() : "",
      failures.length
        ? failures.map((f) => this.#paint(31, f.message)).join("\n")
        : this.#paint(32, "All expectations hold"),
    ].filter(Boolean).join("\n");
  }

  /** The session's steps as a scenario file's text; `schemaPath` is how the file refers to the schema. */
  scenarioText(title = "Saved REPL session", schemaPath = "schema.json"): string {
    const steps = this.runner.steps
      .filter((s) => !("hooks" in s))
      .map((s) => {
        const { step, source: _source, ...fields } = s;
        const keys = Object.keys(fields);
        const def = STEP_DEFINITIONS[step];
        return {
          [step]: keys.length === 0
            ? null
            : def?.shorthand && keys.length === 1 && keys[0] === def.shorthand
            ? fields[def.shorthand]
            : fields,
        };
      });
    // End with what the session left behind, so the file is a regression test.
    for (const id of this.runner.names.devices) {
      const info = this.machine.devnode(this.runner.instanceOf(id)) ??
        this.machine.devnode(this.runner.pdo(id));
      steps.push({ expectState: { device: id, state: info?.state ?? "Absent" } });
    }
    const doc: Record<string, unknown> = { title };
    if (this.#boot && Object.keys(this.#boot).length) doc.boot = this.#boot;
    doc.steps = steps;
    return `# yaml-language-server: $schema=${schemaPath}\n` + stringify(doc, { lineWidth: 100 });
  }

  /** Writes the session as a scenario file. */
  save(path: string): string {
    if (!path) return "Usage: .save <file.yaml>";
    Deno.writeTextFileSync(path, this.scenarioText("Saved REPL session", relativeSchemaPath(path)));
    const note = this.#unrecorded
      ? `\n(${this.#unrecorded} call(s) with arguments that have no name were not recorded)`
      : "";
    return `Saved ${this.runner.steps.length} steps to ${path}${note}`;
  }

  #bang(line: string): string {
    const [cmd, ...rest] = line.split(/\s+/);
    const arg = rest.join(" ").replace(/^"|"$/g, "");
    switch (cmd) {
      case "!devnode":
        return renderDeviceTree(this.machine, arg && arg !== "0" ? arg : undefined).trimEnd();
      case "!devstack":
        if (!arg) return "Usage: !devstack <instance ID or device name>";
        return renderDevStack(this.machine, this.#pdo(arg)).trimEnd();
      case "!drvobj":
        if (!arg) return "Usage: !drvobj <driver>";
        return renderDrvObj(this.machine, arg).trimEnd();
      case "!irp": {
        const n = arg ? Number(arg) : 5;
        if (!Number.isInteger(n) || n < 1) return "Usage: !irp [n] (n >= 1)";
        return renderIrps(this.machine, n).trimEnd();
      }
      case "!analyze":
        return renderAnalyze(this.machine).trimEnd();
      default:
        return `Unknown extension '${cmd}' (try .help)`;
    }
  }

  #regQuery(line: string): string {
    const m = /^reg\s+query\s+(?:"([^"]+)"|(\S+))(\s+\/s)?\s*$/i.exec(line);
    if (!m) return "Usage: reg query <path> [/s]";
    return this.machine.registry.query(m[1] ?? m[2]!, { recursive: !!m[3] }).trimEnd();
  }

  async #compile(code: string): Promise<string> {
    if (!this.#transform) {
      const { transform } = await import("sucrase");
      this.#transform = (c: string) => transform(c, { transforms: ["typescript"] }).code;
    }
    return this.#transform(code);
  }

  async #code(input: string): Promise<Evaluation> {
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
    // Ke* routines return IRQLs, not NTSTATUS values.
    const statusContext =
      /\b(k\.(?!Ke)\w+|requestRemoval|eject|rebalance|changeHardwareProfile|closeHandle)\s*\(/
        .test(input);
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
    if (this.machine.halted) {
      const b = this.machine._sys.halted!;
      return { output: this.#blueScreen(b) };
    }
    const failures = this.runner.failures.splice(0);
    const shown = value instanceof Object &&
        (value.constructor?.name?.endsWith("Builder") || value === this.#ctx)
      ? ""
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
      return [
        this.machine.devices().filter((d) => d.toUpperCase().startsWith(word.toUpperCase())),
        word,
      ];
    }
    if (/^!drvobj\s+/.test(line)) {
      const word = line.replace(/^!drvobj\s+/, "");
      return [
        [...this.machine._sys.io.drivers.values()].map((d) => d.name).filter((n) =>
          n.startsWith(word)
        ),
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
