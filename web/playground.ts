/**
 * What the playground page does, without the page: read a YAML scenario or a fluent-DSL script into
 * steps, run them, replay the first k steps on a fresh machine for the step slider, and answer the
 * console's debugger and reg.exe commands. It imports pnplab only through `mod.ts`, the public API
 * that stays stable while `lib/` and `dsl/` move, and touches no DOM, so Deno tests it directly and
 * the browser bundle (web/main.ts) only draws what it returns.
 *
 * @module
 */
import { transform } from "sucrase";
import * as pnplab from "../mod.ts";
import {
  type Failure,
  formatEvent,
  type Machine,
  parseScenario,
  renderAnalyze,
  renderDeviceTree,
  renderDevStack,
  renderDrvObj,
  renderIrps,
  Runner,
  runScenarioWithMachine,
  ScenarioContext,
  type ScenarioData,
  type ScenarioError,
  type ScenarioResult,
  type TraceEvent,
} from "../mod.ts";

/** What the editor holds: a YAML scenario file, or a fluent-DSL script (a scenario body in TypeScript). */
export type SourceKind = "yaml" | "script";

/** A source read into scenarios, or every problem in it with its line and column. */
export interface Parsed {
  /** The scenarios in the text (a file may hold several under `scenarios:`). */
  scenarios: ScenarioData[];
  /** Every problem, at 1-based line and column; a text with problems runs nothing. */
  errors: ScenarioError[];
}

/** A finished run, and what the step slider needs to show any step of it. */
export interface Run {
  /** The scenario as data: its boot options and steps (a script's are the steps it recorded). */
  data: ScenarioData;
  /** PASS or FAIL with every failure, and the whole trace. */
  result: ScenarioResult;
  /** How many trace events there were after boot and after each step: `ends[k]` after k steps. */
  ends: number[];
  /**
   * Whether replaying the steps gives this run's trace exactly. A script that calls the machine
   * or kernel directly does things no step records, and then the slider cannot show them.
   */
  replayable: boolean;
  /**
   * Whether the steps after a failed action are skipped, as scenario files run (true), or run
   * anyway, as `scenario()` bodies run (false). A replay runs them the same way.
   */
  stopAfterFailedAction: boolean;
  /** The machine at the end of the run (what the panes show when the run cannot be replayed). */
  final: { machine: Machine; runner: Runner };
  /** What the script printed with `console.log`, one entry a call. */
  printed: string[];
}

/** Why a source could not be run: a problem at a line and column, or a failure of the script. */
export interface RunError {
  /** The problems. */
  errors: ScenarioError[];
}

/** Reads a YAML scenario file (the schema's format) with the loader's own errors. */
export function parseYaml(text: string): Parsed {
  const { scenarios, errors } = parseScenario(text);
  return { scenarios: errors.length ? [] : scenarios, errors };
}

/**
 * A booted machine as a scenario's `boot` options give it. The runner's own boot is reached
 * through `runScenarioWithMachine` with no steps, so the page boots exactly as scenario files do.
 */
function bootMachine(data: ScenarioData): Machine | string {
  const { result, machine } = runScenarioWithMachine({
    title: data.title,
    ...(data.boot ? { boot: data.boot } : {}),
    steps: [],
  });
  return machine ?? result.failures.map((f) => f.message).join("\n");
}

/** Runs a scenario from a fresh machine, one step at a time, noting where each step's events end. */
export function runData(data: ScenarioData, stopAfterFailedAction = true): Run | RunError {
  const machine = bootMachine(data);
  if (typeof machine === "string") return { errors: [{ message: machine, line: 1, column: 1 }] };
  const runner = new Runner(machine, { stopAfterFailedAction });
  const ends = [machine.trace.length];
  for (const step of data.steps) {
    runner.run(step);
    ends.push(machine.trace.length);
  }
  return {
    data,
    result: runner.finish(data.title),
    ends,
    replayable: true,
    stopAfterFailedAction,
    final: { machine, runner },
    printed: [],
  };
}

/** The machine after the scenario's first `k` steps: a fresh machine runs them (the model is deterministic). */
export function machineAt(
  data: ScenarioData,
  k: number,
  stopAfterFailedAction = true,
): { machine: Machine; runner: Runner } | string {
  const machine = bootMachine(data);
  if (typeof machine === "string") return machine;
  const runner = new Runner(machine, { stopAfterFailedAction });
  for (const step of data.steps.slice(0, k)) runner.run(step);
  return { machine, runner };
}

/** Whether two traces are the same, event for event, as the trace prints them. */
function sameTrace(a: readonly TraceEvent[], b: readonly TraceEvent[]): boolean {
  return a.length === b.length && a.every((e, i) => formatEvent(e) === formatEvent(b[i]!));
}

