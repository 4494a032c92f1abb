/**
 * The steps that load drivers and change devices as hardware and Device Manager do: plugging in
 * and pulling out, naming a device already present, safe removal, eject, restart, disable and
 * enable, rebalance. Each row says what the step takes, how it runs, and the Machine method a REPL
 * call of which it records.
 *
 * @module
 */
import type { DeviceSteps } from "./_types.ts";
import { BugCheck } from "../../lib/bugcheck.ts";
import type { DeviceSpec } from "../../lib/bus/virtual_bus.ts";
import { sampleDrivers } from "../../lib/examples/example_machine.ts";
import type { DeviceObject, DriverSpec } from "../../lib/io/objects.ts";
import { declarativeDriver, type DriverDecl, MISBEHAVIOURS } from "../drivers.ts";
import { hasDriverFor, StepError } from "./context.ts";
import { didYouMean } from "../suggest.ts";
import { device, DEVICE_FIELDS } from "./fields.ts";
import { POWER_DEVICE_FIELDS, POWER_DRIVER_FIELDS } from "./power.ts";
import {
  defineStep,
  deviceVerb,
  type Fields,
  NO_NAME,
  type StepExtras,
  type Translation,
  type VerbContext,
} from "./row.ts";

/** The DeviceSpec fields the plugIn step hands the virtual bus as they are. */
const DEVICE_SPEC_FIELDS = Object.keys(DEVICE_FIELDS).filter((f) =>
  !["id", "hardwareIds", "hardwareId", "parent", "driver"].includes(f)
);

/** The fields a `machine.plugIn` spec typed at the REPL may have to be a plugIn step. */
const PLUG_IN_FIELDS = Object.keys(DEVICE_FIELDS).filter((f) =>
  !["id", "parent", "driver"].includes(f)
);

/** The driver name a saved plugIn step gives a device that had none: no driver is loaded under it. */
const NO_DRIVER = "(none)";

/** `machine.plugIn(spec, parent)` typed at the REPL as a plugIn step. */
function plugInStep(args: unknown[], ctx: VerbContext): Translation {
  const [spec, parent] = args;
  const fields: Record<string, unknown> = spec && typeof spec === "object" ? { ...spec } : {};
  // A device with power fields, or one plugged into a sleeping machine, is a hotPlug step.
  const power = Object.keys(POWER_DEVICE_FIELDS).filter((f) => f in fields);
  if (!power.length && ctx.machine.powerState === "S0") return plainPlugInStep(args, ctx);
  const powerFields = Object.fromEntries(power.map((f) => [f, fields[f]]));
  for (const f of power) delete fields[f];
  const base = plainPlugInStep([typeof spec === "string" ? spec : fields, parent], ctx);
  if (!base || "leftOut" in base) return base;
  return { ...base, step: "hotPlug", ...powerFields };
}

/** The plugIn step for a machine.plugIn call without power fields. */
function plainPlugInStep(args: unknown[], ctx: VerbContext): Translation {
  const [spec, parent] = args;
  const fields: Record<string, unknown> = spec && typeof spec === "object" ? { ...spec } : {};
  const hardwareIds = typeof spec === "string" ? [spec] : fields.hardwareIds;
  if (!Array.isArray(hardwareIds) || !hardwareIds.length) return null;
  if (typeof spec === "string") fields.hardwareId = spec;
  const extra = Object.keys(fields).filter((f) => !PLUG_IN_FIELDS.includes(f));
  if (extra.length) return { leftOut: `the plugIn step has no ${extra.join(", ")} field` };
  const parentId = parent === undefined ? undefined : ctx.device(parent);
  if (parent !== undefined && !parentId) {
    return { leftOut: "its parent has no name the scenario can use" };
  }
  // The plugIn step gives a device no loaded driver lists a pass-through driver, which
  // machine.plugIn does not; a driver it names that is not loaded keeps the device without one.
  const ids = [...hardwareIds, ...((fields.compatibleIds as string[] | undefined) ?? [])];
  const listed = hasDriverFor(ctx.machine, ids.map(String));
  return {
    step: "plugIn",
    ...fields,
    ...(listed || fields.rawDeviceOk ? {} : { driver: NO_DRIVER }),
    id: ctx.nextId("d"),
    ...(parentId ? { parent: parentId } : {}),
  };
}

