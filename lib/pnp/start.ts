/**
 * Installation and start: drivers matched and loaded for a new devnode, its stack built with
 * AddDevice (filters, then the function driver), IRP_MN_START_DEVICE and what follows it (capabilities,
 * device state, child enumeration), and the loading and unloading of drivers around their devices.
 *
 * @module
 */
import {
  CM_PROB_DISABLED,
  CM_PROB_DRIVER_FAILED_LOAD,
  CM_PROB_FAILED_ADD,
  CM_PROB_FAILED_DRIVER_ENTRY,
  CM_PROB_FAILED_INSTALL,
  CM_PROB_FAILED_START,
  CONFIGFLAG_DISABLED,
  DO_DEVICE_INITIALIZING,
  flagNames,
  PNP_DEVICE_FAILED,
  PNP_DEVICE_REMOVED,
  PNP_DEVICE_STATE_NAMES,
} from "../constants.ts";
import { tagText } from "../ex/pool.ts";
import { afterDriverEntry, createDriverObject, runDriverRoutine } from "../io/iomgr.ts";
import type { DeviceObject, DriverObject, DriverSpec } from "../io/objects.ts";
import {
  NT_SUCCESS,
  ntStatusName,
  STATUS_NOT_SAFE_MODE_DRIVER,
  STATUS_SUCCESS,
} from "../ntstatus.ts";
import type { System } from "../system.ts";
import { keptCapabilities } from "../po/capabilities.ts";
import { type DevNode, emptyCapabilities, NO_STRINGS } from "./devnode.ts";
import * as devreg from "./devreg.ts";

import * as pnpirp from "./pnpirp.ts";
import type { PnpManager } from "./pnpmgr.ts";

/** Loads a driver spec into the I/O manager: creates Services\<name> and calls DriverEntry. */
export function loadDriver(sys: System, spec: DriverSpec): DriverObject {
  if (!spec || typeof spec.name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(spec.name)) {
    throw new TypeError(
      `Cannot load driver '${spec?.name}': a service name needs letters, digits, '_', '-' or '.'`,
    );
  }
  const existing = sys.io.driver(spec.name);
  if (existing?.loaded) {
    throw new TypeError(`Cannot load driver '${spec.name}': it is already loaded`);
  }
  const driver = createDriverObject(spec);
  sys.io.drivers.set(spec.name.toUpperCase(), driver);
  const registryPath = devreg.createServiceKey(sys, spec);
  sys.trace.push({
    kind: "info",
    what: "load driver",
    detail: { driver: driver.DriverName, registryPath },
  });
  if (sys.options.safeMode && !devreg.safeBootLoads(sys, spec.name)) {
    // A safe boot loads only what Control\SafeBoot\Minimal names: DriverEntry never runs.
    driver.entryStatus = STATUS_NOT_SAFE_MODE_DRIVER;
    sys.trace.push({
      kind: "info",
      what: "driver not loaded in safe mode",
      detail: { driver: driver.DriverName, status: ntStatusName(STATUS_NOT_SAFE_MODE_DRIVER) },
    });
    return driver;
  }
  const entry = spec.DriverEntry?.bind(spec);
  driver.entryRan = true;
  const devicesBefore = driver.devices.length;
  const status = entry
    ? runDriverRoutine(sys, driver, "DriverEntry", () => entry(sys.kernel, driver, registryPath))
    : STATUS_SUCCESS;
  afterDriverEntry(driver, devicesBefore, NT_SUCCESS(status));
  driver.entryStatus = status;
  driver.loaded = NT_SUCCESS(status);
  driver.wasLoaded = driver.loaded;
  if (!driver.loaded) {
    sys.trace.push({
      kind: "info",
      what: "DriverEntry failed",
      detail: { driver: driver.DriverName, status: ntStatusName(status) },
    });
  }
  return driver;
}

