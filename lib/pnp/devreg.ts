/**
 * The PnP registry: Enum instance keys (hardware keys), Control\Class software keys, Services keys,
 * driver matching and filters, and the routines drivers use instead of opening those trees directly
 * (IoOpenDeviceRegistryKey, IoOpenDriverRegistryKey, IoGetDeviceProperty).
 *
 * @module
 */
import {
  CM_DEVCAP_DOCKDEVICE,
  CM_DEVCAP_EJECTSUPPORTED,
  CM_DEVCAP_LOCKSUPPORTED,
  CM_DEVCAP_RAWDEVICEOK,
  CM_DEVCAP_REMOVABLE,
  CM_DEVCAP_SILENTINSTALL,
  CM_DEVCAP_SURPRISEREMOVALOK,
  CM_DEVCAP_UNIQUEID,
  DevicePropertyAddress,
  DevicePropertyBusNumber,
  DevicePropertyClassGuid,
  DevicePropertyClassName,
  DevicePropertyCompatibleIDs,
  DevicePropertyContainerID,
  DevicePropertyDeviceDescription,
  DevicePropertyDriverKeyName,
  DevicePropertyEnumeratorName,
  DevicePropertyFriendlyName,
  DevicePropertyHardwareID,
  DevicePropertyInstallState,
  DevicePropertyLocationInformation,
  DevicePropertyManufacturer,
  DevicePropertyPhysicalDeviceObjectName,
  DevicePropertyRemovalPolicy,
  DevicePropertyUINumber,
  DriverRegKeyParameters,
  DriverRegKeyPersistentState,
  KEY_READ,
  KEY_WRITE,
  PLUGPLAY_REGKEY_CURRENT_HWPROFILE,
  PLUGPLAY_REGKEY_DEVICE,
  PLUGPLAY_REGKEY_DRIVER,
  REG_DWORD,
  REG_EXPAND_SZ,
  REG_MULTI_SZ,
  REG_SZ,
  SERVICE_DEMAND_START,
  SERVICE_ERROR_NORMAL,
  SERVICE_KERNEL_DRIVER,
} from "../constants.ts";
import type { DeviceObject, DriverObject, DriverSpec } from "../io/objects.ts";
import {
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_PARAMETER_2,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from "../ntstatus.ts";
import type { Handle } from "../ob/handles.ts";
import type { RegData } from "../registry/data.ts";
import type { KeyNode } from "../registry/hive.ts";
import { CCS } from "../registry/system_hive.ts";
import { openKeyNode } from "../registry/zw.ts";
import type { System } from "../system.ts";
import type { DevNode } from "./devnode.ts";
import { normalizeGuid } from "../guid.ts";

/** The rights PnP keys grant (plug-and-play-registry-routines: drivers must not ask for KEY_ALL_ACCESS). */
export const PNP_KEY_ACCESS: number = KEY_READ | KEY_WRITE;

/** The system setup class (buses), `{4d36e97d-e325-11ce-bfc1-08002be10318}`. */
export const GUID_DEVCLASS_SYSTEM = "{4d36e97d-e325-11ce-bfc1-08002be10318}";
/** The "Unknown" setup class, `{4d36e97e-e325-11ce-bfc1-08002be10318}`. */
export const GUID_DEVCLASS_UNKNOWN = "{4d36e97e-e325-11ce-bfc1-08002be10318}";

/** The Enum instance key path of a device. */
export function enumPath(instanceId: string): string {
  return `${CCS}\\Enum\\${instanceId}`;
}

function set(
  sys: System,
  node: KeyNode,
  name: string,
  type: number,
  data: RegData | readonly string[],
): void {
  // A devnode's ID lists are stored as they are (shared, not copied): the hive never edits stored
  // data in place, and ZwQueryValueKey hands out copies.
  sys.hive.setValue(node, { name, type, data: data as RegData });
}

/**
 * A devnode's Enum instance key (created when `create`), remembered on the devnode: PnP reads and
 * writes it many times per device, and walking the path from the root each time is what costs.
 */
export function enumKey(sys: System, node: DevNode, create = false): KeyNode | undefined {
  const cached = node.enumKey as KeyNode | null;
  // A deleted key (or one of a deleted subtree) is marked; a reboot makes new devnodes.
  if (cached && !cached.deleted) return cached;
  const key = create
    ? sys.hive.ensure(enumPath(node.instanceId))
    : sys.hive.find(enumPath(node.instanceId));
  node.enumKey = key ?? null;
  return key;
}

/** A CRC-32 (IEEE, as RtlComputeCrc32) over bytes. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The parent's ParentIdPrefix (`<level>&<crc32 of its instance path>` in hex, as ReactOS's
 * IopGetParentIdPrefix builds it), read from or written to its Enum key.
 */
export function parentIdPrefix(sys: System, parent: DevNode): string {
  const key = enumKey(sys, parent, true)!;
  const existing = key.value("ParentIdPrefix")?.data;
  if (typeof existing === "string") return existing;
  const path = parent.instanceId;
  const bytes = new Uint8Array(path.length * 2);
  for (let i = 0; i < path.length; i++) {
    bytes[i * 2] = path.charCodeAt(i) & 0xff;
    bytes[i * 2 + 1] = path.charCodeAt(i) >>> 8;
  }
  const prefix = `${parent.level.toString(16)}&${crc32(bytes).toString(16)}`;
  set(sys, key, "ParentIdPrefix", REG_SZ, prefix);
  return prefix;
}

/** The Enum key's `Capabilities` bits (CM_DEVCAP_*) for a devnode's capabilities. */
export function capabilityBits(node: DevNode): number {
  const c = node.capabilities;
  return (c.LockSupported ? CM_DEVCAP_LOCKSUPPORTED : 0) |
    (c.EjectSupported ? CM_DEVCAP_EJECTSUPPORTED : 0) |
    (c.Removable ? CM_DEVCAP_REMOVABLE : 0) | (c.DockDevice ? CM_DEVCAP_DOCKDEVICE : 0) |
    (c.UniqueID ? CM_DEVCAP_UNIQUEID : 0) | (c.SilentInstall ? CM_DEVCAP_SILENTINSTALL : 0) |
    (c.RawDeviceOK ? CM_DEVCAP_RAWDEVICEOK : 0) |
    (c.SurpriseRemovalOK ? CM_DEVCAP_SURPRISEREMOVALOK : 0);
}

/** Writes what enumeration learnt to `Enum\<instance>` (HardwareID, CompatibleIDs, DeviceDesc, Capabilities ...). */
export function writeEnumKey(sys: System, node: DevNode): void {
  const key = enumKey(sys, node, true)!;
  if (node.description) set(sys, key, "DeviceDesc", REG_SZ, node.description);
  if (node.location) set(sys, key, "LocationInformation", REG_SZ, node.location);
  set(sys, key, "HardwareID", REG_MULTI_SZ, node.hardwareIds);
  if (node.compatibleIds.length) set(sys, key, "CompatibleIDs", REG_MULTI_SZ, node.compatibleIds);
  set(sys, key, "Capabilities", REG_DWORD, capabilityBits(node));
  if (node.containerId) set(sys, key, "ContainerID", REG_SZ, node.containerId.toLowerCase());
  if (node.capabilities.UINumber !== 0xffffffff) {
    set(sys, key, "UINumber", REG_DWORD, node.capabilities.UINumber);
  }
  if (key.value("ConfigFlags") === undefined) set(sys, key, "ConfigFlags", REG_DWORD, 0);
}

/** The device's ConfigFlags. */
export function configFlags(sys: System, node: DevNode): number {
  const v = enumKey(sys, node)?.value("ConfigFlags")?.data;
  return typeof v === "number" ? v : 0;
}

/** INF-like matching: each hardware ID, most specific first, then each compatible ID, against the loaded drivers. */
export function matchDriver(sys: System, node: DevNode): DriverObject | undefined {
  // Every installed driver matches, loaded or not: one that unloaded after its last device left is
  // loaded again for the next device ("Unload ... may be called any time after all of the driver's
  // devices are removed"); one that could not load leaves the device with a problem code.
  const drivers = [...sys.io.drivers.values()].filter((d) => d.spec.hardwareIds?.length);
  for (const id of [...node.hardwareIds, ...node.compatibleIds]) {
    const hit = drivers.find((d) =>
      d.spec.hardwareIds!.some((h) => h.toUpperCase() === id.toUpperCase())
    );
    if (hit) return hit;
  }
  return undefined;
}

function classGuidOf(spec: DriverSpec): string {
  return normalizeGuid(spec.classGuid ?? GUID_DEVCLASS_UNKNOWN) ??
    (spec.classGuid ?? GUID_DEVCLASS_UNKNOWN).toLowerCase();
}

/**
 * Installs a function driver on a device: Service, ClassGUID, Class, Driver and Mfg in the Enum key,
 * the class key, a software key `Control\Class\{guid}\NNNN` (first free number), and the INF's `.HW`
 * values in `Device Parameters`. Returns true the first time (no software key existed).
 */
export function install(sys: System, node: DevNode, driver: DriverObject): boolean {
  const spec = driver.spec;
  const key = enumKey(sys, node, true)!;
  const classGuid = classGuidOf(spec);
  const className = spec.className ?? (classGuid === GUID_DEVCLASS_SYSTEM ? "System" : "Unknown");
  const classKey = sys.hive.ensure(`${CCS}\\Control\\Class\\${classGuid}`);
  if (classKey.value("") === undefined) {
    set(sys, classKey, "", REG_SZ, className);
    set(sys, classKey, "Class", REG_SZ, className);
  }
  if (spec.classUpperFilters?.length) {
    set(sys, classKey, "UpperFilters", REG_MULTI_SZ, spec.classUpperFilters);
  }
  if (spec.classLowerFilters?.length) {
    set(sys, classKey, "LowerFilters", REG_MULTI_SZ, spec.classLowerFilters);
  }
  const existing = key.value("Driver")?.data;
  let first = false;
  if (typeof existing !== "string" || !existing.toLowerCase().startsWith(classGuid)) {
    const name = firstFreeSoftwareKey(sys, classKey);
    const n = Number(name);
    const sw = sys.hive.createChild(classKey, name, false);
    sw.allowed = PNP_KEY_ACCESS;
    set(sys, sw, "DriverDesc", REG_SZ, node.description || spec.name);
    set(sys, sw, "ProviderName", REG_SZ, "pnplab");
    set(sys, sw, "MatchingDeviceId", REG_SZ, matchingId(node, spec).toLowerCase());
    set(sys, sw, "InfPath", REG_SZ, `oem${n}.inf`);
    set(sys, key, "Driver", REG_SZ, `${classGuid}\\${name}`);
    first = true;
  }
  set(sys, key, "Service", REG_SZ, spec.name);
  set(sys, key, "ClassGUID", REG_SZ, classGuid);
  set(sys, key, "Class", REG_SZ, className);
  set(sys, key, "Mfg", REG_SZ, "pnplab");
  node.driverKey = String(key.value("Driver")!.data);
  if (spec.deviceParameters) {
    const params = sys.hive.ensure(`${enumPath(node.instanceId)}\\Device Parameters`, {
      allowed: PNP_KEY_ACCESS,
    });
    for (const [name, v] of Object.entries(spec.deviceParameters)) {
      if (first || params.value(name) === undefined) set(sys, params, name, v.type, v.data);
    }
  }
  return first;
}

/** Where the last search for a free software key number stopped, per class key. */
const freeKeyHints = new WeakMap<KeyNode, { next: number; deletions: number }>();

/**
 * The first unused `NNNN` under a class key (setupapi's create_driver_key counts up from 0000). The
 * numbers below the last answer were all taken then and, while no key has been deleted since, still
 * are: the search resumes there instead of walking every device of the class again.
 */
function firstFreeSoftwareKey(sys: System, classKey: KeyNode): string {
  const hint = freeKeyHints.get(classKey);
  let n = hint && hint.deletions === sys.hive.deletions ? hint.next : 0;
  while (classKey.child(String(n).padStart(4, "0"))) n++;
  freeKeyHints.set(classKey, { next: n, deletions: sys.hive.deletions });
  return String(n).padStart(4, "0");
}

function matchingId(node: DevNode, spec: DriverSpec): string {
  for (const id of [...node.hardwareIds, ...node.compatibleIds]) {
    if (spec.hardwareIds?.some((h) => h.toUpperCase() === id.toUpperCase())) return id;
  }
  return node.hardwareIds[0] ?? "";
}

/**
 * The filters a device's stack gets, in attach order: lower device filters, lower class filters (below
 * the FDO), then upper device filters, upper class filters (above it).
 */
export function filters(sys: System, node: DevNode): { lower: string[]; upper: string[] } {
  const key = enumKey(sys, node);
  const guid = key?.value("ClassGUID")?.data;
  const classKey = typeof guid === "string"
    ? sys.hive.find(`${CCS}\\Control\\Class\\${guid}`)
    : undefined;
  const list = (k: KeyNode | undefined, name: string) => {
    const v = k?.value(name)?.data;
    return Array.isArray(v) ? v : typeof v === "string" && v ? [v] : [];
  };
  return {
    lower: [...list(key, "LowerFilters"), ...list(classKey, "LowerFilters")],
    upper: [...list(key, "UpperFilters"), ...list(classKey, "UpperFilters")],
  };
}

/** Creates `Services\<name>` (Type, Start, ErrorControl, ImagePath) and returns the DriverEntry RegistryPath. */
export function createServiceKey(sys: System, spec: DriverSpec): string {
  const key = sys.hive.ensure(`${CCS}\\Services\\${spec.name}`);
  set(sys, key, "Type", REG_DWORD, SERVICE_KERNEL_DRIVER);
  set(sys, key, "Start", REG_DWORD, SERVICE_DEMAND_START);
  set(sys, key, "ErrorControl", REG_DWORD, SERVICE_ERROR_NORMAL);
  set(sys, key, "ImagePath", REG_EXPAND_SZ, `\\SystemRoot\\System32\\drivers\\${spec.name}.sys`);
  set(sys, key, "DisplayName", REG_SZ, spec.name);
  if (spec.group) set(sys, key, "Group", REG_SZ, spec.group);
  return `\\Registry\\Machine\\System\\CurrentControlSet\\Services\\${spec.name}`;
}

/**
 * Whether a safe boot loads the service: a key under `Control\SafeBoot\Minimal` names it (with or
 * without `.sys`) or its load order group (BcdLibrary_SafeBoot, SafemodeMinimal).
 */
export function safeBootLoads(sys: System, name: string): boolean {
  const minimal = sys.hive.find(`${CCS}\\Control\\SafeBoot\\Minimal`);
  if (!minimal) return false;
  const group = sys.hive.find(`${CCS}\\Services\\${name}`)?.value("Group")?.data;
  return [name, `${name}.sys`, ...(typeof group === "string" ? [group] : [])].some((n) =>
    minimal.child(n) !== undefined
  );
}

/**
 * Checks that a device object is a PDO PnP knows. Not one (an FDO, a filter): STATUS_INVALID_PARAMETER
 * or `invalid` as the routine documents. A PDO PnP was never told about: bug check 0xCA with
 * parameter 1 = 0x2 ("Invalid PDO ... not returned to Plug and Play by QueryDeviceRelation").
 */
export function requirePdo(
  sys: System,
  device: unknown,
  routine: string,
  invalid: number,
): DevNode | number {
  const node = sys.pnp.nodeOf(device);
  if (node && node.state !== "Absent") return node;
  if (node) return invalid;
  const d = device as DeviceObject | undefined;
  if (
    d && typeof d === "object" && "lower" in d &&
    (d.lower || d.role === "FDO" || d.role === "filter")
  ) return invalid;
  sys.violate(
    "PnpInvalidPdo",
    `${routine} was given a device object PnP was never told about (not returned in BusRelations)`,
    [d && typeof d === "object" && "serial" in d ? d.serial : 0, 0, 0],
  );
  return invalid;
}

/** `IoOpenDeviceRegistryKey`: the hardware key (`Enum\<id>\Device Parameters`) or software key of a device. */
export function IoOpenDeviceRegistryKey(
  sys: System,
  DeviceObject: unknown,
  DevInstKeyType: number,
  DesiredAccess: number,
): { status: number; devInstRegKey?: Handle } {
  const node = requirePdo(sys, DeviceObject, "IoOpenDeviceRegistryKey", STATUS_INVALID_PARAMETER);
  if (typeof node === "number") return { status: node };
  const kind = DevInstKeyType & (PLUGPLAY_REGKEY_DEVICE | PLUGPLAY_REGKEY_DRIVER);
  const unknownBits = DevInstKeyType &
    ~(PLUGPLAY_REGKEY_DEVICE | PLUGPLAY_REGKEY_DRIVER | PLUGPLAY_REGKEY_CURRENT_HWPROFILE);
  if (unknownBits || (kind !== PLUGPLAY_REGKEY_DEVICE && kind !== PLUGPLAY_REGKEY_DRIVER)) {
    return { status: STATUS_INVALID_PARAMETER };
  }
  const profile = (DevInstKeyType & PLUGPLAY_REGKEY_CURRENT_HWPROFILE) !== 0;
  let path: string;
  if (kind === PLUGPLAY_REGKEY_DEVICE) {
    path = profile
      ? `${CCS}\\Hardware Profiles\\Current\\System\\CurrentControlSet\\Enum\\${node.instanceId}`
      : `${enumPath(node.instanceId)}\\Device Parameters`;
  } else {
    const key = enumKey(sys, node, true)!;
    let driverKey = key.value("Driver")?.data;
    if (typeof driverKey !== "string") {
      // A raw device has no software key yet; PnP creates one on first open (ReactOS's IopEnsureDeviceDriverKey).
      const classKey = sys.hive.ensure(`${CCS}\\Control\\Class\\${GUID_DEVCLASS_UNKNOWN}`);
      driverKey = `${GUID_DEVCLASS_UNKNOWN}\\${firstFreeSoftwareKey(sys, classKey)}`;
      set(sys, key, "Driver", REG_SZ, driverKey);
    }
    path = profile
      ? `${CCS}\\Hardware Profiles\\Current\\System\\CurrentControlSet\\Control\\Class\\${driverKey}`
      : `${CCS}\\Control\\Class\\${driverKey}`;
  }
  const target = sys.hive.ensure(path, { allowed: PNP_KEY_ACCESS });
  const r = openKeyNode(sys, target, DesiredAccess, "IoOpenDeviceRegistryKey");
  return r.keyHandle ? { status: r.status, devInstRegKey: r.keyHandle } : { status: r.status };
}

/** `IoOpenDriverRegistryKey`: `Services\<name>\Parameters` (DriverRegKeyParameters) or its PersistentState key. */
export function IoOpenDriverRegistryKey(
  sys: System,
  DriverObject: DriverObject,
  RegKeyType: number,
  DesiredAccess: number,
  Flags: number,
): { status: number; driverRegKey?: Handle } {
  if (Flags !== 0 || !DriverObject || typeof DriverObject.name !== "string") {
    return { status: STATUS_INVALID_PARAMETER };
  }
  const sub = RegKeyType === DriverRegKeyParameters
    ? "Parameters"
    : RegKeyType === DriverRegKeyPersistentState
    ? "State"
    : undefined;
  if (!sub) return { status: STATUS_INVALID_PARAMETER };
  const target = sys.hive.ensure(`${CCS}\\Services\\${DriverObject.name}\\${sub}`, {
    allowed: PNP_KEY_ACCESS,
  });
  const r = openKeyNode(sys, target, DesiredAccess, "IoOpenDriverRegistryKey");
  return r.keyHandle ? { status: r.status, driverRegKey: r.keyHandle } : { status: r.status };
}

function byteSize(data: RegData): number {
  if (typeof data === "number") return 4;
  if (typeof data === "string") return (data.length + 1) * 2;
  if (Array.isArray(data)) return (data.reduce((n, s) => n + s.length + 1, 0) + 1) * 2;
  if (typeof data === "bigint") return 8;
  return data.length;
}

/**
 * `IoGetDeviceProperty`: a property of a PDO. A buffer smaller than the property is
 * STATUS_BUFFER_TOO_SMALL with the needed `resultLength` (callers loop); an unknown property is
 * STATUS_INVALID_PARAMETER_2; a device object that is not a PDO is STATUS_INVALID_DEVICE_REQUEST.
 */
export function IoGetDeviceProperty(
  sys: System,
  DeviceObject: unknown,
  DeviceProperty: number,
  BufferLength?: number,
): { status: number; propertyBuffer?: RegData; resultLength?: number } {
  const node = requirePdo(sys, DeviceObject, "IoGetDeviceProperty", STATUS_INVALID_DEVICE_REQUEST);
  if (typeof node === "number") return { status: node, resultLength: 0 };
  const key = enumKey(sys, node);
  const reg = (name: string) => key?.value(name)?.data;
  const caps = node.capabilities;
  let value: RegData | undefined;
  switch (DeviceProperty) {
    case DevicePropertyDeviceDescription:
      value = reg("DeviceDesc");
      break;
    case DevicePropertyHardwareID:
      value = reg("HardwareID");
      break;
    case DevicePropertyCompatibleIDs:
      value = reg("CompatibleIDs");
      break;
    case DevicePropertyClassName:
      value = reg("Class");
      break;
    case DevicePropertyClassGuid:
      value = reg("ClassGUID");
      break;
    case DevicePropertyDriverKeyName:
      value = reg("Driver");
      break;
    case DevicePropertyManufacturer:
      value = reg("Mfg");
      break;
    case DevicePropertyFriendlyName:
      value = reg("FriendlyName");
      break;
    case DevicePropertyLocationInformation:
      value = reg("LocationInformation");
      break;
    case DevicePropertyPhysicalDeviceObjectName:
      value = node.pdo.name ?? undefined;
      break;
    case DevicePropertyEnumeratorName:
      value = node.instanceId.split("\\")[0];
      break;
    case DevicePropertyAddress:
      value = caps.Address === 0xffffffff ? undefined : caps.Address;
      break;
    case DevicePropertyUINumber:
      value = caps.UINumber === 0xffffffff ? undefined : caps.UINumber;
      break;
    case DevicePropertyBusNumber:
      value = 0;
      break;
    case DevicePropertyInstallState:
      // DEVICE_INSTALL_STATE: InstallStateInstalled 0, InstallStateFailedInstall 2.
      value = reg("Driver") !== undefined || caps.RawDeviceOK ? 0 : 2;
      break;
    case DevicePropertyRemovalPolicy:
      // DEVICE_REMOVAL_POLICY: RemovalPolicyExpectNoRemoval 1, ExpectOrderlyRemoval 2, ExpectSurpriseRemoval 3.
      value = !caps.Removable ? 1 : caps.SurpriseRemovalOK ? 3 : 2;
      break;
    case DevicePropertyContainerID:
      value = reg("ContainerID");
      break;
    case 0x3: // BootConfiguration
    case 0x4: // BootConfigurationTranslated
    case 0xc: // BusTypeGuid
    case 0xd: // LegacyBusType
    case 0x14: // ResourceRequirements
    case 0x15: // AllocatedResources
      value = undefined;
      break;
    default:
      return { status: STATUS_INVALID_PARAMETER_2, resultLength: 0 };
  }
  if (value === undefined) return { status: STATUS_OBJECT_NAME_NOT_FOUND, resultLength: 0 };
  const size = byteSize(value);
  if (BufferLength !== undefined && BufferLength < size) {
    return { status: STATUS_BUFFER_TOO_SMALL, resultLength: size };
  }
  return {
    status: STATUS_SUCCESS,
    propertyBuffer: Array.isArray(value) ? [...value] : value,
    resultLength: size,
  };
}
