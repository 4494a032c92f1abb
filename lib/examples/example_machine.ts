/**
 * The bundled example machine: the toaster sample's bus with two toasters, their function driver and
 * an upper filter, the toastmon kernel monitor, a PCI-like bus with a network card, and a dock. The
 * REPL, the README and the notebooks start from it. Power is the system's default for each role,
 * which is what the WDM toaster sample's power code does (the function driver owns power policy,
 * the filter passes power IRPs down, the bus driver completes them; lib/po/dispatch.ts); the
 * function drivers report D0 when they start, as the toaster's StartDevice does.
 *
 * @module
 */
import {
  DevicePowerState,
  EventCategoryDeviceInterfaceChange,
  EventCategoryTargetDeviceChange,
  GUID_DEVICE_INTERFACE_ARRIVAL,
  GUID_TARGET_DEVICE_QUERY_REMOVE,
  GUID_TARGET_DEVICE_REMOVE_CANCELLED,
  GUID_TARGET_DEVICE_REMOVE_COMPLETE,
  IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MN_QUERY_PNP_DEVICE_STATE,
  IRP_MN_REMOVE_DEVICE,
  IRP_MN_START_DEVICE,
  IRP_MN_SURPRISE_REMOVAL,
  KEY_READ,
  KeyValuePartialInformation,
  PLUGPLAY_REGKEY_DEVICE,
  PNP_DEVICE_DONT_DISPLAY_IN_UI,
  PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
  PowerDeviceD0,
  REG_DWORD,
} from "../constants.ts";
import { addStaticChild, type DeviceSpec, removeStaticChildren } from "../bus/virtual_bus.ts";
import type { DeviceObject, DriverObject, DriverSpec, Irp } from "../io/objects.ts";
import type { Kernel } from "../kernel.ts";
import { boot, type BootOptions, type Machine } from "../machine.ts";
import { NT_SUCCESS, STATUS_INVALID_DEVICE_REQUEST, STATUS_SUCCESS } from "../ntstatus.ts";
import type { FileObject } from "../io/objects.ts";
import type { NotificationEntry, NotificationStructure } from "../pnp/notify.ts";

/** `GUID_DEVINTERFACE_BUSENUM_TOASTER` (toaster sample, public.h). */
export const GUID_DEVINTERFACE_BUSENUM_TOASTER = "{d35f7840-6a0c-11d2-b841-00c04fad5171}";
/** `GUID_DEVINTERFACE_TOASTER` (toaster sample, public.h). */
export const GUID_DEVINTERFACE_TOASTER = "{781ef630-72b2-11d2-b852-00c04fad5171}";
/** `GUID_DEVCLASS_TOASTER`, the toasters' setup class. */
export const GUID_DEVCLASS_TOASTER = "{b85b7c50-6a01-11d2-b841-00c04fad5171}";
/** The system setup class (buses). */
export const GUID_DEVCLASS_SYSTEM = "{4d36e97d-e325-11ce-bfc1-08002be10318}";
/** The network adapter setup class. */
export const GUID_DEVCLASS_NET = "{4d36e972-e325-11ce-bfc1-08002be10318}";
/** `GUID_DEVINTERFACE_NET` (ndisguid.h). */
export const GUID_DEVINTERFACE_NET = "{cac88484-7515-4c03-82e6-71a87abac361}";
/** The toaster's hardware ID (the bus's BUS_HARDWARE_IDS); it is also the device ID. */
export const TOASTER_HARDWARE_ID = "{B85B7C50-6A01-11d2-B841-00C04FAD5171}\\MsToaster";
/** The toaster's compatible ID. */
export const TOASTER_COMPATIBLE_ID = "{B85B7C50-6A01-11d2-B841-00C04FAD5171}\\MsCompatibleToaster";

/**
 * A WDM function driver in the toaster style: registers an interface in AddDevice, enables it after
 * START completes below it, disables it on SURPRISE_REMOVAL, or on REMOVE if no surprise removal
 * came first (never twice), and passes everything down.
 */
