/**
 * What a step's `run` works with: the machine, the names earlier steps gave (devices, interfaces,
 * listeners, handles, call results), where each expectation last looked in the trace, and the
 * conversions every step shares (a GUID name to its value, a `REG_*` name to its number, an argument
 * naming a device to its PDO). One per run; the runner keeps it, the step table's rows use it.
 *
 * @module
 */
import type { BugCheck } from "../../lib/bugcheck.ts";
import * as constants from "../../lib/constants.ts";
import { REG_BINARY, REG_NONE, REG_QWORD, REG_TYPE_NAMES } from "../../lib/constants.ts";
import type { DeviceObject, DriverObject, DriverSpec, FileObject } from "../../lib/io/objects.ts";
import type { Machine } from "../../lib/machine.ts";
import * as statuses from "../../lib/ntstatus.ts";
import { STATUS_SUCCESS } from "../../lib/ntstatus.ts";
import type { Handle } from "../../lib/ob/handles.ts";
import type { NotificationEntry } from "../../lib/pnp/notify.ts";
import type { RegData } from "../../lib/registry/data.ts";
import { formatEvent } from "../../lib/trace/format.ts";
import type { TraceEvent } from "../../lib/trace/trace.ts";
import { ruleNamed } from "../../lib/verifier/rules.ts";
import { resolveGuid } from "../guids.ts";
import type { StepBase } from "./row.ts";

/** Thrown by a step's `run` to stop the step with a failure message. */
export class StepError extends Error {}

/**
 * WDK constant names a scenario may use as arguments (lib/constants.ts and lib/ntstatus.ts).
 *
 * @example
 * ```ts
 * import { WDK_CONSTANTS } from "./context.ts";
 * import assert from "node:assert/strict";
 * assert.equal(WDK_CONSTANTS.STATUS_SUCCESS, 0);
 * ```
 */
export const WDK_CONSTANTS: Readonly<Record<string, unknown>> = { ...constants, ...statuses };

/** A kernel listener a scenario registered. */
export interface Listener {
  /** The listener's own driver object (the notification's owner). */
  driver: DriverObject;
  /** Its registration, null once unregistered (or after a reboot). */
  entry: NotificationEntry | null;
  /** The trace position up to which its notifications were checked. */
  cursor: number;
  /** The file object a target listener holds on its device. */
  file: FileObject | null;
}

/**
 * Whether a loaded driver lists one of these hardware or compatible IDs (any case): a device no
 * driver lists gets the runner's pass-through function driver when its step names none.
 *
 * @example
 * ```ts
 * import { boot } from "../../lib/machine.ts";
 * import { hasDriverFor } from "./context.ts";
 * import assert from "node:assert/strict";
 * const m = boot();
 * m.loadDriver({ name: "toaster", hardwareIds: ["ROOT\\TOASTER"] });
 * assert.equal(hasDriverFor(m, ["root\\toaster"]), true);
 * ```
 */
export function hasDriverFor(machine: Machine, ids: readonly string[]): boolean {
  const wanted = ids.map((i) => String(i).toUpperCase());
  return machine.drivers().some((d) =>
    d.spec.hardwareIds?.some((h) => wanted.includes(h.toUpperCase()))
  );
}

/** The state of one run of steps on one machine, and what steps share. */
export class StepContext {
  /** The machine the steps run on. */
  machine: Machine;
  /** Devices by scenario name: the instance ID and the PDO it had (a removed device keeps its last). */
  readonly devices: Map<string, { instanceId: string; pdo: DeviceObject }> = new Map();
  /** Interfaces by scenario name: their symbolic links. */
  readonly interfaces: Map<string, string> = new Map();
  /** Kernel listeners by name. */
  readonly listeners: Map<string, Listener> = new Map();
  /** Application handles by name. */
  readonly handles: Map<string, Handle> = new Map();
  /** Per device name: the trace position up to which expectIrps has looked. */
  readonly irpCursor: Map<string, number> = new Map();
  /** Per application: how many of its messages expectMessages has checked. */
  readonly messageCursor: Map<string, number> = new Map();
  /** What each named `call` returned. */
  readonly results: Map<string, unknown> = new Map();
  /** The last step's NTSTATUS. */
  lastStatus: number = STATUS_SUCCESS;
  /** The bug check that stopped the machine, until a reboot. */
  bugCheck: BugCheck | null = null;
  /** An expectBugCheck step expected it. */
  bugCheckExpected = false;
  /** A step that hung (PnpHangError), until the next step says whether that was expected. */
  hang: { step: StepBase; index: number; message: string } | null = null;
  /** The pass-through function driver given to devices no loaded driver lists, once loaded. */
  passthru: DriverSpec | null = null;

  /** Creates the context of a run on a machine. */
  constructor(machine: Machine) {
    this.machine = machine;
  }

  /** Records a step's NTSTATUS (as an unsigned number), for expectStatus. */
  status(s: number): void {
    this.lastStatus = s >>> 0;
  }

  /** The PDO of a named device (present, or the last one it had). */
  pdo(id: string): DeviceObject {
    const d = this.devices.get(id);
    if (!d) throw new StepError(`Unknown device '${id}'${this.suggest(this.devices.keys())}`);
    return this.machine.device(d.instanceId) ?? d.pdo;
  }

