/**
 * The Zw registry routines (wdm.h): ZwCreateKey, ZwOpenKey, ZwSetValueKey, ZwQueryValueKey,
 * ZwEnumerateKey, ZwEnumerateValueKey, ZwQueryKey, ZwDeleteKey, ZwDeleteValueKey, ZwFlushKey and
 * ZwClose, with the status codes their documentation gives. A handle's granted access is checked
 * the way ObReferenceObjectByHandle checks it: for a caller whose previous mode is UserMode only; a
 * driver's call (KernelMode) goes through, and the verifier names the right the handle lacked.
 *
 * @module
 */
import {
  DELETE,
  GENERIC_ALL,
  GENERIC_EXECUTE,
  GENERIC_READ,
  GENERIC_WRITE,
  KEY_ALL_ACCESS,
  KEY_CREATE_LINK,
  KEY_CREATE_SUB_KEY,
  KEY_ENUMERATE_SUB_KEYS,
  KEY_EXECUTE,
  KEY_NOTIFY,
  KEY_QUERY_VALUE,
  KEY_READ,
  KEY_SET_VALUE,
  KEY_WOW64_32KEY,
  KEY_WOW64_64KEY,
  KEY_WRITE,
  KeyBasicInformation,
  KeyFullInformation,
  KeyNodeInformation,
  KeyValueBasicInformation,
  KeyValueFullInformation,
  KeyValuePartialInformation,
  MAXIMUM_ALLOWED,
  OBJ_KERNEL_HANDLE,
  OBJ_OPENLINK,
  REG_CREATED_NEW_KEY,
  REG_LINK,
  REG_OPENED_EXISTING_KEY,
  REG_OPTION_CREATE_LINK,
  REG_OPTION_OPEN_LINK,
  REG_OPTION_VOLATILE,
} from "../constants.ts";
import {
  STATUS_ACCESS_DENIED,
  STATUS_BUFFER_OVERFLOW,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_CANNOT_DELETE,
  STATUS_CHILD_MUST_BE_VOLATILE,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_KEY_DELETED,
  STATUS_NAME_TOO_LONG,
  STATUS_NO_MORE_ENTRIES,
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_OBJECT_PATH_SYNTAX_BAD,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_SUCCESS,
} from "../ntstatus.ts";
import type { Handle, HandleEntry } from "../ob/handles.ts";
import type { System } from "../system.ts";
import {
  decodeData,
  normalizeData,
  type RegData,
  type RegValue,
  valueBytes,
  valueSize,
} from "./data.ts";
import {
  keyDepth,
  type KeyNode,
  MAX_KEY_DEPTH,
  MAX_KEY_NAME_LENGTH,
  MAX_VALUE_DATA_SIZE,
  MAX_VALUE_NAME_LENGTH,
  splitPath,
  toKernelPath,
} from "./hive.ts";

/** `OBJECT_ATTRIBUTES` for registry opens: a name, optionally relative to an open key handle. */
export interface OBJECT_ATTRIBUTES {
  /** The key's name: a full path (`\Registry\Machine\...` or `HKLM\...`), or relative to `RootDirectory`. */
  ObjectName: string;
  /** An open key handle the name is relative to. */
  RootDirectory?: Handle | null;
  /** `OBJ_KERNEL_HANDLE`, `OBJ_OPENLINK`, `OBJ_CASE_INSENSITIVE` ... */
  Attributes?: number;
}

/** `KEY_VALUE_BASIC_INFORMATION`. */
export interface KEY_VALUE_BASIC_INFORMATION {
  /** Always 0 (device and intermediate drivers ignore it). */
  TitleIndex: number;
  /** The value's `REG_*` type. */
  Type: number;
  /** The size of the value's full name in bytes (UTF-16). */
  NameLength: number;
  /** The value's name, cut to what fits after STATUS_BUFFER_OVERFLOW. */
  Name: string;
}
/** `KEY_VALUE_FULL_INFORMATION`; `Data` is partial bytes after STATUS_BUFFER_OVERFLOW. */
export interface KEY_VALUE_FULL_INFORMATION {
  /** Always 0 (device and intermediate drivers ignore it). */
  TitleIndex: number;
  /** The value's `REG_*` type. */
  Type: number;
  /** The byte offset of the data from the start of the structure. */
  DataOffset: number;
  /** The data's size in bytes as Windows counts it (UTF-16 strings with their NULs). */
  DataLength: number;
  /** The size of the value's full name in bytes (UTF-16). */
  NameLength: number;
  /** The value's name, cut to what fits after STATUS_BUFFER_OVERFLOW. */
  Name: string;
  /** The value's data. */
  Data: RegData;
}
/** `KEY_VALUE_PARTIAL_INFORMATION`; `Data` is partial bytes after STATUS_BUFFER_OVERFLOW. */
export interface KEY_VALUE_PARTIAL_INFORMATION {
  /** Always 0 (device and intermediate drivers ignore it). */
  TitleIndex: number;
  /** The value's `REG_*` type. */
  Type: number;
  /** The data's size in bytes as Windows counts it (UTF-16 strings with their NULs). */
  DataLength: number;
  /** The value's data. */
  Data: RegData;
}
/**
 * `KEY_VALUE_PARTIAL_INFORMATION_ALIGN64` (KeyValuePartialInformationAlign64): the partial
 * information without TitleIndex, its data at offset 8.
 */