/** A script's header comment: `// title: ...` and `// boot: { "example": true }` (JSON). */
function header(
  text: string,
): { title: string; boot?: ScenarioData["boot"]; error?: ScenarioError } {
  const title = /^\s*\/\/\s*title:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? "Playground script";
  const m = /^(\s*\/\/\s*boot:\s*)(.+)$/m.exec(text);
  if (!m) return { title };
  const line = text.slice(0, m.index).split("\n").length;
  try {
    const boot = JSON.parse(m[2]!);
    if (boot === null || typeof boot !== "object" || Array.isArray(boot)) {
      throw new Error("not an object");
    }
    return { title, boot };
  } catch (e) {
    return {
      title,
      error: {
        message: `The boot comment must be a JSON object: ${(e as Error).message}`,
        line,
        column: m[1]!.length + 1,
      },
    };
  }
}

/** A tiny `node:assert/strict` for lesson scripts: the notebooks check their results with it. */
const assert = Object.assign(
  (value: unknown, message?: string) => {
    if (!value) throw new Error(message ?? "Assertion failed");
  },
  {
    ok(value: unknown, message?: string): void {
      if (!value) throw new Error(message ?? "Assertion failed");
    },
    equal(a: unknown, b: unknown, message?: string): void {
      if (!Object.is(a, b)) {
        throw new Error(message ?? `Expected ${String(a)} to equal ${String(b)}`);
      }
    },
    deepEqual(a: unknown, b: unknown, message?: string): void {
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        throw new Error(message ?? `Expected ${JSON.stringify(a)} to equal ${JSON.stringify(b)}`);
      }
    },
    match(s: string, re: RegExp, message?: string): void {
      if (!re.test(s)) throw new Error(message ?? `Expected '${s}' to match ${re}`);
    },
  },
);

/** The names a script sees: the whole public API, and the scenario body's verbs on the shown run. */
const API_NAMES = Object.keys(pnplab).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));

/** The verbs of a scenario body (`device`, `driver`, `expectStatus` ...): its own function properties. */
function verbsOf(ctx: ScenarioContext): Record<string, unknown> {
  const verbs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(ctx)) {
    if (typeof value === "function") verbs[name] = value;
  }
  return verbs;
}

/** `function anonymous(...`, `) {` and the async wrapper come before a script's first line. */
const WRAPPER_LINES = 3;

/** Where a sucrase or JavaScript error points, as a line and column of the script. */
function scriptError(text: string, e: unknown, lineOffset: number): ScenarioError {
  const message = e instanceof Error
    ? `${e.name}: ${e.message.replace(/\s*\(\d+:\d+\)$/, "")}`
    : String(e);
  const pos = (e as { pos?: number }).pos;
  if (typeof pos === "number") {
    const before = text.slice(0, pos).split("\n");
    return { message, line: before.length, column: before.at(-1)!.length + 1 };
  }
  // The body runs in a Function whose first lines are the wrapper's; the stack says where in it.
  const at = thrownAt(e, lineOffset);
  return { message, line: at.line ?? 1, column: at.column ?? 1 };
}

/** The line and column of the script a thrown error came from, when its stack shows them. */
function thrownAt(e: unknown, lineOffset: number): { line?: number; column?: number } {
  const at = /<anonymous>:(\d+):(\d+)/.exec((e as Error)?.stack ?? "");
  return at ? { line: Math.max(1, Number(at[1]) - lineOffset), column: Number(at[2]) } : {};
}

/** A failure for an error a scenario body threw, at the script line it came from. */
function raised(e: unknown, lineOffset: number): Failure {
  return {
    message: `The scenario body raised ${
      e instanceof Error ? `${e.name}: ${e.message}` : String(e)
    }`,
    ...thrownAt(e, lineOffset),
  };
}

/**
 * Runs a fluent-DSL script. Its import lines are dropped (the public API is in scope already). A
 * script that calls `scenario(title, body, options)` shows its last such scenario, as the notebooks
 * write them; any other script is itself the body, with `ctx`, the verbs (`device`, `driver` ...)
 * and a boot from its `// boot:` comment. The steps it recorded are then replayed to check that the
 * slider can show them.
 */
