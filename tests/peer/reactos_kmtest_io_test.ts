/**
 * The peer test of ReactOS's kernel-mode tests of the I/O manager, `modules/rostests/kmtests/ntos_io/`
 * (reactos/reactos): `IoIrp.c`, `IoDeviceObject_drv.c` and `IoDeviceInterface.c`. kmtests are
 * written to pass on Windows; where a check is special-cased for ReactOS only the Windows branch is
 * taken. Each Deno test mirrors one ReactOS test routine; each check cites the `ok()` it mirrors.
 * As in the Wine port (`wine_driver_test.ts`), checks made in driver code are recorded, not thrown
 * (a throw in driver code is a bug check), and asserted once the driver ran.
 *
 * Ported: IoIrp (its three parts), IoDeviceObject's TestEntry path (TestDriverObject at entry,
 * TestDeviceCreateDelete, TestDeviceCreated, TestAttachDevice, TestLowerDeviceKernelAPI, and
 * TestDeviceDeletion's device checks), IoDeviceInterface (Test_IoGetDeviceInterfaces over its GUID
 * list, Test_IoOpenDeviceInterfaceRegistryKey, Test_IoSetDeviceInterfaceState,
 * Test_IoRegisterPlugPlayNotification with its NotificationCallback).
 *
 * Left out, with the reason:
 * - IoIrp: `Size` (bytes of the C IRP and its stack locations), `ThreadListEntry` (no threads) and
 *   `AllocationFlags` (IRP_ALLOCATED_FIXED_SIZE, IRP_LOOKASIDE_ALLOCATION): the model's IRP has no
 *   size, thread list or allocation flags. Its first part initializes pool memory with
 *   IoInitializeIrp; the model has no raw memory to cast, so it reinitializes an IRP from
 *   IoAllocateIrp(1) with IoInitializeIrp(irp, size, 5). `Tail.Overlay.CurrentStackLocation` is a
 *   pointer one past the last location: the model's relation is that it is location
 *   `CurrentLocation` (StackCount + 1).
 * - IoDeviceObject: `Size` (0xb8, C bytes), `ReferenceCount` (the model counts object references,
 *   not opens: it has no such field), `NextDevice`, `ActiveThreadCount`, the DEVOBJ_EXTENSION
 *   fields (ExtensionFlags, DOE_UNLOAD_PENDING, StartIo*), and the DRIVER_OBJECT's Size, Flags
 *   (DRVO_*), DriverStart/DriverSize, RegistryPath layout, pool tags and MajorFunction defaults
 *   (IopInvalidDeviceRequest): no model of them. ZwLoadDriver / ZwUnloadDriver (TestZwLoad,
 *   TestZwUnload) and IoAttachDevice by name have no model: the helper driver is loaded with
 *   `machine.loadDriver` and TestAttachDevice attaches with IoAttachDeviceToDeviceStack to the
 *   helper's device (what IoAttachDevice does once it has opened the name). TestDeviceDeletion runs
 *   from TestUnload in ReactOS; nothing in between changes the fields it reads, so it is checked once
 *   DriverEntry has returned (the model has no unload of a legacy driver by the service manager).
 * - IoDeviceInterface: Test_IoGetDeviceInterfaceAlias over every GUID of the list (most of them,
 *   GUID_NULL first, are no alias of the interface and cannot succeed on Windows either), the calls
 *   with a NULL link, and ZwOpenSymbolicLinkObject / ObCloseHandle in the callback (no symbolic link
 *   objects to open). The Windows box has KS interfaces registered; the model registers one on a
 *   device of its own so the loop has a link to work on.
 * - IoDeviceProperty.c: not ported this round (DEVPROPKEY store round trips).
 *
 * Mismatches: none left. The IRP and DRIVER_OBJECT had no `Type` (IO_TYPE_IRP 6, IO_TYPE_DRIVER 4)
 * until this port.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  boot,
  DEVICE_INTERFACE_INCLUDE_NONACTIVE,
  type DeviceObject,
  DO_DEVICE_HAS_NAME,
  DO_DEVICE_INITIALIZING,
  DO_EXCLUSIVE,
  type DriverObject,
  EventCategoryDeviceInterfaceChange,
  FILE_DEVICE_UNKNOWN,
  type Kernel,
  KEY_CREATE_SUB_KEY,
  KEY_WRITE,
  NT_SUCCESS,
  PASSIVE_LEVEL,
  PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
  REG_OPTION_NON_VOLATILE,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_SUCCESS,
} from "../../mod.ts";

interface Check {
  cite: string;
  passed: boolean;
  detail: string;
}

/** The recorded `ok()` checks of one test. */
class Checks {
  readonly list: Check[] = [];
  ok(cite: string, passed: boolean, detail: unknown = ""): void {
    this.list.push({ cite, passed, detail: String(detail) });
  }
  /** Every recorded check held (the failures, with what was seen, in the message). */
  assertAll(): void {
    assert.ok(this.list.length > 0, "no checks recorded");
    const failed = this.list.filter((c) => !c.passed).map((c) => `${c.cite} (saw ${c.detail})`);
    assert.deepEqual(failed, []);
  }
}

