/**
 * The step representation both front ends compile to: plain data, one object per step, named by its
 * `step` field. One table (`STEP_DEFINITIONS`) says what each step takes; the YAML loader validates
 * against it, the JSON Schema is generated from it, and the fluent DSL builds the same objects.
 *
 * @module
 */
import * as constants from "../lib/constants.ts";
import {
  CM_PROB_NAMES,
  DN_NAMES,
  IRP_MJ_NAMES,
  IRP_MN_NAMES,
  PNP_EVENT_GUID_NAMES,
} from "../lib/constants.ts";
import { sampleDrivers } from "../lib/examples/example_machine.ts";
import { Kernel } from "../lib/kernel.ts";
import type { DevNodeState } from "../lib/pnp/devnode.ts";
import { DEVPKEYS } from "../lib/pnp/properties.ts";
import { DBT } from "../lib/pnp/usermode.ts";
import { VERIFIER_RULES } from "../lib/verifier/rules.ts";
import { MISBEHAVIOURS } from "./drivers.ts";

/** Where a step came from, for messages (YAML files have line and column). */
export interface StepSource {
  /** The scenario file's path. */
  file?: string;
  /** The step's line in the file, from 1. */
  line?: number;
  /** The step's column in that line, from 1. */
  column?: number;
}

/** One step: its name and its arguments, plus where it came from. */
export interface Step {
  /** The step name, a key of STEP_DEFINITIONS. */
  step: string;
  /** Where the step was written. */
  source?: StepSource;
  /** The step's arguments, as STEP_DEFINITIONS describes them. */
  [field: string]: unknown;
}

/** The type of one field. */
export type FieldType =
  | "string"
  | "number"
  | "boolean"
  | "guid"
  | "status"
  | "regType"
  | "strings"
  | "guids"
  | "regValues"
  | "data"
  | "id"
  | "object"
  | "driver"
  | "device";

/** A field of a step. */
export interface FieldDef {
  /** What kind of value the field takes. */
  type: FieldType;
  /** The step is invalid without it. */
  required?: boolean;
  /** What the field means, in a phrase (the schema's description). */
  doc: string;
  /** For "string" and "strings" fields with a fixed set of values. */
  values?: readonly string[];
  /** Also accepted besides `values`: text of this form (a number, `{fmtid},pid` ...). */
  pattern?: RegExp;
  /** What one of the values is, for messages: "Unknown IRP 'X' in 'expectIrps.irps'". */
  noun?: string;
  /** A YAML number is accepted for this "string" field (an I/O control code); elsewhere it must be quoted. */
  numbers?: boolean;
  /** The value names something an earlier step defined (a device, an interface ...): a NameKind. */
  refers?:
    | NonNullable<StepDef["defines"]>[number]["kind"]
    | readonly NonNullable<StepDef["defines"]>[number]["kind"][];
  /** Strings in the value name devices, interfaces, results, GUIDs and WDK constants (`call.args`). */
  resolvesNames?: boolean;
}

/**
 * The kinds of things steps name, and later steps refer to by that name. (Spelt out inside StepDef,
 * so that the public interfaces need no other type.)
 */
export type NameKind = NonNullable<StepDef["defines"]>[number]["kind"];

/** A step's definition. */
export interface StepDef {
  /** What the step does, in a sentence (the schema's description and the REPL's help). */
  doc: string;
  /** Its fields. */
  fields: Readonly<Record<string, FieldDef>>;
  /** The field a scalar value stands for: `unplug: t1` means `{ device: t1 }`. */
  shorthand?: string;
  /** An expectation (checked against the trace) rather than an action. */
  expectation?: boolean;
  /**
   * The names it gives, for later steps (the runner's maps of devices, interfaces ...): each the
   * first of `from` that the step writes (a list's first item), else `fallback`.
   */
  defines?: readonly {
    /** What the name stands for. */
    kind: "device" | "interface" | "listener" | "handle" | "result" | "application";
    /** The fields that give the name, in the runner's order of preference. */
    from: readonly string[];
    /** The name when none of them is written. */
    fallback?: string;
    /** A second step defining the same name fails. */
    unique?: boolean;
  }[];
}

