/**
 * What drivers do with the I/O manager on their own, outside the PnP IRPs it sends them: name their
 * devices' links (IoCreateSymbolicLink), open a device by name, build IRPs and send them (IoAllocateIrp,
 * IoBuildSynchronousFsdRequest, IoBuildDeviceIoControlRequest ...), find the devices of a stack
 * (IoGetAttachedDeviceReference ...) and cancel what they queued (IoSetCancelRoutine, IoCancelIrp).
 * Facts: each routine's page; Wine's `driver_pnp.c` `test_bus_query`, which builds PnP IRPs with
 * IoBuildSynchronousFsdRequest and checks them on Windows.
 *
 * @module
 */
import {
  DISPATCH_LEVEL,
  HIGH_LEVEL,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_INTERNAL_DEVICE_CONTROL,
  IRP_MJ_READ,
  IRP_MJ_WRITE,
} from "../constants.ts";
import { PnpHangError } from "../ke/dispatcher.ts";
import { KeSetEvent, KEVENT } from "../ke/event.ts";
import { acquireSpinLock, releaseSpinLock } from "../ke/spinlock.ts";
import {
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_SUCCESS,
} from "../ntstatus.ts";
import type { System } from "../system.ts";
import { buildIrp, IoCallDriver, runDriverRoutine } from "./iomgr.ts";
import {
  type CancelRoutine,
  DeviceObject,
  type FileObject,
  type IO_STATUS_BLOCK,
  Irp,
} from "./objects.ts";

// ---- Names ----------------------------------------------------------------------------------------

/** `IoCreateSymbolicLink`: a link in the object namespace (`\DosDevices\X` → `\Device\X`); the target need not exist yet. */
export function IoCreateSymbolicLink(
  sys: System,
  SymbolicLinkName: unknown,
  DeviceName: unknown,
): number {
  if (typeof SymbolicLinkName !== "string" || typeof DeviceName !== "string") {
    return STATUS_INVALID_PARAMETER;
  }
  return sys.io.namespace.insert(SymbolicLinkName, "SymbolicLink", DeviceName);
}

/** `IoDeleteSymbolicLink`: STATUS_OBJECT_NAME_NOT_FOUND when there is no such link. */
export function IoDeleteSymbolicLink(sys: System, SymbolicLinkName: unknown): number {
  if (typeof SymbolicLinkName !== "string") return STATUS_INVALID_PARAMETER;
  return sys.io.namespace.remove(SymbolicLinkName, "SymbolicLink");
}

/**
 * The device object a name reaches through the namespace (`\Device\X`, or a link to it), or the
 * status of the lookup: a name that is not a device (a directory, a key) is
 * STATUS_OBJECT_TYPE_MISMATCH.
 */
export function deviceByName(
  sys: System,
  name: string,
): { status: number; device?: DeviceObject } {
  const r = sys.io.namespace.lookup(name);
  if (!("type" in r)) return { status: r.status };
  if (r.type !== "Device" || !(r.object instanceof DeviceObject)) {
    return { status: STATUS_OBJECT_TYPE_MISMATCH };
  }
  return { status: STATUS_SUCCESS, device: r.object };
}

/**
 * Sends an I/O request the I/O manager itself makes (an open's IRP_MJ_CREATE, CLEANUP, CLOSE) to
 * `target` for the thread `openedBy` of `process`, and waits until it completes.
 */
export function sendToDevice(
  sys: System,
  target: DeviceObject,
  major: number,
  parameters: Record<string, Record<string, unknown>>,
  fileObject: FileObject | null,
  openedBy: string,
  process: string,
): { status: number; information: unknown } {
  return sys.as({ name: openedBy, driver: null, process, previousMode: "UserMode" }, () => {
    const irp = buildIrp(sys, target, major, 0, parameters, STATUS_SUCCESS, fileObject);
    IoCallDriver(sys, target, irp);
    if (!sys.ke.runUntil(() => irp.completed)) {
      throw new PnpHangError(`an I/O request to ${target}`);
    }
    return { status: irp.IoStatus.Status, information: irp.IoStatus.Information };
  });
}

// ---- IRPs drivers build -----------------------------------------------------------------------------

