/**
 * What a REPL command is: one row per command (`!devnode`, `reg add`, `pnputil /enum-devices`, `bp`,
 * `.save` ...) holding its usage, its line of help, its completion and its handler. `.help`, Tab
 * completion and the did-you-mean for an unknown command are all read from the rows, so adding a
 * command is adding a row (in the file of its group) and its tests.
 *
 * @module
 */
import type { Machine } from "../../lib/machine.ts";
import type { DeviceObject } from "../../lib/io/objects.ts";
import type { TraceEvent } from "../../lib/trace/trace.ts";
import type { Debugger } from "../debug.ts";
import type { Runner } from "../runner.ts";
import type { MachineVerb } from "../steps.ts";
import { didYouMean } from "../steps.ts";

/** What a command's handler may print, end the session with, or ask the terminal to wait for. */
export interface CommandOutput {
  /** The text to print (may be empty). */
  output: string;
  /** The session asked to end (`.exit`). */
  exit?: boolean;
}

/**
 * What a command sees of the session. `machine` is the machine the inspection commands look at: at
 * a debugger stop the replayed machine as it was at that event, else the session's own.
 */
export interface CommandHost {
  /** The machine to show: the replayed one at a debugger stop, else the session's. */
  readonly machine: Machine;
  /** The session's own machine (at the end of what was typed), which commands that change it use. */
  readonly live: Machine;
  /** The session's runner: its recorded steps and the names they gave. */
  readonly runner: Runner;
  /** The debugger over the session's recorded steps (made on first use). */
  readonly debugger: Debugger;
  /** The event the inspection commands look at, or null at the session's end. */
  readonly stoppedAt: number | null;
  /** Leaves a debugger stop: the inspection commands look at the session's machine again. */
  leaveStop(): void;
  /** A device object by scenario name, instance ID or object name. */
  findDevice(name: string): DeviceObject | undefined;
  /** Why no device answers to a name, with a did-you-mean. */
  noDevice(name: string): string;
  /** Runs a machine verb as if typed (`machine.disable(pdo)`): recorded as its step when it has one. */
  machineVerb(method: string, args: unknown[]): unknown;
  /** Calls a kernel routine as if typed (`k.IoX(...)`): recorded as a `call` step when it can be. */
  kernelCall(routine: string, args: unknown[]): unknown;
  /** Colours text when the session is coloured. */
  paint(code: number, text: string): string;
  /** The session's operations that are more than a view (load, save, reset, modules). */
  readonly session: SessionOperations;
}

/** The session operations the meta commands run. */
export interface SessionOperations {
  /** `.load` (importing the file's driver modules). */
  load(spec: string): Promise<string>;
  /** `.save`. */
  save(path: string): string;
  /** `.reset`. */
  reset(): string;
  /** `.reboot [safe]`. */
  reboot(safe: boolean): string;
  /** `.driver <path> [export]`. */
  loadModule(path: string, name: string | undefined): Promise<string>;
  /** `.reload`. */
  reload(): Promise<string>;
  /** A scenario file's run (`file.yaml#n`), for `.diff`. */
  scenarioTrace(spec: string): Promise<{ trace: readonly TraceEvent[] } | { problem: string }>;
  /** The export names of a module file, for completion. */
  moduleExports(path: string): string[];
  /** Whether output is coloured. */
  readonly color: boolean;
}

/** One row of the command table. */
export interface Command {
  /** The command as typed: `!devnode`, `reg add`, `pnputil /enum-devices`, `bp`, `.save`. */
  name: string;
  /** Its arguments, as `.help` shows them after the name. */
  usage: string;
  /** What it does, in a line. */
  help: string;
  /** Which block of `.help` lists it. */
  group: CommandGroup;
  /**
   * It changes the session's machine (`reg add`, `pnputil /disable-device`): at a debugger stop it
   * leaves the stop first, since a change is made at the session's end, not in the past.
   */
  changes?: true;
  /** Completion candidates for the word being typed in `rest` (the text after the name). */
  complete?(host: CommandHost, rest: string): string[];
  /** Runs the command; `arg` is the text after the name, trimmed. */
  run(host: CommandHost, arg: string): string | CommandOutput | Promise<string | CommandOutput>;
}

/** The blocks of `.help`, in order. */
export const COMMAND_GROUPS = {
  inspect: "Debugger extensions (at a stop: the machine at that event)",
  debug: "Breakpoints, stepping and rewinding (on a replay of the recorded steps)",
  registry: "reg.exe",
  pnputil: "pnputil.exe (recorded for .save where a step does the same)",
  power: "Power (recorded as the power steps for .save)",
  meta: "Meta commands",
} as const;

/** A block of `.help`. */
export type CommandGroup = keyof typeof COMMAND_GROUPS;

/** The usage line of a command: its name and arguments. */
export function usageOf(c: Command): string {
  return `Usage: ${c.name}${c.usage ? ` ${c.usage}` : ""}`;
}

/**
 * A command table: finds the row a line names, and derives help, completion and did-you-mean from
 * the rows.
 */
