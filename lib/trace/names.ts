/**
 * WDK names for the numbers a trace records: a routine's argument by its parameter name
 * (`DesiredAccess` 0x20019 is `KEY_READ`, `DeviceProperty` 0xF is `DevicePropertyEnumeratorName`),
 * read from the same constant tables the kernel uses. The trace keeps the numbers; its text form
 * shows the names.
 *
 * @module
 */
import * as C from "../constants.ts";

const CONSTANTS = Object.entries(C).filter((e): e is [string, number] => typeof e[1] === "number");

/** The constant whose name matches and whose value is `value` (the first in declaration order). */
function named(match: (name: string) => boolean): (value: number) => string | undefined {
  const table = new Map<number, string>();
  for (const [name, value] of CONSTANTS) {
    if (match(name) && !table.has(value)) table.set(value, name);
  }
  return (value) => table.get(value);
}

/**
 * A flags value as `A | B`, whole combinations first (KEY_READ before its bits); what no name covers
 * stays as hex. Zero is `zero` when given.
 */
function flags(
  names: readonly string[],
  zero?: string,
): (value: number) => string | undefined {
  const known = names.map((n) => [n, C[n as keyof typeof C] as number] as const)
    .filter(([, v]) => typeof v === "number" && v !== 0);
  return (value) => {
    if (value === 0) return zero;
    let rest = value >>> 0;
    const parts: string[] = [];
    for (const [name, bits] of known) {
      if ((rest & bits) === bits >>> 0 && bits !== 0) {
        parts.push(name);
        rest = (rest & ~bits) >>> 0;
      }
    }
    if (rest) parts.push(`0x${rest.toString(16)}`);
    return parts.join(" | ");
  };
}

const ACCESS = flags([
  "KEY_ALL_ACCESS",
  "KEY_READ",
  "KEY_WRITE",
  "GENERIC_ALL",
  "GENERIC_READ",
  "GENERIC_WRITE",
  "GENERIC_EXECUTE",
  "MAXIMUM_ALLOWED",
  "DELETE",
  "KEY_QUERY_VALUE",
  "KEY_SET_VALUE",
  "KEY_CREATE_SUB_KEY",
  "KEY_ENUMERATE_SUB_KEYS",
  "KEY_NOTIFY",
  "KEY_CREATE_LINK",
]);

const RELATIVE_TO = named((n) =>
  /^RTL_REGISTRY_(ABSOLUTE|SERVICES|CONTROL|WINDOWS_NT|DEVICEMAP|USER)$/.test(n)
);
const RELATIVE_TO_FLAGS = flags(["RTL_REGISTRY_HANDLE", "RTL_REGISTRY_OPTIONAL"]);

/** Routines whose DesiredAccess is a key access mask (the others take file or device rights). */
const KEY_ACCESS_ROUTINE = /Key$|^IoOpenDevice(Interface)?RegistryKey$|^IoOpenDriverRegistryKey$/;

/** Decoders by WDK parameter name. */
const PARAMETERS: Readonly<Record<string, (value: number) => string | undefined>> = {
  DeviceProperty: named((n) => n.startsWith("DeviceProperty")),
  DevInstKeyType: flags([
    "PLUGPLAY_REGKEY_DEVICE",
    "PLUGPLAY_REGKEY_DRIVER",
    "PLUGPLAY_REGKEY_CURRENT_HWPROFILE",
  ]),
  EventCategory: named((n) => n.startsWith("EventCategory")),
  EventCategoryFlags: flags(["PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES"], "0"),
  Flags: flags(["DEVICE_INTERFACE_INCLUDE_NONACTIVE"], "0"),
  KeyValueInformationClass: named((n) => /^KeyValue[A-Za-z]*Information$/.test(n)),
  KeyInformationClass: named((n) => /^Key(Basic|Node|Full|Name|Cached)Information$/.test(n)),
  CreateOptions: flags(
    ["REG_OPTION_VOLATILE", "REG_OPTION_CREATE_LINK", "REG_OPTION_BACKUP_RESTORE"],
    "REG_OPTION_NON_VOLATILE",
  ),
  Type: (v) => C.REG_TYPE_NAMES[v],
  NewIrql: named((n) => /^(PASSIVE|APC|DISPATCH|HIGH)_LEVEL$/.test(n)),
  // An RTL_REGISTRY_* base (an enumeration) plus the HANDLE and OPTIONAL flags in the high bits.
  RelativeTo: (v) => {
    const base = RELATIVE_TO(v & 0xffff);
    const high = (v & 0xffff0000) >>> 0;
    return base && [base, ...(high ? [RELATIVE_TO_FLAGS(high)] : [])].join(" | ");
  },
};

/** Decoders of the power routines' parameters (a POWER_STATE_TYPE, a power minor function). */
const POWER_PARAMETERS: Readonly<Record<string, (value: number) => string | undefined>> = {
  Type: (v) =>
    v === C.SystemPowerState
      ? "SystemPowerState"
      : v === C.DevicePowerState
      ? "DevicePowerState"
      : undefined,
  MinorFunction: (v) => C.IRP_MN_POWER_NAMES[v],
};

/**
 * The WDK name of a routine argument's value, or undefined when the parameter has no names there or
 * the value is not a number.
 *
 * @example
 * ```ts
 * import { argumentName } from "./names.ts";
 * import assert from "node:assert/strict";
 * assert.equal(argumentName("ZwOpenKey", "DesiredAccess", 0x20019), "KEY_READ");
 * assert.equal(argumentName("ZwCreateKey", "DesiredAccess", 0x20019 | 0x10000), "KEY_READ | DELETE");
 * assert.equal(
 *   argumentName("IoRegisterPlugPlayNotification", "EventCategory", 3),
 *   "EventCategoryTargetDeviceChange",
 * );
 * ```
 */
export function argumentName(
  routine: string,
  parameter: string,
  value: unknown,
): string | undefined {
  if (typeof value !== "number") return undefined;
  if (routine.startsWith("Po")) return POWER_PARAMETERS[parameter]?.(value);
  if (parameter === "DesiredAccess") {
    return KEY_ACCESS_ROUTINE.test(routine) ? ACCESS(value) : undefined;
  }
  return PARAMETERS[parameter]?.(value);
}
