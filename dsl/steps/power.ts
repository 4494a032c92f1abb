/**
 * The power steps: putting the machine to sleep, waking it (by a device's wake signal too), shutting
 * it down, plugging in a device with power capabilities (also into a sleeping machine, whose bus
 * reports it after the wake), and the power expectations: the system or a device's power state, the
 * power IRPs a stack received, and who vetoed a sleep. The machine's power verbs record as these
 * steps in the REPL.
 *
 * @module
 */
import * as constants from "../../lib/constants.ts";
import type { IrpEvent } from "../../lib/trace/trace.ts";
import type { PowerSteps } from "./_types.ts";
import { StepError } from "./context.ts";
import { device, DEVICE_FIELDS } from "./fields.ts";
import { defineStep, type Fields } from "./row.ts";

/** The power states as scenarios write them. */
const SYSTEM_STATES = ["S0", "S1", "S2", "S3", "S4", "S5"];
const DEVICE_STATES = ["D0", "D1", "D2", "D3", "Unspecified"];

/**
 * A power IRP as `expectPowerIrps` names it: the minor function without IRP_MN_ and the state it
 * carries, `SET_POWER(S3)`, `QUERY_POWER(D3)`, `WAIT_WAKE(S3)`, or the minor alone (any state).
 */
const POWER_IRP_PATTERN =
  /^(IRP_MN_)?(SET_POWER|QUERY_POWER|WAIT_WAKE|POWER_SEQUENCE)(\((S[0-5]|D[0-3]|(SystemPowerState|DevicePowerState) (S[0-5]|D[0-3])|Unspecified)\))?$/;

/** The DeviceSpec fields only hotPlug has (plugIn's are DEVICE_FIELDS). */
export const POWER_DEVICE_FIELDS = {
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
} as const satisfies Fields;

/** The power options a declarative driver takes (fields of the `driver` step). */
export const POWER_DRIVER_FIELDS = {
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
} as const satisfies Fields;

/** `capabilities` as a scenario writes it (S3, D2, PowerSystemSleeping3 ...) in WDK values. */
function powerCapabilities(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new StepError("'capabilities' must be a map of DEVICE_CAPABILITIES fields");
  }
  const state = (v: unknown, field: string): number => {
    if (typeof v === "number") return v;
    const text = String(v);
    const short = /^([SD])([0-5])$/.exec(text);
    if (short) return Number(short[2]) + 1;
    const named = (constants as Record<string, unknown>)[text];
    if (typeof named === "number" && /^Power(System|Device)/.test(text)) return named;
    throw new StepError(`'capabilities.${field}': '${text}' is not a power state (S0-S5, D0-D3)`);
  };
  const out: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
    if (field === "DeviceState") {
      if (!Array.isArray(v)) throw new StepError("'capabilities.DeviceState' must be a list");
      out.DeviceState = v.map((x) => (x === null || x === undefined ? undefined : state(x, field)));
    } else if (field === "SystemWake" || field === "DeviceWake") out[field] = state(v, field);
    else out[field] = v;
  }
  return out;
}

/** Where each device's last expectPowerIrps stopped (a trace seq), per runner context. */
const POWER_IRP_CURSOR = new WeakMap<object, Map<string, number>>();

