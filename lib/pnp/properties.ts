/**
 * Unified device properties (DEVPROPKEY / DEVPROPTYPE): IoGetDevicePropertyData,
 * IoSetDevicePropertyData, IoGetDeviceInterfacePropertyData and IoSetDeviceInterfacePropertyData for
 * the common properties. System properties are read from the devnode and its registry keys; others
 * are stored: in memory, or with PLUGPLAY_PROPERTY_PERSISTENT (always, for a device property, as on
 * Windows 8 and later) under the key's `Properties\{fmtid}\NNNN` subkey (pid in four hex digits, the
 * value's type DEVPROPTYPE | 0xFFFF0000, as Windows lays them out).
 *
 * @module
 */
import { REG_MULTI_SZ, REG_SZ } from "../constants.ts";
import {
  STATUS_ACCESS_DENIED,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../ntstatus.ts";
import { decodeData, encodeData } from "../registry/data.ts";
import type { KeyNode } from "../registry/hive.ts";
import type { System } from "../system.ts";
import { type DevNode, devNodeStatus } from "./devnode.ts";
import { enumKey, requirePdo } from "./devreg.ts";
import { type DeviceInterface, normalizeGuid } from "./interfaces.ts";

/** `DEVPROPKEY`: a property's format GUID and id. */
export interface DEVPROPKEY {
  /** The property set's format GUID. */
  fmtid: string;
  /** The property's id within the set. */
  pid: number;
}

/** `DEVPROP_TYPE_*` values (devpropdef.h). */
export const DEVPROP_TYPE = {
  DEVPROP_TYPE_EMPTY: 0x0,
  DEVPROP_TYPE_UINT32: 0x7,
  DEVPROP_TYPE_UINT64: 0x9,
  DEVPROP_TYPE_GUID: 0xd,
  DEVPROP_TYPE_BOOLEAN: 0x11,
  DEVPROP_TYPE_STRING: 0x12,
  DEVPROP_TYPE_BINARY: 0x1003,
  DEVPROP_TYPE_STRING_LIST: 0x2012,
} as const;

/** `PLUGPLAY_PROPERTY_PERSISTENT` (0x1): the property survives a restart. */
export const PLUGPLAY_PROPERTY_PERSISTENT = 0x1;
/** `LOCALE_NEUTRAL` (0). */
export const LOCALE_NEUTRAL = 0x0;
/** `LOCALE_USER_DEFAULT` and `LOCALE_SYSTEM_DEFAULT`: not allowed for these routines. */
const DEFAULT_LOCALES = new Set([0x0400, 0x0800]);

/** An LCID the routines accept: a ULONG that is not one of the default-locale aliases. */
function badLcid(lcid: unknown): boolean {
  return typeof lcid !== "number" || !Number.isInteger(lcid) || lcid < 0 || lcid > 0xffffffff ||
    DEFAULT_LOCALES.has(lcid);
}

const DEVICE = "{a45c254e-df1c-4efd-8020-67d146a850e0}";
const IFACE = "{026e516e-b814-414b-83cd-856d6fef4822}";
/** The property set of the devnode's state: DevNodeStatus, ProblemCode, Parent (devpkey.h). */
const DEVNODE = "{4340a6c5-93fa-4706-972c-7b648008a5a7}";

/** Well-known DEVPKEYs (devpkey.h). */
export const DEVPKEYS: Readonly<Record<string, DEVPROPKEY>> = {
  DEVPKEY_Device_DeviceDesc: { fmtid: DEVICE, pid: 2 },
  DEVPKEY_Device_HardwareIds: { fmtid: DEVICE, pid: 3 },
  DEVPKEY_Device_CompatibleIds: { fmtid: DEVICE, pid: 4 },
  DEVPKEY_Device_Service: { fmtid: DEVICE, pid: 6 },
  DEVPKEY_Device_Class: { fmtid: DEVICE, pid: 9 },
  DEVPKEY_Device_ClassGuid: { fmtid: DEVICE, pid: 10 },
  DEVPKEY_Device_Driver: { fmtid: DEVICE, pid: 11 },
  DEVPKEY_Device_FriendlyName: { fmtid: DEVICE, pid: 14 },
  DEVPKEY_Device_LocationInfo: { fmtid: DEVICE, pid: 15 },
  DEVPKEY_Device_PDOName: { fmtid: DEVICE, pid: 16 },
  DEVPKEY_Device_EnumeratorName: { fmtid: DEVICE, pid: 24 },
  DEVPKEY_Device_InstanceId: { fmtid: "{78c34fc8-104a-4aca-9ea4-524d52996e57}", pid: 256 },
  DEVPKEY_Device_DevNodeStatus: { fmtid: DEVNODE, pid: 2 },
  DEVPKEY_Device_ProblemCode: { fmtid: DEVNODE, pid: 3 },
  DEVPKEY_Device_Parent: { fmtid: DEVNODE, pid: 8 },
  DEVPKEY_Device_IsPresent: { fmtid: "{540b947e-8b40-45bc-a8a2-6a0b894cbda2}", pid: 5 },
  DEVPKEY_Device_ContainerId: { fmtid: "{8c7ed206-3f8a-4827-b3ab-ae9e1faefc6c}", pid: 2 },
  DEVPKEY_DeviceInterface_FriendlyName: { fmtid: IFACE, pid: 2 },
  DEVPKEY_DeviceInterface_Enabled: { fmtid: IFACE, pid: 3 },
  DEVPKEY_DeviceInterface_ClassGuid: { fmtid: IFACE, pid: 4 },
};

/** A property's value in JS form: string, string[], number (UINT32), bigint, boolean, GUID string or bytes. */
export type PropertyData = string | string[] | number | bigint | boolean | Uint8Array;

interface Stored {
  type: number;
  data: PropertyData;
}

function keyOf(k: DEVPROPKEY): string | undefined {
  const fmtid = normalizeGuid(k?.fmtid);
  return fmtid && Number.isInteger(k.pid) && k.pid >= 0 ? `${fmtid},${k.pid}` : undefined;
}

/** The byte size of property data of a type. */
export function propertySize(type: number, data: PropertyData): number {
  switch (type) {
    case DEVPROP_TYPE.DEVPROP_TYPE_STRING:
      return (String(data).length + 1) * 2;
    case DEVPROP_TYPE.DEVPROP_TYPE_STRING_LIST:
      return ((data as string[]).reduce((n, s) => n + s.length + 1, 0) + 1) * 2;
    case DEVPROP_TYPE.DEVPROP_TYPE_BOOLEAN:
      return 1;
    case DEVPROP_TYPE.DEVPROP_TYPE_UINT32:
      return 4;
    case DEVPROP_TYPE.DEVPROP_TYPE_UINT64:
      return 8;
    case DEVPROP_TYPE.DEVPROP_TYPE_GUID:
      return 16;
    default:
      return data instanceof Uint8Array ? data.length : 0;
  }
}

function validData(type: number, data: unknown): data is PropertyData {
  switch (type) {
    case DEVPROP_TYPE.DEVPROP_TYPE_STRING:
      return typeof data === "string";
    case DEVPROP_TYPE.DEVPROP_TYPE_STRING_LIST:
      return Array.isArray(data) && data.every((s) => typeof s === "string" && s !== "");
    case DEVPROP_TYPE.DEVPROP_TYPE_BOOLEAN:
      return typeof data === "boolean";
    case DEVPROP_TYPE.DEVPROP_TYPE_UINT32:
      return typeof data === "number" && Number.isInteger(data) && data >= 0 && data <= 0xffffffff;
    case DEVPROP_TYPE.DEVPROP_TYPE_UINT64:
      return typeof data === "bigint";
    case DEVPROP_TYPE.DEVPROP_TYPE_GUID:
      return normalizeGuid(data) !== undefined;
    default:
      return data instanceof Uint8Array;
  }
}

/** Where a holder's persistent properties live: `<key>\Properties\{fmtid}\NNNN`. */
function propertyKeyPath(base: KeyNode, key: DEVPROPKEY): string {
  return `${base.path}\\Properties\\${normalizeGuid(key.fmtid)}\\${
    key.pid.toString(16).toUpperCase().padStart(4, "0")
  }`;
}

/** Properties kept in memory, per devnode or interface, by `fmtid,pid` and then by LCID. */
const volatileProps = new WeakMap<object, Map<string, Map<number, Stored>>>();

/**
 * The registry value a locale's copy of a persistent property is kept in: "" for LOCALE_NEUTRAL,
 * the LCID in four hex digits for a language (the model's layout; drivers never read these keys).
 */
function localeValueName(lcid: number): string {
  return lcid === LOCALE_NEUTRAL ? "" : lcid.toString(16).toUpperCase().padStart(4, "0");
}

function decodeStored(v: { type: number; data: unknown }): Stored {
  const type = v.type & 0xffff;
  const bytes = v.data instanceof Uint8Array ? v.data : encodeData(REG_SZ, String(v.data));
  const data: PropertyData = type === DEVPROP_TYPE.DEVPROP_TYPE_BOOLEAN
    ? bytes[0] !== 0
    : type === DEVPROP_TYPE.DEVPROP_TYPE_UINT32
    ? decodeData(4, bytes) as number
    : type === DEVPROP_TYPE.DEVPROP_TYPE_UINT64
    ? decodeData(11, bytes) as bigint
    : type === DEVPROP_TYPE.DEVPROP_TYPE_STRING || type === DEVPROP_TYPE.DEVPROP_TYPE_GUID
    ? decodeData(REG_SZ, bytes) as string
    : type === DEVPROP_TYPE.DEVPROP_TYPE_STRING_LIST
    ? decodeData(REG_MULTI_SZ, bytes) as string[]
    : bytes;
  return { type, data };
}

/**
 * A stored property for a locale. Each LCID has its own value, LOCALE_NEUTRAL included: a language
 * without one has none, whatever the neutral value is (ReactOS kmtests ntos_io/IoDeviceProperty.c
 * Test_Locales, passes on Windows).
 */
function readStored(
  sys: System,
  holder: object,
  base: KeyNode | undefined,
  key: DEVPROPKEY,
  lcid: number,
): Stored | undefined {
  const byLocale = volatileProps.get(holder)?.get(keyOf(key)!);
  const node = base ? sys.hive.find(propertyKeyPath(base, key)) : undefined;
  const mem = byLocale?.get(lcid);
  if (mem) return mem;
  const v = node?.value(localeValueName(lcid));
  return v ? decodeStored(v) : undefined;
}

/**
 * Sets or deletes (`value` null) a property for one locale: setting or deleting the LOCALE_NEUTRAL
 * value leaves the languages' own values alone (ReactOS kmtests ntos_io/IoDeviceProperty.c
 * Test_Locales, passes on Windows).
 */
function writeStored(
  sys: System,
  holder: object,
  base: KeyNode,
  key: DEVPROPKEY,
  lcid: number,
  flags: number,
  value: Stored | null,
): void {
  const k = keyOf(key)!;
  const all = volatileProps.get(holder) ?? new Map<string, Map<number, Stored>>();
  volatileProps.set(holder, all);
  const byLocale = all.get(k) ?? new Map<number, Stored>();
  all.set(k, byLocale);
  const path = propertyKeyPath(base, key);
  const existing = sys.hive.find(path);
  byLocale.delete(lcid);
  if (existing?.value(localeValueName(lcid))) {
    sys.hive.deleteValue(existing, localeValueName(lcid));
  }
  if (!value) return;
  if (!(flags & PLUGPLAY_PROPERTY_PERSISTENT)) {
    byLocale.set(lcid, value);
    return;
  }
  const node = sys.hive.ensure(path);
  const regType = (0xffff0000 | value.type) >>> 0;
  const data =
    value.type === DEVPROP_TYPE.DEVPROP_TYPE_STRING || value.type === DEVPROP_TYPE.DEVPROP_TYPE_GUID
      ? encodeData(REG_SZ, String(value.data))
      : value.type === DEVPROP_TYPE.DEVPROP_TYPE_STRING_LIST
      ? encodeData(REG_MULTI_SZ, value.data as string[])
      : value.type === DEVPROP_TYPE.DEVPROP_TYPE_BOOLEAN
      ? new Uint8Array([value.data ? 0xff : 0])
      : value.type === DEVPROP_TYPE.DEVPROP_TYPE_UINT32
      ? encodeData(4, value.data as number)
      : value.type === DEVPROP_TYPE.DEVPROP_TYPE_UINT64
      ? encodeData(11, value.data as bigint)
      : value.data as Uint8Array;
  sys.hive.setValue(node, { name: localeValueName(lcid), type: regType, data });
}

/** What a get returns. */
export interface PropertyResult {
  /** The routine's NTSTATUS. */
  status: number;
  /** The property's value (`Data`), when it fit. */
  data?: PropertyData;
  /** `RequiredSize`: the value's size in bytes. */
  requiredSize?: number;
  /** `Type`: the value's DEVPROPTYPE. */
  type?: number;
}

function answer(found: Stored | undefined, size: number | undefined): PropertyResult {
  if (!found) {
    return {
      status: STATUS_OBJECT_NAME_NOT_FOUND,
      requiredSize: 0,
      type: DEVPROP_TYPE.DEVPROP_TYPE_EMPTY,
    };
  }
  const required = propertySize(found.type, found.data);
  if (size !== undefined && size < required) {
    return { status: STATUS_BUFFER_TOO_SMALL, requiredSize: required, type: found.type };
  }
  return {
    status: STATUS_SUCCESS,
    data: Array.isArray(found.data) ? [...found.data] : found.data,
    requiredSize: required,
    type: found.type,
  };
}

function systemDeviceProperty(
  sys: System,
  node: DevNode,
  key: DEVPROPKEY,
): Stored | null | undefined {
  const k = keyOf(key);
  const reg = enumKey(sys, node);
  const s = (v: unknown) =>
    typeof v === "string" ? { type: DEVPROP_TYPE.DEVPROP_TYPE_STRING, data: v } : undefined;
  const list = (v: unknown) =>
    Array.isArray(v)
      ? { type: DEVPROP_TYPE.DEVPROP_TYPE_STRING_LIST, data: v as string[] }
      : undefined;
  const v = (name: string) => reg?.value(name)?.data;
  switch (k) {
    case keyOf(DEVPKEYS.DEVPKEY_Device_DeviceDesc!):
      return s(v("DeviceDesc")) ?? null;
    case keyOf(DEVPKEYS.DEVPKEY_Device_HardwareIds!):
      return list(v("HardwareID")) ?? null;
    case keyOf(DEVPKEYS.DEVPKEY_Device_CompatibleIds!):
      return list(v("CompatibleIDs")) ?? null;
    case keyOf(DEVPKEYS.DEVPKEY_Device_Service!):
      return s(v("Service")) ?? null;
    case keyOf(DEVPKEYS.DEVPKEY_Device_Class!):
      return s(v("Class")) ?? null;
    case keyOf(DEVPKEYS.DEVPKEY_Device_ClassGuid!): {
      const g = v("ClassGUID");
      return typeof g === "string" ? { type: DEVPROP_TYPE.DEVPROP_TYPE_GUID, data: g } : null;
    }
    case keyOf(DEVPKEYS.DEVPKEY_Device_Driver!):
      return s(v("Driver")) ?? null;
    case keyOf(DEVPKEYS.DEVPKEY_Device_LocationInfo!):
      return s(v("LocationInformation")) ?? null;
    case keyOf(DEVPKEYS.DEVPKEY_Device_PDOName!):
      return node.pdo.name ? { type: DEVPROP_TYPE.DEVPROP_TYPE_STRING, data: node.pdo.name } : null;
    case keyOf(DEVPKEYS.DEVPKEY_Device_EnumeratorName!):
      return { type: DEVPROP_TYPE.DEVPROP_TYPE_STRING, data: node.instanceId.split("\\")[0]! };
    case keyOf(DEVPKEYS.DEVPKEY_Device_InstanceId!):
      return { type: DEVPROP_TYPE.DEVPROP_TYPE_STRING, data: node.instanceId };
    case keyOf(DEVPKEYS.DEVPKEY_Device_DevNodeStatus!):
      return { type: DEVPROP_TYPE.DEVPROP_TYPE_UINT32, data: devNodeStatus(node) >>> 0 };
    case keyOf(DEVPKEYS.DEVPKEY_Device_ProblemCode!):
      return { type: DEVPROP_TYPE.DEVPROP_TYPE_UINT32, data: node.problem >>> 0 };
    case keyOf(DEVPKEYS.DEVPKEY_Device_Parent!):
      return node.parent
        ? { type: DEVPROP_TYPE.DEVPROP_TYPE_STRING, data: node.parent.instanceId }
        : null;
    case keyOf(DEVPKEYS.DEVPKEY_Device_IsPresent!):
      return { type: DEVPROP_TYPE.DEVPROP_TYPE_BOOLEAN, data: node.state !== "Absent" };
    case keyOf(DEVPKEYS.DEVPKEY_Device_ContainerId!): {
      // The bus's BusQueryContainerID answer, kept as REG_SZ in the Enum key, is a 16-byte GUID
      // property (Wine's test_pnp_devices on Windows: DEVPROP_TYPE_GUID).
      const c = normalizeGuid(v("ContainerID"));
      return c ? { type: DEVPROP_TYPE.DEVPROP_TYPE_GUID, data: c } : null;
    }
    case keyOf(DEVPKEYS.DEVPKEY_Device_FriendlyName!): {
      const f = v("FriendlyName");
      return typeof f === "string" ? { type: DEVPROP_TYPE.DEVPROP_TYPE_STRING, data: f } : null;
    }
  }
  return undefined;
}

/**
 * DEVPKEY_Device_FriendlyName is the Enum key's `FriendlyName` value, the one
 * IoGetDeviceProperty(DevicePropertyFriendlyName) reads: a driver may set it (a string only) or
 * delete it (ReactOS kmtests ntos_io/IoDeviceProperty.c Test_DeviceBuiltins, passes on Windows).
 */
function setFriendlyName(
  sys: System,
  base: KeyNode,
  Type: number,
  Data: unknown,
  Size: number,
): number {
  if (Data === null || Data === undefined || Size === 0) {
    return sys.hive.deleteValue(base, "FriendlyName")
      ? STATUS_SUCCESS
      : STATUS_OBJECT_NAME_NOT_FOUND;
  }
  if (Type !== DEVPROP_TYPE.DEVPROP_TYPE_STRING || typeof Data !== "string") {
    return STATUS_INVALID_PARAMETER;
  }
  sys.hive.setValue(base, { name: "FriendlyName", type: REG_SZ, data: Data });
  return STATUS_SUCCESS;
}

/** `IoGetDevicePropertyData`. */
export function IoGetDevicePropertyData(
  sys: System,
  Pdo: unknown,
  PropertyKey: DEVPROPKEY,
  Lcid: number,
  Flags: number,
  Size?: number,
): PropertyResult {
  const node = requirePdo(sys, Pdo, "IoGetDevicePropertyData", STATUS_INVALID_DEVICE_REQUEST);
  if (typeof node === "number") return { status: node };
  if (!keyOf(PropertyKey) || Flags !== 0 || badLcid(Lcid)) {
    return { status: STATUS_INVALID_PARAMETER };
  }
  const system = systemDeviceProperty(sys, node, PropertyKey);
  if (system !== undefined) return answer(system ?? undefined, Size);
  return answer(readStored(sys, node, enumKey(sys, node), PropertyKey, Lcid), Size);
}

/** `IoSetDevicePropertyData`: Data null (or Size 0) deletes the property. */
export function IoSetDevicePropertyData(
  sys: System,
  Pdo: unknown,
  PropertyKey: DEVPROPKEY,
  Lcid: number,
  Flags: number,
  Type: number,
  Size: number,
  Data: unknown,
): number {
  const node = requirePdo(sys, Pdo, "IoSetDevicePropertyData", STATUS_INVALID_DEVICE_REQUEST);
  if (typeof node === "number") return node;
  if (!keyOf(PropertyKey) || badLcid(Lcid) || (Flags & ~PLUGPLAY_PROPERTY_PERSISTENT)) {
    return STATUS_INVALID_PARAMETER;
  }
  const base = enumKey(sys, node, true)!;
  if (keyOf(PropertyKey) === keyOf(DEVPKEYS.DEVPKEY_Device_FriendlyName!)) {
    return setFriendlyName(sys, base, Type, Data, Size);
  }
  // A read-only system property refuses the write (ReactOS kmtests ntos_io/IoDeviceProperty.c
  // Test_DeviceBuiltins: instance ID, PDO name, hardware IDs; passes on Windows).
  if (systemDeviceProperty(sys, node, PropertyKey) !== undefined) return STATUS_ACCESS_DENIED;
  // The routine's page: Windows 8 and later treat Flags as if PLUGPLAY_PROPERTY_PERSISTENT were
  // always passed, so a device property is kept across restarts whatever Flags says. (The
  // interface routine's page says no such thing; there the flag still decides.)
  const persistent = Flags | PLUGPLAY_PROPERTY_PERSISTENT;
  if (Data === null || Data === undefined || Size === 0) {
    if (!readStored(sys, node, base, PropertyKey, Lcid)) return STATUS_OBJECT_NAME_NOT_FOUND;
    writeStored(sys, node, base, PropertyKey, Lcid, persistent, null);
    return STATUS_SUCCESS;
  }
  if (!validData(Type, Data)) return STATUS_INVALID_PARAMETER;
  writeStored(sys, node, base, PropertyKey, Lcid, persistent, { type: Type, data: Data });
  return STATUS_SUCCESS;
}

function systemInterfaceProperty(i: DeviceInterface, key: DEVPROPKEY): Stored | null | undefined {
  switch (keyOf(key)) {
    case keyOf(DEVPKEYS.DEVPKEY_Device_InstanceId!):
      return { type: DEVPROP_TYPE.DEVPROP_TYPE_STRING, data: i.instanceId };
    case keyOf(DEVPKEYS.DEVPKEY_DeviceInterface_Enabled!):
      return { type: DEVPROP_TYPE.DEVPROP_TYPE_BOOLEAN, data: i.enabled };
    case keyOf(DEVPKEYS.DEVPKEY_DeviceInterface_ClassGuid!):
      return { type: DEVPROP_TYPE.DEVPROP_TYPE_GUID, data: i.classGuid };
  }
  return undefined;
}

/** `IoGetDeviceInterfacePropertyData`. */
export function IoGetDeviceInterfacePropertyData(
  sys: System,
  SymbolicLinkName: string,
  PropertyKey: DEVPROPKEY,
  Lcid: number,
  Flags: number,
  Size?: number,
): PropertyResult {
  // A NULL or empty name is a bad parameter, not a missing interface (ReactOS kmtests
  // ntos_io/IoDeviceProperty.c Test_InterfaceParameters, passes on Windows).
  if (typeof SymbolicLinkName !== "string" || SymbolicLinkName === "") {
    return { status: STATUS_INVALID_PARAMETER };
  }
  const i = sys.interfaces.lookup(SymbolicLinkName);
  if (!i) return { status: STATUS_OBJECT_NAME_NOT_FOUND };
  if (!keyOf(PropertyKey) || Flags !== 0) return { status: STATUS_INVALID_PARAMETER };
  if (badLcid(Lcid)) return { status: STATUS_UNSUCCESSFUL };
  const system = systemInterfaceProperty(i, PropertyKey);
  if (system !== undefined) return answer(system ?? undefined, Size);
  return answer(readStored(sys, i, sys.interfaces.refKey(i), PropertyKey, Lcid), Size);
}

/** `IoSetDeviceInterfacePropertyData`: Data null deletes the property; PLUGPLAY_PROPERTY_PERSISTENT keeps it across restarts. */
export function IoSetDeviceInterfacePropertyData(
  sys: System,
  SymbolicLinkName: string,
  PropertyKey: DEVPROPKEY,
  Lcid: number,
  Flags: number,
  Type: number,
  Size: number,
  Data: unknown,
): number {
  if (typeof SymbolicLinkName !== "string" || SymbolicLinkName === "") {
    return STATUS_INVALID_PARAMETER;
  }
  const i = sys.interfaces.lookup(SymbolicLinkName);
  if (!i) return STATUS_OBJECT_NAME_NOT_FOUND;
  if (!keyOf(PropertyKey) || (Flags & ~PLUGPLAY_PROPERTY_PERSISTENT)) {
    return STATUS_INVALID_PARAMETER;
  }
  // The routine's page: STATUS_UNSUCCESSFUL for a bad LCID.
  if (badLcid(Lcid)) return STATUS_UNSUCCESSFUL;
  // ReactOS kmtests ntos_io/IoDeviceProperty.c Test_InterfaceBuiltins (passes on Windows): the
  // class GUID refuses the write with STATUS_ACCESS_DENIED.
  if (systemInterfaceProperty(i, PropertyKey) !== undefined) return STATUS_ACCESS_DENIED;
  const base = sys.interfaces.refKey(i, true)!;
  if (Data === null || Data === undefined || Size === 0) {
    if (!readStored(sys, i, base, PropertyKey, Lcid)) return STATUS_OBJECT_NAME_NOT_FOUND;
    writeStored(sys, i, base, PropertyKey, Lcid, Flags, null);
    return STATUS_SUCCESS;
  }
  if (!validData(Type, Data)) return STATUS_INVALID_PARAMETER;
  writeStored(sys, i, base, PropertyKey, Lcid, Flags, { type: Type, data: Data });
  return STATUS_SUCCESS;
}

/** The DEVPKEY a name or `{fmtid},pid` text stands for. */
export function devpkey(nameOrText: string): DEVPROPKEY | undefined {
  if (DEVPKEYS[nameOrText]) return DEVPKEYS[nameOrText];
  const m = /^(\{[^}]+\}),\s*(\d+)$/.exec(nameOrText);
  const fmtid = m ? normalizeGuid(m[1]) : undefined;
  return fmtid ? { fmtid, pid: Number(m![2]) } : undefined;
}
