/**
 * The machine around the PnP manager: what a reboot keeps and redoes (`machine.reboot()`, "Device
 * interfaces": registrations persist, disabled, until the driver enables them; volatile keys are
 * never saved) and determinism (the `trace` ground rule: the same steps give a byte-identical trace).
 */
import assert from "node:assert/strict";
import {
  boot,
  DEVICE_INTERFACE_INCLUDE_NONACTIVE,
  type DeviceObject,
  type DriverObject,
  exampleMachine,
  GUID_DEVINTERFACE_TOASTER,
  type Irp,
  IRP_MN_START_DEVICE,
  type Kernel,
  KEY_ALL_ACCESS,
  type Machine,
  REG_OPTION_NON_VOLATILE,
  REG_OPTION_VOLATILE,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_OBJECT_NAME_EXISTS,
  STATUS_SUCCESS,
  TOASTER_HARDWARE_ID,
} from "../../mod.ts";
import {
  assertStatus,
  CCS,
  functionDriver,
  GUID_TEST_INTERFACE,
  irpSequence,
  mark,
} from "./_helpers.ts";

/**
 * A function driver that registers `GUID_TEST_INTERFACE` in AddDevice and enables it after START
 * only while `policy.enable` is true; counts its DriverEntry calls.
 */
function interfaceDriver(policy: { enable: boolean; entries: number }) {
  return functionDriver("iface", ["ROOT\\IFACE"], {
    DriverEntry(): number {
      policy.entries++;
      return STATUS_SUCCESS;
    },
    AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
      const fdo = k.IoCreateDevice(driver, 0, null, 0x22, 0x100, false).deviceObject!;
      const reg = k.IoRegisterDeviceInterface(pdo, GUID_TEST_INTERFACE);
      fdo.DeviceExtension.Link = reg.symbolicLinkName;
      fdo.DeviceExtension.LowerDeviceObject = k.IoAttachDeviceToDeviceStack(fdo, pdo);
      fdo.Flags &= ~0x80;
      return reg.status === STATUS_SUCCESS || reg.status === STATUS_OBJECT_NAME_EXISTS
        ? STATUS_SUCCESS
        : reg.status;
    },
    hooks: {
      [IRP_MN_START_DEVICE]: (k: Kernel, fdo: DeviceObject, irp: Irp) => {
        k.IoCopyCurrentIrpStackLocationToNext(irp);
        k.IoSetCompletionRoutine(
          irp,
          () => STATUS_MORE_PROCESSING_REQUIRED,
          null,
          true,
          true,
          true,
        );
        k.IoCallDriver(fdo.DeviceExtension.LowerDeviceObject as DeviceObject, irp);
        if (policy.enable) k.IoSetDeviceInterfaceState(fdo.DeviceExtension.Link as string, true);
        const status = irp.IoStatus.Status;
        k.IoCompleteRequest(irp, 0);
        return status;
      },
    },
  });
}

function activeLinks(m: Machine): string[] {
  return m.kernel.IoGetDeviceInterfaces(GUID_TEST_INTERFACE, null, 0).symbolicLinkList ?? [];
}

function allLinks(m: Machine): string[] {
  return m.kernel.IoGetDeviceInterfaces(
    GUID_TEST_INTERFACE,
    null,
    DEVICE_INTERFACE_INCLUDE_NONACTIVE,
  ).symbolicLinkList ?? [];
}

// ---- Reboot -----------------------------------------------------------------------------------------

Deno.test("machine.reboot(): volatile keys are gone, non-volatile keys stay", () => {
  const m = boot();
  const k = m.kernel;
  const vol = k.ZwCreateKey(
    KEY_ALL_ACCESS,
    "\\Registry\\Machine\\Software\\Scratch",
    0,
    null,
    REG_OPTION_VOLATILE,
  );
  assertStatus(vol.status, STATUS_SUCCESS);
  const keep = k.ZwCreateKey(
    KEY_ALL_ACCESS,
    "\\Registry\\Machine\\Software\\Keep",
    0,
    null,
    REG_OPTION_NON_VOLATILE,
  );
  assertStatus(keep.status, STATUS_SUCCESS);
  m.reboot();
  assert.equal(m.registry.exists("HKLM\\SOFTWARE\\Scratch"), false);
  assert.equal(m.registry.exists("HKLM\\SOFTWARE\\Keep"), true);
  // Handles do not survive a reboot.
  assert.notEqual(k.ZwClose(keep.keyHandle!), STATUS_SUCCESS);
});

