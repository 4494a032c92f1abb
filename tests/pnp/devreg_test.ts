/**
 * The PnP registry: what installing a device writes (the Enum hardware key, the Control\Class
 * software key, the Services key; docs/registry.md#reg-pnp-keys and the toaster sample's INF AddReg
 * entries), IoOpenDeviceRegistryKey ("IoOpenDeviceRegistryKey", "Plug and Play registry routines";
 * docs/registry.md#reg-pnp-keys), IoOpenDriverRegistryKey ("IoOpenDriverRegistryKey": the
 * `Services\<driver>` key's subkeys; docs/registry.md#reg-pnp-keys) and IoGetDeviceProperty
 * ("IoGetDeviceProperty", docs/pnp.md#pnp-properties).
 */
import assert from "node:assert/strict";
import {
  boot,
  BugCheck,
  CM_DEVCAP_EJECTSUPPORTED,
  CM_DEVCAP_REMOVABLE,
  CM_DEVCAP_SURPRISEREMOVALOK,
  CM_DEVCAP_UNIQUEID,
  type DeviceObject,
  DevicePropertyEnumeratorName,
  DevicePropertyHardwareID,
  DevicePropertyPhysicalDeviceObjectName,
  type DriverObject,
  DriverRegKeyParameters,
  DriverRegKeyPersistentState,
  type Kernel,
  KEY_ALL_ACCESS,
  KEY_READ,
  KEY_WRITE,
  KeyNameInformation,
  KeyValuePartialInformation,
  type Machine,
  PLUGPLAY_REGKEY_CURRENT_HWPROFILE,
  PLUGPLAY_REGKEY_DEVICE,
  PLUGPLAY_REGKEY_DRIVER,
  REG_DWORD,
  REG_EXPAND_SZ,
  REG_MULTI_SZ,
  REG_SZ,
  STATUS_ACCESS_DENIED,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_PARAMETER_2,
  STATUS_SUCCESS,
} from "../../mod.ts";
import { assertStatus, CCS, enumKey, functionDriver } from "./_helpers.ts";

/** The toaster's setup class (toaster sample). */
const GUID_DEVCLASS_TOASTER = "{B85B7C50-6A01-11D2-B841-00C04FAD5171}";

/** A machine with a `toaster` function driver (class Toaster) and one started toaster. */
function toasterMachine(): { m: Machine; pdo: DeviceObject } {
  const m = boot();
  m.loadDriver(functionDriver("toaster", ["ROOT\\TOASTER"], {
    classGuid: GUID_DEVCLASS_TOASTER,
    className: "Toaster",
  }));
  const pdo = m.plugIn({
    hardwareIds: ["ROOT\\TOASTER", "TOASTER"],
    compatibleIds: ["ROOT\\COMPATIBLE_TOASTER"],
    description: "Microsoft Toaster",
    removable: true,
    ejectSupported: true,
    surpriseRemovalOk: true,
  });
  return { m, pdo };
}

/** The kernel path a key handle refers to (ZwQueryKey with KeyNameInformation). */
function keyPath(k: Kernel, handle: unknown): string {
  const r = k.ZwQueryKey(handle as Parameters<Kernel["ZwQueryKey"]>[0], KeyNameInformation);
  assertStatus(r.status, STATUS_SUCCESS);
  return (r.keyInformation as { Name: string }).Name;
}

// ---- What installation writes -----------------------------------------------------------------------

