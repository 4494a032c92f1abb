/**
 * Enumeration: a bus's children as its BusRelations answer says, the identification of a new PDO
 * (its IDs, capabilities, text; ID validation, as the "Hardware IDs", "Instance IDs" pages and bug
 * check 0xCA define them), instance-ID allocation, and the host's plug-in and unplug of hardware. A
 * new devnode is handed to installation (start.ts) through the queue.
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
  DeviceTextDescription,
  DeviceTextLocationInformation,
  DO_BUS_ENUMERATED_DEVICE,
  IRP_MN_QUERY_BUS_INFORMATION,
  IRP_MN_QUERY_RESOURCE_REQUIREMENTS,
  IRP_MN_QUERY_RESOURCES,
  MAX_DEVICE_ID_LEN,
  MAX_IDS_PER_LIST,
  REGSTR_VAL_MAX_HCID_LEN,
} from "../constants.ts";
import {
  attachBusRecord,
  BusChild,
  busChildOf,
  busDepartures,
  type DeviceSpec,
} from "../bus/virtual_bus.ts";
import { DeviceObject } from "../io/objects.ts";
import { NT_SUCCESS } from "../ntstatus.ts";
import { keptCapabilities } from "../po/capabilities.ts";
import { DevNode, emptyCapabilities, NO_STRINGS } from "./devnode.ts";
import * as devreg from "./devreg.ts";

import * as pnpirp from "./pnpirp.ts";
import type { InstanceIdRecords, PnpManager } from "./pnpmgr.ts";

/** The bus record of a devnode, creating one when a device that was not plugged in by the model becomes a parent. */
function busChildOfNode(node: DevNode, pnp: PnpManager): BusChild {
  const existing = busChildOf(node.pdo);
  if (existing) return existing;
  if (node === pnp.root) return pnp.rootBus;
  const record = new BusChild({ hardwareIds: [...node.hardwareIds] }, "", null);
  record.pdo = node.pdo;
  attachBusRecord(node.pdo, record, pnp.busDispatch);
  return record;
}

/** Queues an enumeration of a device's children (IoInvalidateDeviceRelations(BusRelations)). */
export function requestEnumeration(
  pnp: PnpManager,
  node: DevNode,
): void {
  if (node.enumerationQueued) return;
  node.enumerationQueued = true;
  pnp.enqueue(`enumerate ${node.instanceId}`, () => pnp.enumerate(node));
}

/** Asks a started device for its BusRelations and reconciles the tree with the answer. */
export function enumerate(
  pnp: PnpManager,
  node: DevNode,
): void {
  node.enumerationQueued = false;
  if (node.state !== "Started" || !pnp.byInstance.has(node.instanceId.toUpperCase())) return;
  const r = pnpirp.queryDeviceRelations(pnp, node, BusRelations);
  if (!NT_SUCCESS(r.status)) return;
  const list = Array.isArray(r.information) ? r.information as unknown[] : [];
  // One pass over the answer (a bus with thousands of children is listed in full every time):
  // stamp the children PnP knows, collect the new PDOs.
  const fresh: DeviceObject[] = [];
  const stamp = ++pnp.enumerations;
  let listed = 0;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (!(entry instanceof DeviceObject)) {
      pnp.sys.violate(
        "PnpNullRelation",
        `${node.instanceId}'s BusRelations contains a NULL or non-device entry`,
        [0, 0, 0],
      );
      continue;
    }
    if (entry.deleted) {
      pnp.sys.violate(
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
      pnp.deviceGone(child);
    }
  }
  for (const pdo of fresh) {
    if (!(pdo.devnode instanceof DevNode)) pnp.identify(node, pdo);
  }
}