export function interfaceFunctionDriver(
  name: string,
  options:
    & { hardwareIds: string[]; interfaceGuid: string; classGuid?: string; className?: string }
    & Partial<DriverSpec>,
): DriverSpec {
  const { interfaceGuid, ...rest } = options;
  return {
    name,
    ...rest,
    AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
      const r = k.IoCreateDevice(driver, 0, null, 0x22, 0x100, false);
      if (!r.deviceObject) return r.status;
      const fdo = r.deviceObject;
      const reg = k.IoRegisterDeviceInterface(pdo, interfaceGuid);
      if (!NT_SUCCESS(reg.status)) {
        k.IoDeleteDevice(fdo);
        return reg.status;
      }
      const lower = k.IoAttachDeviceToDeviceStack(fdo, pdo);
      fdo.DeviceExtension.LowerDeviceObject = lower;
      fdo.DeviceExtension.InterfaceName = reg.symbolicLinkName;
      fdo.DeviceExtension.UnderlyingPDO = pdo;
      fdo.DeviceExtension.SurpriseRemoved = false;
      fdo.DeviceExtension.DontDisplayInUI = false;
      fdo.Flags &= ~0x80;
      return STATUS_SUCCESS;
    },
    DispatchPnp(k: Kernel, fdo: DeviceObject, irp: Irp): number {
      const loc = k.IoGetCurrentIrpStackLocation(irp);
      const lower = fdo.DeviceExtension.LowerDeviceObject as DeviceObject;
      const link = fdo.DeviceExtension.InterfaceName as string;
      switch (loc.MinorFunction) {
        case IRP_MN_START_DEVICE: {
          // Bus first: wait for the lower drivers, then enable the interface.
          k.IoCopyCurrentIrpStackLocationToNext(irp);
          k.IoSetCompletionRoutine(irp, () => 0xc0000016, null, true, true, true);
          k.IoCallDriver(lower, irp);
          if (NT_SUCCESS(irp.IoStatus.Status)) {
            // Started means powered: the toaster's StartDevice reports D0 (PoSetPowerState).
            k.PoSetPowerState(fdo, DevicePowerState, PowerDeviceD0);
            const s = k.IoSetDeviceInterfaceState(link, true);
            // A restart after a rebalance finds it enabled: STATUS_OBJECT_NAME_EXISTS is success.
            if (!NT_SUCCESS(s)) irp.IoStatus.Status = s;
          }
          const status = irp.IoStatus.Status;
          k.IoCompleteRequest(irp, 0);
          return status;
        }
        case IRP_MN_SURPRISE_REMOVAL:
          fdo.DeviceExtension.SurpriseRemoved = true;
          k.IoSetDeviceInterfaceState(link, false);
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
        case IRP_MN_REMOVE_DEVICE: {
          if (!fdo.DeviceExtension.SurpriseRemoved) k.IoSetDeviceInterfaceState(link, false);
          irp.IoStatus.Status = STATUS_SUCCESS;
          k.IoSkipCurrentIrpStackLocation(irp);
          const status = k.IoCallDriver(lower, irp);
          k.IoDetachDevice(lower);
          k.IoDeleteDevice(fdo);
          return status;
        }
        case IRP_MN_QUERY_PNP_DEVICE_STATE:
          // The hide request (IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE) is answered here, on the
          // query its IoInvalidateDeviceState caused: add the flag, keep what others set, pass down.
          if (!fdo.DeviceExtension.DontDisplayInUI) break;
          irp.IoStatus.Information = (Number(irp.IoStatus.Information ?? 0) |
            PNP_DEVICE_DONT_DISPLAY_IN_UI) >>> 0;
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
        case 0x01: // QUERY_REMOVE
        case 0x03: // CANCEL_REMOVE
        case 0x04: // STOP
        case 0x05: // QUERY_STOP
        case 0x06: // CANCEL_STOP
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
      }
      k.IoSkipCurrentIrpStackLocation(irp);
      return k.IoCallDriver(lower, irp);
    },
  };
}

/** The toaster bus driver (`busenum`): a bus FDO with GUID_DEVINTERFACE_BUSENUM_TOASTER; the model's bus reports its children. */
export const busenumDriver: DriverSpec = interfaceFunctionDriver("busenum", {
  hardwareIds: ["root\\busenum"],
  interfaceGuid: GUID_DEVINTERFACE_BUSENUM_TOASTER,
  classGuid: GUID_DEVCLASS_SYSTEM,
  className: "System",
});

/**
 * The toaster function driver, with `BeepCount=4` from its INF's `.HW` section and the class upper
 * filter. Like the WDM featured toaster, it answers IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE (`toast
 * -h`) by remembering the request and calling IoInvalidateDeviceState on its PDO.
 */
