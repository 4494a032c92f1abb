/**
 * Shared pieces of the device-interface and PnP-notification tests (issue #4): a function driver
 * whose interface handling each test chooses, a kernel listener that records what its callback
 * was given, status assertions that print NTSTATUS names, and readers of the trace (who was told
 * what, in which order, and what they answered).
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  type DeviceObject,
  type DriverObject,
  type DriverSpec,
  EventCategoryTargetDeviceChange,
  GUID_TARGET_DEVICE_QUERY_REMOVE,
  GUID_TARGET_DEVICE_REMOVE_CANCELLED,
  GUID_TARGET_DEVICE_REMOVE_COMPLETE,
  type Irp,
  IRP_MN_CANCEL_REMOVE_DEVICE,
  IRP_MN_QUERY_REMOVE_DEVICE,
  IRP_MN_REMOVE_DEVICE,
  IRP_MN_START_DEVICE,
  IRP_MN_SURPRISE_REMOVAL,
  type Kernel,
  type Machine,
  type NotificationEntry,
  type NotificationStructure,
  NT_SUCCESS,
  ntStatusName,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_SUCCESS,
  type TARGET_DEVICE_CUSTOM_NOTIFICATION,
  type TraceEvent,
} from "../../mod.ts";

/** The interface class of Wine's PnP test driver (driver_pnp.c), `{deadbeef-29ef-4538-a5fd-b69573a362c2}`. */
export const GUID_WINETEST = "{deadbeef-29ef-4538-a5fd-b69573a362c2}";
/** A second interface class for alias tests. */
export const GUID_WINETEST_2 = "{deadbeef-29ef-4538-a5fd-b69573a362c3}";
/** A driver-defined custom event GUID. */
export const GUID_CUSTOM_EVENT = "{a1b2c3d4-0001-4000-8000-00aabbccddee}";
/** `\Registry\Machine\System\CurrentControlSet`. */
export const CCS = "\\Registry\\Machine\\System\\CurrentControlSet";

/** Asserts an NTSTATUS by name, so a failure reads `STATUS_ACCESS_DENIED` rather than 3221225506. */
export function assertStatus(actual: number | undefined, expected: number, message?: string): void {
  const name = (s: number | undefined) =>
    s === undefined ? "undefined" : `${ntStatusName(s)} (0x${s.toString(16)})`;
  assert.equal(name(actual), name(expected), message);
}

/** Where a test's function driver enables its interfaces. */
export type EnableAt = "AddDevice" | "START before passing down" | "START after lower" | "never";

/** Options of `functionDriver`. */
export interface FunctionDriverOptions {
  /** Interfaces registered in AddDevice on the PDO: class GUID and reference string. */
  interfaces?: { guid: string; ref?: string | null }[];
  /** Where the interfaces are enabled (default: after START completed below, the documented way). */
  enableAt?: EnableAt;
  /** "documented": disable on SURPRISE_REMOVAL, or on REMOVE when no surprise removal came first. */
  disable?: "documented" | "never";
  /** Fail IRP_MN_QUERY_REMOVE_DEVICE with this status. */
  failQueryRemove?: number;
  /** Runs inside DispatchPnp for IRP_MN_START_DEVICE before anything else (to observe the half-started device). */
  duringStart?: (k: Kernel, links: string[]) => void;
  /** The driver's Unload routine. */
  Unload?: (k: Kernel, driverObject: DriverObject) => void;
}

/** A test function driver and what it saw. */
export interface FunctionDriver {
  readonly spec: DriverSpec;
  /** Every link IoRegisterDeviceInterface gave it, in order. */
  readonly links: string[];
  /** Every IoRegisterDeviceInterface / IoSetDeviceInterfaceState status it got, labelled. */
  readonly results: { call: string; link: string; status: number }[];
}

/**
 * A WDM function driver for `hardwareIds` that registers its interfaces in AddDevice and enables and
 * disables them where the test says. Everything else follows the WDM rules (bus-first START,
 * REMOVE detaches and deletes).
 */
