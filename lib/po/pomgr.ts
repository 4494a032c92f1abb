/**
 * The power manager: the system power state (S0..S5), each device object's device power state as
 * its driver reports it (PoSetPowerState), the power IRPs in flight, and the system transitions. A
 * transition sends system power IRPs (IRP_MJ_POWER with SystemPowerState) to the top of every
 * started stack, one at a time, in the documented order: going to sleep, devices farther from the
 * root first (children before parents), after an IRP_MN_QUERY_POWER round that any driver can veto;
 * coming back to S0, parents before children and without a query ("Handling IRP_MN_SET_POWER for
 * System Power States", "Handling IRP_MN_QUERY_POWER for System Power States"). A power IRP nobody
 * completes trips the watchdog: bug check 0x9F after the timeout on the machine's clock.
 *
 * It sits between the I/O manager and the PnP manager: it sends IRPs through the I/O manager, and
 * learns of the device tree only through the hooks `machine.ts` fills (the started stacks, their
 * capabilities).
 *
 * @module
 */
import {
  DevicePowerState,
  IRP_MJ_POWER,
  IRP_MJ_SHUTDOWN,
  IRP_MN_POWER_NAMES,
  IRP_MN_QUERY_POWER,
  IRP_MN_SET_POWER,
  IRP_MN_WAIT_WAKE,
  PowerActionHibernate,
  PowerActionNone,
  PowerActionShutdownOff,
  PowerActionSleep,
  PowerDeviceUnspecified,
  powerStateName,
  PowerSystemWorking,
  SystemPowerState,
} from "../constants.ts";
import { buildIrp, IoCallDriver, runDriverRoutine } from "../io/iomgr.ts";
import type { DeviceObject, IO_STATUS_BLOCK, Irp } from "../io/objects.ts";
import {
  NT_SUCCESS,
  ntStatusName,
  STATUS_INVALID_PARAMETER_2,
  STATUS_NOT_SUPPORTED,
  STATUS_PENDING,
  STATUS_SUCCESS,
} from "../ntstatus.ts";
import type { System } from "../system.ts";
import type { DeviceCapabilities } from "./capabilities.ts";

/**
 * `REQUEST_POWER_COMPLETE`: the callback PoRequestPowerIrp runs, as the requesting driver, once
 * every driver completed the IRP (a driver keeps the kernel routines it needs from its dispatch).
 */
export type PowerCompletionFunction = (
  DeviceObject: DeviceObject,
  MinorFunction: number,
  PowerState: number,
  Context: unknown,
  IoStatus: IO_STATUS_BLOCK,
) => void;

/** A started device stack, as the PnP manager reports it to the power manager. */
export interface PowerStack {
  /** The stack's PDO. */
  readonly pdo: DeviceObject;
  /** Its device instance ID. */
  readonly instance: string;
}

/** What the power manager learns from the layers above it (`machine.ts` fills it). */
export interface PowerHooks {
  /** Every started stack, in tree order (parents before children), the root devnode left out. */
  stacks(): PowerStack[];
  /** The capabilities PnP recorded for a PDO's devnode. */
  capabilitiesOf(pdo: DeviceObject): DeviceCapabilities | undefined;
}

/** A power IRP in flight, for `!podev`, the watchdog and the completion callback. */
interface PowerIrpRecord {
  readonly irp: Irp;
  /** The stack it was sent to (its PDO). */
  readonly pdo: DeviceObject;
  /** A system IRP from the power manager, or a device IRP a driver requested. */
  readonly system: boolean;
}

/** The transition in progress (what `!poaction` shows). */
export interface PowerAction {
  /** `sleep`, `hibernate`, `wake` or `shutdown`. */
  readonly action: string;
  /** The target system state, `S3`. */
  readonly target: string;
  /** `query` or `set`. */
  phase: "query" | "set";
  /** The stack the current system IRP went to. */
  instance: string | null;
  /** The stacks that answered the query so far. */
  queried: number;
}

/**
 * How long a power IRP may stay pending before the watchdog bug checks, in clock ticks (the
 * watchdog's "usually 10 minutes" of the 0x9F page, one tick a second).
 */
export const POWER_IRP_TIMEOUT = 600;

/** The power manager's own caller frame. */
export const PO_FRAME = {
  name: "PowerManager",
  driver: null,
  process: "System",
  previousMode: "KernelMode",
} as const;

const NO_HOOKS: PowerHooks = { stacks: () => [], capabilitiesOf: () => undefined };