export interface KEY_VALUE_PARTIAL_INFORMATION_ALIGN64 {
  /** The value's `REG_*` type. */
  Type: number;
  /** The data's size in bytes as Windows counts it (UTF-16 strings with their NULs). */
  DataLength: number;
  /** The value's data; partial bytes after STATUS_BUFFER_OVERFLOW. */
  Data: RegData;
}
/** Any KEY_VALUE_*_INFORMATION. */
export type KeyValueInformation =
  | KEY_VALUE_BASIC_INFORMATION
  | KEY_VALUE_FULL_INFORMATION
  | KEY_VALUE_PARTIAL_INFORMATION
  | KEY_VALUE_PARTIAL_INFORMATION_ALIGN64;

/** `KEY_BASIC_INFORMATION`. */
export interface KEY_BASIC_INFORMATION {
  /** The key's last write time, a FILETIME (100 ns units since 1601). */
  LastWriteTime: bigint;
  /** Always 0 (device and intermediate drivers ignore it). */
  TitleIndex: number;
  /** The size of the key's name in bytes (UTF-16). */
  NameLength: number;
  /** The key's name (its last path component). */
  Name: string;
}
/** `KEY_NODE_INFORMATION`. */
export interface KEY_NODE_INFORMATION {
  /** The key's last write time, a FILETIME (100 ns units since 1601). */
  LastWriteTime: bigint;
  /** Always 0 (device and intermediate drivers ignore it). */
  TitleIndex: number;
  /** The byte offset of `Class` in the buffer, 0xFFFFFFFF when the key has no class. */
  ClassOffset: number;
  /** The size of the key's class name in bytes (UTF-16). */
  ClassLength: number;
  /** The size of the key's name in bytes (UTF-16). */
  NameLength: number;
  /** The key's name (its last path component). */
  Name: string;
  /** The key's class name (`Class` given to ZwCreateKey), empty when none. */
  Class: string;
}
/** `KEY_FULL_INFORMATION`. */
export interface KEY_FULL_INFORMATION {
  /** The key's last write time, a FILETIME (100 ns units since 1601). */
  LastWriteTime: bigint;
  /** Always 0 (device and intermediate drivers ignore it). */
  TitleIndex: number;
  /** The byte offset of `Class` in the buffer, 0xFFFFFFFF when the key has no class. */
  ClassOffset: number;
  /** The size of the key's class name in bytes (UTF-16). */
  ClassLength: number;
  /** The number of subkeys. */
  SubKeys: number;
  /** The size of the longest subkey name in bytes. */
  MaxNameLen: number;
  /** The size of the longest subkey class name in bytes. */
  MaxClassLen: number;
  /** The number of values. */
  Values: number;
  /** The size of the longest value name in bytes. */
  MaxValueNameLen: number;
  /** The size of the largest value's data in bytes. */
  MaxValueDataLen: number;
  /** The key's class name (`Class` given to ZwCreateKey), empty when none. */
  Class: string;
}
/** `KEY_NAME_INFORMATION` (KeyNameInformation, 3): the key's full kernel path. */
export interface KEY_NAME_INFORMATION {
  /** The size of `Name` in bytes (UTF-16). */
  NameLength: number;
  /** The key's full kernel path, e.g. `\Registry\Machine\System\...`. */
  Name: string;
}
/**
 * `KEY_CACHED_INFORMATION` (KeyCachedInformation, 4): the key's counts and the length of its name,
 * without the name; the structure is 40 bytes.
 */
export interface KEY_CACHED_INFORMATION {
  /** The key's last write time, a FILETIME (100 ns units since 1601). */
  LastWriteTime: bigint;
  /** Always 0 (device and intermediate drivers ignore it). */
  TitleIndex: number;
  /** The number of subkeys. */
  SubKeys: number;
  /** The size of the longest subkey name in bytes. */
  MaxNameLen: number;
  /** The number of values. */
  Values: number;
  /** The size of the longest value name in bytes. */
  MaxValueNameLen: number;
  /** The size of the largest value's data in bytes. */
  MaxValueDataLen: number;
  /** The size of the key's name in bytes (UTF-16). */
  NameLength: number;
}
/** Any KEY_*_INFORMATION. */
export type KeyInformation =
  | KEY_BASIC_INFORMATION
  | KEY_NODE_INFORMATION
  | KEY_FULL_INFORMATION
  | KEY_NAME_INFORMATION
  | KEY_CACHED_INFORMATION;

/** `KeyValuePartialInformationAlign64` (4), a KEY_VALUE_INFORMATION_CLASS. */
export const KeyValuePartialInformationAlign64 = 4;

const VALUE_CLASSES = new Set([
  KeyValueBasicInformation,
  KeyValueFullInformation,
  KeyValuePartialInformation,
  KeyValuePartialInformationAlign64,
]);
const KEY_CLASSES = new Set([KeyBasicInformation, KeyNodeInformation, KeyFullInformation]);

/** `KeyNameInformation` (3), a KEY_INFORMATION_CLASS. */
export const KeyNameInformation = 3;
/** `KeyCachedInformation` (4), a KEY_INFORMATION_CLASS (ZwQueryKey). */
export const KeyCachedInformation = 4;

/** The trees drivers must not open directly ("Plug and Play Registry Routines"). */
const PNP_TREES =
  /^\\REGISTRY\\MACHINE\\SYSTEM\\(CurrentControlSet|ControlSet\d{3})\\(Enum|Control\\Class|Control\\DeviceClasses|Hardware Profiles)(\\|$)/i;

