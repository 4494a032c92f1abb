/**
 * WinDbg's breakpoint and stepping commands at the prompt (`bp`, `bl`, `bc`, `g`, `p`, `k`, and the
 * REPL's `.back [n]`, `.goto #N`), on a replay of the session's recorded steps (dsl/debug.ts), and
 * `.diff`, which lines up two runs' traces (dsl/diff.ts). A stop leaves the inspection commands
 * looking at the replayed machine at that event; going on or back is another replay.
 *
 * @module
 */
import type { TraceEvent } from "../../lib/trace/trace.ts";
import { formatEvent } from "../../lib/trace/format.ts";
import { breakpointMatches, type Replayed } from "../debug.ts";
import { diffTraces, renderDiff } from "../diff.ts";
import type { Command, CommandHost } from "./table.ts";

/** The trace event the debugger stands at, and the one before it (whose caller `bp` compares). */
function eventAndPrevious(r: Replayed): { event: TraceEvent; previous: string } | undefined {
  const stop = r.stop;
  if (!stop) return undefined;
  const trace = r.machine.trace;
  const i = trace.findIndex((e) => e.seq === stop.event.seq);
  return { event: stop.event, previous: i > 0 ? trace[i - 1]!.caller : "" };
}

/** What a replay that ran to the end of the recorded steps prints. */
function ranToEnd(host: CommandHost, what: string): string {
  host.leaveStop();
  const last = host.live.trace.at(-1)?.seq ?? 0;
  return `${what}: the replay ran to the end (#${last}); the commands show the session's machine again`;
}

/** A stop, as the debugger prints it: which breakpoint, the event, and where the prompt now looks. */
function stopText(r: Replayed, heading: (seq: number) => string): string {
  const at = eventAndPrevious(r)!;
  return [
    heading(at.event.seq),
    formatEvent(at.event),
    `(at #${at.event.seq}: !devnode, !devstack, !irp, reg query and k show the machine at this event)`,
  ].join("\n");
}

/** `g`: the breakpoint that stopped the replay, by number. */
function breakpointHit(host: CommandHost, r: Replayed): number {
  const at = eventAndPrevious(r);
  if (!at) return -1;
  return host.debugger.breakpoints.findIndex((bp) => breakpointMatches(bp, at.event, at.previous));
}