Deno.test("hklm-system-currentcontrolset-enum-registry-tree: the Enum key holds HardwareID, CompatibleIDs, DeviceDesc, Service, Driver, ClassGUID, ConfigFlags, Capabilities", () => {
  const { m } = toasterMachine();
  const key = enumKey("ROOT\\TOASTER\\0");
  const v = (name: string) => m.registry.getValue(key, name);
  assert.deepEqual(v("HardwareID"), { type: REG_MULTI_SZ, data: ["ROOT\\TOASTER", "TOASTER"] });
  assert.deepEqual(v("CompatibleIDs"), { type: REG_MULTI_SZ, data: ["ROOT\\COMPATIBLE_TOASTER"] });
  assert.deepEqual(v("DeviceDesc"), { type: REG_SZ, data: "Microsoft Toaster" });
  assert.deepEqual(v("Service"), { type: REG_SZ, data: "toaster" });
  // GUIDs are written out in lower case (as Windows writes them in ClassGUID and Driver).
  const guid = GUID_DEVCLASS_TOASTER.toLowerCase();
  assert.deepEqual(v("ClassGUID"), { type: REG_SZ, data: guid });
  assert.deepEqual(v("Driver"), { type: REG_SZ, data: `${guid}\\0000` });
  assert.deepEqual(v("ConfigFlags"), { type: REG_DWORD, data: 0 });
  // No CM_DEVCAP_UNIQUEID: the device is root-enumerated, and the root enumerator's PDO leaves
  // UniqueID as PnP's fresh structure has it, FALSE (Wine test_bus_query_caps, checked on Windows).
  assert.deepEqual(v("Capabilities"), {
    type: REG_DWORD,
    data: CM_DEVCAP_EJECTSUPPORTED | CM_DEVCAP_REMOVABLE | CM_DEVCAP_SURPRISEREMOVALOK,
  });
  assert.equal((v("Capabilities")?.data as number) & CM_DEVCAP_UNIQUEID, 0);
});

Deno.test("hklm-system-currentcontrolset-enum-registry-tree: the software key is Control\\Class\\{guid}\\NNNN, the first free number", () => {
  const { m } = toasterMachine();
  const guid = GUID_DEVCLASS_TOASTER.toLowerCase();
  const classKey = `${CCS}\\Control\\Class\\${guid}`;
  assert.equal(m.registry.getValue(classKey, "")?.data, "Toaster", "the class key names the class");
  assert.deepEqual(m.registry.subkeys(classKey), ["0000"]);
  assert.equal(m.registry.getValue(`${classKey}\\0000`, "MatchingDeviceId")?.type, REG_SZ);
  const second = m.plugIn({ hardwareIds: ["ROOT\\TOASTER"] });
  assert.equal(
    m.registry.getValue(enumKey(m.devnode(second)!.instanceId), "Driver")?.data,
    `${guid}\\0001`,
  );
  assert.deepEqual(m.registry.subkeys(classKey), ["0000", "0001"]);
});

Deno.test("hklm-system-currentcontrolset-services-registry-tree: loading a driver creates Services\\<name> with Type 1, Start 3, ErrorControl 1, ImagePath", () => {
  const { m } = toasterMachine();
  const key = `${CCS}\\Services\\toaster`;
  assert.deepEqual(m.registry.getValue(key, "Type"), { type: REG_DWORD, data: 1 });
  assert.deepEqual(m.registry.getValue(key, "Start"), { type: REG_DWORD, data: 3 });
  assert.deepEqual(m.registry.getValue(key, "ErrorControl"), { type: REG_DWORD, data: 1 });
  assert.deepEqual(m.registry.getValue(key, "ImagePath"), {
    type: REG_EXPAND_SZ,
    data: "\\SystemRoot\\System32\\drivers\\toaster.sys",
  });
});

Deno.test("when-are-wdm-device-objects-created- (DriverEntry): DriverEntry receives RegistryPath \\Registry\\Machine\\System\\CurrentControlSet\\Services\\<name>", () => {
  const m = boot();
  const paths: string[] = [];
  m.loadDriver({
    name: "pathcheck",
    DriverEntry: (_k: Kernel, _d: DriverObject, registryPath: string) => {
      paths.push(registryPath);
      return STATUS_SUCCESS;
    },
  });
  assert.deepEqual(paths, ["\\Registry\\Machine\\System\\CurrentControlSet\\Services\\pathcheck"]);
});

// ---- IoOpenDeviceRegistryKey ------------------------------------------------------------------------

