/**
 * The steps for kernel clients of PnP notifications: a listener is a driver object of its own that
 * registers with IoRegisterPlugPlayNotification for one category (interface arrivals of a class, a
 * device's target events, profile changes) and behaves as toastmon does: it answers queries, closes
 * its file object on a query-remove and reopens after a cancel, as the documentation asks.
 *
 * @module
 */
import type { ListenerSteps } from "./_types.ts";
import {
  EventCategoryDeviceInterfaceChange,
  EventCategoryHardwareProfileChange,
  EventCategoryTargetDeviceChange,
  GUID_HWPROFILE_QUERY_CHANGE,
  GUID_TARGET_DEVICE_QUERY_REMOVE,
  GUID_TARGET_DEVICE_REMOVE_CANCELLED,
  GUID_TARGET_DEVICE_REMOVE_COMPLETE,
  PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
} from "../../lib/constants.ts";
import { ntStatusName, STATUS_SUCCESS, STATUS_UNSUCCESSFUL } from "../../lib/ntstatus.ts";
import type { NotificationEntry, NotificationStructure } from "../../lib/pnp/notify.ts";
import { type Listener, StepError } from "./context.ts";
import { listener } from "./fields.ts";
import { defineStep } from "./row.ts";

/** The listener steps, in the table's order. */
export const LISTENER_STEPS: ListenerSteps = {
  listen: defineStep({
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
    run(context, step) {
      const m = context.machine;
      const k = m.kernel;
      const id = step.id;
      if (context.listeners.has(id)) throw new StepError(`A listener named '${id}' exists already`);
      const veto = step.veto === true;
      const driver = m.loadDriver({ name: `listener_${id.replace(/[^A-Za-z0-9_.-]/g, "_")}` });
      const listener: Listener = { driver, entry: null, cursor: m.trace.length, file: null };
      context.listeners.set(id, listener);
      const callback = (n: NotificationStructure): number => {
        if (
          veto &&
          (n.Event === GUID_TARGET_DEVICE_QUERY_REMOVE || n.Event === GUID_HWPROFILE_QUERY_CHANGE)
        ) {
          return STATUS_UNSUCCESSFUL;
        }
        if (step.target !== undefined && listener.file) {
          if (n.Event === GUID_TARGET_DEVICE_QUERY_REMOVE && !step.holdHandle) {
            k.ObDereferenceObject(listener.file);
            listener.file = null;
          }
        }
        if (
          n.Event === GUID_TARGET_DEVICE_REMOVE_CANCELLED && !listener.file &&
          step.target !== undefined
        ) {
          // Reopen after a cancelled removal, as the documentation asks.
          const link = context.targetLink(step.target);
          if (link) listener.file = k.IoGetDeviceObjectPointer(link, 0).fileObject ?? null;
        }
        if (n.Event === GUID_TARGET_DEVICE_REMOVE_COMPLETE && listener.file) {
          k.ObDereferenceObject(listener.file);
          listener.file = null;
        }
        return STATUS_SUCCESS;
      };
      let r: { status: number; notificationEntry?: NotificationEntry };
      if (step.interfaces !== undefined) {
        r = k.IoRegisterPlugPlayNotification(
          EventCategoryDeviceInterfaceChange,
          step.includeExisting ? PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES : 0,
          context.guid(step.interfaces),
          driver,
          callback,
        );
      } else if (step.target !== undefined) {
        const link = context.targetLink(step.target);
        if (!link) throw new StepError(`Device '${step.target}' has no enabled interface to open`);
        const open = k.IoGetDeviceObjectPointer(link, 0);
        if (!open.fileObject) {
          throw new StepError(`Cannot open '${link}': ${ntStatusName(open.status)}`);
        }
        listener.file = open.fileObject;
        r = k.IoRegisterPlugPlayNotification(
          EventCategoryTargetDeviceChange,
          0,
          open.fileObject,
          driver,
          callback,
        );
      } else if (step.profiles) {
        r = k.IoRegisterPlugPlayNotification(
          EventCategoryHardwareProfileChange,
          0,
          null,
          driver,
          callback,
        );
      } else {
        throw new StepError("listen needs one of interfaces, target or profiles");
      }
      context.status(r.status);
      listener.entry = r.notificationEntry ?? null;
      m.settle();
    },
  }),
  unlisten: defineStep({
    doc:
      "IoUnregisterPlugPlayNotificationEx (or the non-Ex form, after which a late callback may still arrive)",
    fields: { listener, ex: { type: "boolean", doc: "Use the Ex form (default true)" } },
    shorthand: "listener",
    run(context, step) {
      const m = context.machine;
      const l = context.listener(step.listener);
      if (!l.entry) throw new StepError(`Listener '${step.listener}' is not registered`);
      context.status(
        step.ex !== false
          ? m.kernel.IoUnregisterPlugPlayNotificationEx(l.entry)
          : m.kernel.IoUnregisterPlugPlayNotification(l.entry),
      );
      l.entry = null;
      m.settle();
    },
  }),
};
