/**
 * What drivers create and do themselves: named devices and links in the object namespace, opens by
 * name, IRPs they build and send, the devices of a stack, remove locks, spin locks, pool, cancel,
 * and KeRaiseIrql's check. Each test names the page or the Windows-verified assertion it checks.
 */
import assert from "node:assert/strict";
import {
  boot,
  BugCheck,
  DISPATCH_LEVEL,
  DO_DEVICE_HAS_NAME,
  DO_DEVICE_INITIALIZING,
  type DriverObject,
  FILE_DEVICE_UNKNOWN,
  IO_REMOVE_LOCK,
  type IO_STATUS_BLOCK,
  type Irp,
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_READ,
  type Kernel,
  KEVENT,
  KEY_READ,
  KSPIN_LOCK,
  NotificationEvent,
  PASSIVE_LEVEL,
  POOL_FLAG_NON_PAGED,
  STATUS_CANCELLED,
  STATUS_DELETE_PENDING,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_PENDING,
  STATUS_SUCCESS,
} from "../../mod.ts";
import type { DeviceObject } from "../../mod.ts";
import { functionDriver } from "./_helpers.ts";

/** A legacy (non-PnP) driver whose DriverEntry creates `\Device\<name>` and `\DosDevices\<name>`. */
function controlDriver(
  name: string,
  majors: Record<number, (k: Kernel, d: DeviceObject, irp: Irp) => number> = {},
) {
  const seen: { major: number; device: DeviceObject }[] = [];
  let control: DeviceObject | null = null;
  const complete = (k: Kernel, irp: Irp, status: number) => {
    irp.IoStatus.Status = status;
    k.IoCompleteRequest(irp, 0);
    return status;
  };
  const spec = {
    name,
    DriverEntry(k: Kernel, driver: DriverObject): number {
      const r = k.IoCreateDevice(driver, 0, `\\Device\\${name}`, FILE_DEVICE_UNKNOWN, 0, false);
      if (!r.deviceObject) return r.status;
      control = r.deviceObject;
      for (const major of [IRP_MJ_CREATE, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_DEVICE_CONTROL]) {
        driver.MajorFunction[major] = (k2, d, irp) => {
          seen.push({ major, device: d });
          const own = majors[major];
          return own ? own(k2, d, irp) : complete(k2, irp, STATUS_SUCCESS);
        };
      }
      return k.IoCreateSymbolicLink(`\\DosDevices\\${name}`, `\\Device\\${name}`);
    },
  };
  return { spec, seen, control: () => control! };
}

// ---- IoCreateDevice with a name --------------------------------------------------------------------

Deno.test("IoCreateDevice: a named device object gets DO_DEVICE_HAS_NAME and its name in the object namespace (an unnamed one neither); a taken name is STATUS_OBJECT_NAME_COLLISION until IoDeleteDevice frees it", () => {
  const m = boot();
  const k = m.kernel;
  const driver = m.loadDriver({ name: "named" });
  const a = k.IoCreateDevice(driver, 0, "\\Device\\Named0", FILE_DEVICE_UNKNOWN, 0, false);
  assert.equal(a.status, STATUS_SUCCESS);
  assert.ok(a.deviceObject!.Flags & DO_DEVICE_HAS_NAME);
  const unnamed = k.IoCreateDevice(driver, 0, null, FILE_DEVICE_UNKNOWN, 0, false);
  assert.equal(unnamed.deviceObject!.Flags & DO_DEVICE_HAS_NAME, 0);
  assert.equal(
    k.IoCreateDevice(driver, 0, "\\device\\NAMED0", FILE_DEVICE_UNKNOWN, 0, false).status,
    STATUS_OBJECT_NAME_COLLISION,
  );
  k.IoDeleteDevice(a.deviceObject!);
  assert.equal(
    k.IoCreateDevice(driver, 0, "\\Device\\Named0", FILE_DEVICE_UNKNOWN, 0, false).status,
    STATUS_SUCCESS,
  );
});