/** FILETIME of the simulated clock's zero: 2026-01-01T00:00:00Z. Each clock tick is one second. */
const FILETIME_BASE = 134116992000000000n;
/** A key's last-write time as a FILETIME. */
export function lastWriteTime(node: KeyNode): bigint {
  return FILETIME_BASE + BigInt(node.lastWrite) * 10_000_000n;
}

// ---- Access ----------------------------------------------------------------------------------------

/** Maps GENERIC_* rights to the key rights they stand for (the key object type's generic mapping). */
export function mapKeyAccess(desired: number): number {
  let mask = desired & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL) >>> 0;
  if (desired & GENERIC_READ) mask |= KEY_READ;
  if (desired & GENERIC_WRITE) mask |= KEY_WRITE;
  if (desired & GENERIC_EXECUTE) mask |= KEY_EXECUTE;
  if (desired & GENERIC_ALL) mask |= KEY_ALL_ACCESS;
  return mask >>> 0;
}

/**
 * A routine's 32-bit ULONG argument, or undefined when the value cannot be one (not a number, not an
 * integer, outside 32 bits). Negative 32-bit integers, as `~MASK` gives them, wrap as in C.
 */
export function ulongArgument(value: unknown): number | undefined {
  if (typeof value !== "number" || !Number.isInteger(value)) return undefined;
  if (value < -0x80000000 || value > 0xffffffff) return undefined;
  return value >>> 0;
}

/** Whether an optional ULONG argument is left out or is a ULONG. */
function optionalUlong(value: unknown): boolean {
  return value === undefined || ulongArgument(value) !== undefined;
}

/** A checked optional buffer Length as the ULONG it is (undefined: a buffer as large as needed). */
function bufferLength(Length: number | undefined): number | undefined {
  return Length === undefined ? undefined : ulongArgument(Length);
}

/**
 * The access check against a key's security: the granted mask, STATUS_ACCESS_DENIED when a right
 * asked for is not one the key allows, or STATUS_INVALID_PARAMETER when DesiredAccess is not an
 * ACCESS_MASK. MAXIMUM_ALLOWED adds every right the security allows, but does not excuse a right
 * asked for explicitly: that one must still be grantable (SeAccessCheck grants access only when
 * every requested right is granted).
 */
export function accessCheck(
  node: KeyNode,
  desired: unknown,
): { granted: number } | { status: number } {
  const asked = ulongArgument(desired);
  if (asked === undefined) return { status: STATUS_INVALID_PARAMETER };
  // The KEY_WOW64_* flags pick a view and are not checked or granted: READ_CONTROL with either or
  // both opens \Registry\Machine\Software and grants READ_CONTROL alone (ReactOS apitests
  // ntdll/NtCreateKey.c (Windows results)).
  const mask = (asked & ~(KEY_WOW64_32KEY | KEY_WOW64_64KEY)) >>> 0;
  const mapped = mapKeyAccess(mask);
  const explicit = (mapped & ~MAXIMUM_ALLOWED) >>> 0;
  if ((explicit & ~node.allowed) !== 0) return { status: STATUS_ACCESS_DENIED };
  return { granted: (mapped & MAXIMUM_ALLOWED ? node.allowed | explicit : explicit) >>> 0 };
}

/** The key rights by name, in winnt.h order: what a finding names when a handle lacks one. */
const KEY_RIGHT_NAMES: readonly (readonly [number, string])[] = [
  [KEY_QUERY_VALUE, "KEY_QUERY_VALUE"],
  [KEY_SET_VALUE, "KEY_SET_VALUE"],
  [KEY_CREATE_SUB_KEY, "KEY_CREATE_SUB_KEY"],
  [KEY_ENUMERATE_SUB_KEYS, "KEY_ENUMERATE_SUB_KEYS"],
  [KEY_NOTIFY, "KEY_NOTIFY"],
  [KEY_CREATE_LINK, "KEY_CREATE_LINK"],
  [DELETE, "DELETE"],
];

/** The masks drivers usually ask for, named as they wrote them. */
const KEY_MASK_NAMES: Readonly<Record<number, string>> = {
  [KEY_ALL_ACCESS]: "KEY_ALL_ACCESS",
  [(KEY_READ | KEY_WRITE) >>> 0]: "KEY_READ | KEY_WRITE",
  [KEY_READ]: "KEY_READ",
  [KEY_WRITE]: "KEY_WRITE",
};

/** An access mask as WDK names: `KEY_READ`, or the key rights it holds joined with `|`. */
export function keyAccessText(mask: number): string {
  const named = KEY_MASK_NAMES[mask >>> 0];
  if (named) return named;
  const rights = KEY_RIGHT_NAMES.filter(([bit]) => (mask & bit) !== 0).map(([, n]) => n);
  return rights.length > 0 ? rights.join(" | ") : "no key rights";
}

/**
 * Looks up a key handle for the running caller. A handle of another process's table, or a kernel
 * handle used from user mode, is STATUS_INVALID_HANDLE; a handle to a deleted key is
 * STATUS_KEY_DELETED (unless `allowDeleted`). A handle without the `required` access is
 * STATUS_ACCESS_DENIED only for a caller whose previous mode is UserMode: the routine references
 * the handle with ObReferenceObjectByHandle(..., PreviousMode), and that routine compares granted
 * with requested access only for UserMode. A kernel-mode caller (a driver's Zw call) goes through,
 * and the verifier reports the right the handle lacks (KeyHandleAccess).
 */
