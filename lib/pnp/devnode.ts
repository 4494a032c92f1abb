/**
 * Device nodes: what the PnP manager knows about each device it was told about, and the
 * documented state machine ("State Transitions for PnP Devices").
 *
 * @module
 */
import {
  DN_DISABLEABLE,
  DN_DRIVER_LOADED,
  DN_HAS_PROBLEM,
  DN_NAMES,
  DN_NO_SHOW_IN_DM,
  DN_NT_DRIVER,
  DN_NT_ENUMERATOR,
  DN_ROOT_ENUMERATED,
  DN_STARTED,
  flagNames,
  PNP_DEVICE_DONT_DISPLAY_IN_UI,
  PNP_DEVICE_NOT_DISABLEABLE,
} from "../constants.ts";
import type { DeviceObject, FileObject } from "../io/objects.ts";
import { appendChild } from "../registry/hive.ts";

/**
 * Device states from the documentation's state diagram. A devnode that has left the tree (its
 * device is gone and removed) is "Absent"; its Enum key stays, as for a non-present device.
 */
export type DevNodeState =
  | "Enumerated"
  | "DriversInitialized"
  | "Added"
  | "Started"
  | "StopPending"
  | "Stopped"
  | "RemovePending"
  | "SurpriseRemoved"
  | "Removed"
  | "Absent";

// DEVICE_CAPABILITIES lives with power (most of its fields are power fields); PnP keeps the answer.
export {
  DEVICE_CAPABILITIES_SIZE,
  type DeviceCapabilities,
  emptyCapabilities,
} from "../po/capabilities.ts";
import {
  type DeviceCapabilities,
  emptyCapabilities,
  keptCapabilities,
} from "../po/capabilities.ts";

/** A devnode's capabilities before its bus answered: the empty structure, shared. */
const NO_CAPABILITIES: DeviceCapabilities = keptCapabilities(emptyCapabilities());

const NO_OPENS: ReadonlySet<FileObject> = new Set();

/** The empty ID or filter list every devnode without one shares (a machine has thousands of devnodes). */
export const NO_STRINGS: readonly string[] = Object.freeze([]);

const NO_DEVNODES: readonly DevNode[] = Object.freeze([]);

const REPORTED = 1;
const ENUMERATION_QUEUED = 2;
const REMOVAL_IN_PROGRESS = 4;
const REMOVE_WAITS_FOR_HANDLES = 8;
const START_COMPLETED = 16;

/**
 * What a devnode keeps only when it needs it: most devices have no problem, container ID, filter
 * or open handle, and a machine holds a devnode per device.
 */
interface RareDevNodeFields {
  problemStatus: number;
  containerId: string;
  lowerFilters: readonly string[];
  upperFilters: readonly string[];
  opens: Set<FileObject> | null;
  removal: "gone" | "withBus" | "stays" | null;
}