Deno.test("IoCreateDevice: a name in a directory that does not exist (\\Device1\\Kmtest) is STATUS_OBJECT_PATH_NOT_FOUND (ReactOS kmtest IoDeviceObject DeviceCreateDeleteTest) and no device object is created", () => {
  const m = boot();
  const driver = m.loadDriver({ name: "kmtest" });
  const r = m.kernel.IoCreateDevice(driver, 0, "\\Device1\\Kmtest", FILE_DEVICE_UNKNOWN, 0, false);
  assert.equal(r.status, STATUS_OBJECT_PATH_NOT_FOUND);
  assert.equal(r.deviceObject, undefined);
  assert.equal(driver.devices.length, 0);
});

Deno.test("DEVICE_OBJECT (Flags, DO_DEVICE_INITIALIZING): the I/O manager clears it for device objects created in DriverEntry when DriverEntry returns; one created in AddDevice keeps it until the driver clears it", () => {
  const m = boot({ verifier: "warn" });
  let inEntry: DeviceObject | null = null;
  let duringEntry = 0;
  m.loadDriver({
    name: "early",
    DriverEntry(k: Kernel, driver: DriverObject): number {
      inEntry = k.IoCreateDevice(driver, 0, "\\Device\\Early", FILE_DEVICE_UNKNOWN, 0, false)
        .deviceObject!;
      duringEntry = inEntry.Flags & DO_DEVICE_INITIALIZING;
      return STATUS_SUCCESS;
    },
  });
  assert.ok(duringEntry);
  assert.equal(inEntry!.Flags & DO_DEVICE_INITIALIZING, 0);
  // AddDevice that forgets to clear it: the flag stays (and the verifier says so).
  let fdo: DeviceObject | null = null;
  m.loadDriver({
    name: "forgetful",
    hardwareIds: ["ROOT\\FORGETFUL"],
    AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
      fdo = k.IoCreateDevice(driver, 0, null, FILE_DEVICE_UNKNOWN, 0, false).deviceObject!;
      k.IoAttachDeviceToDeviceStack(fdo, pdo);
      return STATUS_SUCCESS;
    },
  });
  m.plugIn("ROOT\\FORGETFUL");
  assert.ok(fdo!.Flags & DO_DEVICE_INITIALIZING);
  assert.ok(m.verifier.findings.some((f) => f.rule === "DeviceInitializing"));
});

Deno.test("DRIVER_EXTENSION (AddDevice): NULL while DriverEntry runs; what DriverEntry stores is what PnP calls; a spec without AddDevice gets the default only after DriverEntry", () => {
  const m = boot();
  const seen: unknown[] = [];
  let calls = 0;
  const own = (k: Kernel, driver: DriverObject, pdo: DeviceObject) => {
    calls++;
    const r = k.IoCreateDevice(driver, 0, null, FILE_DEVICE_UNKNOWN, 0, false);
    k.IoAttachDeviceToDeviceStack(r.deviceObject!, pdo);
    r.deviceObject!.Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
  };
  const driver = m.loadDriver({
    name: "setsit",
    hardwareIds: ["ROOT\\SETSIT"],
    DriverEntry(_k: Kernel, d: DriverObject): number {
      seen.push(d.DriverExtension.AddDevice);
      d.DriverExtension.AddDevice = own;
      return STATUS_SUCCESS;
    },
  });
  assert.deepEqual([...seen], [null]);
  assert.equal(driver.DriverExtension.AddDevice, own);
  m.plugIn("ROOT\\SETSIT");
  assert.equal(calls, 1);
  const plain = m.loadDriver({
    name: "plain",
    DriverEntry(_k: Kernel, d: DriverObject): number {
      seen.push(d.DriverExtension.AddDevice);
      return STATUS_SUCCESS;
    },
  });
  assert.deepEqual(seen, [null, null]);
  assert.equal(typeof plain.DriverExtension.AddDevice, "function");
});

