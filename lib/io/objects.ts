/**
 * I/O manager objects: driver objects, device objects, file objects and IRPs with their stack
 * locations. Field names are the WDK's where a driver reads them.
 *
 * @module
 */
import {
  BUS_QUERY_ID_NAMES,
  DEVICE_TEXT_TYPE_NAMES,
  IRP_MJ_NAMES,
  IRP_MJ_POWER,
  IRP_MN_NAMES,
  IRP_MN_POWER_NAMES,
  RELATION_TYPE_NAMES,
} from "../constants.ts";
import type { Kernel } from "../kernel.ts";
import { traceDescription } from "../trace/describe.ts";
/** A dispatch routine: `DRIVER_DISPATCH`. */
export type DispatchRoutine = (k: Kernel, DeviceObject: DeviceObject, Irp: Irp) => number;
/** `DRIVER_CANCEL`: runs with the cancel spin lock held; it must release it (IoReleaseCancelSpinLock). */
export type CancelRoutine = (k: Kernel, DeviceObject: DeviceObject | null, Irp: Irp) => void;
/** `IO_COMPLETION_ROUTINE`. */
export type CompletionRoutine = (
  k: Kernel,
  DeviceObject: DeviceObject | null,
  Irp: Irp,
  Context: unknown,
) => number;

/** What a driver is: its routines, the IDs it drives, and how it is installed. */
export interface DriverSpec {
  /** The service name: `Services\<name>`, `\Driver\<name>`. */
  name: string;
  /** Its load order group (the service key's `Group`, an INF's LoadOrderGroup), e.g. "PNP Filter". */
  group?: string;
  /** Hardware or compatible IDs this driver is the function driver for. */
  hardwareIds?: string[];
  /** The setup class of the devices it drives (written to the Enum key's ClassGUID). Default: the system class for buses, else "Unknown". */
  classGuid?: string;
  /** The setup class name (the class key's default value and the Enum key's Class). */
  className?: string;
  /** Values an INF's `.HW` AddReg section writes to each device's hardware key (`Device Parameters`). */
  deviceParameters?: Record<
    string,
    { type: number; data: number | bigint | string | string[] | Uint8Array }
  >;
  /** Upper filters an INF adds to the class key (`Control\Class\{guid}`, `UpperFilters`). */
  classUpperFilters?: string[];
  /** Lower filters an INF adds to the class key. */
  classLowerFilters?: string[];
  /** `DriverEntry`. Default: returns STATUS_SUCCESS. */
  DriverEntry?(k: Kernel, driverObject: DriverObject, registryPath: string): number;
  /** `AddDevice`. Default: create an FDO and attach it. */
  AddDevice?(k: Kernel, driverObject: DriverObject, pdo: DeviceObject): number;
  /** The IRP_MJ_PNP dispatch routine. Default: pass every PnP IRP down (detaching and deleting on REMOVE). */
  DispatchPnp?(k: Kernel, deviceObject: DeviceObject, irp: Irp): number;
  /** Other dispatch routines by major function (IRP_MJ_CREATE, IRP_MJ_CLOSE, IRP_MJ_DEVICE_CONTROL ...). */
  MajorFunction?: Partial<Record<number, DispatchRoutine>>;
  /** `DriverUnload`. */
  Unload?(k: Kernel, driverObject: DriverObject): void;
}

/** `DRIVER_EXTENSION`. */
export interface DRIVER_EXTENSION {
  /** The driver's `AddDevice` routine, which PnP calls for each new device; null when it has none. */
  AddDevice: ((k: Kernel, driverObject: DriverObject, pdo: DeviceObject) => number) | null;
}