export function functionDriver(
  name: string,
  hardwareIds: string[],
  options: FunctionDriverOptions = {},
): FunctionDriver {
  const interfaces = options.interfaces ?? [{ guid: GUID_WINETEST }];
  const enableAt = options.enableAt ?? "START after lower";
  const links: string[] = [];
  const results: FunctionDriver["results"] = [];
  const setState = (k: Kernel, devLinks: string[], enable: boolean) => {
    for (const link of devLinks) {
      results.push({
        call: enable ? "enable" : "disable",
        link,
        status: k.IoSetDeviceInterfaceState(link, enable),
      });
    }
  };
  const spec: DriverSpec = {
    name,
    hardwareIds,
    AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
      const r = k.IoCreateDevice(driver, 0, null, 0x22, 0x100, false);
      if (!r.deviceObject) return r.status;
      const fdo = r.deviceObject;
      const devLinks: string[] = [];
      for (const i of interfaces) {
        const reg = k.IoRegisterDeviceInterface(pdo, i.guid, i.ref ?? null);
        results.push({ call: "register", link: reg.symbolicLinkName ?? "", status: reg.status });
        if (reg.symbolicLinkName) {
          devLinks.push(reg.symbolicLinkName);
          links.push(reg.symbolicLinkName);
        }
      }
      fdo.DeviceExtension.LowerDeviceObject = k.IoAttachDeviceToDeviceStack(fdo, pdo);
      fdo.DeviceExtension.Links = devLinks;
      fdo.DeviceExtension.SurpriseRemoved = false;
      fdo.Flags &= ~0x80;
      if (enableAt === "AddDevice") setState(k, devLinks, true);
      return STATUS_SUCCESS;
    },
    DispatchPnp(k: Kernel, fdo: DeviceObject, irp: Irp): number {
      const loc = k.IoGetCurrentIrpStackLocation(irp);
      const lower = fdo.DeviceExtension.LowerDeviceObject as DeviceObject;
      const devLinks = fdo.DeviceExtension.Links as string[];
      switch (loc.MinorFunction) {
        case IRP_MN_START_DEVICE: {
          options.duringStart?.(k, devLinks);
          if (enableAt === "START before passing down") {
            setState(k, devLinks, true);
            irp.IoStatus.Status = STATUS_SUCCESS;
            k.IoSkipCurrentIrpStackLocation(irp);
            return k.IoCallDriver(lower, irp);
          }
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
          if (NT_SUCCESS(irp.IoStatus.Status) && enableAt === "START after lower") {
            setState(k, devLinks, true);
          }
          const status = irp.IoStatus.Status;
          k.IoCompleteRequest(irp, 0);
          return status;
        }
        case IRP_MN_QUERY_REMOVE_DEVICE:
          if (options.failQueryRemove !== undefined) {
            irp.IoStatus.Status = options.failQueryRemove;
            k.IoCompleteRequest(irp, 0);
            return options.failQueryRemove;
          }
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
        case IRP_MN_SURPRISE_REMOVAL:
          fdo.DeviceExtension.SurpriseRemoved = true;
          if (options.disable !== "never") setState(k, devLinks, false);
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
        case IRP_MN_REMOVE_DEVICE: {
          if (options.disable !== "never" && !fdo.DeviceExtension.SurpriseRemoved) {
            setState(k, devLinks, false);
          }
          irp.IoStatus.Status = STATUS_SUCCESS;
          k.IoSkipCurrentIrpStackLocation(irp);
          const status = k.IoCallDriver(lower, irp);
          k.IoDetachDevice(lower);
          k.IoDeleteDevice(fdo);
          return status;
        }
        case IRP_MN_CANCEL_REMOVE_DEVICE:
        case 0x04: // STOP
        case 0x05: // QUERY_STOP
        case 0x06: // CANCEL_STOP
          irp.IoStatus.Status = STATUS_SUCCESS;
          break;
      }
      k.IoSkipCurrentIrpStackLocation(irp);
      return k.IoCallDriver(lower, irp);
    },
    ...(options.Unload ? { Unload: options.Unload } : {}),
  };
  return { spec, links, results };
}

