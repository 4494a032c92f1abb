/**
 * Declarative drivers: what a scenario says a driver does ("registers interface X in AddDevice",
 * "enables on start", "vetoes query-remove", "fails start") turned into a WDM driver that does it the
 * documented way. WDM hooks given beside the declarations replace the generated routines.
 *
 * @module
 */
import {
  DISPATCH_LEVEL,
  IRP_MN_QUERY_REMOVE_DEVICE,
  IRP_MN_QUERY_STOP_DEVICE,
  IRP_MN_REMOVE_DEVICE,
  IRP_MN_START_DEVICE,
  IRP_MN_SURPRISE_REMOVAL,
} from "../lib/constants.ts";
import type { DeviceObject, DriverObject, DriverSpec, Irp } from "../lib/io/objects.ts";
import type { Kernel } from "../lib/kernel.ts";
import {
  NT_SUCCESS,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../lib/ntstatus.ts";
import type { RegData } from "../lib/registry/data.ts";

/** A driver as a scenario describes it. */
export interface DriverDecl {
  /** Service name. */
  name: string;
  /** IDs it is the function driver for. */
  hardwareIds?: string[];
  /** Setup class GUID and name. */
  classGuid?: string;
  className?: string;
  /** Interface class GUIDs it registers on the PDO in AddDevice. */
  interfaces?: string[];
  /** Enable them when START has completed below it (default true). */
  enableOnStart?: boolean;
  /** Disable them on SURPRISE_REMOVAL, or on REMOVE if no surprise removal came first (default true). */
  disableOnRemove?: boolean;
  /** Fail IRP_MN_QUERY_REMOVE_DEVICE. */
  vetoQueryRemove?: boolean;
  /** Fail IRP_MN_START_DEVICE (STATUS_INSUFFICIENT_RESOURCES). */
  failStart?: boolean;
  /** Fail IRP_MN_QUERY_STOP_DEVICE. */
  failQueryStop?: boolean;
  /** Class filters its INF adds. */
  upperFilters?: string[];
  lowerFilters?: string[];
  /** Values its INF writes to each device's hardware key. */
  deviceParameters?: Record<string, { type: number; data: RegData }>;
  /** Misuse for teaching: raise IRQL to DISPATCH_LEVEL in AddDevice, then call IoCreateDevice. */
  raiseIrqlInAddDevice?: boolean;
}

/**
 * Builds a WDM driver from a declaration. Any WDM routine in `hooks` replaces the generated one.
 *
 * @example
 * ```ts
 * import { declarativeDriver } from "./drivers.ts";
 * import assert from "node:assert/strict";
 * const spec = declarativeDriver({ name: "toaster", hardwareIds: ["ROOT\\TOASTER"], vetoQueryRemove: true });
 * assert.equal(typeof spec.DispatchPnp, "function");
 * ```
 */
export function declarativeDriver(decl: DriverDecl, hooks: Partial<DriverSpec> = {}): DriverSpec {
  const interfaces = decl.interfaces ?? [];
  const enableOnStart = decl.enableOnStart ?? true;
  const disableOnRemove = decl.disableOnRemove ?? true;
  const spec: DriverSpec = {
    name: decl.name,
    ...(decl.hardwareIds ? { hardwareIds: [...decl.hardwareIds] } : {}),
    ...(decl.classGuid ? { classGuid: decl.classGuid } : {}),
    ...(decl.className ? { className: decl.className } : {}),
    ...(decl.upperFilters ? { classUpperFilters: decl.upperFilters } : {}),
    ...(decl.lowerFilters ? { classLowerFilters: decl.lowerFilters } : {}),
    ...(decl.deviceParameters ? { deviceParameters: decl.deviceParameters } : {}),
    AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
      if (decl.raiseIrqlInAddDevice) k.KeRaiseIrql(DISPATCH_LEVEL);
      const r = k.IoCreateDevice(driver, 0, null, 0x22, 0x100, false);
      if (!r.deviceObject) return r.status;
      const fdo = r.deviceObject;
      const links: string[] = [];
      for (const guid of interfaces) {
        const reg = k.IoRegisterDeviceInterface(pdo, guid);
        if (!NT_SUCCESS(reg.status)) {
          k.IoDeleteDevice(fdo);
          return reg.status;
        }
        links.push(reg.symbolicLinkName!);
      }
      fdo.DeviceExtension.LowerDeviceObject = k.IoAttachDeviceToDeviceStack(fdo, pdo);
      fdo.DeviceExtension.InterfaceNames = links;
      fdo.DeviceExtension.SurpriseRemoved = false;
      fdo.Flags &= ~0x80;
      return STATUS_SUCCESS;
    },
    DispatchPnp(k: Kernel, fdo: DeviceObject, irp: Irp): number {
      const loc = k.IoGetCurrentIrpStackLocation(irp);
      const lower = fdo.DeviceExtension.LowerDeviceObject as DeviceObject;
      const links = (fdo.DeviceExtension.InterfaceNames ?? []) as string[];
      const fail = (status: number) => {
        irp.IoStatus.Status = status;
        k.IoCompleteRequest(irp, 0);
        return status;
      };
      switch (loc.MinorFunction) {
        case IRP_MN_START_DEVICE: {
          // Bus first: let the lower drivers start the hardware, then do this driver's part.
          k.IoCopyCurrentIrpStackLocationToNext(irp);
          k.IoSetCompletionRoutine(
            irp,
            () => STATUS_MORE_PROCESSING_REQUIRED,
            null,
            true,
            true,
            true,
          );
          k.IoCallDriver(lower, irp);
          if (NT_SUCCESS(irp.IoStatus.Status)) {
            if (decl.failStart) irp.IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
            else if (enableOnStart) { for (const l of links) k.IoSetDeviceInterfaceState(l, true); }
          }
          const status = irp.IoStatus.Status;
          k.IoCompleteRequest(irp, 0);
          return status;
        }
        case IRP_MN_QUERY_REMOVE_DEVICE:
          if (decl.vetoQueryRemove) return fail(STATUS_UNSUCCESSFUL);
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
        case IRP_MN_QUERY_STOP_DEVICE:
          if (decl.failQueryStop) return fail(STATUS_UNSUCCESSFUL);
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
        case IRP_MN_SURPRISE_REMOVAL:
          fdo.DeviceExtension.SurpriseRemoved = true;
          if (disableOnRemove) { for (const l of links) k.IoSetDeviceInterfaceState(l, false); }
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
        case IRP_MN_REMOVE_DEVICE: {
          // Disable on REMOVE only if SURPRISE_REMOVAL did not already (never twice).
          if (disableOnRemove && !fdo.DeviceExtension.SurpriseRemoved) {
            for (const l of links) k.IoSetDeviceInterfaceState(l, false);
          }
          irp.IoStatus.Status = STATUS_SUCCESS;
          k.IoSkipCurrentIrpStackLocation(irp);
          const status = k.IoCallDriver(lower, irp);
          k.IoDetachDevice(lower);
          k.IoDeleteDevice(fdo);
          return status;
        }
        case 0x03: // CANCEL_REMOVE
        case 0x04: // STOP
        case 0x06: // CANCEL_STOP
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
      }
      k.IoSkipCurrentIrpStackLocation(irp);
      return k.IoCallDriver(lower, irp);
    },
  };
  return { ...spec, ...hooks, name: decl.name };
}
