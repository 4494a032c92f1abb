/**
 * Every way a device leaves: orderly removal with its query and vetoes ("safely remove", disable),
 * surprise removal of a subtree, the final IRP_MN_REMOVE_DEVICE that waits for open handles, and the
 * references and opens that hold a devnode in the tree. Kept apart because the order of these steps
 * is what driver writers most often get wrong, and what the documentation spells out in most detail.
 *
 * @module
 */
import { CM_PROB_DISABLED, EjectionRelations, RemovalRelations } from "../constants.ts";
import { busChildOf } from "../bus/virtual_bus.ts";
import { runDriverRoutine } from "../io/iomgr.ts";
import { DeviceObject, FileObject } from "../io/objects.ts";
import { NT_SUCCESS, ntStatusName, STATUS_SUCCESS, STATUS_UNSUCCESSFUL } from "../ntstatus.ts";
import { type DevNode, type DevNodeState, notDisableableBelow } from "./devnode.ts";
import { checkRemoved } from "../verifier/verifier.ts";

import * as pnpirp from "./pnpirp.ts";
import type { PnpManager, Veto } from "./pnpmgr.ts";

/** Whether `n` is a descendant of `ancestor`. */
function isBelow(n: DevNode, ancestor: DevNode): boolean {
  for (let p = n.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

export function sendRemove(
  pnp: PnpManager,
  node: DevNode,
): void {
  const stack: DeviceObject[] = [];
  for (let d: DeviceObject | null = node.top; d; d = d.lower) stack.push(d);
  pnpirp.removeDevice(pnp, node);
  if (pnp.sys.options.verifier !== "off") checkRemoved(pnp.sys, stack);
  node.startCompleted = false;
  pnp.notifier.disableLeftovers(node);
}

/** IoDeleteDevice of a PDO its bus still reports is Driver Verifier's 0xC9 0x221. */
export function checkPdoDeletion(
  pnp: PnpManager,
  device: DeviceObject,
): void {
  const node = pnp.nodeOf(device);
  if (node && node.pdo === device && node.reported && node.state !== "Absent") {
    pnp.sys.violate(
      "PnpPdoDeletedWhileReported",
      `${device.DriverObject.name} deleted the PDO of ${node.instanceId} while its bus still reports it in BusRelations`,
      [device.serial, 0, 0],
    );
  }
}

/** A child is no longer in its bus's BusRelations: surprise removal if it had drivers, then REMOVE once handles close. */
export function deviceGone(
  pnp: PnpManager,
  node: DevNode,
): void {
  node.reported = false;
  pnp.surpriseRemoveTree(node, true);
}

/**
 * Surprise removal of a subtree, children first: IRP_MN_SURPRISE_REMOVAL to every device that had
 * a stack, then REMOVE to each once its handles are closed and its children are gone. `gone` says
 * the device itself left its bus (its devnode leaves the tree); otherwise it failed while still
 * present (PNP_DEVICE_FAILED, a failed restart) and stays, removed, while its children go with
 * their bus. Once IRP_MN_SURPRISE_REMOVAL has completed, the PnP manager itself disables the
 * interfaces the drivers left enabled, so their removal notifications go out then, while handles
 * may still be open and REMOVE waits for them (Wine's `ntoskrnl.c` test_pnp_devices, checked on
 * Windows: the child interface's DBT_DEVICEREMOVECOMPLETE arrives after the bus drops the child and
 * before the test closes its handle, although `driver_pnp.c` disables the interface only in REMOVE).
 */
export function surpriseRemoveTree(
  pnp: PnpManager,
  node: DevNode,
  gone: boolean,
): void {
  const order = [...node.descendants()].reverse();
  order.push(node);
  for (const n of order) {
    if (n.state === "Absent") continue;
    n.removal = n !== node ? "withBus" : gone ? "gone" : "stays";
    const hadStack = n.top !== n.pdo || n.state === "Started" || n.state === "Stopped";
    if (hadStack && n.state !== "Removed" && n.state !== "SurpriseRemoved") {
      n.removalInProgress = true;
      pnpirp.surpriseRemoval(pnp, n);
      pnp.setState(n, "SurpriseRemoved");
      pnp.notifier.disableLeftovers(n);
      pnp.notifier.removeComplete(n, true);
    }
  }
  for (const n of order) pnp.finishRemoval(n);
}

/**
 * Sends the final REMOVE once no handle is open and every child is gone. Then, as `node.removal`
 * says: the devnode leaves the tree (its device left), its bus deletes its PDO (its parent is being
 * removed while the hardware stays), or it stays in the tree, removed.
 */
export function finishRemoval(
  pnp: PnpManager,
  node: DevNode,
): void {
  if (node.state === "Absent") return;
  if (node.opens.size > 0 || node.children.some((c) => c.state !== "Absent")) {
    if (!node.removeWaitsForHandles) {
      node.removeWaitsForHandles = true;
      pnp.sys.trace.push({
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
  pnp.sendRemove(node);
  if (removal === "withBus") {
    pnp.setState(node, "Removed");
    pnp.deleteChildPdo(node);
    return;
  }
  if (removal === "gone" || !node.pdo.deleted) pnp.setState(node, "Removed");
  if (removal === "gone") pnp.leaveTree(node);
}

export function leaveTree(
  pnp: PnpManager,
  node: DevNode,
): void {
  const parent = node.parent;
  parent?.removeChild(node);
  pnp.byInstance.delete(node.instanceId.toUpperCase());
  pnp.setState(node, "Absent");
  pnp.notifier.gone(node);
  if (parent?.removeWaitsForHandles) pnp.finishRemoval(parent);
}

/** The last open of a device closed: a REMOVE that was waiting goes out now (queued). */
export function opensClosed(
  pnp: PnpManager,
  node: DevNode,
): void {
  if (node.removeWaitsForHandles && node.opens.size === 0) {
    pnp.enqueue(`remove ${node.instanceId}`, () => pnp.finishRemoval(node));
  }
}

/** A removed bus's child: its bus driver deletes the PDO and the devnode leaves the tree. */
export function deleteChildPdo(
  pnp: PnpManager,
  n: DevNode,
): void {
  const pdo = n.pdo;
  const record = busChildOf(pdo);
  if (record) {
    record.pdo = null;
    record.reportedMissing = false;
  }
  n.reported = false;
  if (!pdo.deleted) {
    runDriverRoutine(
      pnp.sys,
      pdo.DriverObject,
      "DispatchPnp",
      () => pnp.sys.kernel.IoDeleteDevice(pdo),
    );
  }
  pnp.leaveTree(n);
}

/**
 * The devices a query-remove covers: the device, its descendants, and the subtrees of its
 * removal relations; an eject adds its ejection relations ("The PnP manager queries for
 * RemovalRelations and EjectionRelations before it ejects a device", IRP_MN_QUERY_DEVICE_RELATIONS).
 */
export function removalSet(
  pnp: PnpManager,
  node: DevNode,
  relations: readonly number[] = [RemovalRelations],
): DevNode[] {
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
  // descendants, and are asked in turn (ReactOS IopPrepareDeviceForRemoval query-removes each
  // removal relation recursively, then each child; docs/pnp.md#pnp-orderly-removal). Only the
  // device being ejected is asked for EjectionRelations (IRP_MN_QUERY_DEVICE_RELATIONS).
  for (let i = 0; i < set.length; i++) {
    const n = set[i]!;
    if (n.state !== "Started") continue;
    for (const relation of n === node ? relations : [RemovalRelations]) {
      const r = pnpirp.queryDeviceRelations(pnp, n, relation);
      if (NT_SUCCESS(r.status) && Array.isArray(r.information)) {
        for (const d of r.information as unknown[]) {
          const rel = pnp.nodeOf(d);
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
export function queryAndRemove(
  pnp: PnpManager,
  node: DevNode,
  options: { eject?: boolean; disable?: boolean } = {},
): { status: number; veto?: Veto } {
  const sys = pnp.sys;
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
  const set = pnp.removalSet(
    node,
    options.eject ? [RemovalRelations, EjectionRelations] : [RemovalRelations],
  );
  const order = set.filter((n) => n.state !== "Absent").sort((a, b) => b.level - a.level);
  const veto = pnp.notifier.queryRemove(order);
  if (veto) return pnp.cancel(order, [], veto);
  const queried: DevNode[] = [];
  const previous = new Map<DevNode, DevNodeState>();
  for (const n of order) {
    if (n.state !== "Started" && n.state !== "Stopped") continue;
    previous.set(n, n.state);
    queried.push(n);
    const r = pnpirp.queryRemoveDevice(pnp, n);
    if (!NT_SUCCESS(r.status)) {
      return pnp.cancel(order, queried, {
        status: r.status,
        vetoType: "PNP_VetoDevice",
        by: `driver stack of ${n.instanceId}`,
        instance: n.instanceId,
      }, previous);
    }
    n.removalInProgress = true;
    pnp.setState(n, "RemovePending");
  }
  // "Open handles are tracked by the OS, which fails the query itself if handles remain."
  const open = order.find((n) => n.opens.size > 0);
  if (open) {
    const holders = [...open.opens].map((f) => f.openedBy).join(", ");
    return pnp.cancel(order, queried, {
      status: STATUS_UNSUCCESSFUL,
      vetoType: "PNP_VetoOutstandingOpen",
      by: holders,
      instance: open.instanceId,
    }, previous);
  }
  for (const n of order) {
    pnp.notifier.removeComplete(n, false);
    if (n.state === "Absent") continue;
    pnp.sendRemove(n);
    pnp.setState(n, "Removed", options.disable && n === node ? CM_PROB_DISABLED : 0);
    n.removalInProgress = false;
  }
  // The removed devices' own children go with their bus: the bus driver deletes their PDOs when
  // its FDO is removed ("Removing a device in a function driver", step 1; the toaster bus destroys
  // its remaining children), and their devnodes leave the tree. The hardware stays plugged in, so
  // a restarted bus reports them again with new PDOs.
  for (const n of order) {
    if (n === node || n.state === "Absent" || !isBelow(n, node)) continue;
    pnp.deleteChildPdo(n);
  }
  sys.trace.push({
    kind: "info",
    what: "removal complete",
    detail: { instance: node.instanceId },
  });
  return { status: STATUS_SUCCESS };
}

export function cancel(
  pnp: PnpManager,
  order: DevNode[],
  queried: DevNode[],
  veto: Veto,
  previous: Map<DevNode, DevNodeState> = new Map(),
): { status: number; veto: Veto } {
  pnp.sys.trace.push({
    kind: "info",
    what: "query-remove vetoed",
    detail: { ...veto, statusName: ntStatusName(veto.status) },
  });
  // Every device already queried, the one that failed included, in query order: children before
  // parents, as the removal itself would have gone (docs/pnp.md#pnp-orderly-removal).
  for (const n of queried) {
    pnpirp.cancelRemoveDevice(pnp, n);
    n.removalInProgress = false;
    pnp.setState(n, previous.get(n) ?? "Started");
  }
  pnp.notifier.removeCancelled(order);
  return { status: veto.status, veto };
}

/** Drops a reference; the last reference of a file object closes the open. */
export function dereference(
  pnp: PnpManager,
  object: unknown,
): void {
  if (!object || typeof object !== "object" || !("references" in object)) return;
  const o = object as { references: number };
  o.references = Math.max(0, o.references - 1);
  if (object instanceof FileObject && o.references === 0 && !object.closed) {
    // The last reference of a file object: the I/O manager sends IRP_MJ_CLEANUP and IRP_MJ_CLOSE
    // (IRP_MJ_CLOSE: "a kernel-mode component has called ObDereferenceObject").
    pnp.sys.users.closeFile(object, pnp.sys.caller.process);
  }
}

/** An open of a device ends (CloseHandle, or the last ObDereferenceObject of a kernel file object). */
export function closeOpen(
  pnp: PnpManager,
  file: FileObject,
): void {
  file.closed = true;
  const node = pnp.nodeOf(file.DeviceObject.bottom);
  if (!node) return;
  node.removeOpen(file);
  pnp.opensClosed(node);
}