/** Unloads a driver whose last device is gone and that no notification registration holds (DriverUnload runs). */
export function driverMayUnload(
  pnp: PnpManager,
  driver: DriverObject,
): void {
  if (
    driver.loaded && driver.hadDevices && driver.deviceCount === 0 && driver.references > 0 &&
    !driver.leakReported
  ) {
    driver.leakReported = true;
    pnp.sys.violate(
      "PnpNotificationLeak",
      `${driver.DriverName}'s last device is gone but it still holds ${driver.references} notification registration(s), so it cannot unload`,
    );
  }
  if (
    !driver.loaded || driver === pnp.pnpDriver || driver.deviceCount > 0 ||
    driver.references > 0 || driver.workItemsQueued > 0
  ) return;
  if (!driver.hadDevices) return;
  const unload = driver.DriverUnload;
  if (unload) {
    runDriverRoutine(pnp.sys, driver, "DriverUnload", () => unload(pnp.sys.kernel, driver));
  }
  driver.loaded = false;
  driver.hadDevices = false;
  driver.leakReported = false;
  // Pool Tracking: every allocation the driver made must be freed by the time it unloads.
  const leaked = pnp.sys.io.pool.outstanding(driver.name);
  if (leaked.length > 0) {
    pnp.sys.violate(
      "PoolTracking",
      `${driver.DriverName} unloaded without freeing ${leaked.length} pool allocation(s) (${
        leaked.map((a) => `${a.size} bytes, tag '${tagText(a.tag)}'`).join("; ")
      })`,
      [0, 0, leaked.length],
    );
  }
  for (const [handle, entry] of pnp.sys.keyHandles.entries()) {
    if (entry.driver === driver.name) {
      pnp.sys.violate(
        "KeyHandleLeakAtUnload",
        `${driver.DriverName} unloaded with key handle ${handle} (from ${entry.routine}) open`,
      );
    }
  }
  pnp.sys.trace.push({
    kind: "info",
    what: "unload driver",
    detail: { driver: driver.DriverName },
  });
}

/** Loads a driver again for a new device after it was unloaded (DriverEntry runs again). */
export function reload(
  pnp: PnpManager,
  driver: DriverObject,
): boolean {
  const entry = driver.spec.DriverEntry?.bind(driver.spec);
  const registryPath = `\\Registry\\Machine\\System\\CurrentControlSet\\Services\\${driver.name}`;
  pnp.sys.trace.push({
    kind: "info",
    what: "load driver",
    detail: { driver: driver.DriverName, registryPath },
  });
  const devicesBefore = driver.devices.length;
  const status = entry
    ? runDriverRoutine(
      pnp.sys,
      driver,
      "DriverEntry",
      () => entry(pnp.sys.kernel, driver, registryPath),
    )
    : STATUS_SUCCESS;
  afterDriverEntry(driver, devicesBefore, NT_SUCCESS(status));
  driver.loaded = NT_SUCCESS(status);
  return driver.loaded;
}

/** Installs drivers for a new device, builds its stack (AddDevice) and starts it. */
export function configure(
  pnp: PnpManager,
  node: DevNode,
): void {
  const sys = pnp.sys;
  if (
    !pnp.byInstance.has(node.instanceId.toUpperCase()) ||
    node.state !== "Enumerated" && node.state !== "Removed"
  ) {
    return;
  }
  const configFlags = devreg.configFlags(sys, node);
  if (configFlags & CONFIGFLAG_DISABLED) {
    pnp.setState(node, "Removed", CM_PROB_DISABLED);
    return;
  }
  node.problem = 0;
  const match = devreg.matchDriver(sys, node);
  if (!match && !node.capabilities.RawDeviceOK) {
    pnp.setState(node, node.state, CM_PROB_FAILED_INSTALL);
    return;
  }
  const firstInstall = match ? devreg.install(sys, node, match) : false;
  const filters = devreg.filters(sys, node);
  const services = [...filters.lower, ...(match ? [match.name] : []), ...filters.upper];
  const drivers: DriverObject[] = [];
  for (const name of services) {
    const d = sys.io.driver(name);
    if (d && !d.loaded && NT_SUCCESS(d.entryStatus) && d.wasLoaded) pnp.reload(d);
    if (!d || !d.loaded) {
      sys.trace.push({
        kind: "info",
        what: "driver not loaded",
        detail: { service: name, instance: node.instanceId },
      });
      // DriverEntry ran and failed: CM_PROB_FAILED_DRIVER_ENTRY; never loaded (a safe boot skips
      // it, or it is missing): CM_PROB_DRIVER_FAILED_LOAD.
      const entryFailed = d !== undefined && d.entryRan && !NT_SUCCESS(d.entryStatus);
      if (d && !NT_SUCCESS(d.entryStatus)) node.problemStatus = d.entryStatus;
      pnp.setState(
        node,
        node.state,
        entryFailed ? CM_PROB_FAILED_DRIVER_ENTRY : CM_PROB_DRIVER_FAILED_LOAD,
      );
      return;
    }
    drivers.push(d);
  }
  node.service = match?.name ?? null;
  node.lowerFilters = filters.lower.length ? filters.lower : NO_STRINGS;
  node.upperFilters = filters.upper.length ? filters.upper : NO_STRINGS;
  pnp.setState(node, "DriversInitialized");
  const k = sys.kernel;
  for (const [i, driver] of drivers.entries()) {
    const before = node.top;
    const add = driver.DriverExtension.AddDevice;
    if (!add) continue;
    const status = runDriverRoutine(sys, driver, "AddDevice", () => add(k, driver, node.pdo));
    for (let d: DeviceObject | null = before.AttachedDevice; d; d = d.AttachedDevice) {
      d.role ??= driver.name === node.service && i === filters.lower.length ? "FDO" : "filter";
    }
    if (!NT_SUCCESS(status)) {
      sys.trace.push({
        kind: "info",
        what: "AddDevice failed",
        detail: { driver: driver.name, status: ntStatusName(status) },
      });
      node.problemStatus = status;
      if (node.top !== node.pdo) pnp.sendRemove(node);
      pnp.setState(node, "Removed", CM_PROB_FAILED_ADD);
      return;
    }
  }
  for (let d: DeviceObject | null = node.pdo; d; d = d.AttachedDevice) {
    if (d !== node.pdo && d.Flags & DO_DEVICE_INITIALIZING) {
      sys.violate(
        "DeviceInitializing",
        `${d} still has DO_DEVICE_INITIALIZING after AddDevice returned`,
      );
    }
  }
  pnp.setState(node, "Added");
  // Step 5: the stack may adjust the requirements before PnP assigns resources and starts it.
  pnpirp.filterResourceRequirements(pnp, node);
  pnp.start(node, firstInstall);
}

