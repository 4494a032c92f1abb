/**
 * The machine's internals shared by every subsystem: clock, trace, registry tree, handle table,
 * the stack of callers, IRQL and the halted state after a bug check. Routines receive it; users see
 * it only through `Machine` and `Kernel`.
 *
 * @module
 */
import { BugCheck } from "./bugcheck.ts";
import { PASSIVE_LEVEL } from "./constants.ts";
import { ROUTINE_IRQL } from "./irql.ts";
import { ruleNamed } from "./verifier/rules.ts";
import { IoManager } from "./io/iomgr.ts";
import type { DeviceObject } from "./io/objects.ts";
import { Dispatcher } from "./ke/dispatcher.ts";
import { PowerManager } from "./po/pomgr.ts";
import type { Kernel } from "./kernel.ts";
import type { PnpManager } from "./pnp/pnpmgr.ts";
import type { InterfaceManager } from "./pnp/interfaces.ts";
import type { Notifications } from "./pnp/notify.ts";
import type { UserMode } from "./pnp/usermode.ts";
import { HandleTable } from "./ob/handles.ts";
import { Hive, type KeyNode } from "./registry/hive.ts";
import { Trace } from "./trace/trace.ts";

/** Who is running: the host, the PnP manager, or a driver routine; with its process, mode and IRQL. */
export interface CallerFrame {
  /** `host`, `PnP`, `toaster!AddDevice`, `app:notify` ... */
  readonly name: string;
  /** The driver whose code runs, or null for the host and the system. */
  readonly driver: string | null;
  /** The process context: `System` for system threads, an application's name for its requests. */
  readonly process: string;
  /** KernelMode for drivers and the system; UserMode for requests coming from an application. */
  readonly previousMode: "KernelMode" | "UserMode";
  /** The current IRQL of this context. */
  irql: number;
}

/** The host: a test, a scenario or the REPL acting like an administrator's tools, in a system thread. */
export const HOST_FRAME_NAME = "host";

/** Options that change the machine's behaviour. */
export interface SystemOptions {
  verifier: "strict" | "warn" | "off";
  safeMode: boolean;
  /** How many queued actions one drain may run before it reports a runaway queue. */
  maxQueuedActions?: number;
}

/** The shared internals of one machine. */
export class System {
  /** The one thread of control: the clock, the work queue, waits. */
  readonly ke: Dispatcher;
  /** Simulated clock, advanced by each PnP action and host step (the dispatcher's). */
  get clock(): number {
    return this.ke.clock;
  }
  set clock(value: number) {
    this.ke.clock = value;
  }
  /** The trace. */
  readonly trace: Trace = new Trace();
  /** The registry tree. */
  hive: Hive = new Hive();
  /** Key handles (kernel and per process). */
  readonly keyHandles: HandleTable<KeyNode> = new HandleTable<KeyNode>();
  /** The stack of callers; the last one is running. */
  readonly callers: CallerFrame[] = [];
  /** Set once a bug check has stopped the machine. */
  halted: BugCheck | null = null;
  /** The options the machine was booted with. */
  options: SystemOptions;
  /** Where ZwFlushKey and saves write the hive, if the machine has a hive file. */
  hiveFile: string | null = null;

  /** The I/O manager's state. */
  readonly io: IoManager = new IoManager();
  /** The power manager: system and device power states, power IRPs, transitions. */
  readonly po: PowerManager = new PowerManager(this);
  /** The PnP manager. */
  pnp!: PnpManager;
  /** Device interfaces. */
  interfaces!: InterfaceManager;
  /** PnP notifications. */
  notify!: Notifications;
  /** User-mode applications. */
  users!: UserMode;
  /** The kernel routines drivers are handed. */
  kernel!: Kernel;
  /** Called by ZwFlushKey: the machine writes its hive file, if it has one. */
  onFlush: () => void = () => {};

  /** Creates the internals with the host as the first caller. */
  constructor(options: SystemOptions) {
    this.options = options;
    this.ke = new Dispatcher(options.maxQueuedActions);
    this.callers.push({
      name: HOST_FRAME_NAME,
      driver: null,
      process: "System",
      previousMode: "KernelMode",
      irql: PASSIVE_LEVEL,
    });
    // Every trace event reads these: straight to the dispatcher's clock and the top caller frame.
    const ke = this.ke;
    const callers = this.callers;
    this.trace.now = () => ke.clock;
    this.trace.caller = () => callers[callers.length - 1]!.name;
  }