export function referenceKey(
  sys: System,
  handle: unknown,
  required: number,
  routine: string,
  allowDeleted = false,
): { entry: HandleEntry<KeyNode> } | { status: number } {
  const entry = sys.keyHandles.get(handle);
  if (!entry) {
    if (sys.caller.driver && sys.keyHandles.wasClosed(handle)) {
      sys.violate(
        "ZwRegistryOpen",
        `${sys.caller.name} used key handle ${handle} after closing it`,
      );
    }
    return { status: STATUS_INVALID_HANDLE };
  }
  const userMode = sys.caller.previousMode === "UserMode";
  // A process handle works only in the process whose table holds it (ZwClose, "Object Handles");
  // a kernel handle only with previous mode KernelMode (OBJ_KERNEL_HANDLE).
  if (entry.kernel ? userMode : entry.process !== sys.caller.process) {
    return { status: STATUS_INVALID_HANDLE };
  }
  const missing = (required & ~entry.granted) >>> 0;
  if (missing !== 0) {
    if (userMode) return { status: STATUS_ACCESS_DENIED };
    reportMissingAccess(sys, handle, entry, missing, routine);
  }
  if (entry.object.deleted && !allowDeleted) return { status: STATUS_KEY_DELETED };
  return { entry };
}

/** The KeyHandleAccess finding: the right a kernel-mode call used without having asked for it. */
function reportMissingAccess(
  sys: System,
  handle: unknown,
  entry: HandleEntry<KeyNode>,
  missing: number,
  routine: string,
): void {
  sys.violate(
    "KeyHandleAccess",
    `${sys.caller.name} called ${routine} on key handle ${handle} (${
      sys.hive.friendly(entry.object)
    }), which ${entry.routine} opened with ${keyAccessText(entry.granted)}: it lacks ${
      keyAccessText(missing)
    }. Windows let the call through because a driver's Zw call runs with previous mode KernelMode, and ObReferenceObjectByHandle compares granted with requested access only for UserMode; the same call from an application fails with STATUS_ACCESS_DENIED. Open the key with ${
      keyAccessText(missing)
    } (Plug and Play Registry Routines: specify the minimum rights necessary, and no fewer)`,
  );
}

// ---- Paths ---------------------------------------------------------------------------------------------

interface Target {
  start: KeyNode;
  components: string[];
  root: HandleEntry<KeyNode> | null;
  attributes: number;
}

function resolveObjectAttributes(
  sys: System,
  objectAttributes: OBJECT_ATTRIBUTES | string,
): Target | { status: number } {
  const oa = typeof objectAttributes === "string"
    ? { ObjectName: objectAttributes }
    : objectAttributes;
  if (!oa || typeof oa.ObjectName !== "string") return { status: STATUS_OBJECT_NAME_INVALID };
  const attributes = oa.Attributes === undefined ? 0 : ulongArgument(oa.Attributes);
  if (attributes === undefined) return { status: STATUS_INVALID_PARAMETER };
  if (oa.RootDirectory) {
    const r = referenceKey(sys, oa.RootDirectory, 0, "ZwOpenKey");
    if ("status" in r) return r;
    if (oa.ObjectName.startsWith("\\")) return { status: STATUS_OBJECT_PATH_SYNTAX_BAD };
    return {
      start: r.entry.object,
      components: splitPath(oa.ObjectName),
      root: r.entry,
      attributes,
    };
  }
  const name = toKernelPath(oa.ObjectName);
  if (!name.startsWith("\\")) return { status: STATUS_OBJECT_PATH_SYNTAX_BAD };
  if (name === "\\") return { status: STATUS_OBJECT_TYPE_MISMATCH };
  if (name.startsWith("\\\\")) return { status: STATUS_OBJECT_NAME_INVALID };
  const components = splitPath(name);
  if (components[0]?.toUpperCase() !== "REGISTRY") {
    // The path names another object (a device, a directory): it exists, but is no key.
    if ("type" in sys.io.namespace.lookup(name)) return { status: STATUS_OBJECT_TYPE_MISMATCH };
    return {
      status: components.length > 1 ? STATUS_OBJECT_PATH_NOT_FOUND : STATUS_OBJECT_NAME_NOT_FOUND,
    };
  }
  return { start: sys.hive.root, components: components.slice(1), root: null, attributes };
}

function openHandle(
  sys: System,
  node: KeyNode,
  granted: number,
  attributes: number,
  routine: string,
): Handle {
  const caller = sys.caller;
  if (caller.driver && (attributes & OBJ_KERNEL_HANDLE) === 0) {
    sys.violate(
      "ObjKernelHandle",
      `${caller.name} opened ${
        sys.hive.friendly(node)
      } without OBJ_KERNEL_HANDLE: the handle works only in process '${caller.process}'`,
    );
  }
  if (caller.driver && routine.startsWith("Zw") && PNP_TREES.test(node.path)) {
    sys.violate(
      "PnpRegistryDirectAccess",
      `${caller.name} opened ${
        sys.hive.friendly(node)
      } directly; drivers use IoOpenDeviceRegistryKey and IoOpenDeviceInterfaceRegistryKey`,
    );
  }
  return sys.keyHandles.open({
    object: node,
    granted,
    kernel: (attributes & OBJ_KERNEL_HANDLE) !== 0,
    process: caller.process,
    openedBy: caller.name,
    driver: caller.driver,
    routine,
  });
}

