/**
 * The peer test of ReactOS's kernel-mode tests of the I/O manager, `modules/rostests/kmtests/ntos_io/`
 * (reactos/reactos): `IoIrp.c`, `IoDeviceObject_drv.c`, `IoDeviceInterface.c` and `IoDeviceProperty.c`. kmtests are
 * written to pass on Windows; where a check is special-cased for ReactOS only the Windows branch is
 * taken. Each Deno test mirrors one ReactOS test routine; each check cites the `ok()` it mirrors.
 * As in the Wine port (`wine_driver_test.ts`), checks made in driver code are recorded, not thrown
 * (a throw in driver code is a bug check), and asserted once the driver ran.
 *
 * Ported: IoIrp (its three parts), IoDeviceObject's TestEntry path (TestDriverObject at entry,
 * TestDeviceCreateDelete, TestDeviceCreated, TestAttachDevice, TestLowerDeviceKernelAPI, and
 * TestDeviceDeletion's device checks), IoDeviceInterface (Test_IoGetDeviceInterfaces over its GUID
 * list, Test_IoOpenDeviceInterfaceRegistryKey, Test_IoSetDeviceInterfaceState,
 * Test_IoRegisterPlugPlayNotification with its NotificationCallback), IoDeviceProperty
 * (Test_InterfaceParameters, Test_StoreRoundTrip, Test_Locales, Test_DeviceBuiltins,
 * Test_InterfaceBuiltins, each on a device of the model's with an enabled disk-class interface, as
 * FindTestInterface finds one).
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
 * - IoDeviceProperty: DEVPROP_TYPE_NULL, DEVPROP_TYPE_STRING_INDIRECT and DEVPROP_TYPE_UINT32 |
 *   DEVPROP_TYPEMOD_ARRAY (the model has no such types); Test_Validation (byte-level cases:
 *   unterminated strings, odd sizes, bad booleans and FILETIMEs; the model takes typed JS values);
 *   ExpectProperty's untouched-buffer checks (no buffers); Test_RootDevice (reaches the root devnode
 *   through DEVOBJ_EXTENSION->DeviceNode, no model).
 *
 * Mismatches: none left. Model fixes this port made (each cites its kmtest in lib/): the IRP and
 * DRIVER_OBJECT gained `Type` (IO_TYPE_IRP 6, IO_TYPE_DRIVER 4); the property routines now refuse a
 * write to a read-only system property with STATUS_ACCESS_DENIED (was STATUS_NOT_IMPLEMENTED),
 * keep each LCID's value on its own (a language no longer falls back to LOCALE_NEUTRAL, and
 * LOCALE_NEUTRAL no longer sets or deletes the languages' values), return
 * STATUS_OBJECT_NAME_NOT_FOUND for deleting a property that is not there, take a NULL or empty
 * interface name as STATUS_INVALID_PARAMETER, and let a driver set DEVPKEY_Device_FriendlyName (the
 * Enum key's FriendlyName, a string only).
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  boot,
  DEVICE_INTERFACE_INCLUDE_NONACTIVE,
  type DeviceObject,
  DevicePropertyEnumeratorName,
  DevicePropertyFriendlyName,
  DevicePropertyHardwareID,
  DevicePropertyPhysicalDeviceObjectName,
  DEVPKEYS,
  DEVPROP_TYPE,
  type DEVPROPKEY,
  DO_DEVICE_HAS_NAME,
  DO_DEVICE_INITIALIZING,
  DO_EXCLUSIVE,
  type DriverObject,
  EventCategoryDeviceInterfaceChange,
  FILE_DEVICE_UNKNOWN,
  type Kernel,
  KEY_CREATE_SUB_KEY,
  KEY_WRITE,
  LOCALE_NEUTRAL,
  NT_SUCCESS,
  ntStatusName,
  PASSIVE_LEVEL,
  PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
  type PropertyData,
  REG_OPTION_NON_VOLATILE,
  STATUS_ACCESS_DENIED,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_NOT_FOUND,
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

// ---- IoDeviceProperty.c ------------------------------------------------------------------------------

/** The kmtest's own property set, KMT_PROPERTY_FMTID. */
const KMT_FMTID = "{5f1e3c8a-7d2b-4e61-9a0c-3b8d4f2e6a17}";
const TestKeyNumber = { fmtid: KMT_FMTID, pid: 2 };
const TestKeyString = { fmtid: KMT_FMTID, pid: 3 };
const TestKeyList = { fmtid: KMT_FMTID, pid: 4 };
const TestKeyBinary = { fmtid: KMT_FMTID, pid: 5 };
const TestKeyLocalized = { fmtid: KMT_FMTID, pid: 6 };
const TestKeyWidePid = { fmtid: KMT_FMTID, pid: 0x12345 };
const LCID_EN_US = 0x0409;
const LCID_DE_DE = 0x0407;
/** KmtDiskInterface (GUID_DEVINTERFACE_DISK), the first of the kmtest's candidate classes. */
const KmtDiskInterface = "{53f56307-b6bf-11d0-94f2-00a0c91efb8b}";

