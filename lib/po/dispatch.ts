/**
 * Who answers a power IRP at a device object without its own IRP_MJ_POWER routine, and how: the
 * documented default of each role, written the way the WDM toaster sample writes it.
 * - A filter passes every power IRP down untouched ("Handling a System Set-Power IRP in a Filter
 *   Driver").
 * - A function driver is the device power policy owner: it sends a system IRP down with a completion
 *   routine, and there requests the matching device IRP (PoRequestPowerIrp, the S→D mapping of
 *   DEVICE_CAPABILITIES.DeviceState, DeviceWake when wake is armed) and completes the system IRP
 *   from that request's callback ("Handling a System Set-Power IRP in a Device Power Policy
 *   Owner"); it reports its device state with PoSetPowerState before powering down and after
 *   powering up ("Handling IRP_MN_SET_POWER for Device Power States").
 * - A virtual-bus PDO is answered by the bus model (`busPowerDispatch`); any other device with
 *   nothing below it succeeds set and query and completes the rest with the preset status.
 *
 * @module
 */
import {
  DevicePowerState,
  DISPATCH_LEVEL,
  DO_POWER_PAGABLE,
  IRP_MJ_POWER,
  IRP_MN_QUERY_POWER,
  IRP_MN_SET_POWER,
  IRP_MN_WAIT_WAKE,
  PASSIVE_LEVEL,
  PowerDeviceUnspecified,
  PowerSystemWorking,
  SystemPowerState,
} from "../constants.ts";
import { busChildOf, busPowerDispatch } from "../bus/virtual_bus.ts";
import { type IoPowerHooks, lowerDeviceOf } from "../io/iomgr.ts";
import type { DeviceObject, DispatchRoutine, IO_STATUS_BLOCK, Irp } from "../io/objects.ts";
import type { Kernel } from "../kernel.ts";
import {
  NT_SUCCESS,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_PENDING,
  STATUS_SUCCESS,
} from "../ntstatus.ts";
import { deviceStateFor } from "./capabilities.ts";
import type { PowerManager } from "./pomgr.ts";

/**
 * The I/O manager's power hooks for one machine: the routine for a device object (its driver's own,
 * else its role's default) and the IRQL of its stack: PASSIVE_LEVEL when the PDO has
 * DO_POWER_PAGABLE, DISPATCH_LEVEL otherwise ("IRP_MN_SET_POWER": the power manager sends power IRPs
 * at PASSIVE_LEVEL to stacks whose PDO sets DO_POWER_PAGABLE, and may send them at DISPATCH_LEVEL to
 * the others, DO_POWER_INRUSH ones included).
 */
export function powerHooks(po: PowerManager): IoPowerHooks {
  const owner = policyOwnerDispatch(po);
  return {
    dispatchFor(device: DeviceObject): DispatchRoutine {
      // A PDO of the model's virtual bus is answered by the bus model, whichever driver owns it.
      if (busChildOf(device)) return busPowerDispatch;
      const own = device.DriverObject.MajorFunction[IRP_MJ_POWER];
      if (own) return own;
      const lower = lowerDeviceOf(device);
      if (!lower) return completeAtBottom;
      return device.role === "filter" ? passDownPower : owner;
    },
    irqlFor(device: DeviceObject): number {
      return device.bottom.Flags & DO_POWER_PAGABLE ? PASSIVE_LEVEL : DISPATCH_LEVEL;
    },
  };
}

/** A filter's default: PoStartNextPowerIrp, skip, PoCallDriver. */
export function passDownPower(k: Kernel, device: DeviceObject, irp: Irp): number {
  k.PoStartNextPowerIrp(irp);
  k.IoSkipCurrentIrpStackLocation(irp);
  return k.PoCallDriver(lowerDeviceOf(device)!, irp);
}

/** A device with nothing below it that is not a bus PDO: set and query succeed. */
function completeAtBottom(k: Kernel, _device: DeviceObject, irp: Irp): number {
  const minor = k.IoGetCurrentIrpStackLocation(irp).MinorFunction;
  if (minor === IRP_MN_SET_POWER || minor === IRP_MN_QUERY_POWER) {
    irp.IoStatus.Status = STATUS_SUCCESS;
  }
  const status = irp.IoStatus.Status;
  k.PoStartNextPowerIrp(irp);
  k.IoCompleteRequest(irp, 0);
  return status;
}