/** Opens a key node the system already found, giving the running caller a handle (used by the PnP routines). */
export function openKeyNode(
  sys: System,
  node: KeyNode,
  desiredAccess: number,
  routine: string,
): { status: number; keyHandle?: Handle } {
  const check = accessCheck(node, desiredAccess);
  if ("status" in check) {
    if (
      check.status === STATUS_ACCESS_DENIED &&
      (mapKeyAccess(desiredAccess) & KEY_ALL_ACCESS) === KEY_ALL_ACCESS
    ) {
      sys.violate(
        "PnpKeyAllAccess",
        `${sys.caller.name} asked ${routine} for KEY_ALL_ACCESS; PnP keys grant KEY_READ | KEY_WRITE`,
      );
    }
    return { status: check.status };
  }
  return {
    status: STATUS_SUCCESS,
    keyHandle: openHandle(sys, node, check.granted, OBJ_KERNEL_HANDLE, routine),
  };
}

// ---- Routines --------------------------------------------------------------------------------------

/** `ZwCreateKey`: opens a key, or creates it as a direct child of an existing key. */
export function ZwCreateKey(
  sys: System,
  DesiredAccess: number,
  ObjectAttributes: OBJECT_ATTRIBUTES | string,
  TitleIndex: number,
  Class: string | null | undefined,
  CreateOptions: number,
): { status: number; keyHandle?: Handle; disposition?: number } {
  const options = ulongArgument(CreateOptions);
  if (
    ulongArgument(DesiredAccess) === undefined || !optionalUlong(TitleIndex) ||
    options === undefined || (options & ~0xf) !== 0 ||
    (Class !== null && Class !== undefined && typeof Class !== "string")
  ) {
    return { status: STATUS_INVALID_PARAMETER };
  }
  const t = resolveObjectAttributes(sys, ObjectAttributes);
  if ("status" in t) return t;
  if (t.components.some((c) => c.length > MAX_KEY_NAME_LENGTH)) {
    return { status: STATUS_INVALID_PARAMETER };
  }
  // REG_OPTION_CREATE_LINK names the link itself: an existing link is a collision even when its
  // target cannot be opened (Wine ntdll/tests/reg.c test_symlinks (run on Windows): a link with a
  // relative target gives STATUS_OBJECT_NAME_COLLISION).
  const openLink = (t.attributes & OBJ_OPENLINK) !== 0 ||
    (options & (REG_OPTION_OPEN_LINK | REG_OPTION_CREATE_LINK)) !== 0;
  const r = sys.hive.walk(t.start, t.components, openLink);
  if ("error" in r) {
    return { status: r.error === "loop" ? STATUS_NAME_TOO_LONG : STATUS_OBJECT_NAME_NOT_FOUND };
  }
  if ("found" in r) {
    if (options & REG_OPTION_CREATE_LINK) return { status: STATUS_OBJECT_NAME_COLLISION };
    const check = accessCheck(r.found, DesiredAccess);
    if ("status" in check) return check;
    return {
      status: STATUS_SUCCESS,
      keyHandle: openHandle(sys, r.found, check.granted, t.attributes, "ZwCreateKey"),
      disposition: REG_OPENED_EXISTING_KEY,
    };
  }
  const { parent, name, rest } = r.missing;
  // "The new key must be a direct child of the key RootDirectory or the path names" (ZwCreateKey):
  // a missing intermediate key is not created.
  if (rest.length > 0) return { status: STATUS_OBJECT_NAME_NOT_FOUND };
  if (keyDepth(parent) + 1 > MAX_KEY_DEPTH) return { status: STATUS_INVALID_PARAMETER };
  // The parent key's security decides; the RootDirectory handle's granted access is not checked,
  // in either previous mode (Wine's advapi32 test_reg_create_key, run on Windows: every version
  // ignores the access rights of the parent handle).
  if ((parent.allowed & KEY_CREATE_SUB_KEY) === 0) return { status: STATUS_ACCESS_DENIED };
  const volatile = (options & REG_OPTION_VOLATILE) !== 0;
  if (parent.volatile && !volatile) return { status: STATUS_CHILD_MUST_BE_VOLATILE };
  // A new key inherits its parent's security.
  const check = accessCheck(parent, DesiredAccess);
  if ("status" in check) return check;
  const node = sys.hive.createChild(parent, name, volatile, Class ?? "");
  node.allowed = parent.allowed;
  if (options & REG_OPTION_CREATE_LINK) node.link = "";
  return {
    status: STATUS_SUCCESS,
    keyHandle: openHandle(sys, node, check.granted, t.attributes, "ZwCreateKey"),
    disposition: REG_CREATED_NEW_KEY,
  };
}

/** `ZwOpenKey`: opens an existing key. */
export function ZwOpenKey(
  sys: System,
  DesiredAccess: number,
  ObjectAttributes: OBJECT_ATTRIBUTES | string,
): { status: number; keyHandle?: Handle } {
  if (ulongArgument(DesiredAccess) === undefined) return { status: STATUS_INVALID_PARAMETER };
  const t = resolveObjectAttributes(sys, ObjectAttributes);
  if ("status" in t) return t;
  const r = sys.hive.walk(t.start, t.components, (t.attributes & OBJ_OPENLINK) !== 0);
  if ("error" in r) {
    return { status: r.error === "loop" ? STATUS_NAME_TOO_LONG : STATUS_OBJECT_NAME_NOT_FOUND };
  }
  if ("missing" in r) return { status: STATUS_OBJECT_NAME_NOT_FOUND };
  const check = accessCheck(r.found, DesiredAccess);
  if ("status" in check) return check;
  return {
    status: STATUS_SUCCESS,
    keyHandle: openHandle(sys, r.found, check.granted, t.attributes, "ZwOpenKey"),
  };
}