/** IoDeviceProperty.c PROPERTY_TARGET: a PDO or an interface, with SetProperty / GetProperty. */
interface Target {
  description: string;
  set(key: DEVPROPKEY, lcid: number, type: number, size: number, data: PropertyData | null): number;
  get(key: DEVPROPKEY, lcid: number, size?: number): ReturnType<Kernel["IoGetDevicePropertyData"]>;
}

function deviceTarget(k: Kernel, pdo: DeviceObject): Target {
  return {
    description: "device",
    set: (key, lcid, type, size, data) =>
      k.IoSetDevicePropertyData(pdo, key, lcid, 0, type, size, data),
    get: (key, lcid, size) => k.IoGetDevicePropertyData(pdo, key, lcid, 0, size),
  };
}

function interfaceTarget(k: Kernel, link: string): Target {
  return {
    description: "interface",
    set: (key, lcid, type, size, data) =>
      k.IoSetDeviceInterfacePropertyData(link, key, lcid, 0, type, size, data),
    get: (key, lcid, size) => k.IoGetDeviceInterfacePropertyData(link, key, lcid, 0, size),
  };
}

/** IoDeviceProperty.c ExpectProperty: size 0 and size - 1 are too small, a big buffer gets it all. */
function expectProperty(
  c: Checks,
  t: Target,
  cite: string,
  key: DEVPROPKEY,
  lcid: number,
  type: number,
  data: PropertyData,
  size: number,
): void {
  const at = `IoDeviceProperty.c ExpectProperty(${t.description}, ${cite})`;
  const empty = t.get(key, lcid, 0);
  c.ok(
    `${at}: ok_eq_hex(Status, STATUS_BUFFER_TOO_SMALL) for size 0`,
    empty.status === STATUS_BUFFER_TOO_SMALL,
    empty.status,
  );
  c.ok(
    `${at}: ok_eq_ulong(Required, ExpectedSize)`,
    empty.requiredSize === size,
    empty.requiredSize,
  );
  c.ok(`${at}: ok_eq_hex(Type, ExpectedType)`, empty.type === type, empty.type);
  const short = t.get(key, lcid, size - 1);
  c.ok(
    `${at}: ok_eq_hex(Status, STATUS_BUFFER_TOO_SMALL) for size - 1`,
    short.status === STATUS_BUFFER_TOO_SMALL,
    short.status,
  );
  c.ok(`${at}: ok_eq_ulong(Required, ExpectedSize) for size - 1`, short.requiredSize === size);
  const full = t.get(key, lcid, 128);
  c.ok(`${at}: ok_eq_hex(Status, STATUS_SUCCESS)`, full.status === STATUS_SUCCESS, full.status);
  c.ok(`${at}: ok_eq_ulong(Required, ExpectedSize) in full`, full.requiredSize === size);
  c.ok(`${at}: ok_eq_hex(Type, ExpectedType) in full`, full.type === type, full.type);
  c.ok(
    `${at}: ok(RtlEqualMemory(Buffer, ExpectedData))`,
    JSON.stringify(full.data instanceof Uint8Array ? [...full.data] : full.data) ===
      JSON.stringify(data instanceof Uint8Array ? [...data] : data),
    full.data,
  );
}

