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
  // Further statuses of ntstatus.h that the WDK documents for kernel routines and that drivers
  // return (values as ntstatus.h has them). The model names them so a trace never shows a bare number.
  {
    name: "STATUS_WAIT_1",
    value: 0x00000001,
    meaning: "A wait on several objects ended because the second (index 1) was signaled",
  },
  {
    name: "STATUS_WAIT_2",
    value: 0x00000002,
    meaning: "A wait on several objects ended because the object at index 2 was signaled",
  },
  {
    name: "STATUS_WAIT_3",
    value: 0x00000003,
    meaning: "A wait on several objects ended because the object at index 3 was signaled",
  },
  {
    name: "STATUS_WAIT_63",
    value: 0x0000003f,
    meaning: "A wait on several objects ended because the object at index 63 was signaled",
  },
  {
    name: "STATUS_ABANDONED",
    value: 0x00000080,
    meaning: "The mutex waited on was abandoned by its owner (STATUS_ABANDONED_WAIT_0)",
  },
  {
    name: "STATUS_ABANDONED_WAIT_63",
    value: 0x000000bf,
    meaning: "The mutex at index 63 was abandoned by its owner",
  },
  {
    name: "STATUS_USER_APC",
    value: 0x000000c0,
    meaning: "The wait ended because a user-mode APC was delivered",
  },
  {
    name: "STATUS_KERNEL_APC",
    value: 0x00000100,
    meaning: "A kernel APC was delivered during the wait",
  },
  {
    name: "STATUS_ALERTED",
    value: 0x00000101,
    meaning: "The wait ended because the thread was alerted",
  },
  {
    name: "STATUS_MORE_ENTRIES",
    value: 0x00000105,
    meaning: "More entries are available than fit in the buffer",
  },
  {
    name: "STATUS_NOT_ALL_ASSIGNED",
    value: 0x00000106,
    meaning: "Not every privilege or group asked for was assigned",
  },
  {
    name: "STATUS_SOME_NOT_MAPPED",
    value: 0x00000107,
    meaning: "Some of the information could not be translated",
  },
  {
    name: "STATUS_NOTIFY_CLEANUP",
    value: 0x0000010b,
    meaning: "The notify request ended because its handle was closed",
  },
  {
    name: "STATUS_NOTIFY_ENUM_DIR",
    value: 0x0000010c,
    meaning: "The notify change request completed without the changes being returned",
  },
  {
    name: "STATUS_THREAD_WAS_SUSPENDED",
    value: 0x40000001,
    meaning: "Informational: the thread was already suspended",
  },
  {
    name: "STATUS_SERIAL_MORE_WRITES",
    value: 0x40000008,
    meaning: "Informational: a serial write completed and more are pending",
  },
  {
    name: "STATUS_REGISTRY_RECOVERED",
    value: 0x40000009,
    meaning: "Informational: a registry hive was recovered from its log or copy",
  },
  {
    name: "STATUS_SERIAL_COUNTER_TIMEOUT",
    value: 0x4000000c,
    meaning: "Informational: a serial I/O completed because its timeout expired",
  },
  {
    name: "STATUS_EVENT_DONE",
    value: 0x40000012,
    meaning: "Informational: the event was already set",
  },
  {
    name: "STATUS_EVENT_PENDING",
    value: 0x40000013,
    meaning: "Informational: the event was not yet set",
  },
  {
    name: "STATUS_PREDEFINED_HANDLE",
    value: 0x40000016,
    meaning: "Informational: the handle is a predefined one",
  },
  {
    name: "STATUS_WAS_UNLOCKED",
    value: 0x40000017,
    meaning: "Informational: the page was unlocked",
  },
  {
    name: "STATUS_WAS_LOCKED",
    value: 0x40000019,
    meaning: "Informational: the page was already locked",
  },
  {
    name: "STATUS_ARBITRATION_UNHANDLED",
    value: 0x40000026,
    meaning: "Informational: the arbiter left the request to the next one",
  },
  {
    name: "STATUS_CARDBUS_NOT_SUPPORTED",
    value: 0x40000027,
    meaning: "Informational: the CardBus controller is not supported",
  },
  {
    name: "STATUS_WAKE_SYSTEM",
    value: 0x40000294,
    meaning: "Informational: the system was woken by this device",
  },
  {
    name: "STATUS_GUARD_PAGE_VIOLATION",
    value: 0x80000001,
    meaning: "Warning: a guard page was touched",
  },
  {
    name: "STATUS_DATATYPE_MISALIGNMENT",
    value: 0x80000002,
    meaning: "Warning: a datum was not aligned as its type requires",
  },
  { name: "STATUS_BREAKPOINT", value: 0x80000003, meaning: "Warning: a breakpoint was reached" },
  { name: "STATUS_SINGLE_STEP", value: 0x80000004, meaning: "Warning: a single step completed" },
  { name: "STATUS_NO_MORE_FILES", value: 0x80000006, meaning: "Warning: no more files match" },
  { name: "STATUS_HANDLES_CLOSED", value: 0x8000000a, meaning: "Warning: handles were closed" },
  {
    name: "STATUS_PARTIAL_COPY",
    value: 0x8000000d,
    meaning: "Warning: only part of the data was copied",
  },
  {
    name: "STATUS_DEVICE_PAPER_EMPTY",
    value: 0x8000000e,
    meaning: "Warning: the printer is out of paper",
  },
  {
    name: "STATUS_DEVICE_POWERED_OFF",
    value: 0x8000000f,
    meaning: "Warning: the device is powered off",
  },
  { name: "STATUS_DEVICE_OFF_LINE", value: 0x80000010, meaning: "Warning: the device is off line" },
  {
    name: "STATUS_DEVICE_BUSY",
    value: 0x80000011,
    meaning: "Warning: the device is busy (retry later)",
  },
  {
    name: "STATUS_VERIFY_REQUIRED",
    value: 0x80000016,
    meaning: "Warning: the media may have changed; the volume must be verified",
  },
  { name: "STATUS_MEDIA_CHANGED", value: 0x8000001c, meaning: "Warning: the media changed" },
  {
    name: "STATUS_BUS_RESET",
    value: 0x8000001d,
    meaning: "Warning: an I/O bus reset was detected",
  },
  {
    name: "STATUS_END_OF_MEDIA",
    value: 0x8000001e,
    meaning: "Warning: the end of the media was reached",
  },
  {
    name: "STATUS_BEGINNING_OF_MEDIA",
    value: 0x8000001f,
    meaning: "Warning: the beginning of the media was reached",
  },
  {
    name: "STATUS_NO_DATA_DETECTED",
    value: 0x80000022,
    meaning: "Warning: no more data on the media",
  },
  {
    name: "STATUS_PLUGPLAY_QUERY_VETOED",
    value: 0x80000028,
    meaning: "Warning: a Plug and Play query was vetoed",
  },
  {
    name: "STATUS_DEVICE_REQUIRES_CLEANING",
    value: 0x80000288,
    meaning: "Warning: the device needs cleaning",
  },
  {
    name: "STATUS_DEVICE_DOOR_OPEN",
    value: 0x80000289,
    meaning: "Warning: the device's door is open",
  },
  {
    name: "STATUS_INFO_LENGTH_MISMATCH",
    value: 0xc0000004,
    meaning: "The buffer length does not match what the information class needs",
  },
  { name: "STATUS_IN_PAGE_ERROR", value: 0xc0000006, meaning: "A page could not be read in" },
  { name: "STATUS_TIMER_NOT_CANCELED", value: 0xc000000c, meaning: "The timer was not cancelled" },
  { name: "STATUS_NO_SUCH_FILE", value: 0xc000000f, meaning: "The file does not exist" },
  { name: "STATUS_END_OF_FILE", value: 0xc0000011, meaning: "The end of the file was reached" },
  { name: "STATUS_WRONG_VOLUME", value: 0xc0000012, meaning: "The wrong volume is in the drive" },
  {
    name: "STATUS_NO_MEDIA_IN_DEVICE",
    value: 0xc0000013,
    meaning: "There is no media in the drive",
  },
  {
    name: "STATUS_UNRECOGNIZED_MEDIA",
    value: 0xc0000014,
    meaning: "The media's format is not recognized",
  },
  { name: "STATUS_NONEXISTENT_SECTOR", value: 0xc0000015, meaning: "The sector does not exist" },
  {
    name: "STATUS_NO_MEMORY",
    value: 0xc0000017,
    meaning: "Not enough virtual memory or paging file quota",
  },
  {
    name: "STATUS_CONFLICTING_ADDRESSES",
    value: 0xc0000018,
    meaning: "The address range conflicts with another one",
  },
  {
    name: "STATUS_ILLEGAL_INSTRUCTION",
    value: 0xc000001d,
    meaning: "An illegal instruction was executed",
  },
  { name: "STATUS_NOT_LOCKED", value: 0xc000002a, meaning: "The range was not locked" },
  { name: "STATUS_PARITY_ERROR", value: 0xc000002b, meaning: "A memory parity error" },
  { name: "STATUS_NOT_COMMITTED", value: 0xc000002d, meaning: "The memory is not committed" },
  {
    name: "STATUS_INVALID_PARAMETER_MIX",
    value: 0xc0000030,
    meaning: "The combination of parameters is not valid",
  },
  {
    name: "STATUS_DISK_CORRUPT_ERROR",
    value: 0xc0000032,
    meaning: "The disk's structure is corrupt",
  },
  {
    name: "STATUS_DEVICE_ALREADY_ATTACHED",
    value: 0xc0000038,
    meaning: "A device is already attached to this one",
  },
  {
    name: "STATUS_OBJECT_PATH_INVALID",
    value: 0xc0000039,
    meaning: "The object path is not valid",
  },
  { name: "STATUS_DATA_LATE_ERROR", value: 0xc000003d, meaning: "The data arrived too late" },
  {
    name: "STATUS_DATA_ERROR",
    value: 0xc000003e,
    meaning: "A data error (cyclic redundancy check)",
  },
  { name: "STATUS_CRC_ERROR", value: 0xc000003f, meaning: "The data failed its CRC check" },
  {
    name: "STATUS_SHARING_VIOLATION",
    value: 0xc0000043,
    meaning: "The file is in use with a conflicting share access",
  },
  { name: "STATUS_QUOTA_EXCEEDED", value: 0xc0000044, meaning: "A quota was exceeded" },
  {
    name: "STATUS_MUTANT_NOT_OWNED",
    value: 0xc0000046,
    meaning: "The caller does not own the mutex it releases",
  },
  {
    name: "STATUS_SEMAPHORE_LIMIT_EXCEEDED",
    value: 0xc0000047,
    meaning: "Releasing the semaphore would exceed its limit",
  },
  { name: "STATUS_THREAD_IS_TERMINATING", value: 0xc000004b, meaning: "The thread is terminating" },
  {
    name: "STATUS_FILE_LOCK_CONFLICT",
    value: 0xc0000054,
    meaning: "A file lock conflicts with the request",
  },
  { name: "STATUS_LOCK_NOT_GRANTED", value: 0xc0000055, meaning: "The lock was not granted" },
  { name: "STATUS_NO_SUCH_PRIVILEGE", value: 0xc0000060, meaning: "The privilege does not exist" },
  {
    name: "STATUS_PRIVILEGE_NOT_HELD",
    value: 0xc0000061,
    meaning: "The caller does not hold a required privilege",
  },
  {
    name: "STATUS_INVALID_SECURITY_DESCR",
    value: 0xc0000079,
    meaning: "The security descriptor is not valid",
  },
  { name: "STATUS_PROCEDURE_NOT_FOUND", value: 0xc000007a, meaning: "The procedure was not found" },
  {
    name: "STATUS_INVALID_IMAGE_FORMAT",
    value: 0xc000007b,
    meaning: "The image is not a valid executable",
  },
  { name: "STATUS_DISK_FULL", value: 0xc000007f, meaning: "The disk is full" },
  {
    name: "STATUS_ARRAY_BOUNDS_EXCEEDED",
    value: 0xc000008c,
    meaning: "An array index was out of bounds",
  },
  {
    name: "STATUS_INTEGER_DIVIDE_BY_ZERO",
    value: 0xc0000094,
    meaning: "An integer was divided by zero",
  },
  {
    name: "STATUS_INTEGER_OVERFLOW",
    value: 0xc0000095,
    meaning: "An integer operation overflowed",
  },
  {
    name: "STATUS_PRIVILEGED_INSTRUCTION",
    value: 0xc0000096,
    meaning: "A privileged instruction was executed",
  },
  {
    name: "STATUS_FILE_INVALID",
    value: 0xc0000098,
    meaning: "The file's volume was changed; the file is no longer valid",
  },
  {
    name: "STATUS_DEVICE_DATA_ERROR",
    value: 0xc000009c,
    meaning: "The device reported a data error",
  },
  {
    name: "STATUS_DEVICE_NOT_CONNECTED",
    value: 0xc000009d,
    meaning: "The device is not connected",
  },
  { name: "STATUS_DEVICE_POWER_FAILURE", value: 0xc000009e, meaning: "The device's power failed" },
  {
    name: "STATUS_MEMORY_NOT_ALLOCATED",
    value: 0xc00000a0,
    meaning: "The memory was not allocated",
  },
  {
    name: "STATUS_MEDIA_WRITE_PROTECTED",
    value: 0xc00000a2,
    meaning: "The media is write-protected",
  },
  {
    name: "STATUS_ILLEGAL_FUNCTION",
    value: 0xc00000af,
    meaning: "The function is not valid for this device",
  },
  { name: "STATUS_IO_TIMEOUT", value: 0xc00000b5, meaning: "The I/O request timed out" },
  { name: "STATUS_FILE_FORCED_CLOSED", value: 0xc00000b6, meaning: "The file was closed by force" },
  { name: "STATUS_FILE_IS_A_DIRECTORY", value: 0xc00000ba, meaning: "The file is a directory" },
  { name: "STATUS_DEVICE_DOES_NOT_EXIST", value: 0xc00000c0, meaning: "The device does not exist" },
  {
    name: "STATUS_ADAPTER_HARDWARE_ERROR",
    value: 0xc00000c2,
    meaning: "The adapter reported a hardware error",
  },
  {
    name: "STATUS_BAD_DEVICE_TYPE",
    value: 0xc00000cb,
    meaning: "The device type is wrong for the request",
  },
  {
    name: "STATUS_NOT_SAME_DEVICE",
    value: 0xc00000d4,
    meaning: "The objects are not on the same device",
  },
  {
    name: "STATUS_CANT_WAIT",
    value: 0xc00000d8,
    meaning: "The request would have to wait, and the caller asked not to",
  },
  { name: "STATUS_INTERNAL_ERROR", value: 0xc00000e5, meaning: "An internal error" },
  {
    name: "STATUS_INVALID_USER_BUFFER",
    value: 0xc00000e8,
    meaning: "The caller's buffer is not valid",
  },
  { name: "STATUS_UNEXPECTED_IO_ERROR", value: 0xc00000e9, meaning: "An unexpected I/O error" },
  {
    name: "STATUS_INVALID_PARAMETER_3",
    value: 0xc00000f1,
    meaning: "The third parameter is not valid",
  },
  {
    name: "STATUS_INVALID_PARAMETER_4",
    value: 0xc00000f2,
    meaning: "The fourth parameter is not valid",
  },
  {
    name: "STATUS_INVALID_PARAMETER_5",
    value: 0xc00000f3,
    meaning: "The fifth parameter is not valid",
  },
  {
    name: "STATUS_INVALID_PARAMETER_6",
    value: 0xc00000f4,
    meaning: "The sixth parameter is not valid",
  },
  {
    name: "STATUS_INVALID_PARAMETER_7",
    value: 0xc00000f5,
    meaning: "The seventh parameter is not valid",
  },
  {
    name: "STATUS_INVALID_PARAMETER_8",
    value: 0xc00000f6,
    meaning: "The eighth parameter is not valid",
  },
  {
    name: "STATUS_INVALID_PARAMETER_9",
    value: 0xc00000f7,
    meaning: "The ninth parameter is not valid",
  },
  {
    name: "STATUS_INVALID_PARAMETER_10",
    value: 0xc00000f8,
    meaning: "The tenth parameter is not valid",
  },
  {
    name: "STATUS_INVALID_PARAMETER_11",
    value: 0xc00000f9,
    meaning: "The eleventh parameter is not valid",
  },
  {
    name: "STATUS_INVALID_PARAMETER_12",
    value: 0xc00000fa,
    meaning: "The twelfth parameter is not valid",
  },
  { name: "STATUS_STACK_OVERFLOW", value: 0xc00000fd, meaning: "The stack overflowed" },
  { name: "STATUS_DIRECTORY_NOT_EMPTY", value: 0xc0000101, meaning: "The directory is not empty" },
  { name: "STATUS_FILE_CORRUPT_ERROR", value: 0xc0000102, meaning: "The file is corrupt" },
  { name: "STATUS_NOT_A_DIRECTORY", value: 0xc0000103, meaning: "The file is not a directory" },
  { name: "STATUS_FILES_OPEN", value: 0xc0000107, meaning: "Files are still open" },
  { name: "STATUS_CANCELLED", value: 0xc0000120, meaning: "The I/O request was cancelled" },
  { name: "STATUS_FILE_DELETED", value: 0xc0000123, meaning: "The file was deleted" },
  { name: "STATUS_FILE_CLOSED", value: 0xc0000128, meaning: "The file was closed" },
  {
    name: "STATUS_COMMITMENT_LIMIT",
    value: 0xc000012d,
    meaning: "The system's commit limit was reached",
  },
  { name: "STATUS_INVALID_ADDRESS", value: 0xc0000141, meaning: "The address is not valid" },
  {
    name: "STATUS_INVALID_LEVEL",
    value: 0xc0000148,
    meaning: "The information level is not valid",
  },
  { name: "STATUS_REGISTRY_CORRUPT", value: 0xc000014c, meaning: "A registry hive is corrupt" },
  { name: "STATUS_REGISTRY_IO_FAILED", value: 0xc000014d, meaning: "A registry I/O failed" },
  {
    name: "STATUS_UNRECOGNIZED_VOLUME",
    value: 0xc000014f,
    meaning: "The volume's file system is not recognized",
  },
  {
    name: "STATUS_SERIAL_NO_DEVICE_INITED",
    value: 0xc0000150,
    meaning: "No serial device was initialized",
  },
  {
    name: "STATUS_NOT_REGISTRY_FILE",
    value: 0xc000015c,
    meaning: "The file is not a registry hive",
  },
  { name: "STATUS_SHARED_IRQ_BUSY", value: 0xc000016c, meaning: "The shared interrupt is busy" },
  {
    name: "STATUS_BIOS_FAILED_TO_CONNECT_INTERRUPT",
    value: 0xc000016e,
    meaning: "The BIOS failed to connect a system interrupt",
  },
  {
    name: "STATUS_PARTITION_FAILURE",
    value: 0xc0000172,
    meaning: "The partition table is not valid",
  },
  {
    name: "STATUS_INVALID_BLOCK_LENGTH",
    value: 0xc0000173,
    meaning: "The block length is not valid",
  },
  {
    name: "STATUS_DEVICE_NOT_PARTITIONED",
    value: 0xc0000174,
    meaning: "The device is not partitioned",
  },
  {
    name: "STATUS_UNABLE_TO_LOCK_MEDIA",
    value: 0xc0000175,
    meaning: "The media could not be locked",
  },
  {
    name: "STATUS_UNABLE_TO_UNLOAD_MEDIA",
    value: 0xc0000176,
    meaning: "The media could not be unloaded",
  },
  { name: "STATUS_EOM_OVERFLOW", value: 0xc0000177, meaning: "The end of the media was passed" },
  { name: "STATUS_NO_MEDIA", value: 0xc0000178, meaning: "There is no media in the drive" },
  { name: "STATUS_KEY_HAS_CHILDREN", value: 0xc0000180, meaning: "The key has subkeys" },
  {
    name: "STATUS_DEVICE_CONFIGURATION_ERROR",
    value: 0xc0000182,
    meaning: "The device's configuration is not valid",
  },
  {
    name: "STATUS_DRIVER_INTERNAL_ERROR",
    value: 0xc0000183,
    meaning: "The driver found an internal error",
  },
  {
    name: "STATUS_IO_DEVICE_ERROR",
    value: 0xc0000185,
    meaning: "The device reported an I/O error",
  },
  {
    name: "STATUS_DEVICE_PROTOCOL_ERROR",
    value: 0xc0000186,
    meaning: "The device broke its protocol",
  },
  {
    name: "STATUS_TOO_LATE",
    value: 0xc0000189,
    meaning: "Too late: the write was made to media that was changed",
  },
  { name: "STATUS_POSSIBLE_DEADLOCK", value: 0xc0000194, meaning: "The operation could deadlock" },
  {
    name: "STATUS_INVALID_BUFFER_SIZE",
    value: 0xc0000206,
    meaning: "The buffer size is not valid",
  },
  {
    name: "STATUS_CANNOT_LOAD_REGISTRY_FILE",
    value: 0xc0000218,
    meaning: "A registry hive could not be loaded",
  },
  {
    name: "STATUS_DRIVER_CANCEL_TIMEOUT",
    value: 0xc000021e,
    meaning: "A driver did not complete a cancelled IRP in time",
  },
  { name: "STATUS_NOT_FOUND", value: 0xc0000225, meaning: "The object was not found" },
  { name: "STATUS_FAIL_CHECK", value: 0xc0000229, meaning: "A check failed" },
  { name: "STATUS_RETRY", value: 0xc000022d, meaning: "Retry the operation" },
  { name: "STATUS_REQUEST_ABORTED", value: 0xc0000240, meaning: "The request was aborted" },
  {
    name: "STATUS_REGISTRY_QUOTA_LIMIT",
    value: 0xc0000256,
    meaning: "The registry's quota limit was reached",
  },
  {
    name: "STATUS_INVALID_HW_PROFILE",
    value: 0xc0000260,
    meaning: "The hardware profile is not valid",
  },
  {
    name: "STATUS_INVALID_PLUGPLAY_DEVICE_PATH",
    value: 0xc0000261,
    meaning: "The Plug and Play device path is not valid",
  },
  {
    name: "STATUS_DRIVER_ORDINAL_NOT_FOUND",
    value: 0xc0000262,
    meaning: "An ordinal the driver imports was not found",
  },
  {
    name: "STATUS_DRIVER_ENTRYPOINT_NOT_FOUND",
    value: 0xc0000263,
    meaning: "An entry point the driver imports was not found",
  },
  {
    name: "STATUS_RESOURCE_NOT_OWNED",
    value: 0xc0000264,
    meaning: "The caller does not own the resource it releases",
  },
  { name: "STATUS_TOO_MANY_LINKS", value: 0xc0000265, meaning: "Too many links" },
  {
    name: "STATUS_DRIVER_UNABLE_TO_LOAD",
    value: 0xc000026c,
    meaning: "The driver could not be loaded",
  },
  { name: "STATUS_NO_MATCH", value: 0xc0000272, meaning: "No match was found" },
  { name: "STATUS_NO_MORE_MATCHES", value: 0xc0000273, meaning: "No more matches" },
  {
    name: "STATUS_RANGE_LIST_CONFLICT",
    value: 0xc0000282,
    meaning: "The range conflicts with a range already in the list",
  },
  {
    name: "STATUS_REINITIALIZATION_NEEDED",
    value: 0xc0000287,
    meaning: "The device must be initialized again",
  },
  { name: "STATUS_RANGE_NOT_FOUND", value: 0xc000028c, meaning: "The range is not in the list" },
  {
    name: "STATUS_WMI_GUID_NOT_FOUND",
    value: 0xc0000295,
    meaning: "The WMI data block GUID is not registered",
  },
  {
    name: "STATUS_WMI_INSTANCE_NOT_FOUND",
    value: 0xc0000296,
    meaning: "The WMI instance is not known",
  },
  {
    name: "STATUS_WMI_ITEMID_NOT_FOUND",
    value: 0xc0000297,
    meaning: "The WMI data item is not known",
  },
  {
    name: "STATUS_WMI_TRY_AGAIN",
    value: 0xc0000298,
    meaning: "The WMI request could not be completed; try again",
  },
  {
    name: "STATUS_NOINTERFACE",
    value: 0xc00002b9,
    meaning: "The interface is not supported (IRP_MN_QUERY_INTERFACE)",
  },
  {
    name: "STATUS_POWER_STATE_INVALID",
    value: 0xc00002d3,
    meaning: "The device's current power state cannot support the request",
  },
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

