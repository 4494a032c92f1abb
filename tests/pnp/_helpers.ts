/**
 * Shared helpers for the PnP manager tests: reading IRP sequences out of the trace, status
 * assertions that print NTSTATUS names, and small WDM drivers whose behaviour a test can bend
 * (fail one minor function, run a completion routine, record what they saw).
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  type DeviceObject,
  type DriverObject,
  type DriverSpec,
  type Irp,
  IRP_MN_CANCEL_REMOVE_DEVICE,
  IRP_MN_CANCEL_STOP_DEVICE,
  IRP_MN_QUERY_REMOVE_DEVICE,
  IRP_MN_QUERY_STOP_DEVICE,
  IRP_MN_REMOVE_DEVICE,
  IRP_MN_START_DEVICE,
  IRP_MN_STOP_DEVICE,
  IRP_MN_SURPRISE_REMOVAL,
  type IrpEvent,
  type Kernel,
  type Machine,
  ntStatusName,
  STATUS_SUCCESS,
  type TraceEvent,
} from "../../mod.ts";
import { irpParameter } from "../../lib/trace/format.ts";

/** A device interface class the tests register (not a real Windows class). */
export const GUID_TEST_INTERFACE = "{6a1d3c2e-0b7f-4d55-9c1e-5f0a9e2b7c41}";
/** `HKLM\SYSTEM\CurrentControlSet`. */
export const CCS = "HKLM\\SYSTEM\\CurrentControlSet";

/** The Enum (hardware) key of a device instance. */
export function enumKey(instanceId: string): string {
  return `${CCS}\\Enum\\${instanceId}`;
}

/** Asserts an NTSTATUS, comparing names so that a failure reads `STATUS_ACCESS_DENIED` rather than 3221225506. */
export function assertStatus(actual: number | undefined, expected: number, message?: string): void {
  const name = (s: number | undefined) =>
    s === undefined ? "undefined" : `${ntStatusName(s)} (0x${s.toString(16)})`;
  assert.equal(name(actual), name(expected), message);
}

/** The trace position now, to read only what a step adds. */
export function mark(m: Machine): number {
  return m.trace.length;
}

/** Trace events since a mark. */
export function since(m: Machine, from: number): TraceEvent[] {
  return m.trace.slice(from);
}

/** IRP_MJ_PNP dispatch events since a mark. */
export function pnpDispatches(m: Machine, from = 0): IrpEvent[] {
  return since(m, from).filter((e): e is IrpEvent =>
    e.kind === "irp" && e.phase === "dispatch" && e.major === "IRP_MJ_PNP"
  );
}

/** A short name for a trace minor: `IRP_MN_QUERY_ID` → `QUERY_ID`. */
function short(minor: string | undefined): string {
  return (minor ?? "?").replace(/^IRP_MN_/, "");
}

/**
 * The PnP IRPs one device stack received since a mark, one entry per IRP (the first dispatch, at the
 * top of the stack), as `MINOR` or `MINOR(param)`: `QUERY_DEVICE_RELATIONS(BusRelations)`.
 */
export function irpSequence(m: Machine, instance: string, from = 0): string[] {
  const seen = new Set<number>();
  const out: string[] = [];
  for (const e of pnpDispatches(m, from)) {
    if (e.instance !== instance || seen.has(e.irp)) continue;
    seen.add(e.irp);
    out.push(describe(e));
  }
  return out;
}

/** `MINOR` or `MINOR(param)` of a dispatch event. */
export function describe(e: IrpEvent): string {
  const param = irpParameter(e);
  return param === undefined ? short(e.minor) : `${short(e.minor)}(${param})`;
}

/** The same, across every stack: `instance MINOR`, for orders that span devices. */
export function irpSequenceAll(m: Machine, from = 0, minors?: string[]): string[] {
  const seen = new Set<number>();
  const out: string[] = [];
  for (const e of pnpDispatches(m, from)) {
    if (seen.has(e.irp)) continue;
    seen.add(e.irp);
    if (minors && !minors.includes(short(e.minor))) continue;
    out.push(`${e.instance} ${describe(e)}`);
  }
  return out;
}