/**
 * The device state a policy owner asks for in a system state: the DeviceState[] mapping, or
 * DeviceWake when the device is armed for wake and DeviceWake is allowed in that state.
 */
export function policyDeviceState(po: PowerManager, pdo: DeviceObject, system: number): number {
  const caps = po.hooks.capabilitiesOf(pdo);
  const mapped = deviceStateFor(caps, system);
  const wake = caps?.DeviceWake ?? PowerDeviceUnspecified;
  const armed = po.pendingIn(pdo).some((irp) =>
    irp.stack.some((l) => l.MajorFunction === IRP_MJ_POWER && l.MinorFunction === IRP_MN_WAIT_WAKE)
  );
  const sleeping = system !== PowerSystemWorking;
  return sleeping && armed && wake !== PowerDeviceUnspecified && wake >= mapped ? wake : mapped;
}

/** The default power policy owner (the toaster function driver's power handling, in brief). */
function policyOwnerDispatch(po: PowerManager): DispatchRoutine {
  /** The device IRP's callback completes the system IRP it was requested for. */
  const deviceIrpDone = (k: Kernel) =>
  (
    _device: DeviceObject,
    _minor: number,
    _state: number,
    context: unknown,
    ioStatus: IO_STATUS_BLOCK,
  ): void => {
    const systemIrp = context as Irp;
    systemIrp.IoStatus.Status = ioStatus.Status;
    k.PoStartNextPowerIrp(systemIrp);
    k.IoCompleteRequest(systemIrp, 0);
  };
  const systemIrpDone = (k: Kernel, fdo: DeviceObject | null, irp: Irp): number => {
    const loc = k.IoGetCurrentIrpStackLocation(irp);
    if (!fdo || !NT_SUCCESS(irp.IoStatus.Status)) {
      k.PoStartNextPowerIrp(irp);
      return STATUS_SUCCESS;
    }
    const pdo = fdo.bottom;
    const state = policyDeviceState(po, pdo, Number(loc.Parameters.Power!.State));
    const r = k.PoRequestPowerIrp(pdo, loc.MinorFunction, state, deviceIrpDone(k), irp);
    if (!NT_SUCCESS(r.status)) {
      irp.IoStatus.Status = r.status;
      k.PoStartNextPowerIrp(irp);
      return STATUS_SUCCESS;
    }
    return STATUS_MORE_PROCESSING_REQUIRED;
  };
  const poweredUp = (k: Kernel, fdo: DeviceObject | null, irp: Irp): number => {
    const loc = k.IoGetCurrentIrpStackLocation(irp);
    if (fdo && NT_SUCCESS(irp.IoStatus.Status)) {
      k.PoSetPowerState(fdo, DevicePowerState, Number(loc.Parameters.Power!.State));
    }
    k.PoStartNextPowerIrp(irp);
    return STATUS_SUCCESS;
  };
  return (k, fdo, irp) => {
    const loc = k.IoGetCurrentIrpStackLocation(irp);
    const lower = lowerDeviceOf(fdo)!;
    const minor = loc.MinorFunction;
    const power = loc.Parameters.Power;
    if (power && (minor === IRP_MN_SET_POWER || minor === IRP_MN_QUERY_POWER)) {
      if (power.Type === SystemPowerState) {
        // The system IRP waits for the device IRP: pended, completed from the callback.
        k.IoMarkIrpPending(irp);
        k.IoCopyCurrentIrpStackLocationToNext(irp);
        k.IoSetCompletionRoutine(irp, systemIrpDone, null, true, true, true);
        k.PoCallDriver(lower, irp);
        return STATUS_PENDING;
      }
      const state = Number(power.State);
      if (minor === IRP_MN_SET_POWER) {
        const current = po.deviceState(fdo);
        if (current !== PowerDeviceUnspecified && state < current) {
          // Powering up: the bus powers the device first; the driver restores it on the way up.
          k.IoMarkIrpPending(irp);
          k.IoCopyCurrentIrpStackLocationToNext(irp);
          k.IoSetCompletionRoutine(irp, poweredUp, null, true, true, true);
          k.PoCallDriver(lower, irp);
          return STATUS_PENDING;
        }
        // Powering down: save the context, tell the power manager, then pass it to the bus.
        k.PoSetPowerState(fdo, DevicePowerState, state);
      }
    }
    k.PoStartNextPowerIrp(irp);
    k.IoSkipCurrentIrpStackLocation(irp);
    return k.PoCallDriver(lower, irp);
  };
}