/** The power manager of one machine. */
export class PowerManager {
  /** The system power state: PowerSystemWorking (S0) .. PowerSystemShutdown (S5). */
  systemState: number = PowerSystemWorking;
  /** What the layers above tell it (see `PowerHooks`). */
  hooks: PowerHooks = NO_HOOKS;
  /** The transition in progress, or null. */
  action: PowerAction | null = null;
  /** The last transition that finished (for `!poaction` after the fact). */
  lastAction: (PowerAction & { status: string }) | null = null;
  /** Device objects that called IoRegisterShutdownNotification, in order. */
  readonly shutdownNotifications: DeviceObject[] = [];
  /** Counts boots: a device object's power state from an earlier boot is forgotten. */
  #boot = 1;
  readonly #inFlight = new Map<Irp, PowerIrpRecord>();
  readonly #sys: System;

  /** Creates the power manager of a machine. */
  constructor(sys: System) {
    this.#sys = sys;
  }

  /** A reboot: the machine comes up in S0 and every device state is forgotten. */
  reset(): void {
    this.systemState = PowerSystemWorking;
    this.action = null;
    this.lastAction = null;
    this.shutdownNotifications.length = 0;
    this.#boot++;
    this.#inFlight.clear();
  }

  /** The device power state a device object's driver last reported, PowerDeviceUnspecified before. */
  deviceState(device: DeviceObject): number {
    return device.powerStateBoot === this.#boot ? device.powerState : PowerDeviceUnspecified;
  }