/** IoDeviceProperty.c ExpectNoProperty: STATUS_OBJECT_NAME_NOT_FOUND, Required 0, DEVPROP_TYPE_EMPTY. */
function expectNoProperty(c: Checks, t: Target, cite: string, key: DEVPROPKEY, lcid: number) {
  const at = `IoDeviceProperty.c ExpectNoProperty(${t.description}, ${cite})`;
  const r = t.get(key, lcid, 16);
  c.ok(
    `${at}: ok_eq_hex(Status, STATUS_OBJECT_NAME_NOT_FOUND)`,
    r.status === STATUS_OBJECT_NAME_NOT_FOUND,
    r.status,
  );
  c.ok(`${at}: ok_eq_ulong(Required, 0)`, r.requiredSize === 0, r.requiredSize);
  c.ok(
    `${at}: ok_eq_hex(Type, DEVPROP_TYPE_EMPTY)`,
    r.type === DEVPROP_TYPE.DEVPROP_TYPE_EMPTY,
    r.type,
  );
}

/** A status check of SetProperty. */
function expectSet(c: Checks, t: Target, cite: string, status: number, expected: number): void {
  c.ok(
    `IoDeviceProperty.c ${cite} (${t.description}): ok_eq_hex(Status, ${ntStatusName(expected)})`,
    status === expected,
    ntStatusName(status),
  );
}

