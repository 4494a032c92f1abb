/**
 * Breakpoints, stepping and rewinding, as WinDbg users know them (`bp`, `bl`, `bc`, `g`, `p`, `k`),
 * on a deterministic replay. A machine cannot be paused in the middle of a JavaScript call, but
 * the same steps on a fresh machine give the same trace byte for byte, so "the machine at event
 * #N" is a replay stopped at #N: a trace hook throws `DebugBreak` when the event a breakpoint
 * names is recorded, and the machine is left exactly as it was then (its devnodes, stacks, IRPs
 * in flight and registry), for `!devnode`, `!devstack`, `!irp` and `reg query` to show. Going on
 * (`g`, `p`) and going back (`.back`, `.goto`) are replays to a later or earlier event.
 *
 * @module
 */
import { IRP_MJ_NAMES, IRP_MN_NAMES } from "../lib/constants.ts";
import { DebugBreak } from "../lib/ke/break.ts";
import { Kernel } from "../lib/kernel.ts";
import type { Machine } from "../lib/machine.ts";
import type { TraceEvent } from "../lib/trace/trace.ts";
import { bootFor, Runner } from "./runner.ts";
import { didYouMean as closest, type ScenarioData } from "./steps.ts";

/** A breakpoint: where a replay stops. */
export type Breakpoint =
  /** `bp toaster!DispatchPnp`: a driver's routine is entered (a dispatch routine: its IRP arrives). */
  | { readonly kind: "routine"; readonly driver: string; readonly routine: string }
  /** `bp IRP_MN_START_DEVICE [device]`: a PnP IRP reaches a driver (of one device's stack). */
  | { readonly kind: "irp"; readonly minor: string; readonly device?: string }
  /** `bp ZwCreateKey`: a kernel routine is called. */
  | { readonly kind: "call"; readonly routine: string }
  /** `bp #120`: the trace's event number 120. */
  | { readonly kind: "event"; readonly seq: number };

/** The routine names the model runs drivers' code under (the `Routine` of `driver!Routine`). */
export const DRIVER_ROUTINES: readonly string[] = [
  "DriverEntry",
  "AddDevice",
  "DriverUnload",
  "DispatchPnp",
  ...Object.values(IRP_MJ_NAMES).filter((n) => n !== "IRP_MJ_PNP").map((n) =>
    `Dispatch${n.slice("IRP_MJ_".length)}`
  ),
  "CompletionRoutine",
  "WorkItem",
  "NotificationCallback",
];

const MINOR_NAMES = [...new Set(Object.values(IRP_MN_NAMES))];

/**
 * A likely meant name: the known one that contains what was typed (`QUERY_REMOVE` for
 * `IRP_MN_QUERY_REMOVE_DEVICE`), else the closest spelling. Long input is not compared (a
 * did-you-mean on a pasted paragraph would cost more than it helps).
 */
function didYouMean(name: string, known: readonly string[]): string | undefined {
  if (!name || name.length > 100) return undefined;
  const upper = name.toUpperCase();
  const containing = known.filter((k) => k.toUpperCase().includes(upper));
  if (containing.length) return containing.sort((a, b) => a.length - b.length)[0];
  return closest(name, known);
}

/**
 * Parses the text after `bp`. `routines` are the kernel routines a `bp <routine>` may name.
 *
 * @example
 * ```ts
 * import { parseBreakpoint } from "./debug.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseBreakpoint("toaster!DispatchPnp", []), {
 *   kind: "routine",
 *   driver: "toaster",
 *   routine: "DispatchPnp",
 * });
 * assert.deepEqual(parseBreakpoint("#12", []), { kind: "event", seq: 12 });
 * ```
 */
export function parseBreakpoint(
  text: string,
  routines: readonly string[],
): Breakpoint | { error: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? "";
  if (!first) {
    return {
      error:
        "Usage: bp <driver>!<Routine> | bp IRP_MN_<name> [device] | bp <routine> | bp #<event>",
    };
  }
  if (/^#\d+$/.test(first) && words.length === 1) {
    return { kind: "event", seq: Number(first.slice(1)) };
  }
  const bang = first.indexOf("!");
  if (bang > 0 && words.length === 1) {
    const driver = first.slice(0, bang);
    const routine = first.slice(bang + 1);
    const known = DRIVER_ROUTINES.find((r) => r.toLowerCase() === routine.toLowerCase());
    if (!known) {
      const hint = didYouMean(routine, DRIVER_ROUTINES);
      return {
        error: `Unknown routine '${routine}' in '${first}'${
          hint ? ` (did you mean '${driver}!${hint}'?)` : ""
        }: a breakpoint on a driver names one of ${DRIVER_ROUTINES.join(", ")}`,
      };
    }
    return { kind: "routine", driver, routine: known };
  }
  if (/^IRP_MN_/i.test(first)) {
    const minor = MINOR_NAMES.find((n) => n.toUpperCase() === first.toUpperCase());
    if (!minor) {
      const hint = didYouMean(first.toUpperCase(), MINOR_NAMES);
      return { error: `Unknown IRP '${first}'${hint ? ` (did you mean '${hint}'?)` : ""}` };
    }
    if (words.length > 2) return { error: "Usage: bp IRP_MN_<name> [device]" };
    return words[1] ? { kind: "irp", minor, device: words[1] } : { kind: "irp", minor };
  }
  if (words.length === 1) {
    const routine = routines.find((r) => r.toLowerCase() === first.toLowerCase());
    if (routine) return { kind: "call", routine };
    const minorHint = didYouMean(`IRP_MN_${first.toUpperCase()}`, MINOR_NAMES);
    const hint = didYouMean(first, routines) ?? minorHint;
    return { error: `Unknown routine '${first}'${hint ? ` (did you mean '${hint}'?)` : ""}` };
  }
  return {
    error: "Usage: bp <driver>!<Routine> | bp IRP_MN_<name> [device] | bp <routine> | bp #<event>",
  };
}

