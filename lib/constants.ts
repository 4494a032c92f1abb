/**
 * WDK constants with their WDK values (wdm.h, winnt.h, wdmguid.h, cfgmgr32.h, dbt.h).
 *
 * @module
 */

// ---- Access rights (winnt.h) ----------------------------------------------------------------------

/** `DELETE` (0x00010000): the right to delete the object. */
export const DELETE = 0x00010000;
/** `READ_CONTROL` (0x00020000). */
export const READ_CONTROL = 0x00020000;
/** `WRITE_DAC` (0x00040000). */
export const WRITE_DAC = 0x00040000;
/** `WRITE_OWNER` (0x00080000). */
export const WRITE_OWNER = 0x00080000;
/** `SYNCHRONIZE` (0x00100000). */
export const SYNCHRONIZE = 0x00100000;
/** `STANDARD_RIGHTS_REQUIRED` (0x000F0000). */
export const STANDARD_RIGHTS_REQUIRED = 0x000f0000;
/** `STANDARD_RIGHTS_READ` (0x00020000). */
export const STANDARD_RIGHTS_READ = 0x00020000;
/** `STANDARD_RIGHTS_WRITE` (0x00020000). */
export const STANDARD_RIGHTS_WRITE = 0x00020000;
/** `MAXIMUM_ALLOWED` (0x02000000): grant whatever the key's security allows. */
export const MAXIMUM_ALLOWED = 0x02000000;
/** `GENERIC_READ` (0x80000000), mapped to `KEY_READ` for keys. */
export const GENERIC_READ = 0x80000000;
/** `GENERIC_WRITE` (0x40000000), mapped to `KEY_WRITE` for keys. */
export const GENERIC_WRITE = 0x40000000;
/** `GENERIC_EXECUTE` (0x20000000), mapped to `KEY_EXECUTE` for keys. */
export const GENERIC_EXECUTE = 0x20000000;
/** `GENERIC_ALL` (0x10000000), mapped to `KEY_ALL_ACCESS` for keys. */
export const GENERIC_ALL = 0x10000000;

/** `KEY_QUERY_VALUE` (0x0001). */
export const KEY_QUERY_VALUE = 0x0001;
/** `KEY_SET_VALUE` (0x0002). */
export const KEY_SET_VALUE = 0x0002;
/** `KEY_CREATE_SUB_KEY` (0x0004). */
export const KEY_CREATE_SUB_KEY = 0x0004;
/** `KEY_ENUMERATE_SUB_KEYS` (0x0008). */
export const KEY_ENUMERATE_SUB_KEYS = 0x0008;
/** `KEY_NOTIFY` (0x0010). */
export const KEY_NOTIFY = 0x0010;
/** `KEY_CREATE_LINK` (0x0020). */
export const KEY_CREATE_LINK = 0x0020;
/** `KEY_READ` (0x20019): STANDARD_RIGHTS_READ | QUERY_VALUE | ENUMERATE_SUB_KEYS | NOTIFY. */
export const KEY_READ = 0x20019;
/** `KEY_EXECUTE` (0x20019), the same as `KEY_READ`. */
export const KEY_EXECUTE = 0x20019;
/** `KEY_WRITE` (0x20006): STANDARD_RIGHTS_WRITE | SET_VALUE | CREATE_SUB_KEY. */
export const KEY_WRITE = 0x20006;
/** `KEY_ALL_ACCESS` (0xF003F): STANDARD_RIGHTS_REQUIRED and every key right. */
export const KEY_ALL_ACCESS = 0xf003f;
/** `KEY_WOW64_64KEY` (0x0100): which registry view, not an access right. */
export const KEY_WOW64_64KEY = 0x0100;
/** `KEY_WOW64_32KEY` (0x0200): which registry view, not an access right. */
export const KEY_WOW64_32KEY = 0x0200;

// ---- Object attributes (wdm.h) ----------------------------------------------------------------------

/** `OBJ_INHERIT` (0x02). */
export const OBJ_INHERIT = 0x00000002;
/** `OBJ_PERMANENT` (0x10). */
export const OBJ_PERMANENT = 0x00000010;
/** `OBJ_EXCLUSIVE` (0x20). */
export const OBJ_EXCLUSIVE = 0x00000020;
/** `OBJ_CASE_INSENSITIVE` (0x40). */
export const OBJ_CASE_INSENSITIVE = 0x00000040;
/** `OBJ_OPENIF` (0x80). */
export const OBJ_OPENIF = 0x00000080;
/** `OBJ_OPENLINK` (0x100): open a registry link key itself instead of its target. */
export const OBJ_OPENLINK = 0x00000100;
/** `OBJ_KERNEL_HANDLE` (0x200): the handle goes to the kernel handle table. */
export const OBJ_KERNEL_HANDLE = 0x00000200;
/** `OBJ_FORCE_ACCESS_CHECK` (0x400). */
export const OBJ_FORCE_ACCESS_CHECK = 0x00000400;

// ---- Registry (winnt.h, wdm.h) --------------------------------------------------------------------------

/** `REG_NONE` (0). */
export const REG_NONE = 0;
/** `REG_SZ` (1). */
export const REG_SZ = 1;
/** `REG_EXPAND_SZ` (2). */
export const REG_EXPAND_SZ = 2;
/** `REG_BINARY` (3). */
export const REG_BINARY = 3;
/** `REG_DWORD` (4). */
export const REG_DWORD = 4;
/** `REG_DWORD_LITTLE_ENDIAN` (4). */
export const REG_DWORD_LITTLE_ENDIAN = 4;
/** `REG_DWORD_BIG_ENDIAN` (5). */
export const REG_DWORD_BIG_ENDIAN = 5;
/** `REG_LINK` (6). */
export const REG_LINK = 6;
/** `REG_MULTI_SZ` (7). */
export const REG_MULTI_SZ = 7;
/** `REG_RESOURCE_LIST` (8). */
export const REG_RESOURCE_LIST = 8;
/** `REG_FULL_RESOURCE_DESCRIPTOR` (9). */
export const REG_FULL_RESOURCE_DESCRIPTOR = 9;
/** `REG_RESOURCE_REQUIREMENTS_LIST` (10). */
export const REG_RESOURCE_REQUIREMENTS_LIST = 10;
/** `REG_QWORD` (11). */
export const REG_QWORD = 11;
/** `REG_QWORD_LITTLE_ENDIAN` (11). */
export const REG_QWORD_LITTLE_ENDIAN = 11;

