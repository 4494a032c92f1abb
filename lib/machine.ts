/**
 * `boot()` and `Machine`: a simulated Windows machine with its registry, kernel routines, PnP work
 * queue and trace.
 *
 * @module
 */
import type { BugCheck } from "./bugcheck.ts";
import type { DeviceSpec } from "./bus/virtual_bus.ts";
import {
  CM_PROB_NAMES,
  CONFIGFLAG_DISABLED,
  DevicePowerState,
  DO_POWER_INRUSH,
  DO_POWER_PAGABLE,
  IRP_MN_POWER_NAMES,
  PowerActionHibernate,
  PowerActionSleep,
  powerStateName,
  PowerSystemHibernate,
  PowerSystemShutdown,
  PowerSystemSleeping1,
  PowerSystemSleeping2,
  PowerSystemSleeping3,
  PowerSystemWorking,
  REG_DWORD,
  SystemPowerState,
} from "./constants.ts";
import type { DeviceObject, DriverObject, DriverSpec, Irp } from "./io/objects.ts";
import { Kernel } from "./kernel.ts";
import {
  NT_SUCCESS,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_DEVICE_STATE,
  STATUS_SUCCESS,
} from "./ntstatus.ts";
import { powerHooks } from "./po/dispatch.ts";
import { PO_FRAME } from "./po/pomgr.ts";
import { checkPowerDispatch } from "./verifier/power.ts";
import { type DevNode, type DevNodeState, devNodeStatus, dnFlagNames } from "./pnp/devnode.ts";
import { enumPath } from "./pnp/devreg.ts";
import { PnpManager } from "./pnp/pnpmgr.ts";
import { loadDriver } from "./pnp/start.ts";
import { InterfaceManager } from "./pnp/interfaces.ts";
import { type DuplicateReplay, Notifications } from "./pnp/notify.ts";
import { type AppOptions, type UserApp, UserMode } from "./pnp/usermode.ts";
import type { Handle } from "./ob/handles.ts";
import * as profiles from "./pnp/profiles.ts";
import { processRunOnce, type RunOnceCommand } from "./pnp/runonce.ts";
import { busChildOf, createChildPdo, signalWake } from "./bus/virtual_bus.ts";
import type { WorkQueue } from "./ke/queue.ts";
import {
  checkDispatch,
  checkDispatchHandles,
  checkSurpriseRemovalDetach,
} from "./verifier/verifier.ts";
import {
  deserializeHive,
  type HiveFileError,
  serializeHive,
  writeFileAtomic,
} from "./registry/persist.ts";
import { Hive } from "./registry/hive.ts";
import {
  buildSystemHive,
  buildVolatileKeys,
  type HardwareProfile,
  profileId,
} from "./registry/system_hive.ts";
import { RegistryView } from "./registry/view.ts";
import { System } from "./system.ts";
import type { TraceEvent } from "./trace/trace.ts";

/** Options for `boot()`. */
export interface BootOptions {
  /** Hardware profile friendly names; ids are "0001", "0002", ... Default: one profile, "Profile 1". */
  hardwareProfiles?: string[];
  /** The profile to start in, by friendly name or id. Default: the first. */
  currentProfile?: string;
  /** Start in safe mode (RunOnce entries without `*` are skipped). */
  safeMode?: boolean;
  /** Driver-verifier rules: "strict" (default) bug checks, "warn" records findings only, "off". */
  verifier?: "strict" | "warn" | "off";
  /**
   * A hive file to load at boot (when it exists) and to write on ZwFlushKey and `saveHive()`. Booting
   * a saved hive is a boot like `reboot()`: its RunOnce entries run, at the first `settle()` (so the
   * commands registered with `registerCommand` right after `boot()` are there).
   */
  hiveFile?: string;
  /**
   * The documented double delivery of PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES: "never"
   * (default), "always", or `{ seed }` for a reproducible random choice per replayed interface. Never three.
   */
  includeExistingDuplicates?: DuplicateReplay;
  /** How many queued PnP actions one `settle()` may run before it reports a runaway queue. Default 100,000. */
  maxQueuedActions?: number;
  /**
   * Keep only about the newest `traceLimit` trace events (between that and twice that many), for long
   * runs and benchmarks; `trace[0].seq` then says where the kept part starts. Default: keep all.
   */
  traceLimit?: number;
}

/** A snapshot of a device node, as `!devnode` shows it. */
export interface DevNodeInfo {
  /** The device instance ID, e.g. `ROOT\TOASTER\0000`. */
  instanceId: string;
  /** The node's PnP state. */
  state: DevNodeState;
  /** Its `CM_PROB_*` problem code, 0 for none. */
  problem: number;
  /** The problem code's name, e.g. `CM_PROB_FAILED_START`, when there is a problem. */
  problemName?: string;
  /** Its status as CM_Get_DevNode_Status reports it: `DN_*` flags (`DN_STARTED`, `DN_NO_SHOW_IN_DM` ...). */
  status: number;
  /** The names of the `DN_*` flags in `status`, lowest bit first. */
  statusFlags: string[];
  /** The function driver's service name, or null when none was found. */
  service: string | null;
  /** The parent's instance ID, or null for the root. */
  parent: string | null;
  /** The children's instance IDs, in enumeration order. */
  children: string[];
  /** The device power state its PDO's driver last reported (`D0`..`D3`), `Unspecified` before. */
  powerState: string;
  /** The hardware IDs from IRP_MN_QUERY_ID. */
  hardwareIds: string[];
  /** The compatible IDs from IRP_MN_QUERY_ID. */
  compatibleIds: string[];
  /** The device text from IRP_MN_QUERY_DEVICE_TEXT. */
  description: string;
  /** The stack from the top down: each device object, its driver and its role. */
  stack: { device: string; driver: string; role: string }[];
  /** How many opens (application handles and kernel file objects) the device has. */
  opens: number;
}