/** The device objects one IRP of a minor function visited on a stack, in dispatch order (the first such IRP since the mark). */
export function route(m: Machine, instance: string, minor: string, from = 0): string[] {
  const events = pnpDispatches(m, from).filter((e) =>
    e.instance === instance && short(e.minor) === minor
  );
  const first = events[0];
  if (!first) return [];
  return events.filter((e) => e.irp === first.irp).map((e) => e.driver);
}

/** How many distinct IRPs of a minor function a stack received since a mark. */
export function countIrps(m: Machine, instance: string, minor: string, from = 0): number {
  return new Set(
    pnpDispatches(m, from).filter((e) => e.instance === instance && short(e.minor) === minor)
      .map((e) => e.irp),
  ).size;
}

/** The minor functions a driver must succeed (and may never fail with STATUS_NOT_SUPPORTED). */
const MUST_SUCCEED = [
  IRP_MN_START_DEVICE,
  IRP_MN_QUERY_REMOVE_DEVICE,
  IRP_MN_CANCEL_REMOVE_DEVICE,
  IRP_MN_STOP_DEVICE,
  IRP_MN_QUERY_STOP_DEVICE,
  IRP_MN_CANCEL_STOP_DEVICE,
  IRP_MN_SURPRISE_REMOVAL,
];

/** What a test function driver does with one minor function instead of passing it down. */
export type MinorHook = (k: Kernel, fdo: DeviceObject, irp: Irp) => number | undefined;

/**
 * A WDM function driver ("Passing PnP IRPs down the device stack"): AddDevice creates an FDO and
 * attaches it; DispatchPnp succeeds the IRPs a function driver must succeed and passes everything
 * down; on REMOVE it passes down, detaches and deletes. `fail` makes it fail minor functions with a
 * status (completing the IRP itself); `hooks` replace its handling of a minor function (return
 * undefined to fall through to the default).
 */
export function functionDriver(
  name: string,
  hardwareIds: string[],
  options: {
    fail?: Partial<Record<number, number>>;
    hooks?: Partial<Record<number, MinorHook>>;
  } & Partial<DriverSpec> = {},
): DriverSpec {
  const { fail = {}, hooks = {}, ...rest } = options;
  return {
    name,
    hardwareIds,
    AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
      const r = k.IoCreateDevice(driver, 0, null, 0x22, 0x100, false);
      if (!r.deviceObject) return r.status;
      const lower = k.IoAttachDeviceToDeviceStack(r.deviceObject, pdo);
      r.deviceObject.DeviceExtension.LowerDeviceObject = lower;
      r.deviceObject.Flags &= ~0x80;
      return STATUS_SUCCESS;
    },
    DispatchPnp(k: Kernel, fdo: DeviceObject, irp: Irp): number {
      const minor = k.IoGetCurrentIrpStackLocation(irp).MinorFunction;
      const lower = fdo.DeviceExtension.LowerDeviceObject as DeviceObject;
      const hooked = hooks[minor]?.(k, fdo, irp);
      if (hooked !== undefined) return hooked;
      const failure = fail[minor];
      if (failure !== undefined) {
        irp.IoStatus.Status = failure;
        k.IoCompleteRequest(irp, 0);
        return failure;
      }
      if (minor === IRP_MN_REMOVE_DEVICE) {
        irp.IoStatus.Status = STATUS_SUCCESS;
        k.IoSkipCurrentIrpStackLocation(irp);
        const status = k.IoCallDriver(lower, irp);
        k.IoDetachDevice(lower);
        k.IoDeleteDevice(fdo);
        return status;
      }
      if (MUST_SUCCEED.includes(minor)) irp.IoStatus.Status = STATUS_SUCCESS;
      k.IoSkipCurrentIrpStackLocation(irp);
      return k.IoCallDriver(lower, irp);
    },
    ...rest,
  };
}
