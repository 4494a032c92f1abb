/**
 * PnP notification: IoRegisterPlugPlayNotification's three categories, their delivery (kernel
 * callbacks at PASSIVE_LEVEL from the PnP queue, one at a time, in registration order), the
 * include-existing replay, unregistration (late callbacks after the non-Ex form), target-device
 * events around removal, custom events, and hardware profile change events. User-mode applications
 * (lib/pnp/usermode.ts) are told in the documented order beside the kernel.
 *
 * @module
 */
import {
  EventCategoryDeviceInterfaceChange,
  EventCategoryHardwareProfileChange,
  EventCategoryTargetDeviceChange,
  GUID_DEVICE_INTERFACE_ARRIVAL,
  GUID_DEVICE_INTERFACE_REMOVAL,
  GUID_HWPROFILE_CHANGE_CANCELLED,
  GUID_HWPROFILE_CHANGE_COMPLETE,
  GUID_HWPROFILE_QUERY_CHANGE,
  GUID_PNP_CUSTOM_NOTIFICATION,
  GUID_TARGET_DEVICE_QUERY_REMOVE,
  GUID_TARGET_DEVICE_REMOVE_CANCELLED,
  GUID_TARGET_DEVICE_REMOVE_COMPLETE,
  IRP_MN_QUERY_DEVICE_RELATIONS,
  PNP_EVENT_GUID_NAMES,
  PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
  TargetDeviceRelation,
} from "../constants.ts";
import { runDriverRoutine } from "../io/iomgr.ts";
import {
  DeviceObject,
  type DriverObject,
  DriverObject as DriverObjectClass,
  FileObject,
} from "../io/objects.ts";
import type { Kernel } from "../kernel.ts";
import {
  NT_SUCCESS,
  ntStatusName,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_SUPPORTED,
  STATUS_PENDING,
  STATUS_SUCCESS,
} from "../ntstatus.ts";
import type { WorkQueue } from "../ke/queue.ts";
import type { System } from "../system.ts";
import { traceDescription } from "../trace/describe.ts";
import type { NotifyEvent } from "../trace/trace.ts";
import type { DevNode } from "./devnode.ts";
import { requirePdo } from "./devreg.ts";
import { type DeviceInterface, type InterfaceManager, normalizeGuid } from "./interfaces.ts";
import { PnpHangError, type RemovalNotifier, type Veto } from "./pnpmgr.ts";
import type { UserMode } from "./usermode.ts";

/**
 * The system PnP events (wdmguid.h): IoReportTargetDeviceChange refuses them as custom events. Every
 * event GUID the model names is one, except GUID_PNP_CUSTOM_NOTIFICATION, which marks custom ones.
 */
const SYSTEM_PNP_EVENTS: ReadonlySet<string> = new Set(
  Object.keys(PNP_EVENT_GUID_NAMES).filter((g) => g !== GUID_PNP_CUSTOM_NOTIFICATION),
);

/** `DRIVER_NOTIFICATION_CALLBACK_ROUTINE`. */
export type NotificationCallback = (
  NotificationStructure: NotificationStructure,
  Context: unknown,
) => number;