// ---- The model's own tables, as the fields that name their entries see them ------------------------

/**
 * Every devnode state, checked by the compiler against `DevNodeState` (a type, not a table, in
 * lib/pnp/devnode.ts): a state added there fails to type-check here until it is added.
 */
const DEVNODE_STATES: Readonly<Record<DevNodeState, true>> = {
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
const IRP_NAMES: readonly string[] = [
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
 * import { NOTIFICATION_EVENTS } from "./steps.ts";
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
 * import { KERNEL_ROUTINES } from "./steps.ts";
 * import assert from "node:assert/strict";
 * assert.ok(KERNEL_ROUTINES.includes("ZwOpenKey"));
 * ```
 */
export const KERNEL_ROUTINES: readonly string[] = Object.getOwnPropertyNames(Kernel.prototype)
  .filter((name) =>
    /^(Zw|Io|Rtl|Ke|Ob)[A-Z]/.test(name) &&
    typeof Object.getOwnPropertyDescriptor(Kernel.prototype, name)?.value === "function"
  );

/** The I/O control codes lib/constants.ts names. */
const IOCTL_NAMES: readonly string[] = Object.entries(constants)
  .filter(([name, value]) => name.startsWith("IOCTL_") && typeof value === "number")
  .map(([name]) => name);

const GUID_TEXT =
  "\\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\}";

const device: FieldDef = {
  type: "id",
  required: true,
  doc: "The device's id (given at plugIn)",
  refers: "device",
};
const iface: FieldDef = {
  type: "id",
  required: true,
  doc: "The interface's id (given at registerInterface)",
  refers: "interface",
};
const listener: FieldDef = {
  type: "id",
  required: true,
  doc: "The listener's id (given at listen)",
  refers: "listener",
};
const verifierRule: FieldDef = {
  type: "string",
  required: true,
  doc: "The rule name (lib/verifier/rules.ts)",
  values: VERIFIER_RULES.map((r) => r.name),
  noun: "verifier rule",
};
const propertyKey: FieldDef = {
  type: "string",
  required: true,
  doc: "DEVPKEY_DeviceInterface_FriendlyName, or '{fmtid},pid'",
  values: Object.keys(DEVPKEYS),
  pattern: new RegExp(`^${GUID_TEXT},\\s*\\d+$`),
  noun: "property key",
};

/** Device fields shared by plugIn and a driver-less `device`. */
const DEVICE_FIELDS: Readonly<Record<string, FieldDef>> = {
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
};

// ---- Power steps ----
// Every power step, its fields, and the power options of `driver`: one block, spread into
// STEP_DEFINITIONS below.

/** The power states as scenarios write them. */
const SYSTEM_STATES = ["S0", "S1", "S2", "S3", "S4", "S5"] as const;
const DEVICE_STATES = ["D0", "D1", "D2", "D3", "Unspecified"] as const;

/**
 * A power IRP as `expectPowerIrps` names it: the minor function without IRP_MN_ and the state it
 * carries, `SET_POWER(S3)`, `QUERY_POWER(D3)`, `WAIT_WAKE(S3)`, or the minor alone (any state).
 */
const POWER_IRP_PATTERN =
  /^(IRP_MN_)?(SET_POWER|QUERY_POWER|WAIT_WAKE|POWER_SEQUENCE)(\((S[0-5]|D[0-3]|(SystemPowerState|DevicePowerState) (S[0-5]|D[0-3])|Unspecified)\))?$/;

/** The power options a declarative driver takes (fields of the `driver` step). */
const POWER_DRIVER_FIELDS: Readonly<Record<string, FieldDef>> = {
  vetoSleep: {
    type: "boolean",
    doc:
      "Fail the system IRP_MN_QUERY_POWER for a sleeping state (a veto: the machine stays in S0)",
  },
  armWake: {
    type: "boolean",
    doc:
      "Once started, send IRP_MN_WAIT_WAKE for the lowest state its bus can wake from, and arm it again after it fires",
  },
  shutdownNotification: {
    type: "boolean",
    doc:
      "IoRegisterShutdownNotification in AddDevice: IRP_MJ_SHUTDOWN reaches it before the S5 IRPs",
  },
};

const POWER_STEPS: Readonly<Record<string, StepDef>> = {
  sleep: {
    doc:
      "Put the machine to sleep (S1-S3) or hibernate it (S4): IRP_MN_QUERY_POWER to every stack, then IRP_MN_SET_POWER, children before parents; a driver's failure vetoes",
    fields: {
      state: {
        type: "string",
        required: true,
        doc: "The sleeping state",
        values: ["S1", "S2", "S3", "S4"],
        noun: "sleeping state",
      },
    },
    shorthand: "state",
  },
  wake: {
    doc:
      "Wake the machine: IRP_MN_SET_POWER(S0) to every stack, parents before children; buses re-enumerate",
    fields: {
      by: {
        type: "id",
        doc: "The device whose wake signal wakes it (its IRP_MN_WAIT_WAKE completes)",
        refers: "device",
      },
    },
    shorthand: "by",
  },
  shutdown: {
    doc:
      "Shut the machine down: IRP_MJ_SHUTDOWN to registered drivers, then IRP_MN_SET_POWER(S5) to every stack",
    fields: {},
  },
  hotPlug: {
    doc:
      "Plug in a device with power capabilities (SystemWake, DeviceWake, DeviceState ...), also into a sleeping machine (its bus reports it after the wake)",
    fields: {
      ...DEVICE_FIELDS,
      capabilities: {
        type: "data",
        doc:
          "DEVICE_CAPABILITIES fields its bus reports: SystemWake (S1-S5), DeviceWake (D0-D3), DeviceState (a list by system state), DeviceD1, DeviceD2, WakeFromD0-D3, latencies",
      },
      powerPagable: {
        type: "boolean",
        doc:
          "DO_POWER_PAGABLE on its PDO (default true): power IRPs at PASSIVE_LEVEL, else DISPATCH_LEVEL",
      },
      powerInrush: { type: "boolean", doc: "DO_POWER_INRUSH on its PDO" },
    },
    shorthand: "hardwareId",
    defines: [{ kind: "device", from: ["id", "hardwareIds", "hardwareId"] }],
  },
  expectPowerState: {
    doc:
      "The machine's system power state (S0-S5), or a device's power state (D0-D3, Unspecified) as its PDO's driver reported it",
    fields: {
      device: { type: "id", doc: "The device (default: the machine)", refers: "device" },
      state: {
        type: "string",
        required: true,
        doc: "S0-S5 for the machine, D0-D3 or Unspecified for a device",
        values: [...SYSTEM_STATES, ...DEVICE_STATES],
        noun: "power state",
      },
    },
    shorthand: "state",
    expectation: true,
  },
  expectPowerIrps: {
    doc:
      "These power IRPs (system and device) went to the device's stack, in this order (since the last expectPowerIrps for it)",
    fields: {
      device,
      irps: {
        type: "strings",
        required: true,
        doc:
          "SET_POWER(S3), QUERY_POWER(D3), WAIT_WAKE ... (the minor function and the state it carries)",
        pattern: POWER_IRP_PATTERN,
        noun: "power IRP",
      },
      exact: {
        type: "boolean",
        doc: "No other power IRPs in between (default false: in order, others allowed)",
      },
    },
    expectation: true,
  },
  expectVeto: {
    doc:
      "The last sleep was vetoed: a driver failed IRP_MN_QUERY_POWER and the machine stayed in S0",
    fields: {
      device: { type: "id", doc: "The device whose stack vetoed", refers: "device" },
      driver: { type: "string", doc: "The driver (service name) that failed the query" },
    },
    expectation: true,
  },
};
// ---- end of Power steps ----

/**
 * Every step. Actions first, then expectations.
 *
 * @example
 * ```ts
 * import { STEP_DEFINITIONS } from "./steps.ts";
 * import assert from "node:assert/strict";
 * assert.equal(STEP_DEFINITIONS.unplug?.shorthand, "device");
 * ```
 */
export const STEP_DEFINITIONS: Readonly<Record<string, StepDef>> = {
  sampleDriver: {
    doc:
      "Load one of the bundled sample drivers by service name: the toaster sample's busenum, toaster, ToasterFilter, toastmon and statbus (static enumeration), or the example machine's pci, e1000 and dock",
    fields: {
      name: {
        type: "string",
        required: true,
        values: Object.keys(sampleDrivers),
        doc: "The driver's service name",
      },
    },
    shorthand: "name",
  },
  driver: {
    doc:
      "Load a driver: its IDs, and what it does (registers interfaces in AddDevice, enables them on start, vetoes query-remove, fails start ...)",
    fields: {
      name: { type: "string", required: true, doc: "Service name (Services\\<name>)" },
      hardwareIds: { type: "strings", doc: "IDs it is the function driver for" },
      classGuid: { type: "guid", doc: "Setup class of its devices" },
      className: { type: "string", doc: "Setup class name" },
      interfaces: {
        type: "guids",
        doc: "Interface classes it registers in AddDevice (GUIDs or names)",
      },
      enableOnStart: {
        type: "boolean",
        doc: "Enable its interfaces when START completes (default true)",
      },
      disableOnRemove: {
        type: "boolean",
        doc: "Disable them on SURPRISE_REMOVAL or REMOVE (default true); false leaves it to PnP",
      },
      vetoQueryRemove: { type: "boolean", doc: "Fail IRP_MN_QUERY_REMOVE_DEVICE (a driver veto)" },
      failStart: {
        type: "boolean",
        doc: "Fail IRP_MN_START_DEVICE with STATUS_INSUFFICIENT_RESOURCES",
      },
      failQueryStop: {
        type: "boolean",
        doc: "Fail IRP_MN_QUERY_STOP_DEVICE (the device takes no part in a rebalance)",
      },
      upperFilters: { type: "strings", doc: "Class upper filters its INF adds" },
      lowerFilters: { type: "strings", doc: "Class lower filters its INF adds" },
      deviceParameters: {
        type: "regValues",
        doc: "Values its INF writes to each device's hardware key: name → {type, data}",
      },
      raiseIrqlInAddDevice: {
        type: "boolean",
        doc: "Misuse: raise IRQL to DISPATCH_LEVEL in AddDevice before calling IoCreateDevice",
      },
      readSettings: {
        type: "boolean",
        doc:
          "Read its settings: DriverEntry keeps its service key open until DriverUnload; START reads deviceParameters from the device's hardware key (IoOpenDeviceRegistryKey, KEY_READ) and closes it",
      },
      watchInterfaces: {
        type: "guids",
        doc:
          "Interface classes it registers for in AddDevice (IoRegisterPlugPlayNotification) and unregisters from on REMOVE (the Ex form)",
      },
      reportOnArrival: {
        type: "guid",
        doc:
          "A custom event it reports on its own device (IoReportTargetDeviceChangeAsynchronous) when a watched interface arrives",
      },
      misbehave: {
        type: "strings",
        doc:
          "Documented mistakes it makes, for lessons: each is one small change to the generated routine and breaks one verifier rule",
        values: Object.keys(MISBEHAVIOURS),
        noun: "misbehaviour",
      },
      ...POWER_DRIVER_FIELDS,
    },
  },
  plugIn: {
    doc:
      "Plug a device into a bus (the parent's or the root enumerator's); PnP enumerates, installs and starts it",
    fields: DEVICE_FIELDS,
    shorthand: "hardwareId",
    defines: [{ kind: "device", from: ["id", "hardwareIds", "hardwareId"] }],
  },
  name: {
    doc: "Give a name to a device that is already present (a device of the example machine)",
    fields: {
      id: { type: "string", required: true, doc: "The name" },
      instance: { type: "string", required: true, doc: "Its device instance ID" },
    },
    defines: [{ kind: "device", from: ["id"] }],
  },
  unplug: {
    doc: "Pull a device out without warning (surprise removal)",
    fields: { device },
    shorthand: "device",
  },
  eject: {
    doc: "Press the eject button (IoRequestDeviceEject): query-remove, remove, IRP_MN_EJECT",
    fields: { device },
    shorthand: "device",
  },
  requestRemoval: {
    doc: "Safely remove a device: query-remove over its subtree, then remove or cancel",
    fields: { device },
    shorthand: "device",
  },
  restart: {
    doc: "Remove a device's drivers and start it again",
    fields: { device },
    shorthand: "device",
  },
  disableDevice: {
    doc: "Disable a device as Device Manager does (query-remove, remove, CONFIGFLAG_DISABLED)",
    fields: { device },
    shorthand: "device",
  },
  enableDevice: { doc: "Enable a disabled device again", fields: { device }, shorthand: "device" },
  rebalance: {
    doc: "Stop a device to rebalance resources: QUERY_STOP, STOP, START",
    fields: {
      device,
      failRestart: { type: "boolean", doc: "Make the restart fail (surprise removal follows)" },
    },
    shorthand: "device",
  },
  registerInterface: {
    doc: "IoRegisterDeviceInterface on a device's PDO",
    fields: {
      device,
      guid: { type: "guid", required: true, doc: "Interface class GUID or well-known name" },
      refString: { type: "string", doc: "Reference string" },
      id: { type: "string", doc: "A name for the interface (default: its symbolic link name)" },
    },
    // Without an id the name is the symbolic link, known only when the step runs.
    defines: [{ kind: "interface", from: ["id"] }],
  },
  setProperty: {
    doc:
      "IoSetDeviceInterfacePropertyData (or IoSetDevicePropertyData for a device): a DEVPKEY name or '{fmtid},pid', a value and its DEVPROP_TYPE",
    fields: {
      interface: { type: "id", doc: "The interface's id", refers: "interface" },
      device: { type: "id", doc: "Or a device's id", refers: "device" },
      key: propertyKey,
      value: { type: "data", doc: "The value (omit to delete the property)" },
      type: {
        type: "string",
        doc: "DEVPROP_TYPE_STRING (default), _STRING_LIST, _UINT32, _BOOLEAN, _GUID or _BINARY",
        values: [
          "DEVPROP_TYPE_STRING",
          "DEVPROP_TYPE_STRING_LIST",
          "DEVPROP_TYPE_UINT32",
          "DEVPROP_TYPE_BOOLEAN",
          "DEVPROP_TYPE_GUID",
          "DEVPROP_TYPE_BINARY",
        ],
        noun: "property type",
      },
      persistent: { type: "boolean", doc: "PLUGPLAY_PROPERTY_PERSISTENT: keep it across restarts" },
    },
  },
  expectProperty: {
    doc:
      "A property of an interface (IoGetDeviceInterfacePropertyData) or a device (IoGetDevicePropertyData)",
    fields: {
      interface: { type: "id", doc: "The interface's id", refers: "interface" },
      device: { type: "id", doc: "Or a device's id", refers: "device" },
      key: { ...propertyKey, doc: "A DEVPKEY name or '{fmtid},pid'" },
      data: { type: "data", doc: "The expected value" },
      exists: { type: "boolean", doc: "Whether the property exists (default true)" },
    },
    expectation: true,
  },
  enable: {
    doc: "IoSetDeviceInterfaceState(TRUE) on an interface",
    fields: { interface: iface },
    shorthand: "interface",
  },
  disable: {
    doc: "IoSetDeviceInterfaceState(FALSE) on an interface",
    fields: { interface: iface },
    shorthand: "interface",
  },
  listen: {
    doc:
      "A kernel client registers for notifications: interface arrivals of a class, a device's target events, or profile changes",
    fields: {
      id: { type: "string", required: true, doc: "The listener's name" },
      interfaces: { type: "guid", doc: "EventCategoryDeviceInterfaceChange for this class" },
      includeExisting: {
        type: "boolean",
        doc: "PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES",
      },
      target: {
        type: "id",
        doc: "EventCategoryTargetDeviceChange on a device (the listener opens its interface)",
        refers: ["device", "interface"],
      },
      profiles: { type: "boolean", doc: "EventCategoryHardwareProfileChange" },
      veto: {
        type: "boolean",
        doc: "Answer QUERY_REMOVE / HWPROFILE_QUERY_CHANGE with STATUS_UNSUCCESSFUL",
      },
      holdHandle: {
        type: "boolean",
        doc:
          "A target listener that keeps its file object on query-remove (vetoes as an open handle)",
      },
    },
    defines: [{ kind: "listener", from: ["id"], unique: true }],
  },
  unlisten: {
    doc:
      "IoUnregisterPlugPlayNotificationEx (or the non-Ex form, after which a late callback may still arrive)",
    fields: { listener, ex: { type: "boolean", doc: "Use the Ex form (default true)" } },
    shorthand: "listener",
  },
  app: {
    doc: "A user-mode application",
    fields: {
      id: { type: "string", required: true, doc: "Its name" },
      interfaces: { type: "guid", doc: "CM_Register_Notification for this interface class" },
      vetoQueryRemove: {
        type: "boolean",
        doc: "Answer DBT_DEVICEQUERYREMOVE with BROADCAST_QUERY_DENY",
      },
      vetoProfileChange: {
        type: "boolean",
        doc: "Answer DBT_QUERYCHANGECONFIG with BROADCAST_QUERY_DENY",
      },
    },
    shorthand: "id",
    defines: [{ kind: "application", from: ["id"] }],
  },
  open: {
    doc: "An application opens an interface (CreateFile) and registers for its handle's events",
    fields: {
      app: { type: "string", doc: "The application (default 'app')" },
      interface: iface,
      id: { type: "string", doc: "A name for the handle" },
      closeOnQueryRemove: {
        type: "boolean",
        doc: "Close on DBT_DEVICEQUERYREMOVE as documented (default true)",
      },
    },
    shorthand: "interface",
    defines: [
      { kind: "handle", from: ["id", "interface"] },
      { kind: "application", from: ["app"], fallback: "app" },
    ],
  },
  close: {
    doc: "CloseHandle",
    fields: { handle: { type: "id", required: true, doc: "The handle's id", refers: "handle" } },
    shorthand: "handle",
  },
  deviceIoControl: {
    doc:
      "An application's DeviceIoControl on an open handle: IRP_MJ_DEVICE_CONTROL down the device's stack",
    fields: {
      handle: { type: "id", required: true, doc: "The handle's id", refers: "handle" },
      code: {
        type: "string",
        required: true,
        doc: "The I/O control code: a name (IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE) or a number",
        values: IOCTL_NAMES,
        pattern: /^(0[xX][0-9a-fA-F]+|\d+)$/,
        numbers: true,
        noun: "I/O control code",
      },
    },
  },
  setValue: {
    doc: "Set a registry value as an administrator (regedit)",
    fields: {
      path: { type: "string", required: true, doc: "HKLM\\... or \\Registry\\Machine\\..." },
      name: { type: "string", required: true, doc: "Value name ('' for the default value)" },
      type: { type: "regType", required: true, doc: "REG_SZ, REG_DWORD, ..." },
      data: { type: "data", required: true, doc: "Data in the type's form" },
    },
  },
  deleteKey: {
    doc: "Delete a registry key and its subtree",
    fields: { path: { type: "string", required: true, doc: "The key" } },
    shorthand: "path",
  },
  importReg: {
    doc: "Import .reg text (regedit's format)",
    fields: { text: { type: "string", required: true, doc: "The file's text" } },
    shorthand: "text",
  },
  changeProfile: {
    doc: "Change the hardware profile (query, then complete or cancel)",
    fields: { profile: { type: "string", required: true, doc: "Friendly name or id" } },
    shorthand: "profile",
  },
  reboot: {
    doc: "Reboot: non-volatile registry kept, drivers and devices start again, RunOnce runs",
    fields: { safeMode: { type: "boolean", doc: "Boot in safe mode" } },
  },
  command: {
    doc: "Provide a RunOnce command handler",
    fields: {
      program: { type: "string", required: true, doc: "Program name (rundll32, setup.exe ...)" },
      succeeds: { type: "boolean", doc: "Whether it succeeds (default true)" },
    },
  },
  customEvent: {
    doc: "IoReportTargetDeviceChange(Asynchronous) with a custom event",
    fields: {
      device,
      guid: { type: "guid", required: true, doc: "The custom event GUID" },
      asynchronous: { type: "boolean", doc: "Use IoReportTargetDeviceChangeAsynchronous" },
    },
  },
  call: {
    doc:
      "Call a kernel routine as a driver would: arguments may name devices, interfaces, earlier results (`h.devInstRegKey`) and WDK constants (KEY_READ, REG_DWORD)",
    fields: {
      routine: {
        type: "string",
        required: true,
        doc: "The routine, e.g. IoOpenDeviceRegistryKey",
        values: KERNEL_ROUTINES,
        noun: "kernel routine",
      },
      args: {
        type: "data",
        doc: "The arguments, in the WDK's order, minus out-parameters",
        resolvesNames: true,
      },
      id: { type: "string", doc: "A name for the result, for later arguments" },
      settle: {
        type: "boolean",
        doc:
          "Run the PnP work the call queued before the next step (default true); false leaves its notifications pending",
      },
    },
    defines: [{ kind: "result", from: ["id"] }],
  },
  settle: { doc: "Run queued PnP work until none is left", fields: {} },

  expectArrival: {
    doc: "PnP announced GUID_DEVICE_INTERFACE_ARRIVAL for the interface",
    fields: { interface: iface },
    shorthand: "interface",
    expectation: true,
  },
  expectRemoval: {
    doc: "PnP announced GUID_DEVICE_INTERFACE_REMOVAL for the interface",
    fields: { interface: iface },
    shorthand: "interface",
    expectation: true,
  },
  expectIrps: {
    doc: "These IRPs went to the device's stack, in this order (since the last expectIrps for it)",
    fields: {
      device,
      irps: {
        type: "strings",
        required: true,
        doc: "Minor function names, with or without IRP_MN_ (IRP_MJ_ names for other IRPs)",
        values: IRP_NAMES,
        noun: "IRP",
      },
      exact: {
        type: "boolean",
        doc: "No other IRPs in between (default false: in order, others allowed)",
      },
    },
    expectation: true,
  },
  expectNotifications: {
    doc: "These events reached the listener, in this order (since the last check)",
    fields: {
      listener,
      events: {
        type: "strings",
        required: true,
        doc: "Event names: ARRIVAL, QUERY_REMOVE, GUID_TARGET_DEVICE_REMOVE_COMPLETE ...",
        values: [...Object.keys(NOTIFICATION_EVENTS), ...Object.values(PNP_EVENT_GUID_NAMES)],
        noun: "notification event",
      },
    },
    expectation: true,
  },
  expectMessages: {
    doc: "These DBT_* messages reached the application, in this order (since the last check)",
    fields: {
      app: { type: "string", required: true, doc: "The application", refers: "application" },
      messages: {
        type: "strings",
        required: true,
        doc: "DBT_DEVICEARRIVAL ...",
        values: Object.keys(DBT),
        noun: "DBT message",
      },
    },
    expectation: true,
  },
  expectStatus: {
    doc: "The last step's NTSTATUS",
    fields: { status: { type: "status", required: true, doc: "A status name or number" } },
    shorthand: "status",
    expectation: true,
  },
  expectRegistry: {
    doc: "A registry key or value as expected",
    fields: {
      path: { type: "string", required: true, doc: "The key" },
      name: { type: "string", doc: "A value name" },
      type: { type: "regType", doc: "The value's type" },
      data: { type: "data", doc: "The value's data" },
      exists: { type: "boolean", doc: "Whether the key (or value) exists (default true)" },
      volatile: { type: "boolean", doc: "Whether the key is volatile" },
    },
    expectation: true,
  },
  expectState: {
    doc: "A device's PnP state (Started, Removed, SurpriseRemoved, Absent ...) and problem code",
    fields: {
      device,
      state: {
        type: "string",
        required: true,
        doc: "The state",
        values: Object.keys(DEVNODE_STATES),
        noun: "PnP state",
      },
      problem: {
        type: "string",
        doc: "CM_PROB_* name, or none",
        values: [...Object.values(CM_PROB_NAMES), "none"],
        noun: "problem",
      },
      status: {
        type: "strings",
        values: Object.values(DN_NAMES),
        doc: "DN_* flags CM_Get_DevNode_Status must report (DN_STARTED, DN_NO_SHOW_IN_DM ...)",
        noun: "devnode status flag",
      },
      notStatus: {
        type: "strings",
        values: Object.values(DN_NAMES),
        doc: "DN_* flags it must not report",
        noun: "devnode status flag",
      },
    },
    expectation: true,
  },
  expectBugCheck: {
    doc: "The machine stopped with this bug check",
    fields: {
      code: { type: "number", required: true, doc: "The code, e.g. 0xCA" },
      parameter1: { type: "number", doc: "Bug check parameter 1" },
    },
    shorthand: "code",
    expectation: true,
  },
  expectNoMore: {
    doc: "No further events reached the listener since the last check",
    fields: { listener },
    shorthand: "listener",
    expectation: true,
  },
  expectInterfaces: {
    doc: "IoGetDeviceInterfaces for a class lists this many interfaces",
    fields: {
      guid: { type: "guid", required: true, doc: "The class" },
      count: { type: "number", required: true, doc: "How many" },
      includeNonActive: { type: "boolean", doc: "DEVICE_INTERFACE_INCLUDE_NONACTIVE" },
    },
    expectation: true,
  },
  expectFinding: {
    doc: "The verifier reported this rule",
    fields: { rule: verifierRule },
    shorthand: "rule",
    expectation: true,
  },
  expectNoFinding: {
    doc: "The verifier has not reported this rule: no finding, and no bug check for it",
    fields: { rule: verifierRule },
    shorthand: "rule",
    expectation: true,
  },
  expectHang: {
    doc:
      "The previous step never finished: the model found a deadlock or an IRP nobody completes (Windows would hang)",
    fields: {},
    expectation: true,
  },
  expectStack: {
    doc: "The device's stack now, from the top down to the PDO, by driver (service) name",
    fields: {
      device,
      drivers: {
        type: "strings",
        required: true,
        doc: "Driver names, top first, ending with the PDO's (bus) driver",
      },
    },
    expectation: true,
  },
  expectResult: {
    doc: "An out-parameter of an earlier call (by the call's id), e.g. `q.resultLength`",
    fields: {
      result: {
        type: "string",
        required: true,
        doc: "The call's id, a dot, and the field (`q.resultLength`, `a.aliasSymbolicLinkName`)",
        refers: "result",
      },
      data: { type: "data", doc: "The value it should have", resolvesNames: true },
      exists: {
        type: "boolean",
        doc: "Whether the routine set it at all (default true; false: nothing was written)",
      },
    },
    expectation: true,
  },
  ...POWER_STEPS,
};

/** A scenario as data: what both front ends produce. */
export interface ScenarioData {
  /** The scenario's title. */
  title: string;
  /** What it teaches (prose shown by the REPL and notebooks). */
  teaches?: string;
  /** boot() options, plus `example` to start from the bundled example machine. */
  boot?: {
    hardwareProfiles?: string[];
    currentProfile?: string;
    safeMode?: boolean;
    verifier?: "strict" | "warn" | "off";
    example?: boolean;
    includeExistingDuplicates?: "never" | "always" | { seed: number };
  };
  /** The steps, in order. */
  steps: Step[];
  /** The file it came from. */
  file?: string;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d = Array.from(
    { length: a.length + 1 },
    (_, i) => [i, ...Array(b.length).fill(0)] as number[],
  );
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest known name, when it is close enough to be a likely misspelling. */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const dist = editDistance(name, k);
    if (dist < bestD) {
      bestD = dist;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
