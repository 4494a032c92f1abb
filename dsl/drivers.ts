/**
 * Declarative drivers: what a scenario says a driver does ("registers interface X in AddDevice",
 * "enables on start", "vetoes query-remove", "fails start") turned into a WDM driver that does it the
 * documented way. WDM hooks given beside the declarations replace the generated routines.
 *
 * @module
 */
import {
  DevicePowerState,
  DISPATCH_LEVEL,
  DO_DEVICE_INITIALIZING,
  EventCategoryDeviceInterfaceChange,
  GUID_DEVICE_INTERFACE_ARRIVAL,
  IRP_MJ_POWER,
  IRP_MJ_SHUTDOWN,
  IRP_MN_QUERY_CAPABILITIES,
  IRP_MN_QUERY_POWER,
  IRP_MN_QUERY_REMOVE_DEVICE,
  IRP_MN_QUERY_STOP_DEVICE,
  IRP_MN_REMOVE_DEVICE,
  IRP_MN_SET_POWER,
  IRP_MN_START_DEVICE,
  IRP_MN_SURPRISE_REMOVAL,
  IRP_MN_WAIT_WAKE,
  KEY_ALL_ACCESS,
  KEY_READ,
  KeyValuePartialInformation,
  OBJ_CASE_INSENSITIVE,
  OBJ_KERNEL_HANDLE,
  PLUGPLAY_REGKEY_DEVICE,
  PowerDeviceD0,
  PowerDeviceUnspecified,
  PowerSystemUnspecified,
  PowerSystemWorking,
  SystemPowerState,
} from "../lib/constants.ts";
import type { DeviceObject, DriverObject, DriverSpec, Irp } from "../lib/io/objects.ts";
import type { Kernel } from "../lib/kernel.ts";
import {
  NT_SUCCESS,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_NOT_SUPPORTED,
  STATUS_PENDING,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../lib/ntstatus.ts";
import { type DeviceCapabilities, deviceStateFor } from "../lib/po/capabilities.ts";
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
  /** Fail the system IRP_MN_QUERY_POWER for a sleeping state (a veto of the sleep). */
  vetoSleep?: boolean;
  /**
   * Arm wake: once started, send IRP_MN_WAIT_WAKE (PoRequestPowerIrp) for the lowest state the
   * bus reports it can wake from (DEVICE_CAPABILITIES.SystemWake), and arm it again after it fires.
   */
  armWake?: boolean;
  /** Call IoRegisterShutdownNotification in AddDevice (IRP_MJ_SHUTDOWN comes before the S5 IRPs). */
  shutdownNotification?: boolean;
}