/** `DEVICE_INTERFACE_CHANGE_NOTIFICATION` (Size 48 on x64). */
export interface DEVICE_INTERFACE_CHANGE_NOTIFICATION {
  /** The structure's version, 1. */
  Version: number;
  /** The structure's size in bytes, the C `sizeof` on x64. */
  Size: number;
  /** `GUID_DEVICE_INTERFACE_ARRIVAL` or `GUID_DEVICE_INTERFACE_REMOVAL`. */
  Event: string;
  /** The interface class GUID. */
  InterfaceClassGuid: string;
  /** The interface's symbolic link name, for IoGetDeviceObjectPointer or user-mode opens. */
  SymbolicLinkName: string;
}
/** `HWPROFILE_CHANGE_NOTIFICATION` (Size 20). */
export interface HWPROFILE_CHANGE_NOTIFICATION {
  /** The structure's version, 1. */
  Version: number;
  /** The structure's size in bytes, the C `sizeof` on x64. */
  Size: number;
  /** `GUID_HWPROFILE_QUERY_CHANGE`, `GUID_HWPROFILE_CHANGE_CANCELLED` or `GUID_HWPROFILE_CHANGE_COMPLETE`. */
  Event: string;
}
/** `TARGET_DEVICE_REMOVAL_NOTIFICATION` (Size 32). */
export interface TARGET_DEVICE_REMOVAL_NOTIFICATION {
  /** The structure's version, 1. */
  Version: number;
  /** The structure's size in bytes, the C `sizeof` on x64. */
  Size: number;
  /** `GUID_TARGET_DEVICE_QUERY_REMOVE`, `GUID_TARGET_DEVICE_REMOVE_CANCELLED` or `GUID_TARGET_DEVICE_REMOVE_COMPLETE`. */
  Event: string;
  /** The file object the registrant passed as `EventCategoryData`. */
  FileObject: FileObject | null;
}
/** `TARGET_DEVICE_CUSTOM_NOTIFICATION` (Size 36 + the custom data's length). */
export interface TARGET_DEVICE_CUSTOM_NOTIFICATION {
  /** The structure's version, 1. */
  Version: number;
  /** The structure's size in bytes: 36 plus the custom data's length. */
  Size: number;
  /** The driver-defined custom event GUID. */
  Event: string;
  /** The file object the registrant passed as `EventCategoryData` (null from the reporting driver). */
  FileObject: FileObject | null;
  /** The offset of a string in `CustomDataBuffer`, or -1 when there is none. */
  NameBufferOffset: number;
  /** The driver-defined data. */
  CustomDataBuffer: Uint8Array;
}
/** Any notification structure; all start with PLUGPLAY_NOTIFICATION_HEADER { Version, Size, Event }. */
export type NotificationStructure =
  | DEVICE_INTERFACE_CHANGE_NOTIFICATION
  | HWPROFILE_CHANGE_NOTIFICATION
  | TARGET_DEVICE_REMOVAL_NOTIFICATION
  | TARGET_DEVICE_CUSTOM_NOTIFICATION;

/** sizeof on x64 (wdm.h). */
export const NOTIFICATION_SIZES = {
  DEVICE_INTERFACE_CHANGE_NOTIFICATION: 48,
  HWPROFILE_CHANGE_NOTIFICATION: 20,
  TARGET_DEVICE_REMOVAL_NOTIFICATION: 32,
  TARGET_DEVICE_CUSTOM_NOTIFICATION_HEADER: 36,
} as const;

const CATEGORY_NAMES: Readonly<Record<number, string>> = {
  [EventCategoryHardwareProfileChange]: "EventCategoryHardwareProfileChange",
  [EventCategoryDeviceInterfaceChange]: "EventCategoryDeviceInterfaceChange",
  [EventCategoryTargetDeviceChange]: "EventCategoryTargetDeviceChange",
};

/** The opaque NotificationEntry IoRegisterPlugPlayNotification returns. */
export class NotificationEntry {
  /** Registration number, for the trace. */
  readonly id: number;
  /** Creates an entry. */
  constructor(id: number) {
    this.id = id;
  }
  /** How the trace shows it. */
  [traceDescription](): string {
    return `NotificationEntry#${this.id}`;
  }
}

/** A kernel registration. */
export interface Registration {
  readonly entry: NotificationEntry;
  readonly category: number;
  readonly classGuid: string | null;
  readonly fileObject: FileObject | null;
  readonly node: DevNode | null;
  readonly driver: DriverObject;
  readonly callback: NotificationCallback;
  readonly context: unknown;
  readonly flags: number;
  /** "active"; "late" after the non-Ex unregister (events queued before it may still arrive); "gone". */
  state: "active" | "late" | "gone";
  /** Events queued at or before this sequence number may still be delivered to a "late" registration. */
  lateUntil: number;
  /** True while IoRegisterPlugPlayNotification is replaying existing interfaces to it. */
  replaying: boolean;
  /** Its callbacks running now (one may be waiting, for a work item say). */
  running: number;
  /** Replayed interfaces still owed their documented second delivery (a concurrent arrival pays it). */
  duplicatesPending: Set<DeviceInterface>;
  /** The trace's name for the callback, `<driver>!NotificationCallback` (computed on first delivery). */
  target?: string;
}