// ---- Open by name ------------------------------------------------------------------------------------

Deno.test("IoCreateSymbolicLink: applications open \\Device\\Name, \\DosDevices\\Name and \\\\.\\Name; IRP_MJ_CREATE, a device control, then CLEANUP and CLOSE reach the driver's control device; IoGetDeviceObjectPointer takes the link too", () => {
  const m = boot();
  const d = controlDriver("Ctl");
  m.loadDriver(d.spec);
  const app = m.app("tool");
  for (const name of ["\\Device\\Ctl", "\\DosDevices\\Ctl", "\\\\.\\Ctl", "\\??\\ctl"]) {
    const h = app.openDevice(name);
    assert.equal(h.status, STATUS_SUCCESS, name);
    assert.equal(app.deviceIoControl(h.handle, 0x222000).status, STATUS_SUCCESS);
    app.closeHandle(h.handle);
  }
  assert.deepEqual(
    d.seen.slice(0, 4).map((s) => s.major),
    [IRP_MJ_CREATE, IRP_MJ_DEVICE_CONTROL, IRP_MJ_CLEANUP, IRP_MJ_CLOSE],
  );
  assert.ok(d.seen.every((s) => s.device === d.control()));
  const p = m.kernel.IoGetDeviceObjectPointer("\\DosDevices\\Ctl", 0);
  assert.equal(p.status, STATUS_SUCCESS);
  assert.equal(p.deviceObject, d.control());
  m.kernel.ObDereferenceObject(p.fileObject!);
});