/** `IoAllocateIrp`: an IRP with `StackSize` locations, not yet for any device (null for a size below 1). */
export function IoAllocateIrp(sys: System, StackSize: number): Irp | null {
  if (!Number.isInteger(StackSize) || StackSize < 1 || StackSize > 0xff) return null;
  const irp = new Irp(StackSize, ++sys.io.irpSerial, STATUS_SUCCESS);
  irp.origin = "IoAllocateIrp";
  return irp;
}

/** `IoInitializeIrp`: the caller's IRP as IoAllocateIrp would return it, with `StackSize` locations. */
export function IoInitializeIrp(sys: System, Irp_: Irp, StackSize: number): void {
  if (!(Irp_ instanceof Irp) || !Number.isInteger(StackSize) || StackSize < 1) return;
  const origin = Irp_.origin;
  Irp_.reinitialize(StackSize, STATUS_SUCCESS, ++sys.io.irpSerial);
  Irp_.origin = origin;
}

/** `IoReuseIrp`: reinitializes an IRP for another request, with `Iostatus` in IoStatus.Status. */
export function IoReuseIrp(sys: System, Irp_: Irp, Iostatus: number): void {
  if (!(Irp_ instanceof Irp)) return;
  const origin = Irp_.origin;
  Irp_.reinitialize(Irp_.StackCount, Iostatus >>> 0, ++sys.io.irpSerial);
  Irp_.origin = origin;
}

/**
 * `IoFreeIrp`. Freeing an IRP twice, or one the I/O manager frees itself (a synchronous request's),
 * is double-free corruption: BAD_POOL_CALLER (0xC2) with parameter 1 0x7 ("attempt to free pool
 * which was already freed").
 */
export function IoFreeIrp(sys: System, Irp_: Irp): void {
  if (!(Irp_ instanceof Irp)) return;
  if (Irp_.freed) {
    sys.bugCheck(0xc2, [0x7, 0, 0, Irp_.id], `IRP#${Irp_.id} was freed twice`);
  }
  Irp_.freed = true;
}

/** What the I/O manager does when a request built by IoBuild*Request completes all the way up. */
function completeBuiltRequest(irp: Irp): void {
  const iosb = irp.UserIosb;
  if (iosb) {
    iosb.Status = irp.IoStatus.Status;
    iosb.Information = irp.IoStatus.Information;
  }
  // METHOD_BUFFERED: the output the driver left in the system buffer goes to the caller's buffer.
  const out = irp.UserBuffer;
  const sys = irp.AssociatedIrp.SystemBuffer;
  if (out instanceof Uint8Array && sys instanceof Uint8Array && out !== sys) {
    const n = Math.min(Number(irp.IoStatus.Information) || 0, out.length, sys.length);
    out.set(sys.subarray(0, n));
  }
  if (irp.UserEvent) KeSetEvent(irp.UserEvent);
  // A synchronous request (a thread's) is freed by the I/O manager once it completes.
  if (irp.origin !== "IoBuildAsynchronousFsdRequest") irp.freed = true;
}

function builtIrp(
  sys: System,
  origin: Irp["origin"],
  DeviceObject_: DeviceObject,
  major: number,
  IoStatusBlock: IO_STATUS_BLOCK | null,
  Event: KEVENT | null,
): Irp | null {
  if (!(DeviceObject_ instanceof DeviceObject)) return null;
  // "IoBuildSynchronousFsdRequest": the IRP's IoStatus.Status starts as STATUS_SUCCESS ... a
  // driver sending a PnP IRP must preset STATUS_NOT_SUPPORTED itself (Wine's test_bus_query does).
  const irp = new Irp(DeviceObject_.StackSize, ++sys.io.irpSerial, STATUS_SUCCESS);
  irp.origin = origin;
  irp.UserIosb = IoStatusBlock && typeof IoStatusBlock === "object" ? IoStatusBlock : null;
  irp.UserEvent = Event instanceof KEVENT ? Event : null;
  irp.onComplete = completeBuiltRequest;
  irp.nextStackLocation.MajorFunction = major;
  return irp;
}

