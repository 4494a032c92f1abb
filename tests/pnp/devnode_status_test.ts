/**
 * The devnode status user mode reads (CM_Get_DevNode_Status's DN_* flags, cfg.h), the
 * PNP_DEVICE_STATE a stack reports (IRP_MN_QUERY_PNP_DEVICE_STATE) and DeviceIoControl.
 */
import assert from "node:assert/strict";
import {
  boot,
  type DeviceObject,
  DN_DISABLEABLE,
  DN_DRIVER_LOADED,
  DN_HAS_PROBLEM,
  DN_NO_SHOW_IN_DM,
  DN_NT_DRIVER,
  DN_NT_ENUMERATOR,
  DN_ROOT_ENUMERATED,
  DN_STARTED,
  exampleMachine,
  IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE,
  type Irp,
  IRP_MN_QUERY_PNP_DEVICE_STATE,
  type Kernel,
  PNP_DEVICE_DONT_DISPLAY_IN_UI,
  PNP_DEVICE_NOT_DISABLEABLE,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_HANDLE,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../../mod.ts";
import { functionDriver, irpSequence, mark } from "./_helpers.ts";

/** A function driver that ORs `flags` into IRP_MN_QUERY_PNP_DEVICE_STATE and passes it down. */
function reportsState(name: string, hardwareIds: string[], flags: number) {
  return functionDriver(name, hardwareIds, {
    hooks: {
      [IRP_MN_QUERY_PNP_DEVICE_STATE]: (k: Kernel, fdo: DeviceObject, irp: Irp) => {
        irp.IoStatus.Information = (Number(irp.IoStatus.Information ?? 0) | flags) >>> 0;
        irp.IoStatus.Status = STATUS_SUCCESS;
        k.IoSkipCurrentIrpStackLocation(irp);
        return k.IoCallDriver(fdo.DeviceExtension.LowerDeviceObject as DeviceObject, irp);
      },
    },
  });
}

Deno.test("CM_Get_DevNode_Status (cfg.h): a started root-enumerated device reports DN_ROOT_ENUMERATED | DN_DRIVER_LOADED | DN_STARTED | DN_DISABLEABLE | DN_NT_ENUMERATOR | DN_NT_DRIVER", () => {
  const m = boot();
  m.loadDriver(functionDriver("widget", ["ROOT\\WIDGET"]));
  const info = m.devnode(m.plugIn("ROOT\\WIDGET"))!;
  assert.equal(
    info.status,
    DN_ROOT_ENUMERATED | DN_DRIVER_LOADED | DN_STARTED | DN_DISABLEABLE | DN_NT_ENUMERATOR |
      DN_NT_DRIVER,
  );
  assert.deepEqual(info.statusFlags, [
    "DN_ROOT_ENUMERATED",
    "DN_DRIVER_LOADED",
    "DN_STARTED",
    "DN_DISABLEABLE",
    "DN_NT_ENUMERATOR",
    "DN_NT_DRIVER",
  ]);
});

Deno.test("CM_Get_DevNode_Status: a failed start has DN_HAS_PROBLEM and neither DN_STARTED nor DN_DRIVER_LOADED", () => {
  const m = boot();
  m.loadDriver(functionDriver("broken", ["ROOT\\BROKEN"], {
    fail: { 0x00: STATUS_INSUFFICIENT_RESOURCES },
  }));
  const info = m.devnode(m.plugIn("ROOT\\BROKEN"))!;
  assert.equal(info.problemName, "CM_PROB_FAILED_START");
  assert.ok(info.status & DN_HAS_PROBLEM);
  assert.equal(info.status & (DN_STARTED | DN_DRIVER_LOADED), 0);
});

Deno.test("Hiding Devices from Device Manager: PNP_DEVICE_DONT_DISPLAY_IN_UI from the stack is DN_NO_SHOW_IN_DM; the device stays started", () => {
  const m = boot();
  m.loadDriver(reportsState("shy", ["ROOT\\SHY"], PNP_DEVICE_DONT_DISPLAY_IN_UI));
  const info = m.devnode(m.plugIn("ROOT\\SHY"))!;
  assert.equal(info.state, "Started");
  assert.ok(info.status & DN_NO_SHOW_IN_DM);
  assert.ok(info.status & DN_STARTED);
});

Deno.test("IRP_MN_QUERY_PNP_DEVICE_STATE: PNP_DEVICE_NOT_DISABLEABLE clears DN_DISABLEABLE on the device and its ancestors, and Device Manager's disable is refused (PNP_VetoNonDisableable) before any IRP", () => {
  const m = boot();
  m.loadDriver(functionDriver("hub", ["ROOT\\HUB"]));
  m.loadDriver(reportsState("paging", ["HUB\\DISK"], PNP_DEVICE_NOT_DISABLEABLE));
  const hub = m.plugIn("ROOT\\HUB");
  const disk = m.plugIn("HUB\\DISK", hub);
  assert.equal(m.devnode(disk)!.status & DN_DISABLEABLE, 0);
  assert.equal(m.devnode(hub)!.status & DN_DISABLEABLE, 0, "propagates to ancestors");
  const from = mark(m);
  assert.equal(m.disable(hub), STATUS_UNSUCCESSFUL);
  assert.equal(m.devnode(hub)!.state, "Started");
  assert.equal(m.devnode(disk)!.state, "Started");
  assert.deepEqual(irpSequence(m, m.devnode(hub)!.instanceId, from), []);
  const veto = m.trace.slice(from).find((e) => e.kind === "info" && e.what === "disable vetoed");
  assert.equal(
    (veto as { detail?: { vetoType?: string } } | undefined)?.detail?.vetoType,
    "PNP_VetoNonDisableable",
  );
  // Orderly removal is not a disable: it goes ahead.
  assert.equal(m.requestRemoval(hub), STATUS_SUCCESS);
});

Deno.test("DeviceIoControl: the toaster's hide IOCTL reaches its FDO through the filter; an FDO without the routine fails it with STATUS_INVALID_DEVICE_REQUEST; a bad handle is STATUS_INVALID_HANDLE", () => {
  const m = exampleMachine();
  const id = "{B85B7C50-6A01-11d2-B841-00C04FAD5171}\\MsToaster\\1&cecf6205&01";
  const [link] = m.kernel.IoGetDeviceInterfaces(
    "{781ef630-72b2-11d2-b852-00c04fad5171}",
    m.device(id)!,
    0,
  ).symbolicLinkList!;
  const { handle } = m.openDevice(link!);
  assert.equal(m.deviceIoControl(handle!, 0x222000).status, STATUS_INVALID_DEVICE_REQUEST);
  assert.equal(m.devnode(id)!.status & DN_NO_SHOW_IN_DM, 0);
  assert.equal(
    m.deviceIoControl(handle!, IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE).status,
    STATUS_SUCCESS,
  );
  assert.ok(m.devnode(id)!.status & DN_NO_SHOW_IN_DM);
  m.closeHandle(handle!);
  assert.equal(
    m.deviceIoControl(handle!, IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE).status,
    STATUS_INVALID_HANDLE,
  );
});