Deno.test("IoOpenDeviceRegistryKey: PLUGPLAY_REGKEY_DEVICE opens Enum\\<instance>\\Device Parameters", () => {
  const { m, pdo } = toasterMachine();
  const k = m.kernel;
  const r = k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, KEY_READ | KEY_WRITE);
  assertStatus(r.status, STATUS_SUCCESS);
  assert.match(keyPath(k, r.devInstRegKey), /\\Enum\\ROOT\\TOASTER\\0\\Device Parameters$/);
  assertStatus(k.ZwSetValueKey(r.devInstRegKey!, "BeepCount", 0, REG_DWORD, 4), STATUS_SUCCESS);
  assertStatus(k.ZwClose(r.devInstRegKey!), STATUS_SUCCESS);
  assert.deepEqual(
    m.registry.getValue(`${enumKey("ROOT\\TOASTER\\0")}\\Device Parameters`, "BeepCount"),
    { type: REG_DWORD, data: 4 },
  );
  assert.equal(m.registry.isVolatile(`${enumKey("ROOT\\TOASTER\\0")}\\Device Parameters`), false);
});

Deno.test("IoOpenDeviceRegistryKey: PLUGPLAY_REGKEY_DRIVER opens the software key the Driver value names", () => {
  const { m, pdo } = toasterMachine();
  const k = m.kernel;
  const r = k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DRIVER, KEY_READ | KEY_WRITE);
  assertStatus(r.status, STATUS_SUCCESS);
  const driver = String(m.registry.getValue(enumKey("ROOT\\TOASTER\\0"), "Driver")?.data);
  assert.ok(keyPath(k, r.devInstRegKey).endsWith(`\\Control\\Class\\${driver}`));
  assertStatus(k.ZwSetValueKey(r.devInstRegKey!, "Setting", 0, REG_SZ, "on"), STATUS_SUCCESS);
  assert.equal(m.registry.getValue(`${CCS}\\Control\\Class\\${driver}`, "Setting")?.data, "on");
});

Deno.test("IoOpenDeviceRegistryKey: PLUGPLAY_REGKEY_CURRENT_HWPROFILE opens the key under Hardware Profiles\\Current\\System\\CurrentControlSet", () => {
  const { m, pdo } = toasterMachine();
  const k = m.kernel;
  const r = k.IoOpenDeviceRegistryKey(
    pdo,
    PLUGPLAY_REGKEY_DEVICE | PLUGPLAY_REGKEY_CURRENT_HWPROFILE,
    KEY_READ | KEY_WRITE,
  );
  assertStatus(r.status, STATUS_SUCCESS);
  assertStatus(k.ZwSetValueKey(r.devInstRegKey!, "PerProfile", 0, REG_DWORD, 7), STATUS_SUCCESS);
  // ReactOS: no Device Parameters subkey for the profile variant.
  const current =
    `${CCS}\\Hardware Profiles\\Current\\System\\CurrentControlSet\\Enum\\ROOT\\TOASTER\\0`;
  assert.deepEqual(m.registry.getValue(current, "PerProfile"), { type: REG_DWORD, data: 7 });
  // Current is the link to the current profile (0001 here).
  const direct =
    `${CCS}\\Hardware Profiles\\0001\\System\\CurrentControlSet\\Enum\\ROOT\\TOASTER\\0`;
  assert.deepEqual(m.registry.getValue(direct, "PerProfile"), { type: REG_DWORD, data: 7 });

  const sw = k.IoOpenDeviceRegistryKey(
    pdo,
    PLUGPLAY_REGKEY_DRIVER | PLUGPLAY_REGKEY_CURRENT_HWPROFILE,
    KEY_READ,
  );
  assertStatus(sw.status, STATUS_SUCCESS);
  assert.match(
    keyPath(k, sw.devInstRegKey),
    /\\Hardware Profiles\\0001\\System\\CurrentControlSet\\Control\\Class\\/,
  );
});

Deno.test("IoOpenDeviceRegistryKey: DEVICE and DRIVER together, or neither, is STATUS_INVALID_PARAMETER", () => {
  const { m, pdo } = toasterMachine();
  const k = m.kernel;
  for (
    const type of [
      PLUGPLAY_REGKEY_DEVICE | PLUGPLAY_REGKEY_DRIVER,
      0,
      PLUGPLAY_REGKEY_CURRENT_HWPROFILE,
      PLUGPLAY_REGKEY_DEVICE | PLUGPLAY_REGKEY_DRIVER | PLUGPLAY_REGKEY_CURRENT_HWPROFILE,
    ]
  ) {
    const r = k.IoOpenDeviceRegistryKey(pdo, type, KEY_READ);
    assertStatus(r.status, STATUS_INVALID_PARAMETER, `DevInstKeyType ${type}`);
    assert.equal(r.devInstRegKey, undefined);
  }
});

