/**
 * The verifier's checks of IRP handling, run around every dispatch routine: what the routine did
 * with the IRP (passed it down, completed it, both, neither) against what WDM requires, and the
 * REMOVE and SURPRISE_REMOVAL obligations. Rules and their outcomes are in rules.ts.
 *
 * @module
 */
import {
  IRP_MJ_PNP,
  IRP_MN_CANCEL_REMOVE_DEVICE,
  IRP_MN_CANCEL_STOP_DEVICE,
  IRP_MN_NAMES,
  IRP_MN_QUERY_INTERFACE,
  IRP_MN_QUERY_REMOVE_DEVICE,
  IRP_MN_QUERY_STOP_DEVICE,
  IRP_MN_REMOVE_DEVICE,
  IRP_MN_START_DEVICE,
  IRP_MN_STOP_DEVICE,
  IRP_MN_SURPRISE_REMOVAL,
} from "../constants.ts";
import { currentPnpMinor, type DispatchRecord } from "../io/iomgr.ts";
import type { DeviceObject } from "../io/objects.ts";
import { NT_SUCCESS, ntStatusName, STATUS_NOT_SUPPORTED, STATUS_PENDING } from "../ntstatus.ts";
import type { System } from "../system.ts";

/** PnP IRPs a driver must handle and may not fail with STATUS_NOT_SUPPORTED. */
const REQUIRED = new Set([
  IRP_MN_START_DEVICE,
  IRP_MN_QUERY_REMOVE_DEVICE,
  IRP_MN_REMOVE_DEVICE,
  IRP_MN_CANCEL_REMOVE_DEVICE,
  IRP_MN_STOP_DEVICE,
  IRP_MN_QUERY_STOP_DEVICE,
  IRP_MN_CANCEL_STOP_DEVICE,
  IRP_MN_SURPRISE_REMOVAL,
]);

/** PnP IRPs that must not fail (the PnpRemove rule). */
const MUST_NOT_FAIL = new Set([
  IRP_MN_SURPRISE_REMOVAL,
  IRP_MN_REMOVE_DEVICE,
  IRP_MN_CANCEL_REMOVE_DEVICE,
  IRP_MN_CANCEL_STOP_DEVICE,
]);

/**
 * PnP IRPs a function or filter driver may complete without passing down: the PnpIrpCompletion
 * rule (wdm) excludes them (a driver answers a query about itself, or vetoes it).
 */
const MAY_COMPLETE_WITHOUT_PASSING_DOWN = new Set([
  IRP_MN_QUERY_INTERFACE,
  IRP_MN_QUERY_STOP_DEVICE,
  IRP_MN_QUERY_REMOVE_DEVICE,
]);

function isPdo(device: DeviceObject): boolean {
  return device.lower === null && device.role === "PDO";
}