/** The power steps, in the table's order. */
export const POWER_STEPS: PowerSteps = {
  sleep: defineStep({
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
    machineVerb: {
      method: "sleep",
      returns: "status",
      translate: ([state]) => typeof state === "string" ? { step: "sleep", state } : null,
    },
    run(context, step) {
      context.status(context.machine.sleep(step.state as "S3"));
    },
  }),
  wake: defineStep({
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
    machineVerb: {
      method: "wake",
      returns: "status",
      translate: ([options], ctx) => {
        const by = (options as { by?: unknown } | undefined)?.by;
        if (by === undefined) return { step: "wake" };
        const name = ctx.device(by);
        return name ? { step: "wake", by: name } : null;
      },
    },
    run(context, step) {
      const m = context.machine;
      context.status(m.wake(step.by ? { by: context.pdo(step.by) } : {}));
      // Devices plugged in while it slept have their devnodes now.
      for (const [id, d] of context.devices) {
        if (!d.instanceId) {
          const info = m.devnode(d.pdo);
          if (info) context.devices.set(id, { instanceId: info.instanceId, pdo: d.pdo });
        }
      }
    },
  }),
  shutdown: defineStep({
    doc:
      "Shut the machine down: IRP_MJ_SHUTDOWN to registered drivers, then IRP_MN_SET_POWER(S5) to every stack",
    fields: {},
    machineVerb: { method: "shutdown", returns: "status", translate: () => ({ step: "shutdown" }) },
    run(context) {
      context.status(context.machine.shutdown());
    },
  }),
  hotPlug: defineStep({
    doc:
      "Plug in a device with power capabilities (SystemWake, DeviceWake, DeviceState ...), also into a sleeping machine (its bus reports it after the wake)",
    fields: { ...DEVICE_FIELDS, ...POWER_DEVICE_FIELDS },
    shorthand: "hardwareId",
    defines: [{ kind: "device", from: ["id", "hardwareIds", "hardwareId"] }],
    run(context, step) {
      const m = context.machine;
      const hardwareIds = step.hardwareIds ?? (step.hardwareId ? [step.hardwareId] : undefined);
      if (!hardwareIds?.length) throw new StepError("hotPlug needs hardwareIds or hardwareId");
      const spec: Record<string, unknown> = { hardwareIds };
      const fields = step as unknown as Record<string, unknown>;
      for (const k of Object.keys(POWER_STEPS.hotPlug.fields)) {
        if (!["id", "hardwareId", "hardwareIds", "parent", "driver"].includes(k)) {
          if (fields[k] !== undefined) spec[k] = fields[k];
        }
      }
      if (step.capabilities !== undefined) spec.capabilities = powerCapabilities(step.capabilities);
      // A driver the step names is the one an INF would pick; without one, the default.
      if (!step.rawDeviceOk && typeof step.driver !== "string") {
        context.ensureDriver(hardwareIds, step.compatibleIds ?? []);
      }
      const parent = step.parent ? context.pdo(step.parent) : undefined;
      const pdo = m.plugIn(spec as unknown as Parameters<typeof m.plugIn>[0], parent);
      const id = step.id ?? hardwareIds[0]!;
      // Into a sleeping machine: PnP learns of it (and its instance ID) after the wake.
      context.devices.set(id, { instanceId: m.devnode(pdo)?.instanceId ?? "", pdo });
    },
  }),
  expectPowerState: defineStep({
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
    run(context, step) {
      const m = context.machine;
      const want = step.state;
      if (step.device === undefined) {
        if (m.powerState !== want) {
          throw new StepError(`Expected the machine in ${want}, it is in ${m.powerState}`);
        }
        return;
      }
      const pdo = context.pdo(step.device);
      const info = m.devnode(pdo);
      const got = info?.powerState ?? "Unspecified";
      if (got !== want) {
        throw new StepError(
          `Expected ${info?.instanceId ?? step.device} in ${want}, it is in ${got}\n` +
            context.excerpt((e) =>
              e.kind === "call" && e.routine === "PoSetPowerState" &&
              JSON.stringify(e.args).includes(String(pdo).slice(0, 18)), 4),
        );
      }
    },
  }),
  expectPowerIrps: defineStep({
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
    run(context, step) {
      const cursor = POWER_IRP_CURSOR.get(context) ??
        POWER_IRP_CURSOR.set(context, new Map()).get(context)!;
      const instance = context.instanceOf(step.device);
      const from = cursor.get(step.device) ?? 0;
      const seen = new Set<number>();
      const irps: IrpEvent[] = [];
      for (const e of context.machine.trace) {
        if (
          e.kind !== "irp" || e.phase !== "dispatch" || e.major !== "IRP_MJ_POWER" ||
          e.instance !== instance || seen.has(e.irp)
        ) continue;
        seen.add(e.irp);
        if (e.seq > from) irps.push(e);
      }
      const short = (e: IrpEvent) =>
        `${(e.minor ?? "").replace(/^IRP_MN_/, "")}(${
          (e.powerState ?? "").replace(/^(System|Device)PowerState /, "")
        })`;
      const matches = (e: IrpEvent, want: string) => {
        const w = want.replace(/^IRP_MN_/, "").replace(/(System|Device)PowerState /, "");
        return w.includes("(") ? short(e) === w : short(e).startsWith(`${w}(`);
      };
      const expected = step.irps;
      let ok: boolean;
      let last = from;
      if (step.exact) {
        ok = irps.length === expected.length && irps.every((e, i) => matches(e, expected[i]!));
        last = irps[irps.length - 1]?.seq ?? from;
      } else {
        let j = 0;
        for (const e of irps) {
          if (j < expected.length && matches(e, expected[j]!)) {
            j++;
            last = e.seq;
          }
        }
        ok = j === expected.length;
      }
      if (!ok) {
        throw new StepError(
          `Expected power IRPs ${expected.join(", ")}${
            step.exact ? " (exactly)" : " (in order)"
          } for ${instance}, ` +
            `but its stack received: ${irps.map(short).join(", ") || "(none)"}`,
        );
      }
      cursor.set(step.device, last);
    },
  }),
  expectVeto: defineStep({
    doc:
      "The last sleep was vetoed: a driver failed IRP_MN_QUERY_POWER and the machine stayed in S0",
    fields: {
      device: { type: "id", doc: "The device whose stack vetoed", refers: "device" },
      driver: { type: "string", doc: "The driver (service name) that failed the query" },
    },
    expectation: true,
    run(context, step) {
      const veto = [...context.machine.trace].reverse().find((e) =>
        e.kind === "info" && e.what === "power veto"
      );
      const detail = (veto?.kind === "info" ? veto.detail : undefined) as
        | Record<string, unknown>
        | undefined;
      if (!detail) throw new StepError("Expected a power veto, but no sleep was vetoed");
      if (step.device !== undefined && detail.instance !== context.instanceOf(step.device)) {
        throw new StepError(
          `Expected ${context.instanceOf(step.device)} to veto, but ${String(detail.instance)} did`,
        );
      }
      if (step.driver !== undefined && detail.driver !== step.driver) {
        throw new StepError(
          `Expected driver ${step.driver} to veto, but ${String(detail.driver)} did`,
        );
      }
    },
  }),
};
