/**
 * Eject, dock and rebalance: IoRequestDeviceEject's query-remove then IRP_MN_EJECT (with a dock's
 * hardware profile change around it), the stop-and-restart of a rebalance, and
 * IoInvalidateDeviceState's queued query of the device state.
 *
 * @module
 */
import {
  CM_PROB_FAILED_START,
  CM_PROB_HELD_FOR_EJECT,
  IRP_MN_CANCEL_STOP_DEVICE,
  IRP_MN_QUERY_STOP_DEVICE,
  IRP_MN_STOP_DEVICE,
} from "../constants.ts";
import { NT_SUCCESS, STATUS_SUCCESS, STATUS_UNSUCCESSFUL } from "../ntstatus.ts";
import type { DevNode } from "./devnode.ts";

import type { DockHooks, PnpManager } from "./pnpmgr.ts";
import * as pnpirp from "./pnpirp.ts";

/** IoRequestDeviceEject's work: query-remove and remove the subtree, then IRP_MN_EJECT to the PDO when EjectSupported. */
export function eject(
  pnp: PnpManager,
  node: DevNode,
  dock: DockHooks = {},
): number {
  if (dock.before) {
    const s = dock.before();
    if (!NT_SUCCESS(s)) return s;
  }
  const r = pnp.queryAndRemove(node, { eject: true });
  if (!NT_SUCCESS(r.status)) {
    pnp.sys.trace.push({
      kind: "info",
      what: "eject failed",
      detail: { instance: node.instanceId },
    });
    // An undock the profile query allowed but a query-remove vetoed: the profile change is
    // cancelled, so CHANGE_CANCELLED undoes what the query prepared
    // (docs/profiles-runonce.md#profile-change).
    dock.cancel?.();
    return r.status;
  }
  if (node.capabilities.EjectSupported) {
    const e = pnpirp.ejectDevice(pnp, node);
    if (NT_SUCCESS(e.status) && node.parent) pnp.requestEnumeration(node.parent);
  } else if (node.capabilities.Removable) {
    pnp.setState(node, "Removed", CM_PROB_HELD_FOR_EJECT);
  }
  dock.after?.();
  return STATUS_SUCCESS;
}

/** Stop for rebalance: QUERY_STOP (a failure sends CANCEL_STOP and the device keeps running), STOP, then START with new resources. */
export function rebalance(
  pnp: PnpManager,
  node: DevNode,
  options: { failRestart?: boolean } = {},
): number {
  if (node.state !== "Started") return STATUS_UNSUCCESSFUL;
  pnp.setState(node, "StopPending");
  const q = pnpirp.stopIrp(pnp, node, IRP_MN_QUERY_STOP_DEVICE);
  if (!NT_SUCCESS(q.status)) {
    pnpirp.stopIrp(pnp, node, IRP_MN_CANCEL_STOP_DEVICE);
    pnp.setState(node, "Started");
    return q.status;
  }
  pnpirp.stopIrp(pnp, node, IRP_MN_STOP_DEVICE);
  pnp.setState(node, "Stopped");
  const r = pnpirp.startDevice(pnp, node);
  if (!NT_SUCCESS(r.status) || options.failRestart) {
    // "A failed restart after a rebalance leads to SURPRISE_REMOVAL, then REMOVE once all handles are closed."
    node.problemStatus = r.status;
    node.problem = CM_PROB_FAILED_START;
    pnp.surpriseRemoveTree(node, false);
    return NT_SUCCESS(r.status) ? STATUS_UNSUCCESSFUL : r.status;
  }
  pnp.setState(node, "Started");
  return STATUS_SUCCESS;
}

/** IoInvalidateDeviceState's work: queue IRP_MN_QUERY_PNP_DEVICE_STATE. */
export function requestDeviceState(
  pnp: PnpManager,
  node: DevNode,
): void {
  pnp.enqueue(`query state ${node.instanceId}`, () => {
    if (node.state === "Started") pnp.queryPnpDeviceState(node);
  });
}

/** IoRequestDeviceEject's work, queued. */
export function requestEject(
  pnp: PnpManager,
  node: DevNode,
): void {
  pnp.enqueue(`eject ${node.instanceId}`, () => {
    pnp.lastEjectStatus = pnp.eject(
      node,
      pnp.dockHooks(node),
    );
  });
}