/** How a breakpoint is written back (`bl`). */
export function breakpointText(bp: Breakpoint): string {
  switch (bp.kind) {
    case "routine":
      return `${bp.driver}!${bp.routine}`;
    case "irp":
      return bp.device ? `${bp.minor} ${bp.device}` : bp.minor;
    case "call":
      return bp.routine;
    case "event":
      return `#${bp.seq}`;
  }
}

/**
 * Whether an event is where a breakpoint stops. `previousCaller` is the caller of the event before
 * it: a routine is entered when its first traced action comes from a different caller.
 */
export function breakpointMatches(
  bp: Breakpoint,
  e: TraceEvent,
  previousCaller: string,
): boolean {
  switch (bp.kind) {
    case "event":
      return e.seq === bp.seq;
    case "call":
      return e.kind === "call" && e.routine === bp.routine;
    case "irp":
      return e.kind === "irp" && e.phase === "dispatch" && e.minor === bp.minor &&
        (bp.device === undefined || e.instance.toUpperCase() === bp.device.toUpperCase() ||
          e.device.toUpperCase().startsWith(bp.device.toUpperCase()));
    case "routine": {
      const driver = bp.driver.toUpperCase();
      if (bp.routine.startsWith("Dispatch")) {
        // A dispatch routine is entered when its IRP reaches the driver's device object.
        if (e.kind !== "irp" || e.phase !== "dispatch" || e.driver.toUpperCase() !== driver) {
          return false;
        }
        const major = bp.routine === "DispatchPnp" ? "IRP_MJ_PNP" : `IRP_MJ_${bp.routine.slice(8)}`;
        return e.major === major;
      }
      const name = `${bp.driver}!${bp.routine}`.toUpperCase();
      return e.caller.toUpperCase() === name && previousCaller.toUpperCase() !== name;
    }
  }
}

/** Where a replay stopped: the event, and who was running (outermost first). */
export interface Stop {
  /** The event the machine stopped at. */
  readonly event: TraceEvent;
  /** The caller stack at that moment (WinDbg's `k`), outermost first. */
  readonly callers: readonly string[];
}

/** A replay's end: the machine as it was at the stop, or after every step when nothing stopped it. */
export interface Replayed {
  /** The replayed machine. */
  readonly machine: Machine;
  /** Where it stopped, or null when it ran to the end. */
  readonly stop: Stop | null;
}

/**
 * Runs `start` (which boots a fresh machine, hands it to `attach` before anything runs, then runs
 * the recorded steps) and stops at the first event `stopAt` accepts. The machine is left as it was
 * at that event.
 */
export function replay(
  start: (attach: (machine: Machine) => void) => void,
  stopAt: (event: TraceEvent, previousCaller: string) => boolean,
): Replayed {
  let machine: Machine | null = null;
  let previous = "";
  try {
    start((m) => {
      machine = m;
      // Booting already recorded events (the boot itself): a stop among them is a stop now.
      for (const e of m.trace) {
        const stop = stopAt(e, previous);
        previous = e.caller;
        if (stop) throw new DebugBreak(e.seq, m.callerStack());
      }
      m.watchTrace((e) => {
        const stop = stopAt(e, previous);
        previous = e.caller;
        if (stop) throw new DebugBreak(e.seq, m.callerStack());
      });
    });
  } catch (e) {
    if (!(e instanceof DebugBreak) || !machine) throw e;
    const m: Machine = machine;
    m.watchTrace(() => {})();
    const event = m.trace.find((t) => t.seq === e.seq) ?? m.trace[m.trace.length - 1]!;
    return { machine: m, stop: { event, callers: e.callers } };
  }
  if (!machine) throw new Error("Cannot replay: the session made no machine");
  const m: Machine = machine;
  m.watchTrace(() => {})();
  return { machine: m, stop: null };
}

