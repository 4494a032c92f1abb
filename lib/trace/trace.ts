/**
 * The trace: every routine call, IRP, notification, registry write and state change, in order, as
 * plain JSON-serialisable objects. Expectations, renderers, the REPL and reports read only this.
 *
 * @module
 */

/** Fields every trace event has. */
export interface TraceEventBase {
  /** Position in the trace, from 1. */
  seq: number;
  /** The simulated clock when the event happened. */
  time: number;
  /** Who was running: `host`, `PnP`, `toaster!AddDevice`, `app:notify` ... */
  caller: string;
}

/** A kernel routine call, recorded on entry; `status` (or `result`) is filled in when it returns. */
export interface CallEvent extends TraceEventBase {
  /** Discriminant: a kernel routine call. */
  kind: "call";
  /** The routine's WDK name, e.g. `ZwCreateKey`. */
  routine: string;
  /** The arguments by WDK parameter name, described as plain JSON. */
  args: Record<string, unknown>;
  /** The NTSTATUS the routine returned, when it returns one. */
  status?: number;
  /** The name of `status`, e.g. `STATUS_SUCCESS`. */
  statusName?: string;
  /** The out-parameters (or a non-NTSTATUS return value), described as plain JSON. */
  result?: unknown;
}

/** An IRP reaching a device object's dispatch routine, or its completion. */
export interface IrpEvent extends TraceEventBase {
  /** Discriminant: an IRP dispatch or completion. */
  kind: "irp";
  /** `dispatch` when a driver's dispatch routine receives it, `complete` when IoCompleteRequest finishes it. */
  phase: "dispatch" | "complete";
  /** The IRP's number, the same for its dispatch and completion events. */
  irp: number;
  /** The major function's name, e.g. `IRP_MJ_PNP`. */
  major: string;
  /** The minor function's name for `IRP_MJ_PNP` and `IRP_MJ_POWER`, e.g. `IRP_MN_START_DEVICE`. */
  minor?: string;
  /** The device object it went to, e.g. `\Device\00000003 (FDO toaster)`. */
  device: string;
  /** The driver whose routine ran. */
  driver: string;
  /** The device instance ID of the stack (its PDO's devnode). */
  instance: string;
  /** Extra parameters: relation type, ID type ... */
  params?: Record<string, unknown>;
  /** For IRP_MJ_POWER: the power state it carries, e.g. `SystemPowerState S3` or `DevicePowerState D0`. */
  powerState?: string;
  /** `IoStatus.Status` when the IRP completed. */
  status?: number;
  /** The name of `status`, e.g. `STATUS_NOT_SUPPORTED`. */
  statusName?: string;
}

/** A registry mutation. */
export interface RegEvent extends TraceEventBase {
  /** Discriminant: a registry mutation. */
  kind: "reg";
  /** What was done: a key or value written or deleted, a flush, a hive file saved or loaded. */
  op: "createKey" | "deleteKey" | "setValue" | "deleteValue" | "flush" | "save" | "load";
  /** The key's path (`HKLM\...`), or the hive file's path for `save` and `load`. */
  path: string;
  /** The value's name, for `setValue` and `deleteValue`. */
  name?: string;
  /** The value's type name, e.g. `REG_DWORD`, for `setValue`. */
  type?: string;
  /** The value's data as the trace shows it (bigints and bytes as hex), for `setValue`. */
  data?: unknown;
  /** Whether the created key is volatile, for `createKey`. */
  volatile?: boolean;
}

/** A notification delivered to a callback (kernel) or an application (user mode). */
export interface NotifyEvent extends TraceEventBase {
  /** Discriminant: a notification delivery. */
  kind: "notify";
  /** The event GUID, e.g. the value of `GUID_DEVICE_INTERFACE_ARRIVAL`. */
  event: string;
  /** The event GUID's name, e.g. `GUID_DEVICE_INTERFACE_ARRIVAL`, or `custom event`. */
  eventName: string;
  /** Who was told: `toastmon!Callback` or `app:notify`. */
  target: string;
  /** The event category's name, e.g. `EventCategoryDeviceInterfaceChange`. */
  category: string;
  /** The interface's `SymbolicLinkName`, for device interface changes. */
  symbolicLinkName?: string;
  /** The device instance ID the notification concerns, when there is one. */
  instance?: string;
  /** The NTSTATUS the callback returned. */
  status?: number;
  /** The name of `status`. */
  statusName?: string;
  /** Set on a replayed (include-existing) or repeated delivery. */
  note?: string;
}