/** A count argument (`p 3`, `.back 10`), default 1. */
function count(arg: string): number | undefined {
  if (!arg) return 1;
  const n = Number(arg);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** The debugger's rows. */
export const DEBUG_COMMANDS: readonly Command[] = [
  {
    name: "bp",
    usage: "<driver>!<Routine> | IRP_MN_<name> [device] | <routine> | #<event>",
    help:
      "set a breakpoint (a driver routine entered, a PnP IRP arriving, a kernel call, an event)",
    group: "debug",
    complete(host, rest) {
      const word = rest.split(/\s+/).at(-1) ?? "";
      const bang = word.indexOf("!");
      if (bang > 0) {
        const driver = word.slice(0, bang);
        return [
          "DriverEntry",
          "AddDevice",
          "DispatchPnp",
          "DispatchCreate",
          "DispatchClose",
          "DispatchDeviceControl",
          "CompletionRoutine",
          "WorkItem",
          "NotificationCallback",
          "DriverUnload",
        ].map((r) => `${driver}!${r}`).filter((c) =>
          c.toLowerCase().startsWith(word.toLowerCase())
        );
      }
      const drivers = host.live.drivers().map((d) => `${d.name}!`);
      return drivers.filter((d) => d.toLowerCase().startsWith(word.toLowerCase()));
    },
    run(host, arg) {
      // Events are numbered from #1.
      if (/^#0+$/.test(arg.trim())) {
        return "No event #0: events are numbered from #1 (.trace shows them)";
      }
      const r = host.debugger.bp(arg);
      if (typeof r !== "number") return r.error;
      return `Breakpoint ${r} set: ${host.debugger.bl().split("\n")[r]!.replace(/^ \d+ e /, "")}`;
    },
  },
  {
    name: "bl",
    usage: "",
    help: "list the breakpoints",
    group: "debug",
    run: (host) => host.debugger.bl(),
  },
  {
    name: "bc",
    usage: "<n> | *",
    help: "clear a breakpoint (* clears them all)",
    group: "debug",
    run(host, arg) {
      if (!arg) return "Usage: bc <n> | *";
      return host.debugger.bc(arg)
        ? arg.trim() === "*" ? "Breakpoints cleared" : `Breakpoint ${arg} cleared`
        : `No breakpoint ${arg} (bl lists them)`;
    },
  },
  {
    name: "g",
    usage: "",
    help: "replay to the next breakpoint (from the start, or from the current stop)",
    group: "debug",
    run(host, arg) {
      if (arg) return "Usage: g";
      if (!host.debugger.breakpoints.length) return "No breakpoints (bp sets one)";
      const r = host.debugger.g();
      if (!r.stop) return ranToEnd(host, "No breakpoint hit");
      const n = breakpointHit(host, r);
      return stopText(r, (seq) => `Breakpoint ${n} hit at #${seq}`);
    },
  },
  {
    name: "p",
    usage: "[n]",
    help: "step to the next traced event (n events)",
    group: "debug",
    run(host, arg) {
      const n = count(arg);
      if (n === undefined) return "Usage: p [n] (n >= 1)";
      const last = host.live.trace.at(-1)?.seq ?? 0;
      if (host.debugger.position + n > last) return ranToEnd(host, "Stepped past the last event");
      const r = host.debugger.p(n);
      if (!r.stop) return ranToEnd(host, "Stepped past the last event");
      return stopText(r, (seq) => `Step to #${seq}`);
    },
  },
  {
    name: ".back",
    usage: "[n]",
    help: "rewind n events (default 1): a replay to the earlier one",
    group: "debug",
    run(host, arg) {
      const n = count(arg);
      if (n === undefined) return "Usage: .back [n] (n >= 1)";
      if (host.stoppedAt === null) {
        // From the session's end: the last event is where rewinding starts.
        const last = host.live.trace.at(-1)?.seq ?? 1;
        const r = host.debugger.goto(Math.max(1, last - n));
        if (!r.stop) return ranToEnd(host, "Nothing to rewind");
        return stopText(r, (seq) => `Back to #${seq}`);
      }
      const r = host.debugger.back(n);
      if (!r.stop) return ranToEnd(host, "Nothing to rewind");
      return stopText(r, (seq) => `Back to #${seq}`);
    },
  },
  {
    name: ".goto",
    usage: "#<event>",
    help: "the machine as it was at an event (a replay stopped there)",
    group: "debug",
    run(host, arg) {
      const m = /^#?(\d+)$/.exec(arg);
      if (!m || Number(m[1]) < 1) return "Usage: .goto #<event> (an event number from .trace)";
      const seq = Number(m[1]);
      const last = host.live.trace.at(-1)?.seq ?? 0;
      if (seq > last) return `No event #${seq}: the session's last event is #${last}`;
      const r = host.debugger.goto(seq);
      if (!r.stop) return ranToEnd(host, `No event #${seq}`);
      return stopText(r, (s) => `At #${s}`);
    },
  },
  {
    name: "k",
    usage: "",
    help: "the caller stack at the stop: who called whom down to this event",
    group: "debug",
    run: (host) => host.debugger.k(),
  },
  {
    name: ".diff",
    usage: "<a.yaml>[#n] [<b.yaml>[#n]]",
    help: "where two runs part: the session against a scenario file, or two files",
    group: "debug",
    async run(host, arg) {
      const specs = arg.split(/\s+/).filter(Boolean);
      if (specs.length < 1 || specs.length > 2) {
        return "Usage: .diff <a.yaml>[#n] [<b.yaml>[#n]] (one file: the session against it)";
      }
      const runs: { name: string; trace: readonly TraceEvent[] }[] = [];
      if (specs.length === 1) runs.push({ name: "this session", trace: host.live.trace });
      for (const spec of specs) {
        const r = await host.session.scenarioTrace(spec);
        if ("problem" in r) return r.problem;
        runs.push({ name: spec, trace: r.trace });
      }
      const [a, b] = runs as [typeof runs[0], typeof runs[0]];
      return renderDiff(diffTraces(a.trace, b.trace), [a.name, b.name]).trimEnd();
    },
  },
];