function valueName(name: unknown): string | undefined {
  if (name === null || name === undefined) return "";
  if (typeof name !== "string" || name.length > MAX_VALUE_NAME_LENGTH) return undefined;
  return name.endsWith("\0") ? name.replace(/\0+$/, "") : name;
}

/**
 * `ZwSetValueKey`: creates or replaces a value; needs KEY_SET_VALUE. DataSize, when given, is the
 * number of bytes stored; more than a value may have is STATUS_INSUFFICIENT_RESOURCES.
 */
export function ZwSetValueKey(
  sys: System,
  KeyHandle: unknown,
  ValueName: string | null | undefined,
  TitleIndex: number,
  Type: number,
  Data: unknown,
  DataSize?: number,
): number {
  const r = referenceKey(sys, KeyHandle, KEY_SET_VALUE, "ZwSetValueKey");
  if ("status" in r) return r.status;
  const name = valueName(ValueName);
  if (name === undefined || !optionalUlong(TitleIndex)) return STATUS_INVALID_PARAMETER;
  if (!Number.isInteger(Type) || Type < 0 || Type > 0xffffffff) return STATUS_INVALID_PARAMETER;
  if (DataSize !== undefined) {
    if (typeof DataSize !== "number" || !Number.isInteger(DataSize) || DataSize < 0) {
      return STATUS_INVALID_PARAMETER;
    }
    if (DataSize > MAX_VALUE_DATA_SIZE) return STATUS_INSUFFICIENT_RESOURCES;
  }
  const node = r.entry.object;
  if (node.link !== null) {
    // A link key (opened with OBJ_OPENLINK) holds only its target (test_symlinks in Wine's reg.c).
    if (name.toUpperCase() !== "SYMBOLICLINKVALUE" || Type !== REG_LINK) {
      return STATUS_ACCESS_DENIED;
    }
  }
  let value: RegValue;
  if (Data === null || Data === undefined) {
    // No data and no size stores a value of 0 bytes, of any type (Wine's test_NtQueryValueKey
    // "custtest": NtSetValueKey(key, name, 0, 0xff00ff00, NULL, 0) on Windows). A size with no data
    // has nothing to read from [infer].
    if (DataSize !== undefined && DataSize !== 0) return STATUS_INVALID_PARAMETER;
    const raw = new Uint8Array(0);
    value = { name, type: Type, data: decodeData(Type, raw), raw };
  } else {
    const n = normalizeData(Type, Data, DataSize);
    if (!n.value) return STATUS_INVALID_PARAMETER;
    value = n.value.raw
      ? { name, type: Type, data: n.value.data, raw: n.value.raw }
      : { name, type: Type, data: n.value.data };
  }
  sys.hive.setValue(node, value);
  if (node.link !== null) node.link = linkTarget(valueBytes(value));
  return STATUS_SUCCESS;
}

function linkTarget(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    s += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  }
  return s;
}

const align4 = (n: number) => (n + 3) & ~3;

/**
 * Builds a KEY_VALUE_*_INFORMATION for `length` bytes of buffer: below the fixed header,
 * STATUS_BUFFER_TOO_SMALL with nothing; below the full size, STATUS_BUFFER_OVERFLOW with the header
 * and what fits; `resultLength` is always the full size (Wine's test_NtQueryValueKey, run on Windows).
 */
export function valueInformation(
  value: RegValue,
  infoClass: number,
  length: number | undefined,
): { status: number; keyValueInformation?: KeyValueInformation; resultLength: number } {
  const nameBytes = value.name.length * 2;
  const dataLength = valueSize(value);
  const room = length ?? Number.POSITIVE_INFINITY;
  let fixed: number;
  let total: number;
  let dataOffset = 0;
  switch (infoClass) {
    case KeyValueBasicInformation:
      fixed = 12;
      total = 12 + nameBytes;
      break;
    case KeyValueFullInformation:
      fixed = 20;
      dataOffset = dataLength > 0 ? align4(20 + nameBytes) : 0xffffffff;
      total = dataLength > 0 ? dataOffset + dataLength : 20 + nameBytes;
      break;
    case KeyValuePartialInformation:
      fixed = 12;
      total = 12 + dataLength;
      break;
    case KeyValuePartialInformationAlign64:
      // No TitleIndex: the data starts at 8 (Wine ntdll/tests/reg.c test_NtQueryValueKey (run on
      // Windows): 8 bytes is STATUS_BUFFER_OVERFLOW with Type and DataLength, 8 + 4 is the length).
      fixed = 8;
      total = 8 + dataLength;
      break;
    default:
      return { status: STATUS_INVALID_PARAMETER, resultLength: 0 };
  }
  if (room < fixed) return { status: STATUS_BUFFER_TOO_SMALL, resultLength: total };
  const fits = room >= total;
  const partialName = fits
    ? value.name
    : value.name.slice(0, Math.max(0, Math.floor((room - fixed) / 2)));
  // The caller's buffer is its own: a string list or bytes it changes must not change the key.
  const own = (d: RegData): RegData =>
    Array.isArray(d) ? [...d] : d instanceof Uint8Array ? d.slice() : d;
  const data = (start: number): RegData =>
    fits
      ? own(value.data)
      : valueBytes(value).slice(0, Math.max(0, Math.min(dataLength, room - start)));
  let info: KeyValueInformation;
  if (infoClass === KeyValueBasicInformation) {
    info = { TitleIndex: 0, Type: value.type, NameLength: nameBytes, Name: partialName };
  } else if (infoClass === KeyValueFullInformation) {
    info = {
      TitleIndex: 0,
      Type: value.type,
      DataOffset: dataOffset,
      DataLength: dataLength,
      NameLength: nameBytes,
      Name: partialName,
      Data: dataLength > 0 ? data(dataOffset) : own(value.data),
    };
  } else if (infoClass === KeyValuePartialInformationAlign64) {
    info = { Type: value.type, DataLength: dataLength, Data: data(8) };
  } else {
    info = { TitleIndex: 0, Type: value.type, DataLength: dataLength, Data: data(12) };
  }
  return {
    status: fits ? STATUS_SUCCESS : STATUS_BUFFER_OVERFLOW,
    keyValueInformation: info,
    resultLength: total,
  };
}

