/**
 * The steps of user-mode applications: an application registers for interface notifications
 * (CM_Register_Notification), opens an interface (CreateFile), sends it DeviceIoControl and closes
 * its handle, and answers the DBT_* queries as its options say.
 *
 * @module
 */
import type { ApplicationSteps } from "./_types.ts";
import { NT_SUCCESS } from "../../lib/ntstatus.ts";
import { StepError, WDK_CONSTANTS } from "./context.ts";
import { iface, IOCTL_NAMES } from "./fields.ts";
import { defineStep } from "./row.ts";

/** An I/O control code by name (a constant such as IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE) or number. */
function ioControlCode(code: string): number {
  if (/^(0x[0-9a-f]+|\d+)$/i.test(code)) return Number(code) >>> 0;
  const value = WDK_CONSTANTS[code];
  if (typeof value !== "number" || !code.startsWith("IOCTL_")) {
    const names = Object.keys(WDK_CONSTANTS).filter((n) => n.startsWith("IOCTL_"));
    throw new StepError(`Unknown I/O control code '${code}' (known: ${names.join(", ")})`);
  }
  return value;
}

/** The application steps, in the table's order. */
export const APPLICATION_STEPS: ApplicationSteps = {
  app: defineStep({
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
    run(context, step) {
      const app = context.machine.app(step.id, {
        ...(step.vetoQueryRemove !== undefined ? { vetoQueryRemove: step.vetoQueryRemove } : {}),
        ...(step.vetoProfileChange !== undefined
          ? { vetoProfileChange: step.vetoProfileChange }
          : {}),
      });
      if (step.interfaces) {
        context.status(app.registerInterfaceNotification(context.guid(step.interfaces)));
      }
    },
  }),
  open: defineStep({
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
    run(context, step) {
      const r = context.machine.openDevice(context.link(step.interface), {
        app: step.app ?? "app",
        ...(step.closeOnQueryRemove !== undefined
          ? { closeOnQueryRemove: step.closeOnQueryRemove }
          : {}),
      });
      context.status(r.status);
      if (NT_SUCCESS(r.status)) context.handles.set(step.id ?? step.interface, r.handle);
    },
  }),
  close: defineStep({
    doc: "CloseHandle",
    fields: { handle: { type: "id", required: true, doc: "The handle's id", refers: "handle" } },
    shorthand: "handle",
    run(context, step) {
      context.status(context.machine.closeHandle(context.handle(step.handle)));
    },
  }),
  deviceIoControl: defineStep({
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
    run(context, step) {
      const h = context.handle(step.handle);
      context.status(context.machine.deviceIoControl(h, ioControlCode(step.code)).status);
    },
  }),
};
