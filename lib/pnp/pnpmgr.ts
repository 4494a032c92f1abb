/**
 * The PnP manager: the device tree, enumeration on the virtual buses, driver installation and stack
 * building, START, and every way a device leaves (orderly removal with vetoes, surprise removal,
 * eject, failed start), plus stop/rebalance. PnP's asynchronous work goes through the machine's
 * work queue; IRPs are sent synchronously through IoCallDriver and waited for by settling.
 *
 * @module
 */
import {
  BusQueryCompatibleIDs,
  BusQueryContainerID,
  BusQueryDeviceID,
  BusQueryHardwareIDs,
  BusQueryInstanceID,
  BusRelations,
  CM_PROB_DISABLED,
  CM_PROB_DRIVER_FAILED_LOAD,
  CM_PROB_FAILED_ADD,
  CM_PROB_FAILED_DRIVER_ENTRY,
  CM_PROB_FAILED_INSTALL,
  CM_PROB_FAILED_START,
  CM_PROB_HELD_FOR_EJECT,
  CM_PROB_NAMES,
  CONFIGFLAG_DISABLED,
  DeviceTextDescription,
  DeviceTextLocationInformation,
  DO_BUS_ENUMERATED_DEVICE,
  DO_DEVICE_INITIALIZING,
  EjectionRelations,
  flagNames,
  IRP_MJ_PNP,
  IRP_MN_CANCEL_REMOVE_DEVICE,
  IRP_MN_CANCEL_STOP_DEVICE,
  IRP_MN_EJECT,
  IRP_MN_FILTER_RESOURCE_REQUIREMENTS,
  IRP_MN_NAMES,
  IRP_MN_QUERY_BUS_INFORMATION,
  IRP_MN_QUERY_CAPABILITIES,
  IRP_MN_QUERY_DEVICE_RELATIONS,
  IRP_MN_QUERY_DEVICE_TEXT,
  IRP_MN_QUERY_ID,
  IRP_MN_QUERY_PNP_DEVICE_STATE,
  IRP_MN_QUERY_REMOVE_DEVICE,
  IRP_MN_QUERY_RESOURCE_REQUIREMENTS,
  IRP_MN_QUERY_RESOURCES,
  IRP_MN_QUERY_STOP_DEVICE,
  IRP_MN_REMOVE_DEVICE,
  IRP_MN_START_DEVICE,
  IRP_MN_STOP_DEVICE,
  IRP_MN_SURPRISE_REMOVAL,
  MAX_DEVICE_ID_LEN,
  MAX_IDS_PER_LIST,
  PNP_DEVICE_FAILED,
  PNP_DEVICE_REMOVED,
  PNP_DEVICE_STATE_NAMES,
  REGSTR_VAL_MAX_HCID_LEN,
  RemovalRelations,
  SynchronizationEvent,
} from "../constants.ts";
import {
  BusChild,
  busDepartures,
  type DeviceSpec,
  virtualBusPdoDispatch,
} from "../bus/virtual_bus.ts";
import { buildIrp, createDriverObject, IoCallDriver, runDriverRoutine } from "../io/iomgr.ts";
import {
  DeviceObject,
  type DriverObject,
  type DriverSpec,
  FileObject,
  type Irp,
  type KEVENT,
} from "../io/objects.ts";
import {
  NT_SUCCESS,
  ntStatusName,
  STATUS_NOT_SAFE_MODE_DRIVER,
  STATUS_NOT_SUPPORTED,
  STATUS_SUCCESS,
  STATUS_TIMEOUT,
  STATUS_UNSUCCESSFUL,
} from "../ntstatus.ts";
import { RunawayQueueError, type WorkQueue } from "../queue.ts";
import type { System } from "../system.ts";
import {
  DevNode,
  type DevNodeState,
  emptyCapabilities,
  NO_STRINGS,
  notDisableableBelow,
} from "./devnode.ts";
import * as devreg from "./devreg.ts";
import { checkRemoved } from "../verifier/verifier.ts";

/** The caller frame of the PnP manager's worker. */
const PNP_FRAME = {
  name: "PnP",
  driver: null,
  process: "System",
  previousMode: "KernelMode",
} as const;

/** Thrown when the PnP manager would wait forever: an IRP never completed, or a documented deadlock. */
export class PnpHangError extends Error {
  /** Creates the error; `why` says what would wait for what. */
  constructor(
    what: string,
    why = "the IRP was never completed, so the PnP manager would wait forever",
  ) {
    super(`Cannot finish ${what}: ${why}`);
    this.name = "PnpHangError";
  }
}

/** PNP_VETO_TYPE names (cfg.h), for the trace of a vetoed removal. */
export const PNP_VETO_TYPES: Readonly<Record<string, number>> = {
  PNP_VetoTypeUnknown: 0,
  PNP_VetoLegacyDevice: 1,
  PNP_VetoPendingClose: 2,
  PNP_VetoWindowsApp: 3,
  PNP_VetoWindowsService: 4,
  PNP_VetoOutstandingOpen: 5,
  PNP_VetoDevice: 6,
  PNP_VetoDriver: 7,
  PNP_VetoIllegalDeviceRequest: 8,
  PNP_VetoInsufficientPower: 9,
  PNP_VetoNonDisableable: 10,
  PNP_VetoLegacyDriver: 11,
  PNP_VetoInsufficientRights: 12,
};

/** Who vetoed a query-remove and how. */
export interface Veto {
  status: number;
  vetoType: keyof typeof PNP_VETO_TYPES;
  by: string;
  instance: string;
}

/** The hooks the notification layer gives the PnP manager (lib/pnp/notify.ts fills them). */
export interface RemovalNotifier {
  /** Query-remove notifications to user mode, then kernel registrants; returns the first veto. */
  queryRemove(nodes: DevNode[]): Veto | null;
  /** After a cancelled query-remove: REMOVE_CANCELLED (after CANCEL_REMOVE completed). */
  removeCancelled(nodes: DevNode[]): void;
  /** REMOVE_COMPLETE for one device, before its IRP_MN_REMOVE_DEVICE (or after SURPRISE_REMOVAL). */
  removeComplete(node: DevNode, surprise: boolean): void;
  /** The device's stack has completed START: deliver held interface arrivals. */
  started(node: DevNode): void;
  /** The device is being removed: disable what its driver left enabled. */
  disableLeftovers(node: DevNode): void;
  /** The devnode left the tree. */
  gone(node: DevNode): void;
}