/** IO_TYPE_IRP (6), IO_TYPE_DEVICE (3), IO_TYPE_DRIVER (4): the values the kmtests expect. */
const IO_TYPE_DEVICE = 3;
const IO_TYPE_DRIVER = 4;
const IO_TYPE_IRP = 6;

/** Runs `body` as the DriverEntry of a legacy driver named `name` and returns its recorded checks. */
function inDriverEntry(
  name: string,
  body: (k: Kernel, driver: DriverObject, c: Checks) => void,
): Checks {
  const m = boot({ verifier: "warn" });
  const c = new Checks();
  m.loadDriver({
    name,
    DriverEntry(k: Kernel, driver: DriverObject): number {
      body(k, driver, c);
      return STATUS_SUCCESS;
    },
  });
  return c;
}

Deno.test("ReactOS kmtest IoIrp: IoInitializeIrp(5) and IoAllocateIrp(2, FALSE / TRUE) give Type 6, StackCount n, CurrentLocation n + 1, and the current stack location one past the last", () => {
  const c = inDriverEntry("Kmtest-IoIrp", (k, _driver, c) => {
    const cite = "IoIrp.c";
    // 1st test: IoInitializeIrp on an IRP the caller owns, 5 locations.
    const own = k.IoAllocateIrp(1, false)!;
    k.IoInitializeIrp(own, 0, 5);
    c.ok(`${cite} 1st: ok(6 == iorp->Type)`, own.Type === IO_TYPE_IRP, own.Type);
    c.ok(`${cite} 1st: ok(5 == iorp->StackCount)`, own.StackCount === 5, own.StackCount);
    c.ok(`${cite} 1st: ok(6 == iorp->CurrentLocation)`, own.CurrentLocation === 6);
    c.ok(
      `${cite} 1st: ok((PIO_STACK_LOCATION)(iorp + 1) + 5 == iorp->Tail.Overlay.CurrentStackLocation)`,
      own.currentStackLocation === own.stack[own.StackCount + 1],
    );
    k.IoFreeIrp(own);
    // 2nd and 3rd tests: IoAllocateIrp(2, ChargeQuota FALSE, then TRUE).
    for (const [part, quota] of [["2nd", false], ["3rd", true]] as const) {
      const irp = k.IoAllocateIrp(2, quota);
      c.ok(`${cite} ${part}: IoAllocateIrp(2, ${quota}) != NULL`, irp !== null);
      if (!irp) continue;
      c.ok(`${cite} ${part}: ok(6 == iorp->Type)`, irp.Type === IO_TYPE_IRP, irp.Type);
      c.ok(`${cite} ${part}: ok(2 == iorp->StackCount)`, irp.StackCount === 2, irp.StackCount);
      c.ok(
        `${cite} ${part}: ok(3 == iorp->CurrentLocation)`,
        irp.CurrentLocation === 3,
        irp.CurrentLocation,
      );
      c.ok(
        `${cite} ${part}: ok((PIO_STACK_LOCATION)(iorp + 1) + 2 == iorp->Tail.Overlay.CurrentStackLocation)`,
        irp.currentStackLocation === irp.stack[irp.StackCount + 1],
      );
      k.IoFreeIrp(irp);
    }
  });
  c.assertAll();
});