/** The value types by number, for messages and renderers. */
export const REG_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "REG_NONE",
  1: "REG_SZ",
  2: "REG_EXPAND_SZ",
  3: "REG_BINARY",
  4: "REG_DWORD",
  5: "REG_DWORD_BIG_ENDIAN",
  6: "REG_LINK",
  7: "REG_MULTI_SZ",
  8: "REG_RESOURCE_LIST",
  9: "REG_FULL_RESOURCE_DESCRIPTOR",
  10: "REG_RESOURCE_REQUIREMENTS_LIST",
  11: "REG_QWORD",
};

/** `REG_OPTION_NON_VOLATILE` (0): the key persists across reboots. */
export const REG_OPTION_NON_VOLATILE = 0;
/** `REG_OPTION_VOLATILE` (1): the key lives in memory only and is gone after a reboot. */
export const REG_OPTION_VOLATILE = 1;
/** `REG_OPTION_CREATE_LINK` (2): the key is a symbolic link. */
export const REG_OPTION_CREATE_LINK = 2;
/** `REG_OPTION_BACKUP_RESTORE` (4). */
export const REG_OPTION_BACKUP_RESTORE = 4;
/** `REG_OPTION_OPEN_LINK` (8). */
export const REG_OPTION_OPEN_LINK = 8;
/** `REG_CREATED_NEW_KEY` (1): ZwCreateKey created the key. */
export const REG_CREATED_NEW_KEY = 1;
/** `REG_OPENED_EXISTING_KEY` (2): ZwCreateKey opened a key that existed. */
export const REG_OPENED_EXISTING_KEY = 2;

/** `KeyBasicInformation` (0), a KEY_INFORMATION_CLASS. */
export const KeyBasicInformation = 0;
/** `KeyNodeInformation` (1), a KEY_INFORMATION_CLASS. */
export const KeyNodeInformation = 1;
/** `KeyFullInformation` (2), a KEY_INFORMATION_CLASS. */
export const KeyFullInformation = 2;
/** `KeyValueBasicInformation` (0), a KEY_VALUE_INFORMATION_CLASS. */
export const KeyValueBasicInformation = 0;
/** `KeyValueFullInformation` (1), a KEY_VALUE_INFORMATION_CLASS. */
export const KeyValueFullInformation = 1;
/** `KeyValuePartialInformation` (2), a KEY_VALUE_INFORMATION_CLASS. */
export const KeyValuePartialInformation = 2;

/** `RTL_REGISTRY_ABSOLUTE` (0): Path is a full registry path. */
export const RTL_REGISTRY_ABSOLUTE = 0;
/** `RTL_REGISTRY_SERVICES` (1): relative to `...\CurrentControlSet\Services`. */
export const RTL_REGISTRY_SERVICES = 1;
/** `RTL_REGISTRY_CONTROL` (2): relative to `...\CurrentControlSet\Control`. */
export const RTL_REGISTRY_CONTROL = 2;
/** `RTL_REGISTRY_WINDOWS_NT` (3): relative to `\Registry\Machine\Software\Microsoft\Windows NT\CurrentVersion`. */
export const RTL_REGISTRY_WINDOWS_NT = 3;
/** `RTL_REGISTRY_DEVICEMAP` (4): relative to `\Registry\Machine\Hardware\DeviceMap`. */
export const RTL_REGISTRY_DEVICEMAP = 4;
/** `RTL_REGISTRY_USER` (5): relative to the current user's key. */
export const RTL_REGISTRY_USER = 5;
/** `RTL_REGISTRY_HANDLE` (0x40000000): Path is a key handle. */
export const RTL_REGISTRY_HANDLE = 0x40000000;
/** `RTL_REGISTRY_OPTIONAL` (0x80000000). */
export const RTL_REGISTRY_OPTIONAL = 0x80000000;
/** `RTL_QUERY_REGISTRY_SUBKEY` (0x1). */
export const RTL_QUERY_REGISTRY_SUBKEY = 0x00000001;
/** `RTL_QUERY_REGISTRY_TOPKEY` (0x2). */
export const RTL_QUERY_REGISTRY_TOPKEY = 0x00000002;
/** `RTL_QUERY_REGISTRY_REQUIRED` (0x4). */
export const RTL_QUERY_REGISTRY_REQUIRED = 0x00000004;
/** `RTL_QUERY_REGISTRY_NOVALUE` (0x8). */
export const RTL_QUERY_REGISTRY_NOVALUE = 0x00000008;
/** `RTL_QUERY_REGISTRY_NOEXPAND` (0x10). */
export const RTL_QUERY_REGISTRY_NOEXPAND = 0x00000010;
/** `RTL_QUERY_REGISTRY_DIRECT` (0x20). */
export const RTL_QUERY_REGISTRY_DIRECT = 0x00000020;
/** `RTL_QUERY_REGISTRY_DELETE` (0x40). */
export const RTL_QUERY_REGISTRY_DELETE = 0x00000040;
/** `RTL_QUERY_REGISTRY_TYPECHECK` (0x100). */
export const RTL_QUERY_REGISTRY_TYPECHECK = 0x00000100;
/** `RTL_QUERY_REGISTRY_TYPECHECK_SHIFT` (24): the expected type's position in DefaultType. */
export const RTL_QUERY_REGISTRY_TYPECHECK_SHIFT = 24;

// ---- PnP registry keys and properties (wdm.h) -------------------------------------------------------------

/** `PLUGPLAY_REGKEY_DEVICE` (1): the device's hardware key. */
export const PLUGPLAY_REGKEY_DEVICE = 1;
/** `PLUGPLAY_REGKEY_DRIVER` (2): the device's software (driver) key. */
export const PLUGPLAY_REGKEY_DRIVER = 2;
/** `PLUGPLAY_REGKEY_CURRENT_HWPROFILE` (4): the key relative to the current hardware profile. */
export const PLUGPLAY_REGKEY_CURRENT_HWPROFILE = 4;
/** `DriverRegKeyParameters` (0), for IoOpenDriverRegistryKey: `Services\<name>\Parameters`. */
export const DriverRegKeyParameters = 0;
/** `DriverRegKeyPersistentState` (1), for IoOpenDriverRegistryKey. */
export const DriverRegKeyPersistentState = 1;