/** A machine with one test device (`Wine\Test\1`, the bus's case) driven by `functionDriver`. */
export function machineWithDevice(
  m: Machine,
  options: FunctionDriverOptions = {},
  name = "winetest",
): { pdo: DeviceObject; driver: FunctionDriver; driverObject: DriverObject; link: string } {
  const driver = functionDriver(name, ["Wine\\Test"], options);
  const driverObject = m.loadDriver(driver.spec);
  const pdo = m.plugIn({ hardwareIds: ["Wine\\Test"], instanceId: "1" });
  return { pdo, driver, driverObject, link: driver.links[0] ?? "" };
}

/** A kernel registration and what its callback was given. */
export interface Listener {
  readonly driver: DriverObject;
  /** IoRegisterPlugPlayNotification's status. */
  readonly status: number;
  readonly entry: NotificationEntry | undefined;
  /** Every structure the callback received, in order (copies of the header fields and links). */
  readonly received: NotificationStructure[];
  /** The trace target name the callback appears under. */
  readonly target: string;
}

/** Options of `listen`. */
export interface ListenOptions {
  flags?: number;
  /** The callback's answer (default STATUS_SUCCESS). */
  answer?: (n: NotificationStructure) => number;
  /** Runs inside the callback, after the structure is recorded. */
  onEvent?: (n: NotificationStructure) => void;
  /** Register for this driver (default: a new driver object named `name`). */
  driver?: DriverObject;
  context?: unknown;
}

/** Registers a kernel callback as driver `name` and records what it receives. */
export function listen(
  m: Machine,
  name: string,
  category: number,
  data: unknown,
  options: ListenOptions = {},
): Listener {
  const driver = options.driver ?? m.loadDriver({ name });
  const received: NotificationStructure[] = [];
  const r = m.kernel.IoRegisterPlugPlayNotification(
    category,
    options.flags ?? 0,
    data as string,
    driver,
    (n) => {
      received.push({ ...n });
      options.onEvent?.(n);
      return options.answer ? options.answer(n) : STATUS_SUCCESS;
    },
    options.context ?? null,
  );
  return {
    driver,
    status: r.status,
    entry: r.notificationEntry,
    received,
    target: `${driver.name}!NotificationCallback`,
  };
}

/** A custom notification as a driver builds it (Size = 36 + the data's length). */
export function customNotification(
  data: Uint8Array = new Uint8Array([1, 2, 3, 4]),
  event = GUID_CUSTOM_EVENT,
): TARGET_DEVICE_CUSTOM_NOTIFICATION {
  return {
    Version: 1,
    Size: 36 + data.length,
    Event: event,
    FileObject: null,
    NameBufferOffset: -1,
    CustomDataBuffer: data,
  };
}

/** One line per notification a recipient got: who was told, what, and what it answered. */
export interface Told {
  seq: number;
  eventName: string;
  target: string;
  status?: string;
  note?: string;
  symbolicLinkName?: string;
}

/** Notifications delivered to recipients (kernel callbacks), oldest first; optionally only to `target`. */
export function told(m: Machine, target?: string): Told[] {
  const out: Told[] = [];
  for (const e of m.trace) {
    if (e.kind !== "notify" || !e.target.endsWith("!NotificationCallback")) continue;
    if (target && e.target !== target) continue;
    out.push({
      seq: e.seq,
      eventName: e.eventName,
      target: e.target,
      ...(e.statusName ? { status: e.statusName } : {}),
      ...(e.note ? { note: e.note } : {}),
      ...(e.symbolicLinkName ? { symbolicLinkName: e.symbolicLinkName } : {}),
    });
  }
  return out;
}

/** The DBT_* messages applications received (trace `app` events), oldest first. */
export function appMessages(
  m: Machine,
  app?: string,
): { seq: number; app: string; dbt: string; name?: string }[] {
  const out: { seq: number; app: string; dbt: string; name?: string }[] = [];
  for (const e of m.trace) {
    if (e.kind !== "app" || !e.action.startsWith("DBT_")) continue;
    if (app && e.app !== app) continue;
    const name = e.detail?.name;
    out.push({
      seq: e.seq,
      app: e.app,
      dbt: e.action,
      ...(typeof name === "string" ? { name } : {}),
    });
  }
  return out;
}

/** The seq of the first trace event after `after` matching `match`, or -1. */
export function seqOf(m: Machine, match: (e: TraceEvent) => boolean, after = 0): number {
  return m.trace.find((e) => e.seq > after && match(e))?.seq ?? -1;
}