function readWriteParameters(
  irp: Irp,
  major: number,
  Buffer: unknown,
  Length: number,
  StartingOffset: number | bigint | null,
): void {
  if (major !== IRP_MJ_READ && major !== IRP_MJ_WRITE) return;
  irp.AssociatedIrp.SystemBuffer = Buffer;
  irp.UserBuffer = Buffer;
  irp.nextStackLocation.Parameters = {
    [major === IRP_MJ_READ ? "Read" : "Write"]: {
      Length: Length >>> 0,
      ByteOffset: StartingOffset ?? 0,
    },
  };
}

/**
 * `IoBuildSynchronousFsdRequest`: an IRP for the next-lower driver, `MajorFunction` in the first
 * location, signalling `Event` and filling `IoStatusBlock` when it completes; the I/O manager frees
 * it then. The caller sets any other parameters in `IoGetNextIrpStackLocation(irp)`.
 */
export function IoBuildSynchronousFsdRequest(
  sys: System,
  MajorFunction: number,
  DeviceObject_: DeviceObject,
  Buffer: unknown,
  Length: number,
  StartingOffset: number | bigint | null,
  Event: KEVENT,
  IoStatusBlock: IO_STATUS_BLOCK,
): Irp | null {
  const irp = builtIrp(
    sys,
    "IoBuildSynchronousFsdRequest",
    DeviceObject_,
    MajorFunction,
    IoStatusBlock,
    Event,
  );
  if (irp) readWriteParameters(irp, MajorFunction, Buffer, Length, StartingOffset);
  return irp;
}

/** `IoBuildAsynchronousFsdRequest`: as the synchronous one, with no event; the caller frees it (IoFreeIrp in its completion routine). */
export function IoBuildAsynchronousFsdRequest(
  sys: System,
  MajorFunction: number,
  DeviceObject_: DeviceObject,
  Buffer: unknown,
  Length: number,
  StartingOffset: number | bigint | null,
  IoStatusBlock: IO_STATUS_BLOCK | null,
): Irp | null {
  const irp = builtIrp(
    sys,
    "IoBuildAsynchronousFsdRequest",
    DeviceObject_,
    MajorFunction,
    IoStatusBlock,
    null,
  );
  if (irp) readWriteParameters(irp, MajorFunction, Buffer, Length, StartingOffset);
  return irp;
}

/**
 * `IoBuildDeviceIoControlRequest`: IRP_MJ_DEVICE_CONTROL (or _INTERNAL_) with the control code and
 * buffer lengths; the input goes in `AssociatedIrp.SystemBuffer` and, on completion, the first
 * `IoStatus.Information` bytes the driver left there are copied to `OutputBuffer` (buffered I/O).
 */
export function IoBuildDeviceIoControlRequest(
  sys: System,
  IoControlCode: number,
  DeviceObject_: DeviceObject,
  InputBuffer: unknown,
  InputBufferLength: number,
  OutputBuffer: unknown,
  OutputBufferLength: number,
  InternalDeviceIoControl: boolean,
  Event: KEVENT,
  IoStatusBlock: IO_STATUS_BLOCK,
): Irp | null {
  const major = InternalDeviceIoControl ? IRP_MJ_INTERNAL_DEVICE_CONTROL : IRP_MJ_DEVICE_CONTROL;
  const irp = builtIrp(
    sys,
    "IoBuildDeviceIoControlRequest",
    DeviceObject_,
    major,
    IoStatusBlock,
    Event,
  );
  if (!irp) return null;
  const size = Math.max(InputBufferLength >>> 0, OutputBufferLength >>> 0);
  let system: unknown = InputBuffer ?? null;
  if (size > 0 && (InputBuffer === null || InputBuffer instanceof Uint8Array)) {
    // One system buffer large enough for either direction, the input copied in.
    const buffer = new Uint8Array(size);
    if (InputBuffer instanceof Uint8Array) {
      buffer.set(InputBuffer.subarray(0, Math.min(InputBuffer.length, size)));
    }
    system = buffer;
  }
  irp.AssociatedIrp.SystemBuffer = system;
  irp.UserBuffer = OutputBuffer ?? null;
  irp.nextStackLocation.Parameters = {
    DeviceIoControl: {
      IoControlCode: IoControlCode >>> 0,
      InputBufferLength: InputBufferLength >>> 0,
      OutputBufferLength: OutputBufferLength >>> 0,
    },
  };
  return irp;
}

