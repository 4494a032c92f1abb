/**
 * How the PnP manager sends its IRPs: to the top of a device's stack (or a given target), with
 * IoStatus.Status preset to STATUS_NOT_SUPPORTED, as the PnP manager's own thread, and waiting while
 * the IRP is pending (the other threads run meanwhile). Every PnP IRP the manager sends goes through
 * here, so "what PnP sends" has one place to read (ReactOS keeps the same in io/pnpmgr/pnpirp.c).
 *
 * @module
 */
import {
  IRP_MJ_PNP,
  IRP_MN_CANCEL_REMOVE_DEVICE,
  IRP_MN_EJECT,
  IRP_MN_FILTER_RESOURCE_REQUIREMENTS,
  IRP_MN_NAMES,
  IRP_MN_QUERY_CAPABILITIES,
  IRP_MN_QUERY_DEVICE_RELATIONS,
  IRP_MN_QUERY_DEVICE_TEXT,
  IRP_MN_QUERY_ID,
  IRP_MN_QUERY_PNP_DEVICE_STATE,
  IRP_MN_QUERY_REMOVE_DEVICE,
  IRP_MN_REMOVE_DEVICE,
  IRP_MN_START_DEVICE,
  IRP_MN_SURPRISE_REMOVAL,
} from "../constants.ts";
import { PnpHangError } from "../ke/dispatcher.ts";
import { buildIrp, IoCallDriver } from "../io/iomgr.ts";
import type { DeviceObject, FileObject, Irp } from "../io/objects.ts";
import { STATUS_NOT_SUPPORTED } from "../ntstatus.ts";
import type { DeviceCapabilities, DevNode, DevNodeState } from "./devnode.ts";

import type { PnpManager } from "./pnpmgr.ts";

/** Where and how `sendIrp` sends: another target than the stack's top, another major function ... */
export interface SendIrpOptions {
  /** The device to send to (default: the top of the devnode's stack). */
  target?: DeviceObject;
  /** The major function (default IRP_MJ_PNP). */
  major?: number;
  /** The file object of the open the request is for. */
  fileObject?: FileObject | null;
  /** `IoStatus.Status` before any driver sees it (default STATUS_NOT_SUPPORTED). */
  preset?: number;
  /** Another caller than the PnP manager: an application's request runs in its process. */
  frame?: { name: string; process: string };
}

/** What a sent IRP came back with. */
export interface Sent {
  /** `IoStatus.Status`. */
  status: number;
  /** `IoStatus.Information`. */
  information: unknown;
  /** The IRP itself. */
  irp: Irp;
}

/** The caller frame of the PnP manager's worker. */
export const PNP_FRAME = {
  name: "PnP",
  driver: null,
  process: "System",
  previousMode: "KernelMode",
} as const;

/**
 * Sends an IRP (PnP unless `major` says otherwise) to the top of a device's stack, or `target`, and
 * waits for it: while it is pending, the queue is settled. Runs as the PnP manager unless `frame`
 * names another caller (an application's open runs in its process).
 */
export function sendIrp(
  pnp: PnpManager,
  node: DevNode,
  minor: number,
  parameters: Record<string, Record<string, unknown>> = {},
  options: SendIrpOptions = {},
): Sent {
  const sys = pnp.sys;
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
    if (!sys.ke.runUntil(() => irp.completed)) {
      throw new PnpHangError(
        `${major === IRP_MJ_PNP ? IRP_MN_NAMES[minor] : "an I/O request"} for ${node.instanceId}`,
      );
    }
    return { status: irp.IoStatus.Status, information: irp.IoStatus.Information, irp };
  });
}

// ---- One function per PnP IRP ------------------------------------------------------------------
// Each names the devnode states PnP sends it in (the state machine of "Device states" and the
// pages of the IRPs). A send in any other state is a bug in the model, not in a driver: it is not
// refused (that would hide the IRP), but the trace says so.

/** A PnP IRP sent in a state its function does not list: the trace records it. */
function expectState(
  pnp: PnpManager,
  node: DevNode,
  minor: number,
  states: readonly DevNodeState[],
): void {
  if (states.includes(node.state)) return;
  pnp.sys.trace.push({
    kind: "info",
    what: "unexpected devnode state",
    detail: { instance: node.instanceId, irp: IRP_MN_NAMES[minor], state: node.state },
  });
}

/** The states a devnode has while PnP identifies it, before it is in the tree. */
const IDENTIFYING: readonly DevNodeState[] = ["Enumerated"];

/** IRP_MN_QUERY_ID to a new PDO (its stack is the PDO alone). */
export function queryId(pnp: PnpManager, node: DevNode, IdType: number): Sent {
  expectState(pnp, node, IRP_MN_QUERY_ID, IDENTIFYING);
  return sendIrp(pnp, node, IRP_MN_QUERY_ID, { QueryId: { IdType } }, { target: node.pdo.top });
}

/**
 * IRP_MN_QUERY_CAPABILITIES: to a new PDO while it is identified, and to the whole stack after
 * START ("PnP sends it again after the device is started", IRP_MN_QUERY_CAPABILITIES).
 */
export function queryCapabilities(
  pnp: PnpManager,
  node: DevNode,
  Capabilities: DeviceCapabilities,
  whole: boolean,
): Sent {
  expectState(pnp, node, IRP_MN_QUERY_CAPABILITIES, whole ? ["Started"] : IDENTIFYING);
  return sendIrp(
    pnp,
    node,
    IRP_MN_QUERY_CAPABILITIES,
    { DeviceCapabilities: { Capabilities } },
    whole ? {} : { target: node.pdo.top },
  );
}