/** Builds a KEY_*_INFORMATION with the same buffer rules as `valueInformation`. */
export function keyInformation(
  node: KeyNode,
  infoClass: number,
  length: number | undefined,
): { status: number; keyInformation?: KeyInformation; resultLength: number } {
  const room = length ?? Number.POSITIVE_INFINITY;
  const nameBytes = node.name.length * 2;
  const classBytes = node.className.length * 2;
  let fixed: number;
  let total: number;
  let info: KeyInformation;
  const LastWriteTime = lastWriteTime(node);
  switch (infoClass) {
    case KeyBasicInformation:
      fixed = 16;
      total = 16 + nameBytes;
      info = { LastWriteTime, TitleIndex: 0, NameLength: nameBytes, Name: node.name };
      break;
    case KeyNodeInformation:
      fixed = 24;
      total = 24 + nameBytes + classBytes;
      info = {
        LastWriteTime,
        TitleIndex: 0,
        ClassOffset: classBytes ? 24 + nameBytes : 0xffffffff,
        ClassLength: classBytes,
        NameLength: nameBytes,
        Name: node.name,
        Class: node.className,
      };
      break;
    case KeyFullInformation: {
      fixed = 44;
      total = 44 + classBytes;
      const children = node.sortedChildren();
      const values = node.valueList();
      info = {
        LastWriteTime,
        TitleIndex: 0,
        ClassOffset: classBytes ? 44 : 0xffffffff,
        ClassLength: classBytes,
        SubKeys: children.length,
        MaxNameLen: Math.max(0, ...children.map((c) => c.name.length * 2)),
        MaxClassLen: Math.max(0, ...children.map((c) => c.className.length * 2)),
        Values: values.length,
        MaxValueNameLen: Math.max(0, ...values.map((v) => v.name.length * 2)),
        MaxValueDataLen: Math.max(0, ...values.map((v) => valueSize(v))),
        Class: node.className,
      };
      break;
    }
    case KeyCachedInformation: {
      // The counts without the name: 40 bytes however long the name (Wine ntdll/tests/reg.c
      // test_NtQueryKey (run on Windows): len == sizeof(KEY_CACHED_INFORMATION), NameLength 22 for
      // "test_subkey").
      fixed = 40;
      total = 40;
      const children = node.sortedChildren();
      const values = node.valueList();
      info = {
        LastWriteTime,
        TitleIndex: 0,
        SubKeys: children.length,
        MaxNameLen: Math.max(0, ...children.map((c) => c.name.length * 2)),
        Values: values.length,
        MaxValueNameLen: Math.max(0, ...values.map((v) => v.name.length * 2)),
        MaxValueDataLen: Math.max(0, ...values.map((v) => valueSize(v))),
        NameLength: nameBytes,
      };
      break;
    }
    case KeyNameInformation: {
      const path = node.path;
      fixed = 4;
      total = 4 + path.length * 2;
      info = { NameLength: path.length * 2, Name: path };
      break;
    }
    default:
      return { status: STATUS_INVALID_PARAMETER, resultLength: 0 };
  }
  if (room < fixed) return { status: STATUS_BUFFER_TOO_SMALL, resultLength: total };
  if (room < total) {
    const chars = Math.max(0, Math.floor((room - fixed) / 2));
    if ("Name" in info) info = { ...info, Name: info.Name.slice(0, chars) };
    if ("Class" in info && infoClass === KeyFullInformation) {
      info = { ...info, Class: info.Class.slice(0, chars) };
    }
    return { status: STATUS_BUFFER_OVERFLOW, keyInformation: info, resultLength: total };
  }
  return { status: STATUS_SUCCESS, keyInformation: info, resultLength: total };
}

/** `ZwQueryValueKey`: one value's information; needs KEY_QUERY_VALUE. */
export function ZwQueryValueKey(
  sys: System,
  KeyHandle: unknown,
  ValueName: string | null | undefined,
  KeyValueInformationClass: number,
  Length?: number,
): { status: number; keyValueInformation?: KeyValueInformation; resultLength?: number } {
  const r = referenceForValues(
    sys,
    KeyHandle,
    KeyValueInformationClass,
    Length,
    "ZwQueryValueKey",
  );
  if ("status" in r) return r;
  const name = valueName(ValueName);
  const value = name === undefined ? undefined : r.node.value(name);
  if (!value) return { status: STATUS_OBJECT_NAME_NOT_FOUND };
  return valueInformation(value, KeyValueInformationClass, bufferLength(Length));
}

/**
 * The checks both value readers make: KEY_QUERY_VALUE on the handle, a known information class, a
 * Length that is left out or a ULONG.
 */