// ---- Devices of a stack ----------------------------------------------------------------------------

/** `IoGetAttachedDeviceReference`: the top of the stack `DeviceObject` is in, referenced. */
export function IoGetAttachedDeviceReference(DeviceObject_: DeviceObject): DeviceObject | null {
  if (!(DeviceObject_ instanceof DeviceObject)) return null;
  const top = DeviceObject_.top;
  top.references++;
  return top;
}

/** `IoGetLowerDeviceObject`: the device `DeviceObject` is attached to, referenced, or null at the bottom. */
export function IoGetLowerDeviceObject(DeviceObject_: DeviceObject): DeviceObject | null {
  if (!(DeviceObject_ instanceof DeviceObject) || DeviceObject_.deleted) return null;
  const lower = DeviceObject_.lower;
  if (lower) lower.references++;
  return lower;
}

/** `IoGetDeviceAttachmentBaseRef`: the bottom of the stack (the PDO of a PnP stack), referenced. */
export function IoGetDeviceAttachmentBaseRef(DeviceObject_: DeviceObject): DeviceObject | null {
  if (!(DeviceObject_ instanceof DeviceObject)) return null;
  const base = DeviceObject_.bottom;
  base.references++;
  return base;
}

// ---- Cancel -------------------------------------------------------------------------------------------

/** `IoSetCancelRoutine` (a macro over an interlocked exchange): sets the routine, returns the previous one. */
export function IoSetCancelRoutine(
  Irp_: Irp,
  CancelRoutine_: CancelRoutine | null,
): CancelRoutine | null {
  if (!(Irp_ instanceof Irp)) return null;
  const previous = Irp_.CancelRoutine;
  Irp_.CancelRoutine = CancelRoutine_;
  return previous;
}

/** `IoAcquireCancelSpinLock`: the system-wide cancel spin lock; raises to DISPATCH_LEVEL, returns the old IRQL. */
export function IoAcquireCancelSpinLock(sys: System): number {
  const frame = sys.caller;
  const old = frame.irql;
  if (!acquireSpinLock(sys.io.cancelSpinLock, frame.name)) spinForever(frame.name);
  frame.irql = DISPATCH_LEVEL;
  return old;
}

/** `IoReleaseCancelSpinLock`: releases the cancel spin lock and returns to `Irql`. */
export function IoReleaseCancelSpinLock(sys: System, Irql: number): void {
  releaseSpinLock(sys.io.cancelSpinLock);
  if (Number.isInteger(Irql) && Irql >= 0 && Irql <= HIGH_LEVEL) sys.caller.irql = Irql;
}

/** A spin lock its holder acquires again: the processor spins forever (the model's hang). */
export function spinForever(who: string): never {
  throw new PnpHangError(who, "it acquires a spin lock it already holds, so it would spin forever");
}

/**
 * `IoCancelIrp`: marks the IRP cancelled and, if a cancel routine is set, takes it and runs it with
 * the cancel spin lock held (at DISPATCH_LEVEL, `Irp->CancelIrql` the IRQL to return to); TRUE
 * then, FALSE when the IRP had no cancel routine ("IoCancelIrp").
 */
export function IoCancelIrp(sys: System, Irp_: Irp): boolean {
  if (!(Irp_ instanceof Irp)) return false;
  const old = IoAcquireCancelSpinLock(sys);
  Irp_.Cancel = true;
  const routine = Irp_.CancelRoutine;
  Irp_.CancelRoutine = null;
  if (!routine) {
    IoReleaseCancelSpinLock(sys, old);
    return false;
  }
  Irp_.CancelIrql = old;
  const loc = Irp_.CurrentLocation <= Irp_.StackCount ? Irp_.currentStackLocation : null;
  const device = loc?.DeviceObject ?? null;
  const run = () => routine(sys.kernel, device, Irp_);
  if (device) {
    runDriverRoutine(sys, device.DriverObject, "CancelRoutine", run, { irql: DISPATCH_LEVEL });
  } else run();
  // A cancel routine that returned without releasing the lock leaves it held; release it so the
  // next cancel does not spin forever on the model's one processor.
  if (sys.io.cancelSpinLock.held) releaseSpinLock(sys.io.cancelSpinLock);
  sys.caller.irql = old;
  return true;
}