export const toasterDriver: DriverSpec = interfaceFunctionDriver("toaster", {
  hardwareIds: [TOASTER_HARDWARE_ID, TOASTER_COMPATIBLE_ID],
  interfaceGuid: GUID_DEVINTERFACE_TOASTER,
  classGuid: GUID_DEVCLASS_TOASTER,
  className: "Toaster",
  deviceParameters: { BeepCount: { type: REG_DWORD, data: 4 } },
  classUpperFilters: ["ToasterFilter"],
  MajorFunction: {
    [IRP_MJ_DEVICE_CONTROL]: (k: Kernel, fdo: DeviceObject, irp: Irp): number => {
      const code = k.IoGetCurrentIrpStackLocation(irp).Parameters.DeviceIoControl?.IoControlCode;
      let status = STATUS_INVALID_DEVICE_REQUEST;
      if (code === IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE) {
        fdo.DeviceExtension.DontDisplayInUI = true;
        k.IoInvalidateDeviceState(fdo.DeviceExtension.UnderlyingPDO as DeviceObject);
        status = STATUS_SUCCESS;
      }
      irp.IoStatus.Status = status;
      irp.IoStatus.Information = 0;
      k.IoCompleteRequest(irp, 0);
      return status;
    },
  },
});

/** A pass-through upper filter (the default AddDevice and dispatch). */
export const toasterFilterDriver: DriverSpec = { name: "ToasterFilter" };

/**
 * toastmon: a root device whose driver watches toaster interfaces with include-existing, opens each
 * one, registers for its target-device events, closes on query-remove and reopens after a cancel.
 */
export const toastmonDriver: DriverSpec = {
  name: "toastmon",
  hardwareIds: ["root\\toastmon"],
  classGuid: "{78a1c341-4539-11d3-b88d-00c04fad5171}",
  className: "Sample",
  DriverEntry(k: Kernel, driver: DriverObject): number {
    const watched = new Map<string, { file: FileObject | null; entry: NotificationEntry | null }>();
    driver.context.watched = watched;
    const open = (link: string) => {
      const r = k.IoGetDeviceObjectPointer(link, 0x120089);
      if (!r.fileObject) return;
      const t = k.IoRegisterPlugPlayNotification(
        EventCategoryTargetDeviceChange,
        0,
        r.fileObject,
        driver,
        onTarget,
        link,
      );
      watched.set(link, { file: r.fileObject, entry: t.notificationEntry ?? null });
    };
    const onTarget = (n: NotificationStructure, context: unknown): number => {
      const link = context as string;
      const w = watched.get(link);
      if (!w) return STATUS_SUCCESS;
      if (n.Event === GUID_TARGET_DEVICE_QUERY_REMOVE && w.file) {
        k.ObDereferenceObject(w.file);
        w.file = null;
      } else if (n.Event === GUID_TARGET_DEVICE_REMOVE_CANCELLED) {
        if (w.entry) k.IoUnregisterPlugPlayNotificationEx(w.entry);
        watched.delete(link);
        open(link);
      } else if (n.Event === GUID_TARGET_DEVICE_REMOVE_COMPLETE) {
        if (w.file) k.ObDereferenceObject(w.file);
        if (w.entry) k.IoUnregisterPlugPlayNotificationEx(w.entry);
        watched.delete(link);
      }
      return STATUS_SUCCESS;
    };
    driver.context.onInterface = (n: NotificationStructure): number => {
      if (
        n.Event === GUID_DEVICE_INTERFACE_ARRIVAL && "SymbolicLinkName" in n &&
        !watched.has(n.SymbolicLinkName)
      ) {
        open(n.SymbolicLinkName);
      }
      return STATUS_SUCCESS;
    };
    return STATUS_SUCCESS;
  },
  AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
    const r = k.IoCreateDevice(driver, 0, null, 0x22, 0x100, false);
    if (!r.deviceObject) return r.status;
    r.deviceObject.DeviceExtension.LowerDeviceObject = k.IoAttachDeviceToDeviceStack(
      r.deviceObject,
      pdo,
    );
    const reg = k.IoRegisterPlugPlayNotification(
      EventCategoryDeviceInterfaceChange,
      PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
      GUID_DEVINTERFACE_TOASTER,
      driver,
      driver.context.onInterface as (n: NotificationStructure) => number,
      null,
    );
    r.deviceObject.DeviceExtension.NotificationEntry = reg.notificationEntry;
    r.deviceObject.Flags &= ~0x80;
    return reg.status;
  },
  DispatchPnp(k: Kernel, fdo: DeviceObject, irp: Irp): number {
    const loc = k.IoGetCurrentIrpStackLocation(irp);
    const lower = fdo.DeviceExtension.LowerDeviceObject as DeviceObject;
    if (loc.MinorFunction === IRP_MN_REMOVE_DEVICE) {
      const entry = fdo.DeviceExtension.NotificationEntry as NotificationEntry | undefined;
      if (entry) k.IoUnregisterPlugPlayNotificationEx(entry);
      irp.IoStatus.Status = STATUS_SUCCESS;
      k.IoSkipCurrentIrpStackLocation(irp);
      const status = k.IoCallDriver(lower, irp);
      k.IoDetachDevice(lower);
      k.IoDeleteDevice(fdo);
      return status;
    }
    if ([0x00, 0x01, 0x03, 0x04, 0x05, 0x06, 0x17].includes(loc.MinorFunction)) {
      irp.IoStatus.Status = STATUS_SUCCESS;
    }
    k.IoSkipCurrentIrpStackLocation(irp);
    return k.IoCallDriver(lower, irp);
  },
};