Deno.test("plug-and-play-registry-routines: asking for KEY_ALL_ACCESS on a PnP key is STATUS_ACCESS_DENIED", () => {
  const { m, pdo } = toasterMachine();
  for (const type of [PLUGPLAY_REGKEY_DEVICE, PLUGPLAY_REGKEY_DRIVER]) {
    const r = m.kernel.IoOpenDeviceRegistryKey(pdo, type, KEY_ALL_ACCESS);
    assertStatus(r.status, STATUS_ACCESS_DENIED, `DevInstKeyType ${type}`);
  }
});

Deno.test("plug-and-play-registry-routines (the sample's bug): open with KEY_READ, then ZwSetValueKey succeeds in the driver (previous mode KernelMode: ObReferenceObjectByHandle does not compare access) and is a KeyHandleAccess finding naming KEY_SET_VALUE", () => {
  const m = boot();
  const statuses: number[] = [];
  m.loadDriver(functionDriver("sample", ["ROOT\\SAMPLE"], {
    AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
      // The documentation's sample, as written: KEY_READ, then a write.
      const r = k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DRIVER, KEY_READ);
      statuses.push(r.status);
      statuses.push(k.ZwSetValueKey(r.devInstRegKey!, "Value", 0, REG_DWORD, 1));
      k.ZwClose(r.devInstRegKey!);
      const fdo = k.IoCreateDevice(driver, 0, null, 0x22, 0, false).deviceObject!;
      fdo.DeviceExtension.LowerDeviceObject = k.IoAttachDeviceToDeviceStack(fdo, pdo);
      fdo.Flags &= ~0x80;
      return STATUS_SUCCESS;
    },
  }));
  m.plugIn("ROOT\\SAMPLE");
  assertStatus(statuses[0], STATUS_SUCCESS);
  assertStatus(statuses[1], STATUS_SUCCESS);
  const driverKey = String(m.registry.getValue(enumKey("ROOT\\SAMPLE\\0"), "Driver")?.data);
  assert.deepEqual(
    m.registry.getValue(`${CCS}\\Control\\Class\\${driverKey}`, "Value"),
    { type: REG_DWORD, data: 1 },
  );
  const finding = m.verifier.findings.find((f) => f.rule === "KeyHandleAccess");
  assert.match(
    finding?.message ?? "",
    /^sample!AddDevice called ZwSetValueKey .* lacks KEY_SET_VALUE/,
  );
  assert.match(finding?.doc ?? "", /Plug and Play Registry Routines/);
});

Deno.test("IoOpenDeviceRegistryKey: an FDO is not a PDO: STATUS_INVALID_PARAMETER", () => {
  const { m, pdo } = toasterMachine();
  const fdo = pdo.AttachedDevice!;
  assert.equal(m.devnode(pdo)!.stack[0]!.role, "FDO");
  const r = m.kernel.IoOpenDeviceRegistryKey(fdo, PLUGPLAY_REGKEY_DEVICE, KEY_READ);
  assertStatus(r.status, STATUS_INVALID_PARAMETER);
});

Deno.test("irp-mn-query-device-relations (warning; bug check 0xCA): a device object PnP was never told about is bug check 0xCA, parameter 1 = 0x2", () => {
  const m = boot();
  const driver = m.loadDriver({ name: "orphan" });
  const created = m.kernel.IoCreateDevice(driver, 0, null, 0x22, 0, false);
  assertStatus(created.status, STATUS_SUCCESS);
  let caught: unknown;
  try {
    m.kernel.IoOpenDeviceRegistryKey(created.deviceObject!, PLUGPLAY_REGKEY_DEVICE, KEY_READ);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof BugCheck, "a bug check, not a status");
  assert.equal(caught.code, 0xca);
  assert.equal(caught.parameters[0], 0x2);
  assert.ok(m.halted);
});

// ---- IoOpenDriverRegistryKey ------------------------------------------------------------------------