Deno.test("machine.reboot(): drivers' DriverEntry runs again and present devices enumerate and start again", () => {
  const m = boot();
  const policy = { enable: true, entries: 0 };
  m.loadDriver(interfaceDriver(policy));
  const before = m.plugIn("ROOT\\IFACE");
  const gone = m.plugIn({ hardwareIds: ["ROOT\\GONE"], rawDeviceOk: true });
  m.unplug(gone);
  assert.equal(policy.entries, 1);
  const from = mark(m);
  m.reboot();
  assert.equal(policy.entries, 2);
  const after = m.device("ROOT\\IFACE\\0");
  assert.ok(after);
  assert.notEqual(after, before, "a new PDO for the new boot");
  assert.equal(m.devnode(after)?.state, "Started");
  assert.ok(irpSequence(m, "ROOT\\IFACE\\0", from).includes("START_DEVICE"));
  assert.equal(m.device("ROOT\\GONE\\0"), undefined, "unplugged hardware stays out");
  assert.ok(m.registry.exists(`${CCS}\\Enum\\ROOT\\GONE\\0`), "but keeps its Enum key");
});

Deno.test("machine.reboot() and overview-of-device-interface-classes: registrations persist, disabled until the driver enables them again", () => {
  const m = boot();
  const policy = { enable: true, entries: 0 };
  m.loadDriver(interfaceDriver(policy));
  m.plugIn("ROOT\\IFACE");
  const [link] = activeLinks(m);
  assert.ok(link);
  policy.enable = false;
  m.reboot();
  // The registration (Control\DeviceClasses) survived; nothing enabled it in this boot.
  assert.deepEqual(allLinks(m), [link]);
  assert.deepEqual(activeLinks(m), []);
  assert.ok(
    m.registry.exists(
      `${CCS}\\Control\\DeviceClasses\\${GUID_TEST_INTERFACE}\\##?#ROOT#IFACE#0#${GUID_TEST_INTERFACE}`,
    ),
  );
  // The driver enables it: now it is active.
  assertStatus(m.kernel.IoSetDeviceInterfaceState(link, true), STATUS_SUCCESS);
  assert.deepEqual(activeLinks(m), [link]);
});

// ---- Determinism --------------------------------------------------------------------------------------

/** The same steps, on a fresh example machine: plug, open, unplug, eject, rebalance, profile change, reboot. */
function steps(): Machine {
  const m = exampleMachine();
  const bus = m.device("ROOT\\BUSENUM\\0")!;
  const third = m.plugIn({
    hardwareIds: [TOASTER_HARDWARE_ID],
    instanceId: "03",
    uniqueId: false,
    ejectSupported: true,
  }, bus);
  const links =
    m.kernel.IoGetDeviceInterfaces(GUID_DEVINTERFACE_TOASTER, null, 0).symbolicLinkList ?? [];
  const open = m.openDevice(links[0]!);
  m.eject(third);
  m.unplug(m.device(m.devnode(bus)!.children[1]!)!);
  m.rebalance(m.device("ACPI\\PNP0A03\\0")!);
  m.eject(m.device("ACPI\\PNP0C15\\1")!);
  if (open.handle) m.closeHandle(open.handle);
  m.reboot();
  return m;
}

Deno.test("Determinism: the same steps on two fresh machines give a byte-identical JSON trace", () => {
  const a = steps();
  const b = steps();
  const ja = JSON.stringify(a.trace);
  const jb = JSON.stringify(b.trace);
  assert.ok(a.trace.length > 1000, "a substantial trace");
  assert.equal(ja.length, jb.length);
  assert.ok(ja === jb, "byte-identical");
});