  /** The power IRPs pending in a device's stack (for `!podev` and the 0x9F checks). */
  pendingIn(device: DeviceObject): Irp[] {
    const pdo = device.bottom;
    const out: Irp[] = [];
    for (const r of this.#inFlight.values()) if (r.pdo === pdo) out.push(r.irp);
    return out;
  }

  /** `PoSetPowerState`: records a device object's new device power state; returns the previous one. */
  PoSetPowerState(DeviceObject: DeviceObject, Type: number, State: number): number {
    if (Type !== DevicePowerState) return this.systemState;
    const previous = this.deviceState(DeviceObject);
    DeviceObject.powerState = State ?? PowerDeviceUnspecified;
    DeviceObject.powerStateBoot = this.#boot;
    return previous;
  }

  /**
   * `PoRequestPowerIrp`: allocates a power IRP and sends it to the top of `DeviceObject`'s stack;
   * STATUS_PENDING once sent. Only IRP_MN_SET_POWER, IRP_MN_QUERY_POWER (device states) and
   * IRP_MN_WAIT_WAKE (a system state) may be requested; anything else is STATUS_INVALID_PARAMETER_2.
   * The completion function runs, as the requesting driver, after every driver completed the IRP.
   */
  PoRequestPowerIrp(
    DeviceObject: DeviceObject,
    MinorFunction: number,
    PowerState: number,
    CompletionFunction: PowerCompletionFunction | null,
    Context: unknown,
  ): { status: number; irp?: Irp } {
    const sys = this.#sys;
    if (
      MinorFunction !== IRP_MN_SET_POWER && MinorFunction !== IRP_MN_QUERY_POWER &&
      MinorFunction !== IRP_MN_WAIT_WAKE
    ) {
      return { status: STATUS_INVALID_PARAMETER_2 };
    }
    const top = DeviceObject.top;
    const parameters = MinorFunction === IRP_MN_WAIT_WAKE ? { WaitWake: { PowerState } } : {
      Power: {
        SystemContext: 0,
        Type: DevicePowerState,
        State: PowerState,
        ShutdownType: this.action ? actionOf(this.action.action) : 0,
      },
    };
    const irp = buildIrp(sys, top, IRP_MJ_POWER, MinorFunction, parameters, STATUS_NOT_SUPPORTED);
    // The callback belongs to the driver that asked (the caller), not to the target's driver.
    const asking = sys.caller.driver;
    const requester = (asking ? sys.io.driver(asking) : undefined) ?? DeviceObject.DriverObject;
    this.#inFlight.set(irp, { irp, pdo: DeviceObject.bottom, system: false });
    irp.onComplete = () => {
      this.#inFlight.delete(irp);
      if (!CompletionFunction) return;
      runDriverRoutine(
        sys,
        requester,
        "PowerCompletion",
        () =>
          CompletionFunction(DeviceObject, MinorFunction, PowerState, Context, {
            Status: irp.IoStatus.Status,
            Information: irp.IoStatus.Information,
          }),
        { irql: sys.caller.irql },
      );
    };
    IoCallDriver(sys, top, irp);
    return { status: STATUS_PENDING, irp };
  }

  // ---- System transitions ----------------------------------------------------------------------

  /**
   * Puts the machine to sleep (S1..S4): IRP_MN_QUERY_POWER to every stack, children before parents;
   * the first failure vetoes, and every stack that was queried gets IRP_MN_SET_POWER for S0 (the
   * current state, reaffirmed); otherwise IRP_MN_SET_POWER for the target, children before parents.
   * Returns STATUS_SUCCESS once asleep, or the vetoing driver's status.
   */
  sleep(target: number, shutdownType: number, action: string): number {
    const sys = this.#sys;
    const down = this.hooks.stacks().reverse();
    const act: PowerAction = {
      action,
      target: powerStateName(SystemPowerState, target),
      phase: "query",
      instance: null,
      queried: 0,
    };
    this.action = act;
    this.#info("power transition", { action, target: act.target, stacks: down.length });
    for (const stack of down) {
      act.instance = stack.instance;
      const status = this.#sendSystemIrp(stack, IRP_MN_QUERY_POWER, target, shutdownType);
      act.queried++;
      if (!NT_SUCCESS(status)) {
        const vetoer = this.#vetoer(stack);
        this.#info("power veto", {
          instance: stack.instance,
          ...(vetoer ? { driver: vetoer } : {}),
          state: act.target,
          status: ntStatusName(status),
        });
        // Every stack that saw the query learns the state stays S0 ("IRP_MN_QUERY_POWER").
        for (const queried of down.slice(0, act.queried)) {
          act.instance = queried.instance;
          act.phase = "set";
          this.#sendSystemIrp(queried, IRP_MN_SET_POWER, PowerSystemWorking, shutdownType);
        }
        this.#finish(status);
        return status;
      }
    }
    act.phase = "set";
    for (const stack of down) {
      act.instance = stack.instance;
      this.#sendSystemIrp(stack, IRP_MN_SET_POWER, target, shutdownType);
    }
    this.systemState = target;
    this.#finish(STATUS_SUCCESS);
    sys.trace.push({ kind: "info", what: "system power state", detail: { state: act.target } });
    return STATUS_SUCCESS;
  }

  /** Back to S0: IRP_MN_SET_POWER(S0) to every stack, parents before children, no query. */
  wake(shutdownType: number): number {
    const sys = this.#sys;
    const up = this.hooks.stacks();
    const act: PowerAction = {
      action: "wake",
      target: "S0",
      phase: "set",
      instance: null,
      queried: 0,
    };
    this.action = act;
    this.#info("power transition", { action: "wake", target: "S0", stacks: up.length });
    this.systemState = PowerSystemWorking;
    for (const stack of up) {
      act.instance = stack.instance;
      this.#sendSystemIrp(stack, IRP_MN_SET_POWER, PowerSystemWorking, shutdownType);
    }
    this.#finish(STATUS_SUCCESS);
    sys.trace.push({ kind: "info", what: "system power state", detail: { state: "S0" } });
    return STATUS_SUCCESS;
  }

  /**
   * Shutdown: IRP_MJ_SHUTDOWN to every device that registered with IoRegisterShutdownNotification,
   * then IRP_MN_SET_POWER(S5) to every stack, children before parents (no query: a shutdown
   * cannot be vetoed).
   */
  shutdown(target: number): number {
    const sys = this.#sys;
    for (const device of [...this.shutdownNotifications]) {
      if (device.deleted) continue;
      const irp = buildIrp(sys, device, IRP_MJ_SHUTDOWN, 0, {}, STATUS_SUCCESS);
      sys.as(PO_FRAME, () => IoCallDriver(sys, device, irp));
      this.#wait(irp, device.bottom);
    }
    const down = this.hooks.stacks().reverse();
    const act: PowerAction = {
      action: "shutdown",
      target: powerStateName(SystemPowerState, target),
      phase: "set",
      instance: null,
      queried: 0,
    };
    this.action = act;
    this.#info("power transition", { action: "shutdown", target: act.target, stacks: down.length });
    for (const stack of down) {
      act.instance = stack.instance;
      this.#sendSystemIrp(stack, IRP_MN_SET_POWER, target, PowerActionShutdownOff);
    }
    this.systemState = target;
    this.#finish(STATUS_SUCCESS);
    sys.trace.push({ kind: "info", what: "system power state", detail: { state: act.target } });
    return STATUS_SUCCESS;
  }

  #finish(status: number): void {
    if (this.action) this.lastAction = { ...this.action, status: ntStatusName(status) };
    this.action = null;
  }

  #info(what: string, detail: Record<string, unknown>): void {
    this.#sys.trace.push({ kind: "info", what, detail });
  }

  /** The driver that failed the query: the one whose dispatch completed it with the failure. */
  #vetoer(stack: PowerStack): string | undefined {
    const events = this.#sys.trace.events;
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (
        e.kind === "irp" && e.phase === "complete" && e.instance === stack.instance &&
        e.minor === "IRP_MN_QUERY_POWER" && e.powerState?.startsWith("System")
      ) return e.driver;
      if (e.kind === "info" && e.what === "power transition") break;
    }
    return undefined;
  }

  /** One system power IRP to the top of a stack, waited for; returns its final status. */
  #sendSystemIrp(stack: PowerStack, minor: number, state: number, shutdownType: number): number {
    const sys = this.#sys;
    const top = stack.pdo.top;
    const irp = buildIrp(sys, top, IRP_MJ_POWER, minor, {
      Power: { SystemContext: 0, Type: SystemPowerState, State: state, ShutdownType: shutdownType },
    }, STATUS_NOT_SUPPORTED);
    this.#inFlight.set(irp, { irp, pdo: stack.pdo, system: true });
    irp.onComplete = () => this.#inFlight.delete(irp);
    sys.as(PO_FRAME, () => IoCallDriver(sys, top, irp));
    this.#wait(irp, stack.pdo);
    return irp.IoStatus.Status;
  }

  /**
   * Waits for a power IRP: the system worker threads run meanwhile. One nobody will complete trips
   * the watchdog once the timeout has passed on the machine's clock: bug check 0x9F, parameter 1 =
   * 0x3, with the stack's PDO and the blocked IRP ("Bug Check 0x9F: DRIVER_POWER_STATE_FAILURE").
   */
  #wait(irp: Irp, pdo: DeviceObject): void {
    const sys = this.#sys;
    if (sys.ke.runUntil(() => irp.completed)) return;
    // The IRP that blocks is the innermost one still pending (a device IRP the system IRP waits
    // for), a held wait/wake aside.
    let blocked = irp;
    let blockedPdo = pdo;
    for (const r of this.#inFlight.values()) {
      if (r.irp.completed) continue;
      const minor = r.irp.stack[Math.min(r.irp.CurrentLocation, r.irp.StackCount)]?.MinorFunction;
      if (minor === IRP_MN_WAIT_WAKE && !r.system) continue;
      blocked = r.irp;
      blockedPdo = r.pdo;
    }
    const loc = blocked.stack[Math.min(blocked.CurrentLocation, blocked.StackCount)]!;
    const holder = loc.DeviceObject ?? blockedPdo;
    sys.clock += POWER_IRP_TIMEOUT;
    this.#info("power IRP watchdog", {
      irp: blocked.id,
      minor: IRP_MN_POWER_NAMES[loc.MinorFunction],
      device: String(holder),
      seconds: POWER_IRP_TIMEOUT,
    });
    // The watchdog is the power manager's own: it bug checks, not the thread that waited.
    sys.as(PO_FRAME, () =>
      sys.violate(
        "PowerIrpBlocked",
        `${holder} has held IRP#${blocked.id} (${
          IRP_MN_POWER_NAMES[loc.MinorFunction]
        }) for ${POWER_IRP_TIMEOUT} seconds without completing it`,
        [blockedPdo.serial, 0, blocked.id],
        holder,
      ));
  }

  /** A device object is being deleted: one with a power IRP still pending is bug check 0x9F, 0x1. */
  checkDelete(device: DeviceObject): void {
    for (const r of this.#inFlight.values()) {
      if (r.irp.completed) continue;
      const loc = r.irp.stack[Math.min(r.irp.CurrentLocation, r.irp.StackCount)];
      if (loc?.DeviceObject !== device) continue;
      this.#sys.violate(
        "PowerIrpPendingAtDelete",
        `IoDeleteDevice(${device}) while it still holds IRP#${r.irp.id} (${
          IRP_MN_POWER_NAMES[loc.MinorFunction]
        }) pending`,
        [device.serial, 0, 0],
        device,
      );
    }
  }
}

/** The POWER_ACTION of a transition, for the device IRPs its policy owners request. */
const ACTIONS: Readonly<Record<string, number>> = {
  sleep: PowerActionSleep,
  wake: PowerActionSleep,
  hibernate: PowerActionHibernate,
  shutdown: PowerActionShutdownOff,
};

function actionOf(action: string): number {
  return ACTIONS[action] ?? PowerActionNone;
}