/** A device's power picture, as `!podev` shows it. */
export interface PowerDeviceInfo {
  /** The device instance ID ("" for a device PnP does not know yet). */
  instanceId: string;
  /** The machine's system power state. */
  systemState: string;
  /** The stack from the top down, with each device object's reported device power state. */
  stack: { device: string; driver: string; role: string; powerState: string; flags: string[] }[];
  /** The power IRPs pending in the stack and the device object holding each. */
  pending: { irp: number; minor: string; powerState: string; heldBy: string }[];
}

/** A system power transition, as `!poaction` shows it. */
export interface PowerActionInfo {
  /** `sleep`, `hibernate`, `wake` or `shutdown`. */
  action: string;
  /** The target system state. */
  target: string;
  /** `query` or `set`. */
  phase: string;
  /** The stack the last system IRP went to. */
  instance: string | null;
  /** How many stacks answered the query. */
  queried: number;
  /** Whether it is still going on. */
  inProgress: boolean;
  /** How it ended, once it has. */
  status?: string;
}

/** A verifier finding. */
export interface Finding {
  /** The rule's name, as in Driver Verifier or Static Driver Verifier where one exists. */
  rule: string;
  /** The rule's severity: `error` or `warning`. */
  severity: string;
  /** What went wrong, in words. */
  message: string;
  /** The documentation page the rule comes from, if known. */
  doc?: string;
}

/** Thrown by `boot()` when its hive file cannot be loaded; carries every problem with its position. */
export class HiveLoadError extends Error {
  /** Each problem, with line and column. */
  readonly errors: HiveFileError[];
  /** Creates the error. */
  constructor(file: string, errors: HiveFileError[]) {
    super(
      `Cannot load hive file '${file}':\n` +
        errors.map((e) => `  ${file}:${e.line}:${e.column}: ${e.message}`).join("\n"),
    );
    this.name = "HiveLoadError";
    this.errors = errors;
  }
}

/**
 * A simulated machine. Get one from `boot()`.
 *
 * @example
 * ```ts
 * import { boot } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const m = boot({ hardwareProfiles: ["Docked", "Undocked"] });
 * assert.equal(m.registry.exists("HKLM\\SYSTEM\\CurrentControlSet\\Hardware Profiles\\0002"), true);
 * ```
 */
export class Machine {
  /** @internal */
  readonly _sys: System;
  /** The kernel routines. */
  readonly kernel: Kernel;
  /** The registry as an administrator's tools see it. */
  readonly registry: RegistryView;
  /**
   * The PnP work queue that `settle()` drains.
   *
   * @internal
   */
  readonly queue: WorkQueue;
  /** The hardware profiles, in order. */
  readonly hardwareProfiles: readonly HardwareProfile[];
  readonly #driverSpecs: DriverSpec[] = [];
  readonly #duplicateReplay: DuplicateReplay;

  /** Creates a machine from prepared internals; use `boot()`. */
  constructor(
    sys: System,
    profiles: readonly HardwareProfile[],
    duplicateReplay: DuplicateReplay = "never",
  ) {
    this.#duplicateReplay = duplicateReplay;
    this._sys = sys;
    this.kernel = new Kernel(sys);
    this.registry = new RegistryView(sys);
    this.queue = sys.ke.queue;
    this.hardwareProfiles = profiles;
  }

  /**
   * The PnP manager.
   *
   * @internal
   */
  get _pnp(): PnpManager {
    return this._sys.pnp;
  }

  /** Loads a driver: creates `Services\<name>`, calls DriverEntry, and lets PnP use it for devices whose IDs it lists. */
  loadDriver(spec: DriverSpec): DriverObject {
    this._sys.checkRunning();
    const driver = this._sys.as(HOST_LOADER, () => loadDriver(this._sys, spec));
    this.#driverSpecs.push(spec);
    return driver;
  }

