/**
 * Devices that fail while still present (a failed restart after a rebalance, PNP_DEVICE_FAILED) and
 * interfaces left enabled across a surprise removal: "State Transitions for PnP Devices",
 * "Enabling and Disabling a Device Interface Instance", Wine's surprise-removal test
 * (`dlls/ntoskrnl.exe/tests/ntoskrnl.c` test_pnp_devices with driver_pnp.c's
 * IOCTL_WINETEST_BUS_REMOVE_CHILD; docs/pnp.md#pnp-surprise-removal).
 */
import assert from "node:assert/strict";
import {
  boot,
  type DeviceObject,
  GUID_DEVICE_INTERFACE_REMOVAL,
  type Irp,
  IRP_MN_QUERY_PNP_DEVICE_STATE,
  type Kernel,
  type Machine,
  PNP_DEVICE_FAILED,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from "../../mod.ts";
import { functionDriver, GUID_TEST_INTERFACE, irpSequenceAll, mark } from "./_helpers.ts";

/** A bus (default function driver) with one started child. */
function busWithChild(): { m: Machine; bus: DeviceObject; child: DeviceObject } {
  const m = boot();
  m.loadDriver(functionDriver("bus", ["ROOT\\BUS"], {
    hooks: {
      [IRP_MN_QUERY_PNP_DEVICE_STATE]: (k: Kernel, fdo: DeviceObject, irp: Irp) => {
        if (!fdo.DeviceExtension.Failed) return undefined;
        irp.IoStatus.Information = PNP_DEVICE_FAILED;
        irp.IoStatus.Status = STATUS_SUCCESS;
        k.IoSkipCurrentIrpStackLocation(irp);
        return k.IoCallDriver(fdo.DeviceExtension.LowerDeviceObject as DeviceObject, irp);
      },
    },
  }));
  m.loadDriver(functionDriver("child", ["BUS\\CHILD"]));
  const bus = m.plugIn("ROOT\\BUS");
  const child = m.plugIn("BUS\\CHILD", bus);
  return { m, bus, child };
}

const SURPRISE_AND_REMOVE = ["SURPRISE_REMOVAL", "REMOVE_DEVICE"];
/** Children are removed before their parent: SURPRISE_REMOVAL bottom-up, then REMOVE bottom-up. */
const CHILD_FIRST_THEN_BUS = [
  "BUS\\CHILD\\0 SURPRISE_REMOVAL",
  "ROOT\\BUS\\0 SURPRISE_REMOVAL",
  "BUS\\CHILD\\0 REMOVE_DEVICE",
  "ROOT\\BUS\\0 REMOVE_DEVICE",
];

Deno.test("state-transitions-for-pnp-devices: a failed restart of a bus surprise-removes its children first, then REMOVE goes to them and to the bus; the bus stays in the tree with CM_PROB_FAILED_START and a restart brings its child back on a new PDO", () => {
  const { m, bus, child } = busWithChild();
  const from = mark(m);
  m.rebalance(bus, { failRestart: true });
  assert.deepEqual(irpSequenceAll(m, from, SURPRISE_AND_REMOVE), CHILD_FIRST_THEN_BUS);
  assert.equal(m.devnode(bus)?.state, "Removed");
  assert.equal(m.devnode(bus)?.problemName, "CM_PROB_FAILED_START");
  assert.equal(m.devnode("BUS\\CHILD\\0"), undefined, "the child left with its bus");
  assert.equal(child.deleted, true, "its bus deleted the child's PDO");
  m.restart(bus);
  assert.equal(m.devnode(bus)?.state, "Started");
  const again = m.device("BUS\\CHILD\\0");
  assert.ok(again && again !== child, "a new PDO for the child");
  assert.equal(m.devnode(again)?.state, "Started");
});

Deno.test("state-transitions-for-pnp-devices: after a failed restart REMOVE waits for the last handle; then the device, still present, stays in the tree and can be restarted", () => {
  const { m, bus } = busWithChild();
  const k = m.kernel;
  const { symbolicLinkName } = k.IoRegisterDeviceInterface(bus, GUID_TEST_INTERFACE);
  k.IoSetDeviceInterfaceState(symbolicLinkName!, true);
  const { handle } = m.openDevice(symbolicLinkName!, { closeOnQueryRemove: false });
  m.rebalance(bus, { failRestart: true });
  assert.equal(m.devnode(bus)?.state, "SurpriseRemoved");
  m.closeHandle(handle!);
  assert.equal(m.devnode(bus)?.state, "Removed");
  m.restart(bus);
  assert.equal(m.devnode(bus)?.state, "Started");
});

Deno.test("IRP_MN_QUERY_PNP_DEVICE_STATE: PNP_DEVICE_FAILED from a started bus removes its child, then the bus (SURPRISE_REMOVAL, REMOVE); the bus stays in the tree", () => {
  const { m, bus } = busWithChild();
  const fdo = bus.AttachedDevice!;
  fdo.DeviceExtension.Failed = true;
  const from = mark(m);
  m.kernel.IoInvalidateDeviceState(bus);
  m.settle();
  assert.deepEqual(irpSequenceAll(m, from, SURPRISE_AND_REMOVE), CHILD_FIRST_THEN_BUS);
  assert.equal(m.devnode(bus)?.state, "Removed");
  assert.equal(m.devnode("BUS\\CHILD\\0"), undefined);
});

// This test used to say the interface stays enabled until REMOVE. Windows disables it as soon as
// SURPRISE_REMOVAL completes (Wine ntoskrnl.c test_pnp_devices: `got_child_removal == 1` after
// IOCTL_WINETEST_BUS_REMOVE_CHILD, before CloseHandle(child)); the assertions follow Windows now.
Deno.test("Wine ntoskrnl.c test_pnp_devices (Windows-verified): an interface its driver left enabled is disabled by PnP once SURPRISE_REMOVAL completes, while a handle is still open (one REMOVAL, a new open of the link fails with STATUS_OBJECT_NAME_NOT_FOUND), and REMOVE waits for the handle", () => {
  const m = boot();
  m.loadDriver(functionDriver("widget", ["ROOT\\WIDGET"]));
  const pdo = m.plugIn("ROOT\\WIDGET");
  const k = m.kernel;
  const { symbolicLinkName } = k.IoRegisterDeviceInterface(pdo, GUID_TEST_INTERFACE);
  k.IoSetDeviceInterfaceState(symbolicLinkName!, true);
  const removals: string[] = [];
  k.IoRegisterPlugPlayNotification(2, 0, GUID_TEST_INTERFACE, m._sys.io.driver("widget")!, (n) => {
    if ((n as { Event: string }).Event === GUID_DEVICE_INTERFACE_REMOVAL) removals.push("REMOVAL");
    return STATUS_SUCCESS;
  }, null);
  const { handle } = m.openDevice(symbolicLinkName!, { closeOnQueryRemove: false });
  m.unplug(pdo);
  assert.equal(m.devnode(pdo)?.state, "SurpriseRemoved");
  assert.deepEqual(k.IoGetDeviceInterfaces(GUID_TEST_INTERFACE, null, 0).symbolicLinkList, []);
  assert.deepEqual(removals, ["REMOVAL"]);
  assert.equal(m.openDevice(symbolicLinkName!).status, STATUS_OBJECT_NAME_NOT_FOUND);
  m.closeHandle(handle!);
  m.settle();
  assert.deepEqual(removals, ["REMOVAL"]);
  assert.deepEqual(k.IoGetDeviceInterfaces(GUID_TEST_INTERFACE, null, 0).symbolicLinkList, []);
});