/** `DRIVER_OBJECT`. */
export class DriverObject {
  /** `IO_TYPE_DRIVER` (ReactOS kmtests ntos_io/IoDeviceObject_drv.c TestDriverObject, passes on Windows). */
  get Type(): 4 {
    return 4;
  }
  /** `\Driver\<name>`. */
  readonly DriverName: string;
  /** `DriverExtension.AddDevice`. */
  readonly DriverExtension: DRIVER_EXTENSION = { AddDevice: null };
  /** Dispatch routines by major function. */
  readonly MajorFunction: Record<number, DispatchRoutine | undefined> = {};
  /** `DriverUnload`. */
  DriverUnload: ((k: Kernel, driverObject: DriverObject) => void) | null = null;
  /** The service name. */
  readonly name: string;
  /** The spec it was loaded from. */
  readonly spec: DriverSpec;
  /**
   * Its device objects, oldest first (`DriverObject->DeviceObject` is the newest). A set, because a
   * driver with thousands of devices deletes them one by one.
   */
  readonly #devices: Set<DeviceObject> = new Set();
  /** Its device objects, oldest first (a copy). */
  get devices(): DeviceObject[] {
    return [...this.#devices];
  }
  /** How many device objects it has. */
  get deviceCount(): number {
    return this.#devices.size;
  }
  /** IoCreateDevice made one. */
  addDevice(device: DeviceObject): void {
    this.#devices.add(device);
  }
  /** IoDeleteDevice deleted one. */
  removeDevice(device: DeviceObject): void {
    this.#devices.delete(device);
  }
  /** References besides devices: notification registrations. */
  references = 0;
  /** Whether DriverEntry succeeded and Unload has not run. */
  loaded = false;
  /** It had a device at some point (so losing the last one unloads it). */
  hadDevices = false;
  /** The verifier already reported that registrations keep it loaded. */
  leakReported = false;
  /** DriverEntry succeeded at least once. */
  wasLoaded = false;
  /** DriverEntry's status (STATUS_NOT_SAFE_MODE_DRIVER when a safe boot did not run it). */
  entryStatus = 0;
  /** Work items queued for its devices and not yet run: they keep it loaded ("System Worker Threads"). */
  workItemsQueued = 0;
  /** DriverEntry was called (a safe boot skips the drivers SafeBoot\Minimal does not name). */
  entryRan = false;
  /** Driver-wide state a driver keeps (its globals). */
  readonly context: Record<string, unknown> = {};
  #routineNames = new Map<string, string>();

  /** Creates a driver object; the I/O manager does this when it loads a driver. */
  constructor(spec: DriverSpec) {
    this.spec = spec;
    this.name = spec.name;
    this.DriverName = `\\Driver\\${spec.name}`;
  }

  readonly #frames = new Map<string, DriverFrame>();

  /**
   * The caller frame its routine runs in (system process, kernel mode, PASSIVE_LEVEL): one per
   * routine, reused while it is not on the caller stack already (a routine re-entered, such as a
   * dispatch routine that sends an IRP to its own device, gets a fresh one). Marked busy.
   *
   * @internal
   */
  frame(routine: string): DriverFrame {
    const cached = this.#frames.get(routine);
    if (cached && !cached.busy) {
      cached.busy = true;
      cached.irql = 0;
      return cached;
    }
    const frame: DriverFrame = {
      name: this.routineName(routine),
      driver: this.name,
      process: "System",
      previousMode: "KernelMode",
      irql: 0,
      busy: true,
    };
    if (!cached) this.#frames.set(routine, frame);
    return frame;
  }

  /** `toaster!AddDevice`: how callers and the trace name one of its routines (made once per routine). */
  routineName(routine: string): string {
    let name = this.#routineNames.get(routine);
    if (name === undefined) this.#routineNames.set(routine, name = `${this.name}!${routine}`);
    return name;
  }

  /** The first device object, as `DriverObject->DeviceObject`. */
  get DeviceObject(): DeviceObject | null {
    let newest: DeviceObject | null = null;
    for (const d of this.#devices) newest = d;
    return newest;
  }

  /** How the trace shows it. */
  [traceDescription](): string {
    return this.DriverName;
  }
}

/** A caller frame a driver routine runs in (the shape of `System`'s caller frames), with whether it is in use. */
export interface DriverFrame {
  readonly name: string;
  readonly driver: string;
  readonly process: string;
  readonly previousMode: "KernelMode" | "UserMode";
  irql: number;
  busy: boolean;
}

/** The role of a device object in its stack. */
export type DeviceRole = "PDO" | "FDO" | "filter";

/** `DEVICE_OBJECT`. */
export class DeviceObject {
  /** `IO_TYPE_DEVICE`. */
  get Type(): 3 {
    // A getter, not a field: the same for every device object, so no slot in each.
    return 3;
  }
  /** The driver that created it. */
  readonly DriverObject: DriverObject;
  /** The device attached above this one, or null at the top. */
  AttachedDevice: DeviceObject | null = null;
  /** `DO_*` flags. */
  Flags: number;
  /** `FILE_*` characteristics. */
  Characteristics: number;
  /** `FILE_DEVICE_*`. */
  DeviceType: number;
  /** Stack locations an IRP needs to reach this device and everything below it. */
  StackSize = 1;
  /** The driver's per-device context. */
  DeviceExtension: Record<string, unknown> = {};
  /** The object name (`\Device\00000003`), or null for an unnamed device. */
  readonly name: string | null;
  /** The device this one is attached to (`DEVOBJ_EXTENSION.AttachedTo`). */
  lower: DeviceObject | null = null;
  /** Set by IoDeleteDevice. */
  deleted = false;
  /** Object references (ObReferenceObject / ObDereferenceObject). */
  references = 1;
  /** For a PDO: the devnode PnP built for it, once it was reported. */
  devnode: unknown = null;
  /** The role PnP gave it when building the stack (PDO, FDO or filter). */
  role: DeviceRole | null = null;
  /**
   * For a PDO of the model's virtual bus: the bus's PnP dispatch, which answers the PDO's PnP IRPs
   * whichever driver owns it (the bus sets it; the I/O manager only calls it).
   */
  busDispatch: DispatchRoutine | null = null;
  /** A serial number for names and the trace. */
  readonly serial: number;
  /**
   * The device power state PoSetPowerState last recorded (Windows keeps it in DEVOBJ_EXTENSION);
   * the power manager reads it through `deviceState`. Kept here, not in a table keyed by device
   * object: a table entry costs several times these two slots.
   */
  powerState = 0;
  /** The power manager's boot count when `powerState` was set: a reboot forgets every state. */
  powerStateBoot = 0;

  /** Creates a device object; IoCreateDevice does this. */
  constructor(
    driver: DriverObject,
    name: string | null,
    deviceType: number,
    characteristics: number,
    flags: number,
    serial: number,
  ) {
    this.DriverObject = driver;
    this.name = name;
    this.DeviceType = deviceType;
    this.Characteristics = characteristics;
    this.Flags = flags;
    this.serial = serial;
  }

  /** The top of the stack this device is in. */
  get top(): DeviceObject {
    return this.AttachedDevice ? this.AttachedDevice.top : this;
  }

  /** The bottom (the PDO) of the stack this device is in. */
  get bottom(): DeviceObject {
    return this.lower ? this.lower.bottom : this;
  }

  /** `\Device\00000003 (FDO toaster)`. */
  toString(): string {
    const label = this.name ?? `#${this.serial}`;
    return `${label} (${this.role ?? "device"} ${this.DriverObject.name})`;
  }

  /** How the trace shows it. */
  [traceDescription](): string {
    return this.toString();
  }
}

/**
 * `IO_WORKITEM` (opaque in the WDK), from IoAllocateWorkItem: a work item a driver queues with
 * IoQueueWorkItem for a system worker thread, tied to one of its device objects.
 */
export class IoWorkItem {
  /**
   * What IoAllocateWorkItem was given, "the caller's driver object or one of the caller's device
   * objects" ("IoAllocateWorkItem"); the routine receives it.
   */
  readonly DeviceObject: DeviceObject | DriverObject;
  /** A serial number for the trace. */
  readonly id: number;
  /** Queued and not yet run. */
  queued = false;
  /** Freed by IoFreeWorkItem. */
  freed = false;

  /** Creates a work item; IoAllocateWorkItem does this. */
  constructor(DeviceObject: DeviceObject | DriverObject, id: number) {
    this.DeviceObject = DeviceObject;
    this.id = id;
  }

  /** How the trace shows it. */
  [traceDescription](): string {
    return `IO_WORKITEM#${this.id} (${this.DeviceObject[traceDescription]()})`;
  }

  /** The driver whose work it is. */
  get driver(): DriverObject {
    const o = this.DeviceObject;
    return o instanceof DriverObject ? o : o.DriverObject;
  }
}

export { KEVENT } from "../ke/event.ts";
import type { KEVENT } from "../ke/event.ts";

/** `IO_WORKITEM_ROUTINE`: runs at PASSIVE_LEVEL in a system thread with the work item's device object and the context. */
export type IoWorkItemRoutine = (
  k: Kernel,
  DeviceObject: DeviceObject | DriverObject,
  Context: unknown,
) => void;

/** `FILE_OBJECT`: an open of a device, by an application handle or IoGetDeviceObjectPointer. */
export class FileObject {
  /** `IO_TYPE_FILE`. */
  readonly Type = 5;
  /**
   * The device opened: the one the name resolved to (for an interface, its PDO), not the top of its
   * stack (Wine ntoskrnl.exe/tests/driver.c test_irp_struct, run on Windows: the open of the lower
   * device's name gives `FileObject->DeviceObject == lower_device` while the IRP goes to the upper).
   */
  readonly DeviceObject: DeviceObject;
  /**
   * Where the open's IRPs go (IoGetRelatedDeviceObject): the top of the opened device's stack when
   * it was opened.
   */
  readonly relatedDevice: DeviceObject;
  /** The name opened. */
  readonly FileName: string;
  /** Object references; the open is closed when they reach zero. */
  references = 1;
  /** Who opened it. */
  readonly openedBy: string;
  /** Set once the last reference is gone. */
  closed = false;
  /** A serial number for the trace. */
  readonly serial: number;

  /** Creates a file object; opens do this. */
  constructor(device: DeviceObject, fileName: string, openedBy: string, serial: number) {
    this.DeviceObject = device;
    this.relatedDevice = device.top;
    this.FileName = fileName;
    this.openedBy = openedBy;
    this.serial = serial;
  }

  /** How the trace shows it. */
  [traceDescription](): string {
    return `FILE_OBJECT#${this.serial} (${this.FileName})`;
  }
}

/** `IO_STATUS_BLOCK`. */
export interface IO_STATUS_BLOCK {
  /** The NTSTATUS the IRP completes (or, on the way down, is preset) with. */
  Status: number;
  /** The request's result: a device relations list, an ID or a device text string ... */
  Information: unknown;
}

/** `SL_PENDING_RETURNED`: a lower driver returned STATUS_PENDING (propagates into PendingReturned). */
export const SL_PENDING_RETURNED = 0x01;
/** Run the completion routine when the IRP failed. */
export const SL_INVOKE_ON_ERROR = 0x20;
/** Run the completion routine when the IRP succeeded. */
export const SL_INVOKE_ON_SUCCESS = 0x40;
/** Run the completion routine when the IRP was cancelled. */
export const SL_INVOKE_ON_CANCEL = 0x80;

/** `IO_STACK_LOCATION`. */
export interface IO_STACK_LOCATION {
  /** The `IRP_MJ_*` code. */
  MajorFunction: number;
  /** The `IRP_MN_*` code, for `IRP_MJ_PNP`. */
  MinorFunction: number;
  /** Minor-specific parameters, named as in the WDK's `Parameters` union: `QueryDeviceRelations.Type`, `QueryId.IdType` ... */
  Parameters: Record<string, Record<string, unknown>>;
  /** The device object this location is for, set when the IRP reaches it. */
  DeviceObject: DeviceObject | null;
  /** The file object of the open the request is for, if any. */
  FileObject: FileObject | null;
  /** The routine IoSetCompletionRoutine set for when the IRP completes. */
  CompletionRoutine: CompletionRoutine | null;
  /** The context passed to `CompletionRoutine`. */
  Context: unknown;
  /** `SL_*` flags: when the completion routine runs, and `SL_PENDING_RETURNED`. */
  Control: number;
}

function emptyLocation(): IO_STACK_LOCATION {
  return {
    MajorFunction: 0,
    MinorFunction: 0,
    Parameters: {},
    DeviceObject: null,
    FileObject: null,
    CompletionRoutine: null,
    Context: null,
    Control: 0,
  };
}

/** `IRP`. Stack locations are numbered 1..StackCount; `CurrentLocation` counts down as the IRP goes down. */
export class Irp {
  /** `IO_TYPE_IRP` (ReactOS kmtests ntos_io/IoIrp.c, passes on Windows). */
  get Type(): 6 {
    return 6;
  }
  /** `IoStatus`. */
  readonly IoStatus: IO_STATUS_BLOCK;
  /** The stack locations, index 1 is the lowest. */
  readonly stack: IO_STACK_LOCATION[];
  /** `StackCount`. */
  StackCount: number;
  /** `CurrentLocation`: StackCount + 1 before the first IoCallDriver. */
  CurrentLocation: number;
  /** `PendingReturned`. */
  PendingReturned = false;
  /** Set when completion finished (no routine asked for more processing). */
  completed = false;
  /** A serial number for the trace. */
  id: number;
  /** Called once the IRP is completed all the way up (the sender's wait). */
  onComplete: ((irp: Irp) => void) | null = null;

  // ---- What a driver that builds its own IRPs sets and reads (IoAllocateIrp, IoBuild*Request) ----
  /** `Cancel`: IoCancelIrp was called for it. */
  Cancel = false;
  /** `CancelRoutine`: set with IoSetCancelRoutine while a driver holds the IRP in a queue. */
  CancelRoutine: CancelRoutine | null = null;
  /** `CancelIrql`: the IRQL IoCancelIrp's cancel spin lock saved; the routine releases it with this. */
  CancelIrql = 0;
  /** `AssociatedIrp.SystemBuffer`: the buffered I/O buffer (a device control's input, then output). */
  AssociatedIrp: { SystemBuffer: unknown } = { SystemBuffer: null };
  /** `UserBuffer`: where a buffered device control's output is copied on completion. */
  UserBuffer: unknown = null;
  /** `UserEvent`: signalled when an IRP built by IoBuild*Request completes. */
  UserEvent: KEVENT | null = null;
  /** `UserIosb`: receives the final IoStatus of an IRP built by IoBuild*Request. */
  UserIosb: IO_STATUS_BLOCK | null = null;
  /** Who made it: the I/O manager for its own requests, or a driver's IoAllocateIrp / IoBuild*Request. */
  origin:
    | "system"
    | "IoAllocateIrp"
    | "IoBuildSynchronousFsdRequest"
    | "IoBuildAsynchronousFsdRequest"
    | "IoBuildDeviceIoControlRequest" = "system";
  /** IoFreeIrp released it (or the I/O manager did, for a synchronous request). */
  freed = false;
  /** `Tail.Overlay.ListEntry`'s use in the model: the driver queue holding the IRP, for the trace. */
  readonly Tail: { Overlay: { DriverContext: unknown[] } } = { Overlay: { DriverContext: [] } };

  /**
   * IoInitializeIrp / IoReuseIrp: the IRP as IoAllocateIrp returned it, with `stackSize` locations
   * and `status` in IoStatus (a new id: the trace tells the uses apart).
   */
  reinitialize(stackSize: number, status: number, id: number): void {
    this.stack.length = 0;
    for (let i = 0; i < stackSize + 2; i++) this.stack.push(emptyLocation());
    this.StackCount = stackSize;
    this.CurrentLocation = stackSize + 1;
    this.PendingReturned = false;
    this.completed = false;
    this.onComplete = null;
    this.Cancel = false;
    this.CancelRoutine = null;
    this.CancelIrql = 0;
    this.AssociatedIrp = { SystemBuffer: null };
    this.UserBuffer = null;
    this.UserEvent = null;
    this.UserIosb = null;
    this.freed = false;
    this.IoStatus.Status = status;
    this.IoStatus.Information = null;
    this.id = id;
  }

  /** Allocates an IRP with `stackSize` locations (IoAllocateIrp). */
  constructor(stackSize: number, id: number, status: number) {
    this.StackCount = stackSize;
    const stack: IO_STACK_LOCATION[] = [];
    for (let i = 0; i < stackSize + 2; i++) stack.push(emptyLocation());
    this.stack = stack;
    this.CurrentLocation = stackSize + 1;
    this.id = id;
    this.IoStatus = { Status: status, Information: null };
  }

  /** `Tail.Overlay.CurrentStackLocation`. */
  get currentStackLocation(): IO_STACK_LOCATION {
    return this.stack[this.CurrentLocation]!;
  }

  /** The location the next IoCallDriver will use. */
  get nextStackLocation(): IO_STACK_LOCATION {
    return this.stack[this.CurrentLocation - 1]!;
  }

  /** How the trace shows it. */
  [traceDescription](): string {
    const loc = this.stack[Math.min(this.CurrentLocation, this.StackCount)] ?? this.stack[1]!;
    return `IRP#${this.id} ${describeIrp(loc.MajorFunction, loc.MinorFunction)}`;
  }
}

/** `IRP_MJ_PNP/IRP_MN_START_DEVICE` style names. */
export function describeIrp(major: number, minor: number): string {
  const minors = major === IRP_MJ_POWER ? IRP_MN_POWER_NAMES : IRP_MN_NAMES;
  return `${IRP_MJ_NAMES[major] ?? major}/${minors[minor] ?? minor}`;
}

/** A readable form of a stack location's parameters for the trace. */
export function describeParameters(loc: IO_STACK_LOCATION): Record<string, unknown> | undefined {
  const p = loc.Parameters;
  if (p.QueryDeviceRelations) {
    return { Type: RELATION_TYPE_NAMES[p.QueryDeviceRelations.Type as number] };
  }
  if (p.QueryId) {
    const t = p.QueryId.IdType as number;
    return { IdType: BUS_QUERY_ID_NAMES[t] ?? t };
  }
  if (p.QueryDeviceText) {
    const t = p.QueryDeviceText.DeviceTextType as number;
    return { DeviceTextType: DEVICE_TEXT_TYPE_NAMES[t] ?? t };
  }
  if (p.DeviceIoControl) {
    return { IoControlCode: ioControlCodeText(Number(p.DeviceIoControl.IoControlCode)) };
  }
  return undefined;
}

/**
 * How the REPL, console.log and node:util's inspect print the kernel objects: one line, the trace's
 * description (`!devstack`, `!drvobj` and `!irp` show the rest), instead of every field.
 */
for (
  const [object, prefix] of [
    [DriverObject, "DRIVER_OBJECT "],
    [DeviceObject, "DEVICE_OBJECT "],
    [FileObject, ""],
    [Irp, ""],
  ] as const
) {
  for (const key of [Symbol.for("Deno.customInspect"), Symbol.for("nodejs.util.inspect.custom")]) {
    Object.defineProperty(object.prototype, key, {
      value(this: { [traceDescription](): string }): string {
        return prefix + this[traceDescription]();
      },
    });
  }
}

/** An I/O control code as the trace writes it: `0x002a400c`. */
export function ioControlCodeText(code: number): string {
  return `0x${(code >>> 0).toString(16).padStart(8, "0")}`;
}