/**
 * A bundled driver's spec for one machine, its lists copied: a plugIn step's `driver:` adds the
 * device's hardware ID to the loaded driver's list (as an INF naming it would), which must not
 * change the shared sample for the other machines of the process (the same steps, the same trace).
 */
function machineCopy(spec: DriverSpec): DriverSpec {
  return Object.fromEntries(
    Object.entries(spec).map(([key, value]) => [key, Array.isArray(value) ? [...value] : value]),
  ) as unknown as DriverSpec;
}

/** The driver step's fields: a declarative driver (dsl/drivers.ts) as a scenario writes it. */
const DRIVER_FIELDS = {
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
} as const satisfies Fields;

/** The devices and drivers steps, in the table's order. */
export const DEVICE_STEPS: DeviceSteps = {
  sampleDriver: defineStep({
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
    machineVerb: {
      method: "loadDriver",
      // A bundled driver is the sampleDriver step; any other spec's routines have no step form.
      translate: ([spec]) =>
        Object.values(sampleDrivers).includes(spec as DriverSpec)
          ? { step: "sampleDriver", name: (spec as DriverSpec).name }
          : {
            leftOut:
              "a driver spec's routines have no step form (driver({ name, ... }) declares one)",
          },
    },
    run(context, step) {
      const spec = sampleDrivers[step.name];
      if (!spec) {
        const hint = didYouMean(step.name, Object.keys(sampleDrivers));
        throw new StepError(
          `Unknown sample driver '${step.name}'${
            hint ? ` (did you mean '${hint}'?)` : context.suggest(Object.keys(sampleDrivers))
          }`,
        );
      }
      context.machine.loadDriver(machineCopy(spec));
    },
  }),
  driver: defineStep<typeof DRIVER_FIELDS, StepExtras["driver"]>({
    doc:
      "Load a driver: its IDs, and what it does (registers interfaces in AddDevice, enables them on start, vetoes query-remove, fails start ...)",
    fields: DRIVER_FIELDS,
    run(context, step) {
      const { step: _s, source: _src, hooks, ...decl } = step;
      const d = decl as unknown as DriverDecl;
      // GUID names and REG_* type names become values here, as they do in every other step.
      const params = d.deviceParameters
        ? Object.fromEntries(
          Object.entries(d.deviceParameters).map(([name, v]) => {
            const type = context.regType(v.type);
            return [name, { type, data: context.data(v.data, type) }];
          }),
        )
        : undefined;
      const spec = declarativeDriver(
        {
          ...d,
          ...(d.interfaces ? { interfaces: d.interfaces.map((g) => context.guid(g)) } : {}),
          ...(d.classGuid ? { classGuid: context.guid(d.classGuid) } : {}),
          ...(d.watchInterfaces
            ? { watchInterfaces: d.watchInterfaces.map((g) => context.guid(g)) }
            : {}),
          ...(d.reportOnArrival ? { reportOnArrival: context.guid(d.reportOnArrival) } : {}),
          ...(params ? { deviceParameters: params } : {}),
        },
        hooks ?? {},
      );
      context.machine.loadDriver(machineCopy(spec));
      context.machine.settle();
    },
  }),
  plugIn: defineStep({
    doc:
      "Plug a device into a bus (the parent's or the root enumerator's); PnP enumerates, installs and starts it",
    fields: DEVICE_FIELDS,
    shorthand: "hardwareId",
    defines: [{ kind: "device", from: ["id", "hardwareIds", "hardwareId"] }],
    machineVerb: { method: "plugIn", returns: "device", translate: plugInStep },
    run(context, step) {
      const m = context.machine;
      const hardwareIds = step.hardwareIds ?? (step.hardwareId ? [step.hardwareId] : undefined);
      if (!hardwareIds?.length) throw new StepError("plugIn needs hardwareIds or hardwareId");
      const spec: Record<string, unknown> = { hardwareIds };
      for (const k of DEVICE_SPEC_FIELDS) {
        const value = (step as unknown as Record<string, unknown>)[k];
        if (value !== undefined) spec[k] = value;
      }
      if (typeof step.driver === "string") {
        // The scenario picks the driver, as an INF naming this hardware ID would.
        // A driver that is not installed yet leaves the device without one (CM_PROB_FAILED_INSTALL).
        const name = step.driver.toUpperCase();
        const chosen = m.drivers().find((d) => d.name.toUpperCase() === name);
        const ids = chosen ? (chosen.spec.hardwareIds ??= []) : [];
        if (chosen && !ids.some((h) => h.toUpperCase() === hardwareIds[0]!.toUpperCase())) {
          ids.unshift(hardwareIds[0]!);
        }
      } else if (!step.rawDeviceOk) {
        context.ensureDriver(hardwareIds, step.compatibleIds ?? []);
      }
      const parent = step.parent ? context.pdo(step.parent) : undefined;
      const id = step.id ?? hardwareIds[0]!;
      let pdo: DeviceObject;
      try {
        pdo = m.plugIn(spec as unknown as DeviceSpec, parent);
      } catch (e) {
        // Hardware whose IDs bug checked the machine keeps its name, so a later step can pull it.
        if (e instanceof BugCheck && e.device) {
          context.devices.set(id, { instanceId: "", pdo: e.device });
        }
        throw e;
      }
      context.devices.set(id, { instanceId: m.devnode(pdo)?.instanceId ?? "", pdo });
    },
  }),
  name: defineStep({
    doc: "Give a name to a device that is already present (a device of the example machine)",
    fields: {
      id: { type: "string", required: true, doc: "The name" },
      instance: { type: "string", required: true, doc: "Its device instance ID" },
    },
    defines: [{ kind: "device", from: ["id"] }],
    run(context, step) {
      const m = context.machine;
      const pdo = m.device(step.instance);
      if (!pdo) {
        throw new StepError(
          `No present device '${step.instance}' (devices: ${m.devices().join(", ")})`,
        );
      }
      context.devices.set(step.id, { instanceId: m.devnode(pdo)!.instanceId, pdo });
    },
  }),
  unplug: defineStep({
    doc: "Pull a device out without warning (surprise removal)",
    fields: { device },
    shorthand: "device",
    // Pulling hardware out of a stopped machine is the way out of a boot loop (BugCheck.device).
    whileStopped: true,
    machineVerb: deviceVerb("unplug", "unplug"),
    run(context, step) {
      context.machine.unplug(context.pdo(step.device));
    },
  }),
  eject: defineStep({
    doc: "Press the eject button (IoRequestDeviceEject): query-remove, remove, IRP_MN_EJECT",
    fields: { device },
    shorthand: "device",
    machineVerb: deviceVerb("eject", "eject", "status"),
    run(context, step) {
      context.status(context.machine.eject(context.pdo(step.device)));
    },
  }),
  requestRemoval: defineStep({
    doc: "Safely remove a device: query-remove over its subtree, then remove or cancel",
    fields: { device },
    shorthand: "device",
    machineVerb: deviceVerb("requestRemoval", "requestRemoval", "status"),
    run(context, step) {
      context.status(context.machine.requestRemoval(context.pdo(step.device)));
    },
  }),
  restart: defineStep({
    doc: "Remove a device's drivers and start it again",
    fields: { device },
    shorthand: "device",
    machineVerb: deviceVerb("restart", "restart"),
    run(context, step) {
      context.machine.restart(context.pdo(step.device));
    },
  }),
  disableDevice: defineStep({
    doc: "Disable a device as Device Manager does (query-remove, remove, CONFIGFLAG_DISABLED)",
    fields: { device },
    shorthand: "device",
    machineVerb: deviceVerb("disable", "disableDevice", "status"),
    run(context, step) {
      context.status(context.machine.disable(context.pdo(step.device)));
    },
  }),
  enableDevice: defineStep({
    doc: "Enable a disabled device again",
    fields: { device },
    shorthand: "device",
    machineVerb: deviceVerb("enable", "enableDevice", "status"),
    run(context, step) {
      context.status(context.machine.enable(context.pdo(step.device)));
    },
  }),
  rebalance: defineStep({
    doc: "Stop a device to rebalance resources: QUERY_STOP, STOP, START",
    fields: {
      device,
      failRestart: { type: "boolean", doc: "Make the restart fail (surprise removal follows)" },
    },
    shorthand: "device",
    machineVerb: {
      method: "rebalance",
      returns: "status",
      translate: ([pdo, options], ctx) => {
        const device = ctx.device(pdo);
        if (!device) return NO_NAME;
        const failRestart = (options as { failRestart?: boolean } | undefined)?.failRestart;
        return { step: "rebalance", device, ...(failRestart ? { failRestart: true } : {}) };
      },
    },
    run(context, step) {
      context.status(
        context.machine.rebalance(context.pdo(step.device), {
          failRestart: step.failRestart === true,
        }),
      );
    },
  }),
};
