/**
 * The PnP manager: the device tree, enumeration on the virtual buses, driver installation and stack
 * building, START, and every way a device leaves (orderly removal with vetoes, surprise removal,
 * eject, failed start), plus stop/rebalance. PnP's asynchronous work goes through the machine's
 * work queue; IRPs are sent synchronously through IoCallDriver and waited for by settling.
 *
 * @module
 */
import {
  CM_PROB_NAMES,
  DO_BUS_ENUMERATED_DEVICE,
  FILE_DEVICE_BUS_EXTENDER,
  IRP_MJ_PNP,
  RemovalRelations,
} from "../constants.ts";
import { attachBusRecord, BusChild, type DeviceSpec, makeBusDispatch } from "../bus/virtual_bus.ts";
import { PnpHangError } from "../ke/dispatcher.ts";
import { createDriverObject } from "../io/iomgr.ts";
import {
  DeviceObject,
  type DispatchRoutine,
  type DriverObject,
  type FileObject,
} from "../io/objects.ts";
import { STATUS_SUCCESS } from "../ntstatus.ts";
import type { WorkQueue } from "../ke/queue.ts";
import type { System } from "../system.ts";
import { DevNode, type DevNodeState } from "./devnode.ts";
import * as pnpirp from "./pnpirp.ts";
import { PNP_FRAME } from "./pnpirp.ts";
import * as enumeration from "./enum.ts";
import * as install from "./start.ts";
import * as removal from "./remove.ts";
import * as ejection from "./eject.ts";
export { loadDriver } from "./start.ts";

export { PnpHangError };

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

/** The bus records of one device ID by instance ID, and where the last search for a free number stopped. */
export interface InstanceIdRecords {
  records: Map<string, BusChild[]>;
  next: number;
  departures: number;
}

