/**
 * The explicit types of the step table's groups, GENERATED from the rows by
 * dsl/steps/gen_types.ts (`deno task step-types`): do not edit. Each group's const is annotated
 * with its type here, so that the public API has no slow types (JSR's fast check reads no
 * inferred type); the rows stay the one source, and tests/dsl/step_table_test.ts fails when this
 * file no longer matches them.
 *
 * @module
 */
import type { OptionalField, RequiredField, Row } from "./row.ts";

/** The rows of dsl/steps/devices.ts (`DEVICE_STEPS`): each step's fields, typed. */
export type DeviceSteps = {
  /** Load one of the bundled sample drivers by service name: the toaster sample's busenum, toaster, ToasterFilter, toastmon and statbus (static enumeration), or the example machine's pci, e1000 and dock */
  sampleDriver: Row<"sampleDriver", {
    name: RequiredField<"string">;
  }>;
  /** Load a driver: its IDs, and what it does (registers interfaces in AddDevice, enables them on start, vetoes query-remove, fails start ...) */
  driver: Row<"driver", {
    name: RequiredField<"string">;
    hardwareIds: OptionalField<"strings">;
    classGuid: OptionalField<"guid">;
    className: OptionalField<"string">;
    interfaces: OptionalField<"guids">;
    enableOnStart: OptionalField<"boolean">;
    disableOnRemove: OptionalField<"boolean">;
    vetoQueryRemove: OptionalField<"boolean">;
    failStart: OptionalField<"boolean">;
    failQueryStop: OptionalField<"boolean">;
    upperFilters: OptionalField<"strings">;
    lowerFilters: OptionalField<"strings">;
    deviceParameters: OptionalField<"regValues">;
    raiseIrqlInAddDevice: OptionalField<"boolean">;
    readSettings: OptionalField<"boolean">;
    watchInterfaces: OptionalField<"guids">;
    reportOnArrival: OptionalField<"guid">;
    misbehave: OptionalField<"strings">;
    vetoSleep: OptionalField<"boolean">;
    armWake: OptionalField<"boolean">;
    shutdownNotification: OptionalField<"boolean">;
  }>;
  /** Plug a device into a bus (the parent's or the root enumerator's); PnP enumerates, installs and starts it */
  plugIn: Row<"plugIn", {
    id: OptionalField<"string">;
    hardwareIds: OptionalField<"strings">;
    hardwareId: OptionalField<"string">;
    compatibleIds: OptionalField<"strings">;
    deviceId: OptionalField<"string">;
    instanceId: OptionalField<"string">;
    uniqueId: OptionalField<"boolean">;
    rawDeviceOk: OptionalField<"boolean">;
    description: OptionalField<"string">;
    location: OptionalField<"string">;
    removable: OptionalField<"boolean">;
    ejectSupported: OptionalField<"boolean">;
    surpriseRemovalOk: OptionalField<"boolean">;
    dockDevice: OptionalField<"boolean">;
    dockedProfile: OptionalField<"string">;
    undockedProfile: OptionalField<"string">;
    parent: OptionalField<"id">;
    driver: OptionalField<"string">;
  }>;
  /** Give a name to a device that is already present (a device of the example machine) */
  name: Row<"name", {
    id: RequiredField<"string">;
    instance: RequiredField<"string">;
  }>;
  /** Pull a device out without warning (surprise removal) */
  unplug: Row<"unplug", {
    device: RequiredField<"id">;
  }>;
  /** Press the eject button (IoRequestDeviceEject): query-remove, remove, IRP_MN_EJECT */
  eject: Row<"eject", {
    device: RequiredField<"id">;
  }>;
  /** Safely remove a device: query-remove over its subtree, then remove or cancel */
  requestRemoval: Row<"requestRemoval", {
    device: RequiredField<"id">;
  }>;
  /** Remove a device's drivers and start it again */
  restart: Row<"restart", {
    device: RequiredField<"id">;
  }>;
  /** Disable a device as Device Manager does (query-remove, remove, CONFIGFLAG_DISABLED) */
  disableDevice: Row<"disableDevice", {
    device: RequiredField<"id">;
  }>;
  /** Enable a disabled device again */
  enableDevice: Row<"enableDevice", {
    device: RequiredField<"id">;
  }>;
  /** Stop a device to rebalance resources: QUERY_STOP, STOP, START */
  rebalance: Row<"rebalance", {
    device: RequiredField<"id">;
    failRestart: OptionalField<"boolean">;
  }>;
};