/** The PCI-like bus driver: a bus FDO for the host bridge. */
export const pciDriver: DriverSpec = {
  name: "pci",
  hardwareIds: ["ACPI\\PNP0A03"],
  classGuid: GUID_DEVCLASS_SYSTEM,
  className: "System",
};

/** An Intel-style network card's driver. */
export const e1000Driver: DriverSpec = interfaceFunctionDriver("e1000", {
  hardwareIds: ["PCI\\VEN_8086&DEV_100E&SUBSYS_001E8086&REV_02", "PCI\\VEN_8086&DEV_100E"],
  interfaceGuid: GUID_DEVINTERFACE_NET,
  classGuid: GUID_DEVCLASS_NET,
  className: "Net",
});

/** The dock's driver (a bus driver for the devices in the dock). */
export const dockDriver: DriverSpec = {
  name: "dock",
  hardwareIds: ["ACPI\\PNP0C15"],
  classGuid: GUID_DEVCLASS_SYSTEM,
  className: "System",
};

/**
 * A toaster as the toaster bus reports it for serial number `serial`: the device ID is the hardware
 * ID, the instance ID `%02d` of the serial (UniqueID FALSE, so PnP adds the bus's ParentIdPrefix),
 * the description `Microsoft_Eliyas_Toaster_%02d`, Address and UINumber the serial.
 */
export function toasterSpec(serial: number): DeviceSpec & { instanceId: string } {
  const nn = String(serial).padStart(2, "0");
  return {
    hardwareIds: [TOASTER_HARDWARE_ID],
    compatibleIds: [TOASTER_COMPATIBLE_ID],
    instanceId: nn,
    uniqueId: false,
    description: `Microsoft_Eliyas_Toaster_${nn}`,
    location: "Toaster Bus 0",
    removable: true,
    ejectSupported: true,
    surpriseRemovalOk: true,
    address: serial,
    uiNumber: serial,
  };
}

/** The most toasters the static bus creates (the sample clamps `NumberOfToasters` to it). */
export const MAX_STATIC_TOASTERS = 10;

const staticBusBase = interfaceFunctionDriver("statbus", {
  hardwareIds: ["root\\statbus"],
  interfaceGuid: GUID_DEVINTERFACE_BUSENUM_TOASTER,
  classGuid: GUID_DEVCLASS_SYSTEM,
  className: "System",
});

/**
 * The toaster sample's static bus (`statbus`): instead of waiting for plug-in requests, AddDevice
 * opens its hardware key (IoOpenDeviceRegistryKey, PLUGPLAY_REGKEY_DEVICE, KEY_READ), reads
 * `NumberOfToasters` (REG_DWORD, default 0, at most 10) and creates that many toasters, serials 1 to
 * n. They are reported in BusRelations once the bus has started, and they go with its FDO: its REMOVE
 * deletes them, and the next AddDevice reads the value again. Not part of the example machine; load
 * it with `machine.loadDriver(staticBusDriver)` (or `sampleDriver: statbus` in a scenario).
 */