/** IoDeviceObject_drv.c TestDeviceCreated: the fields of a device object IoCreateDevice just made. */
function testDeviceCreated(
  c: Checks,
  device: DeviceObject,
  driver: DriverObject,
  exclusive: boolean,
): void {
  const cite = `IoDeviceObject_drv.c TestDeviceCreated(Exclusive ${exclusive})`;
  c.ok(`${cite}: ok(DeviceObject->Type == 3)`, device.Type === IO_TYPE_DEVICE, device.Type);
  c.ok(
    `${cite}: ok(DeviceObject->DriverObject == ThisDriverObject)`,
    device.DriverObject === driver,
  );
  c.ok(`${cite}: ok(DeviceObject->AttachedDevice == NULL)`, device.AttachedDevice === null);
  c.ok(`${cite}: ok(DeviceObject->Characteristics == 0)`, device.Characteristics === 0);
  const flags = DO_DEVICE_HAS_NAME | DO_DEVICE_INITIALIZING | (exclusive ? DO_EXCLUSIVE : 0);
  c.ok(
    `${cite}: ok(DeviceObject->Flags == DO_DEVICE_HAS_NAME | DO_DEVICE_INITIALIZING${
      exclusive ? " | DO_EXCLUSIVE" : ""
    })`,
    device.Flags === flags,
    `0x${device.Flags.toString(16)}`,
  );
  c.ok(
    `${cite}: ok(DeviceObject->DeviceType == FILE_DEVICE_UNKNOWN)`,
    device.DeviceType === FILE_DEVICE_UNKNOWN,
    device.DeviceType,
  );
}