  /**
   * Plugs a device into a virtual bus (the parent's, or the root enumerator's): PnP enumerates it,
   * installs and starts it; returns its PDO once the machine has settled. A string is a hardware ID.
   */
  plugIn(spec: DeviceSpec | string, parent?: DeviceObject): DeviceObject {
    this._sys.checkRunning();
    const s = typeof spec === "string" ? { hardwareIds: [spec] } : spec;
    if (!s || !Array.isArray(s.hardwareIds) || s.hardwareIds.length === 0) {
      throw new TypeError("Cannot plug in a device without hardware IDs");
    }
    const pnp = this._sys.pnp;
    const parentNode = parent ? pnp.nodeOf(parent) : pnp.root;
    if (!parentNode) {
      throw new TypeError(`Cannot plug into '${parent}': PnP does not know that device`);
    }
    if (this.#asleep) return this.#plugInAsleep(s, parentNode);
    const child = pnp.plugIn(s, parentNode);
    this.settle();
    if (
      s.dockDevice && s.dockedProfile !== undefined && child.pdo &&
      pnp.nodeOf(child.pdo)?.state === "Started"
    ) {
      this.changeHardwareProfile(s.dockedProfile);
    }
    if (!child.pdo) {
      throw new TypeError(
        `Cannot plug in '${
          s.hardwareIds[0]
        }': its parent '${parentNode.instanceId}' is not started, so nothing enumerated it`,
      );
    }
    return child.pdo;
  }

  /**
   * Pulls a device out of its bus without warning (surprise removal), settled. On a machine a bug
   * check has stopped, nothing runs: the hardware just leaves its bus, so the next `reboot()` does
   * not enumerate it (the way out of a boot loop that `BugCheck.device` names).
   */
  unplug(pdo: DeviceObject): void {
    if (this._sys.halted) {
      this._sys.pnp.pullHardware(pdo, { device: String(pdo), halted: true });
      return;
    }
    this._sys.pnp.unplug(this.#node(pdo, "unplug"));
    this.settle();
  }

  /** Orderly removal ("safely remove"): query-remove over the subtree, then remove or cancel. */
  requestRemoval(pdo: DeviceObject): number {
    const node = this.#node(pdo, "remove");
    const status = this._sys.as(PNP_HOST, () => this._sys.pnp.queryAndRemove(node).status);
    this.settle();
    return status;
  }

  /** Ejects a device (IoRequestDeviceEject from the eject button): returns the eject's status. */
  eject(pdo: DeviceObject): number {
    const node = this.#node(pdo, "eject");
    this._sys.pnp.requestEject(node);
    this.settle();
    return this._sys.pnp.lastEjectStatus;
  }

  /** Stops a device to rebalance resources (QUERY_STOP, STOP, START); `failRestart` makes the restart fail. */
  rebalance(pdo: DeviceObject, options: { failRestart?: boolean } = {}): number {
    const node = this.#node(pdo, "rebalance");
    const status = this._sys.as(PNP_HOST, () => this._sys.pnp.rebalance(node, options));
    this.settle();
    return status;
  }

  /** Disables a device as Device Manager does: query-remove and remove, CONFIGFLAG_DISABLED, problem CM_PROB_DISABLED. */
  disable(pdo: DeviceObject): number {
    const node = this.#node(pdo, "disable");
    const status = this._sys.as(
      PNP_HOST,
      () => this._sys.pnp.queryAndRemove(node, { disable: true }).status,
    );
    if (NT_SUCCESS(status)) {
      const flags = this.registry.getValue(enumPath(node.instanceId), "ConfigFlags")?.data;
      this.registry.setValue(
        enumPath(node.instanceId),
        "ConfigFlags",
        REG_DWORD,
        (Number(flags ?? 0) | CONFIGFLAG_DISABLED) >>> 0,
      );
    }
    this.settle();
    return status;
  }

  /** Enables a disabled device (clears CONFIGFLAG_DISABLED) and starts it again. */
  enable(pdo: DeviceObject): number {
    const node = this.#node(pdo, "enable");
    const flags = Number(
      this.registry.getValue(enumPath(node.instanceId), "ConfigFlags")?.data ?? 0,
    );
    this.registry.setValue(
      enumPath(node.instanceId),
      "ConfigFlags",
      REG_DWORD,
      (flags & ~CONFIGFLAG_DISABLED) >>> 0,
    );
    this._sys.as(PNP_HOST, () => this._sys.pnp.restart(node));
    this.settle();
    return node.state === "Started" ? 0 : STATUS_INVALID_DEVICE_REQUEST;
  }

  /** Restarts a device: removes it (if started) and configures it again. */
  restart(pdo: DeviceObject): void {
    const node = this.#node(pdo, "restart");
    this._sys.as(PNP_HOST, () => this._sys.pnp.restart(node));
    this.settle();
  }

  /** The PDO of a present device by instance ID (case-insensitive), or undefined. */
  device(instanceId: string): DeviceObject | undefined {
    return this._sys.pnp.find(instanceId)?.pdo;
  }

  /** Every present device's instance ID, in tree order. */
  devices(): string[] {
    return this._sys.pnp.all().map((n) => n.instanceId);
  }

  /** A snapshot of a device node (by PDO or instance ID). */
  devnode(device: DeviceObject | string): DevNodeInfo | undefined {
    const pnp = this._sys.pnp;
    const node = typeof device === "string" ? pnp.find(device) : pnp.nodeOf(device);
    if (!node) return undefined;
    return nodeInfo(node, this._sys.po.deviceState(node.pdo));
  }

  #node(pdo: DeviceObject, verb: string): DevNode {
    this._sys.checkRunning();
    if (this.#asleep && verb !== "unplug") {
      throw new TypeError(
        `Cannot ${verb} '${pdo}': the machine is in ${this.powerState}; wake it first`,
      );
    }
    const node = this._sys.pnp.nodeOf(pdo);
    if (!node || node.state === "Absent") {
      throw new TypeError(`Cannot ${verb} '${pdo}': it is not a present device`);
    }
    return node;
  }

  /** Every event so far, oldest first: plain JSON-serialisable objects. */
  get trace(): TraceEvent[] {
    return this._sys.trace.events;
  }

  /**
   * Calls `hook` with each trace event as it is recorded, while the machine runs (one hook at a
   * time; a debugger's breakpoints use it, throwing `DebugBreak` to stop a replay at an event).
   * Returns a function that removes the hook.
   */
  watchTrace(hook: (event: TraceEvent) => void): () => void {
    const trace = this._sys.trace;
    trace.onPush = hook;
    return () => {
      if (trace.onPush === hook) trace.onPush = null;
    };
  }

  /**
   * An IRP that was sent and is not completed yet, by its number (`Irp #12` in the trace): with its
   * stack locations, completion routines and status, as WinDbg's `!irp` shows it. Read it, do not
   * change it.
   */
  irpInFlight(id: number): Irp | undefined {
    return this._sys.io.inFlight.get(id);
  }

  /**
   * Who is running now, outermost first: `host`, `PnP`, `toaster!DispatchPnp` ... (WinDbg's `k`, in
   * the model's terms: the caller frames of driver routines, the PnP manager and the host).
   */
  callerStack(): string[] {
    return this._sys.callers.map((c) => c.name);
  }

  /** The verifier's findings so far. */
  get verifier(): { readonly findings: readonly Finding[]; readonly mode: string } {
    return { findings: this._sys.findings, mode: this._sys.options.verifier };
  }

  /** Whether the machine booted in safe mode (only what `Control\SafeBoot\Minimal` names loads). */
  get safeMode(): boolean {
    return this._sys.options.safeMode;
  }

  /** Whether a bug check has stopped the machine. */
  get halted(): boolean {
    return this._sys.halted !== null;
  }

  /** The bug check that stopped the machine, or null while it runs. */
  get bugCheck(): BugCheck | null {
    return this._sys.halted;
  }

  /** Runs queued PnP work (enumeration, notifications, removals) until none is left. */
  settle(): void {
    this._sys.checkRunning();
    // A sleeping machine runs nothing: queued PnP work waits for the wake.
    if (this.#asleep) return;
    this._sys.ke.drain();
  }

  /** Writes the non-volatile registry to `file` (default: the machine's hive file) atomically. */
  saveHive(file?: string): void {
    const target = file ?? this._sys.hiveFile;
    if (!target) {
      throw new TypeError("Cannot save the hive: no file given and the machine has no hive file");
    }
    writeFileAtomic(
      target,
      JSON.stringify(serializeHive(this._sys.hive, this._sys.clock), null, 1) + "\n",
    );
    this._sys.trace.push({ kind: "reg", op: "save", path: target });
  }

  /**
   * Restarts the machine: keeps exactly the non-volatile registry, drops volatile keys and every
   * handle, clears a bug check, and boots again (in safe mode if asked). The hardware stays plugged
   * in, so hardware that bug checked the machine does it again while booting, and `reboot()` throws
   * that `BugCheck`: pull it first with `unplug(machine.bugCheck.device)`.
   */
  reboot(options: { safeMode?: boolean } = {}): void {
    const sys = this._sys;
    const saved = JSON.stringify(serializeHive(sys.hive, sys.clock));
    const loaded = deserializeHive(saved);
    if (!loaded.hive) throw new Error("Cannot reboot: the saved hive did not load back");
    sys.halted = null;
    sys.keyHandles.clear();
    this.queue.clear();
    sys.callers.length = 1;
    sys.callers[0]!.irql = 0;
    sys.options = { ...sys.options, safeMode: options.safeMode ?? false };
    sys.clock++;
    sys.trace.push({ kind: "info", what: "reboot", detail: { safeMode: sys.options.safeMode } });
    sys.attachHive(loaded.hive);
    buildVolatileKeys(loaded.hive);
    // The hardware stays plugged in; the software starts again: drivers reload and every present
    // device is enumerated from the root.
    const hardware = sys.pnp.rootBus;
    resetBus(hardware);
    sys.io.reset();
    sys.po.reset();
    sys.pnp = new PnpManager(sys, hardware);
    this.#wire();
    const specs = [...this.#driverSpecs];
    for (const spec of specs) sys.as(HOST_LOADER, () => loadDriver(sys, spec));
    sys.pnp.requestEnumeration(sys.pnp.root);
    this.settle();
    processRunOnce(sys, this.runOnceCommands, "boot");
    this.settle();
  }

  /**
   * Connects the subsystems: the one place where a lower layer learns of a higher one, through the
   * hooks it offers (the I/O manager's, the PnP manager's notifier). Runs at boot and at each reboot,
   * once the new PnP manager exists.
   *
   * @internal
   */
  _wire(): void {
    this.#wire();
  }

  #wire(): void {
    const sys = this._sys;
    sys.kernel = this.kernel;
    sys.io.hooks = {
      afterDispatch: (record, status, routine) => {
        if (sys.options.verifier === "off") return;
        checkDispatch(sys, record, status);
        checkDispatchHandles(sys, record, routine);
        checkPowerDispatch(sys, record, status, routine);
      },
      beforeDetach: (device) => checkSurpriseRemovalDetach(sys, "IoDetachDevice", device),
      beforeDelete: (device) => {
        checkSurpriseRemovalDetach(sys, "IoDeleteDevice", device);
        sys.pnp.checkPdoDeletion(device);
        sys.po.checkDelete(device);
      },
      deviceDeleted: (device) => sys.pnp.driverMayUnload(device.DriverObject),
      driverIdle: (driver) => sys.pnp.driverMayUnload(driver),
      instanceOf: (pdo) => sys.pnp.nodeOf(pdo)?.instanceId ?? "",
    };
    sys.io.power = powerHooks(sys.po);
    sys.po.hooks = {
      stacks: () => {
        const out = [];
        for (const node of sys.pnp.root.descendants()) {
          if (POWERED_STATES.has(node.state)) {
            out.push({ pdo: node.pdo, instance: node.instanceId });
          }
        }
        return out;
      },
      capabilitiesOf: (pdo) => sys.pnp.nodeOf(pdo)?.capabilities,
    };
    sys.interfaces = new InterfaceManager(sys);
    sys.notify = new Notifications(sys, this.queue, sys.interfaces, this.#duplicateReplay);
    sys.users = new UserMode(sys, sys.interfaces);
    sys.notify.users = sys.users;
    sys.pnp.notifier = sys.notify;
    sys.pnp.onInstalled = () =>
      this.queue.enqueue({
        name: "RunOnce after install",
        run: () => processRunOnce(sys, this.runOnceCommands, "install"),
      });
    sys.pnp.dockHooks = (node) => {
      const spec = busChildOf(node.pdo)?.spec;
      if (!spec?.dockDevice || spec.undockedProfile === undefined) return {};
      const index = profiles.findProfile(this.hardwareProfiles, spec.undockedProfile);
      if (index < 0) return {};
      return {
        before: () => profiles.queryProfileChange(sys),
        after: () => profiles.commitProfileChange(sys, this.hardwareProfiles, index),
        cancel: () => profiles.cancelProfileChange(sys),
      };
    };
  }

  /** RunOnce command handlers by program name (lower case, without `.exe`). */
  readonly runOnceCommands: Map<string, RunOnceCommand> = new Map();

  /** Registers a RunOnce command handler for a program name (`rundll32`, `setup.exe` ...). */
  registerCommand(program: string, handler: RunOnceCommand): void {
    this.runOnceCommands.set(program.toLowerCase().replace(/\.exe$/, ""), handler);
  }

  /** Runs the RunOnce entries now (boot does this; so does each first device install). */
  runOnce(reason: "boot" | "install" = "boot"): void {
    this._sys.checkRunning();
    processRunOnce(this._sys, this.runOnceCommands, reason);
  }

  /** Changes the hardware profile: GUID_HWPROFILE_QUERY_CHANGE (a veto cancels), then complete or cancel. */
  changeHardwareProfile(nameOrId: string): number {
    this._sys.checkRunning();
    const status = this._sys.as(
      PNP_HOST,
      () => profiles.changeHardwareProfile(this._sys, this.hardwareProfiles, nameOrId),
    );
    this.settle();
    return status;
  }

  /** The current hardware profile. */
  get currentProfile(): HardwareProfile {
    return this.hardwareProfiles[profiles.currentProfile(this._sys)] ?? this.hardwareProfiles[0]!;
  }

  /** An application (created on first use): opens devices, registers for notifications, lists interfaces. */
  app(name: string, options?: AppOptions): UserApp {
    return this._sys.users.app(name, options);
  }

  /**
   * A user-mode application's `CreateFile` on an enabled interface (the default application, "app").
   * It closes its handle when told of a query-remove and reopens after a cancel, unless
   * `closeOnQueryRemove` is false.
   */
  openDevice(
    symbolicLinkName: string,
    options: { closeOnQueryRemove?: boolean; app?: string } = {},
  ): {
    status: number;
    handle: Handle;
  } {
    this._sys.checkRunning();
    const r = this.app(options.app ?? "app").openDevice(symbolicLinkName, options);
    this.settle();
    return r;
  }

  /**
   * `DeviceIoControl` on a handle from `openDevice`: IRP_MJ_DEVICE_CONTROL with the control code to
   * the top of the device's stack; returns the IRP's status and Information, settled (a driver may
   * queue PnP work, e.g. IoInvalidateDeviceState).
   */
  deviceIoControl(
    handle: Handle,
    ioControlCode: number,
    inputBuffer?: unknown,
  ): { status: number; information: unknown } {
    this._sys.checkRunning();
    const r = this._sys.users.deviceIoControl(handle, ioControlCode, inputBuffer);
    this.settle();
    return r;
  }

  /** `CloseHandle` on a handle from `openDevice` (a REMOVE waiting for it goes out, settled). */
  closeHandle(handle: Handle): number {
    this._sys.checkRunning();
    const status = this._sys.users.close(handle);
    this.settle();
    return status;
  }

  // Read-only views for front ends (dsl/, render/) ----------------------------------------------
  // What the REPL, the scenario runner and the pictures read, so that nothing outside the kernel
  // reaches its internals. Each returns a snapshot, or the driver and device objects the verbs above
  // already hand out.

  /** Every driver object `loadDriver` created (unloaded ones too), in load order. */
  drivers(): DriverObject[] {
    return [...this._sys.io.drivers.values()];
  }

  /** A device object by name (`\Device\00000003`), serial (`#8`) or as it prints, in a present stack or named. */
  deviceObject(name: string): DeviceObject | undefined {
    const wanted = name.toUpperCase();
    for (const node of this._sys.pnp.all()) {
      for (let d: DeviceObject | null = node.top; d; d = d.lower) {
        if (
          d.name?.toUpperCase() === wanted || `#${d.serial}` === name ||
          String(d).toUpperCase() === wanted
        ) {
          return d;
        }
      }
    }
    return this._sys.io.names.get(wanted);
  }

  /** The registered device interfaces (snapshots), in registration order, each with its device's PDO while present. */
  interfaces(): {
    /** `\??\<instance>#{class}[\reference]`, as IoRegisterDeviceInterface returned it. */
    symbolicLinkName: string;
    /** The interface class GUID, lower case. */
    interfaceClassGuid: string;
    /** The reference string ("" for none). */
    referenceString: string;
    /** The device instance ID. */
    instanceId: string;
    /** Enabled by IoSetDeviceInterfaceState. */
    enabled: boolean;
    /** The PDO of the device, or null when it is not present. */
    pdo: DeviceObject | null;
  }[] {
    return [...this._sys.interfaces.byLink.values()].map((i) => ({
      symbolicLinkName: i.symbolicLinkName,
      interfaceClassGuid: i.classGuid,
      referenceString: i.refString,
      instanceId: i.instanceId,
      enabled: i.enabled,
      pdo: this._sys.pnp.find(i.instanceId)?.pdo ?? null,
    }));
  }

  /** The devnodes from a present device (default the root) down, each before its children as `!devnode 0 1` lists them. */
  devnodeTree(from?: DeviceObject | string): { depth: number; devnode: DevNodeInfo }[] {
    const pnp = this._sys.pnp;
    const start = from === undefined
      ? pnp.root
      : typeof from === "string"
      ? pnp.find(from)
      : pnp.nodeOf(from);
    const out: { depth: number; devnode: DevNodeInfo }[] = [];
    const visit = (n: DevNode, depth: number) => {
      out.push({ depth, devnode: nodeInfo(n, this._sys.po.deviceState(n.pdo)) });
      for (const c of n.children) visit(c, depth + 1);
    };
    if (start) visit(start, 0);
    return out;
  }

  /** A registry key as regedit shows it (a snapshot; a path through a link reaches its target), or undefined. */
  registryKey(path: string):
    | {
      /** The key's name as it was created. */
      name: string;
      /** Whether the key is volatile. */
      volatile: boolean;
      /** A link key's target (its SymbolicLinkValue), null for an ordinary key. */
      link: string | null;
      /** Its values (copies of their data). */
      values: { name: string; type: number; data: import("./registry/data.ts").RegData }[];
      /** Its subkeys: each name, and whether it is a link key. */
      subkeys: { name: string; link: boolean }[];
    }
    | undefined {
    const key = this._sys.hive.find(path);
    if (!key) return undefined;
    return {
      name: key.name,
      volatile: key.volatile,
      link: key.link,
      values: key.valueList().map((v) => ({
        name: v.name,
        type: v.type,
        data: v.data instanceof Uint8Array
          ? v.data.slice()
          : Array.isArray(v.data)
          ? [...v.data]
          : v.data,
      })),
      subkeys: key.sortedChildren().map((c) => ({ name: c.name, link: c.link !== null })),
    };
  }

  // ---- Power -------------------------------------------------------------------------------------

  /** The system power state: `"S0"` (working) .. `"S5"` (off). */
  get powerState(): "S0" | "S1" | "S2" | "S3" | "S4" | "S5" {
    return powerStateName(SystemPowerState, this._sys.po.systemState) as "S0";
  }

  get #asleep(): boolean {
    return this._sys.po.systemState !== PowerSystemWorking;
  }

  /**
   * Puts the machine to sleep (S1, S2, S3) or hibernates it (S4): IRP_MN_QUERY_POWER to every
   * started stack, then IRP_MN_SET_POWER, children before parents. STATUS_SUCCESS once asleep; a
   * driver that fails the query vetoes, every queried stack is told the state stays S0, and the
   * vetoing driver's status comes back. While asleep nothing runs: PnP work waits for the wake.
   */
  sleep(state: "S1" | "S2" | "S3" | "S4"): number {
    this._sys.checkRunning();
    const target = SLEEP_STATES[state];
    if (target === undefined) {
      throw new TypeError(`Cannot sleep in '${state}': the sleeping states are S1, S2, S3 and S4`);
    }
    if (this.#asleep) return STATUS_INVALID_DEVICE_STATE;
    this.settle();
    const hibernate = target === PowerSystemHibernate;
    this.#sleepAction = hibernate ? PowerActionHibernate : PowerActionSleep;
    return this._sys.as(
      PO_FRAME,
      () =>
        this._sys.po.sleep(
          target,
          this.#sleepAction,
          hibernate ? "hibernate" : "sleep",
        ),
    );
  }

  /**
   * Wakes the machine: IRP_MN_SET_POWER(S0) to every stack, parents before children; then the
   * buses re-enumerate (devices unplugged while asleep are surprise-removed, new ones appear).
   * `by` names a device whose wake signal woke it: it needs an armed IRP_MN_WAIT_WAKE (which then
   * completes with STATUS_SUCCESS) and a bus that reports it can wake from this state; otherwise the
   * signal is ignored and the result is STATUS_INVALID_DEVICE_STATE.
   */
  wake(options: { by?: DeviceObject } = {}): number {
    this._sys.checkRunning();
    if (!this.#asleep || this._sys.po.systemState === PowerSystemShutdown) {
      return STATUS_INVALID_DEVICE_STATE;
    }
    // Any device object of the stack stands for its device (the wake signal comes from the PDO's bus).
    const by = options.by?.bottom;
    if (by) {
      const caps = busChildOf(by)?.spec.capabilities;
      const armed = busChildOf(by)?.waitWake ?? null;
      const canWake = armed !== null && caps?.SystemWake !== undefined &&
        this._sys.po.systemState <= caps.SystemWake;
      if (!canWake) {
        this._sys.trace.push({
          kind: "info",
          what: "wake signal ignored",
          detail: {
            device: String(by),
            reason: armed
              ? "the device cannot wake the system from this state"
              : "no IRP_MN_WAIT_WAKE is armed",
          },
        });
        return STATUS_INVALID_DEVICE_STATE;
      }
      this._sys.trace.push({ kind: "info", what: "wake signal", detail: { device: String(by) } });
    }
    this._sys.as(PO_FRAME, () => this._sys.po.wake(this.#sleepAction));
    // The device that woke the system: its bus completes the wait/wake IRP.
    if (by) this._sys.as(PO_FRAME, () => signalWake(this.kernel, by));
    this.settle();
    return STATUS_SUCCESS;
  }

  /**
   * Shuts the machine down: IRP_MJ_SHUTDOWN to the drivers that called
   * IoRegisterShutdownNotification, then IRP_MN_SET_POWER(S5) to every stack, children before
   * parents. The machine is then off (S5) until `reboot()`.
   */
  shutdown(): number {
    this._sys.checkRunning();
    if (this.#asleep) return STATUS_INVALID_DEVICE_STATE;
    this.settle();
    return this._sys.as(PO_FRAME, () => this._sys.po.shutdown(PowerSystemShutdown));
  }

  #sleepAction = PowerActionSleep;

  /**
   * What `!podev` shows for a device: each device object of its stack, top first, with the device
   * power state its driver last reported (PoSetPowerState), and the power IRPs pending in the stack
   * (a held IRP, an armed IRP_MN_WAIT_WAKE) with the device object holding each.
   */
  podev(device: DeviceObject | string): PowerDeviceInfo | undefined {
    const pnp = this._sys.pnp;
    // Any device object of a stack stands for the stack (its PDO's devnode).
    const node = typeof device === "string" ? pnp.find(device) : pnp.nodeOf(device.bottom);
    const pdo = node?.pdo ?? (typeof device === "string" ? undefined : device.bottom);
    if (!pdo) return undefined;
    const po = this._sys.po;
    const stack: PowerDeviceInfo["stack"] = [];
    for (let d: DeviceObject | null = pdo.top; d; d = d.lower) {
      stack.push({
        device: d.name ?? `#${d.serial}`,
        driver: d.DriverObject.DriverName,
        role: d.role ?? "device",
        powerState: powerStateName(DevicePowerState, po.deviceState(d)),
        flags: [
          ...(d.Flags & DO_POWER_PAGABLE ? ["DO_POWER_PAGABLE"] : []),
          ...(d.Flags & DO_POWER_INRUSH ? ["DO_POWER_INRUSH"] : []),
        ],
      });
    }
    const pending = po.pendingIn(pdo).map((irp) => {
      const loc = irp.stack[Math.min(irp.CurrentLocation, irp.StackCount)]!;
      const p = loc.Parameters;
      const type = p.Power ? Number(p.Power.Type) : SystemPowerState;
      const state = p.Power ? Number(p.Power.State) : Number(p.WaitWake?.PowerState ?? 0);
      return {
        irp: irp.id,
        minor: IRP_MN_POWER_NAMES[loc.MinorFunction] ?? String(loc.MinorFunction),
        powerState: `${type === SystemPowerState ? "SystemPowerState" : "DevicePowerState"} ${
          powerStateName(type, state)
        }`,
        heldBy: loc.DeviceObject ? String(loc.DeviceObject) : String(pdo),
      };
    });
    return {
      instanceId: node?.instanceId ?? "",
      systemState: this.powerState,
      stack,
      pending,
    };
  }

  /** What `!poaction` shows: the system power transition in progress, else the last one, else null. */
  get powerAction(): PowerActionInfo | null {
    const po = this._sys.po;
    const a = po.action ?? po.lastAction;
    if (!a) return null;
    return {
      action: a.action,
      target: a.target,
      phase: a.phase,
      instance: a.instance,
      queried: a.queried,
      inProgress: po.action !== null,
      ...(po.action === null && po.lastAction ? { status: po.lastAction.status } : {}),
    };
  }

  /** Plugging hardware into a sleeping machine: the bus sees it at once, PnP only after the wake. */
  #plugInAsleep(spec: DeviceSpec, parentNode: DevNode): DeviceObject {
    const pnp = this._sys.pnp;
    const child = pnp.plugIn(spec, parentNode);
    if (
      !child.parent ||
      !createChildPdo(this.kernel, child, pnp.busDriverFor(child.parent), pnp.busDispatch)
    ) {
      throw new TypeError(`Cannot plug in '${spec.hardwareIds[0]}': its bus has no device object`);
    }
    return child.pdo!;
  }
}

/**
 * Boots a machine.
 *
 * @example
 * ```ts
 * import { boot } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const m = boot();
 * assert.equal(m.registry.exists("HKLM\\SYSTEM\\CurrentControlSet\\Enum\\HTREE\\ROOT\\0"), true);
 * ```
 */
export function boot(options: BootOptions = {}): Machine {
  const names = options.hardwareProfiles?.length ? options.hardwareProfiles : ["Profile 1"];
  const profiles = names.map((name, i) => ({ id: profileId(i), name }));
  let current = 0;
  if (options.currentProfile !== undefined) {
    current = profiles.findIndex((p) =>
      p.id === options.currentProfile ||
      p.name.toLowerCase() === options.currentProfile!.toLowerCase()
    );
    if (current < 0) {
      throw new TypeError(`Cannot boot: no hardware profile '${options.currentProfile}'`);
    }
  }
  const sys = new System({
    verifier: options.verifier ?? "strict",
    safeMode: options.safeMode ?? false,
    ...(options.maxQueuedActions !== undefined
      ? { maxQueuedActions: options.maxQueuedActions }
      : {}),
  });
  let hive = new Hive();
  let clock = 0;
  let fromFile = false;
  if (options.hiveFile) {
    sys.hiveFile = options.hiveFile;
    let text: string | undefined;
    try {
      text = Deno.readTextFileSync(options.hiveFile);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (text !== undefined) {
      const loaded = deserializeHive(text);
      if (!loaded.hive) throw new HiveLoadError(options.hiveFile, loaded.errors);
      hive = loaded.hive;
      clock = loaded.clock ?? 0;
      fromFile = true;
    }
  }
  if (!hive.root.child("MACHINE")) buildSystemHive(hive, profiles, current);
  buildVolatileKeys(hive);
  sys.clock = clock;
  if (options.traceLimit !== undefined && options.traceLimit > 0) {
    sys.trace.limit = Math.floor(options.traceLimit);
  }
  sys.attachHive(hive);
  const queue = sys.ke.queue;
  sys.pnp = new PnpManager(sys);
  const machine = new Machine(sys, profiles, options.includeExistingDuplicates ?? "never");
  machine._wire();
  sys.onFlush = () => {
    if (sys.hiveFile) machine.saveHive();
  };
  sys.trace.push({
    kind: "info",
    what: "boot",
    detail: { safeMode: sys.options.safeMode, profile: profiles[current]!.id },
  });
  if (fromFile) {
    // RunOnce runs at every boot ("RunOnce Registry Key",
    // docs/profiles-runonce.md#runonce-entries), a saved hive's first one included.
    queue.enqueue({
      name: "RunOnce at boot",
      run: () => processRunOnce(sys, machine.runOnceCommands, "boot"),
    });
  }
  return machine;
}

/** The sleeping states `sleep()` accepts. */
const SLEEP_STATES: Readonly<Record<string, number>> = {
  S1: PowerSystemSleeping1,
  S2: PowerSystemSleeping2,
  S3: PowerSystemSleeping3,
  S4: PowerSystemHibernate,
};

/** Devnodes whose stacks receive system power IRPs: built and not removed. */
const POWERED_STATES: ReadonlySet<DevNodeState> = new Set<DevNodeState>([
  "Started",
  "StopPending",
  "Stopped",
  "RemovePending",
]);

/** The host loading drivers (as the service control manager would). */
const HOST_LOADER = {
  name: "host",
  driver: null,
  process: "System",
  previousMode: "KernelMode",
} as const;
/** The host asking PnP for a device action (as Device Manager would, through the PnP manager). */
const PNP_HOST = {
  name: "PnP",
  driver: null,
  process: "System",
  previousMode: "KernelMode",
} as const;

function resetBus(bus: import("./bus/virtual_bus.ts").BusChild): void {
  for (const c of bus.children) {
    c.pdo = null;
    c.reportedMissing = false;
    c.waitWake = null;
    c.devicePowerState = 0;
    resetBus(c);
  }
}

/** A plain snapshot of a devnode. */
export function nodeInfo(node: DevNode, devicePowerState = 0): DevNodeInfo {
  const status = devNodeStatus(node);
  const stack: DevNodeInfo["stack"] = [];
  for (let d: DeviceObject | null = node.top; d; d = d.lower) {
    stack.push({
      device: d.name ?? `#${d.serial}`,
      driver: d.DriverObject.DriverName,
      role: d.role ?? "device",
    });
  }
  return {
    instanceId: node.instanceId,
    state: node.state,
    problem: node.problem,
    ...(node.problem ? { problemName: CM_PROB_NAMES[node.problem] ?? String(node.problem) } : {}),
    status,
    statusFlags: dnFlagNames(status),
    service: node.service,
    parent: node.parent?.instanceId ?? null,
    children: node.children.map((c) => c.instanceId),
    powerState: powerStateName(DevicePowerState, devicePowerState),
    hardwareIds: [...node.hardwareIds],
    compatibleIds: [...node.compatibleIds],
    description: node.description,
    stack,
    opens: node.opens.size,
  };
}