/** Checks what a dispatch routine did with its IRP once it returned. */
export function checkDispatch(sys: System, rec: DispatchRecord, status: number): void {
  const routine = rec.major === IRP_MJ_PNP ? "DispatchPnp" : "Dispatch";
  const who = `${rec.device.DriverObject.name}!${routine}`;
  const name = rec.major === IRP_MJ_PNP
    ? IRP_MN_NAMES[rec.minor] ?? `minor ${rec.minor}`
    : `major ${rec.major}`;
  if (!rec.forwarded && !rec.completed && status !== STATUS_PENDING) {
    sys.violate(
      "DispatchIrpLost",
      `${who} returned ${
        ntStatusName(status)
      } for ${name} without completing it, passing it down or returning STATUS_PENDING`,
      [rec.irp.id, 0, 0],
    );
  }
  if (rec.completed && status !== STATUS_PENDING && status >>> 0 !== rec.completionStatus >>> 0) {
    sys.violate(
      "DispatchStatusMismatch",
      `${who} completed ${name} with ${ntStatusName(rec.completionStatus)} but returned ${
        ntStatusName(status)
      }`,
      [rec.irp.id, status, rec.completionStatus],
    );
  }
  // A routine that marked the IRP pending returns STATUS_PENDING whatever IoCallDriver returned.
  if (
    rec.forwarded && !rec.completed && rec.lowerReturn !== undefined &&
    status >>> 0 !== rec.lowerReturn >>> 0 && !(status === STATUS_PENDING && rec.markedPending)
  ) {
    sys.violate(
      "LowerDriverReturn",
      `${who} passed ${name} down; IoCallDriver returned ${
        ntStatusName(rec.lowerReturn)
      } but the routine returned ${ntStatusName(status)}`,
    );
  }
  if (rec.major !== IRP_MJ_PNP) return;
  if (
    !isPdo(rec.device) && rec.completed && !rec.forwarded && NT_SUCCESS(rec.completionStatus) &&
    !MAY_COMPLETE_WITHOUT_PASSING_DOWN.has(rec.minor)
  ) {
    sys.violate(
      "PnpIrpCompletion",
      `${who} (${
        rec.device.role ?? "device"
      }) completed ${name} successfully without passing it down to the bus driver`,
    );
  }
  if (
    rec.forwarded && !NT_SUCCESS(rec.forwardStatus) && rec.forwardStatus !== STATUS_NOT_SUPPORTED
  ) {
    sys.violate(
      "PnpFailurePassedDown",
      `${who} passed ${name} down with ${
        ntStatusName(rec.forwardStatus)
      }; a driver fails an IRP by completing it`,
      [rec.irp.id, 0, 0],
    );
  }
  if (rec.completed && rec.completionStatus === STATUS_NOT_SUPPORTED && REQUIRED.has(rec.minor)) {
    sys.violate(
      "PnpIrpFailedNotSupported",
      `${who} failed ${name} with STATUS_NOT_SUPPORTED; STATUS_NOT_SUPPORTED may never fail a required PnP IRP`,
      [rec.irp.id, 0, 0],
    );
  }
  if (rec.completed && !NT_SUCCESS(rec.completionStatus) && MUST_NOT_FAIL.has(rec.minor)) {
    sys.violate(
      "PnpRemove",
      `${who} completed ${name} with ${ntStatusName(rec.completionStatus)}; this IRP must not fail`,
      [rec.irp.id, 0, 0],
    );
  }
}

/** Key handles a dispatch routine opened and did not close before returning (SDV's ZwRegistryCreate). */
export function checkDispatchHandles(sys: System, record: DispatchRecord, frame: string): void {
  if (sys.keyHandles.serial === record.handleSerial) return;
  for (const [handle, entry] of sys.keyHandles.entries()) {
    if (entry.openedBy === frame && sys.keyHandles.serialOf(handle) > record.handleSerial) {
      sys.violate(
        "ZwRegistryCreate",
        `${frame} returned with key handle ${handle} (from ${entry.routine}) still open`,
      );
    }
  }
}

/** After IRP_MN_REMOVE_DEVICE: every function and filter device object of the stack must be detached and deleted. */
export function checkRemoved(sys: System, stack: DeviceObject[]): void {
  for (const d of stack) {
    if (d.role === "PDO") continue;
    const who = `${d.DriverObject.name} (${d.role ?? "device"} ${d.name ?? "#" + d.serial})`;
    if (d.lower !== null) {
      sys.violate(
        "PnpRemoveNotDetached",
        `${who} did not call IoDetachDevice on IRP_MN_REMOVE_DEVICE`,
        [d.serial, 0, 0],
      );
    }
    if (!d.deleted) {
      sys.violate(
        "PnpRemoveNotDeleted",
        `${who} did not call IoDeleteDevice on IRP_MN_REMOVE_DEVICE`,
        [d.serial, 0, 0],
      );
    }
  }
}

/** IoDeleteDevice or IoDetachDevice while handling IRP_MN_SURPRISE_REMOVAL. */
export function checkSurpriseRemovalDetach(
  sys: System,
  routine: string,
  device: DeviceObject,
): void {
  if (currentPnpMinor(sys) === IRP_MN_SURPRISE_REMOVAL) {
    sys.violate(
      "PnpSurpriseRemove",
      `${routine}(${device}) while handling IRP_MN_SURPRISE_REMOVAL: the device must stay attached until IRP_MN_REMOVE_DEVICE`,
    );
  }
}