/** IoDeviceProperty.c Test_StoreRoundTrip (the types the model has). */
function storeRoundTrip(c: Checks, t: Target): void {
  const cite = "Test_StoreRoundTrip";
  const N = LOCALE_NEUTRAL;
  const T = DEVPROP_TYPE;
  t.set(TestKeyNumber, N, T.DEVPROP_TYPE_EMPTY, 0, null);
  expectNoProperty(c, t, `${cite} start`, TestKeyNumber, N);
  expectSet(c, t, cite, t.set(TestKeyNumber, N, T.DEVPROP_TYPE_UINT32, 4, 0x12345678), 0);
  expectProperty(c, t, `${cite} UINT32`, TestKeyNumber, N, T.DEVPROP_TYPE_UINT32, 0x12345678, 4);
  const text = "ReactOS property store";
  const textSize = (text.length + 1) * 2;
  expectSet(c, t, cite, t.set(TestKeyString, N, T.DEVPROP_TYPE_STRING, textSize, text), 0);
  expectProperty(c, t, `${cite} STRING`, TestKeyString, N, T.DEVPROP_TYPE_STRING, text, textSize);
  const list = ["First", "Second", "Third"];
  const listSize = ("First\0Second\0Third\0".length + 1) * 2;
  expectSet(c, t, cite, t.set(TestKeyList, N, T.DEVPROP_TYPE_STRING_LIST, listSize, list), 0);
  expectProperty(c, t, `${cite} LIST`, TestKeyList, N, T.DEVPROP_TYPE_STRING_LIST, list, listSize);
  const binary = new Uint8Array([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
  expectSet(c, t, cite, t.set(TestKeyBinary, N, T.DEVPROP_TYPE_BINARY, 7, binary), 0);
  expectProperty(c, t, `${cite} BINARY`, TestKeyBinary, N, T.DEVPROP_TYPE_BINARY, binary, 7);
  expectSet(c, t, cite, t.set(TestKeyWidePid, N, T.DEVPROP_TYPE_UINT32, 4, 0x12345678), 0);
  expectProperty(c, t, `${cite} wide pid`, TestKeyWidePid, N, T.DEVPROP_TYPE_UINT32, 0x12345678, 4);
  // A UINT32 with a NULL buffer deletes; deleting what is not there is STATUS_OBJECT_NAME_NOT_FOUND.
  expectSet(c, t, `${cite} NULL data`, t.set(TestKeyNumber, N, T.DEVPROP_TYPE_UINT32, 4, null), 0);
  expectNoProperty(c, t, `${cite} deleted`, TestKeyNumber, N);
  expectSet(
    c,
    t,
    `${cite} delete again`,
    t.set(TestKeyNumber, N, T.DEVPROP_TYPE_EMPTY, 0, null),
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
  for (const key of [TestKeyString, TestKeyList, TestKeyBinary, TestKeyWidePid]) {
    expectSet(c, t, `${cite} EMPTY`, t.set(key, N, T.DEVPROP_TYPE_EMPTY, 0, null), 0);
    expectNoProperty(c, t, `${cite} emptied`, key, N);
  }
}

/** IoDeviceProperty.c Test_Locales (without DEVPROP_TYPE_STRING_INDIRECT, which the model lacks). */
function locales(c: Checks, t: Target): void {
  const cite = "Test_Locales";
  const S = DEVPROP_TYPE.DEVPROP_TYPE_STRING;
  const E = DEVPROP_TYPE.DEVPROP_TYPE_EMPTY;
  const size = (s: string) => (s.length + 1) * 2;
  const K = TestKeyLocalized;
  expectSet(c, t, cite, t.set(K, LCID_EN_US, S, size("Hello"), "Hello"), 0);
  expectProperty(c, t, `${cite} en-US`, K, LCID_EN_US, S, "Hello", size("Hello"));
  expectNoProperty(c, t, `${cite} neutral unset`, K, LOCALE_NEUTRAL);
  expectNoProperty(c, t, `${cite} de-DE unset`, K, LCID_DE_DE);
  expectSet(c, t, cite, t.set(K, LCID_DE_DE, S, size("Hallo"), "Hallo"), 0);
  expectSet(c, t, cite, t.set(K, LOCALE_NEUTRAL, S, size("Neutral"), "Neutral"), 0);
  expectProperty(c, t, `${cite} en-US kept`, K, LCID_EN_US, S, "Hello", size("Hello"));
  expectProperty(c, t, `${cite} de-DE`, K, LCID_DE_DE, S, "Hallo", size("Hallo"));
  expectProperty(c, t, `${cite} neutral`, K, LOCALE_NEUTRAL, S, "Neutral", size("Neutral"));
  expectSet(c, t, cite, t.set(K, LCID_EN_US, E, 0, null), 0);
  expectNoProperty(c, t, `${cite} en-US deleted`, K, LCID_EN_US);
  expectProperty(c, t, `${cite} de-DE still`, K, LCID_DE_DE, S, "Hallo", size("Hallo"));
  expectProperty(c, t, `${cite} neutral still`, K, LOCALE_NEUTRAL, S, "Neutral", size("Neutral"));
  expectSet(c, t, cite, t.set(K, LCID_DE_DE, E, 0, null), 0);
  expectSet(c, t, cite, t.set(K, LOCALE_NEUTRAL, E, 0, null), 0);
  expectNoProperty(c, t, `${cite} de-DE deleted`, K, LCID_DE_DE);
  expectNoProperty(c, t, `${cite} neutral deleted`, K, LOCALE_NEUTRAL);
}

/** A started device with an enabled interface of KmtDiskInterface (FindTestInterface's find). */
function propertyMachine() {
  const { m, pdo, links } = machineWithInterfaces([KmtDiskInterface]);
  m.kernel.IoSetDeviceInterfaceState(links[0]!, true);
  m.settle();
  return { m, k: m.kernel, pdo, link: links[0]! };
}

Deno.test("ReactOS kmtest IoDeviceProperty: Test_InterfaceParameters: a NULL or empty link is STATUS_INVALID_PARAMETER for the interface property routines, a missing interface fails", () => {
  const { k } = propertyMachine();
  const c = new Checks();
  const cite = "IoDeviceProperty.c Test_InterfaceParameters";
  const U = DEVPROP_TYPE.DEVPROP_TYPE_UINT32;
  for (const [what, name] of [["NULL", null], ["empty", ""]] as const) {
    const s = k.IoSetDeviceInterfacePropertyData(
      name as unknown as string,
      TestKeyNumber,
      0,
      0,
      U,
      4,
      1,
    );
    c.ok(
      `${cite}: set with a ${what} name is STATUS_INVALID_PARAMETER`,
      s === STATUS_INVALID_PARAMETER,
      ntStatusName(s),
    );
    const g = k.IoGetDeviceInterfacePropertyData(name as unknown as string, TestKeyNumber, 0, 0, 4);
    c.ok(
      `${cite}: get with a ${what} name is STATUS_INVALID_PARAMETER`,
      g.status === STATUS_INVALID_PARAMETER,
      ntStatusName(g.status),
    );
  }
  const missing = `\\??\\KMTEST#NoSuchDevice#0#${KMT_FMTID.toUpperCase()}`;
  const s = k.IoSetDeviceInterfacePropertyData(missing, TestKeyNumber, 0, 0, U, 4, 1);
  c.ok(`${cite}: ok(!NT_SUCCESS(Status)) setting on a missing interface`, !NT_SUCCESS(s), s);
  const g = k.IoGetDeviceInterfacePropertyData(missing, TestKeyNumber, 0, 0, 4);
  c.ok(`${cite}: ok(!NT_SUCCESS(Status)) getting from a missing interface`, !NT_SUCCESS(g.status));
  c.assertAll();
});

Deno.test("ReactOS kmtest IoDeviceProperty: Test_StoreRoundTrip and Test_Locales on the device and on the interface: sizes, types, deletion (deleting a missing property is STATUS_OBJECT_NAME_NOT_FOUND), per-locale values", () => {
  const { k, pdo, link } = propertyMachine();
  const c = new Checks();
  for (const t of [deviceTarget(k, pdo), interfaceTarget(k, link)]) {
    storeRoundTrip(c, t);
    locales(c, t);
  }
  c.assertAll();
});

Deno.test("ReactOS kmtest IoDeviceProperty: Test_DeviceBuiltins: instance ID, PDO name, hardware IDs, devnode status, problem code, presence and parent read as IoGetDeviceProperty does; the instance ID, PDO name and hardware IDs refuse writes with STATUS_ACCESS_DENIED; the friendly name is writable, read back by IoGetDeviceProperty, and a UINT32 for it is STATUS_INVALID_PARAMETER", () => {
  const { k, pdo } = propertyMachine();
  const c = new Checks();
  const t = deviceTarget(k, pdo);
  const cite = "IoDeviceProperty.c Test_DeviceBuiltins";
  const T = DEVPROP_TYPE;
  const N = LOCALE_NEUTRAL;
  const enumerator = k.IoGetDeviceProperty(pdo, DevicePropertyEnumeratorName);
  c.ok(`${cite}: ok_eq_hex(Status, STATUS_SUCCESS) for the enumerator`, enumerator.status === 0);
  const id = t.get(DEVPKEYS.DEVPKEY_Device_InstanceId!, N, 512);
  c.ok(`${cite}: InstanceId ok_eq_hex(Status, STATUS_SUCCESS)`, id.status === 0, id.status);
  c.ok(
    `${cite}: InstanceId ok_eq_hex(Type, DEVPROP_TYPE_STRING)`,
    id.type === T.DEVPROP_TYPE_STRING,
  );
  c.ok(
    `${cite}: InstanceId ok_eq_ulong(Required, (wcslen + 1) * sizeof(WCHAR))`,
    id.requiredSize === (String(id.data).length + 1) * 2,
  );
  c.ok(
    `${cite}: the instance ID starts with the enumerator and a backslash`,
    String(id.data).toUpperCase().startsWith(
      `${String(enumerator.propertyBuffer).toUpperCase()}\\`,
    ),
    id.data,
  );
  const pdoName = k.IoGetDeviceProperty(pdo, DevicePropertyPhysicalDeviceObjectName);
  c.ok(`${cite}: PDO name ok_eq_hex(Status, STATUS_SUCCESS)`, pdoName.status === 0);
  const pdoKey = t.get(DEVPKEYS.DEVPKEY_Device_PDOName!, N, 512);
  c.ok(`${cite}: PDOName ok_eq_hex(Status, STATUS_SUCCESS)`, pdoKey.status === 0, pdoKey.status);
  c.ok(
    `${cite}: PDOName ok_eq_hex(Type, DEVPROP_TYPE_STRING)`,
    pdoKey.type === T.DEVPROP_TYPE_STRING,
  );
  c.ok(`${cite}: PDOName ok_eq_wstr`, pdoKey.data === pdoName.propertyBuffer, pdoKey.data);
  const hw = k.IoGetDeviceProperty(pdo, DevicePropertyHardwareID);
  if (NT_SUCCESS(hw.status)) {
    const hwKey = t.get(DEVPKEYS.DEVPKEY_Device_HardwareIds!, N, 1024);
    c.ok(`${cite}: HardwareIds ok_eq_hex(Status, STATUS_SUCCESS)`, hwKey.status === 0);
    c.ok(
      `${cite}: HardwareIds ok_eq_hex(Type, DEVPROP_TYPE_STRING_LIST)`,
      hwKey.type === T.DEVPROP_TYPE_STRING_LIST,
    );
    c.ok(
      `${cite}: HardwareIds ok_eq_wstr (the first ID)`,
      (hwKey.data as string[])[0] === (hw.propertyBuffer as string[])[0],
      hwKey.data,
    );
    // The PDO's driver is the model's bus driver, not \Driver\PnpManager: the kmtest expects a refusal.
    const s = t.set(
      DEVPKEYS.DEVPKEY_Device_HardwareIds!,
      N,
      T.DEVPROP_TYPE_STRING_LIST,
      hwKey.requiredSize!,
      hwKey.data!,
    );
    expectSet(c, t, "Test_DeviceBuiltins HardwareIds write", s, STATUS_ACCESS_DENIED);
  }
  const status = t.get(DEVPKEYS.DEVPKEY_Device_DevNodeStatus!, N, 4);
  c.ok(
    `${cite}: DevNodeStatus STATUS_SUCCESS, UINT32, Required 4`,
    status.status === 0 && status.type === T.DEVPROP_TYPE_UINT32 && status.requiredSize === 4,
  );
  const problem = t.get(DEVPKEYS.DEVPKEY_Device_ProblemCode!, N, 4);
  c.ok(
    `${cite}: ProblemCode STATUS_SUCCESS, UINT32`,
    problem.status === 0 && problem.type === T.DEVPROP_TYPE_UINT32,
  );
  const present = t.get(DEVPKEYS.DEVPKEY_Device_IsPresent!, N, 1);
  c.ok(
    `${cite}: IsPresent STATUS_SUCCESS, BOOLEAN, DEVPROP_TRUE`,
    present.status === 0 && present.type === T.DEVPROP_TYPE_BOOLEAN && present.data === true,
  );
  const parent = t.get(DEVPKEYS.DEVPKEY_Device_Parent!, N, 512);
  c.ok(
    `${cite}: Parent STATUS_SUCCESS, STRING`,
    parent.status === 0 && parent.type === T.DEVPROP_TYPE_STRING,
    parent.status,
  );
  const friendly = "kmtest friendly name";
  const fSize = (friendly.length + 1) * 2;
  for (const key of ["DEVPKEY_Device_InstanceId", "DEVPKEY_Device_PDOName"]) {
    const s = t.set(DEVPKEYS[key]!, N, T.DEVPROP_TYPE_STRING, fSize, friendly);
    expectSet(c, t, `Test_DeviceBuiltins ${key} write`, s, STATUS_ACCESS_DENIED);
  }
  const FN = DEVPKEYS.DEVPKEY_Device_FriendlyName!;
  const before = t.get(FN, N, 512);
  c.ok(
    `${cite}: ok(HadFriendlyName || Status == STATUS_OBJECT_NAME_NOT_FOUND)`,
    before.status === 0 || before.status === STATUS_OBJECT_NAME_NOT_FOUND,
    before.status,
  );
  expectSet(
    c,
    t,
    "Test_DeviceBuiltins FriendlyName write",
    t.set(FN, N, T.DEVPROP_TYPE_STRING, fSize, friendly),
    0,
  );
  expectProperty(c, t, "FriendlyName", FN, N, T.DEVPROP_TYPE_STRING, friendly, fSize);
  const legacy = k.IoGetDeviceProperty(pdo, DevicePropertyFriendlyName);
  c.ok(
    `${cite}: IoGetDeviceProperty(DevicePropertyFriendlyName) ok_eq_hex(Status, STATUS_SUCCESS)`,
    legacy.status === 0,
    legacy.status,
  );
  c.ok(
    `${cite}: IoGetDeviceProperty(DevicePropertyFriendlyName) ok_eq_wstr`,
    legacy.propertyBuffer === friendly,
    legacy.propertyBuffer,
  );
  expectSet(
    c,
    t,
    "Test_DeviceBuiltins FriendlyName as UINT32",
    t.set(FN, N, T.DEVPROP_TYPE_UINT32, 4, 1),
    STATUS_INVALID_PARAMETER,
  );
  if (before.status === 0) {
    expectSet(
      c,
      t,
      "Test_DeviceBuiltins FriendlyName restored",
      t.set(FN, N, T.DEVPROP_TYPE_STRING, before.requiredSize!, before.data!),
      0,
    );
  } else {
    expectSet(
      c,
      t,
      "Test_DeviceBuiltins FriendlyName deleted",
      t.set(FN, N, T.DEVPROP_TYPE_EMPTY, 0, null),
      0,
    );
    expectNoProperty(c, t, "FriendlyName deleted", FN, N);
  }
  c.assertAll();
});

Deno.test("ReactOS kmtest IoDeviceProperty: Test_InterfaceBuiltins: the class GUID (16 bytes), Enabled (TRUE) and the instance ID read back; writing the class GUID is STATUS_ACCESS_DENIED", () => {
  const { k, link } = propertyMachine();
  const c = new Checks();
  const t = interfaceTarget(k, link);
  const cite = "IoDeviceProperty.c Test_InterfaceBuiltins";
  const T = DEVPROP_TYPE;
  const N = LOCALE_NEUTRAL;
  const g = t.get(DEVPKEYS.DEVPKEY_DeviceInterface_ClassGuid!, N, 16);
  c.ok(`${cite}: ClassGuid ok_eq_hex(Status, STATUS_SUCCESS)`, g.status === 0, g.status);
  c.ok(`${cite}: ClassGuid ok_eq_hex(Type, DEVPROP_TYPE_GUID)`, g.type === T.DEVPROP_TYPE_GUID);
  c.ok(`${cite}: ClassGuid ok_eq_ulong(Required, sizeof(GUID))`, g.requiredSize === 16);
  c.ok(
    `${cite}: ClassGuid is the interface class`,
    String(g.data).toLowerCase() === KmtDiskInterface,
    g.data,
  );
  const e = t.get(DEVPKEYS.DEVPKEY_DeviceInterface_Enabled!, N, 1);
  c.ok(
    `${cite}: Enabled STATUS_SUCCESS, BOOLEAN, DEVPROP_TRUE`,
    e.status === 0 && e.type === T.DEVPROP_TYPE_BOOLEAN && e.data === true,
  );
  const id = t.get(DEVPKEYS.DEVPKEY_Device_InstanceId!, N, 512);
  c.ok(
    `${cite}: InstanceId STATUS_SUCCESS, STRING`,
    id.status === 0 && id.type === T.DEVPROP_TYPE_STRING,
  );
  const s = t.set(
    DEVPKEYS.DEVPKEY_DeviceInterface_ClassGuid!,
    N,
    T.DEVPROP_TYPE_GUID,
    16,
    KmtDiskInterface,
  );
  expectSet(c, t, "Test_InterfaceBuiltins ClassGuid write", s, STATUS_ACCESS_DENIED);
  c.assertAll();
});
