/**
 * The one runner both front ends use: runs steps on a machine, one at a time, by the step table's
 * rows, and applies the rules that hold across steps: a machine a bug check stopped takes only
 * expectations, a reboot and pulling hardware; a step that hangs fails unless expectHang follows;
 * with `stopAfterFailedAction` a failed action skips the rest. Failures are collected (each
 * quoting the trace lines that matter) instead of thrown.
 *
 * @module
 */
import { BugCheck } from "../lib/bugcheck.ts";
import { exampleMachine } from "../lib/examples/example_machine.ts";
import type { DeviceObject } from "../lib/io/objects.ts";
import { boot, type BootOptions, type Machine } from "../lib/machine.ts";
import { STATUS_UNSUCCESSFUL } from "../lib/ntstatus.ts";
import { PnpHangError } from "../lib/pnp/pnpmgr.ts";
import { DebugBreak } from "../lib/ke/break.ts";
import { RunawayQueueError } from "../lib/ke/queue.ts";
import type { TraceEvent } from "../lib/trace/trace.ts";
import { ruleNote, StepContext, StepError } from "./steps/context.ts";
import {
  isExpectation,
  runsWhileStopped,
  type ScenarioData,
  type Step,
  STEP_DEFINITIONS,
} from "./steps.ts";

export { hasDriverFor, WDK_CONSTANTS } from "./steps/context.ts";
export { eventName, statusValue } from "./steps/expectations.ts";

/** One failure: what was expected, what the trace shows, and where the step was written. */
export interface Failure {
  /** What was expected and what the trace shows instead. */
  message: string;
  /** The failed step's number, from 1; absent for a failure at boot or at the end. */
  step?: number;
  /** The scenario file the step was written in. */
  file?: string;
  /** The step's line in that file, from 1. */
  line?: number;
  /** The step's column in that line, from 1. */
  column?: number;
}

/** The outcome of a scenario. */
export interface ScenarioResult {
  /** The scenario's title. */
  title: string;
  /** Whether every step and expectation held (no failures). */
  passed: boolean;
  /** Every failure, in the order they happened. */
  failures: Failure[];
  /** The machine's trace, boot included. */
  trace: TraceEvent[];
  /** The step (from 1) whose failure stopped the run: the steps after it did not run. */
  stoppedAt?: number;
}

/** How a runner treats a failed step. */
export interface RunnerOptions {
  /**
   * After an action or setup step fails (it threw, or hung without an expectHang after it), skip
   * the steps after it: they would run on a machine the scenario did not set up and report
   * failures that only follow from the first. A failed expectation never stops the run.
   * Default false (the REPL and the fluent DSL go on after a failure).
   */
  stopAfterFailedAction?: boolean;
}

/** The boot options of a scenario. */
export function bootFor(data: ScenarioData["boot"]): Machine {
  const { example, ...rest } = data ?? {};
  const options: BootOptions = {};
  if (rest.hardwareProfiles) options.hardwareProfiles = rest.hardwareProfiles;
  if (rest.currentProfile) options.currentProfile = rest.currentProfile;
  if (rest.safeMode !== undefined) options.safeMode = rest.safeMode;
  if (rest.verifier) options.verifier = rest.verifier;
  if (rest.includeExistingDuplicates) {
    options.includeExistingDuplicates = rest.includeExistingDuplicates;
  }
  return example ? exampleMachine(options) : boot(options);
}

/** Runs steps on one machine, one at a time. */
export class Runner {
  /** Every step run so far (the REPL saves these). */
  readonly steps: Step[] = [];
  /** Failures so far. */
  readonly failures: Failure[] = [];
  /** What the steps share: the machine, the names they gave, the trace cursors. */
  readonly #context: StepContext;
  #autoId = 0;
  readonly #stopAfterFailedAction: boolean;
  /** The failed action that stopped the run, and the steps skipped since. */
  #stopped: { index: number; skipped: { index: number; step: Step }[] } | null = null;

  /** Creates a runner on a machine. */
  constructor(machine: Machine, options: RunnerOptions = {}) {
    this.#context = new StepContext(machine);
    this.#stopAfterFailedAction = options.stopAfterFailedAction === true;
  }

  /** The machine. */
  get machine(): Machine {
    return this.#context.machine;
  }

  /** The last step's NTSTATUS. */
  get lastStatus(): number {
    return this.#context.lastStatus;
  }

  /** The names the scenario has given, for completion and messages. */
  get names(): { devices: string[]; interfaces: string[]; listeners: string[]; handles: string[] } {
    const c = this.#context;
    return {
      devices: [...c.devices.keys()],
      interfaces: [...c.interfaces.keys()],
      listeners: [...c.listeners.keys()],
      handles: [...c.handles.keys()],
    };
  }

  /** The result a `call` step stored under a name. */
  result(id: string): unknown {
    return this.#context.results.get(id);
  }

  /** A fresh name (`d1`, `d2` ...) for the fluent DSL. */
  nextId(prefix: string): string {
    return `${prefix}${++this.#autoId}`;
  }

  /** The PDO of a named device (present, or the last one it had). */
  pdo(id: string): DeviceObject {
    return this.#context.pdo(id);
  }

