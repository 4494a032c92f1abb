/**
 * The model's own tables as the steps' fields see them (devnode states, IRP names, notification
 * events, kernel routines, I/O control codes) and the fields several steps share (a device, an
 * interface, a listener ...), so that every row checks names against the same lists.
 *
 * @module
 */
import * as constants from "../../lib/constants.ts";
import { IRP_MJ_NAMES, IRP_MN_NAMES, PNP_EVENT_GUID_NAMES } from "../../lib/constants.ts";
import { Kernel } from "../../lib/kernel.ts";
import type { DevNodeState } from "../../lib/pnp/devnode.ts";
import { DEVPKEYS } from "../../lib/pnp/properties.ts";
import { VERIFIER_RULES } from "../../lib/verifier/rules.ts";
import { GUID_TEXT } from "../guids.ts";
import type { FieldDef } from "./row.ts";

/**
 * Every devnode state, checked by the compiler against `DevNodeState` (a type, not a table, in
 * lib/pnp/devnode.ts): a state added there fails to type-check here until it is added.
 */
export const DEVNODE_STATES: Readonly<Record<DevNodeState, true>> = {
  Enumerated: true,
  DriversInitialized: true,
  Added: true,
  Started: true,
  StopPending: true,
  Stopped: true,
  RemovePending: true,
  SurpriseRemoved: true,
  Removed: true,
  Absent: true,
};

/** The minor IRP names without `IRP_MN_` first (as scenarios write them), then the full names. */
export const IRP_NAMES: readonly string[] = [
  ...Object.values(IRP_MN_NAMES).map((n) => n.slice("IRP_MN_".length)),
  ...Object.values(IRP_MN_NAMES),
  ...Object.values(IRP_MJ_NAMES),
];

/**
 * Notification event names by their short form (`ARRIVAL`, `QUERY_REMOVE` ...), each the name a
 * trace's notify event carries; the short form drops the category prefix of the event GUID's name.
 * `CUSTOM` is any event GUID without a name (the trace's "custom event").
 *
 * @example
 * ```ts
 * import { NOTIFICATION_EVENTS } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert.equal(NOTIFICATION_EVENTS.QUERY_REMOVE, "GUID_TARGET_DEVICE_QUERY_REMOVE");
 * ```
 */
export const NOTIFICATION_EVENTS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    Object.values(PNP_EVENT_GUID_NAMES).flatMap((name) => {
      const short = /^GUID_(?:DEVICE_INTERFACE|TARGET_DEVICE|HWPROFILE)_(.+)$/.exec(name)?.[1];
      return short ? [[short, name]] : [];
    }),
  ),
  CUSTOM: "custom event",
};

/**
 * The routines a `call` step may name: the Kernel class's Zw, Io, Rtl, Ke and Ob methods.
 *
 * @example
 * ```ts
 * import { KERNEL_ROUTINES } from "./fields.ts";
 * import assert from "node:assert/strict";
 * assert.ok(KERNEL_ROUTINES.includes("ZwOpenKey"));
 * ```
 */
export const KERNEL_ROUTINES: readonly string[] = Object.getOwnPropertyNames(Kernel.prototype)
  .filter((name) =>
    /^(Zw|Io|Rtl|Ke|Ob|Po|Ex)[A-Z]/.test(name) &&
    typeof Object.getOwnPropertyDescriptor(Kernel.prototype, name)?.value === "function"
  );

/** The I/O control codes lib/constants.ts names. */
export const IOCTL_NAMES: readonly string[] = Object.entries(constants)
  .filter(([name, value]) => name.startsWith("IOCTL_") && typeof value === "number")
  .map(([name]) => name);

/** A device a step acts on, by the name plugIn or name gave it. */
export const device = {
  type: "id",
  required: true,
  doc: "The device's id (given at plugIn)",
  refers: "device",
} as const satisfies FieldDef;
/** An interface, by the name registerInterface gave it. */
export const iface = {
  type: "id",
  required: true,
  doc: "The interface's id (given at registerInterface)",
  refers: "interface",
} as const satisfies FieldDef;
/** A kernel listener, by the name listen gave it. */
export const listener = {
  type: "id",
  required: true,
  doc: "The listener's id (given at listen)",
  refers: "listener",
} as const satisfies FieldDef;
/** A verifier rule by name. */
export const verifierRule = {
  type: "string",
  required: true,
  doc: "The rule name (lib/verifier/rules.ts)",
  values: VERIFIER_RULES.map((r) => r.name),
  noun: "verifier rule",
} as const satisfies FieldDef;
/** A device or interface property key. */
export const propertyKey = {
  type: "string",
  required: true,
  doc: "DEVPKEY_DeviceInterface_FriendlyName, or '{fmtid},pid'",
  values: Object.keys(DEVPKEYS),
  pattern: new RegExp(`^${GUID_TEXT},\\s*\\d+$`),
  noun: "property key",
} as const satisfies FieldDef;

/** Device fields shared by plugIn and a driver-less `device`. */
export const DEVICE_FIELDS = {
  id: { type: "string", doc: "A name later steps use for this device" },
  hardwareIds: { type: "strings", doc: "Hardware IDs, most specific first" },
  hardwareId: { type: "string", doc: "A single hardware ID (instead of hardwareIds)" },
  compatibleIds: { type: "strings", doc: "Compatible IDs" },
  deviceId: { type: "string", doc: "The device ID (default: the first hardware ID)" },
  instanceId: { type: "string", doc: "The instance ID the bus reports (default 0, 1, ...)" },
  uniqueId: {
    type: "boolean",
    doc: "DEVICE_CAPABILITIES.UniqueID (default true; false adds the ParentIdPrefix)",
  },
  rawDeviceOk: {
    type: "boolean",
    doc: "DEVICE_CAPABILITIES.RawDeviceOK: starts without a function driver",
  },
  description: { type: "string", doc: "IRP_MN_QUERY_DEVICE_TEXT description" },
  location: { type: "string", doc: "IRP_MN_QUERY_DEVICE_TEXT location" },
  removable: { type: "boolean", doc: "DEVICE_CAPABILITIES.Removable" },
  ejectSupported: { type: "boolean", doc: "DEVICE_CAPABILITIES.EjectSupported" },
  surpriseRemovalOk: { type: "boolean", doc: "DEVICE_CAPABILITIES.SurpriseRemovalOK" },
  dockDevice: { type: "boolean", doc: "DEVICE_CAPABILITIES.DockDevice" },
  dockedProfile: {
    type: "string",
    doc: "A dock: the hardware profile to switch to when it arrives",
  },
  undockedProfile: {
    type: "string",
    doc: "A dock: the hardware profile to switch to when it is ejected",
  },
  parent: {
    type: "id",
    doc: "The device whose bus it is plugged into (default: the root enumerator)",
    refers: "device",
  },
  driver: {
    type: "string",
    doc:
      "The driver to use (as an INF naming this hardware ID would); one not loaded yet leaves the device without a driver. Default: a matching loaded driver, else a pass-through driver",
  },
} as const satisfies Readonly<Record<string, FieldDef>>;