/** The PnP manager of one machine. */
export class PnpManager {
  readonly #sys: System;
  readonly #queue: WorkQueue;
  /** `\Driver\PnpManager`: owns the root enumerator's PDOs. */
  readonly pnpDriver: DriverObject;
  /** The root devnode, HTREE\ROOT\0. */
  readonly root: DevNode;
  /** The root enumerator's bus: root-enumerated hardware. */
  readonly rootBus: BusChild;
  /** Present devnodes by upper-cased instance ID. */
  readonly byInstance: Map<string, DevNode> = new Map();
  /** The notification layer. */
  notifier: RemovalNotifier = {
    queryRemove: () => null,
    removeCancelled: () => {},
    removeComplete: () => {},
    started: () => {},
    disableLeftovers: () => {},
    gone: () => {},
  };
  /** Called after a device is installed for the first time (RunOnce runs then). */
  onInstalled: () => void = () => {};

  /** Creates the PnP manager with the root devnode. */
  constructor(sys: System, queue: WorkQueue, rootBus?: BusChild) {
    this.#sys = sys;
    this.#queue = queue;
    this.pnpDriver = createDriverObject({ name: "PnpManager" });
    this.pnpDriver.loaded = true;
    this.pnpDriver.MajorFunction[IRP_MJ_PNP] = virtualBusPdoDispatch;
    this.rootBus = rootBus ?? new BusChild({ hardwareIds: ["HTREE\\ROOT"] }, "0", null);
    const pdo = new DeviceObject(
      this.pnpDriver,
      null,
      0x2a,
      0,
      DO_BUS_ENUMERATED_DEVICE,
      ++sys.io.deviceSerial,
    );
    pdo.role = "PDO";
    pdo.DeviceExtension.busChild = this.rootBus;
    this.rootBus.pdo = pdo;
    this.root = new DevNode("HTREE\\ROOT\\0", pdo, null);
    this.root.state = "Started";
    this.root.startCompleted = true;
    pdo.devnode = this.root;
    this.byInstance.set("HTREE\\ROOT\\0", this.root);
    sys.instanceOf = (d) => (d.devnode instanceof DevNode ? d.devnode.instanceId : "");
    // After a reboot the hardware is the same: learn the instance IDs it already holds.
    const learn = (bus: BusChild) => {
      for (const c of bus.children) {
        this.#recordInstanceId(c);
        learn(c);
      }
    };
    learn(this.rootBus);
  }

  // ---- Helpers ------------------------------------------------------------------------------------

  /** The devnode of a PDO PnP was told about, or undefined. */
  nodeOf(device: unknown): DevNode | undefined {
    return device instanceof DeviceObject && device.devnode instanceof DevNode
      ? device.devnode
      : undefined;
  }

  /** A present devnode by instance ID (case-insensitive). */
  find(instanceId: string): DevNode | undefined {
    return this.byInstance.get(instanceId.toUpperCase());
  }

  /** Every present devnode, in tree order (pre-order). */
  all(): DevNode[] {
    return [this.root, ...this.root.descendants()];
  }

  /** The driver object that owns a bus's child PDOs: the parent's function driver, else PnpManager. */
  busDriverFor(bus: BusChild): DriverObject {
    if (bus === this.rootBus) return this.pnpDriver;
    const parent = bus.pdo ? this.nodeOf(bus.pdo) : undefined;
    const service = parent?.service ? this.#sys.io.driver(parent.service) : undefined;
    const driver = service ?? this.pnpDriver;
    // Whatever driver owns them, the model's bus answers for virtual-bus PDOs.
    return driver;
  }

