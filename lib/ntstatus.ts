/**
 * NTSTATUS values the model returns, with their real values from ntstatus.h.
 *
 * One table holds every status: name, value and a one-line meaning. Code and documentation both read
 * it, and `ntStatusName` turns a number back into its WDK name.
 *
 * @module
 */

/** One row of the NTSTATUS table. */
export interface NtStatusInfo {
  /** The WDK name, e.g. `STATUS_ACCESS_DENIED`. */
  readonly name: string;
  /** The unsigned 32-bit value. */
  readonly value: number;
  /** What the status means, in one line. */
  readonly meaning: string;
}

/**
 * Every NTSTATUS the model can return. Values are the unsigned 32-bit numbers of ntstatus.h.
 *
 * @example Looking a status up
 * ```ts
 * import { NTSTATUS_TABLE } from "./ntstatus.ts";
 * import assert from "node:assert/strict";
 * const row = NTSTATUS_TABLE.find((s) => s.name === "STATUS_ACCESS_DENIED");
 * assert.equal(row?.value, 0xC0000022);
 * ```
 */
export const NTSTATUS_TABLE: readonly NtStatusInfo[] = [
  { name: "STATUS_SUCCESS", value: 0x00000000, meaning: "The operation completed successfully" },
  {
    name: "STATUS_TIMEOUT",
    value: 0x00000102,
    meaning: "The wait's timeout elapsed before the object was signaled",
  },
  { name: "STATUS_PENDING", value: 0x00000103, meaning: "The operation will complete later" },
  {
    name: "STATUS_REPARSE",
    value: 0x00000104,
    meaning: "The object name must be parsed again (a registry link was followed)",
  },
  {
    name: "STATUS_RESOURCE_REQUIREMENTS_CHANGED",
    value: 0x00000119,
    meaning: "The device's resource requirements changed; counts as success for QUERY_STOP",
  },
  {
    name: "STATUS_OBJECT_NAME_EXISTS",
    value: 0x40000000,
    meaning: "Informational: the object already existed (already registered or enabled)",
  },
  {
    name: "STATUS_BUFFER_OVERFLOW",
    value: 0x80000005,
    meaning: "Warning: the buffer was too small; partial data was returned",
  },
  {
    name: "STATUS_NO_MORE_ENTRIES",
    value: 0x8000001a,
    meaning: "Warning: the index is past the last entry",
  },
  { name: "STATUS_UNSUCCESSFUL", value: 0xc0000001, meaning: "The operation failed" },
  {
    name: "STATUS_NOT_IMPLEMENTED",
    value: 0xc0000002,
    meaning: "The requested operation is not implemented",
  },
  {
    name: "STATUS_INVALID_INFO_CLASS",
    value: 0xc0000003,
    meaning: "The information class is not valid for this call",
  },
  {
    name: "STATUS_ACCESS_VIOLATION",
    value: 0xc0000005,
    meaning: "Invalid memory access (a driver routine raised an exception)",
  },
  { name: "STATUS_INVALID_HANDLE", value: 0xc0000008, meaning: "The handle is not valid" },
  { name: "STATUS_INVALID_PARAMETER", value: 0xc000000d, meaning: "A parameter is not valid" },
  { name: "STATUS_NO_SUCH_DEVICE", value: 0xc000000e, meaning: "The device does not exist" },
  {
    name: "STATUS_INVALID_DEVICE_REQUEST",
    value: 0xc0000010,
    meaning: "The request is not valid for this device (e.g. not a PDO)",
  },
  {
    name: "STATUS_MORE_PROCESSING_REQUIRED",
    value: 0xc0000016,
    meaning: "Returned by a completion routine: stop completing the IRP, the driver will finish it",
  },
  {
    name: "STATUS_ACCESS_DENIED",
    value: 0xc0000022,
    meaning: "The caller lacks a required access right",
  },
  {
    name: "STATUS_BUFFER_TOO_SMALL",
    value: 0xc0000023,
    meaning: "The buffer is too small; nothing was written",
  },
  {
    name: "STATUS_OBJECT_TYPE_MISMATCH",
    value: 0xc0000024,
    meaning: "The object or value is of the wrong type",
  },
  {
    name: "STATUS_OBJECT_NAME_INVALID",
    value: 0xc0000033,
    meaning: "The object name is not well formed",
  },
  {
    name: "STATUS_OBJECT_NAME_NOT_FOUND",
    value: 0xc0000034,
    meaning: "The named object does not exist",
  },
  {
    name: "STATUS_OBJECT_NAME_COLLISION",
    value: 0xc0000035,
    meaning: "An object with that name already exists",
  },
  {
    name: "STATUS_OBJECT_PATH_NOT_FOUND",
    value: 0xc000003a,
    meaning: "A component of the object path does not exist",
  },
  {
    name: "STATUS_OBJECT_PATH_SYNTAX_BAD",
    value: 0xc000003b,
    meaning: "The object path is not well formed (e.g. no leading backslash)",
  },
  {
    name: "STATUS_DATA_OVERRUN",
    value: 0xc000003c,
    meaning: "The data was too large for the buffer (a REG_SZ default without data)",
  },

  {
    name: "STATUS_DELETE_PENDING",
    value: 0xc0000056,
    meaning: "The object is being deleted",
  },
  {
    name: "STATUS_INSUFFICIENT_RESOURCES",
    value: 0xc000009a,
    meaning: "Not enough resources to complete the request",
  },
  { name: "STATUS_DEVICE_NOT_READY", value: 0xc00000a3, meaning: "The device is not ready" },
  {
    name: "STATUS_NOT_SUPPORTED",
    value: 0xc00000bb,
    meaning: "The request is not supported (PnP presets every IRP with it)",
  },
  {
    name: "STATUS_INVALID_PARAMETER_1",
    value: 0xc00000ef,
    meaning: "The first parameter is not valid",
  },
  {
    name: "STATUS_INVALID_PARAMETER_2",
    value: 0xc00000f0,
    meaning: "The second parameter is not valid",
  },
  {
    name: "STATUS_NAME_TOO_LONG",
    value: 0xc0000106,
    meaning: "The name is too long (a registry link loop)",
  },
  {
    name: "STATUS_CANNOT_DELETE",
    value: 0xc0000121,
    meaning: "The object cannot be deleted",
  },
  {
    name: "STATUS_KEY_DELETED",
    value: 0xc000017c,
    meaning: "The registry key was deleted; the handle refers to a deleted key",
  },
  {
    name: "STATUS_CHILD_MUST_BE_VOLATILE",
    value: 0xc0000181,
    meaning: "A non-volatile key cannot be created under a volatile key",
  },
  {
    name: "STATUS_INVALID_DEVICE_STATE",
    value: 0xc0000184,
    meaning: "The device is not in a state that allows the request",
  },
  {
    name: "STATUS_HANDLE_NOT_CLOSABLE",
    value: 0xc0000235,
    meaning: "The handle cannot be closed by this caller",
  },
  {
    name: "STATUS_PLUGPLAY_NO_DEVICE",
    value: 0xc000025e,
    meaning: "The device is disabled or not present",
  },
  {
    name: "STATUS_DEVICE_REMOVED",
    value: 0xc00002b6,
    meaning: "The device has been removed",
  },
  {
    name: "STATUS_NOT_SAFE_MODE_DRIVER",
    value: 0xc000035f,
    meaning: "The driver was not loaded because the system is booting into safe mode",
  },
  {
    name: "STATUS_DEVICE_BUSY",
    value: 0x80000011,
    meaning: "The device is busy: a wait/wake IRP is already pending for it",
  },
  { name: "STATUS_CANCELLED", value: 0xc0000120, meaning: "The I/O request was cancelled" },
];

