/**
 * The steps on device interfaces as a driver calls them: IoRegisterDeviceInterface on a PDO,
 * IoSetDeviceInterfaceState, and the properties of an interface or a device (the expectation that
 * reads a property back sits beside the step that sets it).
 *
 * @module
 */
import type { InterfaceSteps } from "./_types.ts";
import {
  devpkey,
  DEVPROP_TYPE,
  LOCALE_NEUTRAL,
  PLUGPLAY_PROPERTY_PERSISTENT,
  type PropertyData,
  propertySize,
} from "../../lib/pnp/properties.ts";
import { ntStatusName } from "../../lib/ntstatus.ts";
import { StepError } from "./context.ts";
import { device, iface, propertyKey } from "./fields.ts";
import { defineStep } from "./row.ts";

/** The interface steps, in the table's order. */
export const INTERFACE_STEPS: InterfaceSteps = {
  registerInterface: defineStep({
    doc: "IoRegisterDeviceInterface on a device's PDO",
    fields: {
      device,
      guid: { type: "guid", required: true, doc: "Interface class GUID or well-known name" },
      refString: { type: "string", doc: "Reference string" },
      id: { type: "string", doc: "A name for the interface (default: its symbolic link name)" },
    },
    // Without an id the name is the symbolic link, known only when the step runs.
    defines: [{ kind: "interface", from: ["id"] }],
    run(context, step) {
      const m = context.machine;
      const r = m.kernel.IoRegisterDeviceInterface(
        context.pdo(step.device),
        context.guid(step.guid),
        step.refString ?? null,
      );
      context.status(r.status);
      if (r.symbolicLinkName) {
        context.interfaces.set(step.id ?? r.symbolicLinkName, r.symbolicLinkName);
      }
      m.settle();
    },
  }),
  setProperty: defineStep({
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
      persistent: {
        type: "boolean",
        doc:
          "PLUGPLAY_PROPERTY_PERSISTENT: keep it across restarts (a device property is kept anyway, as on Windows 8 and later)",
      },
    },
    run(context, step) {
      const m = context.machine;
      const key = devpkey(step.key);
      if (!key) {
        throw new StepError(`Unknown property key '${step.key}' (a DEVPKEY name or '{fmtid},pid')`);
      }
      const type = DEVPROP_TYPE[
        (step.type as keyof typeof DEVPROP_TYPE | undefined) ?? "DEVPROP_TYPE_STRING"
      ];
      const value = step.value === undefined ? null : step.value as PropertyData;
      const size = value === null ? 0 : propertySize(type, value);
      const flags = step.persistent ? PLUGPLAY_PROPERTY_PERSISTENT : 0;
      context.status(
        step.interface !== undefined
          ? m.kernel.IoSetDeviceInterfacePropertyData(
            context.link(step.interface),
            key,
            LOCALE_NEUTRAL,
            flags,
            type,
            size,
            value,
          )
          : m.kernel.IoSetDevicePropertyData(
            context.pdo(step.device as string),
            key,
            LOCALE_NEUTRAL,
            flags,
            type,
            size,
            value,
          ),
      );
    },
  }),
  expectProperty: defineStep({
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
    run(context, step) {
      const m = context.machine;
      const key = devpkey(step.key);
      if (!key) throw new StepError(`Unknown property key '${step.key}'`);
      const r = step.interface !== undefined
        ? m.kernel.IoGetDeviceInterfacePropertyData(
          context.link(step.interface),
          key,
          LOCALE_NEUTRAL,
          0,
        )
        : m.kernel.IoGetDevicePropertyData(
          context.pdo(step.device as string),
          key,
          LOCALE_NEUTRAL,
          0,
        );
      const exists = step.exists !== false;
      if ((r.status === 0) !== exists) {
        throw new StepError(
          `Expected property ${step.key} ${exists ? "to exist" : "not to exist"}: ${
            ntStatusName(r.status)
          }`,
        );
      }
      if (
        exists && step.data !== undefined && JSON.stringify(r.data) !== JSON.stringify(step.data)
      ) {
        throw new StepError(
          `Expected property ${step.key} = ${JSON.stringify(step.data)}, it is ${
            JSON.stringify(r.data)
          }`,
        );
      }
    },
  }),
  enable: defineStep({
    doc: "IoSetDeviceInterfaceState(TRUE) on an interface",
    fields: { interface: iface },
    shorthand: "interface",
    run(context, step) {
      context.status(
        context.machine.kernel.IoSetDeviceInterfaceState(context.link(step.interface), true),
      );
      context.machine.settle();
    },
  }),
  disable: defineStep({
    doc: "IoSetDeviceInterfaceState(FALSE) on an interface",
    fields: { interface: iface },
    shorthand: "interface",
    run(context, step) {
      context.status(
        context.machine.kernel.IoSetDeviceInterfaceState(context.link(step.interface), false),
      );
      context.machine.settle();
    },
  }),
};
