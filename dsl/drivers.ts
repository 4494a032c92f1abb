/**
 * Declarative drivers: what a scenario says a driver does ("registers interface X in AddDevice",
 * "enables on start", "vetoes query-remove", "fails start") turned into a WDM driver that does it the
 * documented way. WDM hooks given beside the declarations replace the generated routines.
 *
 * @module
 */
import {
  DISPATCH_LEVEL,
  DO_DEVICE_INITIALIZING,
  EventCategoryDeviceInterfaceChange,
  GUID_DEVICE_INTERFACE_ARRIVAL,
  IRP_MN_QUERY_CAPABILITIES,
  IRP_MN_QUERY_REMOVE_DEVICE,
  IRP_MN_QUERY_STOP_DEVICE,
  IRP_MN_REMOVE_DEVICE,
  IRP_MN_START_DEVICE,
  IRP_MN_SURPRISE_REMOVAL,
  KEY_ALL_ACCESS,
  KEY_READ,
  KeyValuePartialInformation,
  OBJ_CASE_INSENSITIVE,
  OBJ_KERNEL_HANDLE,
  PLUGPLAY_REGKEY_DEVICE,
} from "../lib/constants.ts";
import type { DeviceObject, DriverObject, DriverSpec, Irp } from "../lib/io/objects.ts";
import type { Kernel } from "../lib/kernel.ts";
import {
  NT_SUCCESS,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_NOT_SUPPORTED,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../lib/ntstatus.ts";
import type { Handle } from "../lib/ob/handles.ts";
import type { NotificationEntry, NotificationStructure } from "../lib/pnp/notify.ts";
import type { RegData } from "../lib/registry/data.ts";

/** A driver as a scenario describes it. */
export interface DriverDecl {
  /** Service name. */
  name: string;
  /** IDs it is the function driver for. */
  hardwareIds?: string[];
  /** Setup class GUID. */
  classGuid?: string;
  /** Setup class name (the class key's `Class` value). */
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
  /** Upper class filters its INF adds (the class key's `UpperFilters`). */
  upperFilters?: string[];
  /** Lower class filters its INF adds (the class key's `LowerFilters`). */
  lowerFilters?: string[];
  /** Values its INF writes to each device's hardware key. */
  deviceParameters?: Record<string, { type: number; data: RegData }>;
  /** Misuse for teaching: raise IRQL to DISPATCH_LEVEL in AddDevice, then call IoCreateDevice. */
  raiseIrqlInAddDevice?: boolean;
  /**
   * Read its settings the documented way: DriverEntry opens its service key (OBJ_KERNEL_HANDLE)
   * and keeps it until DriverUnload closes it; IRP_MN_START_DEVICE opens the device's hardware key
   * with IoOpenDeviceRegistryKey(KEY_READ), queries its `deviceParameters` values and closes it.
   */
  readSettings?: boolean;
  /**
   * Interface classes (GUIDs, names once the runner resolved them) whose arrivals and removals it
   * registers for in AddDevice and unregisters from with IoUnregisterPlugPlayNotificationEx on REMOVE.
   */
  watchInterfaces?: string[];
  /** A custom event it reports on its own device with IoReportTargetDeviceChangeAsynchronous each time a watched interface arrives. */
  reportOnArrival?: string;
  /** Documented mistakes to make, for lessons: names from `MISBEHAVIOURS`. */
  misbehave?: MisbehaviourName[];
}

/** A mistake a declarative driver can make: what it does wrong, the rule that catches it, and what it needs. */
export interface Misbehaviour {
  /** The mistake, as a change to the generated WDM routine. */
  readonly does: string;
  /** The verifier rules (lib/verifier/rules.ts) that catch it. */
  readonly rules: readonly string[];
  /** The behaviour it is a mistake in: settings reads or notification registrations (turned on with it). */
  readonly needs?: "readSettings" | "watchInterfaces";
}

/**
 * The mistakes a declarative driver can make, one row each. Each is a small change to the routine
 * the correct driver has, so a lesson shows the rule with and without it.
 *
 * @example
 * ```ts
 * import { MISBEHAVIOURS } from "./drivers.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(MISBEHAVIOURS.noDetachOnRemove.rules, ["PnpRemoveNotDetached"]);
 * ```
 */
export const MISBEHAVIOURS = {
  raiseIrqlInAddDevice: {
    does: "AddDevice raises IRQL to DISPATCH_LEVEL, then calls IoCreateDevice",
    rules: ["IrqlIoPassive1"],
  },
  completeWithoutPassingDown: {
    does:
      "Completes IRP_MN_QUERY_CAPABILITIES itself with STATUS_SUCCESS instead of passing it down to the bus driver",
    rules: ["PnpIrpCompletion"],
  },
  failRequiredWithNotSupported: {
    does:
      "Fails IRP_MN_QUERY_STOP_DEVICE with STATUS_NOT_SUPPORTED (meaning 'I cannot stop') instead of STATUS_UNSUCCESSFUL",
    rules: ["PnpIrpFailedNotSupported"],
  },
  passDownFailure: {
    does:
      "Vetoes IRP_MN_QUERY_REMOVE_DEVICE by setting STATUS_UNSUCCESSFUL and passing the IRP down instead of completing it",
    rules: ["PnpFailurePassedDown"],
  },
  noDetachOnRemove: {
    does: "Does not call IoDetachDevice on IRP_MN_REMOVE_DEVICE",
    rules: ["PnpRemoveNotDetached"],
  },
  noDeleteOnRemove: {
    does: "Does not call IoDeleteDevice on IRP_MN_REMOVE_DEVICE",
    rules: ["PnpRemoveNotDeleted"],
  },
  failSurpriseRemoval: {
    does: "Completes IRP_MN_SURPRISE_REMOVAL with STATUS_UNSUCCESSFUL instead of passing it down",
    rules: ["PnpRemove"],
  },
  failRemove: {
    does:
      "Completes IRP_MN_REMOVE_DEVICE with STATUS_UNSUCCESSFUL ('busy') instead of passing it down, detaching and deleting",
    rules: ["PnpRemove"],
  },
  deleteOnSurpriseRemoval: {
    does:
      "Detaches and deletes its device object on IRP_MN_SURPRISE_REMOVAL, as if it were IRP_MN_REMOVE_DEVICE",
    rules: ["PnpSurpriseRemove"],
  },
  returnWrongStatus: {
    does:
      "Returns STATUS_SUCCESS from DispatchPnp whatever status it completed the IRP with or IoCallDriver returned",
    rules: ["DispatchStatusMismatch", "LowerDriverReturn"],
  },
  loseIrp: {
    does:
      "Returns STATUS_SUCCESS for IRP_MN_QUERY_REMOVE_DEVICE without completing the IRP or passing it down",
    rules: ["DispatchIrpLost"],
  },
  leakKeyHandleInDispatch: {
    does: "Reads its settings in IRP_MN_START_DEVICE and never closes the key handle",
    rules: ["ZwRegistryCreate"],
    needs: "readSettings",
  },
  useClosedHandle: {
    does: "Queries its settings key once more after ZwClose",
    rules: ["ZwRegistryOpen"],
    needs: "readSettings",
  },
  openEnumDirectly: {
    does:
      "Opens Enum\\<its hardware ID> with ZwOpenKey instead of asking IoOpenDeviceRegistryKey for the device's key",
    rules: ["PnpRegistryDirectAccess"],
    needs: "readSettings",
  },
  noObjKernelHandle: {
    does: "Opens its service key in DriverEntry without OBJ_KERNEL_HANDLE",
    rules: ["ObjKernelHandle"],
    needs: "readSettings",
  },
  keyAllAccess: {
    does: "Asks IoOpenDeviceRegistryKey for KEY_ALL_ACCESS instead of KEY_READ",
    rules: ["PnpKeyAllAccess"],
    needs: "readSettings",
  },
  keepKeyHandleAtUnload: {
    does: "Leaves the service key handle DriverEntry opened open in DriverUnload",
    rules: ["KeyHandleLeakAtUnload"],
    needs: "readSettings",
  },
  leaveDeviceInitializing: {
    does: "Returns from AddDevice without clearing DO_DEVICE_INITIALIZING",
    rules: ["DeviceInitializing"],
  },
  disableTwice: {
    does:
      "Disables its interfaces on IRP_MN_SURPRISE_REMOVAL and again on the IRP_MN_REMOVE_DEVICE that follows",
    rules: ["PnpInterfaceDoubleDisable"],
  },
  holdNotificationAtRemove: {
    does: "Does not unregister its PnP notifications on IRP_MN_REMOVE_DEVICE",
    rules: ["PnpNotificationLeak"],
    needs: "watchInterfaces",
  },
  lateUnregister: {
    does:
      "Unregisters on IRP_MN_REMOVE_DEVICE with IoUnregisterPlugPlayNotification (not the Ex form) and frees the callback's context at once",
    rules: ["PnpLateCallbackAfterUnregister"],
    needs: "watchInterfaces",
  },
  raiseIrqlInNotification: {
    does:
      "Its notification callback raises IRQL to DISPATCH_LEVEL (a spin lock) and returns without lowering it",
    rules: ["PnpNotificationIrql"],
    needs: "watchInterfaces",
  },
  syncReportInCallback: {
    does:
      "Its notification callback reports its custom event with IoReportTargetDeviceChange instead of IoReportTargetDeviceChangeAsynchronous",
    rules: ["PnpSynchronousReportInCallback"],
    needs: "watchInterfaces",
  },
} as const satisfies Record<string, Misbehaviour>;

/** The name of a misbehaviour. */
export type MisbehaviourName = keyof typeof MISBEHAVIOURS;

/** The custom event a driver that misbehaves with `syncReportInCallback` reports when it was given none. */
export const GUID_PNPLAB_DEVICE_STATUS_CHANGE = "{5b8d7e3a-1c2f-4a6e-9d0b-7f3e2a1c4b5d}";

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
  const bad = new Set<MisbehaviourName>(decl.misbehave ?? []);
  for (const name of bad) {
    if (!Object.hasOwn(MISBEHAVIOURS, name)) {
      throw new TypeError(
        `Unknown misbehaviour '${name}' (known: ${Object.keys(MISBEHAVIOURS).join(", ")})`,
      );
    }
  }
  if (decl.raiseIrqlInAddDevice) bad.add("raiseIrqlInAddDevice");
  const needs = (what: Misbehaviour["needs"]) =>
    [...bad].some((name) => (MISBEHAVIOURS[name] as Misbehaviour).needs === what);
  const readSettings = decl.readSettings === true || needs("readSettings");
  // A notification mistake needs a registration to make it in: by default, on its own classes.
  const watched = decl.watchInterfaces ?? (needs("watchInterfaces") ? interfaces : []);
  const customEvent = decl.reportOnArrival ??
    (bad.has("syncReportInCallback") ? GUID_PNPLAB_DEVICE_STATUS_CHANGE : undefined);
  const settingNames = Object.keys(decl.deviceParameters ?? {});
  // What a misbehaving dispatch routine returns: the status it should return, or STATUS_SUCCESS.
  const returned = (status: number) => bad.has("returnWrongStatus") ? STATUS_SUCCESS : status;

  /** IRP_MN_START_DEVICE's settings read: the device's hardware key, its values, ZwClose. */
  const readDeviceSettings = (k: Kernel, fdo: DeviceObject): void => {
    const pdo = fdo.DeviceExtension.Pdo as DeviceObject;
    const key: Handle | undefined = bad.has("openEnumDirectly")
      ? k.ZwOpenKey(KEY_READ, {
        ObjectName: `\\Registry\\Machine\\System\\CurrentControlSet\\Enum\\${
          decl.hardwareIds?.[0] ?? ""
        }`,
        Attributes: OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
      }).keyHandle
      : k.IoOpenDeviceRegistryKey(
        pdo,
        PLUGPLAY_REGKEY_DEVICE,
        bad.has("keyAllAccess") ? KEY_ALL_ACCESS : KEY_READ,
      ).devInstRegKey;
    // Without its key a driver runs on its defaults.
    if (!key) return;
    const settings: Record<string, RegData> = {};
    const query = () => {
      for (const name of settingNames) {
        const q = k.ZwQueryValueKey(key, name, KeyValuePartialInformation);
        const info = q.keyValueInformation;
        if (info && "Data" in info) settings[name] = info.Data;
      }
    };
    query();
    if (!bad.has("leakKeyHandleInDispatch")) k.ZwClose(key);
    if (bad.has("useClosedHandle")) query();
    fdo.DeviceExtension.Settings = settings;
  };

  /** The interface-change callback of a driver that watches interface classes. */
  const callback = (k: Kernel) => (n: NotificationStructure, context: unknown): number => {
    const fdo = context as DeviceObject;
    if (bad.has("raiseIrqlInNotification")) k.KeRaiseIrql(DISPATCH_LEVEL);
    if (customEvent && n.Event === GUID_DEVICE_INTERFACE_ARRIVAL) {
      const pdo = fdo.DeviceExtension.Pdo as DeviceObject;
      const custom = {
        Version: 1,
        Size: 36,
        Event: customEvent,
        FileObject: null,
        NameBufferOffset: -1,
        CustomDataBuffer: new Uint8Array(),
      };
      // A callback must not wait for PnP: only the asynchronous report is safe here.
      if (bad.has("syncReportInCallback")) k.IoReportTargetDeviceChange(pdo, custom);
      else k.IoReportTargetDeviceChangeAsynchronous(pdo, custom);
    }
    return STATUS_SUCCESS;
  };

  const spec: DriverSpec = {
    name: decl.name,
    ...(decl.hardwareIds ? { hardwareIds: [...decl.hardwareIds] } : {}),
    ...(decl.classGuid ? { classGuid: decl.classGuid } : {}),
    ...(decl.className ? { className: decl.className } : {}),
    ...(decl.upperFilters ? { classUpperFilters: decl.upperFilters } : {}),
    ...(decl.lowerFilters ? { classLowerFilters: decl.lowerFilters } : {}),
    ...(decl.deviceParameters ? { deviceParameters: decl.deviceParameters } : {}),
    ...(readSettings
      ? {
        DriverEntry(k: Kernel, driver: DriverObject, registryPath: string): number {
          const r = k.ZwOpenKey(KEY_READ, {
            ObjectName: registryPath,
            Attributes: bad.has("noObjKernelHandle")
              ? OBJ_CASE_INSENSITIVE
              : OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
          });
          if (r.keyHandle) driver.context.ServiceKey = r.keyHandle;
          return STATUS_SUCCESS;
        },
        Unload(k: Kernel, driver: DriverObject): void {
          const key = driver.context.ServiceKey as Handle | undefined;
          if (!key || bad.has("keepKeyHandleAtUnload")) return;
          k.ZwClose(key);
          delete driver.context.ServiceKey;
        },
      }
      : {}),
    AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
      if (bad.has("raiseIrqlInAddDevice")) k.KeRaiseIrql(DISPATCH_LEVEL);
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
      const entries: NotificationEntry[] = [];
      for (const guid of watched) {
        const n = k.IoRegisterPlugPlayNotification(
          EventCategoryDeviceInterfaceChange,
          0,
          guid,
          driver,
          callback(k),
          fdo,
        );
        if (n.notificationEntry) entries.push(n.notificationEntry);
      }
      fdo.DeviceExtension.Pdo = pdo;
      fdo.DeviceExtension.LowerDeviceObject = k.IoAttachDeviceToDeviceStack(fdo, pdo);
      fdo.DeviceExtension.InterfaceNames = links;
      fdo.DeviceExtension.NotificationEntries = entries;
      fdo.DeviceExtension.SurpriseRemoved = false;
      if (!bad.has("leaveDeviceInitializing")) fdo.Flags &= ~DO_DEVICE_INITIALIZING;
      return STATUS_SUCCESS;
    },
    DispatchPnp(k: Kernel, fdo: DeviceObject, irp: Irp): number {
      const loc = k.IoGetCurrentIrpStackLocation(irp);
      const lower = fdo.DeviceExtension.LowerDeviceObject as DeviceObject;
      const links = (fdo.DeviceExtension.InterfaceNames ?? []) as string[];
      const complete = (status: number) => {
        irp.IoStatus.Status = status;
        k.IoCompleteRequest(irp, 0);
        return returned(status);
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
            else {
              if (readSettings) readDeviceSettings(k, fdo);
              if (enableOnStart) { for (const l of links) k.IoSetDeviceInterfaceState(l, true); }
            }
          }
          const status = irp.IoStatus.Status;
          k.IoCompleteRequest(irp, 0);
          return returned(status);
        }
        case IRP_MN_QUERY_REMOVE_DEVICE:
          if (bad.has("loseIrp")) return STATUS_SUCCESS;
          if (bad.has("passDownFailure")) {
            irp.IoStatus.Status = STATUS_UNSUCCESSFUL;
            break;
          }
          if (decl.vetoQueryRemove) return complete(STATUS_UNSUCCESSFUL);
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
        case IRP_MN_QUERY_STOP_DEVICE:
          if (bad.has("failRequiredWithNotSupported")) return complete(STATUS_NOT_SUPPORTED);
          if (decl.failQueryStop) return complete(STATUS_UNSUCCESSFUL);
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
        case IRP_MN_QUERY_CAPABILITIES:
          if (bad.has("completeWithoutPassingDown")) return complete(STATUS_SUCCESS);
          break;
        case IRP_MN_SURPRISE_REMOVAL: {
          fdo.DeviceExtension.SurpriseRemoved = true;
          if (disableOnRemove) { for (const l of links) k.IoSetDeviceInterfaceState(l, false); }
          if (bad.has("failSurpriseRemoval")) return complete(STATUS_UNSUCCESSFUL);
          irp.IoStatus.Status = STATUS_SUCCESS;
          if (!bad.has("deleteOnSurpriseRemoval")) break;
          k.IoSkipCurrentIrpStackLocation(irp);
          const status = k.IoCallDriver(lower, irp);
          k.IoDetachDevice(lower);
          k.IoDeleteDevice(fdo);
          return returned(status);
        }
        case IRP_MN_REMOVE_DEVICE: {
          if (bad.has("failRemove")) return complete(STATUS_UNSUCCESSFUL);
          // Disable on REMOVE only if SURPRISE_REMOVAL did not already (never twice).
          if (
            disableOnRemove && (!fdo.DeviceExtension.SurpriseRemoved || bad.has("disableTwice"))
          ) {
            for (const l of links) k.IoSetDeviceInterfaceState(l, false);
          }
          const entries = (fdo.DeviceExtension.NotificationEntries ?? []) as NotificationEntry[];
          if (!bad.has("holdNotificationAtRemove")) {
            for (const entry of entries) {
              if (bad.has("lateUnregister")) k.IoUnregisterPlugPlayNotification(entry);
              else k.IoUnregisterPlugPlayNotificationEx(entry);
            }
            fdo.DeviceExtension.NotificationEntries = [];
          }
          irp.IoStatus.Status = STATUS_SUCCESS;
          k.IoSkipCurrentIrpStackLocation(irp);
          const status = k.IoCallDriver(lower, irp);
          if (!bad.has("noDetachOnRemove")) k.IoDetachDevice(lower);
          if (!bad.has("noDeleteOnRemove")) k.IoDeleteDevice(fdo);
          return returned(status);
        }
        case 0x03: // CANCEL_REMOVE
        case 0x04: // STOP
        case 0x06: // CANCEL_STOP
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
      }
      k.IoSkipCurrentIrpStackLocation(irp);
      return returned(k.IoCallDriver(lower, irp));
    },
  };
  return { ...spec, ...hooks, name: decl.name };
}