/** Sends IRP_MN_START_DEVICE; on success the device is Started, its held arrivals go out and its children are enumerated. */
export function start(
  pnp: PnpManager,
  node: DevNode,
  firstInstall = false,
): void {
  const r = pnpirp.startDevice(pnp, node);
  if (!NT_SUCCESS(r.status)) {
    // "A failed START leads to REMOVE (Win2000+), and the devnode is marked failed start."
    node.problemStatus = r.status;
    pnp.sendRemove(node);
    pnp.setState(node, "Removed", CM_PROB_FAILED_START);
    return;
  }
  node.startCompleted = true;
  node.removalInProgress = false;
  pnp.setState(node, "Started", 0);
  pnp.notifier.started(node);
  // A fresh buffer, as for every IRP_MN_QUERY_CAPABILITIES; the stack's answer (its S→D table
  // included, which the power policy owner reads) replaces what the PDO alone said.
  const caps = emptyCapabilities();
  if (NT_SUCCESS(pnpirp.queryCapabilities(pnp, node, caps, true).status)) {
    node.capabilities = keptCapabilities(caps);
  }
  pnp.queryPnpDeviceState(node);
  if (pnp.nodeOf(node.pdo) && node.state === "Started") pnp.requestEnumeration(node);
  if (firstInstall) pnp.onInstalled();
}

/** IRP_MN_QUERY_PNP_DEVICE_STATE: records the flags; PNP_DEVICE_FAILED or _REMOVED starts a removal. */
export function queryPnpDeviceState(
  pnp: PnpManager,
  node: DevNode,
): void {
  const r = pnpirp.queryPnpDeviceState(pnp, node);
  const flags = NT_SUCCESS(r.status) && typeof r.information === "number" ? r.information : 0;
  if (flags !== node.pnpDeviceState) {
    pnp.sys.trace.push({
      kind: "info",
      what: "PNP_DEVICE_STATE",
      detail: {
        instance: node.instanceId,
        flags: flagNames(PNP_DEVICE_STATE_NAMES, flags),
      },
    });
  }
  node.pnpDeviceState = flags;
  if (flags & (PNP_DEVICE_FAILED | PNP_DEVICE_REMOVED)) {
    pnp.enqueue(
      `remove failed device ${node.instanceId}`,
      () => pnp.surpriseRemoveTree(node, false),
    );
  }
}

/** Reconfigures a removed (or failed) device that is still present: AddDevice and START again. */
export function restart(
  pnp: PnpManager,
  node: DevNode,
): void {
  if (node.state === "Started") {
    const r = pnp.queryAndRemove(node);
    if (!NT_SUCCESS(r.status)) return;
  }
  pnp.enqueue(`configure ${node.instanceId}`, () => pnp.configure(node));
}