/** Queries a new PDO's IDs, capabilities and text, builds its instance ID and writes its Enum key. */
export function identify(
  pnp: PnpManager,
  parent: DevNode,
  pdo: DeviceObject,
): void {
  const sys = pnp.sys;
  pdo.Flags |= DO_BUS_ENUMERATED_DEVICE;
  pdo.role = "PDO";
  // A provisional devnode so the IRPs are attributed; it becomes real once the instance ID is known.
  const node = new DevNode("", pdo, parent);
  const firstSeq = sys.trace.count + 1;
  const queryId = (IdType: number) => pnpirp.queryId(pnp, node, IdType);
  const deviceIdR = queryId(BusQueryDeviceID);
  const deviceId = typeof deviceIdR.information === "string" ? deviceIdR.information : "";
  pnp.validateId(pdo, deviceId, 1, true);
  const caps = emptyCapabilities();
  pnpirp.queryCapabilities(pnp, node, caps, false);
  const instR = queryId(BusQueryInstanceID);
  const instanceId = typeof instR.information === "string" ? instR.information : "";
  pnp.validateId(pdo, instanceId, 2, false);
  const hw = queryId(BusQueryHardwareIDs).information;
  const compat = queryId(BusQueryCompatibleIDs).information;
  const hardwareIds = Array.isArray(hw) ? hw as string[] : [];
  const compatibleIds = Array.isArray(compat) ? compat as string[] : [];
  for (const id of hardwareIds) pnp.validateId(pdo, id, 3, false);
  for (const id of compatibleIds) pnp.validateId(pdo, id, 4, false);
  pnp.validateIdList(pdo, hardwareIds, 3);
  pnp.validateIdList(pdo, compatibleIds, 4);
  const text = (type: number) => {
    const t = pnpirp.queryDeviceText(pnp, node, type);
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
  pnpirp.queryNewPdo(pnp, node, IRP_MN_QUERY_BUS_INFORMATION);
  pnpirp.queryNewPdo(pnp, node, IRP_MN_QUERY_RESOURCES);
  pnpirp.queryNewPdo(pnp, node, IRP_MN_QUERY_RESOURCE_REQUIREMENTS);

  let instancePart = instanceId;
  // A root-enumerated device's instance ID is unique already (the root enumerator allocates it):
  // PnP adds no parent information, whatever UniqueID says (Windows' ROOT\<class>\0000 names; its
  // root PDO does not set UniqueID, Wine's test_bus_query_caps).
  const prefixed = !caps.UniqueID && parent !== pnp.root;
  if (prefixed) {
    // "If UniqueID is FALSE, PnP adds parent information to the instance ID" (Instance IDs): the
    // parent's ParentIdPrefix, kept in its Enum key.
    const prefix = devreg.parentIdPrefix(sys, parent);
    instancePart = instanceId ? `${prefix}&${instanceId}` : prefix;
  }
  const full = `${deviceId}\\${instancePart}`;
  // The shorter limit leaves room for the prefix PnP adds.
  const limit = prefixed ? 172 : 199;
  if (full.length >= MAX_DEVICE_ID_LEN || deviceId.length + instanceId.length >= limit) {
    sys.violate(
      "PnpInvalidId",
      `Device instance ID '${full}' is too long`,
      [pdo.serial, 0, 2],
      pdo,
    );
  }
  const existing = pnp.find(full);
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
  node.capabilities = keptCapabilities(caps);
  node.hardwareIds = hardwareIds.length ? hardwareIds : NO_STRINGS;
  node.compatibleIds = compatibleIds.length ? compatibleIds : NO_STRINGS;
  node.description = description;
  node.location = location;
  node.containerId = containerId;
  pdo.devnode = node;
  parent.addChild(node);
  pnp.byInstance.set(full.toUpperCase(), node);
  devreg.writeEnumKey(sys, node);
  sys.trace.push({ kind: "state", instance: full, from: "Absent", to: "Enumerated" });
  pnp.enqueue(`configure ${full}`, () => pnp.configure(node));
}

/** IDs may hold only 0x20-0x2B and 0x2D-0x7F (no comma); a device ID needs one `\`, an instance ID none. */
export function validateId(
  pnp: PnpManager,
  pdo: DeviceObject,
  id: string,
  kind: 1 | 2 | 3 | 4,
  isDeviceId: boolean,
): void {
  const bad = [...id].some((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code > 0x7f || code === 0x2c;
  });
  const slashes = id.split("\\").length - 1;
  const shape = isDeviceId ? slashes !== 1 : kind === 2 ? slashes !== 0 : slashes > 1;
  if (bad || shape || id.length >= MAX_DEVICE_ID_LEN || (isDeviceId && id === "")) {
    const which = ["", "DeviceID", "InstanceID", "HardwareIDs", "CompatibleIDs"][kind];
    pnp.sys.violate(
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
export function validateIdList(
  pnp: PnpManager,
  pdo: DeviceObject,
  ids: readonly string[],
  kind: 3 | 4,
): void {
  let chars = 1; // the final NUL
  for (const id of ids) chars += id.length + 1;
  if (ids.length <= MAX_IDS_PER_LIST && chars <= REGSTR_VAL_MAX_HCID_LEN) return;
  const which = kind === 3 ? "HardwareIDs" : "CompatibleIDs";
  pnp.sys.violate(
    "PnpInvalidId",
    `Invalid ${which} list from ${pdo}: ${ids.length} IDs, ${chars} characters with their NULs ` +
      `(at most ${MAX_IDS_PER_LIST} IDs and ${REGSTR_VAL_MAX_HCID_LEN} characters)`,
    [pdo.serial, 0, kind],
    pdo,
  );
}

/** Adds hardware to a bus (the parent's, or the root enumerator's) and asks PnP to enumerate it. */
export function plugIn(
  pnp: PnpManager,
  spec: DeviceSpec,
  parent: DevNode,
): BusChild {
  const bus = busChildOfNode(parent, pnp);
  const deviceId = spec.deviceId ?? spec.hardwareIds[0] ?? "";
  const instanceId = spec.instanceId ?? pnp.freeInstanceId(deviceId);
  const child = new BusChild(spec, instanceId, bus);
  bus.addChild(child);
  pnp.recordInstanceId(child);
  for (const c of spec.children ?? []) {
    const grandchild = new BusChild(
      c,
      c.instanceId ?? pnp.freeInstanceId(c.deviceId ?? c.hardwareIds[0] ?? ""),
      child,
    );
    child.addChild(grandchild);
    pnp.recordInstanceId(grandchild);
  }
  pnp.sys.trace.push({
    kind: "info",
    what: "plug in",
    detail: { deviceId, instanceId, parent: parent.instanceId },
  });
  pnp.requestEnumeration(parent);
  return child;
}

export function instanceIdsOf(
  pnp: PnpManager,
  deviceId: string,
): InstanceIdRecords {
  const key = deviceId.toUpperCase();
  let entry = pnp.instanceIds.get(key);
  if (!entry) {
    entry = { records: new Map(), next: 0, departures: busDepartures() };
    pnp.instanceIds.set(key, entry);
  }
  return entry;
}

export function recordInstanceId(
  pnp: PnpManager,
  child: BusChild,
): void {
  const records = pnp.instanceIdsOf(child.deviceId).records;
  const list = records.get(child.instanceId);
  if (list) list.push(child);
  else records.set(child.instanceId, [child]);
}

/**
 * The lowest numeric instance ID no device with this device ID uses: present, or gone from its bus
 * while its PDO waits for REMOVE (an open handle keeps the devnode, and its instance ID, in the tree).
 */
export function freeInstanceId(
  pnp: PnpManager,
  deviceId: string,
): string {
  const entry = pnp.instanceIdsOf(deviceId);
  let i = entry.departures === busDepartures() ? entry.next : 0;
  while (entry.records.get(String(i))?.some((c) => c.present || c.pdo)) i++;
  entry.next = i;
  entry.departures = busDepartures();
  return String(i);
}

/** Marks the hardware gone from its bus and asks PnP to enumerate the bus (a surprise removal follows). */
export function unplug(
  pnp: PnpManager,
  node: DevNode,
): void {
  if (!node.parent) {
    throw new TypeError(`Cannot unplug '${node.instanceId}': it is not on a virtual bus`);
  }
  pnp.pullHardware(node.pdo, { instance: node.instanceId });
  pnp.requestEnumeration(node.parent);
}

/**
 * Takes a device's hardware off its bus: the next BusRelations leaves it out. Nothing else runs,
 * so this is also what pulling a device out of a machine a bug check stopped does.
 */
export function pullHardware(
  pnp: PnpManager,
  pdo: DeviceObject,
  detail: Record<string, unknown> = {},
): void {
  const child = busChildOf(pdo);
  if (!child) throw new TypeError(`Cannot unplug '${pdo}': it is not on a virtual bus`);
  child.present = false;
  pnp.sys.trace.push({ kind: "info", what: "unplug", detail });
}