const byValue = new Map<number, NtStatusInfo>(NTSTATUS_TABLE.map((s) => [s.value, s]));

/**
 * `NT_SUCCESS(Status)`: true for success and informational values (severity bits 00 and 01).
 *
 * @example
 * ```ts
 * import { NT_SUCCESS, STATUS_OBJECT_NAME_EXISTS, STATUS_BUFFER_OVERFLOW } from "./ntstatus.ts";
 * import assert from "node:assert/strict";
 * assert.equal(NT_SUCCESS(STATUS_OBJECT_NAME_EXISTS), true);
 * assert.equal(NT_SUCCESS(STATUS_BUFFER_OVERFLOW), false);
 * ```
 */
export function NT_SUCCESS(status: number): boolean {
  return (status >>> 0) < 0x80000000;
}

/**
 * The WDK name of a status (`"STATUS_ACCESS_DENIED"`), or its hex form for a value outside the table.
 *
 * @example
 * ```ts
 * import { ntStatusName } from "./ntstatus.ts";
 * import assert from "node:assert/strict";
 * assert.equal(ntStatusName(0xC0000022), "STATUS_ACCESS_DENIED");
 * assert.equal(ntStatusName(0xE0000001), "0xE0000001");
 * ```
 */
export function ntStatusName(status: number): string {
  const known = byValue.get(status >>> 0);
  if (known) return known.name;
  return "0x" + (status >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

/** `STATUS_SUCCESS` (0x00000000). */
export const STATUS_SUCCESS = 0x00000000;
/** `STATUS_TIMEOUT` (0x00000102). */
export const STATUS_TIMEOUT = 0x00000102;
/** `STATUS_PENDING` (0x00000103). */
export const STATUS_PENDING = 0x00000103;
/** `STATUS_REPARSE` (0x00000104). */
export const STATUS_REPARSE = 0x00000104;
/** `STATUS_RESOURCE_REQUIREMENTS_CHANGED` (0x00000119). */
export const STATUS_RESOURCE_REQUIREMENTS_CHANGED = 0x00000119;
/** `STATUS_OBJECT_NAME_EXISTS` (0x40000000), informational. */
export const STATUS_OBJECT_NAME_EXISTS = 0x40000000;
/** `STATUS_BUFFER_OVERFLOW` (0x80000005), a warning. */
export const STATUS_BUFFER_OVERFLOW = 0x80000005;
/** `STATUS_NO_MORE_ENTRIES` (0x8000001A), a warning. */
export const STATUS_NO_MORE_ENTRIES = 0x8000001a;
/** `STATUS_UNSUCCESSFUL` (0xC0000001). */
export const STATUS_UNSUCCESSFUL = 0xc0000001;
/** `STATUS_NOT_IMPLEMENTED` (0xC0000002). */
export const STATUS_NOT_IMPLEMENTED = 0xc0000002;
/** `STATUS_INVALID_INFO_CLASS` (0xC0000003). */
export const STATUS_INVALID_INFO_CLASS = 0xc0000003;
/** `STATUS_ACCESS_VIOLATION` (0xC0000005). */
export const STATUS_ACCESS_VIOLATION = 0xc0000005;
/** `STATUS_INVALID_HANDLE` (0xC0000008). */
export const STATUS_INVALID_HANDLE = 0xc0000008;
/** `STATUS_INVALID_PARAMETER` (0xC000000D). */
export const STATUS_INVALID_PARAMETER = 0xc000000d;
/** `STATUS_NO_SUCH_DEVICE` (0xC000000E). */
export const STATUS_NO_SUCH_DEVICE = 0xc000000e;
/** `STATUS_INVALID_DEVICE_REQUEST` (0xC0000010). */
export const STATUS_INVALID_DEVICE_REQUEST = 0xc0000010;
/** `STATUS_MORE_PROCESSING_REQUIRED` (0xC0000016). */
export const STATUS_MORE_PROCESSING_REQUIRED = 0xc0000016;
/** `STATUS_ACCESS_DENIED` (0xC0000022). */
export const STATUS_ACCESS_DENIED = 0xc0000022;
/** `STATUS_BUFFER_TOO_SMALL` (0xC0000023). */
export const STATUS_BUFFER_TOO_SMALL = 0xc0000023;
/** `STATUS_OBJECT_TYPE_MISMATCH` (0xC0000024). */
export const STATUS_OBJECT_TYPE_MISMATCH = 0xc0000024;
/** `STATUS_OBJECT_NAME_INVALID` (0xC0000033). */
export const STATUS_OBJECT_NAME_INVALID = 0xc0000033;
/** `STATUS_OBJECT_NAME_NOT_FOUND` (0xC0000034). */
export const STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034;
/** `STATUS_OBJECT_NAME_COLLISION` (0xC0000035). */
export const STATUS_OBJECT_NAME_COLLISION = 0xc0000035;
/** `STATUS_OBJECT_PATH_NOT_FOUND` (0xC000003A). */
export const STATUS_OBJECT_PATH_NOT_FOUND = 0xc000003a;
/** `STATUS_OBJECT_PATH_SYNTAX_BAD` (0xC000003B). */
export const STATUS_OBJECT_PATH_SYNTAX_BAD = 0xc000003b;
/** `STATUS_DATA_OVERRUN` (0xC000003C). */
export const STATUS_DATA_OVERRUN = 0xc000003c;
/** `STATUS_DELETE_PENDING` (0xC0000056). */
export const STATUS_DELETE_PENDING = 0xc0000056;
/** `STATUS_INSUFFICIENT_RESOURCES` (0xC000009A). */
export const STATUS_INSUFFICIENT_RESOURCES = 0xc000009a;
/** `STATUS_DEVICE_NOT_READY` (0xC00000A3). */
export const STATUS_DEVICE_NOT_READY = 0xc00000a3;
/** `STATUS_NOT_SUPPORTED` (0xC00000BB). */
export const STATUS_NOT_SUPPORTED = 0xc00000bb;
/** `STATUS_INVALID_PARAMETER_1` (0xC00000EF). */
export const STATUS_INVALID_PARAMETER_1 = 0xc00000ef;
/** `STATUS_INVALID_PARAMETER_2` (0xC00000F0). */
export const STATUS_INVALID_PARAMETER_2 = 0xc00000f0;
/** `STATUS_NAME_TOO_LONG` (0xC0000106). */
export const STATUS_NAME_TOO_LONG = 0xc0000106;
/** `STATUS_CANNOT_DELETE` (0xC0000121). */
export const STATUS_CANNOT_DELETE = 0xc0000121;
/** `STATUS_KEY_DELETED` (0xC000017C). */
export const STATUS_KEY_DELETED = 0xc000017c;
/** `STATUS_CHILD_MUST_BE_VOLATILE` (0xC0000181). */
export const STATUS_CHILD_MUST_BE_VOLATILE = 0xc0000181;
/** `STATUS_INVALID_DEVICE_STATE` (0xC0000184). */
export const STATUS_INVALID_DEVICE_STATE = 0xc0000184;
/** `STATUS_HANDLE_NOT_CLOSABLE` (0xC0000235). */
export const STATUS_HANDLE_NOT_CLOSABLE = 0xc0000235;
/** `STATUS_PLUGPLAY_NO_DEVICE` (0xC000025E). */
export const STATUS_PLUGPLAY_NO_DEVICE = 0xc000025e;
/** `STATUS_DEVICE_REMOVED` (0xC00002B6). */
export const STATUS_DEVICE_REMOVED = 0xc00002b6;
/** `STATUS_NOT_SAFE_MODE_DRIVER` (0xC000035F). */
export const STATUS_NOT_SAFE_MODE_DRIVER = 0xc000035f;
/** `STATUS_DEVICE_BUSY` (0x80000011), a warning. */
export const STATUS_DEVICE_BUSY = 0x80000011;
/** `STATUS_CANCELLED` (0xC0000120). */
export const STATUS_CANCELLED = 0xc0000120;