/** Options for the documented include-existing duplicate. */
export type DuplicateReplay = "never" | "always" | { seed: number };

/** The notification layer of one machine. */
export class Notifications implements RemovalNotifier {
  readonly #sys: System;
  readonly #queue: WorkQueue;
  readonly #interfaces: InterfaceManager;
  /** User mode (applications). */
  users: UserMode | null = null;
  /** Kernel registrations in registration order. */
  readonly registrations: Registration[] = [];
  #nextEntry = 0;
  #eventSeq = 0;
  #duplicate: DuplicateReplay;
  #random: () => number;
  /** Depth of notification callbacks running (a synchronous report from inside one deadlocks). */
  inCallback = 0;
  /** Target registrations told QUERY_REMOVE by the current query: they, and only they, hear REMOVE_CANCELLED. */
  readonly #queried: Set<Registration> = new Set();

  /** Creates the layer. */
  constructor(
    sys: System,
    queue: WorkQueue,
    interfaces: InterfaceManager,
    duplicate: DuplicateReplay = "never",
  ) {
    this.#sys = sys;
    this.#queue = queue;
    this.#interfaces = interfaces;
    this.#duplicate = duplicate;
    let state = typeof duplicate === "object" ? duplicate.seed >>> 0 || 1 : 1;
    // xorshift32: a seeded, deterministic source for the documented "might be called twice".
    this.#random = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 0x100000000;
    };
  }

  /** The kernel facade drivers get. */
  get #k(): Kernel {
    return this.#sys.kernel;
  }

  // ---- Registration ---------------------------------------------------------------------------------

  /** `IoRegisterPlugPlayNotification`. */
  register(
    EventCategory: number,
    EventCategoryFlags: number,
    EventCategoryData: unknown,
    DriverObject: DriverObject,
    CallbackRoutine: NotificationCallback,
    Context: unknown,
  ): { status: number; notificationEntry?: NotificationEntry } {
    if (!CATEGORY_NAMES[EventCategory]) return { status: STATUS_NOT_SUPPORTED };
    // Only a driver object can be referenced and named in the callbacks' frames: anything else
    // would register and break every later delivery.
    if (typeof CallbackRoutine !== "function" || !(DriverObject instanceof DriverObjectClass)) {
      return { status: STATUS_INVALID_PARAMETER };
    }
    const includeExisting =
      (EventCategoryFlags & PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES) !== 0;
    if ((EventCategoryFlags & ~PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES) !== 0) {
      return { status: STATUS_INVALID_PARAMETER };
    }
    if (includeExisting && EventCategory !== EventCategoryDeviceInterfaceChange) {
      return { status: STATUS_INVALID_PARAMETER };
    }
    let classGuid: string | null = null;
    let fileObject: FileObject | null = null;
    let node: DevNode | null = null;
    if (EventCategory === EventCategoryDeviceInterfaceChange) {
      classGuid = normalizeGuid(EventCategoryData) ?? null;
      if (!classGuid) return { status: STATUS_INVALID_PARAMETER };
    } else if (EventCategory === EventCategoryHardwareProfileChange) {
      if (EventCategoryData !== null && EventCategoryData !== undefined) {
        return { status: STATUS_INVALID_PARAMETER };
      }
    } else {
      if (!(EventCategoryData instanceof FileObject) || EventCategoryData.closed) {
        return { status: STATUS_INVALID_PARAMETER };
      }
      fileObject = EventCategoryData;
      // PnP finds the PDO with IRP_MN_QUERY_DEVICE_RELATIONS(TargetDeviceRelation) on the file object's stack.
      const target = fileObject.DeviceObject.bottom;
      const devnode = this.#sys.pnp.nodeOf(target);
      if (!devnode) return { status: STATUS_INVALID_DEVICE_REQUEST };
      const r = this.#sys.pnp.sendIrp(devnode, IRP_MN_QUERY_DEVICE_RELATIONS, {
        QueryDeviceRelations: { Type: TargetDeviceRelation },
      });
      if (!NT_SUCCESS(r.status)) return { status: r.status };
      const list = Array.isArray(r.information) ? r.information as unknown[] : [];
      for (const d of list) {
        if (d instanceof DeviceObject) d.references = Math.max(0, d.references - 1);
      }
      node = this.#sys.pnp.nodeOf(list[0]) ?? null;
      if (!node) return { status: STATUS_INVALID_DEVICE_REQUEST };
    }
    const reg: Registration = {
      entry: new NotificationEntry(++this.#nextEntry),
      category: EventCategory,
      classGuid,
      fileObject,
      node,
      driver: DriverObject,
      callback: CallbackRoutine,
      context: Context,
      flags: EventCategoryFlags,
      state: "active",
      lateUntil: 0,
      replaying: false,
      running: 0,
      duplicatesPending: new Set(),
    };
    this.registrations.push(reg);
    // "This call increments the reference count on DriverObject."
    DriverObject.references++;
    if (includeExisting) {
      reg.replaying = true;
      try {
        for (const i of this.#interfaces.byLink.values()) {
          if (i.classGuid !== classGuid || !i.enabled || !i.announced) continue;
          this.#deliver(reg, this.#interfaceStructure(i, true), "include-existing replay");
          if (this.#replayTwice()) {
            const seq = ++this.#eventSeq;
            reg.duplicatesPending.add(i);
            this.#queue.enqueue({
              name: `notify ${reg.entry.id} duplicate arrival`,
              run: () =>
                this.#sys.as(PNP_WORKER, () => {
                  // "Never more than twice": an arrival already queued when the registration
                  // replayed this interface was its second delivery.
                  if (reg.duplicatesPending.delete(i) && this.#deliverable(reg, seq)) {
                    this.#deliver(
                      reg,
                      this.#interfaceStructure(i, true),
                      "second delivery of an existing interface (documented)",
                    );
                  }
                }),
            });
          }
        }
      } finally {
        reg.replaying = false;
      }
    }
    return { status: STATUS_SUCCESS, notificationEntry: reg.entry };
  }

  #replayTwice(): boolean {
    if (this.#duplicate === "never") return false;
    if (this.#duplicate === "always") return true;
    return this.#random() < 0.5;
  }

  #find(entry: unknown): Registration | undefined {
    return this.registrations.find((r) => r.entry === entry && r.state !== "gone");
  }

  /**
   * `IoUnregisterPlugPlayNotification` (ex = false): callbacks already queued may still arrive.
   * `IoUnregisterPlugPlayNotificationEx`: none after return; from inside the include-existing replay it deadlocks.
   */
  unregister(NotificationEntry: unknown, ex: boolean): number {
    const reg = this.#find(NotificationEntry);
    if (!reg) return STATUS_INVALID_PARAMETER;
    if (reg.state === "late") {
      // Already unregistered (its driver reference released); the Ex form still guarantees that no
      // callback runs after it returns, so the late deliveries stop here.
      if (ex) reg.state = "gone";
      return STATUS_SUCCESS;
    }
    if (ex && reg.running > 0 && this.#calledFromWorkerDuringCallback(reg)) {
      // "A poorly designed callback routine that places a work item that calls
      // IoUnregisterPlugPlayNotificationEx in the work-item queue, and then waits for a worker
      // thread to complete the work item, will cause an operating system deadlock."
      throw new PnpHangError(
        `IoUnregisterPlugPlayNotificationEx(NotificationEntry#${reg.entry.id}) from a work item while its callback waits (the documented deadlock)`,
        "the unregistration waits for the callback to return, and the callback waits for the work item",
      );
    }
    if (ex && reg.replaying) {
      throw new PnpHangError(
        `IoUnregisterPlugPlayNotificationEx(NotificationEntry#${reg.entry.id}) from its own callback while ` +
          `IoRegisterPlugPlayNotification is still replaying existing interfaces (the documented deadlock)`,
        "the unregistration waits for the callback to return, and the callback waits for the unregistration",
      );
    }
    if (ex) {
      reg.state = "gone";
    } else {
      reg.state = "late";
      reg.lateUntil = this.#eventSeq;
    }
    this.#release(reg);
    return STATUS_SUCCESS;
  }

  /** A worker thread (a work item's routine) is running above one of `reg`'s callbacks. */
  #calledFromWorkerDuringCallback(reg: Registration): boolean {
    const callback = reg.driver.routineName("NotificationCallback");
    const callers = this.#sys.callers;
    for (let i = callers.length - 1; i >= 0; i--) {
      const name = callers[i]!.name;
      if (name === callback) return false;
      if (name.endsWith("!WorkItem")) return true;
    }
    return false;
  }

  #release(reg: Registration): void {
    reg.driver.references = Math.max(0, reg.driver.references - 1);
    this.#sys.pnp.driverMayUnload(reg.driver);
  }

  #deliverable(reg: Registration, seq: number): boolean {
    if (reg.state === "active") return true;
    if (reg.state === "late" && seq <= reg.lateUntil) return true;
    return false;
  }

  // ---- Delivery --------------------------------------------------------------------------------------

  /** Calls one registration's callback as its driver; returns the callback's status. */
  #deliver(reg: Registration, structure: NotificationStructure, note?: string): number {
    const sys = this.#sys;
    // This runs once per callback (a million times in bench/notify_bench.ts): the event is built
    // without spreads, which allocate, and the target name is computed once per registration.
    const target = reg.target ??= `${reg.driver.name}!NotificationCallback`;
    const event = {
      kind: "notify",
      event: structure.Event,
      eventName: PNP_EVENT_GUID_NAMES[structure.Event] ?? "custom event",
      target,
      category: CATEGORY_NAMES[reg.category]!,
    } as NotifyEvent;
    if ("SymbolicLinkName" in structure) event.symbolicLinkName = structure.SymbolicLinkName;
    if (reg.node) event.instance = reg.node.instanceId;
    if (note) event.note = note;
    sys.trace.push<NotifyEvent>(event);
    if (note?.startsWith("late callback")) {
      sys.violate(
        "PnpLateCallbackAfterUnregister",
        `${target} ran after IoUnregisterPlugPlayNotification returned; a driver that freed its context would now use freed memory`,
      );
    }
    this.inCallback++;
    reg.running++;
    let status: number;
    try {
      status = runDriverRoutine(sys, reg.driver, "NotificationCallback", () => {
        const frame = sys.caller;
        const r = reg.callback(structure, reg.context);
        if (frame.irql !== 0) {
          // Bug Check 0xCA, parameter 1 = 0xA: the callback returned at a different IRQL.
          sys.violate(
            "PnpNotificationIrql",
            `${target} returned at IRQL ${frame.irql}; notification callbacks must return at PASSIVE_LEVEL`,
            [0, frame.irql, 0],
          );
        }
        return typeof r === "number" ? r >>> 0 : STATUS_SUCCESS;
      });
    } finally {
      this.inCallback--;
      reg.running--;
    }
    event.status = status;
    event.statusName = ntStatusName(status);
    return status;
  }

  #interfaceStructure(i: DeviceInterface, arrival: boolean): DEVICE_INTERFACE_CHANGE_NOTIFICATION {
    return {
      Version: 1,
      Size: NOTIFICATION_SIZES.DEVICE_INTERFACE_CHANGE_NOTIFICATION,
      Event: arrival ? GUID_DEVICE_INTERFACE_ARRIVAL : GUID_DEVICE_INTERFACE_REMOVAL,
      InterfaceClassGuid: i.classGuid,
      SymbolicLinkName: i.symbolicLinkName,
    };
  }

  /** Queues an interface arrival or removal: kernel callbacks for the class in registration order, then applications. */
  announce(i: DeviceInterface, arrival: boolean): void {
    const seq = ++this.#eventSeq;
    const what = arrival ? "ARRIVAL" : "REMOVAL";
    this.#queue.enqueue({
      name: `notify interface ${what} ${i.symbolicLinkName}`,
      run: () =>
        this.#sys.as(PNP_WORKER, () => {
          // The announcement itself, whoever listens.
          this.#sys.trace.push({
            kind: "notify",
            event: arrival ? GUID_DEVICE_INTERFACE_ARRIVAL : GUID_DEVICE_INTERFACE_REMOVAL,
            eventName: arrival ? "GUID_DEVICE_INTERFACE_ARRIVAL" : "GUID_DEVICE_INTERFACE_REMOVAL",
            target: "(broadcast)",
            category: "EventCategoryDeviceInterfaceChange",
            symbolicLinkName: i.symbolicLinkName,
            instance: i.instanceId,
          });
          // One structure for every registrant, as the PnP manager passes one buffer (ReactOS
          // PiNotifyDeviceInterfaceChange); the callbacks receive it read-only.
          const structure = this.#interfaceStructure(i, arrival);
          for (const reg of [...this.registrations]) {
            if (
              reg.category !== EventCategoryDeviceInterfaceChange || reg.classGuid !== i.classGuid
            ) continue;
            if (!this.#deliverable(reg, seq)) continue;
            this.#deliver(
              reg,
              structure,
              reg.state === "late"
                ? "late callback after IoUnregisterPlugPlayNotification"
                : undefined,
            );
            if (arrival && reg.duplicatesPending.size) reg.duplicatesPending.delete(i);
          }
          this.users?.interfaceEvent(i, arrival);
        }),
    });
  }

  #targetStructure(reg: Registration, event: string): TARGET_DEVICE_REMOVAL_NOTIFICATION {
    return {
      Version: 1,
      Size: NOTIFICATION_SIZES.TARGET_DEVICE_REMOVAL_NOTIFICATION,
      Event: event,
      FileObject: reg.fileObject,
    };
  }

  #targets(node: DevNode): Registration[] {
    return this.registrations.filter((r) =>
      r.category === EventCategoryTargetDeviceChange && r.node === node && r.state !== "gone"
    );
  }

  // ---- RemovalNotifier --------------------------------------------------------------------------------

  /** Query-remove: applications on every device of the set first, then kernel registrants; the first failure vetoes. */
  queryRemove(nodes: DevNode[]): Veto | null {
    this.#queried.clear();
    for (const node of nodes) {
      const veto = this.users?.queryRemove(node);
      if (veto) return veto;
    }
    for (const node of nodes) {
      for (const reg of this.#targets(node)) {
        if (reg.state !== "active") continue;
        this.#queried.add(reg);
        const status = this.#deliver(
          reg,
          this.#targetStructure(reg, GUID_TARGET_DEVICE_QUERY_REMOVE),
        );
        if (!NT_SUCCESS(status)) {
          return {
            status,
            vetoType: "PNP_VetoDriver",
            by: reg.driver.DriverName,
            instance: node.instanceId,
          };
        }
      }
    }
    return null;
  }

  /**
   * REMOVE_CANCELLED: kernel registrants, then applications (which reopen). Only registrants that
   * were told QUERY_REMOVE: a callback closes its file object on the query and reopens on the
   * cancel (toastmon), so a cancel it was never queried for would make it open a second time.
   */
  removeCancelled(nodes: DevNode[]): void {
    for (const node of nodes) {
      for (const reg of this.#targets(node)) {
        if (reg.state === "active" && this.#queried.has(reg)) {
          this.#deliver(reg, this.#targetStructure(reg, GUID_TARGET_DEVICE_REMOVE_CANCELLED));
        }
      }
    }
    this.#queried.clear();
    for (const node of nodes) this.users?.removeCancelled(node);
  }

  /** REMOVE_COMPLETE: kernel registrants (before IRP_MN_REMOVE_DEVICE), then applications. */
  removeComplete(node: DevNode, surprise: boolean): void {
    for (const reg of this.#targets(node)) {
      if (reg.state === "active") {
        this.#deliver(
          reg,
          this.#targetStructure(reg, GUID_TARGET_DEVICE_REMOVE_COMPLETE),
          surprise ? "after IRP_MN_SURPRISE_REMOVAL, no query-remove came first" : undefined,
        );
      }
    }
    this.users?.removeComplete(node, surprise);
  }

  /** START completed for the whole stack: the held arrivals of its enabled interfaces go out. */
  started(node: DevNode): void {
    for (const i of this.#interfaces.ofDevice(node.instanceId)) {
      if (i.enabled && !i.announced) {
        i.announced = true;
        this.announce(i, true);
      }
    }
  }

  /** "If the driver never disables, the PnP manager disables the interface when it removes the device." */
  disableLeftovers(node: DevNode): void {
    for (const i of this.#interfaces.ofDevice(node.instanceId)) {
      if (!i.enabled) continue;
      this.#sys.trace.push({
        kind: "info",
        what: "PnP disables an interface the driver left enabled",
        detail: { symbolicLinkName: i.symbolicLinkName },
      });
      this.#interfaces.setState(i.symbolicLinkName, false, (x, a) => this.announce(x, a));
      i.disabledByPnp = true;
    }
  }

  /** The devnode left the tree: its target registrations stay (the FileObject is stale) until unregistered. */
  gone(_node: DevNode): void {}

  // ---- Custom events ------------------------------------------------------------------------------------

  /** Validates a custom TARGET_DEVICE_CUSTOM_NOTIFICATION (IoReportTargetDeviceChange's rules). */
  #validateCustom(node: DevNode | number, n: TARGET_DEVICE_CUSTOM_NOTIFICATION): number {
    if (typeof node === "number") return node;
    if (!n || typeof n !== "object") return STATUS_INVALID_PARAMETER;
    // Wine's IoReportTargetDeviceChange: Version other than 1 is STATUS_INVALID_PARAMETER.
    if (n.Version !== 1) return STATUS_INVALID_PARAMETER;
    const guid = normalizeGuid(n.Event);
    if (!guid) return STATUS_INVALID_PARAMETER;
    // "This routine is only for custom events": a system PnP event such as
    // GUID_TARGET_DEVICE_QUERY_REMOVE is STATUS_INVALID_DEVICE_REQUEST (IoReportTargetDeviceChange).
    if (SYSTEM_PNP_EVENTS.has(guid)) return STATUS_INVALID_DEVICE_REQUEST;
    if (n.FileObject) return STATUS_INVALID_PARAMETER;
    const data: unknown = n.CustomDataBuffer;
    if (data !== undefined && data !== null && !(data instanceof Uint8Array)) {
      return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
  }

  #deliverCustom(node: DevNode, n: TARGET_DEVICE_CUSTOM_NOTIFICATION): void {
    // Custom events: user-mode callbacks first, then kernel; FileObject filled per registrant.
    this.users?.customEvent(node, n);
    for (const reg of this.#targets(node)) {
      if (reg.state !== "active") continue;
      this.#deliver(reg, {
        ...n,
        Event: n.Event.toLowerCase(),
        FileObject: reg.fileObject,
        CustomDataBuffer: n.CustomDataBuffer?.slice() ?? new Uint8Array(),
      });
    }
  }

  /** `IoReportTargetDeviceChange`: synchronous; from inside a notification callback it deadlocks. */
  reportTargetDeviceChange(
    PhysicalDeviceObject: unknown,
    n: TARGET_DEVICE_CUSTOM_NOTIFICATION,
  ): number {
    const node = requirePdo(
      this.#sys,
      PhysicalDeviceObject,
      "IoReportTargetDeviceChange",
      STATUS_INVALID_DEVICE_REQUEST,
    );
    const status = this.#validateCustom(node, n);
    if (!NT_SUCCESS(status)) return status;
    if (this.inCallback > 0) {
      this.#sys.verifierFinding(
        "PnpSynchronousReportInCallback",
        "IoReportTargetDeviceChange called from inside a PnP notification callback: the PnP manager waits for itself (deadlock); use IoReportTargetDeviceChangeAsynchronous",
      );
      throw new PnpHangError(
        "IoReportTargetDeviceChange inside a notification callback (deadlock)",
        "the report waits for every callback to return, and this callback waits for the report",
      );
    }
    this.#deliverCustom(node as DevNode, n);
    return STATUS_SUCCESS;
  }

  /** `IoReportTargetDeviceChangeAsynchronous`: copies the structure, queues the delivery, returns STATUS_PENDING. */
  reportTargetDeviceChangeAsynchronous(
    PhysicalDeviceObject: unknown,
    n: TARGET_DEVICE_CUSTOM_NOTIFICATION,
    Callback: ((Context: unknown) => void) | null | undefined,
    Context: unknown,
  ): number {
    const node = requirePdo(
      this.#sys,
      PhysicalDeviceObject,
      "IoReportTargetDeviceChangeAsynchronous",
      STATUS_INVALID_DEVICE_REQUEST,
    );
    const status = this.#validateCustom(node, n);
    if (!NT_SUCCESS(status)) return status;
    if (Callback !== null && Callback !== undefined && typeof Callback !== "function") {
      return STATUS_INVALID_PARAMETER;
    }
    const copy = { ...n, CustomDataBuffer: n.CustomDataBuffer?.slice() ?? new Uint8Array() };
    const caller = this.#sys.caller;
    this.#queue.enqueue({
      name: `custom event ${n.Event} ${(node as DevNode).instanceId}`,
      run: () =>
        this.#sys.as(PNP_WORKER, () => {
          this.#deliverCustom(node as DevNode, copy);
          if (Callback && caller.driver) {
            const driver = this.#sys.io.driver(caller.driver);
            if (driver) {
              runDriverRoutine(
                this.#sys,
                driver,
                "TargetDeviceChangeCompletion",
                () => Callback(Context),
              );
            }
          } else Callback?.(Context);
        }),
    });
    return STATUS_PENDING;
  }

  // ---- Hardware profiles ----------------------------------------------------------------------------------

  /** GUID_HWPROFILE_QUERY_CHANGE: applications first, then kernel registrants; a failure vetoes. */
  profileQuery(): Veto | null {
    const v = this.users?.profileQuery();
    if (v) return v;
    for (const reg of this.#profileRegs()) {
      const status = this.#deliver(reg, {
        Version: 1,
        Size: 20,
        Event: GUID_HWPROFILE_QUERY_CHANGE,
      });
      if (!NT_SUCCESS(status)) {
        return { status, vetoType: "PNP_VetoDriver", by: reg.driver.DriverName, instance: "" };
      }
    }
    return null;
  }

  /** GUID_HWPROFILE_CHANGE_COMPLETE or _CANCELLED: kernel registrants first, then applications. */
  profileDone(complete: boolean): void {
    const event = complete ? GUID_HWPROFILE_CHANGE_COMPLETE : GUID_HWPROFILE_CHANGE_CANCELLED;
    for (const reg of this.#profileRegs()) {
      this.#deliver(reg, { Version: 1, Size: 20, Event: event });
    }
    this.users?.profileDone(complete);
  }

  #profileRegs(): Registration[] {
    return this.registrations.filter((r) =>
      r.category === EventCategoryHardwareProfileChange && r.state === "active"
    );
  }

  /** Registrations a driver still holds (the verifier reports them at unload). */
  heldBy(driver: DriverObject): Registration[] {
    return this.registrations.filter((r) => r.driver === driver && r.state === "active");
  }
}

/** The PnP manager's worker thread, where queued notifications run. */
const PNP_WORKER = {
  name: "PnP",
  driver: null,
  process: "System",
  previousMode: "KernelMode",
} as const;