/** The rows of dsl/steps/modules.ts (`MODULE_STEPS`): each step's fields, typed. */
export type ModuleSteps = {
  /** Load a driver spec exported by a TypeScript module (running the scenario imports and runs that module's code) */
  driverModule: Row<"driverModule", {
    path: RequiredField<"string">;
    export: OptionalField<"string">;
  }>;
};

/** The rows of dsl/steps/interfaces.ts (`INTERFACE_STEPS`): each step's fields, typed. */
export type InterfaceSteps = {
  /** IoRegisterDeviceInterface on a device's PDO */
  registerInterface: Row<"registerInterface", {
    device: RequiredField<"id">;
    guid: RequiredField<"guid">;
    refString: OptionalField<"string">;
    id: OptionalField<"string">;
  }>;
  /** IoSetDeviceInterfacePropertyData (or IoSetDevicePropertyData for a device): a DEVPKEY name or '{fmtid},pid', a value and its DEVPROP_TYPE */
  setProperty: Row<"setProperty", {
    interface: OptionalField<"id">;
    device: OptionalField<"id">;
    key: RequiredField<"string">;
    value: OptionalField<"data">;
    type: OptionalField<"string">;
    persistent: OptionalField<"boolean">;
  }>;
  /** A property of an interface (IoGetDeviceInterfacePropertyData) or a device (IoGetDevicePropertyData) */
  expectProperty: Row<"expectProperty", {
    interface: OptionalField<"id">;
    device: OptionalField<"id">;
    key: RequiredField<"string">;
    data: OptionalField<"data">;
    exists: OptionalField<"boolean">;
  }>;
  /** IoSetDeviceInterfaceState(TRUE) on an interface */
  enable: Row<"enable", {
    interface: RequiredField<"id">;
  }>;
  /** IoSetDeviceInterfaceState(FALSE) on an interface */
  disable: Row<"disable", {
    interface: RequiredField<"id">;
  }>;
};

/** The rows of dsl/steps/listeners.ts (`LISTENER_STEPS`): each step's fields, typed. */
export type ListenerSteps = {
  /** A kernel client registers for notifications: interface arrivals of a class, a device's target events, or profile changes */
  listen: Row<"listen", {
    id: RequiredField<"string">;
    interfaces: OptionalField<"guid">;
    includeExisting: OptionalField<"boolean">;
    target: OptionalField<"id">;
    profiles: OptionalField<"boolean">;
    veto: OptionalField<"boolean">;
    holdHandle: OptionalField<"boolean">;
  }>;
  /** IoUnregisterPlugPlayNotificationEx (or the non-Ex form, after which a late callback may still arrive) */
  unlisten: Row<"unlisten", {
    listener: RequiredField<"id">;
    ex: OptionalField<"boolean">;
  }>;
};

/** The rows of dsl/steps/applications.ts (`APPLICATION_STEPS`): each step's fields, typed. */
export type ApplicationSteps = {
  /** A user-mode application */
  app: Row<"app", {
    id: RequiredField<"string">;
    interfaces: OptionalField<"guid">;
    vetoQueryRemove: OptionalField<"boolean">;
    vetoProfileChange: OptionalField<"boolean">;
  }>;
  /** An application opens an interface (CreateFile) and registers for its handle's events */
  open: Row<"open", {
    app: OptionalField<"string">;
    interface: RequiredField<"id">;
    id: OptionalField<"string">;
    closeOnQueryRemove: OptionalField<"boolean">;
  }>;
  /** CloseHandle */
  close: Row<"close", {
    handle: RequiredField<"id">;
  }>;
  /** An application's DeviceIoControl on an open handle: IRP_MJ_DEVICE_CONTROL down the device's stack */
  deviceIoControl: Row<"deviceIoControl", {
    handle: RequiredField<"id">;
    code: RequiredField<"string">;
  }>;
};