Deno.test("ReactOS kmtest IoDeviceObject: TestEntry: the driver object at entry; IoCreateDevice in \\Device1 fails, exclusive and shared devices have Type 3 and DO_DEVICE_HAS_NAME | DO_DEVICE_INITIALIZING (| DO_EXCLUSIVE); IoDeleteDevice empties DriverObject->DeviceObject; attached to the helper's device, IoGetLowerDeviceObject and IoGetDeviceAttachmentBaseRef return it; after DriverEntry both devices have lost DO_DEVICE_INITIALIZING", () => {
  const m = boot({ verifier: "warn" });
  const c = new Checks();
  // The helper driver (kmtests' Kmtest-IoHelper): one named device, created exclusive, as
  // TestDeviceDeletion's `DO_DEVICE_HAS_NAME | DO_EXCLUSIVE` for the lower device shows.
  let helperDevice: DeviceObject | null = null;
  m.loadDriver({
    name: "Kmtest-IoHelper",
    DriverEntry(k: Kernel, driver: DriverObject): number {
      const r = k.IoCreateDevice(
        driver,
        0,
        "\\Device\\Kmtest-IoHelper",
        FILE_DEVICE_UNKNOWN,
        0,
        true,
      );
      helperDevice = r.deviceObject ?? null;
      return r.status;
    },
  });
  let main: DeviceObject | null = null;
  let thisDriver: DriverObject | null = null;
  let attached: DeviceObject | null = null;
  m.loadDriver({
    name: "Kmtest-IoDeviceObject",
    DriverEntry(k: Kernel, driver: DriverObject): number {
      thisDriver = driver;
      // TestDriverObject(DriverStatusEntry): the parts the model has.
      let cite = "IoDeviceObject_drv.c TestDriverObject(DriverStatusEntry)";
      c.ok(`${cite}: ok(DriverObject->Type == 4)`, driver.Type === IO_TYPE_DRIVER, driver.Type);
      c.ok(`${cite}: ok(DriverObject->DeviceObject == NULL)`, driver.DeviceObject === null);
      c.ok(
        `${cite}: ok_eq_pointer(DriverObject->DriverExtension->AddDevice, NULL)`,
        driver.DriverExtension.AddDevice === null,
      );
      c.ok(
        `${cite}: DriverName is \\Driver\\Kmtest-IoDeviceObject`,
        driver.DriverName.toLowerCase() === "\\driver\\kmtest-iodeviceobject",
        driver.DriverName,
      );

      // TestDeviceCreateDelete.
      cite = "IoDeviceObject_drv.c TestDeviceCreateDelete";
      const wrong = k.IoCreateDevice(
        driver,
        0,
        "\\Device1\\Kmtest-IoDeviceObject",
        FILE_DEVICE_UNKNOWN,
        0,
        false,
      );
      c.ok(
        `${cite}: ok(Status == STATUS_OBJECT_PATH_NOT_FOUND) for \\Device1`,
        wrong.status === STATUS_OBJECT_PATH_NOT_FOUND,
        wrong.status,
      );
      const name = "\\Device\\Kmtest-IoDeviceObject";
      for (const exclusive of [true, false]) {
        const r = k.IoCreateDevice(driver, 0, name, FILE_DEVICE_UNKNOWN, 0, exclusive);
        c.ok(
          `${cite}: ok(Status == STATUS_SUCCESS) (Exclusive ${exclusive})`,
          r.status === STATUS_SUCCESS,
          r.status,
        );
        if (!r.deviceObject) continue;
        testDeviceCreated(c, r.deviceObject, driver, exclusive);
        k.IoDeleteDevice(r.deviceObject);
        c.ok(
          `${cite}: ok(DriverObject->DeviceObject == 0) after IoDeleteDevice (Exclusive ${exclusive})`,
          driver.DeviceObject === null,
          driver.DeviceObject,
        );
      }
      const again = k.IoCreateDevice(driver, 0, name, FILE_DEVICE_UNKNOWN, 0, false);
      c.ok(
        `${cite}: ok(Status == STATUS_SUCCESS) recreating`,
        again.status === STATUS_SUCCESS,
        again.status,
      );
      main = again.deviceObject ?? null;
      if (!main || !helperDevice) return STATUS_SUCCESS;

      // TestAttachDevice (IoAttachDevice to \Device\Kmtest-IoHelper; see the header).
      attached = k.IoAttachDeviceToDeviceStack(main, helperDevice);
      c.ok(
        "IoDeviceObject_drv.c TestAttachDevice: ok_eq_hex(Status, STATUS_SUCCESS)",
        attached === helperDevice,
        attached,
      );

      // TestLowerDeviceKernelAPI.
      cite = "IoDeviceObject_drv.c TestLowerDeviceKernelAPI";
      const lower = k.IoGetLowerDeviceObject(main);
      c.ok(`${cite}: ok(IoGetLowerDeviceObject == AttachDeviceObject)`, lower === attached, lower);
      if (lower) k.ObDereferenceObject(lower);
      const base = k.IoGetDeviceAttachmentBaseRef(main);
      c.ok(
        `${cite}: ok(IoGetDeviceAttachmentBaseRef == AttachDeviceObject)`,
        base === attached,
        base,
      );
      if (base) k.ObDereferenceObject(base);
      return STATUS_SUCCESS;
    },
  });
  assert.ok(main && attached && thisDriver, "DriverEntry created and attached its device");
  const mainDevice = main as DeviceObject;
  const lowerDevice = attached as DeviceObject;
  // TestDeviceDeletion(MainDeviceObject, Lower FALSE, Attached TRUE) and
  // TestDeviceDeletion(AttachDeviceObject, Lower TRUE, Attached FALSE).
  for (const [device, isLower] of [[mainDevice, false], [lowerDevice, true]] as const) {
    const cite = `IoDeviceObject_drv.c TestDeviceDeletion(${isLower ? "lower" : "main"})`;
    c.ok(`${cite}: ok(DeviceObject->Type == 3)`, device.Type === IO_TYPE_DEVICE, device.Type);
    if (!isLower) {
      c.ok(
        `${cite}: ok(DeviceObject->DriverObject == ThisDriverObject)`,
        device.DriverObject === thisDriver,
      );
    }
    c.ok(
      `${cite}: ok(DeviceObject->AttachedDevice == ${isLower ? "MainDeviceObject" : "NULL"})`,
      device.AttachedDevice === (isLower ? mainDevice : null),
      device.AttachedDevice,
    );
    const flags = DO_DEVICE_HAS_NAME | (isLower ? DO_EXCLUSIVE : 0);
    c.ok(
      `${cite}: ok(DeviceObject->Flags == DO_DEVICE_HAS_NAME${isLower ? " | DO_EXCLUSIVE" : ""})`,
      device.Flags === flags,
      `0x${device.Flags.toString(16)}`,
    );
    c.ok(
      `${cite}: ok(DeviceObject->DeviceType == FILE_DEVICE_UNKNOWN)`,
      device.DeviceType === FILE_DEVICE_UNKNOWN,
    );
  }
  c.assertAll();
});