Deno.test("IoOpenDriverRegistryKey: DriverRegKeyParameters opens Services\\<name>\\Parameters, where the INF's AddReg values are and the driver's writes land", () => {
  const m = boot();
  // What the INF's AddReg put there before the driver loads.
  m.registry.setValue(`${CCS}\\Services\\widget\\Parameters`, "Mode", REG_DWORD, 2);
  const driver = m.loadDriver({ name: "widget" });
  const k = m.kernel;
  const r = k.IoOpenDriverRegistryKey(driver, DriverRegKeyParameters, KEY_READ | KEY_WRITE);
  assertStatus(r.status, STATUS_SUCCESS);
  assert.match(keyPath(k, r.driverRegKey), /\\Services\\widget\\Parameters$/);
  const q = k.ZwQueryValueKey(r.driverRegKey!, "Mode", KeyValuePartialInformation);
  assertStatus(q.status, STATUS_SUCCESS);
  assert.equal((q.keyValueInformation as { Data?: unknown }).Data, 2);
  assertStatus(k.ZwSetValueKey(r.driverRegKey!, "Written", 0, REG_SZ, "yes"), STATUS_SUCCESS);
  assertStatus(k.ZwClose(r.driverRegKey!), STATUS_SUCCESS);
  assert.deepEqual(m.registry.getValue(`${CCS}\\Services\\widget\\Parameters`, "Written"), {
    type: REG_SZ,
    data: "yes",
  });
});

Deno.test("IoOpenDriverRegistryKey: DriverRegKeyPersistentState opens a key of the driver's own, not Parameters, whose values survive a reboot", () => {
  const m = boot();
  const boots: number[] = [];
  const paths: string[] = [];
  m.loadDriver({
    name: "stateful",
    // Each load counts itself in its persistent state.
    DriverEntry(k: Kernel, driver: DriverObject): number {
      const r = k.IoOpenDriverRegistryKey(
        driver,
        DriverRegKeyPersistentState,
        KEY_READ | KEY_WRITE,
      );
      if (r.status !== STATUS_SUCCESS) return r.status;
      paths.push(keyPath(k, r.driverRegKey));
      const q = k.ZwQueryValueKey(r.driverRegKey!, "Loads", KeyValuePartialInformation);
      const before = (q.keyValueInformation as { Data?: unknown } | undefined)?.Data;
      const loads = (typeof before === "number" ? before : 0) + 1;
      boots.push(loads);
      k.ZwSetValueKey(r.driverRegKey!, "Loads", 0, REG_DWORD, loads);
      k.ZwClose(r.driverRegKey!);
      return STATUS_SUCCESS;
    },
  });
  m.reboot();
  assert.deepEqual(boots, [1, 2]);
  assert.equal(paths.length, 2);
  assert.match(paths[0]!, /\\Services\\stateful\\[^\\]+$/, "a subkey of the driver's service key");
  assert.doesNotMatch(paths[0]!, /\\Parameters$/);
  assert.equal(paths[1], paths[0]);
});

// The sources name no status for these (IoOpenDeviceRegistryKey gives STATUS_INVALID_PARAMETER for
// an illegal DevInstKeyType, docs/registry.md#reg-pnp-keys); the model answers the same here.
Deno.test("IoOpenDriverRegistryKey: an unknown RegKeyType, or Flags other than 0, fails with STATUS_INVALID_PARAMETER and no handle", () => {
  const m = boot();
  const driver = m.loadDriver({ name: "widget" });
  const k = m.kernel;
  const badType = k.IoOpenDriverRegistryKey(driver, 0x7777, KEY_READ);
  assertStatus(badType.status, STATUS_INVALID_PARAMETER);
  assert.equal(badType.driverRegKey, undefined);
  for (const type of [DriverRegKeyParameters, DriverRegKeyPersistentState]) {
    const badFlags = k.IoOpenDriverRegistryKey(driver, type, KEY_READ, 1);
    assertStatus(badFlags.status, STATUS_INVALID_PARAMETER, `RegKeyType ${type}, Flags 1`);
    assert.equal(badFlags.driverRegKey, undefined);
  }
});