/**
 * A debugging session over recorded steps: breakpoints, and a position in the trace that `g`, `p`,
 * `back` and `goto` move by replaying. `start` must replay the same steps each time (the REPL's
 * recorded steps, a scenario file's steps).
 */
export class Debugger {
  readonly #start: (attach: (machine: Machine) => void) => void;
  readonly #routines: readonly string[];
  readonly #breakpoints: Breakpoint[] = [];
  #current: Replayed | null = null;

  /** Creates a debugger over a replayable run; `routines` are the kernel routine names `bp` accepts. */
  constructor(
    start: (attach: (machine: Machine) => void) => void,
    routines: readonly string[],
  ) {
    this.#start = start;
    this.#routines = routines;
  }

  /** The breakpoints, numbered from 0 as `bl` lists them. */
  get breakpoints(): readonly Breakpoint[] {
    return this.#breakpoints;
  }

  /** Where the debugger stands: the replayed machine and its stop (null before the first `g`). */
  get current(): Replayed | null {
    return this.#current;
  }

  /** The event number the debugger stands at (0 before any stop). */
  get position(): number {
    return this.#current?.stop?.event.seq ?? 0;
  }

  /** `bp`: adds a breakpoint; returns its number, or the reason it was refused. */
  bp(text: string): number | { error: string } {
    const bp = parseBreakpoint(text, this.#routines);
    if ("error" in bp) return bp;
    this.#breakpoints.push(bp);
    return this.#breakpoints.length - 1;
  }

  /** `bl`: the breakpoints as WinDbg lists them (` 0 e toaster!DispatchPnp`). */
  bl(): string {
    if (!this.#breakpoints.length) return "No breakpoints";
    return this.#breakpoints.map((bp, i) => ` ${i} e ${breakpointText(bp)}`).join("\n");
  }

  /** `bc <n>` or `bc *`: clears breakpoints; false when there is no such breakpoint. */
  bc(which: string): boolean {
    if (which.trim() === "*") {
      this.#breakpoints.length = 0;
      return true;
    }
    const n = Number(which);
    if (!Number.isInteger(n) || n < 0 || n >= this.#breakpoints.length) return false;
    this.#breakpoints.splice(n, 1);
    return true;
  }

  /** `g`: runs to the next breakpoint after the current position (or to the end). */
  g(): Replayed {
    const from = this.position;
    return this.#go((e, previous) =>
      e.seq > from && this.#breakpoints.some((bp) => breakpointMatches(bp, e, previous))
    );
  }

  /** `p`: steps to the next traced event. */
  p(count = 1): Replayed {
    return this.goto(this.position + Math.max(1, count));
  }

  /** `.back [n]`: rewinds n events (1 by default), replaying to the earlier one. */
  back(count = 1): Replayed {
    return this.goto(Math.max(1, this.position - Math.max(1, count)));
  }

  /** `.goto #N`: the machine as it was at event N (at the end, when the run has fewer events). */
  goto(seq: number): Replayed {
    return this.#go((e) => e.seq >= seq);
  }

  /** `k`: who called whom down to the current event, innermost first as WinDbg prints it. */
  k(): string {
    const stop = this.#current?.stop;
    if (!stop) return "Not stopped at an event (use g, p or .goto #N)";
    return [...stop.callers].reverse().map((c, i) => `${String(i).padStart(2, "0")} ${c}`).join(
      "\n",
    );
  }

  #go(stopAt: (event: TraceEvent, previousCaller: string) => boolean): Replayed {
    this.#current = replay(this.#start, stopAt);
    return this.#current;
  }
}

/** The kernel routines a `bp <routine>` may name: every routine of `Kernel`. */
export function kernelRoutineNames(): string[] {
  return Object.getOwnPropertyNames(Kernel.prototype).filter((n) => /^[A-Z]/.test(n)).sort();
}

/**
 * A debugger over a scenario's steps (a scenario file's, or a session's recorded ones): each replay
 * boots a fresh machine as the scenario says and runs its steps.
 *
 * @example
 * ```ts
 * import { scenarioDebugger } from "./debug.ts";
 * import { parseScenario } from "./yaml.ts";
 * import assert from "node:assert/strict";
 * const { scenarios, errors } = parseScenario(
 *   'title: t\nsteps:\n  - plugIn: { id: x, hardwareId: "ROOT\\\\X" }\n',
 * );
 * assert.deepEqual(errors, []);
 * const d = scenarioDebugger(scenarios[0]!);
 * d.bp("IRP_MN_START_DEVICE");
 * const at = d.g();
 * assert.equal(at.stop?.event.kind, "irp");
 * assert.equal(at.machine.devnode("ROOT\\X\\0")?.state, "Added");
 * ```
 */
export function scenarioDebugger(data: ScenarioData): Debugger {
  return new Debugger((attach) => {
    const machine = bootFor(data.boot);
    attach(machine);
    const runner = new Runner(machine, { stopAfterFailedAction: true });
    for (const step of data.steps) runner.run(step);
    runner.finish(data.title);
  }, kernelRoutineNames());
}
