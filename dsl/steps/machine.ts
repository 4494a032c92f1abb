/**
 * The steps on the machine as a whole and the kernel calls a driver makes outside the other
 * groups: registry edits as an administrator makes them, hardware profiles, reboots and RunOnce
 * commands, custom target-device events, any kernel routine by name (`call`), and settling the
 * PnP work queue.
 *
 * @module
 */
import type { MachineSteps } from "./_types.ts";
import * as constants from "../../lib/constants.ts";
import { device, KERNEL_ROUTINES } from "./fields.ts";
import { StepError } from "./context.ts";
import { defineStep } from "./row.ts";

/** Data the setValue step carries for a value of this type, or undefined when it cannot. */
function stepData(type: number, data: unknown): unknown {
  // The runner reads REG_BINARY and REG_NONE data as hex and REG_QWORD from a number or string.
  if (data instanceof Uint8Array) {
    return type === constants.REG_BINARY || type === constants.REG_NONE
      ? [...data].map((b) => b.toString(16).padStart(2, "0")).join("")
      : undefined;
  }
  if (typeof data === "bigint") return type === constants.REG_QWORD ? String(data) : undefined;
  if (typeof data === "string" || typeof data === "number") return data;
  if (Array.isArray(data) && data.every((x) => typeof x === "string")) return data;
  return undefined;
}

/** The machine steps, in the table's order. */
export const MACHINE_STEPS: MachineSteps = {
  setValue: defineStep({
    doc: "Set a registry value as an administrator (regedit)",
    fields: {
      path: { type: "string", required: true, doc: "HKLM\\... or \\Registry\\Machine\\..." },
      name: { type: "string", required: true, doc: "Value name ('' for the default value)" },
      type: { type: "regType", required: true, doc: "REG_SZ, REG_DWORD, ..." },
      data: { type: "data", required: true, doc: "Data in the type's form" },
    },
    machineVerb: {
      method: "registry.setValue",
      translate: ([path, name, type, data]) => {
        if (typeof path !== "string" || typeof name !== "string" || typeof type !== "number") {
          return null;
        }
        const d = stepData(type, data);
        if (d === undefined) return { leftOut: "the setValue step cannot carry this data" };
        return {
          step: "setValue",
          path,
          name,
          type: constants.REG_TYPE_NAMES[type] ?? type,
          data: d,
        };
      },
    },
    run(context, step) {
      const type = context.regType(step.type);
      context.machine.registry.setValue(step.path, step.name, type, context.data(step.data, type));
    },
  }),
  deleteKey: defineStep({
    doc: "Delete a registry key and its subtree",
    fields: { path: { type: "string", required: true, doc: "The key" } },
    shorthand: "path",
    machineVerb: {
      method: "registry.deleteKey",
      translate: ([path]) => typeof path === "string" ? { step: "deleteKey", path } : null,
    },
    run(context, step) {
      context.machine.registry.deleteKey(step.path);
    },
  }),
  importReg: defineStep({
    doc: "Import .reg text (regedit's format)",
    fields: { text: { type: "string", required: true, doc: "The file's text" } },
    shorthand: "text",
    run(context, step) {
      const r = context.machine.registry.importReg(step.text);
      if (r.errors.length) {
        throw new StepError(
          `The .reg text has errors:\n${
            r.errors.map((e) => `  line ${e.line}: ${e.message}`).join("\n")
          }`,
        );
      }
    },
  }),
  changeProfile: defineStep({
    doc: "Change the hardware profile (query, then complete or cancel)",
    fields: { profile: { type: "string", required: true, doc: "Friendly name or id" } },
    shorthand: "profile",
    machineVerb: {
      method: "changeHardwareProfile",
      returns: "status",
      translate: ([profile]) =>
        typeof profile === "string" ? { step: "changeProfile", profile } : null,
    },
    run(context, step) {
      context.status(context.machine.changeHardwareProfile(step.profile));
    },
  }),
  reboot: defineStep({
    doc: "Reboot: non-volatile registry kept, drivers and devices start again, RunOnce runs",
    fields: { safeMode: { type: "boolean", doc: "Boot in safe mode" } },
    // The way back from a bug check.
    whileStopped: true,
    machineVerb: {
      method: "reboot",
      translate: ([options]) => ({
        step: "reboot",
        ...((options as { safeMode?: boolean } | undefined)?.safeMode ? { safeMode: true } : {}),
      }),
    },
    run(context, step) {
      context.bugCheck = null;
      // Hardware that bug checked the machine does so again.
      context.machine.reboot({ safeMode: step.safeMode === true });
      // A reboot ends every registration: the drivers start again from DriverEntry.
      for (const l of context.listeners.values()) {
        l.entry = null;
        l.file = null;
      }
    },
  }),
  command: defineStep({
    doc: "Provide a RunOnce command handler",
    fields: {
      program: { type: "string", required: true, doc: "Program name (rundll32, setup.exe ...)" },
      succeeds: { type: "boolean", doc: "Whether it succeeds (default true)" },
    },
    run(context, step) {
      const succeeds = step.succeeds !== false;
      context.machine.registerCommand(step.program, () => succeeds);
    },
  }),
  customEvent: defineStep({
    doc: "IoReportTargetDeviceChange(Asynchronous) with a custom event",
    fields: {
      device,
      guid: { type: "guid", required: true, doc: "The custom event GUID" },
      asynchronous: { type: "boolean", doc: "Use IoReportTargetDeviceChangeAsynchronous" },
    },
    run(context, step) {
      const m = context.machine;
      const n = {
        Version: 1,
        Size: 36,
        Event: context.guid(step.guid),
        FileObject: null,
        NameBufferOffset: -1,
        CustomDataBuffer: new Uint8Array(),
      };
      const pdo = context.pdo(step.device);
      context.status(
        step.asynchronous
          ? m.kernel.IoReportTargetDeviceChangeAsynchronous(pdo, n)
          : m.kernel.IoReportTargetDeviceChange(pdo, n),
      );
      m.settle();
    },
  }),
  call: defineStep({
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
    run(context, step) {
      // A kernel routine call from a scenario: names become objects, constant names their values.
      const m = context.machine;
      const routine = step.routine;
      const k = m.kernel as unknown as Record<string, unknown>;
      const fn = k[routine];
      if (typeof fn !== "function" || !KERNEL_ROUTINES.includes(routine)) {
        throw new StepError(`Unknown kernel routine '${routine}'`);
      }
      const args =
        (Array.isArray(step.args) ? step.args : step.args === undefined ? [] : [step.args])
          .map((a) => context.arg(a));
      const result = (fn as (...a: unknown[]) => unknown).apply(m.kernel, args);
      if (typeof result === "number") context.status(result);
      else if (result && typeof result === "object" && "status" in result) {
        context.status((result as { status: number }).status);
      }
      if (step.id) context.results.set(step.id, result);
      if (!m.halted && step.settle !== false) m.settle();
    },
  }),
  settle: defineStep({
    doc: "Run queued PnP work until none is left",
    fields: {},
    machineVerb: { method: "settle", translate: () => ({ step: "settle" }) },
    run(context) {
      context.machine.settle();
    },
  }),
};
