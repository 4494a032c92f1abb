/**
 * `Kernel`: the routines a driver calls, named as in the WDK and taking the WDK's parameters in the
 * WDK's order, minus pure out-parameters. Each method checks that the machine is running and the
 * routine's IRQL requirement, records the call in the trace, and runs the routine from the file its
 * WDK prefix points to (`lib/registry/zw.ts`, `lib/registry/rtl.ts`, `lib/io/...`, `lib/pnp/...`).
 *
 * @module
 */
import { describe, describeArgs } from "./trace/describe.ts";
import type { CallEvent } from "./trace/trace.ts";
import type { Handle } from "./ob/handles.ts";
import { ntStatusName, STATUS_ACCESS_VIOLATION, STATUS_INVALID_PARAMETER } from "./ntstatus.ts";
import { BugCheck } from "./bugcheck.ts";
import { RunawayQueueError } from "./ke/queue.ts";
import { DebugBreak } from "./ke/break.ts";
import { PnpHangError } from "./ke/dispatcher.ts";
import type { RegData } from "./registry/data.ts";
import * as rtl from "./registry/rtl.ts";
import * as io from "./io/iomgr.ts";
import * as driverio from "./io/driverio.ts";
import * as removelock from "./io/removelock.ts";
import type { IO_REMOVE_LOCK } from "./io/removelock.ts";
import * as spinlock from "./ke/spinlock.ts";
import type { KSPIN_LOCK } from "./ke/spinlock.ts";
import type { PoolBlock } from "./ex/pool.ts";
import * as ke from "./ke/event.ts";
import type {
  CancelRoutine,
  CompletionRoutine,
  IO_STACK_LOCATION,
  IO_STATUS_BLOCK,
  IoWorkItem,
  IoWorkItemRoutine,
  Irp,
} from "./io/objects.ts";
import * as devreg from "./pnp/devreg.ts";
import * as props from "./pnp/properties.ts";
import type {
  NotificationCallback,
  NotificationEntry,
  TARGET_DEVICE_CUSTOM_NOTIFICATION,
} from "./pnp/notify.ts";
import {
  APC_LEVEL,
  BusRelations,
  DISPATCH_LEVEL,
  HIGH_LEVEL,
  IRP_MJ_NAMES,
  POOL_FLAG_NON_PAGED,
  POOL_FLAG_NON_PAGED_EXECUTE,
  POOL_FLAG_PAGED,
  RELATION_TYPE_NAMES,
} from "./constants.ts";
import {
  DeviceObject,
  DriverObject,
  FileObject,
  ioControlCodeText,
  SL_PENDING_RETURNED as SL_PENDING,
} from "./io/objects.ts";
import { KEVENT } from "./ke/event.ts";
import * as zw from "./registry/zw.ts";
import type { PowerCompletionFunction } from "./po/pomgr.ts";
import {
  DEVICE_POWER_STATE_NAMES,
  SYSTEM_POWER_STATE_NAMES,
  SystemPowerState,
} from "./constants.ts";
import type { System } from "./system.ts";

// The registry routines' argument and result shapes, for drivers that name them.
export type { KeyInformation, KeyValueInformation, OBJECT_ATTRIBUTES } from "./registry/zw.ts";
export type { RTL_QUERY_REGISTRY_TABLE } from "./registry/rtl.ts";

/** Routines whose C return value is not an NTSTATUS (the trace records it as a result). */
const NOT_NTSTATUS = new Set([
  "KeAcquireSpinLock",
  "IoAcquireCancelSpinLock",
  "KeRaiseIrql",
  "KeLowerIrql",
  "KeGetCurrentIrql",
  "KeSetEvent",
  "KeResetEvent",
  "KeReadStateEvent",
  "PoSetPowerState",
]);

/**
 * A KIRQL the processor has: an integer from PASSIVE_LEVEL to HIGH_LEVEL (15 on x64). Anything else
 * cannot be raised or lowered to; the IRQL routines treat it as the wrong direction (0x9 or 0xA),
 * naming the value, instead of storing it as the caller's IRQL.
 */
function isIrql(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= HIGH_LEVEL;
}

/**
 * What each parameter of the routines must point at, by its WDK name: the table the analysis of a
 * fault reads to name the argument that was not what the routine dereferenced.
 */
const PARAMETER_KINDS: Readonly<Record<string, readonly [string, (value: unknown) => boolean]>> = {
  DeviceObject: ["DEVICE_OBJECT", (v) => v instanceof DeviceObject],
  PhysicalDeviceObject: ["DEVICE_OBJECT", (v) => v instanceof DeviceObject],
  Pdo: ["DEVICE_OBJECT", (v) => v instanceof DeviceObject],
  TargetDevice: ["DEVICE_OBJECT", (v) => v instanceof DeviceObject],
  SourceDevice: ["DEVICE_OBJECT", (v) => v instanceof DeviceObject],
  DriverObject: ["DRIVER_OBJECT", (v) => v instanceof DriverObject],
  Irp: ["IRP", (v) => v !== null && typeof v === "object" && "Tail" in v],
  Event: ["KEVENT", (v) => v instanceof KEVENT],
  Object: ["object", (v) => v !== null && typeof v === "object"],
  FileObject: ["FILE_OBJECT", (v) => v instanceof FileObject],
  CompletionRoutine: ["routine", (v) => typeof v === "function"],
  CallbackRoutine: ["routine", (v) => typeof v === "function"],
  WorkerRoutine: ["routine", (v) => typeof v === "function"],
};

/**
 * A routine that faults on what it was given: the kernel dereferenced an argument that was not what
 * its parameter points at. On Windows that is an access violation in kernel mode, unhandled: bug
 * check 0x7E SYSTEM_THREAD_EXCEPTION_NOT_HANDLED with STATUS_ACCESS_VIOLATION, as for a fault in
 * the driver's own code (`runDriverRoutine`). The analysis names the argument of the wrong kind.
 * A bug check, a runaway queue or a detected hang is passed on as it is.
 */
function faultInRoutine(
  sys: System,
  routine: string,
  args: Record<string, unknown>,
  e: unknown,
): never {
  // The machine's own control flow passes through: a bug check, a runaway queue, a hang, a
  // debugger's break.
  if (
    e instanceof BugCheck || e instanceof RunawayQueueError || e instanceof PnpHangError ||
    e instanceof DebugBreak || sys.halted
  ) throw e;
  const bad = Object.entries(args).find(([name, value]) => {
    const kind = PARAMETER_KINDS[name];
    return kind !== undefined && !kind[1](value);
  });
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const what = bad
    ? `${bad[0]} (${describe(bad[1])}) is not a ${PARAMETER_KINDS[bad[0]]![0]}`
    : "an argument was not what the routine dereferenced";
  return sys.bugCheck(
    0x7e,
    [STATUS_ACCESS_VIOLATION, 0, 0, 0],
    `${routine} faulted: ${what} (${text})`,
  );
}

/**
 * The kernel routines of one machine. Get it from `machine.kernel`; drivers receive it as `k`.
 *
 * @example Opening a key and reading a value
 * ```ts
 * import { boot, KEY_READ, KeyValuePartialInformation, STATUS_SUCCESS } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const k = boot().kernel;
 * const { status, keyHandle } = k.ZwOpenKey(KEY_READ, "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\IDConfigDB");
 * assert.equal(status, STATUS_SUCCESS);
 * const q = k.ZwQueryValueKey(keyHandle, "CurrentConfig", KeyValuePartialInformation);
 * assert.equal(q.keyValueInformation?.Type, 4);
 * k.ZwClose(keyHandle);
 * ```
 */
export class Kernel {
  /** @internal */
  readonly _sys: System;

  /** Creates the routines of a machine; use `boot()` rather than this. */
  constructor(sys: System) {
    this._sys = sys;
  }