// ---- Further statuses the WDK documents for kernel routines ------------------------------------
/** `STATUS_WAIT_1` (0x00000001). */
export const STATUS_WAIT_1 = 0x00000001;
/** `STATUS_WAIT_2` (0x00000002). */
export const STATUS_WAIT_2 = 0x00000002;
/** `STATUS_WAIT_3` (0x00000003). */
export const STATUS_WAIT_3 = 0x00000003;
/** `STATUS_WAIT_63` (0x0000003F). */
export const STATUS_WAIT_63 = 0x0000003f;
/** `STATUS_ABANDONED` (0x00000080). */
export const STATUS_ABANDONED = 0x00000080;
/** `STATUS_ABANDONED_WAIT_63` (0x000000BF). */
export const STATUS_ABANDONED_WAIT_63 = 0x000000bf;
/** `STATUS_USER_APC` (0x000000C0). */
export const STATUS_USER_APC = 0x000000c0;
/** `STATUS_KERNEL_APC` (0x00000100). */
export const STATUS_KERNEL_APC = 0x00000100;
/** `STATUS_ALERTED` (0x00000101). */
export const STATUS_ALERTED = 0x00000101;
/** `STATUS_MORE_ENTRIES` (0x00000105). */
export const STATUS_MORE_ENTRIES = 0x00000105;
/** `STATUS_NOT_ALL_ASSIGNED` (0x00000106). */
export const STATUS_NOT_ALL_ASSIGNED = 0x00000106;
/** `STATUS_SOME_NOT_MAPPED` (0x00000107). */
export const STATUS_SOME_NOT_MAPPED = 0x00000107;
/** `STATUS_NOTIFY_CLEANUP` (0x0000010B). */
export const STATUS_NOTIFY_CLEANUP = 0x0000010b;
/** `STATUS_NOTIFY_ENUM_DIR` (0x0000010C). */
export const STATUS_NOTIFY_ENUM_DIR = 0x0000010c;
/** `STATUS_THREAD_WAS_SUSPENDED` (0x40000001). */
export const STATUS_THREAD_WAS_SUSPENDED = 0x40000001;
/** `STATUS_SERIAL_MORE_WRITES` (0x40000008). */
export const STATUS_SERIAL_MORE_WRITES = 0x40000008;
/** `STATUS_REGISTRY_RECOVERED` (0x40000009). */
export const STATUS_REGISTRY_RECOVERED = 0x40000009;
/** `STATUS_SERIAL_COUNTER_TIMEOUT` (0x4000000C). */
export const STATUS_SERIAL_COUNTER_TIMEOUT = 0x4000000c;
/** `STATUS_EVENT_DONE` (0x40000012). */
export const STATUS_EVENT_DONE = 0x40000012;
/** `STATUS_EVENT_PENDING` (0x40000013). */
export const STATUS_EVENT_PENDING = 0x40000013;
/** `STATUS_PREDEFINED_HANDLE` (0x40000016). */
export const STATUS_PREDEFINED_HANDLE = 0x40000016;
/** `STATUS_WAS_UNLOCKED` (0x40000017). */
export const STATUS_WAS_UNLOCKED = 0x40000017;
/** `STATUS_WAS_LOCKED` (0x40000019). */
export const STATUS_WAS_LOCKED = 0x40000019;
/** `STATUS_ARBITRATION_UNHANDLED` (0x40000026). */
export const STATUS_ARBITRATION_UNHANDLED = 0x40000026;
/** `STATUS_CARDBUS_NOT_SUPPORTED` (0x40000027). */
export const STATUS_CARDBUS_NOT_SUPPORTED = 0x40000027;
/** `STATUS_WAKE_SYSTEM` (0x40000294). */
export const STATUS_WAKE_SYSTEM = 0x40000294;
/** `STATUS_GUARD_PAGE_VIOLATION` (0x80000001). */
export const STATUS_GUARD_PAGE_VIOLATION = 0x80000001;
/** `STATUS_DATATYPE_MISALIGNMENT` (0x80000002). */
export const STATUS_DATATYPE_MISALIGNMENT = 0x80000002;
/** `STATUS_BREAKPOINT` (0x80000003). */
export const STATUS_BREAKPOINT = 0x80000003;
/** `STATUS_SINGLE_STEP` (0x80000004). */
export const STATUS_SINGLE_STEP = 0x80000004;
/** `STATUS_NO_MORE_FILES` (0x80000006). */
export const STATUS_NO_MORE_FILES = 0x80000006;
/** `STATUS_HANDLES_CLOSED` (0x8000000A). */
export const STATUS_HANDLES_CLOSED = 0x8000000a;
/** `STATUS_PARTIAL_COPY` (0x8000000D). */
export const STATUS_PARTIAL_COPY = 0x8000000d;
/** `STATUS_DEVICE_PAPER_EMPTY` (0x8000000E). */
export const STATUS_DEVICE_PAPER_EMPTY = 0x8000000e;
/** `STATUS_DEVICE_POWERED_OFF` (0x8000000F). */
export const STATUS_DEVICE_POWERED_OFF = 0x8000000f;
/** `STATUS_DEVICE_OFF_LINE` (0x80000010). */
export const STATUS_DEVICE_OFF_LINE = 0x80000010;
/** `STATUS_DEVICE_BUSY` (0x80000011). */
export const STATUS_DEVICE_BUSY = 0x80000011;
/** `STATUS_VERIFY_REQUIRED` (0x80000016). */
export const STATUS_VERIFY_REQUIRED = 0x80000016;
/** `STATUS_MEDIA_CHANGED` (0x8000001C). */
export const STATUS_MEDIA_CHANGED = 0x8000001c;
/** `STATUS_BUS_RESET` (0x8000001D). */
export const STATUS_BUS_RESET = 0x8000001d;
/** `STATUS_END_OF_MEDIA` (0x8000001E). */
export const STATUS_END_OF_MEDIA = 0x8000001e;
/** `STATUS_BEGINNING_OF_MEDIA` (0x8000001F). */
export const STATUS_BEGINNING_OF_MEDIA = 0x8000001f;
/** `STATUS_NO_DATA_DETECTED` (0x80000022). */
export const STATUS_NO_DATA_DETECTED = 0x80000022;
/** `STATUS_PLUGPLAY_QUERY_VETOED` (0x80000028). */
export const STATUS_PLUGPLAY_QUERY_VETOED = 0x80000028;
/** `STATUS_DEVICE_REQUIRES_CLEANING` (0x80000288). */
export const STATUS_DEVICE_REQUIRES_CLEANING = 0x80000288;
/** `STATUS_DEVICE_DOOR_OPEN` (0x80000289). */
export const STATUS_DEVICE_DOOR_OPEN = 0x80000289;
/** `STATUS_INFO_LENGTH_MISMATCH` (0xC0000004). */
export const STATUS_INFO_LENGTH_MISMATCH = 0xc0000004;
/** `STATUS_IN_PAGE_ERROR` (0xC0000006). */
export const STATUS_IN_PAGE_ERROR = 0xc0000006;
/** `STATUS_TIMER_NOT_CANCELED` (0xC000000C). */
export const STATUS_TIMER_NOT_CANCELED = 0xc000000c;
/** `STATUS_NO_SUCH_FILE` (0xC000000F). */
export const STATUS_NO_SUCH_FILE = 0xc000000f;
/** `STATUS_END_OF_FILE` (0xC0000011). */
export const STATUS_END_OF_FILE = 0xc0000011;
/** `STATUS_WRONG_VOLUME` (0xC0000012). */
export const STATUS_WRONG_VOLUME = 0xc0000012;
/** `STATUS_NO_MEDIA_IN_DEVICE` (0xC0000013). */
export const STATUS_NO_MEDIA_IN_DEVICE = 0xc0000013;
/** `STATUS_UNRECOGNIZED_MEDIA` (0xC0000014). */
export const STATUS_UNRECOGNIZED_MEDIA = 0xc0000014;
/** `STATUS_NONEXISTENT_SECTOR` (0xC0000015). */
export const STATUS_NONEXISTENT_SECTOR = 0xc0000015;
/** `STATUS_NO_MEMORY` (0xC0000017). */
export const STATUS_NO_MEMORY = 0xc0000017;
/** `STATUS_CONFLICTING_ADDRESSES` (0xC0000018). */
export const STATUS_CONFLICTING_ADDRESSES = 0xc0000018;
/** `STATUS_ILLEGAL_INSTRUCTION` (0xC000001D). */
export const STATUS_ILLEGAL_INSTRUCTION = 0xc000001d;
/** `STATUS_NOT_LOCKED` (0xC000002A). */
export const STATUS_NOT_LOCKED = 0xc000002a;
/** `STATUS_PARITY_ERROR` (0xC000002B). */
export const STATUS_PARITY_ERROR = 0xc000002b;
/** `STATUS_NOT_COMMITTED` (0xC000002D). */
export const STATUS_NOT_COMMITTED = 0xc000002d;
/** `STATUS_INVALID_PARAMETER_MIX` (0xC0000030). */
export const STATUS_INVALID_PARAMETER_MIX = 0xc0000030;
/** `STATUS_DISK_CORRUPT_ERROR` (0xC0000032). */
export const STATUS_DISK_CORRUPT_ERROR = 0xc0000032;
/** `STATUS_DEVICE_ALREADY_ATTACHED` (0xC0000038). */
export const STATUS_DEVICE_ALREADY_ATTACHED = 0xc0000038;
/** `STATUS_OBJECT_PATH_INVALID` (0xC0000039). */
export const STATUS_OBJECT_PATH_INVALID = 0xc0000039;
/** `STATUS_DATA_LATE_ERROR` (0xC000003D). */
export const STATUS_DATA_LATE_ERROR = 0xc000003d;
/** `STATUS_DATA_ERROR` (0xC000003E). */
export const STATUS_DATA_ERROR = 0xc000003e;
/** `STATUS_CRC_ERROR` (0xC000003F). */
export const STATUS_CRC_ERROR = 0xc000003f;
/** `STATUS_SHARING_VIOLATION` (0xC0000043). */
export const STATUS_SHARING_VIOLATION = 0xc0000043;
/** `STATUS_QUOTA_EXCEEDED` (0xC0000044). */
export const STATUS_QUOTA_EXCEEDED = 0xc0000044;
/** `STATUS_MUTANT_NOT_OWNED` (0xC0000046). */
export const STATUS_MUTANT_NOT_OWNED = 0xc0000046;
/** `STATUS_SEMAPHORE_LIMIT_EXCEEDED` (0xC0000047). */
export const STATUS_SEMAPHORE_LIMIT_EXCEEDED = 0xc0000047;
/** `STATUS_THREAD_IS_TERMINATING` (0xC000004B). */
export const STATUS_THREAD_IS_TERMINATING = 0xc000004b;
/** `STATUS_FILE_LOCK_CONFLICT` (0xC0000054). */
export const STATUS_FILE_LOCK_CONFLICT = 0xc0000054;
/** `STATUS_LOCK_NOT_GRANTED` (0xC0000055). */
export const STATUS_LOCK_NOT_GRANTED = 0xc0000055;
/** `STATUS_NO_SUCH_PRIVILEGE` (0xC0000060). */
export const STATUS_NO_SUCH_PRIVILEGE = 0xc0000060;
/** `STATUS_PRIVILEGE_NOT_HELD` (0xC0000061). */
export const STATUS_PRIVILEGE_NOT_HELD = 0xc0000061;
/** `STATUS_INVALID_SECURITY_DESCR` (0xC0000079). */
export const STATUS_INVALID_SECURITY_DESCR = 0xc0000079;
/** `STATUS_PROCEDURE_NOT_FOUND` (0xC000007A). */
export const STATUS_PROCEDURE_NOT_FOUND = 0xc000007a;
/** `STATUS_INVALID_IMAGE_FORMAT` (0xC000007B). */
export const STATUS_INVALID_IMAGE_FORMAT = 0xc000007b;
/** `STATUS_DISK_FULL` (0xC000007F). */
export const STATUS_DISK_FULL = 0xc000007f;
/** `STATUS_ARRAY_BOUNDS_EXCEEDED` (0xC000008C). */
export const STATUS_ARRAY_BOUNDS_EXCEEDED = 0xc000008c;
/** `STATUS_INTEGER_DIVIDE_BY_ZERO` (0xC0000094). */
export const STATUS_INTEGER_DIVIDE_BY_ZERO = 0xc0000094;
/** `STATUS_INTEGER_OVERFLOW` (0xC0000095). */
export const STATUS_INTEGER_OVERFLOW = 0xc0000095;
/** `STATUS_PRIVILEGED_INSTRUCTION` (0xC0000096). */
export const STATUS_PRIVILEGED_INSTRUCTION = 0xc0000096;
/** `STATUS_FILE_INVALID` (0xC0000098). */
export const STATUS_FILE_INVALID = 0xc0000098;
/** `STATUS_DEVICE_DATA_ERROR` (0xC000009C). */
export const STATUS_DEVICE_DATA_ERROR = 0xc000009c;
/** `STATUS_DEVICE_NOT_CONNECTED` (0xC000009D). */
export const STATUS_DEVICE_NOT_CONNECTED = 0xc000009d;
/** `STATUS_DEVICE_POWER_FAILURE` (0xC000009E). */
export const STATUS_DEVICE_POWER_FAILURE = 0xc000009e;
/** `STATUS_MEMORY_NOT_ALLOCATED` (0xC00000A0). */
export const STATUS_MEMORY_NOT_ALLOCATED = 0xc00000a0;
/** `STATUS_MEDIA_WRITE_PROTECTED` (0xC00000A2). */
export const STATUS_MEDIA_WRITE_PROTECTED = 0xc00000a2;
/** `STATUS_ILLEGAL_FUNCTION` (0xC00000AF). */
export const STATUS_ILLEGAL_FUNCTION = 0xc00000af;
/** `STATUS_IO_TIMEOUT` (0xC00000B5). */
export const STATUS_IO_TIMEOUT = 0xc00000b5;
/** `STATUS_FILE_FORCED_CLOSED` (0xC00000B6). */
export const STATUS_FILE_FORCED_CLOSED = 0xc00000b6;
/** `STATUS_FILE_IS_A_DIRECTORY` (0xC00000BA). */
export const STATUS_FILE_IS_A_DIRECTORY = 0xc00000ba;
/** `STATUS_DEVICE_DOES_NOT_EXIST` (0xC00000C0). */
export const STATUS_DEVICE_DOES_NOT_EXIST = 0xc00000c0;
/** `STATUS_ADAPTER_HARDWARE_ERROR` (0xC00000C2). */
export const STATUS_ADAPTER_HARDWARE_ERROR = 0xc00000c2;
/** `STATUS_BAD_DEVICE_TYPE` (0xC00000CB). */
export const STATUS_BAD_DEVICE_TYPE = 0xc00000cb;
/** `STATUS_NOT_SAME_DEVICE` (0xC00000D4). */
export const STATUS_NOT_SAME_DEVICE = 0xc00000d4;
/** `STATUS_CANT_WAIT` (0xC00000D8). */
export const STATUS_CANT_WAIT = 0xc00000d8;
/** `STATUS_INTERNAL_ERROR` (0xC00000E5). */
export const STATUS_INTERNAL_ERROR = 0xc00000e5;
/** `STATUS_INVALID_USER_BUFFER` (0xC00000E8). */
export const STATUS_INVALID_USER_BUFFER = 0xc00000e8;
/** `STATUS_UNEXPECTED_IO_ERROR` (0xC00000E9). */
export const STATUS_UNEXPECTED_IO_ERROR = 0xc00000e9;
/** `STATUS_INVALID_PARAMETER_3` (0xC00000F1). */
export const STATUS_INVALID_PARAMETER_3 = 0xc00000f1;
/** `STATUS_INVALID_PARAMETER_4` (0xC00000F2). */
export const STATUS_INVALID_PARAMETER_4 = 0xc00000f2;
/** `STATUS_INVALID_PARAMETER_5` (0xC00000F3). */
export const STATUS_INVALID_PARAMETER_5 = 0xc00000f3;
/** `STATUS_INVALID_PARAMETER_6` (0xC00000F4). */
export const STATUS_INVALID_PARAMETER_6 = 0xc00000f4;
/** `STATUS_INVALID_PARAMETER_7` (0xC00000F5). */
export const STATUS_INVALID_PARAMETER_7 = 0xc00000f5;
/** `STATUS_INVALID_PARAMETER_8` (0xC00000F6). */
export const STATUS_INVALID_PARAMETER_8 = 0xc00000f6;
/** `STATUS_INVALID_PARAMETER_9` (0xC00000F7). */
export const STATUS_INVALID_PARAMETER_9 = 0xc00000f7;
/** `STATUS_INVALID_PARAMETER_10` (0xC00000F8). */
export const STATUS_INVALID_PARAMETER_10 = 0xc00000f8;
/** `STATUS_INVALID_PARAMETER_11` (0xC00000F9). */
export const STATUS_INVALID_PARAMETER_11 = 0xc00000f9;
/** `STATUS_INVALID_PARAMETER_12` (0xC00000FA). */
export const STATUS_INVALID_PARAMETER_12 = 0xc00000fa;
/** `STATUS_STACK_OVERFLOW` (0xC00000FD). */
export const STATUS_STACK_OVERFLOW = 0xc00000fd;
/** `STATUS_DIRECTORY_NOT_EMPTY` (0xC0000101). */
export const STATUS_DIRECTORY_NOT_EMPTY = 0xc0000101;
/** `STATUS_FILE_CORRUPT_ERROR` (0xC0000102). */
export const STATUS_FILE_CORRUPT_ERROR = 0xc0000102;
/** `STATUS_NOT_A_DIRECTORY` (0xC0000103). */
export const STATUS_NOT_A_DIRECTORY = 0xc0000103;
/** `STATUS_FILES_OPEN` (0xC0000107). */
export const STATUS_FILES_OPEN = 0xc0000107;
/** `STATUS_CANCELLED` (0xC0000120). */
export const STATUS_CANCELLED = 0xc0000120;
/** `STATUS_FILE_DELETED` (0xC0000123). */
export const STATUS_FILE_DELETED = 0xc0000123;
/** `STATUS_FILE_CLOSED` (0xC0000128). */
export const STATUS_FILE_CLOSED = 0xc0000128;
/** `STATUS_COMMITMENT_LIMIT` (0xC000012D). */
export const STATUS_COMMITMENT_LIMIT = 0xc000012d;
/** `STATUS_INVALID_ADDRESS` (0xC0000141). */
export const STATUS_INVALID_ADDRESS = 0xc0000141;
/** `STATUS_INVALID_LEVEL` (0xC0000148). */
export const STATUS_INVALID_LEVEL = 0xc0000148;
/** `STATUS_REGISTRY_CORRUPT` (0xC000014C). */
export const STATUS_REGISTRY_CORRUPT = 0xc000014c;
/** `STATUS_REGISTRY_IO_FAILED` (0xC000014D). */
export const STATUS_REGISTRY_IO_FAILED = 0xc000014d;
/** `STATUS_UNRECOGNIZED_VOLUME` (0xC000014F). */
export const STATUS_UNRECOGNIZED_VOLUME = 0xc000014f;
/** `STATUS_SERIAL_NO_DEVICE_INITED` (0xC0000150). */
export const STATUS_SERIAL_NO_DEVICE_INITED = 0xc0000150;
/** `STATUS_NOT_REGISTRY_FILE` (0xC000015C). */
export const STATUS_NOT_REGISTRY_FILE = 0xc000015c;
/** `STATUS_SHARED_IRQ_BUSY` (0xC000016C). */
export const STATUS_SHARED_IRQ_BUSY = 0xc000016c;
/** `STATUS_BIOS_FAILED_TO_CONNECT_INTERRUPT` (0xC000016E). */
export const STATUS_BIOS_FAILED_TO_CONNECT_INTERRUPT = 0xc000016e;
/** `STATUS_PARTITION_FAILURE` (0xC0000172). */
export const STATUS_PARTITION_FAILURE = 0xc0000172;
/** `STATUS_INVALID_BLOCK_LENGTH` (0xC0000173). */
export const STATUS_INVALID_BLOCK_LENGTH = 0xc0000173;
/** `STATUS_DEVICE_NOT_PARTITIONED` (0xC0000174). */
export const STATUS_DEVICE_NOT_PARTITIONED = 0xc0000174;
/** `STATUS_UNABLE_TO_LOCK_MEDIA` (0xC0000175). */
export const STATUS_UNABLE_TO_LOCK_MEDIA = 0xc0000175;
/** `STATUS_UNABLE_TO_UNLOAD_MEDIA` (0xC0000176). */
export const STATUS_UNABLE_TO_UNLOAD_MEDIA = 0xc0000176;
/** `STATUS_EOM_OVERFLOW` (0xC0000177). */
export const STATUS_EOM_OVERFLOW = 0xc0000177;
/** `STATUS_NO_MEDIA` (0xC0000178). */
export const STATUS_NO_MEDIA = 0xc0000178;
/** `STATUS_KEY_HAS_CHILDREN` (0xC0000180). */
export const STATUS_KEY_HAS_CHILDREN = 0xc0000180;
/** `STATUS_DEVICE_CONFIGURATION_ERROR` (0xC0000182). */
export const STATUS_DEVICE_CONFIGURATION_ERROR = 0xc0000182;
/** `STATUS_DRIVER_INTERNAL_ERROR` (0xC0000183). */
export const STATUS_DRIVER_INTERNAL_ERROR = 0xc0000183;
/** `STATUS_IO_DEVICE_ERROR` (0xC0000185). */
export const STATUS_IO_DEVICE_ERROR = 0xc0000185;
/** `STATUS_DEVICE_PROTOCOL_ERROR` (0xC0000186). */
export const STATUS_DEVICE_PROTOCOL_ERROR = 0xc0000186;
/** `STATUS_TOO_LATE` (0xC0000189). */
export const STATUS_TOO_LATE = 0xc0000189;
/** `STATUS_POSSIBLE_DEADLOCK` (0xC0000194). */
export const STATUS_POSSIBLE_DEADLOCK = 0xc0000194;
/** `STATUS_INVALID_BUFFER_SIZE` (0xC0000206). */
export const STATUS_INVALID_BUFFER_SIZE = 0xc0000206;
/** `STATUS_CANNOT_LOAD_REGISTRY_FILE` (0xC0000218). */
export const STATUS_CANNOT_LOAD_REGISTRY_FILE = 0xc0000218;
/** `STATUS_DRIVER_CANCEL_TIMEOUT` (0xC000021E). */
export const STATUS_DRIVER_CANCEL_TIMEOUT = 0xc000021e;
/** `STATUS_NOT_FOUND` (0xC0000225). */
export const STATUS_NOT_FOUND = 0xc0000225;
/** `STATUS_FAIL_CHECK` (0xC0000229). */
export const STATUS_FAIL_CHECK = 0xc0000229;
/** `STATUS_RETRY` (0xC000022D). */
export const STATUS_RETRY = 0xc000022d;
/** `STATUS_REQUEST_ABORTED` (0xC0000240). */
export const STATUS_REQUEST_ABORTED = 0xc0000240;
/** `STATUS_REGISTRY_QUOTA_LIMIT` (0xC0000256). */
export const STATUS_REGISTRY_QUOTA_LIMIT = 0xc0000256;
/** `STATUS_INVALID_HW_PROFILE` (0xC0000260). */
export const STATUS_INVALID_HW_PROFILE = 0xc0000260;
/** `STATUS_INVALID_PLUGPLAY_DEVICE_PATH` (0xC0000261). */
export const STATUS_INVALID_PLUGPLAY_DEVICE_PATH = 0xc0000261;
/** `STATUS_DRIVER_ORDINAL_NOT_FOUND` (0xC0000262). */
export const STATUS_DRIVER_ORDINAL_NOT_FOUND = 0xc0000262;
/** `STATUS_DRIVER_ENTRYPOINT_NOT_FOUND` (0xC0000263). */
export const STATUS_DRIVER_ENTRYPOINT_NOT_FOUND = 0xc0000263;
/** `STATUS_RESOURCE_NOT_OWNED` (0xC0000264). */
export const STATUS_RESOURCE_NOT_OWNED = 0xc0000264;
/** `STATUS_TOO_MANY_LINKS` (0xC0000265). */
export const STATUS_TOO_MANY_LINKS = 0xc0000265;
/** `STATUS_DRIVER_UNABLE_TO_LOAD` (0xC000026C). */
export const STATUS_DRIVER_UNABLE_TO_LOAD = 0xc000026c;
/** `STATUS_NO_MATCH` (0xC0000272). */
export const STATUS_NO_MATCH = 0xc0000272;
/** `STATUS_NO_MORE_MATCHES` (0xC0000273). */
export const STATUS_NO_MORE_MATCHES = 0xc0000273;
/** `STATUS_RANGE_LIST_CONFLICT` (0xC0000282). */
export const STATUS_RANGE_LIST_CONFLICT = 0xc0000282;
/** `STATUS_REINITIALIZATION_NEEDED` (0xC0000287). */
export const STATUS_REINITIALIZATION_NEEDED = 0xc0000287;
/** `STATUS_RANGE_NOT_FOUND` (0xC000028C). */
export const STATUS_RANGE_NOT_FOUND = 0xc000028c;
/** `STATUS_WMI_GUID_NOT_FOUND` (0xC0000295). */
export const STATUS_WMI_GUID_NOT_FOUND = 0xc0000295;
/** `STATUS_WMI_INSTANCE_NOT_FOUND` (0xC0000296). */
export const STATUS_WMI_INSTANCE_NOT_FOUND = 0xc0000296;
/** `STATUS_WMI_ITEMID_NOT_FOUND` (0xC0000297). */
export const STATUS_WMI_ITEMID_NOT_FOUND = 0xc0000297;
/** `STATUS_WMI_TRY_AGAIN` (0xC0000298). */
export const STATUS_WMI_TRY_AGAIN = 0xc0000298;
/** `STATUS_NOINTERFACE` (0xC00002B9). */
export const STATUS_NOINTERFACE = 0xc00002b9;
/** `STATUS_POWER_STATE_INVALID` (0xC00002D3). */
export const STATUS_POWER_STATE_INVALID = 0xc00002d3;