export class CommandTable {
  readonly #rows: readonly Command[];

  /** A table of these rows (their order is `.help`'s within a group). */
  constructor(rows: readonly Command[]) {
    this.#rows = rows;
  }

  /** Every row. */
  get rows(): readonly Command[] {
    return this.#rows;
  }

  /**
   * The row a line names and the text after its name, the longest name first (`reg add` before a
   * `reg` family's usage). A bare word command (`g`, `k`, `bp`) is one only when what follows it
   * cannot be TypeScript using a variable of that name (`g = 1`, `k.IoX()`).
   */
  find(line: string): { command: Command; arg: string } | undefined {
    const lower = line.toLowerCase();
    let best: Command | undefined;
    for (const c of this.#rows) {
      const name = c.name.toLowerCase();
      if (!lower.startsWith(name)) continue;
      const after = line.slice(name.length);
      if (after && !/^\s/.test(after)) continue;
      if (/^\w+$/.test(c.name) && /^\s*[=(.[+\-/%<>&|?:;,`'"]/.test(after)) continue;
      if (!best || c.name.length > best.name.length) best = c;
    }
    return best ? { command: best, arg: line.slice(best.name.length).trim() } : undefined;
  }

  /**
   * What an unknown command of a known family gets: `!devnod` → `!devnode`, `reg ad` → `reg add`,
   * `pnputil /enum-device` → `pnputil /enum-devices`. Undefined for a line no family claims (it
   * is TypeScript).
   */
  unknown(line: string): string | undefined {
    const [first = "", second = ""] = line.split(/\s+/);
    const prefixed = /^[!.]/.test(first);
    const family = this.#rows.filter((c) => c.name.includes(" ")).map((c) => c.name.split(" ")[0]!)
      .find((f) => f.toLowerCase() === first.toLowerCase());
    if (!prefixed && !family) return undefined;
    // `reg + 1`: a variable of that name in TypeScript.
    if (family && second && !/^[\w/]/.test(second)) return undefined;
    if (family) {
      const names = this.#rows.filter((c) => c.name.split(" ")[0] === family).map((c) => c.name);
      const typed = `${family} ${second}`;
      const hint = second
        ? didYouMean(typed, names) ??
          names.find((n) => n.toLowerCase().includes(second.toLowerCase()))
        : undefined;
      return `Unknown ${family} command '${second || "(none)"}' (${
        hint ? `did you mean '${hint}'?` : `one of: ${names.join(", ")}`
      })`;
    }
    const names = this.#rows.filter((c) => c.name.startsWith(first[0]!)).map((c) => c.name);
    const hint = didYouMean(first, names);
    const what = first.startsWith("!") ? "extension" : "command";
    return `Unknown ${what} '${first}' (${hint ? `did you mean '${hint}'?` : "try .help"})`;
  }

  /**
   * Tab completion for a command line: the names a partial first word (or a family's second word)
   * could be, then a row's own completion of its argument. Undefined when no row claims the line.
   */
  complete(host: CommandHost, line: string): [string[], string] | undefined {
    const found = this.find(line);
    if (found && line.length > found.command.name.length) {
      const rest = line.slice(found.command.name.length).replace(/^\s+/, "");
      const word = /"?([^\s"]*)$/.exec(rest)?.[1] ?? "";
      return [found.command.complete?.(host, rest) ?? [], word];
    }
    // A bare word is TypeScript until a space makes it a family's (`reg `, `pnputil /`).
    if (!/^[!.]/.test(line) && !/\s/.test(line)) return undefined;
    const lower = line.toLowerCase();
    const names = this.#rows.map((c) => c.name).filter((n) => n.toLowerCase().startsWith(lower));
    return names.length ? [names, line] : undefined;
  }

  /** `.help`: the rows by group, each name and usage padded to a column, then its line of help. */
  help(intro: string): string {
    const width = Math.min(
      40,
      Math.max(...this.#rows.map((c) => `${c.name} ${c.usage}`.trimEnd().length)) + 2,
    );
    const blocks = Object.entries(COMMAND_GROUPS).flatMap(([group, title]) => {
      const rows = this.#rows.filter((c) => c.group === group);
      if (!rows.length) return [];
      return [
        `${title}:`,
        ...rows.map((c) => {
          const head = `${c.name} ${c.usage}`.trimEnd();
          return head.length >= width
            ? `  ${head}\n  ${"".padEnd(width)}${c.help}`
            : `  ${head.padEnd(width)}${c.help}`;
        }),
      ];
    });
    return [intro, ...blocks].join("\n");
  }

  /** `.help <command>`: one row's usage and help, or undefined when no row has that name. */
  helpFor(name: string): string | undefined {
    const c = this.#rows.find((r) => r.name.toLowerCase() === name.toLowerCase());
    return c ? `${usageOf(c)}\n${c.help}` : undefined;
  }
}

/** A machine verb as the step table describes it, for `CommandHost.machineVerb`. */
export type { MachineVerb };