/** IoDeviceInterface.c's GUID list: GUID_NULL and the KSCATEGORY_* classes. */
const TYPES = [
  "{00000000-0000-0000-0000-000000000000}",
  "{085aff00-62ce-11cf-a5d6-28db04c10000}", // KSCATEGORY_BRIDGE
  "{65e8773d-8f56-11d0-a3b9-00a0c9223196}", // KSCATEGORY_CAPTURE
  "{cf1dda2c-9743-11d0-a3ee-00a0c9223196}", // KSCATEGORY_COMMUNICATIONSTRANSFORM
  "{1e84c900-7e70-11d0-a5d6-28db04c10000}", // KSCATEGORY_DATACOMPRESSOR
  "{2721ae20-7e70-11d0-a5d6-28db04c10000}", // KSCATEGORY_DATADECOMPRESSOR
  "{2eb07ea0-7e70-11d0-a5d6-28db04c10000}", // KSCATEGORY_DATATRANSFORM
  "{760fed5e-9357-11d0-a3cc-00a0c9223196}", // KSCATEGORY_FILESYSTEM
  "{cf1dda2d-9743-11d0-a3ee-00a0c9223196}", // KSCATEGORY_INTERFACETRANSFORM
  "{cf1dda2e-9743-11d0-a3ee-00a0c9223196}", // KSCATEGORY_MEDIUMTRANSFORM
  "{ad809c00-7b88-11d0-a5d6-28db04c10000}", // KSCATEGORY_MIXER
  "{65e8773e-8f56-11d0-a3b9-00a0c9223196}", // KSCATEGORY_RENDER
  "{0a4252a0-7e70-11d0-a5d6-28db04c10000}", // KSCATEGORY_SPLITTER
];
/** GUID_DEVICE_SYS_BUTTON (poclass.h). */
const GUID_DEVICE_SYS_BUTTON = "{4afa3d53-74a7-11d0-be5e-00a0c9062857}";

/** A booted machine with one device whose PDO has an interface of `classes` each (left disabled). */
function machineWithInterfaces(classes: string[]) {
  const m = boot({ verifier: "warn" });
  m.loadDriver({ name: "kmtestdev", hardwareIds: ["ROOT\\KMTESTDEV"] });
  const pdo = m.plugIn({ hardwareIds: ["ROOT\\KMTESTDEV"] });
  m.settle();
  const links = classes.map((g) => m.kernel.IoRegisterDeviceInterface(pdo, g).symbolicLinkName!);
  return { m, pdo, links };
}