/** `DevicePropertyDeviceDescription` (0x0). */
export const DevicePropertyDeviceDescription = 0x0;
/** `DevicePropertyHardwareID` (0x1). */
export const DevicePropertyHardwareID = 0x1;
/** `DevicePropertyCompatibleIDs` (0x2). */
export const DevicePropertyCompatibleIDs = 0x2;
/** `DevicePropertyBootConfiguration` (0x3). */
export const DevicePropertyBootConfiguration = 0x3;
/** `DevicePropertyBootConfigurationTranslated` (0x4). */
export const DevicePropertyBootConfigurationTranslated = 0x4;
/** `DevicePropertyClassName` (0x5). */
export const DevicePropertyClassName = 0x5;
/** `DevicePropertyClassGuid` (0x6). */
export const DevicePropertyClassGuid = 0x6;
/** `DevicePropertyDriverKeyName` (0x7). */
export const DevicePropertyDriverKeyName = 0x7;
/** `DevicePropertyManufacturer` (0x8). */
export const DevicePropertyManufacturer = 0x8;
/** `DevicePropertyFriendlyName` (0x9). */
export const DevicePropertyFriendlyName = 0x9;
/** `DevicePropertyLocationInformation` (0xA). */
export const DevicePropertyLocationInformation = 0xa;
/** `DevicePropertyPhysicalDeviceObjectName` (0xB). */
export const DevicePropertyPhysicalDeviceObjectName = 0xb;
/** `DevicePropertyBusTypeGuid` (0xC). */
export const DevicePropertyBusTypeGuid = 0xc;
/** `DevicePropertyLegacyBusType` (0xD). */
export const DevicePropertyLegacyBusType = 0xd;
/** `DevicePropertyBusNumber` (0xE). */
export const DevicePropertyBusNumber = 0xe;
/** `DevicePropertyEnumeratorName` (0xF). */
export const DevicePropertyEnumeratorName = 0xf;
/** `DevicePropertyAddress` (0x10). */
export const DevicePropertyAddress = 0x10;
/** `DevicePropertyUINumber` (0x11). */
export const DevicePropertyUINumber = 0x11;
/** `DevicePropertyInstallState` (0x12). */
export const DevicePropertyInstallState = 0x12;
/** `DevicePropertyRemovalPolicy` (0x13). */
export const DevicePropertyRemovalPolicy = 0x13;
/** `DevicePropertyResourceRequirements` (0x14). */
export const DevicePropertyResourceRequirements = 0x14;
/** `DevicePropertyAllocatedResources` (0x15). */
export const DevicePropertyAllocatedResources = 0x15;
/** `DevicePropertyContainerID` (0x16). */
export const DevicePropertyContainerID = 0x16;

// ---- Device interfaces and notification (wdm.h) ---------------------------------------------------------

/** `DEVICE_INTERFACE_INCLUDE_NONACTIVE` (0x1): IoGetDeviceInterfaces lists disabled instances too. */
export const DEVICE_INTERFACE_INCLUDE_NONACTIVE = 0x00000001;
/** `PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES` (0x1). */
export const PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES = 0x00000001;
/** `EventCategoryReserved` (0). */
export const EventCategoryReserved = 0;
/** `EventCategoryHardwareProfileChange` (1). */
export const EventCategoryHardwareProfileChange = 1;
/** `EventCategoryDeviceInterfaceChange` (2). */
export const EventCategoryDeviceInterfaceChange = 2;
/** `EventCategoryTargetDeviceChange` (3). */
export const EventCategoryTargetDeviceChange = 3;

/** `GUID_HWPROFILE_QUERY_CHANGE` (wdmguid.h). */
export const GUID_HWPROFILE_QUERY_CHANGE = "{cb3a4001-46f0-11d0-b08f-00609713053f}";
/** `GUID_HWPROFILE_CHANGE_CANCELLED` (wdmguid.h). */
export const GUID_HWPROFILE_CHANGE_CANCELLED = "{cb3a4002-46f0-11d0-b08f-00609713053f}";
/** `GUID_HWPROFILE_CHANGE_COMPLETE` (wdmguid.h). */
export const GUID_HWPROFILE_CHANGE_COMPLETE = "{cb3a4003-46f0-11d0-b08f-00609713053f}";
/** `GUID_DEVICE_INTERFACE_ARRIVAL` (wdmguid.h). */
export const GUID_DEVICE_INTERFACE_ARRIVAL = "{cb3a4004-46f0-11d0-b08f-00609713053f}";
/** `GUID_DEVICE_INTERFACE_REMOVAL` (wdmguid.h). */
export const GUID_DEVICE_INTERFACE_REMOVAL = "{cb3a4005-46f0-11d0-b08f-00609713053f}";
/** `GUID_TARGET_DEVICE_QUERY_REMOVE` (wdmguid.h). */
export const GUID_TARGET_DEVICE_QUERY_REMOVE = "{cb3a4006-46f0-11d0-b08f-00609713053f}";
/** `GUID_TARGET_DEVICE_REMOVE_CANCELLED` (wdmguid.h). */
export const GUID_TARGET_DEVICE_REMOVE_CANCELLED = "{cb3a4007-46f0-11d0-b08f-00609713053f}";
/** `GUID_TARGET_DEVICE_REMOVE_COMPLETE` (wdmguid.h). */
export const GUID_TARGET_DEVICE_REMOVE_COMPLETE = "{cb3a4008-46f0-11d0-b08f-00609713053f}";
/** `GUID_PNP_CUSTOM_NOTIFICATION` (wdmguid.h). */
export const GUID_PNP_CUSTOM_NOTIFICATION = "{aca73f8e-8d23-11d1-ac7d-0000f87571d0}";

/** The event GUIDs by value, for the trace and renderers. */
export const PNP_EVENT_GUID_NAMES: Readonly<Record<string, string>> = {
  [GUID_HWPROFILE_QUERY_CHANGE]: "GUID_HWPROFILE_QUERY_CHANGE",
  [GUID_HWPROFILE_CHANGE_CANCELLED]: "GUID_HWPROFILE_CHANGE_CANCELLED",
  [GUID_HWPROFILE_CHANGE_COMPLETE]: "GUID_HWPROFILE_CHANGE_COMPLETE",
  [GUID_DEVICE_INTERFACE_ARRIVAL]: "GUID_DEVICE_INTERFACE_ARRIVAL",
  [GUID_DEVICE_INTERFACE_REMOVAL]: "GUID_DEVICE_INTERFACE_REMOVAL",
  [GUID_TARGET_DEVICE_QUERY_REMOVE]: "GUID_TARGET_DEVICE_QUERY_REMOVE",
  [GUID_TARGET_DEVICE_REMOVE_CANCELLED]: "GUID_TARGET_DEVICE_REMOVE_CANCELLED",
  [GUID_TARGET_DEVICE_REMOVE_COMPLETE]: "GUID_TARGET_DEVICE_REMOVE_COMPLETE",
  [GUID_PNP_CUSTOM_NOTIFICATION]: "GUID_PNP_CUSTOM_NOTIFICATION",
};