  #setState(node: DevNode, to: DevNodeState, problem?: number): void {
    const from = node.state;
    node.state = to;
    if (problem !== undefined) node.problem = problem;
    this.#sys.trace.push({
      kind: "state",
      instance: node.instanceId,
      from,
      to,
      ...(node.problem ? { problem: CM_PROB_NAMES[node.problem] ?? String(node.problem) } : {}),
    });
  }

  #enqueue(name: string, run: () => void): void {
    this.#queue.enqueue({ name, run: () => this.#sys.as(PNP_FRAME, run) });
  }

  /**
   * While a thread waits (PnP for a pending IRP, a driver in KeWaitForSingleObject), the other
   * threads run: queued actions, one at a time, until `done()` holds. False when the queue ran dry
   * first (nothing left could end the wait).
   */
  runQueuedUntil(done: () => boolean): boolean {
    let count = 0;
    while (!done()) {
      // The PnP thread is the one waiting, so its own work waits too; the system worker threads
      // (drivers' work items) run.
      const action = this.#queue.shiftWorker();
      if (!action) return false;
      if (++count > this.#queue.limit) throw new RunawayQueueError(action.name, count - 1);
      this.#sys.clock++;
      action.run();
    }
    return true;
  }

  /**
   * `KeWaitForSingleObject` on an event: signaled, the wait is satisfied at once (a synchronization
   * event resets); otherwise the other threads run until one sets it. A zero timeout only polls; a
   * finite one elapses once nothing is left to run (STATUS_TIMEOUT); with no timeout, an event
   * nothing can set any more is a hang (PnpHangError), as the thread would wait forever.
   */
  waitForEvent(event: KEVENT, timeout: number | bigint | null): number {
    const zero = timeout === 0 || timeout === 0n;
    if (!event.signaled && !zero) this.runQueuedUntil(() => event.signaled);
    if (!event.signaled) {
      if (timeout === null) {
        throw new PnpHangError(
          `KeWaitForSingleObject on KEVENT#${event.id}`,
          "nothing left to run sets the event, so the thread would wait forever",
        );
      }
      return STATUS_TIMEOUT;
    }
    if (event.Type === SynchronizationEvent) event.signaled = false;
    return STATUS_SUCCESS;
  }

  /** Puts a system worker thread's job (a driver's work item) on the one work queue, after what is there. */
  enqueueWork(name: string, run: () => void): void {
    this.#queue.enqueue({ name, run, worker: true });
  }

  /**
   * Sends an IRP (PnP unless `major` says otherwise) to the top of a device's stack, or `target`, and
   * waits for it: while it is pending, the queue is settled. Runs as the PnP manager unless `frame`
   * names another caller (an application's open runs in its process).
   */
  sendIrp(
    node: DevNode,
    minor: number,
    parameters: Record<string, Record<string, unknown>> = {},
    options: {
      target?: DeviceObject;
      major?: number;
      fileObject?: FileObject | null;
      preset?: number;
      frame?: { name: string; process: string };
    } = {},
  ): { status: number; information: unknown; irp: Irp } {
    const sys = this.#sys;
    const frame = options.frame
      ? {
        name: options.frame.name,
        driver: null,
        process: options.frame.process,
        previousMode: "UserMode" as const,
      }
      : PNP_FRAME;
    return sys.as(frame, () => {
      const target = options.target ?? node.top;
      const major = options.major ?? IRP_MJ_PNP;
      const irp = buildIrp(
        sys,
        target,
        major,
        minor,
        parameters,
        options.preset ?? STATUS_NOT_SUPPORTED,
        options.fileObject ?? null,
      );
      IoCallDriver(sys, target, irp);
      if (!this.runQueuedUntil(() => irp.completed)) {
        throw new PnpHangError(
          `${major === IRP_MJ_PNP ? IRP_MN_NAMES[minor] : "an I/O request"} for ${node.instanceId}`,
        );
      }
      return { status: irp.IoStatus.Status, information: irp.IoStatus.Information, irp };
    });
  }

  /** Unloads a driver whose last device is gone and that no notification registration holds (DriverUnload runs). */
  driverMayUnload(driver: DriverObject): void {
    if (
      driver.loaded && driver.hadDevices && driver.devices.length === 0 && driver.references > 0 &&
      !driver.leakReported
    ) {
      driver.leakReported = true;
      this.#sys.violate(
        "PnpNotificationLeak",
        `${driver.DriverName}'s last device is gone but it still holds ${driver.references} notification registration(s), so it cannot unload`,
      );
    }
    if (
      !driver.loaded || driver === this.pnpDriver || driver.devices.length > 0 ||
      driver.references > 0 || driver.workItemsQueued > 0
    ) return;
    if (!driver.hadDevices) return;
    const unload = driver.DriverUnload;
    if (unload) {
      runDriverRoutine(this.#sys, driver, "DriverUnload", () => unload(this.#sys.kernel, driver));
    }
    driver.loaded = false;
    driver.hadDevices = false;
    driver.leakReported = false;
    for (const [handle, entry] of this.#sys.keyHandles.entries()) {
      if (entry.driver === driver.name) {
        this.#sys.violate(
          "KeyHandleLeakAtUnload",
          `${driver.DriverName} unloaded with key handle ${handle} (from ${entry.routine}) open`,
        );
      }
    }
    this.#sys.trace.push({
      kind: "info",
      what: "unload driver",
      detail: { driver: driver.DriverName },
    });
  }

  /** Loads a driver again for a new device after it was unloaded (DriverEntry runs again). */
  #reload(driver: DriverObject): boolean {
    const entry = driver.spec.DriverEntry?.bind(driver.spec);
    const registryPath = `\\Registry\\Machine\\System\\CurrentControlSet\\Services\\${driver.name}`;
    this.#sys.trace.push({
      kind: "info",
      what: "load driver",
      detail: { driver: driver.DriverName, registryPath },
    });
    const status = entry
      ? runDriverRoutine(
        this.#sys,
        driver,
        "DriverEntry",
        () => entry(this.#sys.kernel, driver, registryPath),
      )
      : STATUS_SUCCESS;
    driver.loaded = NT_SUCCESS(status);
    return driver.loaded;
  }

  // ---- Enumeration ------------------------------------------------------------------------------------

  /** Counts BusRelations answers, to stamp the children each one reported. */
  #enumerations = 0;

  /** Queues an enumeration of a device's children (IoInvalidateDeviceRelations(BusRelations)). */
  requestEnumeration(node: DevNode): void {
    if (node.enumerationQueued) return;
    node.enumerationQueued = true;
    this.#enqueue(`enumerate ${node.instanceId}`, () => this.enumerate(node));
  }

  /** Asks a started device for its BusRelations and reconciles the tree with the answer. */
  enumerate(node: DevNode): void {
    node.enumerationQueued = false;
    if (node.state !== "Started" || !this.byInstance.has(node.instanceId.toUpperCase())) return;
    const r = this.sendIrp(node, IRP_MN_QUERY_DEVICE_RELATIONS, {
      QueryDeviceRelations: { Type: BusRelations },
    });
    if (!NT_SUCCESS(r.status)) return;
    const list = Array.isArray(r.information) ? r.information as unknown[] : [];
    // One pass over the answer (a bus with thousands of children is listed in full every time):
    // stamp the children PnP knows, collect the new PDOs.
    const fresh: DeviceObject[] = [];
    const stamp = ++this.#enumerations;
    let listed = 0;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (!(entry instanceof DeviceObject)) {
        this.#sys.violate(
          "PnpNullRelation",
          `${node.instanceId}'s BusRelations contains a NULL or non-device entry`,
          [0, 0, 0],
        );
        continue;
      }
      if (entry.deleted) {
        this.#sys.violate(
          "PnpDeletedPdoReported",
          `A deleted PDO was reported in ${node.instanceId}'s BusRelations`,
          [entry.serial, 0, 0],
        );
      }
      // PnP releases the reference the bus driver took for the relations list.
      if (entry.references > 0) entry.references--;
      const known = entry.devnode;
      if (known instanceof DevNode) {
        // Only the children still in the tree count: a devnode that left it keeps its parent.
        if (known.reportedStamp !== stamp && known.parent === node && known.state !== "Absent") {
          listed++;
        }
        known.reportedStamp = stamp;
        if (!known.reported) known.reported = true;
      } else fresh.push(entry);
    }
    // Every child listed: nobody left (the common case, which needs no second pass).
    if (listed !== node.children.length) {
      for (const child of node.children.filter((c) => c.reportedStamp !== stamp)) {
        this.deviceGone(child);
      }
    }
    for (const pdo of fresh) {
      if (!(pdo.devnode instanceof DevNode)) this.#identify(node, pdo);
    }
  }

  /** Queries a new PDO's IDs, capabilities and text, builds its instance ID and writes its Enum key. */
  #identify(parent: DevNode, pdo: DeviceObject): void {
    const sys = this.#sys;
    pdo.Flags |= DO_BUS_ENUMERATED_DEVICE;
    pdo.role = "PDO";
    // A provisional devnode so the IRPs are attributed; it becomes real once the instance ID is known.
    const node = new DevNode("", pdo, parent);
    const firstSeq = sys.trace.count + 1;
    const queryId = (IdType: number) =>
      this.sendIrp(node, IRP_MN_QUERY_ID, { QueryId: { IdType } }, { target: pdo.top });
    const deviceIdR = queryId(BusQueryDeviceID);
    const deviceId = typeof deviceIdR.information === "string" ? deviceIdR.information : "";
    this.#validateId(pdo, deviceId, 1, true);
    const caps = emptyCapabilities();
    this.sendIrp(node, IRP_MN_QUERY_CAPABILITIES, { DeviceCapabilities: { Capabilities: caps } }, {
      target: pdo.top,
    });
    const instR = queryId(BusQueryInstanceID);
    const instanceId = typeof instR.information === "string" ? instR.information : "";
    this.#validateId(pdo, instanceId, 2, false);
    const hw = queryId(BusQueryHardwareIDs).information;
    const compat = queryId(BusQueryCompatibleIDs).information;
    const hardwareIds = Array.isArray(hw) ? hw as string[] : [];
    const compatibleIds = Array.isArray(compat) ? compat as string[] : [];
    for (const id of hardwareIds) this.#validateId(pdo, id, 3, false);
    for (const id of compatibleIds) this.#validateId(pdo, id, 4, false);
    this.#validateIdList(pdo, hardwareIds, 3);
    this.#validateIdList(pdo, compatibleIds, 4);
    const text = (type: number) => {
      const t = this.sendIrp(node, IRP_MN_QUERY_DEVICE_TEXT, {
        QueryDeviceText: { DeviceTextType: type, LocaleId: 0x409 },
      }, {
        target: pdo.top,
      });
      return typeof t.information === "string" ? t.information : "";
    };
    const description = text(DeviceTextDescription);
    const location = text(DeviceTextLocationInformation);
    // The rest of what PnP asks a new PDO ("Adding a PnP Device to a Running System", step 4): its
    // container, bus information and resources. A PDO that has none answers STATUS_NOT_SUPPORTED.
    const container = queryId(BusQueryContainerID);
    const containerId = NT_SUCCESS(container.status) && typeof container.information === "string"
      ? container.information
      : "";
    this.sendIrp(node, IRP_MN_QUERY_BUS_INFORMATION, {}, { target: pdo.top });
    this.sendIrp(node, IRP_MN_QUERY_RESOURCES, {}, { target: pdo.top });
    this.sendIrp(node, IRP_MN_QUERY_RESOURCE_REQUIREMENTS, {}, { target: pdo.top });

    let instancePart = instanceId;
    if (!caps.UniqueID) {
      // "If UniqueID is FALSE, PnP adds parent information to the instance ID" (Instance IDs): the
      // parent's ParentIdPrefix, kept in its Enum key.
      const prefix = devreg.parentIdPrefix(sys, parent);
      instancePart = instanceId ? `${prefix}&${instanceId}` : prefix;
    }
    const full = `${deviceId}\\${instancePart}`;
    const limit = caps.UniqueID ? 199 : 172;
    if (full.length >= MAX_DEVICE_ID_LEN || deviceId.length + instanceId.length >= limit) {
      sys.violate(
        "PnpInvalidId",
        `Device instance ID '${full}' is too long`,
        [pdo.serial, 0, 2],
        pdo,
      );
    }
    const existing = this.find(full);
    if (existing) {
      sys.violate(
        "PnpDuplicatePdo",
        `Duplicate PDO: '${full}' was reported twice`,
        [pdo.serial, existing.pdo.serial, 0],
        pdo,
      );
    }
    node.instanceId = full;
    // The identification IRPs went out before the instance ID was known; attribute them now.
    for (let i = sys.trace.events.length - 1; i >= 0; i--) {
      const e = sys.trace.events[i]!;
      if (e.seq < firstSeq) break;
      if (e.kind === "irp" && e.instance === "") e.instance = full;
    }
    node.deviceId = deviceId;
    node.capabilities = caps;
    node.hardwareIds = hardwareIds.length ? hardwareIds : NO_STRINGS;
    node.compatibleIds = compatibleIds.length ? compatibleIds : NO_STRINGS;
    node.description = description;
    node.location = location;
    node.containerId = containerId;
    pdo.devnode = node;
    parent.addChild(node);
    this.byInstance.set(full.toUpperCase(), node);
    devreg.writeEnumKey(sys, node);
    sys.trace.push({ kind: "state", instance: full, from: "Absent", to: "Enumerated" });
    this.#enqueue(`configure ${full}`, () => this.configure(node));
  }

  /** IDs may hold only 0x20-0x2B and 0x2D-0x7F (no comma); a device ID needs one `\`, an instance ID none. */
  #validateId(pdo: DeviceObject, id: string, kind: 1 | 2 | 3 | 4, isDeviceId: boolean): void {
    const bad = [...id].some((c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 || code > 0x7f || code === 0x2c;
    });
    const slashes = id.split("\\").length - 1;
    const shape = isDeviceId ? slashes !== 1 : kind === 2 ? slashes !== 0 : slashes > 1;
    if (bad || shape || id.length >= MAX_DEVICE_ID_LEN || (isDeviceId && id === "")) {
      const which = ["", "DeviceID", "InstanceID", "HardwareIDs", "CompatibleIDs"][kind];
      this.#sys.violate(
        "PnpInvalidId",
        `Invalid ${which} '${id}' from ${pdo}: IDs allow only characters 0x20-0x2B and 0x2D-0x7F` +
          (isDeviceId ? " and exactly one '\\'" : kind === 2 ? " and no '\\'" : ""),
        [pdo.serial, 0, kind],
        pdo,
      );
    }
  }

  /**
   * A hardware or compatible ID list within its documented size: at most 64 IDs and
   * REGSTR_VAL_MAX_HCID_LEN characters with every NUL ("Hardware IDs", "Compatible IDs").
   */
  #validateIdList(pdo: DeviceObject, ids: readonly string[], kind: 3 | 4): void {
    let chars = 1; // the final NUL
    for (const id of ids) chars += id.length + 1;
    if (ids.length <= MAX_IDS_PER_LIST && chars <= REGSTR_VAL_MAX_HCID_LEN) return;
    const which = kind === 3 ? "HardwareIDs" : "CompatibleIDs";
    this.#sys.violate(
      "PnpInvalidId",
      `Invalid ${which} list from ${pdo}: ${ids.length} IDs, ${chars} characters with their NULs ` +
        `(at most ${MAX_IDS_PER_LIST} IDs and ${REGSTR_VAL_MAX_HCID_LEN} characters)`,
      [pdo.serial, 0, kind],
      pdo,
    );
  }

  /** Installs drivers for a new device, builds its stack (AddDevice) and starts it. */
  configure(node: DevNode): void {
    const sys = this.#sys;
    if (
      !this.byInstance.has(node.instanceId.toUpperCase()) ||
      node.state !== "Enumerated" && node.state !== "Removed"
    ) {
      return;
    }
    const configFlags = devreg.configFlags(sys, node);
    if (configFlags & CONFIGFLAG_DISABLED) {
      this.#setState(node, "Removed", CM_PROB_DISABLED);
      return;
    }
    node.problem = 0;
    const match = devreg.matchDriver(sys, node);
    if (!match && !node.capabilities.RawDeviceOK) {
      this.#setState(node, node.state, CM_PROB_FAILED_INSTALL);
      return;
    }
    const firstInstall = match ? devreg.install(sys, node, match) : false;
    const filters = devreg.filters(sys, node);
    const services = [...filters.lower, ...(match ? [match.name] : []), ...filters.upper];
    const drivers: DriverObject[] = [];
    for (const name of services) {
      const d = sys.io.driver(name);
      if (d && !d.loaded && NT_SUCCESS(d.entryStatus) && d.wasLoaded) this.#reload(d);
      if (!d || !d.loaded) {
        sys.trace.push({
          kind: "info",
          what: "driver not loaded",
          detail: { service: name, instance: node.instanceId },
        });
        // DriverEntry ran and failed: CM_PROB_FAILED_DRIVER_ENTRY; never loaded (a safe boot skips
        // it, or it is missing): CM_PROB_DRIVER_FAILED_LOAD.
        const entryFailed = d !== undefined && d.entryRan && !NT_SUCCESS(d.entryStatus);
        if (d && !NT_SUCCESS(d.entryStatus)) node.problemStatus = d.entryStatus;
        this.#setState(
          node,
          node.state,
          entryFailed ? CM_PROB_FAILED_DRIVER_ENTRY : CM_PROB_DRIVER_FAILED_LOAD,
        );
        return;
      }
      drivers.push(d);
    }
    node.service = match?.name ?? null;
    node.lowerFilters = filters.lower.length ? filters.lower : NO_STRINGS;
    node.upperFilters = filters.upper.length ? filters.upper : NO_STRINGS;
    this.#setState(node, "DriversInitialized");
    const k = sys.kernel;
    for (const [i, driver] of drivers.entries()) {
      const before = node.top;
      const add = driver.DriverExtension.AddDevice;
      if (!add) continue;
      const status = runDriverRoutine(sys, driver, "AddDevice", () => add(k, driver, node.pdo));
      for (let d: DeviceObject | null = before.AttachedDevice; d; d = d.AttachedDevice) {
        d.role ??= driver.name === node.service && i === filters.lower.length ? "FDO" : "filter";
      }
      if (!NT_SUCCESS(status)) {
        sys.trace.push({
          kind: "info",
          what: "AddDevice failed",
          detail: { driver: driver.name, status: ntStatusName(status) },
        });
        node.problemStatus = status;
        if (node.top !== node.pdo) this.#sendRemove(node);
        this.#setState(node, "Removed", CM_PROB_FAILED_ADD);
        return;
      }
    }
    for (let d: DeviceObject | null = node.pdo; d; d = d.AttachedDevice) {
      if (d !== node.pdo && d.Flags & DO_DEVICE_INITIALIZING) {
        sys.violate(
          "DeviceInitializing",
          `${d} still has DO_DEVICE_INITIALIZING after AddDevice returned`,
        );
      }
    }
    this.#setState(node, "Added");
    // Step 5: the stack may adjust the requirements before PnP assigns resources and starts it.
    this.sendIrp(node, IRP_MN_FILTER_RESOURCE_REQUIREMENTS, {
      FilterResourceRequirements: { IoResourceRequirementList: null },
    });
    this.start(node, firstInstall);
  }

  /** Sends IRP_MN_START_DEVICE; on success the device is Started, its held arrivals go out and its children are enumerated. */
  start(node: DevNode, firstInstall = false): void {
    const r = this.sendIrp(node, IRP_MN_START_DEVICE, {
      StartDevice: { AllocatedResources: null, AllocatedResourcesTranslated: null },
    });
    if (!NT_SUCCESS(r.status)) {
      // "A failed START leads to REMOVE (Win2000+), and the devnode is marked failed start."
      node.problemStatus = r.status;
      this.#sendRemove(node);
      this.#setState(node, "Removed", CM_PROB_FAILED_START);
      return;
    }
    node.startCompleted = true;
    node.removalInProgress = false;
    this.#setState(node, "Started", 0);
    this.notifier.started(node);
    this.sendIrp(node, IRP_MN_QUERY_CAPABILITIES, {
      DeviceCapabilities: { Capabilities: { ...node.capabilities } },
    });
    this.queryPnpDeviceState(node);
    if (this.nodeOf(node.pdo) && node.state === "Started") this.requestEnumeration(node);
    if (firstInstall) this.onInstalled();
  }

  /** IRP_MN_QUERY_PNP_DEVICE_STATE: records the flags; PNP_DEVICE_FAILED or _REMOVED starts a removal. */
  queryPnpDeviceState(node: DevNode): void {
    const r = this.sendIrp(node, IRP_MN_QUERY_PNP_DEVICE_STATE);
    const flags = NT_SUCCESS(r.status) && typeof r.information === "number" ? r.information : 0;
    if (flags !== node.pnpDeviceState) {
      this.#sys.trace.push({
        kind: "info",
        what: "PNP_DEVICE_STATE",
        detail: {
          instance: node.instanceId,
          flags: flagNames(PNP_DEVICE_STATE_NAMES, flags),
        },
      });
    }
    node.pnpDeviceState = flags;
    if (flags & (PNP_DEVICE_FAILED | PNP_DEVICE_REMOVED)) {
      this.#enqueue(
        `remove failed device ${node.instanceId}`,
        () => this.#surpriseRemoveTree(node, false),
      );
    }
  }

  // ---- Leaving ----------------------------------------------------------------------------------------

  #sendRemove(node: DevNode): void {
    const stack: DeviceObject[] = [];
    for (let d: DeviceObject | null = node.top; d; d = d.lower) stack.push(d);
    this.sendIrp(node, IRP_MN_REMOVE_DEVICE);
    if (this.#sys.options.verifier !== "off") checkRemoved(this.#sys, stack);
    node.startCompleted = false;
    this.notifier.disableLeftovers(node);
  }

  /** IoDeleteDevice of a PDO its bus still reports is Driver Verifier's 0xC9 0x221. */
  checkPdoDeletion(device: DeviceObject): void {
    const node = this.nodeOf(device);
    if (node && node.pdo === device && node.reported && node.state !== "Absent") {
      this.#sys.violate(
        "PnpPdoDeletedWhileReported",
        `${device.DriverObject.name} deleted the PDO of ${node.instanceId} while its bus still reports it in BusRelations`,
        [device.serial, 0, 0],
      );
    }
  }

  /** A child is no longer in its bus's BusRelations: surprise removal if it had drivers, then REMOVE once handles close. */
  deviceGone(node: DevNode): void {
    node.reported = false;
    this.#surpriseRemoveTree(node, true);
  }

  /**
   * Surprise removal of a subtree, children first: IRP_MN_SURPRISE_REMOVAL to every device that had
   * a stack, then REMOVE to each once its handles are closed and its children are gone. `gone` says
   * the device itself left its bus (its devnode leaves the tree); otherwise it failed while still
   * present (PNP_DEVICE_FAILED, a failed restart) and stays, removed, while its children go with
   * their bus. Interfaces the drivers left enabled stay so until REMOVE, when PnP disables them
   * ("Enabling and Disabling a Device Interface Instance").
   */
  #surpriseRemoveTree(node: DevNode, gone: boolean): void {
    const order = [...node.descendants()].reverse();
    order.push(node);
    for (const n of order) {
      if (n.state === "Absent") continue;
      n.removal = n !== node ? "withBus" : gone ? "gone" : "stays";
      const hadStack = n.top !== n.pdo || n.state === "Started" || n.state === "Stopped";
      if (hadStack && n.state !== "Removed" && n.state !== "SurpriseRemoved") {
        n.removalInProgress = true;
        this.sendIrp(n, IRP_MN_SURPRISE_REMOVAL);
        this.#setState(n, "SurpriseRemoved");
        this.notifier.removeComplete(n, true);
      }
    }
    for (const n of order) this.#finishRemoval(n);
  }

  /**
   * Sends the final REMOVE once no handle is open and every child is gone. Then, as `node.removal`
   * says: the devnode leaves the tree (its device left), its bus deletes its PDO (its parent is being
   * removed while the hardware stays), or it stays in the tree, removed.
   */
  #finishRemoval(node: DevNode): void {
    if (node.state === "Absent") return;
    if (node.opens.size > 0 || node.children.some((c) => c.state !== "Absent")) {
      if (!node.removeWaitsForHandles) {
        node.removeWaitsForHandles = true;
        this.#sys.trace.push({
          kind: "info",
          what: "REMOVE waits for open handles",
          detail: { instance: node.instanceId, opens: node.opens.size },
        });
      }
      return;
    }
    node.removeWaitsForHandles = false;
    const removal = node.removal;
    node.removal = null;
    this.#sendRemove(node);
    if (removal === "withBus") {
      this.#setState(node, "Removed");
      this.#deleteChildPdo(node);
      return;
    }
    if (removal === "gone" || !node.pdo.deleted) this.#setState(node, "Removed");
    if (removal === "gone") this.#leaveTree(node);
  }

  #leaveTree(node: DevNode): void {
    const parent = node.parent;
    parent?.removeChild(node);
    this.byInstance.delete(node.instanceId.toUpperCase());
    this.#setState(node, "Absent");
    this.notifier.gone(node);
    if (parent?.removeWaitsForHandles) this.#finishRemoval(parent);
  }

  /** The last open of a device closed: a REMOVE that was waiting goes out now (queued). */
  opensClosed(node: DevNode): void {
    if (node.removeWaitsForHandles && node.opens.size === 0) {
      this.#enqueue(`remove ${node.instanceId}`, () => this.#finishRemoval(node));
    }
  }

  /** A removed bus's child: its bus driver deletes the PDO and the devnode leaves the tree. */
  #deleteChildPdo(n: DevNode): void {
    const pdo = n.pdo;
    const record = busChildOfPdo(pdo);
    if (record) {
      record.pdo = null;
      record.reportedMissing = false;
    }
    n.reported = false;
    if (!pdo.deleted) {
      runDriverRoutine(
        this.#sys,
        pdo.DriverObject,
        "DispatchPnp",
        () => this.#sys.kernel.IoDeleteDevice(pdo),
      );
    }
    this.#leaveTree(n);
  }

  /**
   * The devices a query-remove covers: the device, its descendants, and the subtrees of its
   * removal relations; an eject adds its ejection relations ("The PnP manager queries for
   * RemovalRelations and EjectionRelations before it ejects a device", IRP_MN_QUERY_DEVICE_RELATIONS).
   */
  removalSet(node: DevNode, relations: readonly number[] = [RemovalRelations]): DevNode[] {
    const set: DevNode[] = [];
    const seen = new Set<DevNode>();
    const add = (n: DevNode) => {
      if (seen.has(n)) return;
      seen.add(n);
      set.push(n);
      for (const c of n.children) add(c);
    };
    add(node);
    // Every device that goes is asked for its removal relations, which go too, with their
    // descendants, and are asked in turn (ReactOS IopPrepareDeviceForRemoval, wine-reactos.md
    // 12.3: "each removal relation is recursively query-removed, then each child"). Only the
    // device being ejected is asked for EjectionRelations (IRP_MN_QUERY_DEVICE_RELATIONS).
    for (let i = 0; i < set.length; i++) {
      const n = set[i]!;
      if (n.state !== "Started") continue;
      for (const relation of n === node ? relations : [RemovalRelations]) {
        const r = this.sendIrp(n, IRP_MN_QUERY_DEVICE_RELATIONS, {
          QueryDeviceRelations: { Type: relation },
        });
        if (NT_SUCCESS(r.status) && Array.isArray(r.information)) {
          for (const d of r.information as unknown[]) {
            const rel = this.nodeOf(d);
            if (d instanceof DeviceObject) d.references = Math.max(0, d.references - 1);
            if (rel) add(rel);
          }
        }
      }
    }
    return set;
  }

  /**
   * Orderly removal ("safely remove"): query-remove notifications (user mode, then kernel) and
   * QUERY_REMOVE IRPs over the whole set, children first; any veto, or an open handle left after the
   * notifications, cancels every device already queried. Otherwise REMOVE_COMPLETE and REMOVE go
   * out, children before parents.
   */
  queryAndRemove(
    node: DevNode,
    options: { eject?: boolean; disable?: boolean } = {},
  ): { status: number; veto?: Veto } {
    const sys = this.#sys;
    const blocker = options.disable ? notDisableableBelow(node) : undefined;
    if (blocker) {
      // PNP_DEVICE_NOT_DISABLEABLE on the device or below it: the disable is refused before anyone
      // is asked (IRP_MN_QUERY_PNP_DEVICE_STATE; PNP_VETO_TYPE's PNP_VetoNonDisableable).
      const veto: Veto = {
        status: STATUS_UNSUCCESSFUL,
        vetoType: "PNP_VetoNonDisableable",
        by: `driver stack of ${blocker.instanceId}`,
        instance: blocker.instanceId,
      };
      sys.trace.push({
        kind: "info",
        what: "disable vetoed",
        detail: { ...veto, statusName: ntStatusName(veto.status) },
      });
      return { status: veto.status, veto };
    }
    const set = this.removalSet(
      node,
      options.eject ? [RemovalRelations, EjectionRelations] : [RemovalRelations],
    );
    const order = set.filter((n) => n.state !== "Absent").sort((a, b) => b.level - a.level);
    const veto = this.notifier.queryRemove(order);
    if (veto) return this.#cancel(order, [], veto);
    const queried: DevNode[] = [];
    const previous = new Map<DevNode, DevNodeState>();
    for (const n of order) {
      if (n.state !== "Started" && n.state !== "Stopped") continue;
      previous.set(n, n.state);
      queried.push(n);
      const r = this.sendIrp(n, IRP_MN_QUERY_REMOVE_DEVICE);
      if (!NT_SUCCESS(r.status)) {
        return this.#cancel(order, queried, {
          status: r.status,
          vetoType: "PNP_VetoDevice",
          by: `driver stack of ${n.instanceId}`,
          instance: n.instanceId,
        }, previous);
      }
      n.removalInProgress = true;
      this.#setState(n, "RemovePending");
    }
    // "Open handles are tracked by the OS, which fails the query itself if handles remain."
    const open = order.find((n) => n.opens.size > 0);
    if (open) {
      const holders = [...open.opens].map((f) => f.openedBy).join(", ");
      return this.#cancel(order, queried, {
        status: STATUS_UNSUCCESSFUL,
        vetoType: "PNP_VetoOutstandingOpen",
        by: holders,
        instance: open.instanceId,
      }, previous);
    }
    for (const n of order) {
      this.notifier.removeComplete(n, false);
      if (n.state === "Absent") continue;
      this.#sendRemove(n);
      this.#setState(n, "Removed", options.disable && n === node ? CM_PROB_DISABLED : 0);
      n.removalInProgress = false;
    }
    // The removed devices' own children go with their bus: the bus driver deletes their PDOs when
    // its FDO is removed ("Removing a device in a function driver", step 1; the toaster bus destroys
    // its remaining children), and their devnodes leave the tree. The hardware stays plugged in, so
    // a restarted bus reports them again with new PDOs.
    for (const n of order) {
      if (n === node || n.state === "Absent" || !isBelow(n, node)) continue;
      this.#deleteChildPdo(n);
    }
    sys.trace.push({
      kind: "info",
      what: "removal complete",
      detail: { instance: node.instanceId },
    });
    return { status: STATUS_SUCCESS };
  }

  #cancel(
    order: DevNode[],
    queried: DevNode[],
    veto: Veto,
    previous: Map<DevNode, DevNodeState> = new Map(),
  ): { status: number; veto: Veto } {
    this.#sys.trace.push({
      kind: "info",
      what: "query-remove vetoed",
      detail: { ...veto, statusName: ntStatusName(veto.status) },
    });
    // Every device already queried, the one that failed included, in query order: children before
    // parents, as the removal itself would have gone (Wine/ReactOS notes §12.3).
    for (const n of queried) {
      this.sendIrp(n, IRP_MN_CANCEL_REMOVE_DEVICE);
      n.removalInProgress = false;
      this.#setState(n, previous.get(n) ?? "Started");
    }
    this.notifier.removeCancelled(order);
    return { status: veto.status, veto };
  }

  /** IoRequestDeviceEject's work: query-remove and remove the subtree, then IRP_MN_EJECT to the PDO when EjectSupported. */
  eject(node: DevNode, dock: DockHooks = {}): number {
    if (dock.before) {
      const s = dock.before();
      if (!NT_SUCCESS(s)) return s;
    }
    const r = this.queryAndRemove(node, { eject: true });
    if (!NT_SUCCESS(r.status)) {
      this.#sys.trace.push({
        kind: "info",
        what: "eject failed",
        detail: { instance: node.instanceId },
      });
      // An undock the profile query allowed but a query-remove vetoed: the profile change is
      // cancelled, so CHANGE_CANCELLED undoes what the query prepared (windows-docs.md 5.6).
      dock.cancel?.();
      return r.status;
    }
    if (node.capabilities.EjectSupported) {
      const e = this.sendIrp(node, IRP_MN_EJECT, {}, { target: node.pdo });
      if (NT_SUCCESS(e.status) && node.parent) this.requestEnumeration(node.parent);
    } else if (node.capabilities.Removable) {
      this.#setState(node, "Removed", CM_PROB_HELD_FOR_EJECT);
    }
    dock.after?.();
    return STATUS_SUCCESS;
  }

  /** Stop for rebalance: QUERY_STOP (a failure sends CANCEL_STOP and the device keeps running), STOP, then START with new resources. */
  rebalance(node: DevNode, options: { failRestart?: boolean } = {}): number {
    if (node.state !== "Started") return STATUS_UNSUCCESSFUL;
    this.#setState(node, "StopPending");
    const q = this.sendIrp(node, IRP_MN_QUERY_STOP_DEVICE);
    if (!NT_SUCCESS(q.status)) {
      this.sendIrp(node, IRP_MN_CANCEL_STOP_DEVICE);
      this.#setState(node, "Started");
      return q.status;
    }
    this.sendIrp(node, IRP_MN_STOP_DEVICE);
    this.#setState(node, "Stopped");
    const r = this.sendIrp(node, IRP_MN_START_DEVICE, {
      StartDevice: { AllocatedResources: null, AllocatedResourcesTranslated: null },
    });
    if (!NT_SUCCESS(r.status) || options.failRestart) {
      // "A failed restart after a rebalance leads to SURPRISE_REMOVAL, then REMOVE once all handles are closed."
      node.problemStatus = r.status;
      node.problem = CM_PROB_FAILED_START;
      this.#surpriseRemoveTree(node, false);
      return NT_SUCCESS(r.status) ? STATUS_UNSUCCESSFUL : r.status;
    }
    this.#setState(node, "Started");
    return STATUS_SUCCESS;
  }

  /** IoInvalidateDeviceState's work: queue IRP_MN_QUERY_PNP_DEVICE_STATE. */
  requestDeviceState(node: DevNode): void {
    this.#enqueue(`query state ${node.instanceId}`, () => {
      if (node.state === "Started") this.queryPnpDeviceState(node);
    });
  }

  /** IoRequestDeviceEject's work, queued. */
  requestEject(node: DevNode): void {
    this.#enqueue(`eject ${node.instanceId}`, () => {
      this.lastEjectStatus = this.eject(
        node,
        this.dockHooks(node),
      );
    });
  }

  /** The status of the last eject the queue ran. */
  lastEjectStatus = STATUS_SUCCESS;

  /** Docking hooks: a dock's eject queries and then completes a hardware profile change (set by the machine). */
  dockHooks: (node: DevNode) => DockHooks = () => ({});

  /** Drops a reference; the last reference of a file object closes the open. */
  dereference(object: unknown): void {
    if (!object || typeof object !== "object" || !("references" in object)) return;
    const o = object as { references: number };
    o.references = Math.max(0, o.references - 1);
    if (object instanceof FileObject && o.references === 0 && !object.closed) {
      // The last reference of a file object: the I/O manager sends IRP_MJ_CLEANUP and IRP_MJ_CLOSE
      // (IRP_MJ_CLOSE: "a kernel-mode component has called ObDereferenceObject").
      this.#sys.users.closeFile(object, this.#sys.caller.process);
    }
  }

  /** An open of a device ends (CloseHandle, or the last ObDereferenceObject of a kernel file object). */
  closeOpen(file: FileObject): void {
    file.closed = true;
    const node = this.nodeOf(file.DeviceObject.bottom);
    if (!node) return;
    node.removeOpen(file);
    this.opensClosed(node);
  }

  // ---- Host verbs ----------------------------------------------------------------------------------

  /** Adds hardware to a bus (the parent's, or the root enumerator's) and asks PnP to enumerate it. */
  plugIn(spec: DeviceSpec, parent: DevNode): BusChild {
    const bus = busChildOfNode(parent, this);
    const deviceId = spec.deviceId ?? spec.hardwareIds[0] ?? "";
    const instanceId = spec.instanceId ?? this.#freeInstanceId(deviceId);
    const child = new BusChild(spec, instanceId, bus);
    bus.addChild(child);
    this.#recordInstanceId(child);
    for (const c of spec.children ?? []) {
      const grandchild = new BusChild(
        c,
        c.instanceId ?? this.#freeInstanceId(c.deviceId ?? c.hardwareIds[0] ?? ""),
        child,
      );
      child.addChild(grandchild);
      this.#recordInstanceId(grandchild);
    }
    this.#sys.trace.push({
      kind: "info",
      what: "plug in",
      detail: { deviceId, instanceId, parent: parent.instanceId },
    });
    this.requestEnumeration(parent);
    return child;
  }

  /**
   * The bus records of each device ID (upper-cased) by instance ID, present or not, with where the
   * last search for a free number stopped. Numbers below it were in use then and stay so until a
   * device leaves its bus, so plugging many devices does not rescan every bus each time.
   */
  readonly #instanceIds = new Map<
    string,
    { records: Map<string, BusChild[]>; next: number; departures: number }
  >();

  #instanceIdsOf(deviceId: string) {
    const key = deviceId.toUpperCase();
    let entry = this.#instanceIds.get(key);
    if (!entry) {
      entry = { records: new Map(), next: 0, departures: busDepartures() };
      this.#instanceIds.set(key, entry);
    }
    return entry;
  }

  #recordInstanceId(child: BusChild): void {
    const records = this.#instanceIdsOf(child.deviceId).records;
    const list = records.get(child.instanceId);
    if (list) list.push(child);
    else records.set(child.instanceId, [child]);
  }

  /**
   * The lowest numeric instance ID no device with this device ID uses: present, or gone from its bus
   * while its PDO waits for REMOVE (an open handle keeps the devnode, and its instance ID, in the tree).
   */
  #freeInstanceId(deviceId: string): string {
    const entry = this.#instanceIdsOf(deviceId);
    let i = entry.departures === busDepartures() ? entry.next : 0;
    while (entry.records.get(String(i))?.some((c) => c.present || c.pdo)) i++;
    entry.next = i;
    entry.departures = busDepartures();
    return String(i);
  }

  /** Marks the hardware gone from its bus and asks PnP to enumerate the bus (a surprise removal follows). */
  unplug(node: DevNode): void {
    if (!node.parent) {
      throw new TypeError(`Cannot unplug '${node.instanceId}': it is not on a virtual bus`);
    }
    this.pullHardware(node.pdo, { instance: node.instanceId });
    this.requestEnumeration(node.parent);
  }

  /**
   * Takes a device's hardware off its bus: the next BusRelations leaves it out. Nothing else runs,
   * so this is also what pulling a device out of a machine a bug check stopped does.
   */
  pullHardware(pdo: DeviceObject, detail: Record<string, unknown> = {}): void {
    const child = busChildOfPdo(pdo);
    if (!child) throw new TypeError(`Cannot unplug '${pdo}': it is not on a virtual bus`);
    child.present = false;
    this.#sys.trace.push({ kind: "info", what: "unplug", detail });
  }

  /** Reconfigures a removed (or failed) device that is still present: AddDevice and START again. */
  restart(node: DevNode): void {
    if (node.state === "Started") {
      const r = this.queryAndRemove(node);
      if (!NT_SUCCESS(r.status)) return;
    }
    this.#enqueue(`configure ${node.instanceId}`, () => this.configure(node));
  }
}