/** A device node. */
export class DevNode {
  /** The device instance ID (`ROOT\TOASTER\0000`): device ID, `\`, instance ID. */
  instanceId: string;
  /** The PDO. */
  pdo: DeviceObject;
  /** The parent devnode (null for HTREE\ROOT\0). */
  parent: DevNode | null;
  #children: DevNode[] | null = null;
  /** Children in the order they were enumerated. */
  get children(): readonly DevNode[] {
    return this.#children ?? NO_DEVNODES;
  }
  /** Adds a child enumerated by this device's bus. */
  addChild(child: DevNode): void {
    this.#children = appendChild(this.#children, child);
  }
  /** Takes a child out of the tree. */
  removeChild(child: DevNode): void {
    const list = this.#children;
    if (!list || !list.includes(child)) return;
    this.#children = list.length === 1 ? null : list.filter((c) => c !== child);
  }
  /** The current state. */
  state: DevNodeState = "Enumerated";
  /** A CM_PROB_* problem code, 0 for none. */
  problem = 0;
  /** The problem's status, when a routine's failure caused it. */
  get problemStatus(): number {
    return this.#rare?.problemStatus ?? 0;
  }
  set problemStatus(status: number) {
    if (status !== 0 || this.#rare) DevNode.#rareOf(this).problemStatus = status;
  }
  /** Depth in the tree: the root is 0. */
  readonly level: number;
  /** Capabilities from IRP_MN_QUERY_CAPABILITIES. */
  capabilities: DeviceCapabilities = NO_CAPABILITIES;
  /** IDs from IRP_MN_QUERY_ID. */
  deviceId = "";
  hardwareIds: readonly string[] = NO_STRINGS;
  compatibleIds: readonly string[] = NO_STRINGS;
  /** Text from IRP_MN_QUERY_DEVICE_TEXT. */
  description = "";
  location = "";
  /** ContainerID from IRP_MN_QUERY_ID(BusQueryContainerID), "" when the bus has none. */
  get containerId(): string {
    return this.#rare?.containerId ?? "";
  }
  set containerId(id: string) {
    if (id !== "" || this.#rare) DevNode.#rareOf(this).containerId = id;
  }
  /** The function driver's service name, when one was found. */
  service: string | null = null;
  /** Filter service names, lower then upper, in attach order. */
  get lowerFilters(): readonly string[] {
    return this.#rare?.lowerFilters ?? NO_STRINGS;
  }
  set lowerFilters(names: readonly string[]) {
    if (names !== NO_STRINGS || this.#rare) DevNode.#rareOf(this).lowerFilters = names;
  }
  /** Upper filter service names, in attach order. */
  get upperFilters(): readonly string[] {
    return this.#rare?.upperFilters ?? NO_STRINGS;
  }
  set upperFilters(names: readonly string[]) {
    if (names !== NO_STRINGS || this.#rare) DevNode.#rareOf(this).upperFilters = names;
  }
  /** The software key's name under Control\Class (`{guid}\0000`). */
  driverKey: string | null = null;
  /** Open file objects on this device (application handles and kernel references). */
  get opens(): ReadonlySet<FileObject> {
    return this.#rare?.opens ?? NO_OPENS;
  }

  /** Records an open of the device. */
  addOpen(file: FileObject): void {
    (DevNode.#rareOf(this).opens ??= new Set()).add(file);
  }

  /** Forgets an open of the device. */
  removeOpen(file: FileObject): void {
    this.#rare?.opens?.delete(file);
  }
  /** Set while a query-remove or surprise removal is in progress (new opens fail). */
  get removalInProgress(): boolean {
    return (this.#flags & REMOVAL_IN_PROGRESS) !== 0;
  }
  set removalInProgress(on: boolean) {
    this.#flags = on ? this.#flags | REMOVAL_IN_PROGRESS : this.#flags & ~REMOVAL_IN_PROGRESS;
  }
  /** Its Enum instance key, once looked up (lib/pnp/devreg.ts enumKey). */
  enumKey: unknown = null;
  /** In its bus's latest BusRelations answer. */
  get reported(): boolean {
    return (this.#flags & REPORTED) !== 0;
  }
  set reported(on: boolean) {
    this.#flags = on ? this.#flags | REPORTED : this.#flags & ~REPORTED;
  }
  /** An enumeration of this node is queued. */
  get enumerationQueued(): boolean {
    return (this.#flags & ENUMERATION_QUEUED) !== 0;
  }
  set enumerationQueued(on: boolean) {
    this.#flags = on ? this.#flags | ENUMERATION_QUEUED : this.#flags & ~ENUMERATION_QUEUED;
  }
  /** The parent's last BusRelations answer that listed this device (PnP's bookkeeping). */
  reportedStamp = 0;
  /** REMOVE is waiting for the last open handle (after a surprise removal). */
  get removeWaitsForHandles(): boolean {
    return (this.#flags & REMOVE_WAITS_FOR_HANDLES) !== 0;
  }
  set removeWaitsForHandles(on: boolean) {
    this.#flags = on
      ? this.#flags | REMOVE_WAITS_FOR_HANDLES
      : this.#flags & ~REMOVE_WAITS_FOR_HANDLES;
  }
  /**
   * What the pending surprise removal's REMOVE does with the devnode: "gone" (the device left its
   * bus: it leaves the tree), "withBus" (its parent is being removed: its bus deletes the PDO),
   * "stays" (it failed while present: it stays, removed), or null when none is pending.
   */
  get removal(): "gone" | "withBus" | "stays" | null {
    return this.#rare?.removal ?? null;
  }
  set removal(what: "gone" | "withBus" | "stays" | null) {
    if (what !== null || this.#rare) DevNode.#rareOf(this).removal = what;
  }
  #rare: RareDevNodeFields | null = null;
  static #rareOf(node: DevNode): RareDevNodeFields {
    return node.#rare ??= {
      problemStatus: 0,
      containerId: "",
      lowerFilters: NO_STRINGS,
      upperFilters: NO_STRINGS,
      opens: null,
      removal: null,
    };
  }
  /** Whether START has completed for the whole stack at least once since the last removal. */
  get startCompleted(): boolean {
    return (this.#flags & START_COMPLETED) !== 0;
  }
  set startCompleted(on: boolean) {
    this.#flags = on ? this.#flags | START_COMPLETED : this.#flags & ~START_COMPLETED;
  }
  // The yes/no fields above share one number: a machine holds a devnode per device, and five
  // booleans cost five slots each.
  #flags = REPORTED;
  /** PNP_DEVICE_STATE flags from the last IRP_MN_QUERY_PNP_DEVICE_STATE. */
  pnpDeviceState = 0;

  /** Creates a devnode for a PDO. */
  constructor(instanceId: string, pdo: DeviceObject, parent: DevNode | null) {
    this.instanceId = instanceId;
    this.pdo = pdo;
    this.parent = parent;
    this.level = parent ? parent.level + 1 : 0;
  }

  /** The top of the device stack. */
  get top(): DeviceObject {
    return this.pdo.top;
  }

  /** Every devnode below this one, children before their own children (pre-order). */
  descendants(): DevNode[] {
    const out: DevNode[] = [];
    const visit = (n: DevNode) => {
      for (const c of n.children) {
        out.push(c);
        visit(c);
      }
    };
    visit(this);
    return out;
  }
}

/** States in which a devnode's drivers have been added (AddDevice ran and the stack still stands). */
const DRIVERS_LOADED: ReadonlySet<DevNodeState> = new Set([
  "Added",
  "Started",
  "StopPending",
  "Stopped",
  "RemovePending",
  "SurpriseRemoved",
]);

/** States user mode sees as started: configured, including stopped for a rebalance. */
const DN_STARTED_STATES: ReadonlySet<DevNodeState> = new Set(["Started", "StopPending", "Stopped"]);

/**
 * The device, at or below `node`, whose stack reported PNP_DEVICE_NOT_DISABLEABLE: it makes `node`
 * non-disableable too ("propagates to ancestors", IRP_MN_QUERY_PNP_DEVICE_STATE). Undefined when the
 * device can be disabled.
 */
export function notDisableableBelow(node: DevNode): DevNode | undefined {
  if (node.pnpDeviceState & PNP_DEVICE_NOT_DISABLEABLE) return node;
  for (const c of node.children) {
    const found = notDisableableBelow(c);
    if (found) return found;
  }
  return undefined;
}

/**
 * The devnode's status as user mode reads it with CM_Get_DevNode_Status (the `DN_*` flags, cfg.h),
 * derived from the kernel's devnode the way the PnP manager converts it: every devnode carries
 * DN_NT_ENUMERATOR and DN_NT_DRIVER; PNP_DEVICE_DONT_DISPLAY_IN_UI from the last
 * IRP_MN_QUERY_PNP_DEVICE_STATE becomes DN_NO_SHOW_IN_DM ("Hiding Devices from Device Manager").
 */
export function devNodeStatus(node: DevNode): number {
  let status = DN_NT_ENUMERATOR | DN_NT_DRIVER;
  if (node.parent && !node.parent.parent) status |= DN_ROOT_ENUMERATED;
  if (DRIVERS_LOADED.has(node.state)) status |= DN_DRIVER_LOADED;
  if (DN_STARTED_STATES.has(node.state)) status |= DN_STARTED;
  if (node.problem) status |= DN_HAS_PROBLEM;
  if (node.pnpDeviceState & PNP_DEVICE_DONT_DISPLAY_IN_UI) status |= DN_NO_SHOW_IN_DM;
  if (!notDisableableBelow(node)) status |= DN_DISABLEABLE;
  return status >>> 0;
}

/** The names of the `DN_*` flags set in a device node status, lowest bit first. */
export function dnFlagNames(status: number): string[] {
  return flagNames(DN_NAMES, status);
}