Deno.test("ReactOS kmtest IoDeviceInterface: Test_IoGetDeviceInterfaces succeeds for every GUID of the list (GUID_NULL too); for each link, IoOpenDeviceInterfaceRegistryKey(KEY_CREATE_SUB_KEY) opens a key a non-volatile subkey can be created under, and IoSetDeviceInterfaceState(TRUE) succeeds each time it is repeated", () => {
  const { m } = machineWithInterfaces([TYPES[2]!]);
  const k = m.kernel;
  const c = new Checks();
  for (const guid of TYPES) {
    const cite = `IoDeviceInterface.c Test_IoGetDeviceInterfaces(${guid})`;
    const r = k.IoGetDeviceInterfaces(guid, null, DEVICE_INTERFACE_INCLUDE_NONACTIVE);
    c.ok(`${cite}: ok(NT_SUCCESS(Status))`, NT_SUCCESS(r.status), r.status);
    for (const link of r.symbolicLinkList ?? []) {
      // Test_IoOpenDeviceInterfaceRegistryKey: once per GUID of the list, as the kmtest loops.
      for (let n = 0; n < TYPES.length; n++) {
        const at = `IoDeviceInterface.c Test_IoOpenDeviceInterfaceRegistryKey(${link}) #${n}`;
        const open = k.IoOpenDeviceInterfaceRegistryKey(link, KEY_CREATE_SUB_KEY);
        c.ok(`${at}: ok(NT_SUCCESS(Status))`, NT_SUCCESS(open.status), open.status);
        if (!NT_SUCCESS(open.status)) continue;
        const sub = k.ZwCreateKey(
          KEY_WRITE,
          { ObjectName: "ReactOS_kmtest", RootDirectory: open.deviceInterfaceKey ?? null },
          0,
          null,
          REG_OPTION_NON_VOLATILE,
        );
        c.ok(`${at}: ok(NT_SUCCESS(Status)) for ZwCreateKey`, NT_SUCCESS(sub.status), sub.status);
        if (NT_SUCCESS(sub.status)) {
          k.ZwDeleteKey(sub.keyHandle);
          k.ZwClose(sub.keyHandle);
        }
        k.ZwClose(open.deviceInterfaceKey);
      }
      // Test_IoSetDeviceInterfaceState: enabling, once per GUID of the list.
      for (let n = 0; n < TYPES.length; n++) {
        const status = k.IoSetDeviceInterfaceState(link, true);
        c.ok(
          `IoDeviceInterface.c Test_IoSetDeviceInterfaceState(${link}) #${n}: ok(NT_SUCCESS(Status))`,
          NT_SUCCESS(status),
          status,
        );
      }
    }
  }
  assert.ok(
    c.list.some((x) => x.cite.includes("Test_IoSetDeviceInterfaceState")),
    "a link was listed",
  );
  m.settle();
  c.assertAll();
});

Deno.test("ReactOS kmtest IoDeviceInterface: Test_IoRegisterPlugPlayNotification: registering for GUID_DEVICE_SYS_BUTTON with INCLUDE_EXISTING_INTERFACES and unregistering return STATUS_SUCCESS; the callback runs at PASSIVE_LEVEL with its context, Version 1 and the structure's size", () => {
  const { m, links } = machineWithInterfaces([GUID_DEVICE_SYS_BUTTON]);
  const k = m.kernel;
  k.IoSetDeviceInterfaceState(links[0]!, true);
  m.settle();
  const c = new Checks();
  const context = {};
  let calls = 0;
  const cite = "IoDeviceInterface.c Test_IoRegisterPlugPlayNotification";
  let entry: unknown = null;
  m.loadDriver({
    name: "Kmtest-IoDeviceInterface",
    DriverEntry(k: Kernel, driver: DriverObject): number {
      const r = k.IoRegisterPlugPlayNotification(
        EventCategoryDeviceInterfaceChange,
        PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
        GUID_DEVICE_SYS_BUTTON,
        driver,
        (n, ctx) => {
          const at = "IoDeviceInterface.c NotificationCallback";
          calls++;
          c.ok(`${at}: ok_irql(PASSIVE_LEVEL)`, k.KeGetCurrentIrql() === PASSIVE_LEVEL);
          c.ok(`${at}: ok_eq_pointer(Context, &NotificationContext)`, ctx === context);
          c.ok(`${at}: ok_eq_uint(Notification->Version, 1)`, n.Version === 1, n.Version);
          // sizeof(DEVICE_INTERFACE_CHANGE_NOTIFICATION) on x64, the size the model reports.
          c.ok(
            `${at}: ok_eq_uint(Notification->Size, sizeof(*Notification))`,
            n.Size === 48,
            n.Size,
          );
          return STATUS_SUCCESS;
        },
        context,
      );
      c.ok(`${cite}: ok_eq_hex(Status, STATUS_SUCCESS)`, r.status === STATUS_SUCCESS, r.status);
      entry = r.notificationEntry ?? null;
      return STATUS_SUCCESS;
    },
  });
  m.settle();
  assert.ok(calls > 0, "the existing interface was reported");
  assert.ok(entry, "registered");
  // The kmtest unregisters at once; the callbacks for existing interfaces are delivered first here.
  const u = k.IoUnregisterPlugPlayNotification(
    entry as Parameters<Kernel["IoUnregisterPlugPlayNotification"]>[0],
  );
  c.ok(`${cite}: ok_eq_hex(Status, STATUS_SUCCESS) for unregister`, u === STATUS_SUCCESS, u);
  c.assertAll();
});