function referenceForValues(
  sys: System,
  KeyHandle: unknown,
  infoClass: number,
  Length: unknown,
  routine: string,
): { node: KeyNode } | { status: number } {
  const r = referenceKey(sys, KeyHandle, KEY_QUERY_VALUE, routine);
  if ("status" in r) return r;
  if (!VALUE_CLASSES.has(infoClass) || !optionalUlong(Length)) {
    return { status: STATUS_INVALID_PARAMETER };
  }
  return { node: r.entry.object };
}

/** `ZwEnumerateValueKey`: the value at an index (creation order); needs KEY_QUERY_VALUE. */
export function ZwEnumerateValueKey(
  sys: System,
  KeyHandle: unknown,
  Index: number,
  KeyValueInformationClass: number,
  Length?: number,
): { status: number; keyValueInformation?: KeyValueInformation; resultLength?: number } {
  const r = referenceForValues(
    sys,
    KeyHandle,
    KeyValueInformationClass,
    Length,
    "ZwEnumerateValueKey",
  );
  if ("status" in r) return r;
  const index = ulongArgument(Index);
  if (index === undefined) return { status: STATUS_INVALID_PARAMETER };
  const value = r.node.valueList()[index];
  if (!value) return { status: STATUS_NO_MORE_ENTRIES };
  return valueInformation(value, KeyValueInformationClass, bufferLength(Length));
}

/** `ZwEnumerateKey`: the subkey at an index; needs KEY_ENUMERATE_SUB_KEYS. */
export function ZwEnumerateKey(
  sys: System,
  KeyHandle: unknown,
  Index: number,
  KeyInformationClass: number,
  Length?: number,
): { status: number; keyInformation?: KeyInformation; resultLength?: number } {
  const r = referenceKey(sys, KeyHandle, KEY_ENUMERATE_SUB_KEYS, "ZwEnumerateKey");
  if ("status" in r) return r;
  const index = ulongArgument(Index);
  if (!KEY_CLASSES.has(KeyInformationClass) || index === undefined || !optionalUlong(Length)) {
    return { status: STATUS_INVALID_PARAMETER };
  }
  const child = r.entry.object.sortedChildren()[index];
  if (!child) return { status: STATUS_NO_MORE_ENTRIES };
  return keyInformation(child, KeyInformationClass, bufferLength(Length));
}

/** `ZwQueryKey`: the key's own information; needs KEY_QUERY_VALUE except for KeyNameInformation. */
export function ZwQueryKey(
  sys: System,
  KeyHandle: unknown,
  KeyInformationClass: number,
  Length?: number,
): { status: number; keyInformation?: KeyInformation; resultLength?: number } {
  const r = referenceKey(
    sys,
    KeyHandle,
    KeyInformationClass === KeyNameInformation ? 0 : KEY_QUERY_VALUE,
    "ZwQueryKey",
  );
  if ("status" in r) return r;
  if (!optionalUlong(Length)) return { status: STATUS_INVALID_PARAMETER };
  return keyInformation(r.entry.object, KeyInformationClass, bufferLength(Length));
}

/**
 * `ZwDeleteKey`: deletes a key that has no subkeys; needs DELETE. Other handles to the key then see
 * STATUS_KEY_DELETED; deleting an already deleted key succeeds (Wine's test_NtDeleteKey).
 */
export function ZwDeleteKey(sys: System, KeyHandle: unknown): number {
  const r = referenceKey(sys, KeyHandle, DELETE, "ZwDeleteKey", true);
  if ("status" in r) return r.status;
  const node = r.entry.object;
  if (node.deleted) return STATUS_SUCCESS;
  if (node.noDelete || node.childCount > 0) return STATUS_CANNOT_DELETE;
  sys.hive.deleteTree(node);
  return STATUS_SUCCESS;
}

/** `ZwDeleteValueKey`: deletes a value; needs KEY_SET_VALUE. */
export function ZwDeleteValueKey(
  sys: System,
  KeyHandle: unknown,
  ValueName: string | null | undefined,
): number {
  const r = referenceKey(sys, KeyHandle, KEY_SET_VALUE, "ZwDeleteValueKey");
  if ("status" in r) return r.status;
  const name = valueName(ValueName);
  if (name === undefined || !sys.hive.deleteValue(r.entry.object, name)) {
    return STATUS_OBJECT_NAME_NOT_FOUND;
  }
  return STATUS_SUCCESS;
}

/** `ZwFlushKey`: writes the key's whole hive to the machine's hive file, if it has one. */
export function ZwFlushKey(sys: System, KeyHandle: unknown): number {
  const r = referenceKey(sys, KeyHandle, 0, "ZwFlushKey");
  if ("status" in r) return r.status;
  sys.trace.push({ kind: "reg", op: "flush", path: sys.hive.friendly(r.entry.object) });
  sys.flush();
  return STATUS_SUCCESS;
}

/** `ZwClose`: closes a key handle (a handle to a deleted key still has to be closed). */
export function ZwClose(sys: System, Handle: unknown): number {
  const r = referenceKey(sys, Handle, 0, "ZwClose", true);
  if ("status" in r) return r.status;
  sys.keyHandles.close(Handle as Handle);
  return STATUS_SUCCESS;
}

/** Reads a value's data in its JS form (for system code that already holds the node). */
export function readValue(node: KeyNode | undefined, name: string): RegData | undefined {
  return node?.value(name)?.data;
}