/** IRP_MN_QUERY_DEVICE_TEXT to a new PDO (the model asks in English, 0x409). */
export function queryDeviceText(pnp: PnpManager, node: DevNode, DeviceTextType: number): Sent {
  expectState(pnp, node, IRP_MN_QUERY_DEVICE_TEXT, IDENTIFYING);
  return sendIrp(pnp, node, IRP_MN_QUERY_DEVICE_TEXT, {
    QueryDeviceText: { DeviceTextType, LocaleId: 0x409 },
  }, { target: node.pdo.top });
}

/** IRP_MN_QUERY_BUS_INFORMATION, _RESOURCES or _RESOURCE_REQUIREMENTS to a new PDO. */
export function queryNewPdo(pnp: PnpManager, node: DevNode, minor: number): Sent {
  expectState(pnp, node, minor, IDENTIFYING);
  return sendIrp(pnp, node, minor, {}, { target: node.pdo.top });
}

/** IRP_MN_FILTER_RESOURCE_REQUIREMENTS: the built stack may adjust the requirements before START. */
export function filterResourceRequirements(pnp: PnpManager, node: DevNode): Sent {
  expectState(pnp, node, IRP_MN_FILTER_RESOURCE_REQUIREMENTS, ["Added"]);
  return sendIrp(pnp, node, IRP_MN_FILTER_RESOURCE_REQUIREMENTS, {
    FilterResourceRequirements: { IoResourceRequirementList: null },
  });
}

/** IRP_MN_START_DEVICE: after AddDevice, or after a rebalance's STOP. */
export function startDevice(pnp: PnpManager, node: DevNode): Sent {
  expectState(pnp, node, IRP_MN_START_DEVICE, ["Added", "Stopped"]);
  return sendIrp(pnp, node, IRP_MN_START_DEVICE, {
    StartDevice: { AllocatedResources: null, AllocatedResourcesTranslated: null },
  });
}

/** IRP_MN_QUERY_PNP_DEVICE_STATE: after START, and when a driver calls IoInvalidateDeviceState. */
export function queryPnpDeviceState(pnp: PnpManager, node: DevNode): Sent {
  expectState(pnp, node, IRP_MN_QUERY_PNP_DEVICE_STATE, ["Started"]);
  return sendIrp(pnp, node, IRP_MN_QUERY_PNP_DEVICE_STATE);
}

/** IRP_MN_QUERY_DEVICE_RELATIONS of a started device (BusRelations, RemovalRelations, EjectionRelations). */
export function queryDeviceRelations(pnp: PnpManager, node: DevNode, Type: number): Sent {
  expectState(pnp, node, IRP_MN_QUERY_DEVICE_RELATIONS, ["Started"]);
  return sendIrp(pnp, node, IRP_MN_QUERY_DEVICE_RELATIONS, { QueryDeviceRelations: { Type } });
}

/** IRP_MN_QUERY_REMOVE_DEVICE: a started (or stopped) device, in an orderly removal. */
export function queryRemoveDevice(pnp: PnpManager, node: DevNode): Sent {
  expectState(pnp, node, IRP_MN_QUERY_REMOVE_DEVICE, ["Started", "Stopped"]);
  return sendIrp(pnp, node, IRP_MN_QUERY_REMOVE_DEVICE);
}

/** IRP_MN_CANCEL_REMOVE_DEVICE: to every device already queried, the one that failed included. */
export function cancelRemoveDevice(pnp: PnpManager, node: DevNode): Sent {
  expectState(pnp, node, IRP_MN_CANCEL_REMOVE_DEVICE, ["RemovePending", "Started", "Stopped"]);
  return sendIrp(pnp, node, IRP_MN_CANCEL_REMOVE_DEVICE);
}

/** IRP_MN_SURPRISE_REMOVAL: a device that had a stack and is not yet removed. */
export function surpriseRemoval(pnp: PnpManager, node: DevNode): Sent {
  expectState(pnp, node, IRP_MN_SURPRISE_REMOVAL, [
    "DriversInitialized",
    "Added",
    "Started",
    "StopPending",
    "Stopped",
    "RemovePending",
  ]);
  return sendIrp(pnp, node, IRP_MN_SURPRISE_REMOVAL);
}

/**
 * IRP_MN_REMOVE_DEVICE: after a query-remove, a surprise removal, a failed AddDevice or a failed
 * START, and to the children of a removed bus.
 */
export function removeDevice(pnp: PnpManager, node: DevNode): Sent {
  // Any devnode still in the tree: a removed bus takes every child with it, whatever its state.
  if (node.state === "Absent") expectState(pnp, node, IRP_MN_REMOVE_DEVICE, []);
  return sendIrp(pnp, node, IRP_MN_REMOVE_DEVICE);
}

/** IRP_MN_QUERY_STOP_DEVICE, IRP_MN_STOP_DEVICE, IRP_MN_CANCEL_STOP_DEVICE: a rebalance. */
export function stopIrp(pnp: PnpManager, node: DevNode, minor: number): Sent {
  expectState(pnp, node, minor, ["StopPending"]);
  return sendIrp(pnp, node, minor);
}

/** IRP_MN_EJECT to the PDO of a removed device whose bus can eject it. */
export function ejectDevice(pnp: PnpManager, node: DevNode): Sent {
  expectState(pnp, node, IRP_MN_EJECT, ["Removed"]);
  return sendIrp(pnp, node, IRP_MN_EJECT, {}, { target: node.pdo });
}