/** The PnP manager of one machine. */
export class PnpManager {
  readonly sys: System;
  readonly queue: WorkQueue;
  /** `\Driver\PnpManager`: owns the root enumerator's PDOs. */
  readonly pnpDriver: DriverObject;
  /** The model bus's PnP dispatch for this machine's virtual-bus PDOs. */
  readonly busDispatch: DispatchRoutine;
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
  constructor(sys: System, rootBus?: BusChild) {
    this.sys = sys;
    this.queue = sys.ke.queue;
    this.pnpDriver = createDriverObject({ name: "PnpManager" });
    this.pnpDriver.loaded = true;
    this.busDispatch = makeBusDispatch((bus) => this.busDriverFor(bus));
    this.pnpDriver.MajorFunction[IRP_MJ_PNP] = this.busDispatch;
    this.rootBus = rootBus ?? new BusChild({ hardwareIds: ["HTREE\\ROOT"] }, "0", null);
    const pdo = new DeviceObject(
      this.pnpDriver,
      null,
      FILE_DEVICE_BUS_EXTENDER,
      0,
      DO_BUS_ENUMERATED_DEVICE,
      ++sys.io.deviceSerial,
    );
    pdo.role = "PDO";
    attachBusRecord(pdo, this.rootBus, this.busDispatch);
    this.rootBus.pdo = pdo;
    this.root = new DevNode("HTREE\\ROOT\\0", pdo, null);
    this.root.state = "Started";
    this.root.startCompleted = true;
    pdo.devnode = this.root;
    this.byInstance.set("HTREE\\ROOT\\0", this.root);
    // After a reboot the hardware is the same: learn the instance IDs it already holds.
    const learn = (bus: BusChild) => {
      for (const c of bus.children) {
        this.recordInstanceId(c);
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
    const service = parent?.service ? this.sys.io.driver(parent.service) : undefined;
    const driver = service ?? this.pnpDriver;
    // Whatever driver owns them, the model's bus answers for virtual-bus PDOs.
    return driver;
  }

  setState(node: DevNode, to: DevNodeState, problem?: number): void {
    const from = node.state;
    node.state = to;
    if (problem !== undefined) node.problem = problem;
    this.sys.trace.push({
      kind: "state",
      instance: node.instanceId,
      from,
      to,
      ...(node.problem ? { problem: CM_PROB_NAMES[node.problem] ?? String(node.problem) } : {}),
    });
  }

  enqueue(name: string, run: () => void): void {
    this.queue.enqueue({ name, run: () => this.sys.as(PNP_FRAME, run) });
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
    options: pnpirp.SendIrpOptions = {},
  ): pnpirp.Sent {
    return pnpirp.sendIrp(this, node, minor, parameters, options);
  }

  /** Unloads a driver whose last device is gone and that no notification registration holds (DriverUnload runs). */
  driverMayUnload(driver: DriverObject): void {
    install.driverMayUnload(this, driver);
  }

  /** @internal Loads a driver again for a new device after it was unloaded (DriverEntry runs again). */
  reload(driver: DriverObject): boolean {
    return install.reload(this, driver);
  }

  // ---- Enumeration ------------------------------------------------------------------------------------

  /** Counts BusRelations answers, to stamp the children each one reported. */
  enumerations = 0;

  /** Queues an enumeration of a device's children (IoInvalidateDeviceRelations(BusRelations)). */
  requestEnumeration(node: DevNode): void {
    enumeration.requestEnumeration(this, node);
  }

  /** Asks a started device for its BusRelations and reconciles the tree with the answer. */
  enumerate(node: DevNode): void {
    enumeration.enumerate(this, node);
  }

  /** @internal Queries a new PDO's IDs, capabilities and text, builds its instance ID and writes its Enum key. */
  identify(parent: DevNode, pdo: DeviceObject): void {
    enumeration.identify(this, parent, pdo);
  }

  /** @internal IDs may hold only 0x20-0x2B and 0x2D-0x7F (no comma); a device ID needs one `\`, an instance ID none. */
  validateId(pdo: DeviceObject, id: string, kind: 1 | 2 | 3 | 4, isDeviceId: boolean): void {
    enumeration.validateId(this, pdo, id, kind, isDeviceId);
  }

  /** @internal
   * A hardware or compatible ID list within its documented size: at most 64 IDs and
   * REGSTR_VAL_MAX_HCID_LEN characters with every NUL ("Hardware IDs", "Compatible IDs").
   */
  validateIdList(pdo: DeviceObject, ids: readonly string[], kind: 3 | 4): void {
    enumeration.validateIdList(this, pdo, ids, kind);
  }

  /** Installs drivers for a new device, builds its stack (AddDevice) and starts it. */
  configure(node: DevNode): void {
    install.configure(this, node);
  }

  /** Sends IRP_MN_START_DEVICE; on success the device is Started, its held arrivals go out and its children are enumerated. */
  start(node: DevNode, firstInstall = false): void {
    install.start(this, node, firstInstall);
  }

  /** IRP_MN_QUERY_PNP_DEVICE_STATE: records the flags; PNP_DEVICE_FAILED or _REMOVED starts a removal. */
  queryPnpDeviceState(node: DevNode): void {
    install.queryPnpDeviceState(this, node);
  }

  // ---- Leaving ----------------------------------------------------------------------------------------

  /** @internal */
  sendRemove(node: DevNode): void {
    removal.sendRemove(this, node);
  }

  /** IoDeleteDevice of a PDO its bus still reports is Driver Verifier's 0xC9 0x221. */
  checkPdoDeletion(device: DeviceObject): void {
    removal.checkPdoDeletion(this, device);
  }

  /** A child is no longer in its bus's BusRelations: surprise removal if it had drivers, then REMOVE once handles close. */
  deviceGone(node: DevNode): void {
    removal.deviceGone(this, node);
  }

  /** @internal
   * Surprise removal of a subtree, children first: IRP_MN_SURPRISE_REMOVAL to every device that had
   * a stack, then REMOVE to each once its handles are closed and its children are gone. `gone` says
   * the device itself left its bus (its devnode leaves the tree); otherwise it failed while still
   * present (PNP_DEVICE_FAILED, a failed restart) and stays, removed, while its children go with
   * their bus. Interfaces the drivers left enabled stay so until REMOVE, when PnP disables them
   * ("Enabling and Disabling a Device Interface Instance").
   */
  surpriseRemoveTree(node: DevNode, gone: boolean): void {
    removal.surpriseRemoveTree(this, node, gone);
  }

  /** @internal
   * Sends the final REMOVE once no handle is open and every child is gone. Then, as `node.removal`
   * says: the devnode leaves the tree (its device left), its bus deletes its PDO (its parent is being
   * removed while the hardware stays), or it stays in the tree, removed.
   */
  finishRemoval(node: DevNode): void {
    removal.finishRemoval(this, node);
  }

  /** @internal */
  leaveTree(node: DevNode): void {
    removal.leaveTree(this, node);
  }

  /** The last open of a device closed: a REMOVE that was waiting goes out now (queued). */
  opensClosed(node: DevNode): void {
    removal.opensClosed(this, node);
  }

  /** @internal A removed bus's child: its bus driver deletes the PDO and the devnode leaves the tree. */
  deleteChildPdo(n: DevNode): void {
    removal.deleteChildPdo(this, n);
  }

  /**
   * The devices a query-remove covers: the device, its descendants, and the subtrees of its
   * removal relations; an eject adds its ejection relations ("The PnP manager queries for
   * RemovalRelations and EjectionRelations before it ejects a device", IRP_MN_QUERY_DEVICE_RELATIONS).
   */
  removalSet(node: DevNode, relations: readonly number[] = [RemovalRelations]): DevNode[] {
    return removal.removalSet(this, node, relations);
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
    return removal.queryAndRemove(this, node, options);
  }

  /** @internal */
  cancel(
    order: DevNode[],
    queried: DevNode[],
    veto: Veto,
    previous: Map<DevNode, DevNodeState> = new Map(),
  ): { status: number; veto: Veto } {
    return removal.cancel(this, order, queried, veto, previous);
  }

  /** IoRequestDeviceEject's work: query-remove and remove the subtree, then IRP_MN_EJECT to the PDO when EjectSupported. */
  eject(node: DevNode, dock: DockHooks = {}): number {
    return ejection.eject(this, node, dock);
  }

  /** Stop for rebalance: QUERY_STOP (a failure sends CANCEL_STOP and the device keeps running), STOP, then START with new resources. */
  rebalance(node: DevNode, options: { failRestart?: boolean } = {}): number {
    return ejection.rebalance(this, node, options);
  }

  /** IoInvalidateDeviceState's work: queue IRP_MN_QUERY_PNP_DEVICE_STATE. */
  requestDeviceState(node: DevNode): void {
    ejection.requestDeviceState(this, node);
  }

  /** IoRequestDeviceEject's work, queued. */
  requestEject(node: DevNode): void {
    ejection.requestEject(this, node);
  }

  /** The status of the last eject the queue ran. */
  lastEjectStatus = STATUS_SUCCESS;

  /** Docking hooks: a dock's eject queries and then completes a hardware profile change (set by the machine). */
  dockHooks: (node: DevNode) => DockHooks = () => ({});

  /** Drops a reference; the last reference of a file object closes the open. */
  dereference(object: unknown): void {
    removal.dereference(this, object);
  }

  /** An open of a device ends (CloseHandle, or the last ObDereferenceObject of a kernel file object). */
  closeOpen(file: FileObject): void {
    removal.closeOpen(this, file);
  }

  // ---- Host verbs ----------------------------------------------------------------------------------

  /** Adds hardware to a bus (the parent's, or the root enumerator's) and asks PnP to enumerate it. */
  plugIn(spec: DeviceSpec, parent: DevNode): BusChild {
    return enumeration.plugIn(this, spec, parent);
  }

  /**
   * The bus records of each device ID (upper-cased) by instance ID, present or not, with where the
   * last search for a free number stopped. Numbers below it were in use then and stay so until a
   * device leaves its bus, so plugging many devices does not rescan every bus each time.
   */
  readonly instanceIds: Map<string, InstanceIdRecords> = new Map();

  /** @internal */
  instanceIdsOf(deviceId: string): InstanceIdRecords {
    return enumeration.instanceIdsOf(this, deviceId);
  }

  /** @internal */
  recordInstanceId(child: BusChild): void {
    enumeration.recordInstanceId(this, child);
  }

  /** @internal
   * The lowest numeric instance ID no device with this device ID uses: present, or gone from its bus
   * while its PDO waits for REMOVE (an open handle keeps the devnode, and its instance ID, in the tree).
   */
  freeInstanceId(deviceId: string): string {
    return enumeration.freeInstanceId(this, deviceId);
  }

  /** Marks the hardware gone from its bus and asks PnP to enumerate the bus (a surprise removal follows). */
  unplug(node: DevNode): void {
    enumeration.unplug(this, node);
  }

  /**
   * Takes a device's hardware off its bus: the next BusRelations leaves it out. Nothing else runs,
   * so this is also what pulling a device out of a machine a bug check stopped does.
   */
  pullHardware(pdo: DeviceObject, detail: Record<string, unknown> = {}): void {
    enumeration.pullHardware(this, pdo, detail);
  }

  /** Reconfigures a removed (or failed) device that is still present: AddDevice and START again. */
  restart(node: DevNode): void {
    install.restart(this, node);
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