// ---- IRQL (wdm.h) -------------------------------------------------------------------------------------------

/** `PASSIVE_LEVEL` (0). */
export const PASSIVE_LEVEL = 0;
/** `LOW_LEVEL` (0). */
export const LOW_LEVEL = 0;
/** `APC_LEVEL` (1). */
export const APC_LEVEL = 1;
/** `DISPATCH_LEVEL` (2). */
export const DISPATCH_LEVEL = 2;
/** `HIGH_LEVEL` (15) on x64. */
export const HIGH_LEVEL = 15;
/** `IO_NO_INCREMENT` (0), the priority boost for IoCompleteRequest. */
export const IO_NO_INCREMENT = 0;

// ---- IRPs (wdm.h) ------------------------------------------------------------------------------------------

/** `IRP_MJ_CREATE` (0x00). */
export const IRP_MJ_CREATE = 0x00;
/** `IRP_MJ_CLOSE` (0x02). */
export const IRP_MJ_CLOSE = 0x02;
/** `IRP_MJ_READ` (0x03). */
export const IRP_MJ_READ = 0x03;
/** `IRP_MJ_WRITE` (0x04). */
export const IRP_MJ_WRITE = 0x04;
/** `IRP_MJ_DEVICE_CONTROL` (0x0E). */
export const IRP_MJ_DEVICE_CONTROL = 0x0e;
/** `IRP_MJ_CLEANUP` (0x12). */
export const IRP_MJ_CLEANUP = 0x12;
/** `IRP_MJ_POWER` (0x16). */
export const IRP_MJ_POWER = 0x16;
/** `IRP_MJ_PNP` (0x1B). */
export const IRP_MJ_PNP = 0x1b;

/** Major function names by value. */
export const IRP_MJ_NAMES: Readonly<Record<number, string>> = {
  0x00: "IRP_MJ_CREATE",
  0x02: "IRP_MJ_CLOSE",
  0x03: "IRP_MJ_READ",
  0x04: "IRP_MJ_WRITE",
  0x0e: "IRP_MJ_DEVICE_CONTROL",
  0x10: "IRP_MJ_SHUTDOWN",
  0x12: "IRP_MJ_CLEANUP",
  0x16: "IRP_MJ_POWER",
  0x1b: "IRP_MJ_PNP",
};

/** `IRP_MN_START_DEVICE` (0x00). */
export const IRP_MN_START_DEVICE = 0x00;
/** `IRP_MN_QUERY_REMOVE_DEVICE` (0x01). */
export const IRP_MN_QUERY_REMOVE_DEVICE = 0x01;
/** `IRP_MN_REMOVE_DEVICE` (0x02). */
export const IRP_MN_REMOVE_DEVICE = 0x02;
/** `IRP_MN_CANCEL_REMOVE_DEVICE` (0x03). */
export const IRP_MN_CANCEL_REMOVE_DEVICE = 0x03;
/** `IRP_MN_STOP_DEVICE` (0x04). */
export const IRP_MN_STOP_DEVICE = 0x04;
/** `IRP_MN_QUERY_STOP_DEVICE` (0x05). */
export const IRP_MN_QUERY_STOP_DEVICE = 0x05;
/** `IRP_MN_CANCEL_STOP_DEVICE` (0x06). */
export const IRP_MN_CANCEL_STOP_DEVICE = 0x06;
/** `IRP_MN_QUERY_DEVICE_RELATIONS` (0x07). */
export const IRP_MN_QUERY_DEVICE_RELATIONS = 0x07;
/** `IRP_MN_QUERY_INTERFACE` (0x08). */
export const IRP_MN_QUERY_INTERFACE = 0x08;
/** `IRP_MN_QUERY_CAPABILITIES` (0x09). */
export const IRP_MN_QUERY_CAPABILITIES = 0x09;
/** `IRP_MN_QUERY_RESOURCES` (0x0A). */
export const IRP_MN_QUERY_RESOURCES = 0x0a;
/** `IRP_MN_QUERY_RESOURCE_REQUIREMENTS` (0x0B). */
export const IRP_MN_QUERY_RESOURCE_REQUIREMENTS = 0x0b;
/** `IRP_MN_QUERY_DEVICE_TEXT` (0x0C). */
export const IRP_MN_QUERY_DEVICE_TEXT = 0x0c;
/** `IRP_MN_FILTER_RESOURCE_REQUIREMENTS` (0x0D). */
export const IRP_MN_FILTER_RESOURCE_REQUIREMENTS = 0x0d;
/** `IRP_MN_READ_CONFIG` (0x0F). */
export const IRP_MN_READ_CONFIG = 0x0f;
/** `IRP_MN_WRITE_CONFIG` (0x10). */
export const IRP_MN_WRITE_CONFIG = 0x10;
/** `IRP_MN_EJECT` (0x11). */
export const IRP_MN_EJECT = 0x11;
/** `IRP_MN_SET_LOCK` (0x12). */
export const IRP_MN_SET_LOCK = 0x12;
/** `IRP_MN_QUERY_ID` (0x13). */
export const IRP_MN_QUERY_ID = 0x13;
/** `IRP_MN_QUERY_PNP_DEVICE_STATE` (0x14). */
export const IRP_MN_QUERY_PNP_DEVICE_STATE = 0x14;
/** `IRP_MN_QUERY_BUS_INFORMATION` (0x15). */
export const IRP_MN_QUERY_BUS_INFORMATION = 0x15;
/** `IRP_MN_DEVICE_USAGE_NOTIFICATION` (0x16). */
export const IRP_MN_DEVICE_USAGE_NOTIFICATION = 0x16;
/** `IRP_MN_SURPRISE_REMOVAL` (0x17). */
export const IRP_MN_SURPRISE_REMOVAL = 0x17;
/** `IRP_MN_DEVICE_ENUMERATED` (0x19). */
export const IRP_MN_DEVICE_ENUMERATED = 0x19;