export async function runScript(text: string): Promise<Run | RunError> {
  const head = header(text);
  if (head.error) return { errors: [head.error] };
  const withoutImports = text.replace(
    /^\s*import\s[^;]*?from\s*["'][^"']+["'];*[ \t]*$/gm,
    (s) => s.replace(/[^\n]/g, " "),
  );
  let js: string;
  try {
    js = transform(withoutImports, { transforms: ["typescript"] }).code;
  } catch (e) {
    return { errors: [scriptError(withoutImports, e, 0)] };
  }
  const printed: string[] = [];
  type Shown = { data: ScenarioData; result: ScenarioResult; runner: Runner };
  const shown: Shown[] = [];
  /** `scenario()` as mod.ts has it, keeping the steps it recorded and its boot options. */
  const scenario = async (
    title: string,
    body: (ctx: ScenarioContext) => void | Promise<void>,
    options: NonNullable<ScenarioData["boot"]> = {},
  ): Promise<ScenarioResult> => {
    const data: ScenarioData = { title, boot: options, steps: [] };
    const machine = bootMachine(data);
    if (typeof machine === "string") throw new Error(machine);
    const runner = new Runner(machine);
    const ctx = new ScenarioContext(runner);
    try {
      await body(ctx);
    } catch (e) {
      runner.failures.push(raised(e, WRAPPER_LINES));
    }
    const result = runner.finish(title);
    shown.push({ data: { ...data, steps: [...runner.steps] }, result, runner });
    return result;
  };
  const callsScenario = /\bscenario\s*\(/.test(js);
  let bodyCtx: ScenarioContext | null = null;
  let bodyData: ScenarioData | null = null;
  const scope: Record<string, unknown> = {};
  for (const name of API_NAMES) scope[name] = (pnplab as Record<string, unknown>)[name];
  // The machines a script boots itself (as the notebooks do): without steps, the last is shown.
  const booted: Machine[] = [];
  Object.assign(scope, {
    boot: (...args: Parameters<typeof pnplab.boot>) => {
      const m = pnplab.boot(...args);
      booted.push(m);
      return m;
    },
    exampleMachine: (...args: Parameters<typeof pnplab.exampleMachine>) => {
      const m = pnplab.exampleMachine(...args);
      booted.push(m);
      return m;
    },
    scenario,
    assert,
    console: {
      log: (...args: unknown[]) => printed.push(args.map(String).join(" ")),
      error: (...args: unknown[]) => printed.push(args.map(String).join(" ")),
    },
  });
  if (!callsScenario) {
    bodyData = { title: head.title, ...(head.boot ? { boot: head.boot } : {}), steps: [] };
    const machine = bootMachine(bodyData);
    if (typeof machine === "string") return { errors: [{ message: machine, line: 1, column: 1 }] };
    bodyCtx = new ScenarioContext(new Runner(machine));
    Object.assign(scope, verbsOf(bodyCtx), { ctx: bodyCtx, machine, k: machine.kernel });
  }
  const names = Object.keys(scope);
  let fn: (...args: unknown[]) => Promise<unknown>;
  try {
    fn = new Function(...names, `return (async () => {\n${js}\n})();`) as typeof fn;
  } catch (e) {
    return { errors: [scriptError(js, e, 0)] };
  }
  try {
    await fn(...names.map((n) => scope[n]));
  } catch (e) {
    if (!bodyCtx) return { errors: [scriptError(js, e, WRAPPER_LINES)] };
    bodyCtx.runner.failures.push(raised(e, WRAPPER_LINES));
  }
  let original: Shown;
  const last = booted.at(-1);
  if (bodyCtx && bodyData && !bodyCtx.runner.steps.length && last) {
    // No steps to replay: the result is the script's own checks (what it threw), the trace and the
    // panes are the last machine it booted, from its boot on.
    const failures = bodyCtx.runner.failures;
    return {
      data: { title: head.title, steps: [] },
      result: { title: head.title, passed: !failures.length, failures, trace: last.trace },
      ends: [0],
      replayable: false,
      stopAfterFailedAction: false,
      final: { machine: last, runner: new Runner(last) },
      printed,
    };
  }
  if (bodyCtx && bodyData) {
    original = {
      data: { ...bodyData, steps: [...bodyCtx.runner.steps] },
      result: bodyCtx.runner.finish(head.title),
      runner: bodyCtx.runner,
    };
  } else if (shown.length) {
    original = shown.at(-1)!;
  } else {
    return {
      errors: [{
        message: "The script ran no scenario: call scenario(title, (ctx) => { ... })",
        line: 1,
        column: 1,
      }],
    };
  }
  // scenario() runs every step, even after a failed one: the replay does the same.
  const replay = runData(original.data, false);
  if ("errors" in replay) return replay;
  const replayable = sameTrace(replay.result.trace, original.result.trace);
  // The result shown is the script's own run (its failures are the ones its author wrote).
  return {
    ...replay,
    result: original.result,
    replayable,
    final: { machine: original.runner.machine, runner: original.runner },
    printed,
  };
}

let scriptNameList: string[] | null = null;

/**
 * The names a script can use, for completion: the scenario verbs, `ctx`, `scenario`, `assert` and
 * the public API.
 */
export function scriptNames(): string[] {
  if (!scriptNameList) {
    const verbs = Object.keys(verbsOf(new ScenarioContext(new Runner(pnplab.boot())))).sort();
    scriptNameList = [
      ...new Set([...verbs, "ctx", "scenario", "assert", "machine", "k", ...API_NAMES]),
    ];
  }
  return scriptNameList;
}

/** Reads and runs a source: the YAML scenario `index` (from 0) of a file, or a script. */
export async function runSource(
  kind: SourceKind,
  text: string,
  index = 0,
): Promise<Run | RunError> {
  if (kind === "script") return await runScript(text);
  const parsed = parseYaml(text);
  if (parsed.errors.length) return { errors: parsed.errors };
  const data = parsed.scenarios[index] ?? parsed.scenarios[0];
  if (!data) return { errors: [{ message: "The file holds no scenario", line: 1, column: 1 }] };
  return runData(data);
}

/** The trace events of the steps themselves: from the end of boot to the end of step `k`. */
export function stepEvents(run: Run, k: number): { first: number; last: number } {
  const first = run.result.trace[run.ends[0]!]?.seq ?? Infinity;
  const end = run.ends[Math.min(k, run.ends.length - 1)]!;
  return { first, last: end > run.ends[0]! ? run.result.trace[end - 1]!.seq : first - 1 };
}

/** The console's commands, for its help line and completion. */
export const CONSOLE_COMMANDS = [
  "!devnode",
  "!devstack",
  "!drvobj",
  "!irp",
  "!analyze",
  "reg query",
] as const;

const CONSOLE_HELP = `Commands on the machine at the slider's step:
  !devnode [instance]     the device tree (from a device)
  !devstack <device>      a device's stack, top first (a scenario name such as t1, or an instance ID)
  !drvobj <driver>        a driver object
  !irp [n | #id]          the last n IRPs (default 5), or IRP #id
  !analyze                the last bug check explained
  reg query <path> [/s] [/v name]   a registry key as reg.exe prints it`;

/** `reg query` output kept to the keys that hold value `name`, as `reg query /v` prints them. */
function onlyValue(output: string, name: string): string {
  const blocks = output.split(/\n(?=HKEY_)/);
  const kept = blocks.flatMap((block) => {
    const [key, ...lines] = block.trim().split("\n");
    const hits = lines.filter((l) =>
      l.trim().split(/\s{4}/)[0]?.toUpperCase() === name.toUpperCase()
    );
    return hits.length ? [[key, ...hits].join("\n")] : [];
  });
  return kept.length
    ? "\n" + kept.join("\n\n")
    : "ERROR: The system was unable to find the specified registry key or value.";
}

/**
 * One console command on a machine, with the REPL's commands and renderers. A device is named as
 * the scenario names it (`t1`) or by its instance ID.
 */
export function consoleCommand(line: string, machine: Machine, runner: Runner): string {
  const input = line.trim();
  const [cmd = "", ...rest] = input.split(/\s+/);
  const arg = rest.join(" ").replace(/^"|"$/g, "");
  const device = (name: string) => runner.names.devices.includes(name) ? runner.pdo(name) : name;
  if (/^reg\s+query\b/i.test(input)) {
    const m = /^reg\s+query\s+(?:"([^"]+)"|(\S+))\s*(\/s)?\s*(?:\/v\s+(?:"([^"]*)"|(\S+)))?\s*$/i
      .exec(input);
    if (!m) return "Usage: reg query <path> [/s] [/v name]";
    const out = machine.registry.query(m[1] ?? m[2]!, { recursive: Boolean(m[3]) }).trimEnd();
    const name = m[4] ?? m[5];
    return name === undefined || out.startsWith("ERROR") ? out : onlyValue(out, name);
  }
  switch (cmd) {
    case "":
      return "";
    case "help":
    case ".help":
      return CONSOLE_HELP;
    case "!devnode":
      return renderDeviceTree(machine, /^(0(\s+\S+)?)?$/.test(arg) ? undefined : arg).trimEnd();
    case "!devstack":
      return arg ? renderDevStack(machine, device(arg)).trimEnd() : "Usage: !devstack <device>";
    case "!drvobj":
      return arg ? renderDrvObj(machine, arg).trimEnd() : "Usage: !drvobj <driver>";
    case "!irp": {
      const one = /^#(\d+)$/.exec(arg);
      if (one) {
        const block = renderIrps(machine, Infinity).split(/\n(?=Irp #)/).find((b) =>
          b.startsWith(`Irp #${one[1]} `)
        );
        return block?.trimEnd() ?? `No IRP #${one[1]} in the trace at this step`;
      }
      const n = arg ? Number(arg) : 5;
      return Number.isInteger(n) && n >= 1
        ? renderIrps(machine, n).trimEnd()
        : "Usage: !irp [n | #id] (n >= 1)";
    }
    case "!analyze":
      return renderAnalyze(machine).trimEnd();
    default:
      return `Unknown command '${cmd}' (try help: ${CONSOLE_COMMANDS.join(", ")})`;
  }
}