/** The rows of dsl/steps/machine.ts (`MACHINE_STEPS`): each step's fields, typed. */
export type MachineSteps = {
  /** Set a registry value as an administrator (regedit) */
  setValue: Row<"setValue", {
    path: RequiredField<"string">;
    name: RequiredField<"string">;
    type: RequiredField<"regType">;
    data: RequiredField<"data">;
  }>;
  /** Delete a registry key and its subtree */
  deleteKey: Row<"deleteKey", {
    path: RequiredField<"string">;
  }>;
  /** Import .reg text (regedit's format) */
  importReg: Row<"importReg", {
    text: RequiredField<"string">;
  }>;
  /** Change the hardware profile (query, then complete or cancel) */
  changeProfile: Row<"changeProfile", {
    profile: RequiredField<"string">;
  }>;
  /** Reboot: non-volatile registry kept, drivers and devices start again, RunOnce runs */
  reboot: Row<"reboot", {
    safeMode: OptionalField<"boolean">;
  }>;
  /** Provide a RunOnce command handler */
  command: Row<"command", {
    program: RequiredField<"string">;
    succeeds: OptionalField<"boolean">;
  }>;
  /** IoReportTargetDeviceChange(Asynchronous) with a custom event */
  customEvent: Row<"customEvent", {
    device: RequiredField<"id">;
    guid: RequiredField<"guid">;
    asynchronous: OptionalField<"boolean">;
  }>;
  /** Call a kernel routine as a driver would: arguments may name devices, interfaces, earlier results (`h.devInstRegKey`) and WDK constants (KEY_READ, REG_DWORD) */
  call: Row<"call", {
    routine: RequiredField<"string">;
    args: OptionalField<"data">;
    id: OptionalField<"string">;
    settle: OptionalField<"boolean">;
  }>;
  /** Run queued PnP work until none is left */
  settle: Row<"settle", Record<never, never>>;
};

/** The rows of dsl/steps/power.ts (`POWER_STEPS`): each step's fields, typed. */
export type PowerSteps = {
  /** Put the machine to sleep (S1-S3) or hibernate it (S4): IRP_MN_QUERY_POWER to every stack, then IRP_MN_SET_POWER, children before parents; a driver's failure vetoes */
  sleep: Row<"sleep", {
    state: RequiredField<"string">;
  }>;
  /** Wake the machine: IRP_MN_SET_POWER(S0) to every stack, parents before children; buses re-enumerate */
  wake: Row<"wake", {
    by: OptionalField<"id">;
  }>;
  /** Shut the machine down: IRP_MJ_SHUTDOWN to registered drivers, then IRP_MN_SET_POWER(S5) to every stack */
  shutdown: Row<"shutdown", Record<never, never>>;
  /** Plug in a device with power capabilities (SystemWake, DeviceWake, DeviceState ...), also into a sleeping machine (its bus reports it after the wake) */
  hotPlug: Row<"hotPlug", {
    id: OptionalField<"string">;
    hardwareIds: OptionalField<"strings">;
    hardwareId: OptionalField<"string">;
    compatibleIds: OptionalField<"strings">;
    deviceId: OptionalField<"string">;
    instanceId: OptionalField<"string">;
    uniqueId: OptionalField<"boolean">;
    rawDeviceOk: OptionalField<"boolean">;
    description: OptionalField<"string">;
    location: OptionalField<"string">;
    removable: OptionalField<"boolean">;
    ejectSupported: OptionalField<"boolean">;
    surpriseRemovalOk: OptionalField<"boolean">;
    dockDevice: OptionalField<"boolean">;
    dockedProfile: OptionalField<"string">;
    undockedProfile: OptionalField<"string">;
    parent: OptionalField<"id">;
    driver: OptionalField<"string">;
    capabilities: OptionalField<"data">;
    powerPagable: OptionalField<"boolean">;
    powerInrush: OptionalField<"boolean">;
  }>;
  /** The machine's system power state (S0-S5), or a device's power state (D0-D3, Unspecified) as its PDO's driver reported it */
  expectPowerState: Row<"expectPowerState", {
    device: OptionalField<"id">;
    state: RequiredField<"string">;
  }>;
  /** These power IRPs (system and device) went to the device's stack, in this order (since the last expectPowerIrps for it) */
  expectPowerIrps: Row<"expectPowerIrps", {
    device: RequiredField<"id">;
    irps: RequiredField<"strings">;
    exact: OptionalField<"boolean">;
  }>;
  /** The last sleep was vetoed: a driver failed IRP_MN_QUERY_POWER and the machine stayed in S0 */
  expectVeto: Row<"expectVeto", {
    device: OptionalField<"id">;
    driver: OptionalField<"string">;
  }>;
};