/** PnP minor function names by value. */
export const IRP_MN_NAMES: Readonly<Record<number, string>> = {
  0x00: "IRP_MN_START_DEVICE",
  0x01: "IRP_MN_QUERY_REMOVE_DEVICE",
  0x02: "IRP_MN_REMOVE_DEVICE",
  0x03: "IRP_MN_CANCEL_REMOVE_DEVICE",
  0x04: "IRP_MN_STOP_DEVICE",
  0x05: "IRP_MN_QUERY_STOP_DEVICE",
  0x06: "IRP_MN_CANCEL_STOP_DEVICE",
  0x07: "IRP_MN_QUERY_DEVICE_RELATIONS",
  0x08: "IRP_MN_QUERY_INTERFACE",
  0x09: "IRP_MN_QUERY_CAPABILITIES",
  0x0a: "IRP_MN_QUERY_RESOURCES",
  0x0b: "IRP_MN_QUERY_RESOURCE_REQUIREMENTS",
  0x0c: "IRP_MN_QUERY_DEVICE_TEXT",
  0x0d: "IRP_MN_FILTER_RESOURCE_REQUIREMENTS",
  0x0f: "IRP_MN_READ_CONFIG",
  0x10: "IRP_MN_WRITE_CONFIG",
  0x11: "IRP_MN_EJECT",
  0x12: "IRP_MN_SET_LOCK",
  0x13: "IRP_MN_QUERY_ID",
  0x14: "IRP_MN_QUERY_PNP_DEVICE_STATE",
  0x15: "IRP_MN_QUERY_BUS_INFORMATION",
  0x16: "IRP_MN_DEVICE_USAGE_NOTIFICATION",
  0x17: "IRP_MN_SURPRISE_REMOVAL",
  0x19: "IRP_MN_DEVICE_ENUMERATED",
};

/** `BusRelations` (0), a DEVICE_RELATION_TYPE. */
export const BusRelations = 0;
/** `EjectionRelations` (1). */
export const EjectionRelations = 1;
/** `PowerRelations` (2). */
export const PowerRelations = 2;
/** `RemovalRelations` (3). */
export const RemovalRelations = 3;
/** `TargetDeviceRelation` (4). */
export const TargetDeviceRelation = 4;
/** `SingleBusRelations` (5). */
export const SingleBusRelations = 5;
/** DEVICE_RELATION_TYPE names by value. */
export const RELATION_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "BusRelations",
  1: "EjectionRelations",
  2: "PowerRelations",
  3: "RemovalRelations",
  4: "TargetDeviceRelation",
  5: "SingleBusRelations",
};

/** `NotificationEvent` (0), an EVENT_TYPE: stays signaled until cleared; a set wakes every waiter. */
export const NotificationEvent = 0;
/** `SynchronizationEvent` (1), an EVENT_TYPE: a satisfied wait resets it (one waiter at a time). */
export const SynchronizationEvent = 1;
/** `Executive` (0), the KWAIT_REASON drivers give KeWaitForSingleObject. */
export const Executive = 0;
/** `KernelMode` (0), a KPROCESSOR_MODE. */
export const KernelMode = 0;
/** `UserMode` (1), a KPROCESSOR_MODE. */
export const UserMode = 1;

/** `CriticalWorkQueue` (0), a WORK_QUEUE_TYPE. */
export const CriticalWorkQueue = 0;
/** `DelayedWorkQueue` (1), a WORK_QUEUE_TYPE: the one drivers must give IoQueueWorkItem ("IoQueueWorkItem"). */
export const DelayedWorkQueue = 1;
/** `HyperCriticalWorkQueue` (2), a WORK_QUEUE_TYPE. */
export const HyperCriticalWorkQueue = 2;

/** `MAX_DEVICE_ID_LEN`: a device ID, hardware ID, compatible ID or device instance ID is shorter ("Device Instance IDs"). */
export const MAX_DEVICE_ID_LEN = 200;
/**
 * `REGSTR_VAL_MAX_HCID_LEN`: the most characters a hardware or compatible ID list may have, counting
 * the NUL after each ID and the final NUL ("Hardware IDs", "Compatible IDs"; regstr.h). Such a list
 * holds at most 64 IDs.
 */
export const REGSTR_VAL_MAX_HCID_LEN = 1024;
/** The most IDs a hardware or compatible ID list may hold ("Hardware IDs", "Compatible IDs"). */
export const MAX_IDS_PER_LIST = 64;

/** `BusQueryDeviceID` (0), a BUS_QUERY_ID_TYPE. */
export const BusQueryDeviceID = 0;
/** `BusQueryHardwareIDs` (1). */
export const BusQueryHardwareIDs = 1;
/** `BusQueryCompatibleIDs` (2). */
export const BusQueryCompatibleIDs = 2;
/** `BusQueryInstanceID` (3). */
export const BusQueryInstanceID = 3;
/** `BusQueryDeviceSerialNumber` (4). */
export const BusQueryDeviceSerialNumber = 4;
/** `BusQueryContainerID` (5). */
export const BusQueryContainerID = 5;
/** BUS_QUERY_ID_TYPE names by value. */
export const BUS_QUERY_ID_NAMES: Readonly<Record<number, string>> = {
  0: "BusQueryDeviceID",
  1: "BusQueryHardwareIDs",
  2: "BusQueryCompatibleIDs",
  3: "BusQueryInstanceID",
  4: "BusQueryDeviceSerialNumber",
  5: "BusQueryContainerID",
};
/** `DeviceTextDescription` (0), a DEVICE_TEXT_TYPE. */
export const DeviceTextDescription = 0;
/** `DeviceTextLocationInformation` (1). */
export const DeviceTextLocationInformation = 1;
/** DEVICE_TEXT_TYPE names by value. */
export const DEVICE_TEXT_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "DeviceTextDescription",
  1: "DeviceTextLocationInformation",
};