  /** The instance ID of a named device. */
  instanceOf(id: string): string {
    this.pdo(id);
    return this.devices.get(id)!.instanceId;
  }

  /** The symbolic link of a named interface. */
  link(id: string): string {
    const l = this.interfaces.get(id);
    if (!l) throw new StepError(`Unknown interface '${id}'${this.suggest(this.interfaces.keys())}`);
    return l;
  }

  /** A named listener. */
  listener(id: string): Listener {
    const l = this.listeners.get(id);
    if (!l) throw new StepError(`Unknown listener '${id}'${this.suggest(this.listeners.keys())}`);
    return l;
  }

  /** A named handle. */
  handle(id: string): Handle {
    const h = this.handles.get(id);
    if (!h) throw new StepError(`Unknown handle '${id}'`);
    return h;
  }

  /** " (known: a, b)" after an unknown name, or "" when no name is known. */
  suggest(known: Iterable<string>): string {
    const list = [...known];
    return list.length ? ` (known: ${list.join(", ")})` : "";
  }

  /** A GUID value from a GUID or a well-known name. */
  guid(g: string): string {
    const v = resolveGuid(g);
    if (!v) throw new StepError(`'${g}' is not a GUID or a known GUID name`);
    return v;
  }

  /** A `REG_*` type number from its name or number. */
  regType(t: unknown): number {
    if (typeof t === "number") return t;
    const hit = Object.entries(REG_TYPE_NAMES).find(([, name]) => name === t);
    if (!hit) throw new StepError(`Unknown registry type '${String(t)}'`);
    return Number(hit[0]);
  }

  /** Registry data from its scenario form: REG_QWORD from a number or text, REG_BINARY and REG_NONE from hex. */
  data(data: unknown, type: number): RegData {
    if (type === REG_QWORD && (typeof data === "number" || typeof data === "string")) {
      return BigInt(data);
    }
    if ((type === REG_BINARY || type === REG_NONE) && typeof data === "string") {
      return new Uint8Array((data.match(/[0-9a-f]{2}/gi) ?? []).map((h) => parseInt(h, 16)));
    }
    return data as RegData;
  }

  /** A `call` argument: names become objects (devices, interfaces, results), constant and GUID names their values. */
  arg(a: unknown): unknown {
    if (Array.isArray(a)) return a.map((x) => this.arg(x));
    if (typeof a !== "string") return a;
    if (this.devices.has(a)) return this.pdo(a);
    if (this.interfaces.has(a)) return this.interfaces.get(a);
    if (this.results.has(a)) return this.results.get(a);
    const dot = a.indexOf(".");
    if (dot > 0 && this.results.has(a.slice(0, dot))) {
      return (this.results.get(a.slice(0, dot)) as Record<string, unknown> | null)
        ?.[a.slice(dot + 1)];
    }
    if (a in WDK_CONSTANTS) return WDK_CONSTANTS[a];
    const guid = resolveGuid(a);
    return guid ?? a;
  }

  /** The NTSTATUS a routine's result carries (a bare number, or its `status`). */
  statusOf(result: unknown): number {
    if (typeof result === "number") return result;
    return (result as { status?: number } | null)?.status ?? STATUS_SUCCESS;
  }

  /** The last `n` trace events that pass `filter`, as a failure message quotes them. */
  excerpt(filter: (e: TraceEvent) => boolean, n = 8): string {
    const lines = this.machine.trace.filter(filter).slice(-n).map((e) => "    " + formatEvent(e));
    return lines.length ? "  trace:\n" + lines.join("\n") : "  (nothing relevant in the trace)";
  }

  /** The registry writes near a path, for a failed registry expectation. */
  regExcerpt(path: string): string {
    const tail = path.split("\\").slice(-2).join("\\");
    return "\n" + this.excerpt((e) => e.kind === "reg" && e.path.includes(tail), 5);
  }

  /** An enabled interface of a device (or the interface itself when the name is an interface). */
  targetLink(name: string): string | undefined {
    if (this.interfaces.has(name)) return this.interfaces.get(name);
    const instance = this.instanceOf(name).toUpperCase();
    return this.machine.interfaces().find((i) =>
      i.instanceId.toUpperCase() === instance && i.enabled
    )?.symbolicLinkName;
  }

  /** A device whose driver the scenario does not name gets a default pass-through function driver, so it starts. */
  ensureDriver(hardwareIds: string[], compatibleIds: string[]): void {
    if (hasDriverFor(this.machine, [...hardwareIds, ...compatibleIds])) return;
    if (!this.passthru) {
      this.passthru = { name: "passthru", hardwareIds: [] };
      this.machine.loadDriver(this.passthru);
    }
    this.passthru.hardwareIds!.push(hardwareIds[0]!);
  }
}

/** "  Rule X (source, severity): what it checks\n  see: doc page\n" for a verifier rule, or "". */
export function ruleNote(rule: string | undefined): string {
  const r = rule ? ruleNamed(rule) : undefined;
  return r ? `  Rule ${r.name} (${r.source}, ${r.severity}): ${r.checks}\n  see: ${r.doc}\n` : "";
}