  /**
   * The kernel's exported `InitSafeBootMode` (read through the pointer in C): 0 normally,
   * SAFEBOOT_MINIMAL (1) in safe mode ("Determining Whether the Operating System Is Running in Safe
   * Mode"). A driver that must not run in safe mode returns STATUS_NOT_SAFE_MODE_DRIVER from
   * DriverEntry when it is above 0.
   */
  get InitSafeBootMode(): number {
    return this._sys.options.safeMode ? 1 : 0;
  }

  /** Runs one routine call: running check, IRQL check, trace entry, then the routine. */
  protected invoke<T>(routine: string, args: Record<string, unknown>, fn: () => T): T {
    const sys = this._sys;
    sys.checkRunning();
    const event: CallEvent = sys.trace.push<CallEvent>({
      kind: "call",
      routine,
      args: describeArgs(args),
    } as CallEvent);
    // Recorded first, so that a bug check's analysis can name the offending call.
    sys.checkIrql(routine);
    let result: T;
    try {
      result = fn();
    } catch (e) {
      return faultInRoutine(sys, routine, args, e);
    }
    if (typeof result === "number" && !NOT_NTSTATUS.has(routine)) {
      event.status = result;
      event.statusName = ntStatusName(result);
    } else if (result !== null && typeof result === "object" && "status" in result) {
      const r = result as Record<string, unknown>;
      const status = r.status as number;
      event.status = status;
      event.statusName = ntStatusName(status);
      let outs: Record<string, unknown> | undefined;
      for (const key in r) {
        if (key === "status" || r[key] === undefined) continue;
        (outs ??= {})[key] = describe(r[key], 1);
      }
      if (outs) event.result = outs;
    } else if (result !== undefined) {
      event.result = describe(result);
    }
    return result;
  }