/** `PNP_DEVICE_DISABLED` (0x1). */
export const PNP_DEVICE_DISABLED = 0x00000001;
/** `PNP_DEVICE_DONT_DISPLAY_IN_UI` (0x2). */
export const PNP_DEVICE_DONT_DISPLAY_IN_UI = 0x00000002;
/** `PNP_DEVICE_FAILED` (0x4). */
export const PNP_DEVICE_FAILED = 0x00000004;
/** `PNP_DEVICE_REMOVED` (0x8). */
export const PNP_DEVICE_REMOVED = 0x00000008;
/** `PNP_DEVICE_RESOURCE_REQUIREMENTS_CHANGED` (0x10). */
export const PNP_DEVICE_RESOURCE_REQUIREMENTS_CHANGED = 0x00000010;
/** `PNP_DEVICE_NOT_DISABLEABLE` (0x20). */
export const PNP_DEVICE_NOT_DISABLEABLE = 0x00000020;
/** `PNP_DEVICE_STATE` flag names by value. */
export const PNP_DEVICE_STATE_NAMES: Readonly<Record<number, string>> = {
  [PNP_DEVICE_DISABLED]: "PNP_DEVICE_DISABLED",
  [PNP_DEVICE_DONT_DISPLAY_IN_UI]: "PNP_DEVICE_DONT_DISPLAY_IN_UI",
  [PNP_DEVICE_FAILED]: "PNP_DEVICE_FAILED",
  [PNP_DEVICE_REMOVED]: "PNP_DEVICE_REMOVED",
  [PNP_DEVICE_RESOURCE_REQUIREMENTS_CHANGED]: "PNP_DEVICE_RESOURCE_REQUIREMENTS_CHANGED",
  [PNP_DEVICE_NOT_DISABLEABLE]: "PNP_DEVICE_NOT_DISABLEABLE",
};

// ---- Device objects (wdm.h) --------------------------------------------------------------------------------

/** `DO_BUFFERED_IO` (0x4). */
export const DO_BUFFERED_IO = 0x00000004;
/** `DO_EXCLUSIVE` (0x8). */
export const DO_EXCLUSIVE = 0x00000008;
/** `DO_DIRECT_IO` (0x10). */
export const DO_DIRECT_IO = 0x00000010;
/** `DO_DEVICE_INITIALIZING` (0x80): cleared by the driver at the end of AddDevice. */
export const DO_DEVICE_INITIALIZING = 0x00000080;
/** `DO_BUS_ENUMERATED_DEVICE` (0x1000): set by PnP on every PDO it has been told about. */
export const DO_BUS_ENUMERATED_DEVICE = 0x00001000;
/** `DO_POWER_PAGABLE` (0x2000). */
export const DO_POWER_PAGABLE = 0x00002000;
/** `FILE_DEVICE_CONTROLLER` (0x04). */
export const FILE_DEVICE_CONTROLLER = 0x00000004;
/** `FILE_DEVICE_UNKNOWN` (0x22). */
export const FILE_DEVICE_UNKNOWN = 0x00000022;
/** `FILE_DEVICE_BUS_EXTENDER` (0x2A). */
export const FILE_DEVICE_BUS_EXTENDER = 0x0000002a;
/** `FILE_AUTOGENERATED_DEVICE_NAME` (0x80), a device characteristic. */
export const FILE_AUTOGENERATED_DEVICE_NAME = 0x00000080;
/** `FILE_DEVICE_SECURE_OPEN` (0x100), a device characteristic. */
export const FILE_DEVICE_SECURE_OPEN = 0x00000100;

// ---- Device instance keys (cfgmgr32.h, regstr.h) -------------------------------------------------------------

/** `CONFIGFLAG_DISABLED` (0x1). */
export const CONFIGFLAG_DISABLED = 0x00000001;
/** `CONFIGFLAG_REINSTALL` (0x20). */
export const CONFIGFLAG_REINSTALL = 0x00000020;
/** `CONFIGFLAG_FAILEDINSTALL` (0x40). */
export const CONFIGFLAG_FAILEDINSTALL = 0x00000040;
/** `CONFIGFLAG_FINISH_INSTALL` (0x400). */
export const CONFIGFLAG_FINISH_INSTALL = 0x00000400;
/** `CM_DEVCAP_LOCKSUPPORTED` (0x1), a bit of the Enum key's `Capabilities` value. */
export const CM_DEVCAP_LOCKSUPPORTED = 0x00000001;
/** `CM_DEVCAP_EJECTSUPPORTED` (0x2). */
export const CM_DEVCAP_EJECTSUPPORTED = 0x00000002;
/** `CM_DEVCAP_REMOVABLE` (0x4). */
export const CM_DEVCAP_REMOVABLE = 0x00000004;
/** `CM_DEVCAP_DOCKDEVICE` (0x8). */
export const CM_DEVCAP_DOCKDEVICE = 0x00000008;
/** `CM_DEVCAP_UNIQUEID` (0x10). */
export const CM_DEVCAP_UNIQUEID = 0x00000010;
/** `CM_DEVCAP_SILENTINSTALL` (0x20). */
export const CM_DEVCAP_SILENTINSTALL = 0x00000020;
/** `CM_DEVCAP_RAWDEVICEOK` (0x40). */
export const CM_DEVCAP_RAWDEVICEOK = 0x00000040;
/** `CM_DEVCAP_SURPRISEREMOVALOK` (0x80). */
export const CM_DEVCAP_SURPRISEREMOVALOK = 0x00000080;

/** `CM_PROB_FAILED_START` (10): the device could not start. */
export const CM_PROB_FAILED_START = 10;
/** `CM_PROB_DISABLED` (22): the device is disabled. */
export const CM_PROB_DISABLED = 22;
/** `CM_PROB_DEVICE_NOT_THERE` (24): the device is not present. */
export const CM_PROB_DEVICE_NOT_THERE = 24;
/** `CM_PROB_FAILED_INSTALL` (28): no driver is installed. */
export const CM_PROB_FAILED_INSTALL = 28;
/** `CM_PROB_FAILED_ADD` (31): AddDevice failed. */
export const CM_PROB_FAILED_ADD = 31;
/** `CM_PROB_FAILED_DRIVER_ENTRY` (37): DriverEntry failed. */
export const CM_PROB_FAILED_DRIVER_ENTRY = 37;
/** `CM_PROB_DRIVER_FAILED_LOAD` (39): the driver (or a filter) could not be loaded. */
export const CM_PROB_DRIVER_FAILED_LOAD = 39;
/** `CM_PROB_HELD_FOR_EJECT` (47): prepared for ejection, waiting to be removed. */
export const CM_PROB_HELD_FOR_EJECT = 47;
/** Problem code names by value. */
export const CM_PROB_NAMES: Readonly<Record<number, string>> = {
  10: "CM_PROB_FAILED_START",
  22: "CM_PROB_DISABLED",
  24: "CM_PROB_DEVICE_NOT_THERE",
  28: "CM_PROB_FAILED_INSTALL",
  31: "CM_PROB_FAILED_ADD",
  37: "CM_PROB_FAILED_DRIVER_ENTRY",
  39: "CM_PROB_DRIVER_FAILED_LOAD",
  47: "CM_PROB_HELD_FOR_EJECT",
};