/** The last `complete` of a PnP IRP for a device instance: the IRP finished for the whole stack. */
export function lastIrpCompletion(m: Machine, minor: string, instance: string): number {
  let seq = -1;
  for (const e of m.trace) {
    if (
      e.kind === "irp" && e.phase === "complete" && e.minor === minor && e.instance === instance
    ) seq = e.seq;
  }
  return seq;
}

/** The minor functions dispatched to the top of a device's stack (one per IRP), oldest first. */
export function pnpIrps(m: Machine, instance: string, after = 0): { seq: number; minor: string }[] {
  const seen = new Set<number>();
  const out: { seq: number; minor: string }[] = [];
  for (const e of m.trace) {
    if (
      e.seq <= after || e.kind !== "irp" || e.phase !== "dispatch" || !e.minor ||
      e.instance !== instance || seen.has(e.irp)
    ) continue;
    seen.add(e.irp);
    out.push({ seq: e.seq, minor: e.minor });
  }
  return out;
}

/** The seq after which new trace events will appear. */
export function mark(m: Machine): number {
  return m.trace.at(-1)?.seq ?? 0;
}

/** How a kernel monitor answers GUID_TARGET_DEVICE_QUERY_REMOVE. */
export type MonitorBehaviour =
  /** Done right (toastmon): drop the file object, stay registered, reopen after a cancel. */
  | "close"
  /** Keeps its file object referenced: the open vetoes the removal. */
  | "hold"
  /** Fails the query with this status. */
  | { veto: number };

/** A kernel client of one device: an open from IoGetDeviceObjectPointer and a target-device registration on it. */
export interface Monitor {
  readonly driver: DriverObject;
  readonly target: string;
  /** The open status of each IoGetDeviceObjectPointer, in order (the first open, then reopens). */
  readonly opens: number[];
  /** Whether it holds a referenced file object now. */
  readonly holding: () => boolean;
  /** The FileObject of each structure received, with its event. */
  readonly received: { Event: string; FileObject: unknown; Size: number }[];
}

/** Opens `link` from kernel mode as driver `name` and registers for its target-device events. */
export function monitor(
  m: Machine,
  name: string,
  link: string,
  behaviour: MonitorBehaviour = "close",
): Monitor {
  const k = m.kernel;
  const driver = m.loadDriver({ name });
  let file: ReturnType<Kernel["IoGetDeviceObjectPointer"]>["fileObject"] = undefined;
  let entry: NotificationEntry | undefined;
  const opens: number[] = [];
  const received: Monitor["received"] = [];
  const open = () => {
    const r = k.IoGetDeviceObjectPointer(link, 0x120089);
    opens.push(r.status);
    file = r.fileObject;
    if (!file) return;
    entry = k.IoRegisterPlugPlayNotification(
      EventCategoryTargetDeviceChange,
      0,
      file,
      driver,
      callback,
      null,
    ).notificationEntry;
  };
  const callback = (n: NotificationStructure): number => {
    received.push({
      Event: n.Event,
      FileObject: "FileObject" in n ? n.FileObject : undefined,
      Size: n.Size,
    });
    if (n.Event === GUID_TARGET_DEVICE_QUERY_REMOVE) {
      if (typeof behaviour === "object") return behaviour.veto;
      if (behaviour === "close" && file) {
        k.ObDereferenceObject(file);
        file = undefined;
      }
    } else if (n.Event === GUID_TARGET_DEVICE_REMOVE_CANCELLED) {
      if (!file) {
        if (entry) k.IoUnregisterPlugPlayNotificationEx(entry);
        open();
      }
    } else if (n.Event === GUID_TARGET_DEVICE_REMOVE_COMPLETE) {
      if (file) k.ObDereferenceObject(file);
      file = undefined;
      if (entry) k.IoUnregisterPlugPlayNotificationEx(entry);
      entry = undefined;
    }
    return STATUS_SUCCESS;
  };
  open();
  return {
    driver,
    target: `${name}!NotificationCallback`,
    opens,
    holding: () => file !== undefined,
    received,
  };
}