/** What ejecting a dock adds: the profile query first, then the profile change, or its cancellation. */
export interface DockHooks {
  /** GUID_HWPROFILE_QUERY_CHANGE; a failure status vetoes the eject. */
  before?: () => number;
  /** The profile change and CHANGE_COMPLETE, after the dock is removed. */
  after?: () => void;
  /** CHANGE_CANCELLED, when the query-remove is vetoed after the profile query allowed the change. */
  cancel?: () => void;
}

function busChildOfPdo(pdo: DeviceObject): BusChild | undefined {
  const c = pdo.DeviceExtension.busChild;
  return c instanceof BusChild ? c : undefined;
}

/** The bus record of a devnode, creating one when a device that was not plugged in by the model becomes a parent. */
function busChildOfNode(node: DevNode, pnp: PnpManager): BusChild {
  const existing = busChildOfPdo(node.pdo);
  if (existing) return existing;
  if (node === pnp.root) return pnp.rootBus;
  const record = new BusChild({ hardwareIds: [...node.hardwareIds] }, "", null);
  record.pdo = node.pdo;
  node.pdo.DeviceExtension.busChild = record;
  return record;
}

/** Loads a driver spec into the I/O manager: creates Services\<name> and calls DriverEntry. */
export function loadDriver(sys: System, spec: DriverSpec): DriverObject {
  if (!spec || typeof spec.name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(spec.name)) {
    throw new TypeError(
      `Cannot load driver '${spec?.name}': a service name needs letters, digits, '_', '-' or '.'`,
    );
  }
  const existing = sys.io.driver(spec.name);
  if (existing?.loaded) {
    throw new TypeError(`Cannot load driver '${spec.name}': it is already loaded`);
  }
  const driver = createDriverObject(spec);
  sys.io.drivers.set(spec.name.toUpperCase(), driver);
  const registryPath = devreg.createServiceKey(sys, spec);
  sys.trace.push({
    kind: "info",
    what: "load driver",
    detail: { driver: driver.DriverName, registryPath },
  });
  if (sys.options.safeMode && !devreg.safeBootLoads(sys, spec.name)) {
    // A safe boot loads only what Control\SafeBoot\Minimal names: DriverEntry never runs.
    driver.entryStatus = STATUS_NOT_SAFE_MODE_DRIVER;
    sys.trace.push({
      kind: "info",
      what: "driver not loaded in safe mode",
      detail: { driver: driver.DriverName, status: ntStatusName(STATUS_NOT_SAFE_MODE_DRIVER) },
    });
    return driver;
  }
  const entry = spec.DriverEntry?.bind(spec);
  driver.entryRan = true;
  const status = entry
    ? runDriverRoutine(sys, driver, "DriverEntry", () => entry(sys.kernel, driver, registryPath))
    : STATUS_SUCCESS;
  driver.entryStatus = status;
  driver.loaded = NT_SUCCESS(status);
  driver.wasLoaded = driver.loaded;
  if (!driver.loaded) {
    sys.trace.push({
      kind: "info",
      what: "DriverEntry failed",
      detail: { driver: driver.DriverName, status: ntStatusName(status) },
    });
  }
  return driver;
}

/** Whether `n` is a descendant of `ancestor`. */
function isBelow(n: DevNode, ancestor: DevNode): boolean {
  for (let p = n.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}