// ---- Device node status (cfg.h), what CM_Get_DevNode_Status reports --------------------------------------

/** `DN_ROOT_ENUMERATED` (0x1): enumerated by the root enumerator. */
export const DN_ROOT_ENUMERATED = 0x00000001;
/** `DN_DRIVER_LOADED` (0x2): its drivers were added (AddDevice ran). */
export const DN_DRIVER_LOADED = 0x00000002;
/** `DN_STARTED` (0x8): configured (started, or stopped for a rebalance). */
export const DN_STARTED = 0x00000008;
/** `DN_HAS_PROBLEM` (0x400): it has a `CM_PROB_*` problem code. */
export const DN_HAS_PROBLEM = 0x00000400;
/** `DN_DISABLEABLE` (0x2000): nothing in its subtree reported PNP_DEVICE_NOT_DISABLEABLE. */
export const DN_DISABLEABLE = 0x00002000;
/** `DN_NT_ENUMERATOR` (0x800000): set on every devnode of an NT-based system. */
export const DN_NT_ENUMERATOR = 0x00800000;
/** `DN_NT_DRIVER` (0x1000000): set on every devnode of an NT-based system. */
export const DN_NT_DRIVER = 0x01000000;
/** `DN_NO_SHOW_IN_DM` (0x40000000): Device Manager hides it (PNP_DEVICE_DONT_DISPLAY_IN_UI). */
export const DN_NO_SHOW_IN_DM = 0x40000000;
/**
 * The names of the flags set in `value`, from a table of single-bit names, in the table's order.
 *
 * @example
 * ```ts
 * import { DN_NAMES, flagNames } from "./constants.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(flagNames(DN_NAMES, 0x0000000a), ["DN_DRIVER_LOADED", "DN_STARTED"]);
 * ```
 */
export function flagNames(table: Readonly<Record<number, string>>, value: number): string[] {
  return Object.entries(table).filter(([bit]) => (value & Number(bit)) !== 0).map(([, n]) => n);
}

/** Device node status flag names by value, lowest bit first. */
export const DN_NAMES: Readonly<Record<number, string>> = {
  [DN_ROOT_ENUMERATED]: "DN_ROOT_ENUMERATED",
  [DN_DRIVER_LOADED]: "DN_DRIVER_LOADED",
  [DN_STARTED]: "DN_STARTED",
  [DN_HAS_PROBLEM]: "DN_HAS_PROBLEM",
  [DN_DISABLEABLE]: "DN_DISABLEABLE",
  [DN_NT_ENUMERATOR]: "DN_NT_ENUMERATOR",
  [DN_NT_DRIVER]: "DN_NT_DRIVER",
  [DN_NO_SHOW_IN_DM]: "DN_NO_SHOW_IN_DM",
};

// ---- I/O control codes (devioctl.h) ---------------------------------------------------------------------

/** `METHOD_BUFFERED` (0). */
export const METHOD_BUFFERED = 0;
/** `FILE_ANY_ACCESS` (0). */
export const FILE_ANY_ACCESS = 0;
/** `FILE_READ_DATA` (1), as an IOCTL's required access. */
export const FILE_READ_DATA = 0x0001;

/**
 * `CTL_CODE(DeviceType, Function, Method, Access)`: an I/O control code.
 *
 * @example
 * ```ts
 * import { CTL_CODE, FILE_DEVICE_BUS_EXTENDER, FILE_READ_DATA, METHOD_BUFFERED } from "./constants.ts";
 * import assert from "node:assert/strict";
 * assert.equal(CTL_CODE(FILE_DEVICE_BUS_EXTENDER, 3, METHOD_BUFFERED, FILE_READ_DATA), 0x2a400c);
 * ```
 */
export function CTL_CODE(deviceType: number, fn: number, method: number, access: number): number {
  return ((deviceType << 16) | (access << 14) | (fn << 2) | method) >>> 0;
}

/** The toaster sample's `IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE`: hide the toaster from Device Manager. */
export const IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE: number = CTL_CODE(
  FILE_DEVICE_BUS_EXTENDER,
  3,
  METHOD_BUFFERED,
  FILE_READ_DATA,
);

// ---- Services (winnt.h) ----------------------------------------------------------------------------------------

/** `SERVICE_KERNEL_DRIVER` (0x1), a service `Type`. */
export const SERVICE_KERNEL_DRIVER = 0x00000001;
/** `SERVICE_BOOT_START` (0). */
export const SERVICE_BOOT_START = 0;
/** `SERVICE_SYSTEM_START` (1). */
export const SERVICE_SYSTEM_START = 1;
/** `SERVICE_AUTO_START` (2). */
export const SERVICE_AUTO_START = 2;
/** `SERVICE_DEMAND_START` (3): PnP loads the driver on demand. */
export const SERVICE_DEMAND_START = 3;
/** `SERVICE_DISABLED` (4). */
export const SERVICE_DISABLED = 4;
/** `SERVICE_ERROR_NORMAL` (1), a service `ErrorControl`. */
export const SERVICE_ERROR_NORMAL = 1;

// ---- Objects drivers create themselves: named devices, pool (wdm.h) -----------------------------------------------

/** `DO_DEVICE_HAS_NAME` (0x40): IoCreateDevice gave the device object a name in the object namespace. */
export const DO_DEVICE_HAS_NAME = 0x00000040;
/** `IRP_MJ_INTERNAL_DEVICE_CONTROL` (0x0F). */
export const IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0f;
/** `IRP_MJ_FLUSH_BUFFERS` (0x09). */
export const IRP_MJ_FLUSH_BUFFERS = 0x09;
/** `IRP_MJ_SHUTDOWN` (0x10). */
export const IRP_MJ_SHUTDOWN = 0x10;
/** `POOL_FLAG_UNINITIALIZED` (0x2): ExAllocatePool2 does not zero the allocation. */
export const POOL_FLAG_UNINITIALIZED = 0x2;
/** `POOL_FLAG_RAISE_ON_FAILURE` (0x20). */
export const POOL_FLAG_RAISE_ON_FAILURE = 0x20;
/** `POOL_FLAG_NON_PAGED` (0x40). */
export const POOL_FLAG_NON_PAGED = 0x40;
/** `POOL_FLAG_NON_PAGED_EXECUTE` (0x80). */
export const POOL_FLAG_NON_PAGED_EXECUTE = 0x80;
/** `POOL_FLAG_PAGED` (0x100). */
export const POOL_FLAG_PAGED = 0x100;

