/**
 * The verifier's power checks, run after every dispatch routine that received IRP_MJ_POWER: what a
 * function or filter driver did with a set-power IRP (failed it, completed it instead of passing it
 * down, did not pend a system IRP it must wait on) and which routines it called while handling one.
 * Rules and their outcomes are in rules.ts; the watchdog (0x9F) is the power manager's.
 *
 * @module
 */
import {
  IRP_MJ_POWER,
  IRP_MN_SET_POWER,
  PowerDeviceD0,
  powerStateName,
  PowerSystemWorking,
  SystemPowerState,
} from "../constants.ts";
import type { DispatchRecord } from "../io/iomgr.ts";
import { NT_SUCCESS, ntStatusName, STATUS_PENDING } from "../ntstatus.ts";
import type { System } from "../system.ts";

/**
 * Routines that must run at PASSIVE_LEVEL and so may not be called while handling IRP_MN_SET_POWER
 * (the PowerIrpDDis rule's list, as far as the model has them).
 */
const PASSIVE_ONLY =
  /^(Zw|Rtl)|^Io(OpenDeviceRegistryKey|OpenDriverRegistryKey|GetDeviceProperty|GetDevicePropertyData|SetDevicePropertyData|RegisterPlugPlayNotification|UnregisterPlugPlayNotification|UnregisterPlugPlayNotificationEx|ReportTargetDeviceChange|RegisterDeviceInterface|SetDeviceInterfaceState|GetDeviceInterfaces|OpenDeviceInterfaceRegistryKey)$/;

/**
 * Checks a function or filter driver's handling of a power IRP once its dispatch routine returned
 * (and, for PowerIrpDDis, any driver's: the calls it made since the IRP reached it).
 */
export function checkPowerDispatch(
  sys: System,
  rec: DispatchRecord,
  status: number,
  routine: string,
): void {
  if (rec.major !== IRP_MJ_POWER || rec.minor !== IRP_MN_SET_POWER) return;
  // A skipped location is reused below; every location of one power IRP carries the same state.
  const power = rec.irp.stack.find((l) => l.Parameters.Power)?.Parameters.Power;
  if (!power) return;
  const type = Number(power.Type);
  const state = Number(power.State);
  const up = type === SystemPowerState ? state === PowerSystemWorking : state === PowerDeviceD0;
  const what = `IRP_MN_SET_POWER(${
    type === SystemPowerState ? "SystemPowerState" : "DevicePowerState"
  } ${powerStateName(type, state)})`;
  const events = sys.trace.events;
  const device = String(rec.device);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === "irp" && e.irp === rec.irp.id && e.phase === "dispatch" && e.device === device) {
      break;
    }
    if (e.kind === "call" && e.caller === routine && PASSIVE_ONLY.test(e.routine)) {
      sys.violate(
        "PowerIrpDDis",
        `${routine} called ${e.routine} while handling ${what}; it may only be called at PASSIVE_LEVEL outside power IRP handling`,
      );
      break;
    }
  }
  if (rec.device.role === "PDO" && rec.device.lower === null) return;
  if (rec.completed && !NT_SUCCESS(rec.completionStatus)) {
    sys.violate(
      up ? "PowerUpFail" : "PowerDownFail",
      `${routine} (${rec.device.role ?? "device"}) failed ${what} with ${
        ntStatusName(rec.completionStatus)
      }; a set-power IRP cannot be failed`,
    );
  }
  if (type !== SystemPowerState) return;
  if (rec.completed && !rec.forwarded) {
    sys.violate(
      "SetPowerNotPassedDown",
      `${routine} (${
        rec.device.role ?? "device"
      }) completed ${what} without passing it down; only the bus driver completes it`,
    );
  }
  if (rec.device.role === "FDO" && status !== STATUS_PENDING && rec.forwarded) {
    sys.violate(
      up ? "MarkPower" : "MarkPowerDown",
      `${routine} (FDO, the power policy owner) returned ${
        ntStatusName(status)
      } for ${what}; it must pend it until the device IRP it requests with PoRequestPowerIrp completes`,
    );
  }
}