Deno.test("IoDeleteSymbolicLink: the link goes (opens by it are STATUS_OBJECT_NAME_NOT_FOUND, a second delete too), the device stays reachable by its own name; a taken link name is STATUS_OBJECT_NAME_COLLISION", () => {
  const m = boot();
  const d = controlDriver("Gone");
  m.loadDriver(d.spec);
  const k = m.kernel;
  assert.equal(
    k.IoCreateSymbolicLink("\\DosDevices\\Gone", "\\Device\\Gone"),
    STATUS_OBJECT_NAME_COLLISION,
  );
  assert.equal(k.IoDeleteSymbolicLink("\\DosDevices\\Gone"), STATUS_SUCCESS);
  assert.equal(k.IoDeleteSymbolicLink("\\DosDevices\\Gone"), STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(m.app("tool").openDevice("\\\\.\\Gone").status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(m.app("tool").openDevice("\\Device\\Gone").status, STATUS_SUCCESS);
});

Deno.test("ZwOpenKey: the path of an object that is not a key (a device, the \\Device directory) is STATUS_OBJECT_TYPE_MISMATCH", () => {
  const m = boot();
  m.loadDriver(controlDriver("NotAKey").spec);
  const k = m.kernel;
  assert.equal(k.ZwOpenKey(KEY_READ, "\\Device\\NotAKey").status, STATUS_OBJECT_TYPE_MISMATCH);
  assert.equal(k.ZwOpenKey(KEY_READ, "\\DosDevices\\NotAKey").status, STATUS_OBJECT_TYPE_MISMATCH);
  assert.equal(k.ZwOpenKey(KEY_READ, "\\Device").status, STATUS_OBJECT_TYPE_MISMATCH);
});

// ---- IRPs drivers build ------------------------------------------------------------------------------

Deno.test("IoBuildDeviceIoControlRequest: the input is in AssociatedIrp.SystemBuffer, the driver's output is copied to OutputBuffer for IoStatus.Information bytes, the IO_STATUS_BLOCK is filled and the event signalled when it completes", () => {
  const m = boot();
  const d = controlDriver("Echo", {
    [IRP_MJ_DEVICE_CONTROL]: (k, _dev, irp) => {
      const buffer = irp.AssociatedIrp.SystemBuffer as Uint8Array;
      buffer.set(buffer.subarray(0, 2).reverse());
      irp.IoStatus.Information = 2;
      irp.IoStatus.Status = STATUS_SUCCESS;
      k.IoCompleteRequest(irp, 0);
      return STATUS_SUCCESS;
    },
  });
  m.loadDriver(d.spec);
  const k = m.kernel;
  const event = new KEVENT();
  k.KeInitializeEvent(event, NotificationEvent, false);
  const io: IO_STATUS_BLOCK = { Status: 0, Information: null };
  const out = new Uint8Array(4);
  const irp = k.IoBuildDeviceIoControlRequest(
    0x222004,
    d.control(),
    new Uint8Array([1, 2]),
    2,
    out,
    4,
    false,
    event,
    io,
  )!;
  assert.equal(k.IoGetNextIrpStackLocation(irp).MajorFunction, IRP_MJ_DEVICE_CONTROL);
  assert.equal(k.IoCallDriver(d.control(), irp), STATUS_SUCCESS);
  assert.ok(event.signaled);
  assert.deepEqual(io, { Status: STATUS_SUCCESS, Information: 2 });
  assert.deepEqual([...out], [2, 1, 0, 0]);
  // The I/O manager frees a synchronous request: freeing it again is BAD_POOL_CALLER.
  assert.throws(() => k.IoFreeIrp(irp), (e) => e instanceof BugCheck && e.code === 0xc2);
});

Deno.test("IoBuildSynchronousFsdRequest: a request the driver pends completes later (a work item); KeWaitForSingleObject on the event returns once it has, with the status in the IO_STATUS_BLOCK", () => {
  const m = boot();
  const d = controlDriver("Slow");
  m.loadDriver(d.spec);
  const driver = d.control().DriverObject;
  driver.MajorFunction[IRP_MJ_READ] = (k, dev, irp) => {
    k.IoMarkIrpPending(irp);
    const item = k.IoAllocateWorkItem(dev)!;
    k.IoQueueWorkItem(item, (k2) => {
      irp.IoStatus.Status = STATUS_SUCCESS;
      irp.IoStatus.Information = 8;
      k2.IoCompleteRequest(irp, 0);
      k2.IoFreeWorkItem(item);
    }, 1);
    return STATUS_PENDING;
  };
  const k = m.kernel;
  const event = new KEVENT();
  k.KeInitializeEvent(event, NotificationEvent, false);
  const io: IO_STATUS_BLOCK = { Status: 0xffffffff, Information: null };
  const buffer = new Uint8Array(8);
  const irp = k.IoBuildSynchronousFsdRequest(IRP_MJ_READ, d.control(), buffer, 8, 0, event, io)!;
  assert.deepEqual(k.IoGetNextIrpStackLocation(irp).Parameters.Read, { Length: 8, ByteOffset: 0 });
  assert.equal(k.IoCallDriver(d.control(), irp), STATUS_PENDING);
  assert.equal(io.Status, 0xffffffff);
  assert.equal(k.KeWaitForSingleObject(event, 0, 0, false, null), STATUS_SUCCESS);
  assert.deepEqual(io, { Status: STATUS_SUCCESS, Information: 8 });
});

Deno.test("IoAllocateIrp / IoReuseIrp / IoFreeIrp: a driver's own IRP comes back to its completion routine, which returns STATUS_MORE_PROCESSING_REQUIRED; IoReuseIrp readies it for the next request with the given status; IoFreeIrp frees it once (twice is bug check 0xC2)", () => {
  const m = boot();
  const d = controlDriver("Own");
  m.loadDriver(d.spec);
  const k = m.kernel;
  const irp = k.IoAllocateIrp(d.control().StackSize + 1, false)!;
  assert.equal(k.IoAllocateIrp(0, false), null);
  const seen: number[] = [];
  for (let round = 0; round < 2; round++) {
    const next = k.IoGetNextIrpStackLocation(irp);
    next.MajorFunction = IRP_MJ_DEVICE_CONTROL;
    next.Parameters = { DeviceIoControl: { IoControlCode: 0x222008 } };
    k.IoSetCompletionRoutine(
      irp,
      (_k, _d, done) => {
        seen.push(done.IoStatus.Status);
        return STATUS_MORE_PROCESSING_REQUIRED;
      },
      null,
      true,
      true,
      true,
    );
    k.IoCallDriver(d.control(), irp);
    k.IoReuseIrp(irp, STATUS_CANCELLED);
    assert.equal(irp.IoStatus.Status, STATUS_CANCELLED);
    assert.equal(irp.CurrentLocation, irp.StackCount + 1);
  }
  assert.deepEqual(seen, [STATUS_SUCCESS, STATUS_SUCCESS]);
  k.IoFreeIrp(irp);
  assert.throws(() => k.IoFreeIrp(irp), (e) => e instanceof BugCheck && e.code === 0xc2);
});

Deno.test("IoGetAttachedDeviceReference, IoGetLowerDeviceObject, IoGetDeviceAttachmentBaseRef: the top, the next-lower and the bottom device of a PnP stack, each referenced", () => {
  const m = boot();
  m.loadDriver(functionDriver("stacked", ["ROOT\\STACKED"]));
  const pdo = m.plugIn("ROOT\\STACKED");
  const k = m.kernel;
  const fdo = pdo.AttachedDevice!;
  const before = fdo.references;
  assert.equal(k.IoGetAttachedDeviceReference(pdo), fdo);
  assert.equal(fdo.references, before + 1);
  assert.equal(k.IoGetLowerDeviceObject(fdo), pdo);
  assert.equal(k.IoGetLowerDeviceObject(pdo), null);
  assert.equal(k.IoGetDeviceAttachmentBaseRef(fdo), pdo);
  k.ObDereferenceObject(fdo);
});

// ---- Remove locks, spin locks, pool, cancel ---------------------------------------------------------

Deno.test("IoAcquireRemoveLock / IoReleaseRemoveLockAndWait (Using Remove Locks): the wait lasts until the last holder releases (a work item here); afterwards IoAcquireRemoveLock is STATUS_DELETE_PENDING", () => {
  const m = boot();
  const k = m.kernel;
  const d = controlDriver("Locked");
  m.loadDriver(d.spec);
  const lock = new IO_REMOVE_LOCK();
  k.IoInitializeRemoveLock(lock, 0x6b636f4c, 0, 0);
  assert.equal(k.IoAcquireRemoveLock(lock, "io"), STATUS_SUCCESS);
  const released: string[] = [];
  const item = k.IoAllocateWorkItem(d.control())!;
  k.IoQueueWorkItem(item, (k2) => {
    released.push("io");
    k2.IoReleaseRemoveLock(lock, "io");
  }, 1);
  assert.equal(k.IoAcquireRemoveLock(lock, "remove"), STATUS_SUCCESS);
  k.IoReleaseRemoveLockAndWait(lock, "remove");
  assert.deepEqual(released, ["io"]);
  assert.equal(lock.IoCount, 0);
  assert.equal(k.IoAcquireRemoveLock(lock, "late"), STATUS_DELETE_PENDING);
});

Deno.test("KeAcquireSpinLock raises to DISPATCH_LEVEL and returns the old IRQL; KeReleaseSpinLock returns to it; a PASSIVE_LEVEL routine called while the lock is held is caught (IrqlZwPassive)", () => {
  const m = boot({ verifier: "warn" });
  const k = m.kernel;
  const lock = new KSPIN_LOCK();
  k.KeInitializeSpinLock(lock);
  const old = k.KeAcquireSpinLock(lock);
  assert.equal(old, PASSIVE_LEVEL);
  assert.equal(k.KeGetCurrentIrql(), DISPATCH_LEVEL);
  assert.ok(lock.held);
  k.ZwClose(null as never);
  k.KeReleaseSpinLock(lock, old);
  assert.equal(k.KeGetCurrentIrql(), PASSIVE_LEVEL);
  assert.ok(!lock.held);
  assert.deepEqual(m.verifier.findings.map((f) => f.rule), ["IrqlZwPassive"]);
});

Deno.test("KeAcquireSpinLock: acquiring a spin lock the caller already holds never returns (the model's hang, not a JavaScript error in the driver)", () => {
  const m = boot();
  const k = m.kernel;
  const lock = new KSPIN_LOCK();
  k.KeInitializeSpinLock(lock);
  k.KeAcquireSpinLock(lock);
  assert.throws(() => k.KeAcquireSpinLock(lock), (e) => (e as Error).name === "PnpHangError");
});

Deno.test("ExAllocatePool2: zeroed bytes of the pool type its flags name (one is required), tagged; ExFreePoolWithTag frees it and the verifier has nothing to say at unload", () => {
  const m = boot({ verifier: "warn" });
  const k = m.kernel;
  const block = k.ExAllocatePool2(POOL_FLAG_NON_PAGED, 12, 0x74736554)!;
  assert.equal(block.length, 12);
  assert.ok(block.every((b) => b === 0));
  assert.equal(k.ExAllocatePool2(0, 12, 0x74736554), null);
  assert.equal(k.ExAllocatePool2(POOL_FLAG_NON_PAGED, 12, 0), null);
  k.ExFreePoolWithTag(block, 0x74736554);
  assert.deepEqual(m.verifier.findings, []);
});

Deno.test("IoCancelIrp (Cancel Routines): a queued IRP's cancel routine runs at DISPATCH_LEVEL with Irp->Cancel set and completes it with STATUS_CANCELLED; without a routine IoCancelIrp returns FALSE and only marks it", () => {
  const m = boot();
  const queue: Irp[] = [];
  let irqlInRoutine = -1;
  const d = controlDriver("Cancels", {
    [IRP_MJ_DEVICE_CONTROL]: (k, _dev, irp) => {
      k.IoMarkIrpPending(irp);
      k.IoSetCancelRoutine(irp, (k2, _d, cancelled) => {
        irqlInRoutine = k2.KeGetCurrentIrql();
        k2.IoReleaseCancelSpinLock(cancelled.CancelIrql);
        queue.splice(queue.indexOf(cancelled), 1);
        cancelled.IoStatus.Status = STATUS_CANCELLED;
        k2.IoCompleteRequest(cancelled, 0);
      });
      queue.push(irp);
      return STATUS_PENDING;
    },
  });
  m.loadDriver(d.spec);
  const k = m.kernel;
  const event = new KEVENT();
  k.KeInitializeEvent(event, NotificationEvent, false);
  const io: IO_STATUS_BLOCK = { Status: 0, Information: null };
  const irp = k.IoBuildDeviceIoControlRequest(
    0x22200c,
    d.control(),
    null,
    0,
    null,
    0,
    false,
    event,
    io,
  )!;
  assert.equal(k.IoCallDriver(d.control(), irp), STATUS_PENDING);
  assert.equal(queue.length, 1);
  assert.equal(k.IoCancelIrp(irp), true);
  assert.equal(irqlInRoutine, DISPATCH_LEVEL);
  assert.ok(irp.Cancel);
  assert.equal(io.Status, STATUS_CANCELLED);
  assert.ok(event.signaled);
  assert.equal(queue.length, 0);
  assert.equal(k.KeGetCurrentIrql(), PASSIVE_LEVEL);
  const bare = k.IoAllocateIrp(1, false)!;
  assert.equal(k.IoCancelIrp(bare), false);
  assert.ok(bare.Cancel);
});

Deno.test("KeRaiseIrql with a lower NewIrql: a free build just sets it (verifier off); the verifier reports it (warn) or stops the machine with 0x9 IRQL_NOT_GREATER_OR_EQUAL (strict)", () => {
  const off = boot({ verifier: "off" });
  off.kernel.KeRaiseIrql(DISPATCH_LEVEL);
  assert.equal(off.kernel.KeRaiseIrql(PASSIVE_LEVEL), DISPATCH_LEVEL);
  assert.equal(off.kernel.KeGetCurrentIrql(), PASSIVE_LEVEL);
  assert.deepEqual(off.verifier.findings, []);
  const warn = boot({ verifier: "warn" });
  warn.kernel.KeRaiseIrql(DISPATCH_LEVEL);
  warn.kernel.KeRaiseIrql(PASSIVE_LEVEL);
  assert.deepEqual(warn.verifier.findings.map((f) => f.rule), ["KeRaiseIrqlToLower"]);
  const strict = boot();
  strict.kernel.KeRaiseIrql(DISPATCH_LEVEL);
  assert.throws(
    () => strict.kernel.KeRaiseIrql(PASSIVE_LEVEL),
    (e) => e instanceof BugCheck && e.code === 0x09,
  );
});

Deno.test("Bad input to the routines drivers call for their own objects gives a status or NULL, never a JavaScript exception (ground rule: bad calls never throw)", () => {
  const m = boot();
  const k = m.kernel;
  const driver = m.loadDriver({ name: "careless" });
  const bad = 5 as never;
  assert.equal(
    k.IoCreateDevice(driver, 0, bad, FILE_DEVICE_UNKNOWN, 0, false).status,
    0xc0000033, // STATUS_OBJECT_NAME_INVALID
  );
  assert.equal(k.IoCreateSymbolicLink(bad, bad), 0xc000000d); // STATUS_INVALID_PARAMETER
  assert.equal(k.IoDeleteSymbolicLink(bad), 0xc000000d);
  assert.equal(k.ExAllocatePool2("x" as never, 8, 1), null);
  assert.equal(k.ExAllocatePool2(1.5, 8, 1), null);
  assert.equal(k.IoBuildSynchronousFsdRequest(IRP_MJ_READ, bad, null, 0, 0, bad, bad), null);
  assert.equal(
    k.IoBuildDeviceIoControlRequest(0, bad, null, 0, null, 0, false, bad, bad),
    null,
  );
  assert.equal(k.IoAcquireRemoveLock(bad), 0xc000000d);
  assert.equal(k.IoGetAttachedDeviceReference(bad), null);
  assert.equal(k.IoCancelIrp(bad), false);
  const lock = new KSPIN_LOCK();
  k.KeInitializeSpinLock(lock);
  const old = k.KeAcquireSpinLock(lock);
  k.KeReleaseSpinLock(lock, "x" as never);
  assert.equal(k.KeGetCurrentIrql(), DISPATCH_LEVEL);
  k.KeLowerIrql(old);
  assert.equal(k.KeGetCurrentIrql(), PASSIVE_LEVEL);
});

Deno.test("Open by name while DO_DEVICE_INITIALIZING is set fails with STATUS_NO_SUCH_DEVICE; once the driver clears it the open succeeds (IopCheckDeviceAndDriver, ReactOS io/iomgr: DO_DEVICE_INITIALIZING or a DOE_*_PENDING flag)", () => {
  const m = boot();
  const k = m.kernel;
  const d = controlDriver("Late");
  const driver = m.loadDriver(d.spec);
  // Created after DriverEntry, so the I/O manager does not clear the flag.
  const late = k.IoCreateDevice(driver, 0, "\\Device\\Late2", FILE_DEVICE_UNKNOWN, 0, false)
    .deviceObject!;
  const app = m.app("tool");
  assert.equal(app.openDevice("\\Device\\Late2").status, 0xc000000e); // STATUS_NO_SUCH_DEVICE
  late.Flags &= ~DO_DEVICE_INITIALIZING;
  assert.equal(app.openDevice("\\Device\\Late2").status, STATUS_SUCCESS);
});