// ---- Power (wdm.h, ntpoapi.h) ---------------------------------------------------------------------------------

/** `DO_POWER_INRUSH` (0x4000): the device needs inrush current when it powers up. */
export const DO_POWER_INRUSH = 0x00004000;

/** `PowerSystemUnspecified` (0), a `SYSTEM_POWER_STATE`. */
export const PowerSystemUnspecified = 0;
/** `PowerSystemWorking` (1): S0. */
export const PowerSystemWorking = 1;
/** `PowerSystemSleeping1` (2): S1. */
export const PowerSystemSleeping1 = 2;
/** `PowerSystemSleeping2` (3): S2. */
export const PowerSystemSleeping2 = 3;
/** `PowerSystemSleeping3` (4): S3. */
export const PowerSystemSleeping3 = 4;
/** `PowerSystemHibernate` (5): S4. */
export const PowerSystemHibernate = 5;
/** `PowerSystemShutdown` (6): S5. */
export const PowerSystemShutdown = 6;
/** `PowerSystemMaximum` (7): the length of `DEVICE_CAPABILITIES.DeviceState`. */
export const PowerSystemMaximum = 7;

/** `PowerDeviceUnspecified` (0), a `DEVICE_POWER_STATE`. */
export const PowerDeviceUnspecified = 0;
/** `PowerDeviceD0` (1): fully on. */
export const PowerDeviceD0 = 1;
/** `PowerDeviceD1` (2). */
export const PowerDeviceD1 = 2;
/** `PowerDeviceD2` (3). */
export const PowerDeviceD2 = 3;
/** `PowerDeviceD3` (4): off. */
export const PowerDeviceD3 = 4;
/** `PowerDeviceMaximum` (5). */
export const PowerDeviceMaximum = 5;

/** `SystemPowerState` (0), a `POWER_STATE_TYPE`. */
export const SystemPowerState = 0;
/** `DevicePowerState` (1), a `POWER_STATE_TYPE`. */
export const DevicePowerState = 1;

/** `IRP_MN_WAIT_WAKE` (0x00), an IRP_MJ_POWER minor function. */
export const IRP_MN_WAIT_WAKE = 0x00;
/** `IRP_MN_POWER_SEQUENCE` (0x01). */
export const IRP_MN_POWER_SEQUENCE = 0x01;
/** `IRP_MN_SET_POWER` (0x02). */
export const IRP_MN_SET_POWER = 0x02;
/** `IRP_MN_QUERY_POWER` (0x03). */
export const IRP_MN_QUERY_POWER = 0x03;

/** IRP_MJ_POWER minor function names (they share numbers with the PnP minor functions). */
export const IRP_MN_POWER_NAMES: Readonly<Record<number, string>> = {
  0x00: "IRP_MN_WAIT_WAKE",
  0x01: "IRP_MN_POWER_SEQUENCE",
  0x02: "IRP_MN_SET_POWER",
  0x03: "IRP_MN_QUERY_POWER",
};

/** `SYSTEM_POWER_STATE` names by value. */
export const SYSTEM_POWER_STATE_NAMES: Readonly<Record<number, string>> = {
  0: "PowerSystemUnspecified",
  1: "PowerSystemWorking",
  2: "PowerSystemSleeping1",
  3: "PowerSystemSleeping2",
  4: "PowerSystemSleeping3",
  5: "PowerSystemHibernate",
  6: "PowerSystemShutdown",
};

/** `DEVICE_POWER_STATE` names by value. */
export const DEVICE_POWER_STATE_NAMES: Readonly<Record<number, string>> = {
  0: "PowerDeviceUnspecified",
  1: "PowerDeviceD0",
  2: "PowerDeviceD1",
  3: "PowerDeviceD2",
  4: "PowerDeviceD3",
};

/** `PowerActionNone` (0), a `POWER_ACTION` (Parameters.Power.ShutdownType). */
export const PowerActionNone = 0;
/** `PowerActionSleep` (2). */
export const PowerActionSleep = 2;
/** `PowerActionHibernate` (3). */
export const PowerActionHibernate = 3;
/** `PowerActionShutdown` (4). */
export const PowerActionShutdown = 4;
/** `PowerActionShutdownReset` (5). */
export const PowerActionShutdownReset = 5;
/** `PowerActionShutdownOff` (6). */
export const PowerActionShutdownOff = 6;

/** `POWER_ACTION` names by value. */
export const POWER_ACTION_NAMES: Readonly<Record<number, string>> = {
  0: "PowerActionNone",
  1: "PowerActionReserved",
  2: "PowerActionSleep",
  3: "PowerActionHibernate",
  4: "PowerActionShutdown",
  5: "PowerActionShutdownReset",
  6: "PowerActionShutdownOff",
  7: "PowerActionWarmEject",
};

/**
 * A power state as people write it: `S0`..`S5` for a `SYSTEM_POWER_STATE`, `D0`..`D3` for a
 * `DEVICE_POWER_STATE` (`Type` is `SystemPowerState` or `DevicePowerState`), `Unspecified` for 0.
 *
 * @example
 * ```ts
 * import { DevicePowerState, PowerDeviceD3, powerStateName, PowerSystemSleeping3, SystemPowerState } from "./constants.ts";
 * import assert from "node:assert/strict";
 * assert.equal(powerStateName(SystemPowerState, PowerSystemSleeping3), "S3");
 * assert.equal(powerStateName(DevicePowerState, PowerDeviceD3), "D3");
 * ```
 */
export function powerStateName(type: number, state: number): string {
  if (type === SystemPowerState) {
    return state >= PowerSystemWorking && state <= PowerSystemShutdown
      ? `S${state - 1}`
      : "Unspecified";
  }
  return state >= PowerDeviceD0 && state <= PowerDeviceD3 ? `D${state - 1}` : "Unspecified";
}