/** The rows of dsl/steps/expectations.ts (`EXPECTATION_STEPS`): each step's fields, typed. */
export type ExpectationSteps = {
  /** PnP announced GUID_DEVICE_INTERFACE_ARRIVAL for the interface */
  expectArrival: Row<"expectArrival", {
    interface: RequiredField<"id">;
  }>;
  /** PnP announced GUID_DEVICE_INTERFACE_REMOVAL for the interface */
  expectRemoval: Row<"expectRemoval", {
    interface: RequiredField<"id">;
  }>;
  /** These IRPs went to the device's stack, in this order (since the last expectIrps for it) */
  expectIrps: Row<"expectIrps", {
    device: RequiredField<"id">;
    irps: RequiredField<"strings">;
    exact: OptionalField<"boolean">;
  }>;
  /** These events reached the listener, in this order (since the last check) */
  expectNotifications: Row<"expectNotifications", {
    listener: RequiredField<"id">;
    events: RequiredField<"strings">;
  }>;
  /** These DBT_* messages reached the application, in this order (since the last check) */
  expectMessages: Row<"expectMessages", {
    app: RequiredField<"string">;
    messages: RequiredField<"strings">;
  }>;
  /** The last step's NTSTATUS */
  expectStatus: Row<"expectStatus", {
    status: RequiredField<"status">;
  }>;
  /** A registry key or value as expected */
  expectRegistry: Row<"expectRegistry", {
    path: RequiredField<"string">;
    name: OptionalField<"string">;
    type: OptionalField<"regType">;
    data: OptionalField<"data">;
    exists: OptionalField<"boolean">;
    volatile: OptionalField<"boolean">;
  }>;
  /** A device's PnP state (Started, Removed, SurpriseRemoved, Absent ...) and problem code */
  expectState: Row<"expectState", {
    device: RequiredField<"id">;
    state: RequiredField<"string">;
    problem: OptionalField<"string">;
    status: OptionalField<"strings">;
    notStatus: OptionalField<"strings">;
  }>;
  /** The machine stopped with this bug check */
  expectBugCheck: Row<"expectBugCheck", {
    code: RequiredField<"number">;
    parameter1: OptionalField<"number">;
  }>;
  /** No further events reached the listener since the last check */
  expectNoMore: Row<"expectNoMore", {
    listener: RequiredField<"id">;
  }>;
  /** IoGetDeviceInterfaces for a class lists this many interfaces */
  expectInterfaces: Row<"expectInterfaces", {
    guid: RequiredField<"guid">;
    count: RequiredField<"number">;
    includeNonActive: OptionalField<"boolean">;
  }>;
  /** The verifier reported this rule */
  expectFinding: Row<"expectFinding", {
    rule: RequiredField<"string">;
  }>;
  /** The verifier has not reported this rule: no finding, and no bug check for it */
  expectNoFinding: Row<"expectNoFinding", {
    rule: RequiredField<"string">;
  }>;
  /** The previous step never finished: the model found a deadlock or an IRP nobody completes (Windows would hang) */
  expectHang: Row<"expectHang", Record<never, never>>;
  /** The device's stack now, from the top down to the PDO, by driver (service) name */
  expectStack: Row<"expectStack", {
    device: RequiredField<"id">;
    drivers: RequiredField<"strings">;
  }>;
  /** An out-parameter of an earlier call (by the call's id), e.g. `q.resultLength` */
  expectResult: Row<"expectResult", {
    result: RequiredField<"string">;
    data: OptionalField<"data">;
    exists: OptionalField<"boolean">;
  }>;
};
