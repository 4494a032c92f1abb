/**
 * Well-known GUIDs by name, so scenarios can write `GUID_DEVINTERFACE_TOASTER` instead of the value.
 * One table for the DSL, YAML files, the JSON Schema and the REPL's completion.
 *
 * @module
 */
import { GUID_RE, GUID_TEXT } from "../lib/guid.ts";
import {
  GUID_DEVICE_INTERFACE_ARRIVAL,
  GUID_DEVICE_INTERFACE_REMOVAL,
  GUID_HWPROFILE_CHANGE_CANCELLED,
  GUID_HWPROFILE_CHANGE_COMPLETE,
  GUID_HWPROFILE_QUERY_CHANGE,
  GUID_PNP_CUSTOM_NOTIFICATION,
  GUID_TARGET_DEVICE_QUERY_REMOVE,
  GUID_TARGET_DEVICE_REMOVE_CANCELLED,
  GUID_TARGET_DEVICE_REMOVE_COMPLETE,
} from "../lib/constants.ts";
import {
  GUID_DEVCLASS_NET,
  GUID_DEVCLASS_SYSTEM,
  GUID_DEVCLASS_TOASTER,
  GUID_DEVINTERFACE_BUSENUM_TOASTER,
  GUID_DEVINTERFACE_NET,
  GUID_DEVINTERFACE_TOASTER,
} from "../lib/examples/example_machine.ts";

/**
 * GUID name → value (registry form, lower case). Interface classes from the WDK headers and the
 * toaster sample, setup classes, and the PnP event GUIDs.
 *
 * @example
 * ```ts
 * import { WELL_KNOWN_GUIDS } from "./guids.ts";
 * import assert from "node:assert/strict";
 * assert.equal(WELL_KNOWN_GUIDS.GUID_DEVINTERFACE_TOASTER, "{781ef630-72b2-11d2-b852-00c04fad5171}");
 * ```
 */
export const WELL_KNOWN_GUIDS: Readonly<Record<string, string>> = {
  GUID_DEVINTERFACE_TOASTER,
  GUID_DEVINTERFACE_BUSENUM_TOASTER,
  GUID_DEVINTERFACE_NET,
  GUID_DEVINTERFACE_DISK: "{53f56307-b6bf-11d0-94f2-00a0c91efb8b}",
  GUID_DEVINTERFACE_VOLUME: "{53f5630d-b6bf-11d0-94f2-00a0c91efb8b}",
  GUID_DEVINTERFACE_USB_DEVICE: "{a5dcbf10-6530-11d2-901f-00c04fb951ed}",
  GUID_DEVINTERFACE_HID: "{4d1e55b2-f16f-11cf-88cb-001111000030}",
  GUID_DEVINTERFACE_KEYBOARD: "{884b96c3-56ef-11d1-bc8c-00a0c91405dd}",
  GUID_DEVINTERFACE_MOUSE: "{378de44c-56ef-11d1-bc8c-00a0c91405dd}",
  GUID_DEVINTERFACE_COMPORT: "{86e0d1e0-8089-11d0-9ce4-08003e301f73}",
  GUID_DEVCLASS_TOASTER,
  GUID_DEVCLASS_SYSTEM,
  GUID_DEVCLASS_NET,
  GUID_DEVICE_INTERFACE_ARRIVAL,
  GUID_DEVICE_INTERFACE_REMOVAL,
  GUID_TARGET_DEVICE_QUERY_REMOVE,
  GUID_TARGET_DEVICE_REMOVE_CANCELLED,
  GUID_TARGET_DEVICE_REMOVE_COMPLETE,
  GUID_HWPROFILE_QUERY_CHANGE,
  GUID_HWPROFILE_CHANGE_COMPLETE,
  GUID_HWPROFILE_CHANGE_CANCELLED,
  GUID_PNP_CUSTOM_NOTIFICATION,
};

export { GUID_TEXT };

/**
 * A GUID by value (any case) or by well-known name, in lower case; undefined when it is neither.
 *
 * @example
 * ```ts
 * import { resolveGuid } from "./guids.ts";
 * import assert from "node:assert/strict";
 * assert.equal(resolveGuid("{53F56307-B6BF-11D0-94F2-00A0C91EFB8B}"), "{53f56307-b6bf-11d0-94f2-00a0c91efb8b}");
 * assert.equal(resolveGuid("GUID_NOPE"), undefined);
 * ```
 */
export function resolveGuid(nameOrValue: string): string | undefined {
  if (GUID_RE.test(nameOrValue)) return nameOrValue.toLowerCase();
  return WELL_KNOWN_GUIDS[nameOrValue];
}

/** The well-known name of a GUID value, if it has one. */
export function guidName(value: string): string | undefined {
  const v = value.toLowerCase();
  return Object.keys(WELL_KNOWN_GUIDS).find((k) => WELL_KNOWN_GUIDS[k] === v);
}