/** A device node's state changed. */
export interface StateEvent extends TraceEventBase {
  /** Discriminant: a device node state change. */
  kind: "state";
  /** The device node's instance ID. */
  instance: string;
  /** The state it left, e.g. `Started`. */
  from: string;
  /** The state it entered, e.g. `RemovePending`. */
  to: string;
  /** The node's problem code name (`CM_PROB_*`), when it has one. */
  problem?: string;
}

/** A bug check stopped the machine. */
export interface BugCheckEvent extends TraceEventBase {
  /** Discriminant: a bug check. */
  kind: "bugcheck";
  /** The bug check code, e.g. `0xCA`. */
  code: number;
  /** The bug check's name, e.g. `PNP_DETECTED_FATAL_ERROR`. */
  name: string;
  /** The bug check's four parameters. */
  parameters: number[];
  /** The verifier rule that caused it, if any. */
  rule?: string;
  /** The device object it names (for 0xCA's ID rules, the PDO whose hardware reported the IDs). */
  device?: string;
  /** What went wrong, in words. */
  message: string;
}

/** A verifier finding. */
export interface FindingEvent extends TraceEventBase {
  /** Discriminant: a verifier finding. */
  kind: "finding";
  /** The verifier rule's name, e.g. `PnpRemove`. */
  rule: string;
  /** The rule's severity: `error` or `warning`. */
  severity: string;
  /** What went wrong, in words. */
  message: string;
  /** The documentation page the rule comes from, if known. */
  doc?: string;
}

/** A user-mode application's action (open, close, register, a DBT_* message received). */
export interface AppEvent extends TraceEventBase {
  /** Discriminant: a user-mode application's action. */
  kind: "app";
  /** The application's name. */
  app: string;
  /** What it did or received, e.g. `CreateFile`, `CloseHandle`, a `DBT_*` message. */
  action: string;
  /** Further details: the interface name, the status, the notification action ... */
  detail?: Record<string, unknown>;
}

/** Anything else the machine wants the user to see: driver loads, queue actions, RunOnce commands. */
export interface InfoEvent extends TraceEventBase {
  /** Discriminant: anything else worth seeing. */
  kind: "info";
  /** What happened, e.g. `boot`, `unplug`, `reboot`. */
  what: string;
  /** Further details, e.g. the instance ID. */
  detail?: Record<string, unknown>;
}

/** One entry of the trace. */
export type TraceEvent =
  | CallEvent
  | IrpEvent
  | RegEvent
  | NotifyEvent
  | StateEvent
  | BugCheckEvent
  | FindingEvent
  | AppEvent
  | InfoEvent;

/** Distributes `Omit` over the members of a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a producer passes: an event without seq, time and caller. */
export type NewTraceEvent = DistributiveOmit<TraceEvent, "seq" | "time" | "caller">;

/**
 * The trace of one machine. Events are appended; `limit` (optional) keeps only the newest ones,
 * which benchmarks use to measure the model without measuring an ever-growing log.
 */
export class Trace {
  /** The events, oldest first. */
  readonly events: TraceEvent[] = [];
  #seq = 0;
  /** Returns the simulated time. */
  now: () => number = () => 0;
  /** Returns the current caller's name. */
  caller: () => string = () => "host";
  /** Keep at most this many events (0: keep all). */
  limit = 0;
  /** Called with each event once it is recorded (a debugger's breakpoints; null when none). */
  onPush: ((event: TraceEvent) => void) | null = null;

  /** Appends an event and returns it (so a call event can receive its status later). */
  push<E extends NewTraceEvent>(event: E): E & TraceEventBase {
    // The producer's object is fresh: stamp it rather than copy it (this is the hottest path of the model).
    const full = event as E & TraceEventBase;
    full.seq = ++this.#seq;
    full.time = this.now();
    full.caller = this.caller();
    this.events.push(full as TraceEvent);
    if (this.limit > 0 && this.events.length > this.limit * 2) {
      this.events.splice(0, this.events.length - this.limit);
    }
    if (this.onPush) this.onPush(full as TraceEvent);
    return full;
  }

  /** The number of events ever recorded (including any dropped by `limit`). */
  get count(): number {
    return this.#seq;
  }
}