Deno.test("IoOpenDriverRegistryKey (ZwSetValueKey needs KEY_SET_VALUE; docs/registry.md#reg-access-mode): the handle grants the access asked for; a KEY_READ handle reads, and a write through it is a KeyHandleAccess finding (kernel mode: not refused)", () => {
  const m = boot();
  const key = `${CCS}\\Services\\widget\\Parameters`;
  m.registry.setValue(key, "Mode", REG_DWORD, 2);
  const driver = m.loadDriver({ name: "widget" });
  const k = m.kernel;
  const r = k.IoOpenDriverRegistryKey(driver, DriverRegKeyParameters, KEY_READ);
  assertStatus(r.status, STATUS_SUCCESS);
  assertStatus(
    k.ZwQueryValueKey(r.driverRegKey!, "Mode", KeyValuePartialInformation).status,
    STATUS_SUCCESS,
  );
  assertStatus(k.ZwSetValueKey(r.driverRegKey!, "Mode", 0, REG_DWORD, 3), STATUS_SUCCESS);
  assertStatus(k.ZwClose(r.driverRegKey!), STATUS_SUCCESS);
  assert.deepEqual(m.registry.getValue(key, "Mode"), { type: REG_DWORD, data: 3 });
  const finding = m.verifier.findings.find((f) => f.rule === "KeyHandleAccess");
  assert.match(
    finding?.message ?? "",
    /IoOpenDriverRegistryKey opened with KEY_READ: it lacks KEY_SET_VALUE/,
  );
});

// ---- IoGetDeviceProperty ----------------------------------------------------------------------------

Deno.test("IoGetDeviceProperty: a buffer too small is STATUS_BUFFER_TOO_SMALL with the size needed in resultLength", () => {
  const { m, pdo } = toasterMachine();
  const k = m.kernel;
  const small = k.IoGetDeviceProperty(pdo, DevicePropertyEnumeratorName, 2);
  assertStatus(small.status, STATUS_BUFFER_TOO_SMALL);
  // "ROOT" and its NUL in UTF-16.
  assert.equal(small.resultLength, 10);
  assert.equal(small.propertyBuffer, undefined);
  // The caller's loop: ask again with what it was told.
  const full = k.IoGetDeviceProperty(pdo, DevicePropertyEnumeratorName, small.resultLength);
  assertStatus(full.status, STATUS_SUCCESS);
  assert.equal(full.propertyBuffer, "ROOT");
  assert.equal(full.resultLength, 10);
});

Deno.test("IoGetDeviceProperty: HardwareID is a REG_MULTI_SZ list (string[]) sized with both final NULs", () => {
  const { m, pdo } = toasterMachine();
  const r = m.kernel.IoGetDeviceProperty(pdo, DevicePropertyHardwareID);
  assertStatus(r.status, STATUS_SUCCESS);
  assert.deepEqual(r.propertyBuffer, ["ROOT\\TOASTER", "TOASTER"]);
  assert.equal(r.resultLength, ("ROOT\\TOASTER".length + 1 + "TOASTER".length + 1 + 1) * 2);
});

Deno.test("IoGetDeviceProperty: PhysicalDeviceObjectName is the PDO's object name, NUL included in the length", () => {
  const { m, pdo } = toasterMachine();
  const r = m.kernel.IoGetDeviceProperty(pdo, DevicePropertyPhysicalDeviceObjectName);
  assertStatus(r.status, STATUS_SUCCESS);
  assert.equal(typeof r.propertyBuffer, "string");
  assert.match(String(r.propertyBuffer), /^\\Device\\[0-9A-F]{8}$/);
  assert.equal(r.propertyBuffer, pdo.name);
  assert.equal(r.resultLength, (String(r.propertyBuffer).length + 1) * 2);
});

Deno.test("IoGetDeviceProperty: an unknown DEVICE_REGISTRY_PROPERTY is STATUS_INVALID_PARAMETER_2", () => {
  const { m, pdo } = toasterMachine();
  assertStatus(m.kernel.IoGetDeviceProperty(pdo, 0x7777).status, STATUS_INVALID_PARAMETER_2);
});

Deno.test("IoGetDeviceProperty: an FDO is not a PDO: STATUS_INVALID_DEVICE_REQUEST", () => {
  const { m, pdo } = toasterMachine();
  const r = m.kernel.IoGetDeviceProperty(pdo.AttachedDevice!, DevicePropertyEnumeratorName);
  assertStatus(r.status, STATUS_INVALID_DEVICE_REQUEST);
});