  /** The instance ID of a named device. */
  instanceOf(id: string): string {
    return this.#context.instanceOf(id);
  }

  /** The symbolic link of a named interface. */
  link(id: string): string {
    return this.#context.link(id);
  }

  /** Runs one step: actions change the machine, expectations check the trace. Never throws for a failed expectation. */
  run(step: Step): void {
    const context = this.#context;
    this.steps.push(step);
    const index = this.steps.length;
    if (context.hang && step.step !== "expectHang") {
      const hung = context.hang.index;
      this.#unexpectedHang();
      this.#stopAfter(hung);
    }
    if (this.#stopped) {
      this.#stopped.skipped.push({ index, step });
      return;
    }
    const def = STEP_DEFINITIONS[step.step];
    const expectation = isExpectation(step);
    try {
      // A stopped machine runs nothing; only the reboot, pulling hardware and expectations go on.
      if (context.bugCheck && !runsWhileStopped(step)) return;
      if (expectation && def?.settlesFirst !== false && !this.machine.halted) this.machine.settle();
      if (!def) {
        throw new StepError(`Unknown ${expectation ? "expectation" : "step"} '${step.step}'`);
      }
      def.run(context, step);
    } catch (e) {
      // A debugger stopping a replay: the step is left where it stopped.
      if (e instanceof DebugBreak) throw e;
      if (e instanceof BugCheck) {
        context.bugCheck = e;
        context.lastStatus = STATUS_UNSUCCESSFUL;
        return;
      }
      if (e instanceof PnpHangError && !expectation) {
        // A hang is a failure unless the next step is expectHang.
        context.hang = { step, index, message: e.message };
        return;
      }
      const message =
        e instanceof StepError || e instanceof TypeError || e instanceof PnpHangError ||
          e instanceof RunawayQueueError
          ? e.message
          : `The step raised ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
      this.fail(step, index, message);
      if (def?.expectation !== true) this.#stopAfter(index);
    }
  }

  /** An action failed: with `stopAfterFailedAction`, the steps after it are skipped. */
  #stopAfter(index: number): void {
    if (this.#stopAfterFailedAction && !this.#stopped) this.#stopped = { index, skipped: [] };
  }

  /** Records a failure for a step. */
  fail(step: Step, index: number, message: string): void {
    this.failures.push({
      message: `Step ${index} (${step.step}): ${message}`,
      step: index,
      ...(step.source?.file ? { file: step.source.file } : {}),
      ...(step.source?.line ? { line: step.source.line, column: step.source.column ?? 1 } : {}),
    });
  }

  #unexpectedHang(): void {
    const h = this.#context.hang!;
    this.#context.hang = null;
    this.fail(h.step as Step, h.index, h.message);
  }

  /** Finishes: settles, and reports an unexpected bug check. */
  finish(title: string): ScenarioResult {
    const context = this.#context;
    if (context.hang) this.#unexpectedHang();
    const skipped = this.#stopped?.skipped ?? [];
    if (skipped.length) {
      // Once, where the first skipped step was written.
      const first = skipped[0]!;
      const last = skipped[skipped.length - 1]!;
      const source = first.step.source;
      this.failures.push({
        message: `${
          skipped.length === 1 ? `Step ${first.index}` : `Steps ${first.index}-${last.index}`
        } skipped: step ${this.#stopped!.index} failed`,
        ...(source?.file ? { file: source.file } : {}),
        ...(source?.line ? { line: source.line, column: source.column ?? 1 } : {}),
      });
    }
    try {
      if (!this.machine.halted) this.machine.settle();
    } catch (e) {
      if (e instanceof BugCheck) context.bugCheck = e;
      else this.failures.push({ message: `Settling at the end raised ${(e as Error).message}` });
    }
    if (context.bugCheck && !context.bugCheckExpected) {
      this.failures.push({
        message: `The machine stopped with an unexpected bug check: ${context.bugCheck.message}\n` +
          ruleNote(context.bugCheck.rule) +
          context.excerpt((e: TraceEvent) => e.kind === "bugcheck" || e.kind === "call", 6),
      });
    }
    return {
      title,
      passed: this.failures.length === 0,
      failures: [...this.failures],
      trace: this.machine.trace,
      ...(this.#stopped ? { stoppedAt: this.#stopped.index } : {}),
    };
  }
}

/** Runs a scenario's steps on a fresh machine and keeps the machine (for pictures and reports). */
export function runScenarioWithMachine(
  data: ScenarioData,
): { result: ScenarioResult; machine: Machine | null } {
  let machine: Machine;
  try {
    machine = bootFor(data.boot);
  } catch (e) {
    return {
      result: {
        title: data.title,
        passed: false,
        failures: [{
          message: `Cannot boot: ${(e as Error).message}`,
          ...(data.file ? { file: data.file } : {}),
        }],
        trace: [],
      },
      machine: null,
    };
  }
  const runner = new Runner(machine, { stopAfterFailedAction: true });
  for (const step of data.steps) runner.run(step);
  return { result: runner.finish(data.title), machine };
}

/** Runs a scenario's steps on a fresh machine. */
export function runScenarioData(data: ScenarioData): ScenarioResult {
  return runScenarioWithMachine(data).result;
}