/** A mistake a declarative driver can make: what it does wrong, the rule that catches it, and what it needs. */
export interface Misbehaviour {
  /** The mistake, as a change to the generated WDM routine. */
  readonly does: string;
  /** The verifier rules (lib/verifier/rules.ts) that catch it. */
  readonly rules: readonly string[];
  /** The behaviour it is a mistake in: settings reads, notification registrations, wake (turned on with it). */
  readonly needs?: "readSettings" | "watchInterfaces" | "armWake";
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
  // ---- Power ----
  holdPowerIrp: {
    does:
      "Marks the system IRP_MN_SET_POWER pending and keeps it: never passes it down, never completes it",
    rules: ["PowerIrpBlocked"],
  },
  failSetPowerDown: {
    does: "Completes the device IRP_MN_SET_POWER for D1..D3 with STATUS_UNSUCCESSFUL ('busy')",
    rules: ["PowerDownFail"],
  },
  failSetPowerUp: {
    does: "Completes the device IRP_MN_SET_POWER for D0 with STATUS_UNSUCCESSFUL",
    rules: ["PowerUpFail"],
  },
  noDeviceIrp: {
    does:
      "As power policy owner, passes the system IRP_MN_SET_POWER down and returns without requesting the device IRP (so it never pends it)",
    rules: ["MarkPowerDown", "MarkPower"],
  },
  completeSystemSetPower: {
    does:
      "Completes the system IRP_MN_SET_POWER itself with STATUS_SUCCESS instead of passing it to the bus driver",
    rules: ["SetPowerNotPassedDown"],
  },
  registryInSetPower: {
    does:
      "Opens its device's hardware key (IoOpenDeviceRegistryKey) while handling the device IRP_MN_SET_POWER",
    rules: ["PowerIrpDDis"],
  },
  holdWaitWake: {
    does:
      "Keeps the IRP_MN_WAIT_WAKE it receives pending itself instead of passing it to the bus driver, and deletes its device on IRP_MN_REMOVE_DEVICE with it still pending",
    rules: ["PowerIrpPendingAtDelete"],
    needs: "armWake",
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

  const armWake = decl.armWake === true || needs("armWake");
  const power = declarativePower(decl, bad, armWake);

  const spec: DriverSpec = {
    name: decl.name,
    ...(power.dispatch ? { MajorFunction: power.dispatch } : {}),
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
      if (decl.shutdownNotification) k.IoRegisterShutdownNotification(fdo);
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
          if (NT_SUCCESS(status)) {
            fdo.DeviceExtension.Started = true;
            // Started means powered: report D0, as the toaster's StartDevice does.
            k.PoSetPowerState(fdo, DevicePowerState, PowerDeviceD0);
          }
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
          // The power policy owner keeps the capabilities the bus fills in (the S→D table).
          fdo.DeviceExtension.Capabilities = loc.Parameters.DeviceCapabilities?.Capabilities;
          if (armWake && fdo.DeviceExtension.Started && !fdo.DeviceExtension.WaitWakeArmed) {
            // Once the stack has answered (the bus completes at once), it knows SystemWake: arm.
            k.IoSkipCurrentIrpStackLocation(irp);
            const status = k.IoCallDriver(lower, irp);
            power.arm(k, fdo);
            return returned(status);
          }
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
          if (decl.shutdownNotification) k.IoUnregisterShutdownNotification(fdo);
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

// ---- Power steps ----
// (The declarative driver's power handling: what a scenario's power options and misbehaviours turn into.)

/**
 * The IRP_MJ_POWER (and IRP_MJ_SHUTDOWN) routines of a declarative driver with power options or
 * power misbehaviours, written as the WDM toaster sample's power code: the function driver is the
 * power policy owner (system IRP down with a completion routine, the device IRP requested there with
 * PoRequestPowerIrp through the DeviceState[] table the bus filled in, the system IRP completed from
 * its callback); a filter passes power IRPs down. A driver without any keeps the system's default,
 * which does the same.
 */
function declarativePower(
  decl: DriverDecl,
  bad: ReadonlySet<MisbehaviourName>,
  armWake: boolean,
): {
  dispatch: Partial<Record<number, (k: Kernel, d: DeviceObject, irp: Irp) => number>> | null;
  arm: (k: Kernel, fdo: DeviceObject) => void;
} {
  const powerBad = [...bad].some((b) => POWER_MISBEHAVIOURS.has(b));
  /** Sends IRP_MN_WAIT_WAKE for the lowest state the bus can wake the system from. */
  const arm = (k: Kernel, fdo: DeviceObject): void => {
    const caps = fdo.DeviceExtension.Capabilities as DeviceCapabilities | undefined;
    if (!caps || caps.SystemWake === PowerSystemUnspecified || fdo.DeviceExtension.Removed) return;
    fdo.DeviceExtension.WaitWakeArmed = true;
    k.PoRequestPowerIrp(
      fdo.DeviceExtension.Pdo as DeviceObject,
      IRP_MN_WAIT_WAKE,
      caps.SystemWake,
      (_d, _minor, _state, _context, ioStatus) => {
        fdo.DeviceExtension.WaitWakeArmed = false;
        // It fired: the device woke the system. Arm again for the next sleep.
        if (ioStatus.Status === STATUS_SUCCESS) arm(k, fdo);
      },
      null,
    );
  };
  if (!decl.vetoSleep && !armWake && !decl.shutdownNotification && !powerBad) {
    return { dispatch: null, arm };
  }
  const deviceIrpDone = (k: Kernel) =>
  (
    _d: DeviceObject,
    _minor: number,
    _state: number,
    context: unknown,
    ioStatus: { Status: number },
  ): void => {
    const systemIrp = context as Irp;
    systemIrp.IoStatus.Status = ioStatus.Status;
    k.PoStartNextPowerIrp(systemIrp);
    k.IoCompleteRequest(systemIrp, 0);
  };
  const systemIrpDone = (k: Kernel, fdo: DeviceObject | null, irp: Irp): number => {
    const loc = k.IoGetCurrentIrpStackLocation(irp);
    if (!fdo || !NT_SUCCESS(irp.IoStatus.Status)) {
      k.PoStartNextPowerIrp(irp);
      return STATUS_SUCCESS;
    }
    const caps = fdo.DeviceExtension.Capabilities as DeviceCapabilities | undefined;
    const system = Number(loc.Parameters.Power!.State);
    let state = deviceStateFor(caps, system);
    // Armed for wake: the device state it can still signal wake from.
    const wake = caps?.DeviceWake ?? PowerDeviceUnspecified;
    if (
      system !== PowerSystemWorking && fdo.DeviceExtension.WaitWakeArmed &&
      wake !== PowerDeviceUnspecified && wake >= state
    ) {
      state = wake;
    }
    const r = k.PoRequestPowerIrp(
      fdo.DeviceExtension.Pdo as DeviceObject,
      loc.MinorFunction,
      state,
      deviceIrpDone(k),
      irp,
    );
    if (!NT_SUCCESS(r.status)) {
      irp.IoStatus.Status = r.status;
      k.PoStartNextPowerIrp(irp);
      return STATUS_SUCCESS;
    }
    return STATUS_MORE_PROCESSING_REQUIRED;
  };
  const poweredUp = (k: Kernel, fdo: DeviceObject | null, irp: Irp): number => {
    const loc = k.IoGetCurrentIrpStackLocation(irp);
    if (fdo && NT_SUCCESS(irp.IoStatus.Status)) {
      fdo.DeviceExtension.DevicePowerState = Number(loc.Parameters.Power!.State);
      k.PoSetPowerState(fdo, DevicePowerState, Number(loc.Parameters.Power!.State));
    }
    k.PoStartNextPowerIrp(irp);
    return STATUS_SUCCESS;
  };
  const dispatchPower = (k: Kernel, fdo: DeviceObject, irp: Irp): number => {
    const loc = k.IoGetCurrentIrpStackLocation(irp);
    const lower = fdo.DeviceExtension.LowerDeviceObject as DeviceObject;
    const minor = loc.MinorFunction;
    const p = loc.Parameters.Power;
    const complete = (status: number): number => {
      irp.IoStatus.Status = status;
      k.PoStartNextPowerIrp(irp);
      k.IoCompleteRequest(irp, 0);
      return status;
    };
    const passDown = (): number => {
      k.PoStartNextPowerIrp(irp);
      k.IoSkipCurrentIrpStackLocation(irp);
      return k.PoCallDriver(lower, irp);
    };
    if (minor === IRP_MN_WAIT_WAKE && bad.has("holdWaitWake")) {
      k.IoMarkIrpPending(irp);
      return STATUS_PENDING;
    }
    if (!p || (minor !== IRP_MN_SET_POWER && minor !== IRP_MN_QUERY_POWER)) return passDown();
    const state = Number(p.State);
    if (p.Type === SystemPowerState) {
      if (minor === IRP_MN_QUERY_POWER && decl.vetoSleep && state !== PowerSystemWorking) {
        // "Failing a System Query-Power IRP": complete it with a failure, do not pass it down.
        return complete(STATUS_UNSUCCESSFUL);
      }
      if (minor === IRP_MN_SET_POWER && bad.has("holdPowerIrp")) {
        k.IoMarkIrpPending(irp);
        return STATUS_PENDING;
      }
      if (minor === IRP_MN_SET_POWER && bad.has("completeSystemSetPower")) {
        return complete(STATUS_SUCCESS);
      }
      if (fdo.role === "filter" || (minor === IRP_MN_SET_POWER && bad.has("noDeviceIrp"))) {
        return passDown();
      }
      k.IoMarkIrpPending(irp);
      k.IoCopyCurrentIrpStackLocationToNext(irp);
      k.IoSetCompletionRoutine(irp, systemIrpDone, null, true, true, true);
      k.PoCallDriver(lower, irp);
      return STATUS_PENDING;
    }
    if (minor !== IRP_MN_SET_POWER) return passDown();
    if (bad.has("registryInSetPower")) {
      const r = k.IoOpenDeviceRegistryKey(
        fdo.DeviceExtension.Pdo as DeviceObject,
        PLUGPLAY_REGKEY_DEVICE,
        KEY_READ,
      );
      if (r.devInstRegKey) k.ZwClose(r.devInstRegKey);
    }
    if (state === PowerDeviceD0) {
      if (bad.has("failSetPowerUp")) return complete(STATUS_UNSUCCESSFUL);
      if (fdo.role === "filter") return passDown();
      k.IoMarkIrpPending(irp);
      k.IoCopyCurrentIrpStackLocationToNext(irp);
      k.IoSetCompletionRoutine(irp, poweredUp, null, true, true, true);
      k.PoCallDriver(lower, irp);
      return STATUS_PENDING;
    }
    if (bad.has("failSetPowerDown")) return complete(STATUS_UNSUCCESSFUL);
    if (fdo.role !== "filter") {
      fdo.DeviceExtension.DevicePowerState = state;
      k.PoSetPowerState(fdo, DevicePowerState, state);
    }
    return passDown();
  };
  const dispatchShutdown = (k: Kernel, _fdo: DeviceObject, irp: Irp): number => {
    irp.IoStatus.Status = STATUS_SUCCESS;
    k.IoCompleteRequest(irp, 0);
    return STATUS_SUCCESS;
  };
  return {
    dispatch: {
      [IRP_MJ_POWER]: dispatchPower,
      ...(decl.shutdownNotification ? { [IRP_MJ_SHUTDOWN]: dispatchShutdown } : {}),
    },
    arm,
  };
}

/** The misbehaviours that are mistakes in power handling (they need the driver's own power routine). */
const POWER_MISBEHAVIOURS: ReadonlySet<string> = new Set([
  "holdPowerIrp",
  "failSetPowerDown",
  "failSetPowerUp",
  "noDeviceIrp",
  "completeSystemSetPower",
  "registryInSetPower",
  "holdWaitWake",
]);