export const staticBusDriver: DriverSpec = {
  ...staticBusBase,
  AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
    let count = 0;
    const key = k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, KEY_READ);
    if (key.devInstRegKey) {
      const q = k.ZwQueryValueKey(
        key.devInstRegKey,
        "NumberOfToasters",
        KeyValuePartialInformation,
      );
      const info = q.keyValueInformation as { Type?: number; Data?: unknown } | undefined;
      if (NT_SUCCESS(q.status) && info?.Type === REG_DWORD && typeof info.Data === "number") {
        count = Math.min(info.Data, MAX_STATIC_TOASTERS);
      }
      k.ZwClose(key.devInstRegKey);
    }
    for (let serial = 1; serial <= count; serial++) {
      const spec = toasterSpec(serial);
      addStaticChild(pdo, spec, spec.instanceId);
    }
    return staticBusBase.AddDevice!(k, driver, pdo);
  },
  DispatchPnp(k: Kernel, fdo: DeviceObject, irp: Irp): number {
    if (k.IoGetCurrentIrpStackLocation(irp).MinorFunction === IRP_MN_REMOVE_DEVICE) {
      removeStaticChildren(fdo.DeviceExtension.UnderlyingPDO as DeviceObject);
    }
    return staticBusBase.DispatchPnp!(k, fdo, irp);
  },
};

/** Every driver of the example machine, in load order. */
export const exampleDrivers: readonly DriverSpec[] = [
  busenumDriver,
  toasterDriver,
  toasterFilterDriver,
  toastmonDriver,
  pciDriver,
  e1000Driver,
  dockDriver,
];

/**
 * The bundled drivers by service name, for loading one on a machine of your own (a scenario's
 * `sampleDriver` step): the example machine's drivers and the toaster sample's static bus.
 */
export const sampleDrivers: Readonly<Record<string, DriverSpec>> = Object.fromEntries(
  [...exampleDrivers, staticBusDriver].map((d) => [d.name, d]),
);

/**
 * Boots the example machine: profiles "Docked" and "Undocked" (starting docked), the toaster bus
 * with toasters 01 and 02, toastmon, a PCI host bridge with a network card, and a dock with a
 * second network card.
 *
 * @example
 * ```ts
 * import { exampleMachine } from "./example_machine.ts";
 * import assert from "node:assert/strict";
 * const m = exampleMachine();
 * assert.equal(m.devnode("ROOT\\BUSENUM\\0")?.state, "Started");
 * ```
 */
export function exampleMachine(options: BootOptions = {}): Machine {
  const m = boot({ hardwareProfiles: ["Docked", "Undocked"], ...options });
  for (const d of exampleDrivers) m.loadDriver(d);
  const bus = m.plugIn({
    hardwareIds: ["root\\busenum"],
    deviceId: "ROOT\\BUSENUM",
    description: "Toaster Bus Enumerator",
  });
  for (const serial of [1, 2]) m.plugIn(toasterSpec(serial), bus);
  m.plugIn({
    hardwareIds: ["root\\toastmon"],
    deviceId: "ROOT\\TOASTMON",
    description: "Toaster Monitor",
  });
  const pci = m.plugIn({
    hardwareIds: ["ACPI\\PNP0A03"],
    instanceId: "0",
    description: "PCI Express Root Complex",
  });
  m.plugIn({
    hardwareIds: ["PCI\\VEN_8086&DEV_100E&SUBSYS_001E8086&REV_02", "PCI\\VEN_8086&DEV_100E"],
    compatibleIds: ["PCI\\CC_020000"],
    deviceId: "PCI\\VEN_8086&DEV_100E&SUBSYS_001E8086&REV_02",
    instanceId: "18",
    uniqueId: false,
    description: "Intel(R) PRO/1000 MT Network Connection",
    location: "PCI bus 0, device 3, function 0",
    address: 0x30000,
  }, pci);
  const dock = m.plugIn({
    hardwareIds: ["ACPI\\PNP0C15"],
    instanceId: "1",
    description: "Docking Station",
    dockDevice: true,
    removable: true,
    ejectSupported: true,
    undockedProfile: "Undocked",
    dockedProfile: "Docked",
  });
  m.plugIn({
    hardwareIds: ["PCI\\VEN_8086&DEV_100E&SUBSYS_001E8086&REV_02", "PCI\\VEN_8086&DEV_100E"],
    deviceId: "PCI\\VEN_8086&DEV_100E&SUBSYS_001E8086&REV_02",
    instanceId: "20",
    uniqueId: false,
    description: "Intel(R) PRO/1000 MT Network Connection #2",
  }, dock);
  return m;
}