  /** Runs a routine that is not traced (a macro, or IRP passing): a fault in it is still bug check 0x7E. */
  protected guard<T>(routine: string, args: Record<string, unknown>, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      return faultInRoutine(this._sys, routine, args, e);
    }
  }

  // ---- Registry (lib/registry/zw.ts) ------------------------------------------------------------

  /** `ZwCreateKey`: opens or creates a key. */
  ZwCreateKey(
    DesiredAccess: number,
    ObjectAttributes: zw.OBJECT_ATTRIBUTES | string,
    TitleIndex = 0,
    Class: string | null = null,
    CreateOptions = 0,
  ): { status: number; keyHandle?: Handle; disposition?: number } {
    return this.invoke(
      "ZwCreateKey",
      { DesiredAccess, ObjectAttributes, TitleIndex, Class, CreateOptions },
      () =>
        zw.ZwCreateKey(
          this._sys,
          DesiredAccess,
          ObjectAttributes,
          TitleIndex,
          Class,
          CreateOptions,
        ),
    );
  }

  /** `ZwOpenKey`: opens an existing key. */
  ZwOpenKey(
    DesiredAccess: number,
    ObjectAttributes: zw.OBJECT_ATTRIBUTES | string,
  ): { status: number; keyHandle?: Handle } {
    return this.invoke(
      "ZwOpenKey",
      { DesiredAccess, ObjectAttributes },
      () => zw.ZwOpenKey(this._sys, DesiredAccess, ObjectAttributes),
    );
  }

  /** `ZwSetValueKey`: creates or replaces a value (needs KEY_SET_VALUE); NULL Data with DataSize 0 stores 0 bytes. */
  ZwSetValueKey(
    KeyHandle: Handle | undefined,
    ValueName: string | null,
    TitleIndex: number,
    Type: number,
    Data: RegData | null,
    DataSize?: number,
  ): number {
    return this.invoke(
      "ZwSetValueKey",
      { KeyHandle, ValueName, TitleIndex, Type, Data, DataSize },
      () => zw.ZwSetValueKey(this._sys, KeyHandle, ValueName, TitleIndex, Type, Data, DataSize),
    );
  }

  /** `ZwQueryValueKey`: a value's information, with the documented buffer-size statuses when `Length` is given. */
  ZwQueryValueKey(
    KeyHandle: Handle | undefined,
    ValueName: string | null,
    KeyValueInformationClass: number,
    Length?: number,
  ): { status: number; keyValueInformation?: zw.KeyValueInformation; resultLength?: number } {
    return this.invoke(
      "ZwQueryValueKey",
      { KeyHandle, ValueName, KeyValueInformationClass, Length },
      () => zw.ZwQueryValueKey(this._sys, KeyHandle, ValueName, KeyValueInformationClass, Length),
    );
  }

  /** `ZwEnumerateKey`: the subkey at `Index`. */
  ZwEnumerateKey(
    KeyHandle: Handle | undefined,
    Index: number,
    KeyInformationClass: number,
    Length?: number,
  ): { status: number; keyInformation?: zw.KeyInformation; resultLength?: number } {
    return this.invoke(
      "ZwEnumerateKey",
      { KeyHandle, Index, KeyInformationClass, Length },
      () => zw.ZwEnumerateKey(this._sys, KeyHandle, Index, KeyInformationClass, Length),
    );
  }

  /** `ZwEnumerateValueKey`: the value at `Index`. */
  ZwEnumerateValueKey(
    KeyHandle: Handle | undefined,
    Index: number,
    KeyValueInformationClass: number,
    Length?: number,
  ): { status: number; keyValueInformation?: zw.KeyValueInformation; resultLength?: number } {
    return this.invoke(
      "ZwEnumerateValueKey",
      { KeyHandle, Index, KeyValueInformationClass, Length },
      () => zw.ZwEnumerateValueKey(this._sys, KeyHandle, Index, KeyValueInformationClass, Length),
    );
  }

  /** `ZwQueryKey`: the key's own information. */
  ZwQueryKey(
    KeyHandle: Handle | undefined,
    KeyInformationClass: number,
    Length?: number,
  ): { status: number; keyInformation?: zw.KeyInformation; resultLength?: number } {
    return this.invoke(
      "ZwQueryKey",
      { KeyHandle, KeyInformationClass, Length },
      () => zw.ZwQueryKey(this._sys, KeyHandle, KeyInformationClass, Length),
    );
  }

  /** `ZwDeleteKey`: deletes a key without subkeys (needs DELETE). */
  ZwDeleteKey(KeyHandle: Handle | undefined): number {
    return this.invoke("ZwDeleteKey", { KeyHandle }, () => zw.ZwDeleteKey(this._sys, KeyHandle));
  }

  /** `ZwDeleteValueKey`: deletes a value (needs KEY_SET_VALUE). */
  ZwDeleteValueKey(KeyHandle: Handle | undefined, ValueName: string | null): number {
    return this.invoke(
      "ZwDeleteValueKey",
      { KeyHandle, ValueName },
      () => zw.ZwDeleteValueKey(this._sys, KeyHandle, ValueName),
    );
  }

  /** `ZwFlushKey`: writes the hive to the machine's hive file. */
  ZwFlushKey(KeyHandle: Handle | undefined): number {
    return this.invoke("ZwFlushKey", { KeyHandle }, () => zw.ZwFlushKey(this._sys, KeyHandle));
  }

  /** `ZwClose`: closes a handle. */
  ZwClose(Handle: Handle | undefined): number {
    return this.invoke("ZwClose", { Handle }, () => zw.ZwClose(this._sys, Handle));
  }

  // ---- Registry run-time library (lib/registry/rtl.ts) ------------------------------------------

  /** `RtlWriteRegistryValue`: writes a value, creating the key if needed. */
  RtlWriteRegistryValue(
    RelativeTo: number,
    Path: string | Handle,
    ValueName: string,
    ValueType: number,
    ValueData: RegData,
    ValueLength?: number,
  ): number {
    return this.invoke(
      "RtlWriteRegistryValue",
      { RelativeTo, Path, ValueName, ValueType, ValueData, ValueLength },
      () =>
        rtl.RtlWriteRegistryValue(
          this._sys,
          RelativeTo,
          Path,
          ValueName,
          ValueType,
          ValueData,
          ValueLength,
        ),
    );
  }

  /** `RtlQueryRegistryValues`: walks a query table over a key. */
  RtlQueryRegistryValues(
    RelativeTo: number,
    Path: string | Handle,
    QueryTable: rtl.RTL_QUERY_REGISTRY_TABLE[],
    Context: unknown = null,
    Environment: Readonly<Record<string, string>> | null = null,
  ): number {
    return this.invoke(
      "RtlQueryRegistryValues",
      {
        RelativeTo,
        Path,
        // The trace shows each row's Flags and Name; a table that is not an array of rows is shown
        // as it is, and the routine refuses it.
        QueryTable: Array.isArray(QueryTable)
          ? QueryTable.map((r: unknown) =>
            r !== null && typeof r === "object"
              ? {
                Flags: (r as rtl.RTL_QUERY_REGISTRY_TABLE).Flags,
                Name: (r as rtl.RTL_QUERY_REGISTRY_TABLE).Name ?? null,
              }
              : r
          )
          : QueryTable,
      },
      () =>
        rtl.RtlQueryRegistryValues(this._sys, RelativeTo, Path, QueryTable, Context, Environment),
    );
  }

  /** `RtlCreateRegistryKey`: creates a key. */
  RtlCreateRegistryKey(RelativeTo: number, Path: string | null): number {
    return this.invoke(
      "RtlCreateRegistryKey",
      { RelativeTo, Path },
      () => rtl.RtlCreateRegistryKey(this._sys, RelativeTo, Path),
    );
  }

  /** `RtlCheckRegistryKey`: whether a key exists. */
  RtlCheckRegistryKey(RelativeTo: number, Path: string | null): number {
    return this.invoke(
      "RtlCheckRegistryKey",
      { RelativeTo, Path },
      () => rtl.RtlCheckRegistryKey(this._sys, RelativeTo, Path),
    );
  }

  /** `RtlDeleteRegistryValue`: deletes a value. */
  RtlDeleteRegistryValue(RelativeTo: number, Path: string | Handle, ValueName: string): number {
    return this.invoke(
      "RtlDeleteRegistryValue",
      { RelativeTo, Path, ValueName },
      () => rtl.RtlDeleteRegistryValue(this._sys, RelativeTo, Path, ValueName),
    );
  }

  // ---- IRQL ---------------------------------------------------------------------------------------

  /** `KeGetCurrentIrql`. */
  KeGetCurrentIrql(): number {
    this._sys.checkRunning();
    return this._sys.caller.irql;
  }

  /**
   * `KeRaiseIrql`: raises the current IRQL and returns the old one. A NewIrql below the current one
   * is caught only with the verifier on (bug check 0x9 IRQL_NOT_GREATER_OR_EQUAL in strict mode, a
   * finding in warn mode); a free build without it just sets the IRQL ("KeRaiseIrql": "If the new
   * IRQL is less than the current IRQL, a bug check occurs" holds for checked builds and Driver
   * Verifier; the release kernel does not test it).
   */
  KeRaiseIrql(NewIrql: number): number {
    return this.invoke("KeRaiseIrql", { NewIrql }, () => {
      const sys = this._sys;
      const frame = sys.caller;
      const old = frame.irql;
      if (!isIrql(NewIrql)) {
        // Not an IRQL at all: what the hardware does with it is undefined; the machine stops.
        sys.bugCheck(0x09, [old, 0, 0, 0], `KeRaiseIrql(${NewIrql}) is not an IRQL`);
      }
      if (NewIrql < old) {
        const message = `KeRaiseIrql(${NewIrql}) below the current IRQL ${old}`;
        if (sys.options.verifier === "strict") {
          sys.bugCheck(0x09, [old, NewIrql, 0, 0], message, "KeRaiseIrqlToLower");
        }
        sys.violate("KeRaiseIrqlToLower", message);
      }
      frame.irql = NewIrql;
      return old;
    });
  }

  /** `KeLowerIrql`: lowers the current IRQL; a higher NewIrql is bug check 0xA. */
  KeLowerIrql(NewIrql: number): void {
    this.invoke("KeLowerIrql", { NewIrql }, () => {
      const frame = this._sys.caller;
      if (!isIrql(NewIrql) || NewIrql > frame.irql) {
        this._sys.bugCheck(
          0x0a,
          [0, frame.irql, 0, 0],
          `KeLowerIrql(${NewIrql}) above the current IRQL ${frame.irql}`,
        );
      }
      frame.irql = NewIrql;
    });
  }

  // ---- I/O manager (lib/io/iomgr.ts) ---------------------------------------------------------------

  /** `IoCreateDevice`: a device object for a driver (unnamed unless a name or FILE_AUTOGENERATED_DEVICE_NAME is given). */
  IoCreateDevice(
    DriverObject: DriverObject,
    DeviceExtensionSize: number,
    DeviceName: string | null,
    DeviceType: number,
    DeviceCharacteristics: number,
    Exclusive: boolean,
  ): { status: number; deviceObject?: DeviceObject } {
    return this.invoke(
      "IoCreateDevice",
      {
        DriverObject,
        DeviceExtensionSize,
        DeviceName,
        DeviceType,
        DeviceCharacteristics,
        Exclusive,
      },
      () =>
        io.IoCreateDevice(
          this._sys,
          DriverObject,
          DeviceExtensionSize,
          DeviceName,
          DeviceType,
          DeviceCharacteristics,
          Exclusive,
        ),
    );
  }

  /** `IoAttachDeviceToDeviceStack`: attaches SourceDevice to the top of TargetDevice's stack; returns the device attached to. */
  IoAttachDeviceToDeviceStack(
    SourceDevice: DeviceObject,
    TargetDevice: DeviceObject,
  ): DeviceObject | null {
    return this.invoke(
      "IoAttachDeviceToDeviceStack",
      { SourceDevice, TargetDevice },
      () => io.IoAttachDeviceToDeviceStack(this._sys, SourceDevice, TargetDevice),
    );
  }

  /** `IoDetachDevice`: detaches the device attached above TargetDevice. */
  IoDetachDevice(TargetDevice: DeviceObject): void {
    this.invoke(
      "IoDetachDevice",
      { TargetDevice },
      () => io.IoDetachDevice(this._sys, TargetDevice),
    );
  }

  /** `IoDeleteDevice`. */
  IoDeleteDevice(DeviceObject: DeviceObject): void {
    this.invoke(
      "IoDeleteDevice",
      { DeviceObject },
      () => io.IoDeleteDevice(this._sys, DeviceObject),
    );
  }

  /** `KeInitializeEvent`: makes the caller's KEVENT (`new KEVENT()`) a NotificationEvent or SynchronizationEvent, signaled or not. */
  KeInitializeEvent(Event: KEVENT, Type: number, State: boolean): void {
    this.invoke("KeInitializeEvent", { Event, Type, State }, () => {
      ke.KeInitializeEvent(Event, Type, State, ++this._sys.ke.events);
    });
  }

  /** `KeSetEvent`: signals the event and returns its previous state (non-zero if it was signaled). */
  KeSetEvent(Event: KEVENT, Increment: number, Wait: boolean): number {
    return this.invoke("KeSetEvent", { Event, Increment, Wait }, () => ke.KeSetEvent(Event));
  }

  /** `KeClearEvent`: the event is not signaled. */
  KeClearEvent(Event: KEVENT): void {
    this.invoke("KeClearEvent", { Event }, () => {
      ke.KeResetEvent(Event);
    });
  }

  /** `KeResetEvent`: the event is not signaled; returns its previous state. */
  KeResetEvent(Event: KEVENT): number {
    return this.invoke("KeResetEvent", { Event }, () => ke.KeResetEvent(Event));
  }

  /** `KeReadStateEvent`: non-zero if the event is signaled. */
  KeReadStateEvent(Event: KEVENT): number {
    return this.invoke(
      "KeReadStateEvent",
      { Event },
      () => Event instanceof KEVENT && Event.signaled ? 1 : 0,
    );
  }

  /**
   * `KeWaitForSingleObject` on an event: STATUS_SUCCESS once it is signaled (the other threads, the
   * work queue, run while this one waits), STATUS_TIMEOUT when a finite `Timeout` elapses first (a
   * zero one only polls). `Timeout` is in 100 ns units as in the WDK; null waits forever, and an
   * event nothing can set any more is then a hang (PnpHangError). A non-zero timeout needs
   * IRQL <= APC_LEVEL ("KeWaitForSingleObject": "if Timeout = NULL or *Timeout != 0, the caller must
   * be running at IRQL <= APC_LEVEL").
   */
  KeWaitForSingleObject(
    Object: KEVENT,
    WaitReason: number,
    WaitMode: number,
    Alertable: boolean,
    Timeout: number | bigint | null = null,
  ): number {
    return this.invoke(
      "KeWaitForSingleObject",
      { Object, WaitReason, WaitMode, Alertable, Timeout },
      () => {
        const sys = this._sys;
        const polls = Timeout === 0 || Timeout === 0n;
        const irql = sys.caller.irql;
        if (!polls && irql > APC_LEVEL) {
          sys.violate(
            "IrqlRequirement",
            `KeWaitForSingleObject with a non-zero timeout at IRQL ${irql}; it requires IRQL <= APC_LEVEL`,
            [irql, 0, 0],
          );
        }
        // The model's answer to a wait on something that is not a dispatcher object.
        if (!(Object instanceof KEVENT)) return STATUS_INVALID_PARAMETER;
        return sys.ke.waitForEvent(Object, Timeout);
      },
    );
  }

  /** `IoForwardIrpSynchronously`: sends the IRP to `DeviceObject` and waits for it to complete there; FALSE when no stack location is left. */
  IoForwardIrpSynchronously(DeviceObject: DeviceObject, Irp: Irp): boolean {
    return this.invoke(
      "IoForwardIrpSynchronously",
      { DeviceObject, Irp },
      () => io.IoForwardIrpSynchronously(this._sys, DeviceObject, Irp),
    );
  }

  /** `IoAllocateWorkItem`: a work item for one of the caller's device objects (null when it cannot be). */
  IoAllocateWorkItem(DeviceObject: DeviceObject | DriverObject): IoWorkItem | null {
    return this.invoke(
      "IoAllocateWorkItem",
      { DeviceObject },
      () => io.IoAllocateWorkItem(this._sys, DeviceObject),
    );
  }

  /**
   * `IoQueueWorkItem`: `WorkerRoutine(k, DeviceObject, Context)` runs later at PASSIVE_LEVEL in a
   * system worker thread: the next `settle()`, or while PnP waits for a pending IRP. Drivers must give
   * DelayedWorkQueue.
   */
  IoQueueWorkItem(
    IoWorkItem: IoWorkItem,
    WorkerRoutine: IoWorkItemRoutine,
    QueueType: number,
    Context: unknown = null,
  ): void {
    this.invoke(
      "IoQueueWorkItem",
      { IoWorkItem, QueueType },
      () => io.IoQueueWorkItem(this._sys, IoWorkItem, WorkerRoutine, QueueType, Context),
    );
  }

  /** `IoFreeWorkItem`: frees a work item that is not queued (its routine may free it). */
  IoFreeWorkItem(IoWorkItem: IoWorkItem): void {
    this.invoke("IoFreeWorkItem", { IoWorkItem }, () => io.IoFreeWorkItem(IoWorkItem));
  }

  /** `IoCallDriver`: sends an IRP to the next-lower driver (the trace records it as an IRP dispatch). */
  IoCallDriver(DeviceObject: DeviceObject, Irp: Irp): number {
    this._sys.checkRunning();
    this._sys.checkIrql("IoCallDriver");
    return this.guard(
      "IoCallDriver",
      { DeviceObject, Irp },
      () => io.IoCallDriver(this._sys, DeviceObject, Irp),
    );
  }

  /** `IoCompleteRequest`: completes an IRP, running completion routines upward. */
  IoCompleteRequest(Irp: Irp, PriorityBoost: number): void {
    this._sys.checkRunning();
    this._sys.checkIrql("IoCompleteRequest");
    this.guard(
      "IoCompleteRequest",
      { Irp },
      () => io.IoCompleteRequest(this._sys, Irp, PriorityBoost),
    );
  }

  /** `IoGetCurrentIrpStackLocation` (a macro in wdm.h, not traced). */
  IoGetCurrentIrpStackLocation(Irp: Irp): IO_STACK_LOCATION {
    return this.guard("IoGetCurrentIrpStackLocation", { Irp }, () => Irp.currentStackLocation);
  }

  /** `IoGetNextIrpStackLocation` (a macro, not traced). */
  IoGetNextIrpStackLocation(Irp: Irp): IO_STACK_LOCATION {
    return this.guard("IoGetNextIrpStackLocation", { Irp }, () => Irp.nextStackLocation);
  }

  /** `IoSkipCurrentIrpStackLocation` (a macro, not traced): the next driver reuses this location. */
  IoSkipCurrentIrpStackLocation(Irp: Irp): void {
    this.guard("IoSkipCurrentIrpStackLocation", { Irp }, () => Irp.CurrentLocation++);
  }

  /** `IoCopyCurrentIrpStackLocationToNext` (a macro, not traced). */
  IoCopyCurrentIrpStackLocationToNext(Irp: Irp): void {
    this.guard(
      "IoCopyCurrentIrpStackLocationToNext",
      { Irp },
      () => io.IoCopyCurrentIrpStackLocationToNext(Irp),
    );
  }

  /** `IoSetCompletionRoutine` (a macro, not traced): the routine runs when the lower drivers complete the IRP. */
  IoSetCompletionRoutine(
    Irp: Irp,
    CompletionRoutine: CompletionRoutine,
    Context: unknown,
    InvokeOnSuccess: boolean,
    InvokeOnError: boolean,
    InvokeOnCancel: boolean,
  ): void {
    this.guard(
      "IoSetCompletionRoutine",
      { Irp, CompletionRoutine },
      () =>
        io.IoSetCompletionRoutine(
          Irp,
          CompletionRoutine,
          Context,
          InvokeOnSuccess,
          InvokeOnError,
          InvokeOnCancel,
        ),
    );
  }

  /** `IoMarkIrpPending` (a macro, not traced). */
  IoMarkIrpPending(Irp: Irp): void {
    this.guard("IoMarkIrpPending", { Irp }, () => {
      Irp.currentStackLocation.Control |= SL_PENDING;
      const record = io.currentDispatch(this._sys, Irp);
      if (record) record.markedPending = true;
    });
  }

  /** `ObReferenceObject`. */
  ObReferenceObject(Object: DeviceObject | FileObject | DriverObject): void {
    this.invoke("ObReferenceObject", { Object }, () => {
      if (
        Object instanceof DeviceObject || Object instanceof FileObject ||
        Object instanceof DriverObject
      ) Object.references++;
    });
  }

  /** `ObDereferenceObject`: releasing the last reference of a file object closes the open (it no longer vetoes removal). */
  ObDereferenceObject(Object: DeviceObject | FileObject | DriverObject): void {
    this.invoke("ObDereferenceObject", { Object }, () => this._sys.pnp.dereference(Object));
  }

  // ---- PnP (lib/pnp/) --------------------------------------------------------------------------------

  /** `IoInvalidateDeviceRelations`: queues a re-query of the relations (BusRelations re-enumerates). */
  IoInvalidateDeviceRelations(DeviceObject: DeviceObject, Type: number): void {
    this.invoke("IoInvalidateDeviceRelations", {
      DeviceObject,
      Type: RELATION_TYPE_NAMES[Type] ?? Type,
    }, () => {
      const node = devreg.requirePdo(this._sys, DeviceObject, "IoInvalidateDeviceRelations", 0);
      if (typeof node === "number") return;
      if (Type === BusRelations) this._sys.pnp.requestEnumeration(node);
    });
  }

  /** `IoInvalidateDeviceState`: queues IRP_MN_QUERY_PNP_DEVICE_STATE for the device. */
  IoInvalidateDeviceState(PhysicalDeviceObject: DeviceObject): void {
    this.invoke("IoInvalidateDeviceState", { PhysicalDeviceObject }, () => {
      const node = devreg.requirePdo(this._sys, PhysicalDeviceObject, "IoInvalidateDeviceState", 0);
      if (typeof node !== "number") this._sys.pnp.requestDeviceState(node);
    });
  }

  /** `IoRequestDeviceEject`: queues an eject (query-remove, remove, then IRP_MN_EJECT if EjectSupported). */
  IoRequestDeviceEject(PhysicalDeviceObject: DeviceObject): void {
    this.invoke("IoRequestDeviceEject", { PhysicalDeviceObject }, () => {
      const node = devreg.requirePdo(this._sys, PhysicalDeviceObject, "IoRequestDeviceEject", 0);
      if (typeof node !== "number") this._sys.pnp.requestEject(node);
    });
  }

  /** `IoOpenDeviceRegistryKey`: the device's hardware or software key; PnP keys grant KEY_READ | KEY_WRITE only. */
  IoOpenDeviceRegistryKey(
    DeviceObject: DeviceObject,
    DevInstKeyType: number,
    DesiredAccess: number,
  ): { status: number; devInstRegKey?: Handle } {
    return this.invoke(
      "IoOpenDeviceRegistryKey",
      { DeviceObject, DevInstKeyType, DesiredAccess },
      () => devreg.IoOpenDeviceRegistryKey(this._sys, DeviceObject, DevInstKeyType, DesiredAccess),
    );
  }

  /** `IoOpenDriverRegistryKey`: `Services\<name>\Parameters` (DriverRegKeyParameters). */
  IoOpenDriverRegistryKey(
    DriverObject: DriverObject,
    RegKeyType: number,
    DesiredAccess: number,
    Flags = 0,
  ): { status: number; driverRegKey?: Handle } {
    return this.invoke(
      "IoOpenDriverRegistryKey",
      { DriverObject, RegKeyType, DesiredAccess, Flags },
      () =>
        devreg.IoOpenDriverRegistryKey(this._sys, DriverObject, RegKeyType, DesiredAccess, Flags),
    );
  }

  /** `IoGetDeviceProperty`: a device property; pass `BufferLength` to see the documented STATUS_BUFFER_TOO_SMALL loop. */
  IoGetDeviceProperty(
    DeviceObject: DeviceObject,
    DeviceProperty: number,
    BufferLength?: number,
  ): { status: number; propertyBuffer?: RegData; resultLength?: number } {
    return this.invoke(
      "IoGetDeviceProperty",
      { DeviceObject, DeviceProperty, BufferLength },
      () => devreg.IoGetDeviceProperty(this._sys, DeviceObject, DeviceProperty, BufferLength),
    );
  }

  // ---- Device interfaces (lib/pnp/interfaces.ts) -------------------------------------------------------

  /** `IoRegisterDeviceInterface`: registers an interface instance on a PDO (STATUS_OBJECT_NAME_EXISTS when already registered). */
  IoRegisterDeviceInterface(
    PhysicalDeviceObject: DeviceObject,
    InterfaceClassGuid: string,
    ReferenceString: string | null = null,
  ): { status: number; symbolicLinkName?: string } {
    return this.invoke(
      "IoRegisterDeviceInterface",
      { PhysicalDeviceObject, InterfaceClassGuid, ReferenceString },
      () =>
        this._sys.interfaces.register(PhysicalDeviceObject, InterfaceClassGuid, ReferenceString),
    );
  }

  /** `IoSetDeviceInterfaceState`: enables or disables an interface; arrival and removal notifications are queued. */
  IoSetDeviceInterfaceState(SymbolicLinkName: string, Enable: boolean): number {
    return this.invoke("IoSetDeviceInterfaceState", { SymbolicLinkName, Enable }, () => {
      const i = this._sys.interfaces.lookup(SymbolicLinkName);
      if (i && !Enable && !i.enabled && (i.disabledByPnp || i.disabled)) {
        this._sys.violate(
          "PnpInterfaceDoubleDisable",
          `${SymbolicLinkName} was disabled again after ${
            i.disabledByPnp ? "the PnP manager disabled it at removal" : "it had been disabled"
          }`,
        );
      }
      return this._sys.interfaces.setState(
        SymbolicLinkName,
        Enable,
        (x, a) => this._sys.notify.announce(x, a),
      );
    });
  }

  /** `IoGetDeviceInterfaces`: the symbolic links of a class (active only unless DEVICE_INTERFACE_INCLUDE_NONACTIVE). */
  IoGetDeviceInterfaces(
    InterfaceClassGuid: string,
    PhysicalDeviceObject: DeviceObject | null,
    Flags: number,
  ): { status: number; symbolicLinkList?: string[] } {
    return this.invoke(
      "IoGetDeviceInterfaces",
      { InterfaceClassGuid, PhysicalDeviceObject, Flags },
      () => this._sys.interfaces.list(InterfaceClassGuid, PhysicalDeviceObject, Flags),
    );
  }

  /** `IoGetDeviceInterfaceAlias`: the same device and reference string under another interface class. */
  IoGetDeviceInterfaceAlias(
    SymbolicLinkName: string,
    AliasInterfaceClassGuid: string,
  ): { status: number; aliasSymbolicLinkName?: string } {
    return this.invoke(
      "IoGetDeviceInterfaceAlias",
      { SymbolicLinkName, AliasInterfaceClassGuid },
      () => this._sys.interfaces.alias(SymbolicLinkName, AliasInterfaceClassGuid),
    );
  }

  /** `IoOpenDeviceInterfaceRegistryKey`: the interface's `Device Parameters` key. */
  IoOpenDeviceInterfaceRegistryKey(
    SymbolicLinkName: string,
    DesiredAccess: number,
  ): { status: number; deviceInterfaceKey?: Handle } {
    return this.invoke(
      "IoOpenDeviceInterfaceRegistryKey",
      { SymbolicLinkName, DesiredAccess },
      () => this._sys.interfaces.openKey(SymbolicLinkName, DesiredAccess),
    );
  }

  /** `IoGetDeviceObjectPointer`: opens an enabled interface, a `\\Device\\Name` or a link to one from kernel mode; release with ObDereferenceObject(fileObject). */
  IoGetDeviceObjectPointer(
    ObjectName: string,
    DesiredAccess: number,
  ): { status: number; fileObject?: FileObject; deviceObject?: DeviceObject } {
    return this.invoke("IoGetDeviceObjectPointer", { ObjectName, DesiredAccess }, () => {
      const caller = this._sys.caller;
      const r = this._sys.users.openFile(ObjectName, caller.name, caller.process);
      if (!r.file) return { status: r.status };
      return { status: r.status, fileObject: r.file, deviceObject: r.file.relatedDevice };
    });
  }

  // ---- Notification (lib/pnp/notify.ts) ---------------------------------------------------------------

  /** `IoRegisterPlugPlayNotification`: a callback for a category's events (the registration holds the driver loaded). */
  IoRegisterPlugPlayNotification(
    EventCategory: number,
    EventCategoryFlags: number,
    EventCategoryData: string | FileObject | null,
    DriverObject: DriverObject,
    CallbackRoutine: NotificationCallback,
    Context: unknown = null,
  ): { status: number; notificationEntry?: NotificationEntry } {
    return this.invoke(
      "IoRegisterPlugPlayNotification",
      { EventCategory, EventCategoryFlags, EventCategoryData, DriverObject, CallbackRoutine },
      () =>
        this._sys.notify.register(
          EventCategory,
          EventCategoryFlags,
          EventCategoryData,
          DriverObject,
          CallbackRoutine,
          Context,
        ),
    );
  }

  /** `IoUnregisterPlugPlayNotification`: callbacks already queued may still arrive after it returns (documented). */
  IoUnregisterPlugPlayNotification(NotificationEntry: NotificationEntry): number {
    return this.invoke(
      "IoUnregisterPlugPlayNotification",
      { NotificationEntry },
      () => this._sys.notify.unregister(NotificationEntry, false),
    );
  }

  /** `IoUnregisterPlugPlayNotificationEx`: no callback runs after it returns. */
  IoUnregisterPlugPlayNotificationEx(NotificationEntry: NotificationEntry): number {
    return this.invoke(
      "IoUnregisterPlugPlayNotificationEx",
      { NotificationEntry },
      () => this._sys.notify.unregister(NotificationEntry, true),
    );
  }

  /** `IoReportTargetDeviceChange`: a custom event, delivered synchronously (user mode first, then kernel). */
  IoReportTargetDeviceChange(
    PhysicalDeviceObject: DeviceObject,
    NotificationStructure: TARGET_DEVICE_CUSTOM_NOTIFICATION,
  ): number {
    return this.invoke(
      "IoReportTargetDeviceChange",
      { PhysicalDeviceObject, Event: NotificationStructure?.Event },
      () => this._sys.notify.reportTargetDeviceChange(PhysicalDeviceObject, NotificationStructure),
    );
  }

  /** `IoReportTargetDeviceChangeAsynchronous`: queues the custom event and returns STATUS_PENDING; Callback runs after delivery. */
  IoReportTargetDeviceChangeAsynchronous(
    PhysicalDeviceObject: DeviceObject,
    NotificationStructure: TARGET_DEVICE_CUSTOM_NOTIFICATION,
    Callback: ((Context: unknown) => void) | null = null,
    Context: unknown = null,
  ): number {
    return this.invoke(
      "IoReportTargetDeviceChangeAsynchronous",
      { PhysicalDeviceObject, Event: NotificationStructure?.Event },
      () =>
        this._sys.notify.reportTargetDeviceChangeAsynchronous(
          PhysicalDeviceObject,
          NotificationStructure,
          Callback,
          Context,
        ),
    );
  }

  // ---- Unified device properties (lib/pnp/properties.ts) ---------------------------------------------

  /** `IoGetDevicePropertyData`: a DEVPKEY of a PDO; a `Size` too small is STATUS_BUFFER_TOO_SMALL with `requiredSize`. */
  IoGetDevicePropertyData(
    Pdo: DeviceObject,
    PropertyKey: props.DEVPROPKEY,
    Lcid: number,
    Flags: number,
    Size?: number,
  ): props.PropertyResult {
    return this.invoke(
      "IoGetDevicePropertyData",
      { Pdo, PropertyKey, Lcid, Flags, Size },
      () => props.IoGetDevicePropertyData(this._sys, Pdo, PropertyKey, Lcid, Flags, Size),
    );
  }

  /** `IoSetDevicePropertyData`: sets (or, with null Data, deletes) a custom property of a PDO. */
  IoSetDevicePropertyData(
    Pdo: DeviceObject,
    PropertyKey: props.DEVPROPKEY,
    Lcid: number,
    Flags: number,
    Type: number,
    Size: number,
    Data: props.PropertyData | null,
  ): number {
    return this.invoke(
      "IoSetDevicePropertyData",
      { Pdo, PropertyKey, Lcid, Flags, Type, Size, Data },
      () =>
        props.IoSetDevicePropertyData(this._sys, Pdo, PropertyKey, Lcid, Flags, Type, Size, Data),
    );
  }

  /** `IoGetDeviceInterfacePropertyData`: a DEVPKEY of an interface (Enabled, ClassGuid, FriendlyName, custom ones). */
  IoGetDeviceInterfacePropertyData(
    SymbolicLinkName: string,
    PropertyKey: props.DEVPROPKEY,
    Lcid: number,
    Flags: number,
    Size?: number,
  ): props.PropertyResult {
    return this.invoke(
      "IoGetDeviceInterfacePropertyData",
      { SymbolicLinkName, PropertyKey, Lcid, Flags, Size },
      () =>
        props.IoGetDeviceInterfacePropertyData(
          this._sys,
          SymbolicLinkName,
          PropertyKey,
          Lcid,
          Flags,
          Size,
        ),
    );
  }

  /** `IoSetDeviceInterfacePropertyData`: sets (or deletes) an interface property; PLUGPLAY_PROPERTY_PERSISTENT keeps it across restarts. */
  IoSetDeviceInterfacePropertyData(
    SymbolicLinkName: string,
    PropertyKey: props.DEVPROPKEY,
    Lcid: number,
    Flags: number,
    Type: number,
    Size: number,
    Data: props.PropertyData | null,
  ): number {
    return this.invoke(
      "IoSetDeviceInterfacePropertyData",
      { SymbolicLinkName, PropertyKey, Lcid, Flags, Type, Size, Data },
      () =>
        props.IoSetDeviceInterfacePropertyData(
          this._sys,
          SymbolicLinkName,
          PropertyKey,
          Lcid,
          Flags,
          Type,
          Size,
          Data,
        ),
    );
  }

  // ---- Objects drivers create themselves (lib/io/driverio.ts, lib/io/removelock.ts, lib/ke/, lib/ex/) ----

  /** `IoCreateSymbolicLink`: a link in the object namespace (`\\DosDevices\\X` → `\\Device\\X`); opens by the link reach the device. */
  IoCreateSymbolicLink(SymbolicLinkName: string, DeviceName: string): number {
    return this.invoke(
      "IoCreateSymbolicLink",
      { SymbolicLinkName, DeviceName },
      () => driverio.IoCreateSymbolicLink(this._sys, SymbolicLinkName, DeviceName),
    );
  }

  /** `IoDeleteSymbolicLink`. */
  IoDeleteSymbolicLink(SymbolicLinkName: string): number {
    return this.invoke(
      "IoDeleteSymbolicLink",
      { SymbolicLinkName },
      () => driverio.IoDeleteSymbolicLink(this._sys, SymbolicLinkName),
    );
  }

  /** `IoAllocateIrp`: an IRP with `StackSize` locations; the caller frees it (IoFreeIrp), usually in its completion routine. */
  IoAllocateIrp(StackSize: number, ChargeQuota: boolean): Irp | null {
    return this.invoke(
      "IoAllocateIrp",
      { StackSize, ChargeQuota },
      () => driverio.IoAllocateIrp(this._sys, StackSize),
    );
  }

  /** `IoFreeIrp`: frees an IRP from IoAllocateIrp or IoBuildAsynchronousFsdRequest (twice is bug check 0xC2). */
  IoFreeIrp(Irp: Irp): void {
    this.invoke("IoFreeIrp", { Irp }, () => driverio.IoFreeIrp(this._sys, Irp));
  }

  /** `IoReuseIrp`: makes a completed IRP ready for another request, IoStatus.Status = `Iostatus`. */
  IoReuseIrp(Irp: Irp, Iostatus: number): void {
    this.invoke(
      "IoReuseIrp",
      { Irp, Iostatus },
      () => driverio.IoReuseIrp(this._sys, Irp, Iostatus),
    );
  }

  /** `IoInitializeIrp`: initializes an IRP the caller owns with `StackSize` locations (`PacketSize` is C's and ignored). */
  IoInitializeIrp(Irp: Irp, PacketSize: number, StackSize: number): void {
    this.invoke(
      "IoInitializeIrp",
      { Irp, PacketSize, StackSize },
      () => driverio.IoInitializeIrp(this._sys, Irp, StackSize),
    );
  }

  /**
   * `IoBuildSynchronousFsdRequest`: an IRP for `DeviceObject` (set the rest in
   * `IoGetNextIrpStackLocation(irp)`, then IoCallDriver). When it completes the I/O manager fills the
   * caller's `IoStatusBlock` (`{ Status, Information }`, filled later, so passed in like `Event`),
   * signals `Event` and frees the IRP.
   */
  IoBuildSynchronousFsdRequest(
    MajorFunction: number,
    DeviceObject: DeviceObject,
    Buffer: unknown,
    Length: number,
    StartingOffset: number | bigint | null,
    Event: KEVENT,
    IoStatusBlock: IO_STATUS_BLOCK,
  ): Irp | null {
    return this.invoke(
      "IoBuildSynchronousFsdRequest",
      { MajorFunction: IRP_MJ_NAMES[MajorFunction] ?? MajorFunction, DeviceObject, Length, Event },
      () =>
        driverio.IoBuildSynchronousFsdRequest(
          this._sys,
          MajorFunction,
          DeviceObject,
          Buffer,
          Length,
          StartingOffset,
          Event,
          IoStatusBlock,
        ),
    );
  }

  /** `IoBuildAsynchronousFsdRequest`: as the synchronous one without an event; the caller frees it in its completion routine. */
  IoBuildAsynchronousFsdRequest(
    MajorFunction: number,
    DeviceObject: DeviceObject,
    Buffer: unknown,
    Length: number,
    StartingOffset: number | bigint | null,
    IoStatusBlock: IO_STATUS_BLOCK | null,
  ): Irp | null {
    return this.invoke(
      "IoBuildAsynchronousFsdRequest",
      { MajorFunction: IRP_MJ_NAMES[MajorFunction] ?? MajorFunction, DeviceObject, Length },
      () =>
        driverio.IoBuildAsynchronousFsdRequest(
          this._sys,
          MajorFunction,
          DeviceObject,
          Buffer,
          Length,
          StartingOffset,
          IoStatusBlock,
        ),
    );
  }

  /** `IoBuildDeviceIoControlRequest`: a (internal) device control IRP; `Event` and `IoStatusBlock` as for IoBuildSynchronousFsdRequest. */
  IoBuildDeviceIoControlRequest(
    IoControlCode: number,
    DeviceObject: DeviceObject,
    InputBuffer: Uint8Array | null,
    InputBufferLength: number,
    OutputBuffer: Uint8Array | null,
    OutputBufferLength: number,
    InternalDeviceIoControl: boolean,
    Event: KEVENT,
    IoStatusBlock: IO_STATUS_BLOCK,
  ): Irp | null {
    return this.invoke(
      "IoBuildDeviceIoControlRequest",
      {
        IoControlCode: ioControlCodeText(IoControlCode),
        DeviceObject,
        InputBufferLength,
        OutputBufferLength,
        InternalDeviceIoControl,
        Event,
      },
      () =>
        driverio.IoBuildDeviceIoControlRequest(
          this._sys,
          IoControlCode,
          DeviceObject,
          InputBuffer,
          InputBufferLength,
          OutputBuffer,
          OutputBufferLength,
          InternalDeviceIoControl,
          Event,
          IoStatusBlock,
        ),
    );
  }

  /** `IoGetAttachedDeviceReference`: the top of the device's stack, referenced (release with ObDereferenceObject). */
  IoGetAttachedDeviceReference(DeviceObject: DeviceObject): DeviceObject | null {
    return this.invoke(
      "IoGetAttachedDeviceReference",
      { DeviceObject },
      () => driverio.IoGetAttachedDeviceReference(DeviceObject),
    );
  }

  /** `IoGetLowerDeviceObject`: the next-lower device, referenced, or null. */
  IoGetLowerDeviceObject(DeviceObject: DeviceObject): DeviceObject | null {
    return this.invoke(
      "IoGetLowerDeviceObject",
      { DeviceObject },
      () => driverio.IoGetLowerDeviceObject(DeviceObject),
    );
  }

  /** `IoGetDeviceAttachmentBaseRef`: the bottom of the device's stack, referenced. */
  IoGetDeviceAttachmentBaseRef(DeviceObject: DeviceObject): DeviceObject | null {
    return this.invoke(
      "IoGetDeviceAttachmentBaseRef",
      { DeviceObject },
      () => driverio.IoGetDeviceAttachmentBaseRef(DeviceObject),
    );
  }

  /** `IoInitializeRemoveLock`: the caller's lock (`new IO_REMOVE_LOCK()`) starts with a count of one. */
  IoInitializeRemoveLock(
    Lock: IO_REMOVE_LOCK,
    AllocateTag: number,
    MaxLockedMinutes: number,
    HighWatermark: number,
  ): void {
    this.invoke(
      "IoInitializeRemoveLock",
      { Lock, AllocateTag, MaxLockedMinutes, HighWatermark },
      () =>
        removelock.IoInitializeRemoveLock(
          this._sys.ke,
          Lock,
          AllocateTag,
          ++this._sys.io.irpSerial,
        ),
    );
  }

  /** `IoAcquireRemoveLock`: STATUS_SUCCESS, or STATUS_DELETE_PENDING once IoReleaseRemoveLockAndWait has run. */
  IoAcquireRemoveLock(RemoveLock: IO_REMOVE_LOCK, Tag: unknown = null): number {
    return this.invoke(
      "IoAcquireRemoveLock",
      { RemoveLock, Tag },
      () => removelock.IoAcquireRemoveLock(RemoveLock),
    );
  }

  /** `IoReleaseRemoveLock`. */
  IoReleaseRemoveLock(RemoveLock: IO_REMOVE_LOCK, Tag: unknown = null): void {
    this.invoke(
      "IoReleaseRemoveLock",
      { RemoveLock, Tag },
      () => removelock.IoReleaseRemoveLock(RemoveLock),
    );
  }

  /** `IoReleaseRemoveLockAndWait`: in REMOVE, after acquiring once: waits until every other holder released. */
  IoReleaseRemoveLockAndWait(RemoveLock: IO_REMOVE_LOCK, Tag: unknown = null): void {
    this.invoke(
      "IoReleaseRemoveLockAndWait",
      { RemoveLock, Tag },
      () => removelock.IoReleaseRemoveLockAndWait(this._sys.ke, RemoveLock),
    );
  }

  /** `KeInitializeSpinLock`: the caller's lock (`new KSPIN_LOCK()`) is free. */
  KeInitializeSpinLock(SpinLock: KSPIN_LOCK): void {
    this.invoke(
      "KeInitializeSpinLock",
      { SpinLock },
      () => spinlock.KeInitializeSpinLock(SpinLock, ++this._sys.ke.events),
    );
  }

  /** `KeAcquireSpinLock`: takes the lock and raises to DISPATCH_LEVEL; returns the old IRQL (the C out-parameter). */
  KeAcquireSpinLock(SpinLock: KSPIN_LOCK): number {
    return this.invoke("KeAcquireSpinLock", { SpinLock }, () => {
      const frame = this._sys.caller;
      const old = frame.irql;
      if (!(SpinLock instanceof spinlock.KSPIN_LOCK)) return old;
      if (!spinlock.acquireSpinLock(SpinLock, frame.name)) driverio.spinForever(frame.name);
      frame.irql = DISPATCH_LEVEL;
      return old;
    });
  }

  /** `KeReleaseSpinLock`: frees the lock and returns to `NewIrql` (what KeAcquireSpinLock returned). */
  KeReleaseSpinLock(SpinLock: KSPIN_LOCK, NewIrql: number): void {
    this.invoke("KeReleaseSpinLock", { SpinLock, NewIrql }, () => {
      if (SpinLock instanceof spinlock.KSPIN_LOCK) spinlock.releaseSpinLock(SpinLock);
      if (Number.isInteger(NewIrql) && NewIrql >= 0 && NewIrql <= HIGH_LEVEL) {
        this._sys.caller.irql = NewIrql;
      }
    });
  }

  /**
   * `ExAllocatePool2`: `NumberOfBytes` zeroed bytes of paged or non-paged pool (one POOL_FLAG_* pool
   * type is required), tagged; null for flags without a pool type or a zero tag. Free it with
   * ExFreePoolWithTag before the driver unloads (Pool Tracking).
   */
  ExAllocatePool2(Flags: number | bigint, NumberOfBytes: number, Tag: number): PoolBlock | null {
    return this.invoke("ExAllocatePool2", { Flags, NumberOfBytes, Tag }, () => {
      const sys = this._sys;
      if (typeof Flags !== "number" && typeof Flags !== "bigint") return null;
      if (typeof Flags === "number" && !Number.isInteger(Flags)) return null;
      const flags = Number(BigInt.asUintN(32, BigInt(Flags)));
      const types = flags & (POOL_FLAG_PAGED | POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE);
      if (
        (types !== POOL_FLAG_PAGED && types !== POOL_FLAG_NON_PAGED &&
          types !== POOL_FLAG_NON_PAGED_EXECUTE) ||
        !Tag ||
        !Number.isInteger(NumberOfBytes) || NumberOfBytes < 0
      ) return null;
      const driver = sys.caller.driver ?? sys.caller.name;
      return sys.io.pool.allocate(driver, NumberOfBytes, Tag, types === POOL_FLAG_PAGED);
    });
  }

  /** `ExFreePoolWithTag`: a block freed twice (or not from the pool) is bug check 0xC2 (BAD_POOL_CALLER, 0x7). */
  ExFreePoolWithTag(P: PoolBlock, Tag: number): void {
    this.invoke("ExFreePoolWithTag", { P, Tag }, () => {
      const r = this._sys.io.pool.free(P);
      if (r !== "freed") {
        this._sys.violate(
          "PoolDoubleFree",
          `ExFreePoolWithTag on a block that is ${
            r === "not pool" ? "not from the pool" : "already freed"
          }`,
          [0, 0, 0],
        );
      }
    });
  }

  /** `IoSetCancelRoutine` (a macro, not traced): sets the routine IoCancelIrp will call; returns the previous one. */
  IoSetCancelRoutine(Irp: Irp, CancelRoutine: CancelRoutine | null): CancelRoutine | null {
    return driverio.IoSetCancelRoutine(Irp, CancelRoutine);
  }

  /** `IoCancelIrp`: marks the IRP cancelled and runs its cancel routine, if any (TRUE), with the cancel spin lock held. */
  IoCancelIrp(Irp: Irp): boolean {
    return this.invoke("IoCancelIrp", { Irp }, () => driverio.IoCancelIrp(this._sys, Irp));
  }

  /** `IoAcquireCancelSpinLock`: returns the old IRQL (the C out-parameter). */
  IoAcquireCancelSpinLock(): number {
    return this.invoke(
      "IoAcquireCancelSpinLock",
      {},
      () => driverio.IoAcquireCancelSpinLock(this._sys),
    );
  }

  /** `IoReleaseCancelSpinLock`: a cancel routine calls it with `Irp->CancelIrql`. */
  IoReleaseCancelSpinLock(Irql: number): void {
    this.invoke(
      "IoReleaseCancelSpinLock",
      { Irql },
      () => driverio.IoReleaseCancelSpinLock(this._sys, Irql),
    );
  }

  // ---- Power (lib/po/) -------------------------------------------------------------------------------

  /**
   * `PoSetPowerState`: a driver tells the power manager its device's new device power state (after
   * it has changed it); returns the previous state. A system state is not the driver's to set: the
   * call returns the current system state and changes nothing.
   */
  PoSetPowerState(DeviceObject: DeviceObject, Type: number, State: number): number {
    return this.invoke(
      "PoSetPowerState",
      { DeviceObject, Type, State: powerStateArgument(Type, State) },
      () => this._sys.po.PoSetPowerState(DeviceObject, Type, State),
    );
  }

  /**
   * `PoRequestPowerIrp`: allocates a power IRP (IRP_MN_SET_POWER or IRP_MN_QUERY_POWER for a device
   * state, IRP_MN_WAIT_WAKE for a system state) and sends it to the top of the device's stack;
   * STATUS_PENDING once sent. `CompletionFunction(DeviceObject, MinorFunction, PowerState, Context,
   * IoStatus)` runs after every driver has completed it. `irp` is the allocated IRP (the
   * RequestedPowerIrp rule: drivers should not rely on it).
   */
  PoRequestPowerIrp(
    DeviceObject: DeviceObject,
    MinorFunction: number,
    PowerState: number,
    CompletionFunction: PowerCompletionFunction | null,
    Context: unknown,
  ): { status: number; irp?: Irp } {
    return this.invoke(
      "PoRequestPowerIrp",
      {
        DeviceObject,
        MinorFunction,
        PowerState: powerStateArgument(
          MinorFunction === 0 ? SystemPowerState : 1,
          PowerState,
        ),
      },
      () =>
        this._sys.po.PoRequestPowerIrp(
          DeviceObject,
          MinorFunction,
          PowerState,
          CompletionFunction,
          Context,
        ),
    );
  }

  /** `PoCallDriver`: passes a power IRP to the next-lower driver (IoCallDriver since Windows Vista). */
  PoCallDriver(DeviceObject: DeviceObject, Irp: Irp): number {
    this._sys.checkRunning();
    this._sys.checkIrql("PoCallDriver");
    return this.guard(
      "PoCallDriver",
      { DeviceObject, Irp },
      () => io.IoCallDriver(this._sys, DeviceObject, Irp),
    );
  }

  /** `PoStartNextPowerIrp`: accepted and recorded; since Windows Vista it performs no operation. */
  PoStartNextPowerIrp(Irp: Irp): void {
    this.invoke("PoStartNextPowerIrp", { Irp }, () => {});
  }

  /**
   * `IoRegisterShutdownNotification`: the driver's IRP_MJ_SHUTDOWN routine runs when the machine
   * shuts down, before the system power IRPs for S5.
   */
  IoRegisterShutdownNotification(DeviceObject: DeviceObject): number {
    return this.invoke("IoRegisterShutdownNotification", { DeviceObject }, () => {
      const list = this._sys.po.shutdownNotifications;
      if (!list.includes(DeviceObject)) list.push(DeviceObject);
      return 0;
    });
  }

  /** `IoUnregisterShutdownNotification`: the device no longer receives IRP_MJ_SHUTDOWN. */
  IoUnregisterShutdownNotification(DeviceObject: DeviceObject): void {
    this.invoke("IoUnregisterShutdownNotification", { DeviceObject }, () => {
      const list = this._sys.po.shutdownNotifications;
      const i = list.indexOf(DeviceObject);
      if (i >= 0) list.splice(i, 1);
    });
  }
}

/** A POWER_STATE argument as the trace shows it: `PowerDeviceD3`, `PowerSystemSleeping3`. */
function powerStateArgument(type: number, state: number): string | number {
  return (type === SystemPowerState ? SYSTEM_POWER_STATE_NAMES : DEVICE_POWER_STATE_NAMES)[state] ??
    state;
}
