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
  kind: "call";
  routine: string;
  args: Record<string, unknown>;
  status?: number;
  statusName?: string;
  result?: unknown;
}

/** An IRP reaching a device object's dispatch routine, or its completion. */
export interface IrpEvent extends TraceEventBase {
  kind: "irp";
  /** `dispatch` when a driver's dispatch routine receives it, `complete` when IoCompleteRequest finishes it. */
  phase: "dispatch" | "complete";
  irp: number;
  major: string;
  minor?: string;
  /** The device object it went to, e.g. `\Device\00000003 (FDO toaster)`. */
  device: string;
  /** The driver whose routine ran. */
  driver: string;
  /** The device instance ID of the stack (its PDO's devnode). */
  instance: string;
  /** Extra parameters: relation type, ID type ... */
  params?: Record<string, unknown>;
  status?: number;
  statusName?: string;
}

/** A registry mutation. */
export interface RegEvent extends TraceEventBase {
  kind: "reg";
  op: "createKey" | "deleteKey" | "setValue" | "deleteValue" | "flush" | "save" | "load";
  path: string;
  name?: string;
  type?: string;
  data?: unknown;
  volatile?: boolean;
}

/** A notification delivered to a callback (kernel) or an application (user mode). */
export interface NotifyEvent extends TraceEventBase {
  kind: "notify";
  event: string;
  eventName: string;
  /** Who was told: `toastmon!Callback` or `app:notify`. */
  target: string;
  category: string;
  symbolicLinkName?: string;
  instance?: string;
  status?: number;
  statusName?: string;
  /** Set on a replayed (include-existing) or repeated delivery. */
  note?: string;
}

/** A device node's state changed. */
export interface StateEvent extends TraceEventBase {
  kind: "state";
  instance: string;
  from: string;
  to: string;
  problem?: string;
}

/** A bug check stopped the machine. */
export interface BugCheckEvent extends TraceEventBase {
  kind: "bugcheck";
  code: number;
  name: string;
  parameters: number[];
  rule?: string;
  message: string;
}

/** A verifier finding. */
export interface FindingEvent extends TraceEventBase {
  kind: "finding";
  rule: string;
  severity: string;
  message: string;
  doc?: string;
}

/** A user-mode application's action (open, close, register, a DBT_* message received). */
export interface AppEvent extends TraceEventBase {
  kind: "app";
  app: string;
  action: string;
  detail?: Record<string, unknown>;
}

/** Anything else the machine wants the user to see: driver loads, queue actions, RunOnce commands. */
export interface InfoEvent extends TraceEventBase {
  kind: "info";
  what: string;
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
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
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
    return full;
  }

  /** The number of events ever recorded (including any dropped by `limit`). */
  get count(): number {
    return this.#seq;
  }
}