  /** Wires a (new) hive to the clock and the trace. */
  attachHive(hive: Hive): void {
    this.hive = hive;
    hive.now = () => this.clock;
    hive.friendly = (node) => friendlyPath(node.path);
    hive.onWrite = (w) => {
      this.trace.push(w);
    };
  }

  /** The verifier's findings. */
  readonly findings: { rule: string; severity: string; message: string; doc?: string }[] = [];

  /**
   * A verifier rule was broken. Rules Windows always bug checks on, and Driver Verifier rules in
   * "strict" mode, stop the machine with the rule's bug check (`parameters` follow the rule's
   * parameter 1); otherwise the violation is a finding (none in "off" mode). `device` is the
   * device object the violation is about, when the bug check names one (see `BugCheck.device`).
   */
  violate(rule: string, message: string, parameters: number[] = [], device?: DeviceObject): void {
    const r = ruleNamed(rule);
    const mode = this.options.verifier;
    if (r?.bugCheck && (r.always || mode === "strict")) {
      this.bugCheck(r.bugCheck.code, [r.bugCheck.parameter1, ...parameters], message, rule, device);
    }
    if (mode === "off") return;
    const f = {
      rule,
      severity: r?.severity ?? "warning",
      message,
      ...(r?.doc ? { doc: r.doc } : {}),
    };
    this.findings.push(f);
    this.trace.push({ kind: "finding", ...f });
  }

  /** Records a verifier finding for a rule (see `violate`). */
  verifierFinding(rule: string, message: string): void {
    this.violate(rule, message);
  }

  /** Flushes the hive (ZwFlushKey). */
  flush(): void {
    this.onFlush();
  }

  /** The running caller. */
  get caller(): CallerFrame {
    return this.callers[this.callers.length - 1]!;
  }

  /** Runs `fn` as `frame` (a driver routine, the PnP manager ...), restoring the previous caller after. */
  as<T>(frame: Omit<CallerFrame, "irql"> & { irql?: number }, fn: () => T): T {
    return this.asFrame({
      name: frame.name,
      driver: frame.driver,
      process: frame.process,
      previousMode: frame.previousMode,
      irql: frame.irql ?? PASSIVE_LEVEL,
    }, fn);
  }

  /** `as` with a frame the caller made for this call alone (it is pushed itself, not copied). */
  asFrame<T>(frame: CallerFrame, fn: () => T): T {
    this.callers.push(frame);
    try {
      return fn();
    } finally {
      this.callers.pop();
    }
  }

  /** Throws the machine's bug check if it has stopped. */
  checkRunning(): void {
    if (this.halted) throw this.halted;
  }

  /** Stops the machine with a bug check: records it, remembers it, throws it. */
  bugCheck(
    code: number,
    parameters: number[],
    message: string,
    rule?: string,
    device?: DeviceObject,
  ): never {
    const b = new BugCheck(code, parameters, message, rule, device);
    this.trace.push({
      kind: "bugcheck",
      code,
      name: b.name,
      parameters: b.parameters,
      message,
      ...(rule ? { rule } : {}),
      ...(device ? { device: String(device) } : {}),
    });
    this.halted = b;
    throw b;
  }

  /** Checks a routine's IRQL requirement (the DDI rule's 0xC4, or 0xA, in strict mode; a finding in warn mode). */
  checkIrql(routine: string): void {
    const irql = this.callers[this.callers.length - 1]!.irql;
    if (irql === 0) return;
    const req = ROUTINE_IRQL[routine];
    if (!req || irql <= req.max) return;
    const message = `${routine} called at IRQL ${irql}; it requires IRQL <= ${req.max}`;
    // With a DDI compliance rule: Driver Verifier's 0xC4 in strict mode, a finding in warn mode.
    // Without one: what pageable code at raised IRQL does, 0xA (strict), or a finding (warn).
    if (req.rule) this.violate(req.rule, message, [irql, 0, 0]);
    else this.violate("IrqlRequirement", message, [irql, 0, 0]);
  }
}

/** `\Registry\Machine\SYSTEM\ControlSet001\X` as `HKLM\SYSTEM\CurrentControlSet\X` (what ProcMon and regedit users read). */
export function friendlyPath(kernelPath: string): string {
  return kernelPath
    .replace(/^\\REGISTRY\\MACHINE(?=\\|$)/i, "HKLM")
    .replace(/^\\REGISTRY\\USER(?=\\|$)/i, "HKU")
    .replace(/^HKLM\\SYSTEM\\ControlSet001(?=\\|$)/i, "HKLM\\SYSTEM\\CurrentControlSet");
}
