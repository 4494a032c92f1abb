/**
 * The Zw registry routines against the documented rules (WDK DDI pages nf-wdm-zw*.md, "Object
 * Handles", "Opening a Handle to a Registry-Key Object", and Wine's ntdll registry tests, which run
 * on Windows). Each test names the rule it checks.
 */
import assert from "node:assert/strict";
import {
  boot,
  BugCheck,
  DELETE,
  DISPATCH_LEVEL,
  ERROR_ACCESS_DENIED,
  ERROR_SUCCESS,
  GENERIC_READ,
  GENERIC_WRITE,
  type Handle,
  HKEY_LOCAL_MACHINE,
  type Kernel,
  KEY_ALL_ACCESS,
  KEY_CREATE_SUB_KEY,
  KEY_ENUMERATE_SUB_KEYS,
  KEY_NOTIFY,
  KEY_QUERY_VALUE,
  KEY_READ,
  KEY_SET_VALUE,
  KEY_WRITE,
  KeyBasicInformation,
  KeyFullInformation,
  KeyNameInformation,
  KeyNodeInformation,
  KeyValueBasicInformation,
  KeyValueFullInformation,
  KeyValuePartialInformation,
  MAXIMUM_ALLOWED,
  OBJ_KERNEL_HANDLE,
  OBJ_OPENLINK,
  PLUGPLAY_REGKEY_DEVICE,
  REG_BINARY,
  REG_CREATED_NEW_KEY,
  REG_DWORD,
  REG_EXPAND_SZ,
  REG_LINK,
  REG_MULTI_SZ,
  REG_NONE,
  REG_OPENED_EXISTING_KEY,
  REG_OPTION_CREATE_LINK,
  REG_OPTION_NON_VOLATILE,
  REG_OPTION_VOLATILE,
  REG_QWORD,
  REG_SZ,
  STATUS_ACCESS_DENIED,
  STATUS_BUFFER_OVERFLOW,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_CANNOT_DELETE,
  STATUS_CHILD_MUST_BE_VOLATILE,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_KEY_DELETED,
  STATUS_NO_MORE_ENTRIES,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_SYNTAX_BAD,
  STATUS_SUCCESS,
} from "../../mod.ts";
import type {
  KEY_BASIC_INFORMATION,
  KEY_FULL_INFORMATION,
  KEY_NAME_INFORMATION,
  KEY_NODE_INFORMATION,
  KEY_VALUE_BASIC_INFORMATION,
  KEY_VALUE_FULL_INFORMATION,
  KEY_VALUE_PARTIAL_INFORMATION,
} from "../../mod.ts";
import {
  asApplication,
  assertStatus,
  CCS,
  createKey,
  keyHandleAccessFindings,
  openKey,
  SOFTWARE,
  withTempDir,
} from "./_helpers.ts";

const HKLM_SOFTWARE = "HKLM\\SOFTWARE";

// ---- The standard trees ---------------------------------------------------------------------------

Deno.test("the standard trees exist at boot: Services, Control\\Class, Control\\DeviceClasses, Control\\IDConfigDB, Enum\\HTREE\\ROOT\\0, Hardware Profiles\\0001 and Current, RunOnce (registry trees for device installation)", () => {
  const m = boot();
  const k = m.kernel;
  for (
    const path of [
      `${CCS}\\Services`,
      `${CCS}\\Control\\Class`,
      `${CCS}\\Control\\DeviceClasses`,
      `${CCS}\\Control\\IDConfigDB`,
      `${CCS}\\Enum`,
      `${CCS}\\Enum\\HTREE\\ROOT\\0`,
      `${CCS}\\Hardware Profiles\\0001`,
      `${CCS}\\Hardware Profiles\\Current`,
      "\\Registry\\Machine\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
    ]
  ) {
    const r = k.ZwOpenKey(KEY_READ, path);
    assertStatus(r.status, STATUS_SUCCESS, path);
    k.ZwClose(r.keyHandle);
  }
  // IDConfigDB\CurrentConfig names the current profile; Current points at it.
  assert.deepEqual(m.registry.getValue(`${CCS}\\Control\\IDConfigDB`, "CurrentConfig"), {
    type: REG_DWORD,
    data: 1,
  });
  const current = openKey(k, `${CCS}\\Hardware Profiles\\Current`, KEY_READ);
  const name = k.ZwQueryKey(current, KeyNameInformation).keyInformation as KEY_NAME_INFORMATION;
  assert.match(name.Name, /\\ControlSet001\\Hardware Profiles\\0001$/i);
});

Deno.test("every hardware profile gets a numbered key 0001, 0002 ... and Current follows IDConfigDB\\CurrentConfig (Hardware Profiles tree)", () => {
  const m = boot({ hardwareProfiles: ["Docked", "Undocked"], currentProfile: "Undocked" });
  assert.equal(m.registry.exists(`${CCS}\\Hardware Profiles\\0001`), true);
  assert.equal(m.registry.exists(`${CCS}\\Hardware Profiles\\0002`), true);
  assert.equal(
    m.registry.getValue(`${CCS}\\Control\\IDConfigDB`, "CurrentConfig")?.data,
    2,
  );
  const h = openKey(m.kernel, `${CCS}\\Hardware Profiles\\Current`, KEY_READ);
  const name = m.kernel.ZwQueryKey(h, KeyNameInformation).keyInformation as KEY_NAME_INFORMATION;
  assert.match(name.Name, /\\Hardware Profiles\\0002$/);
});

// ---- ZwCreateKey ------------------------------------------------------------------------------------

Deno.test("ZwCreateKey creates a missing key with REG_CREATED_NEW_KEY and opens an existing one with REG_OPENED_EXISTING_KEY (ZwCreateKey: Disposition)", () => {
  const m = boot();
  const k = m.kernel;
  const first = k.ZwCreateKey(KEY_ALL_ACCESS, `${SOFTWARE}\\Contoso`, 0, null, 0);
  assertStatus(first.status, STATUS_SUCCESS);
  assert.equal(first.disposition, REG_CREATED_NEW_KEY);
  assert.equal(m.registry.exists(`${HKLM_SOFTWARE}\\Contoso`), true);
  const second = k.ZwCreateKey(KEY_ALL_ACCESS, `${SOFTWARE}\\Contoso`, 0, null, 0);
  assertStatus(second.status, STATUS_SUCCESS);
  assert.equal(second.disposition, REG_OPENED_EXISTING_KEY);
  assert.notEqual(second.keyHandle, first.keyHandle);
});

Deno.test("ZwCreateKey of an existing key leaves its values and its volatility unchanged (ZwCreateKey: an existing key is opened)", () => {
  const m = boot();
  const k = m.kernel;
  const h = createKey(k, `${SOFTWARE}\\Stable`);
  assertStatus(k.ZwSetValueKey(h, "Kept", 0, REG_DWORD, 7), STATUS_SUCCESS);
  const again = k.ZwCreateKey(KEY_READ, `${SOFTWARE}\\Stable`, 0, null, REG_OPTION_VOLATILE);
  assertStatus(again.status, STATUS_SUCCESS);
  assert.equal(again.disposition, REG_OPENED_EXISTING_KEY);
  assert.equal(m.registry.isVolatile(`${HKLM_SOFTWARE}\\Stable`), false);
  assert.deepEqual(m.registry.getValue(`${HKLM_SOFTWARE}\\Stable`, "Kept"), {
    type: REG_DWORD,
    data: 7,
  });
  // The other way round: a volatile key stays volatile when opened without REG_OPTION_VOLATILE.
  createKey(k, `${SOFTWARE}\\Fleeting`, KEY_READ, REG_OPTION_VOLATILE);
  const reopened = k.ZwCreateKey(KEY_READ, `${SOFTWARE}\\Fleeting`, 0, null, 0);
  assert.equal(reopened.disposition, REG_OPENED_EXISTING_KEY);
  assert.equal(m.registry.isVolatile(`${HKLM_SOFTWARE}\\Fleeting`), true);
});

Deno.test("ZwCreateKey with a missing intermediate key is STATUS_OBJECT_NAME_NOT_FOUND and creates nothing (ZwCreateKey: a new key is a direct child)", () => {
  const m = boot();
  const r = m.kernel.ZwCreateKey(KEY_ALL_ACCESS, `${SOFTWARE}\\Missing\\Child`, 0, null, 0);
  assertStatus(r.status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(r.keyHandle, undefined);
  assert.equal(m.registry.exists(`${HKLM_SOFTWARE}\\Missing`), false);
});

Deno.test("a name without a leading backslash and no RootDirectory is STATUS_OBJECT_PATH_SYNTAX_BAD (Opening a Handle to a Registry-Key Object: the full path starts with \\Registry)", () => {
  const k = boot().kernel;
  assertStatus(
    k.ZwCreateKey(KEY_ALL_ACCESS, "Registry\\Machine\\Software\\X", 0, null, 0).status,
    STATUS_OBJECT_PATH_SYNTAX_BAD,
  );
  assertStatus(
    k.ZwOpenKey(KEY_READ, { ObjectName: "Registry\\Machine\\Software" }).status,
    STATUS_OBJECT_PATH_SYNTAX_BAD,
  );
});

Deno.test("trailing and doubled backslashes in a key name are accepted (Wine's NtCreateKey tests on Windows)", () => {
  const m = boot();
  const k = m.kernel;
  const r = k.ZwCreateKey(KEY_ALL_ACCESS, `${SOFTWARE}\\\\Slashes\\`, 0, null, 0);
  assertStatus(r.status, STATUS_SUCCESS);
  assert.equal(r.disposition, REG_CREATED_NEW_KEY);
  assert.deepEqual(m.registry.subkeys(HKLM_SOFTWARE).includes("Slashes"), true);
  assertStatus(k.ZwOpenKey(KEY_READ, `${SOFTWARE}\\Slashes\\\\`).status, STATUS_SUCCESS);
});

Deno.test("a non-volatile key under a volatile key is STATUS_CHILD_MUST_BE_VOLATILE; a volatile one is created (ZwCreateKey: REG_OPTION_VOLATILE)", () => {
  const m = boot();
  const k = m.kernel;
  // HKLM\HARDWARE is rebuilt at every boot and is volatile.
  const hw = k.ZwCreateKey(KEY_ALL_ACCESS, "\\Registry\\Machine\\HARDWARE\\Mine", 0, null, 0);
  assertStatus(hw.status, STATUS_CHILD_MUST_BE_VOLATILE);
  assert.equal(m.registry.exists("HKLM\\HARDWARE\\Mine"), false);

  createKey(k, `${SOFTWARE}\\Volatile`, KEY_ALL_ACCESS, REG_OPTION_VOLATILE);
  assertStatus(
    k.ZwCreateKey(KEY_ALL_ACCESS, `${SOFTWARE}\\Volatile\\Stable`, 0, null, REG_OPTION_NON_VOLATILE)
      .status,
    STATUS_CHILD_MUST_BE_VOLATILE,
  );
  const child = k.ZwCreateKey(
    KEY_ALL_ACCESS,
    `${SOFTWARE}\\Volatile\\Fleeting`,
    0,
    null,
    REG_OPTION_VOLATILE,
  );
  assertStatus(child.status, STATUS_SUCCESS);
  assert.equal(m.registry.isVolatile(`${HKLM_SOFTWARE}\\Volatile\\Fleeting`), true);
});

Deno.test("ZwCreateKey relative to a RootDirectory handle creates a direct child whatever access that handle was granted, from kernel and from user mode (Wine's advapi32 test_reg_create_key, run on Windows: all versions ignore the access rights to the parent handle)", () => {
  const m = boot();
  const k = m.kernel;
  const readOnly = openKey(k, SOFTWARE, KEY_READ);
  assertStatus(
    k.ZwCreateKey(KEY_READ, { ObjectName: "Relative", RootDirectory: readOnly }, 0, null, 0)
      .status,
    STATUS_SUCCESS,
  );
  assert.equal(m.registry.exists(`${HKLM_SOFTWARE}\\Relative`), true);
  // Not a use of the parent handle's rights, so not a finding either.
  assert.deepEqual(keyHandleAccessFindings(m), []);
  asApplication(m, "tool", () => {
    const notifyOnly = openKey(k, SOFTWARE, KEY_NOTIFY);
    const r = k.ZwCreateKey(KEY_SET_VALUE, { ObjectName: "FromApp", RootDirectory: notifyOnly });
    assertStatus(r.status, STATUS_SUCCESS);
  });
  assert.equal(m.registry.exists(`${HKLM_SOFTWARE}\\FromApp`), true);
  assertStatus(k.ZwDeleteKey(openKey(k, `${SOFTWARE}\\Relative`, DELETE)), STATUS_SUCCESS);

  const creator = openKey(k, SOFTWARE, KEY_CREATE_SUB_KEY);
  const r = k.ZwCreateKey(KEY_READ, { ObjectName: "Relative", RootDirectory: creator }, 0, null, 0);
  assertStatus(r.status, STATUS_SUCCESS);
  assert.equal(r.disposition, REG_CREATED_NEW_KEY);
  assert.equal(m.registry.exists(`${HKLM_SOFTWARE}\\Relative`), true);
});

// ---- ZwOpenKey ----------------------------------------------------------------------------------------

Deno.test("ZwOpenKey of a missing key is STATUS_OBJECT_NAME_NOT_FOUND and opens nothing (Opening a Handle to a Registry-Key Object)", () => {
  const m = boot();
  const r = m.kernel.ZwOpenKey(KEY_READ, `${SOFTWARE}\\NoSuchKey`);
  assertStatus(r.status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(r.keyHandle, undefined);
  assert.equal(m.registry.exists(`${HKLM_SOFTWARE}\\NoSuchKey`), false);
});

Deno.test("ZwOpenKey looks names up case-insensitively and the key keeps the case it was created with (registry names are case-insensitive, case-preserving)", () => {
  const k = boot().kernel;
  createKey(k, `${SOFTWARE}\\MixedCase`);
  const h = openKey(k, "\\REGISTRY\\MACHINE\\software\\mixedcase", KEY_READ);
  const info = k.ZwQueryKey(h, KeyBasicInformation).keyInformation as KEY_BASIC_INFORMATION;
  assert.equal(info.Name, "MixedCase");
});

Deno.test("ZwOpenKey relative to a RootDirectory handle opens a descendant; a name starting with a backslash there is STATUS_OBJECT_PATH_SYNTAX_BAD (InitializeObjectAttributes)", () => {
  const k = boot().kernel;
  const software = openKey(k, SOFTWARE, KEY_READ);
  const r = k.ZwOpenKey(KEY_READ, {
    ObjectName: "Microsoft\\Windows\\CurrentVersion",
    RootDirectory: software,
  });
  assertStatus(r.status, STATUS_SUCCESS);
  const name = k.ZwQueryKey(r.keyHandle, KeyNameInformation).keyInformation as KEY_NAME_INFORMATION;
  assert.equal(
    name.Name.toUpperCase(),
    `${SOFTWARE}\\Microsoft\\Windows\\CurrentVersion`.toUpperCase(),
  );
  assertStatus(
    k.ZwOpenKey(KEY_READ, { ObjectName: "\\Microsoft", RootDirectory: software }).status,
    STATUS_OBJECT_PATH_SYNTAX_BAD,
  );
  assertStatus(
    k.ZwOpenKey(KEY_READ, { ObjectName: "NotThere", RootDirectory: software }).status,
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
});

Deno.test("GENERIC_READ and GENERIC_WRITE are granted as KEY_READ and KEY_WRITE, which user-mode calls then need (Opening a Handle to a Registry-Key Object; ObReferenceObjectByHandle checks UserMode callers)", () => {
  const m = boot();
  const k = m.kernel;
  createKey(k, `${SOFTWARE}\\Generic`);
  asApplication(m, "tool", () => checkGenericRights(k));
  // Kernel mode: nothing refused, and each right the handle lacked is a finding.
  const reader = openKey(k, `${SOFTWARE}\\Generic`, GENERIC_READ);
  assertStatus(k.ZwSetValueKey(reader, "V", 0, REG_DWORD, 2), STATUS_SUCCESS);
  assert.match(
    keyHandleAccessFindings(m)[0] ?? "",
    /ZwSetValueKey .* KEY_READ: it lacks KEY_SET_VALUE/,
  );
});

function checkGenericRights(k: Kernel): void {
  const reader = openKey(k, `${SOFTWARE}\\Generic`, GENERIC_READ);
  assertStatus(k.ZwSetValueKey(reader, "V", 0, REG_DWORD, 1), STATUS_ACCESS_DENIED);
  assertStatus(k.ZwEnumerateKey(reader, 0, KeyBasicInformation).status, STATUS_NO_MORE_ENTRIES);

  const writer = openKey(k, `${SOFTWARE}\\Generic`, GENERIC_WRITE);
  assertStatus(k.ZwSetValueKey(writer, "V", 0, REG_DWORD, 1), STATUS_SUCCESS);
  assertStatus(
    k.ZwQueryValueKey(writer, "V", KeyValuePartialInformation).status,
    STATUS_ACCESS_DENIED,
  );
  // KEY_WRITE has no DELETE right.
  assertStatus(k.ZwDeleteKey(writer), STATUS_ACCESS_DENIED);
  assertStatus(k.ZwQueryValueKey(reader, "V", KeyValuePartialInformation).status, STATUS_SUCCESS);
}

Deno.test("opening through CurrentControlSet reaches ControlSet001, because CurrentControlSet is a link (HKLM\\SYSTEM\\CurrentControlSet registry tree)", () => {
  const m = boot();
  const k = m.kernel;
  const h = createKey(k, `${CCS}\\Services\\Toaster`);
  const name = k.ZwQueryKey(h, KeyNameInformation).keyInformation as KEY_NAME_INFORMATION;
  assert.match(name.Name, /\\SYSTEM\\ControlSet001\\Services\\Toaster$/i);
  assert.equal(m.registry.exists("HKLM\\SYSTEM\\ControlSet001\\Services\\Toaster"), true);
});

// ---- Access checks ----------------------------------------------------------------------------------

Deno.test("ZwSetValueKey on a KEY_READ handle is STATUS_ACCESS_DENIED from user mode, and succeeds from kernel mode with a KeyHandleAccess finding (seed: Plug and Play Registry Routines sample; ObReferenceObjectByHandle: access compared for UserMode only)", () => {
  // The sample opens the device's hardware key with KEY_READ and then calls ZwSetValueKey(handle,
  // "Value", 0, REG_DWORD, &Value, sizeof(ULONG)): the write needs KEY_SET_VALUE.
  const m = boot();
  const k = m.kernel;
  const path = `${CCS}\\Enum\\HTREE\\ROOT\\0`;
  asApplication(m, "tool", () => {
    const handle = openKey(k, path, KEY_READ);
    assertStatus(k.ZwSetValueKey(handle, "Value", 0, REG_DWORD, 109, 4), STATUS_ACCESS_DENIED);
    assert.equal(m.registry.getValue(path, "Value"), undefined);
    const call = m.trace.findLast((e) => e.kind === "call" && e.routine === "ZwSetValueKey");
    assert.equal(call?.kind === "call" ? call.statusName : undefined, "STATUS_ACCESS_DENIED");
    assertStatus(k.ZwClose(handle), STATUS_SUCCESS);
  });
  assert.deepEqual(keyHandleAccessFindings(m), []);

  // Kernel mode: the handle's access is not compared, the value is written, the verifier says why.
  const handle = openKey(k, path, KEY_READ);
  assertStatus(k.ZwSetValueKey(handle, "Value", 0, REG_DWORD, 108, 4), STATUS_SUCCESS);
  assert.deepEqual(m.registry.getValue(path, "Value"), { type: REG_DWORD, data: 108 });
  const [finding] = keyHandleAccessFindings(m);
  assert.match(finding ?? "", /lacks KEY_SET_VALUE/);
  assert.match(finding ?? "", /previous mode KernelMode/);
  assert.match(finding ?? "", /Plug and Play Registry Routines/);
  assertStatus(k.ZwClose(handle), STATUS_SUCCESS);

  // The corrected sample asks for the minimum right the write needs.
  const writer = openKey(k, path, KEY_SET_VALUE);
  assertStatus(k.ZwSetValueKey(writer, "Value", 0, REG_DWORD, 109, 4), STATUS_SUCCESS);
  assert.deepEqual(m.registry.getValue(path, "Value"), { type: REG_DWORD, data: 109 });
  assert.equal(keyHandleAccessFindings(m).length, 1);
});

Deno.test("the seed sample as written: IoOpenDeviceRegistryKey(PLUGPLAY_REGKEY_DEVICE, KEY_READ) then ZwSetValueKey writes the value on Windows (previous mode KernelMode) and is a KeyHandleAccess finding in strict mode too; an application's RegSetValueEx through KEY_READ is ERROR_ACCESS_DENIED (seed: Plug and Play Registry Routines; ObReferenceObjectByHandle)", () => {
  const m = boot();
  const k = m.kernel;
  const pdo = m.plugIn("ROOT\\TOASTER");
  const hardwareKey = "HKLM\\SYSTEM\\CurrentControlSet\\Enum\\ROOT\\TOASTER\\0\\Device Parameters";
  const read = k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, KEY_READ);
  assertStatus(read.status, STATUS_SUCCESS);
  assertStatus(k.ZwSetValueKey(read.devInstRegKey, "Value", 0, REG_DWORD, 108, 4), STATUS_SUCCESS);
  assert.deepEqual(m.registry.getValue(hardwareKey, "Value"), { type: REG_DWORD, data: 108 });
  assert.equal(m.halted, false);
  assert.match(
    keyHandleAccessFindings(m)[0] ?? "",
    /IoOpenDeviceRegistryKey opened with KEY_READ: it lacks KEY_SET_VALUE/,
  );
  assertStatus(k.ZwClose(read.devInstRegKey), STATUS_SUCCESS);

  // An application (previous mode UserMode) gets the write refused through the same right.
  const app = m.app("tool");
  const opened = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, hardwareKey.slice(5), 0, KEY_READ);
  assert.equal(opened.error, ERROR_SUCCESS);
  assert.equal(
    app.RegSetValueEx(opened.hkResult!, "Value", 0, REG_DWORD, 107),
    ERROR_ACCESS_DENIED,
  );
  assert.deepEqual(m.registry.getValue(hardwareKey, "Value"), { type: REG_DWORD, data: 108 });
  assert.equal(app.RegCloseKey(opened.hkResult!), ERROR_SUCCESS);

  const write = k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, KEY_SET_VALUE);
  assertStatus(write.status, STATUS_SUCCESS);
  assertStatus(k.ZwSetValueKey(write.devInstRegKey, "Value", 0, REG_DWORD, 109, 4), STATUS_SUCCESS);
  assert.deepEqual(m.registry.getValue(hardwareKey, "Value"), { type: REG_DWORD, data: 109 });
  assertStatus(k.ZwClose(write.devInstRegKey), STATUS_SUCCESS);
});

Deno.test("ZwDeleteValueKey without KEY_SET_VALUE is STATUS_ACCESS_DENIED from user mode and the value stays; from kernel mode it deletes, with a finding naming KEY_SET_VALUE (ZwDeleteValueKey; ObReferenceObjectByHandle)", () => {
  const m = boot();
  const k = m.kernel;
  const h = createKey(k, `${SOFTWARE}\\DelVal`);
  k.ZwSetValueKey(h, "Keep", 0, REG_SZ, "x");
  asApplication(m, "tool", () => {
    const reader = openKey(k, `${SOFTWARE}\\DelVal`, KEY_READ);
    assertStatus(k.ZwDeleteValueKey(reader, "Keep"), STATUS_ACCESS_DENIED);
  });
  assert.deepEqual(m.registry.valueNames(`${HKLM_SOFTWARE}\\DelVal`), ["Keep"]);
  const reader = openKey(k, `${SOFTWARE}\\DelVal`, KEY_READ);
  assertStatus(k.ZwDeleteValueKey(reader, "Keep"), STATUS_SUCCESS);
  assert.deepEqual(m.registry.valueNames(`${HKLM_SOFTWARE}\\DelVal`), []);
  assert.match(keyHandleAccessFindings(m)[0] ?? "", /ZwDeleteValueKey .* lacks KEY_SET_VALUE/);
});

Deno.test("ZwDeleteKey without DELETE is STATUS_ACCESS_DENIED from user mode, even with KEY_WRITE or KEY_READ | KEY_WRITE; from kernel mode it deletes, with a finding naming DELETE (ZwDeleteKey; ObReferenceObjectByHandle)", () => {
  const m = boot();
  const k = m.kernel;
  createKey(k, `${SOFTWARE}\\NoDelete`);
  asApplication(m, "tool", () => {
    for (const access of [KEY_READ, KEY_WRITE, KEY_READ | KEY_WRITE]) {
      const h = openKey(k, `${SOFTWARE}\\NoDelete`, access);
      assertStatus(k.ZwDeleteKey(h), STATUS_ACCESS_DENIED, `access 0x${access.toString(16)}`);
    }
    assert.equal(m.registry.exists(`${HKLM_SOFTWARE}\\NoDelete`), true);
    assertStatus(k.ZwDeleteKey(openKey(k, `${SOFTWARE}\\NoDelete`, DELETE)), STATUS_SUCCESS);
  });
  assert.equal(m.registry.exists(`${HKLM_SOFTWARE}\\NoDelete`), false);
  assert.deepEqual(keyHandleAccessFindings(m), []);
  createKey(k, `${SOFTWARE}\\NoDelete`);
  assertStatus(k.ZwDeleteKey(openKey(k, `${SOFTWARE}\\NoDelete`, KEY_WRITE)), STATUS_SUCCESS);
  assert.equal(m.registry.exists(`${HKLM_SOFTWARE}\\NoDelete`), false);
  assert.match(keyHandleAccessFindings(m)[0] ?? "", /ZwDeleteKey .* KEY_WRITE: it lacks DELETE/);
});

Deno.test("ZwQueryValueKey, ZwEnumerateValueKey and ZwQueryKey need KEY_QUERY_VALUE, ZwEnumerateKey needs KEY_ENUMERATE_SUB_KEYS, checked for user-mode callers; KeyNameInformation needs no right; kernel-mode callers get findings instead (ZwQueryKey, ZwEnumerateKey; ObReferenceObjectByHandle)", () => {
  const m = boot();
  const k = m.kernel;
  const h = createKey(k, `${SOFTWARE}\\Rights`);
  k.ZwSetValueKey(h, "V", 0, REG_DWORD, 1);
  createKey(k, `${SOFTWARE}\\Rights\\Sub`);
  asApplication(m, "tool", () => checkReadRights(k));
  assert.deepEqual(keyHandleAccessFindings(m), []);
  const enumOnly = openKey(k, `${SOFTWARE}\\Rights`, KEY_ENUMERATE_SUB_KEYS);
  assertStatus(k.ZwQueryValueKey(enumOnly, "V", KeyValuePartialInformation).status, STATUS_SUCCESS);
  const queryOnly = openKey(k, `${SOFTWARE}\\Rights`, KEY_QUERY_VALUE);
  assertStatus(k.ZwEnumerateKey(queryOnly, 0, KeyBasicInformation).status, STATUS_SUCCESS);
  const findings = keyHandleAccessFindings(m);
  assert.match(findings[0] ?? "", /ZwQueryValueKey .* lacks KEY_QUERY_VALUE/);
  assert.match(findings[1] ?? "", /ZwEnumerateKey .* lacks KEY_ENUMERATE_SUB_KEYS/);
});

function checkReadRights(k: Kernel): void {
  const enumOnly = openKey(k, `${SOFTWARE}\\Rights`, KEY_ENUMERATE_SUB_KEYS);
  assertStatus(
    k.ZwQueryValueKey(enumOnly, "V", KeyValuePartialInformation).status,
    STATUS_ACCESS_DENIED,
  );
  assertStatus(
    k.ZwEnumerateValueKey(enumOnly, 0, KeyValueBasicInformation).status,
    STATUS_ACCESS_DENIED,
  );
  assertStatus(k.ZwQueryKey(enumOnly, KeyFullInformation).status, STATUS_ACCESS_DENIED);
  assertStatus(k.ZwEnumerateKey(enumOnly, 0, KeyBasicInformation).status, STATUS_SUCCESS);

  const queryOnly = openKey(k, `${SOFTWARE}\\Rights`, KEY_QUERY_VALUE);
  assertStatus(k.ZwEnumerateKey(queryOnly, 0, KeyBasicInformation).status, STATUS_ACCESS_DENIED);
  assertStatus(
    k.ZwQueryValueKey(queryOnly, "V", KeyValuePartialInformation).status,
    STATUS_SUCCESS,
  );
  assertStatus(
    k.ZwEnumerateValueKey(queryOnly, 0, KeyValueBasicInformation).status,
    STATUS_SUCCESS,
  );
  assertStatus(k.ZwQueryKey(queryOnly, KeyFullInformation).status, STATUS_SUCCESS);

  const nothing = openKey(k, `${SOFTWARE}\\Rights`, 0);
  assertStatus(k.ZwQueryKey(nothing, KeyNameInformation).status, STATUS_SUCCESS);
  assertStatus(k.ZwQueryKey(nothing, KeyBasicInformation).status, STATUS_ACCESS_DENIED);
}

Deno.test("opening with more access than the key's security allows is STATUS_ACCESS_DENIED; MAXIMUM_ALLOWED grants what it allows (ZwCreateKey/ZwOpenKey: the key's security decides)", async () => {
  await withTempDir((dir) => {
    const file = `${dir}/system.hive`;
    const first = boot({ hiveFile: file });
    first.registry.setValue(`${HKLM_SOFTWARE}\\Locked`, "V", REG_DWORD, 1);
    first.saveHive();
    // The hive file records each key's security as the rights it allows; make Locked read-only.
    const json = JSON.parse(Deno.readTextFileSync(file));
    const locked = json.keys.find((key: { path: string }) => /\\SOFTWARE\\Locked$/i.test(key.path));
    locked.allowed = KEY_READ;
    Deno.writeTextFileSync(file, JSON.stringify(json));

    const m = boot({ hiveFile: file });
    const k = m.kernel;
    for (const access of [KEY_WRITE, KEY_SET_VALUE, KEY_ALL_ACCESS, DELETE]) {
      const r = k.ZwOpenKey(access, `${SOFTWARE}\\Locked`);
      assertStatus(r.status, STATUS_ACCESS_DENIED, `access 0x${access.toString(16)}`);
      assert.equal(r.keyHandle, undefined);
    }
    assertStatus(
      k.ZwCreateKey(KEY_WRITE, `${SOFTWARE}\\Locked`, 0, null, 0).status,
      STATUS_ACCESS_DENIED,
    );
    // A new key under it needs KEY_CREATE_SUB_KEY, which its security does not allow.
    assertStatus(
      k.ZwCreateKey(KEY_READ, `${SOFTWARE}\\Locked\\Child`, 0, null, 0).status,
      STATUS_ACCESS_DENIED,
    );
    const reader = openKey(k, `${SOFTWARE}\\Locked`, KEY_READ);
    assertStatus(k.ZwQueryValueKey(reader, "V", KeyValuePartialInformation).status, STATUS_SUCCESS);
    // MAXIMUM_ALLOWED granted KEY_READ only: an application's write through it is refused.
    asApplication(m, "tool", () => {
      const most = openKey(k, `${SOFTWARE}\\Locked`, MAXIMUM_ALLOWED);
      assertStatus(k.ZwQueryValueKey(most, "V", KeyValuePartialInformation).status, STATUS_SUCCESS);
      assertStatus(k.ZwSetValueKey(most, "V", 0, REG_DWORD, 2), STATUS_ACCESS_DENIED);
    });
  });
});

Deno.test("MAXIMUM_ALLOWED adds what the key's security allows to the rights asked for, but a right asked for explicitly that the key does not allow is still STATUS_ACCESS_DENIED, through ZwOpenKey, ZwCreateKey and IoOpenDeviceRegistryKey (SeAccessCheck: every requested right must be granted; Plug and Play Registry Routines: KEY_ALL_ACCESS is refused)", () => {
  const m = boot();
  const k = m.kernel;
  const pdo = m.plugIn("ROOT\\TOASTER");
  const hardwareKey = `${CCS}\\Enum\\ROOT\\TOASTER\\0\\Device Parameters`;
  // Rights the key allows, with MAXIMUM_ALLOWED, get everything it allows: PnP keys allow
  // KEY_READ | KEY_WRITE, so KEY_SET_VALUE but not DELETE.
  const most = k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, KEY_READ | MAXIMUM_ALLOWED);
  assertStatus(most.status, STATUS_SUCCESS);
  assertStatus(k.ZwSetValueKey(most.devInstRegKey, "V", 0, REG_DWORD, 1), STATUS_SUCCESS);
  assert.deepEqual(keyHandleAccessFindings(m), []);
  // DELETE or KEY_ALL_ACCESS asked for explicitly is denied, MAXIMUM_ALLOWED or not.
  for (const access of [KEY_ALL_ACCESS | MAXIMUM_ALLOWED, DELETE | MAXIMUM_ALLOWED]) {
    const name = `0x${access.toString(16)}`;
    assertStatus(k.ZwOpenKey(access, hardwareKey).status, STATUS_ACCESS_DENIED, name);
    assertStatus(k.ZwCreateKey(access, hardwareKey, 0, null, 0).status, STATUS_ACCESS_DENIED, name);
    const r = k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, access);
    assertStatus(r.status, STATUS_ACCESS_DENIED, name);
    assert.equal(r.devInstRegKey, undefined);
  }
  // Denied exactly like KEY_ALL_ACCESS alone.
  assertStatus(
    k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, KEY_ALL_ACCESS).status,
    STATUS_ACCESS_DENIED,
  );
  // The handle lacks DELETE: kernel mode deletes anyway (previous mode KernelMode), with a finding.
  assertStatus(k.ZwDeleteKey(most.devInstRegKey), STATUS_SUCCESS);
  assert.match(keyHandleAccessFindings(m)[0] ?? "", /ZwDeleteKey .* lacks DELETE/);
});

Deno.test("a DesiredAccess that is not a 32-bit number is STATUS_INVALID_PARAMETER, not an access of 0 (ground rule: bad calls return the documented NTSTATUS)", () => {
  const m = boot();
  const k = m.kernel;
  const pdo = m.plugIn("ROOT\\TOASTER");
  const path = `${SOFTWARE}\\Access`;
  createKey(k, path);
  const bad: unknown[] = [
    undefined,
    null,
    "KEY_READ",
    NaN,
    1.5,
    2 ** 32,
    {},
    [KEY_READ],
    1n,
    Symbol("r"),
  ];
  for (const access of bad) {
    const name = typeof access === "symbol"
      ? access.toString()
      : `${typeof access} ${String(access)}`;
    assertStatus(k.ZwOpenKey(access as never, path).status, STATUS_INVALID_PARAMETER, name);
    assertStatus(
      k.ZwCreateKey(access as never, `${path}\\New`, 0, null, 0).status,
      STATUS_INVALID_PARAMETER,
      name,
    );
    assertStatus(
      k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, access as never).status,
      STATUS_INVALID_PARAMETER,
      name,
    );
  }
  assert.equal(m.registry.exists(`HKLM\\SOFTWARE\\Access\\New`), false);
});

Deno.test("each handle keeps the access granted when it was opened: two handles to one key answer a user-mode caller differently (Object Handles: granted access per handle; ObReferenceObjectByHandle)", () => {
  const m = boot();
  const k = m.kernel;
  createKey(k, `${SOFTWARE}\\TwoHandles`);
  asApplication(m, "tool", () => checkTwoHandles(k));
  // The kernel-mode verdicts differ too: a finding for the handle without the right only.
  const reader = openKey(k, `${SOFTWARE}\\TwoHandles`, KEY_READ);
  const writer = openKey(k, `${SOFTWARE}\\TwoHandles`, KEY_SET_VALUE);
  assertStatus(k.ZwSetValueKey(writer, "V", 0, REG_DWORD, 3), STATUS_SUCCESS);
  assert.deepEqual(keyHandleAccessFindings(m), []);
  assertStatus(k.ZwSetValueKey(reader, "V", 0, REG_DWORD, 4), STATUS_SUCCESS);
  assert.equal(keyHandleAccessFindings(m).length, 1);
});

function checkTwoHandles(k: Kernel): void {
  const reader = openKey(k, `${SOFTWARE}\\TwoHandles`, KEY_READ);
  const writer = openKey(k, `${SOFTWARE}\\TwoHandles`, KEY_SET_VALUE);
  assertStatus(k.ZwSetValueKey(reader, "V", 0, REG_DWORD, 1), STATUS_ACCESS_DENIED);
  assertStatus(k.ZwSetValueKey(writer, "V", 0, REG_DWORD, 1), STATUS_SUCCESS);
  assertStatus(
    k.ZwQueryValueKey(writer, "V", KeyValuePartialInformation).status,
    STATUS_ACCESS_DENIED,
  );
  assertStatus(k.ZwQueryValueKey(reader, "V", KeyValuePartialInformation).status, STATUS_SUCCESS);
}

// ---- Values and their sizes ---------------------------------------------------------------------------

Deno.test("value sizes are the Windows byte sizes: REG_SZ (chars+1)*2, REG_MULTI_SZ sum(chars+1)*2+2, empty REG_MULTI_SZ 2 (the lone \\0 of an empty sequence), REG_DWORD 4, REG_QWORD 8 (Registry value types; ZwSetValueKey: sizes include the NULs)", () => {
  const k = boot().kernel;
  const h = createKey(k, `${SOFTWARE}\\Sizes`);
  const cases: [string, number, unknown, number][] = [
    ["sz", REG_SZ, "abc", 8],
    ["emptySz", REG_SZ, "", 2],
    ["expand", REG_EXPAND_SZ, "%SystemRoot%", 26],
    ["multi", REG_MULTI_SZ, ["ab", "c"], (3 + 2) * 2 + 2],
    ["multiOne", REG_MULTI_SZ, ["ROOT\\TOASTER"], 13 * 2 + 2],
    // "Registry value types": "An empty sequence would be defined as follows: \0".
    ["multiEmpty", REG_MULTI_SZ, [], 2],
    ["dword", REG_DWORD, 0xdeadbeef, 4],
    ["qword", REG_QWORD, 0x1_0000_0000n, 8],
    ["binary", REG_BINARY, new Uint8Array([1, 2, 3]), 3],
    ["binaryEmpty", REG_BINARY, new Uint8Array(0), 0],
  ];
  for (const [name, type, data] of cases) {
    assertStatus(k.ZwSetValueKey(h, name, 0, type, data as never), STATUS_SUCCESS, name);
  }
  for (const [name, type, data, size] of cases) {
    const q = k.ZwQueryValueKey(h, name, KeyValuePartialInformation);
    assertStatus(q.status, STATUS_SUCCESS, name);
    const info = q.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION;
    assert.equal(info.Type, type, name);
    assert.equal(info.DataLength, size, name);
    assert.equal(q.resultLength, 12 + size, name);
    assert.deepEqual(info.Data, data, name);
  }
  const full = k.ZwQueryKey(h, KeyFullInformation).keyInformation as KEY_FULL_INFORMATION;
  assert.equal(full.MaxValueDataLen, 28);
});

Deno.test("ZwSetValueKey stores exactly DataSize bytes (ZwSetValueKey: DataSize is the size of the data)", () => {
  const k = boot().kernel;
  const h = createKey(k, `${SOFTWARE}\\DataSize`);
  // A REG_SZ written without its terminating NUL is stored (and reported) that way.
  assertStatus(k.ZwSetValueKey(h, "NoNul", 0, REG_SZ, "abc", 6), STATUS_SUCCESS);
  const q = k.ZwQueryValueKey(h, "NoNul", KeyValuePartialInformation);
  assert.equal((q.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION).DataLength, 6);
  assert.equal(q.resultLength, 18);
  // Padding past the NUL is kept as well.
  assertStatus(k.ZwSetValueKey(h, "Padded", 0, REG_SZ, "abc", 20), STATUS_SUCCESS);
  const p = k.ZwQueryValueKey(h, "Padded", KeyValuePartialInformation);
  const padded = p.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION;
  assert.equal(padded.DataLength, 20);
  assert.equal(padded.Data, "abc");
});

Deno.test('ZwSetValueKey with Data NULL and DataSize 0 stores a 0-byte value of any type, REG_NONE and the custom type 0xff00ff00 included (Wine ntdll/tests/reg.c test_NtQueryValueKey "custtest")', () => {
  const k = boot().kernel;
  const h = createKey(k, `${SOFTWARE}\\Empty`);
  for (
    const type of [0xff00ff00, REG_NONE, REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD, REG_MULTI_SZ]
  ) {
    const name = `type${type.toString(16)}`;
    assertStatus(k.ZwSetValueKey(h, name, 0, type, null, 0), STATUS_SUCCESS, name);
    const q = k.ZwQueryValueKey(h, name, KeyValuePartialInformation);
    assertStatus(q.status, STATUS_SUCCESS, name);
    const info = q.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION;
    assert.equal(info.Type, type, name);
    assert.equal(info.DataLength, 0, name);
    assert.equal(q.resultLength, 12, name);
  }
  // No data but a size: there is nothing to read the bytes from.
  assertStatus(k.ZwSetValueKey(h, "sized", 0, REG_BINARY, null, 4), STATUS_INVALID_PARAMETER);
  assertStatus(
    k.ZwQueryValueKey(h, "sized", KeyValuePartialInformation).status,
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
});

Deno.test("ZwSetValueKey replaces an existing value in place; value names are unique per key and case-insensitive (ZwSetValueKey)", () => {
  const m = boot();
  const k = m.kernel;
  const h = createKey(k, `${SOFTWARE}\\Replace`);
  k.ZwSetValueKey(h, "First", 0, REG_DWORD, 1);
  k.ZwSetValueKey(h, "Second", 0, REG_DWORD, 2);
  assertStatus(k.ZwSetValueKey(h, "FIRST", 0, REG_SZ, "now a string"), STATUS_SUCCESS);
  assert.deepEqual(m.registry.valueNames(`${HKLM_SOFTWARE}\\Replace`), ["First", "Second"]);
  assert.deepEqual(m.registry.getValue(`${HKLM_SOFTWARE}\\Replace`, "first"), {
    type: REG_SZ,
    data: "now a string",
  });
});

Deno.test("a NULL ValueName names the key's default value, the one with an empty name (ZwSetValueKey: ValueName)", () => {
  const m = boot();
  const k = m.kernel;
  const h = createKey(k, `${SOFTWARE}\\Default`);
  assertStatus(k.ZwSetValueKey(h, null, 0, REG_SZ, "default"), STATUS_SUCCESS);
  const q = k.ZwQueryValueKey(h, "", KeyValueBasicInformation);
  assertStatus(q.status, STATUS_SUCCESS);
  assert.deepEqual(q.keyValueInformation, {
    TitleIndex: 0,
    Type: REG_SZ,
    NameLength: 0,
    Name: "",
  });
  assert.equal(m.registry.getValue(`${HKLM_SOFTWARE}\\Default`, "")?.data, "default");
});

// ---- ZwQueryValueKey ----------------------------------------------------------------------------------

function valueKey(): { k: ReturnType<typeof boot>["kernel"]; h: Handle } {
  const k = boot().kernel;
  const h = createKey(k, `${SOFTWARE}\\Query`);
  // "Value" is 10 name bytes; "abcdefg" is 16 data bytes.
  assertStatus(k.ZwSetValueKey(h, "Value", 0, REG_SZ, "abcdefg"), STATUS_SUCCESS);
  return { k, h };
}

Deno.test("ZwQueryValueKey KeyValueBasicInformation is a 12-byte header and the name bytes, not NUL-terminated (KEY_VALUE_BASIC_INFORMATION)", () => {
  const { k, h } = valueKey();
  const q = k.ZwQueryValueKey(h, "value", KeyValueBasicInformation);
  assertStatus(q.status, STATUS_SUCCESS);
  assert.equal(q.resultLength, 12 + 10);
  assert.deepEqual(q.keyValueInformation, {
    TitleIndex: 0,
    Type: REG_SZ,
    NameLength: 10,
    Name: "Value",
  });
});

Deno.test("ZwQueryValueKey KeyValuePartialInformation is a 12-byte header and the data (KEY_VALUE_PARTIAL_INFORMATION)", () => {
  const { k, h } = valueKey();
  const q = k.ZwQueryValueKey(h, "Value", KeyValuePartialInformation, 28);
  assertStatus(q.status, STATUS_SUCCESS);
  assert.equal(q.resultLength, 12 + 16);
  assert.deepEqual(q.keyValueInformation, {
    TitleIndex: 0,
    Type: REG_SZ,
    DataLength: 16,
    Data: "abcdefg",
  });
});

Deno.test("ZwQueryValueKey KeyValueFullInformation is a 20-byte header and the name, then the data at DataOffset aligned to 4 (KEY_VALUE_FULL_INFORMATION)", () => {
  const { k, h } = valueKey();
  const q = k.ZwQueryValueKey(h, "Value", KeyValueFullInformation);
  assertStatus(q.status, STATUS_SUCCESS);
  const info = q.keyValueInformation as KEY_VALUE_FULL_INFORMATION;
  // 20 + 10 name bytes = 30, aligned up to 32.
  assert.equal(info.DataOffset, 32);
  assert.equal(info.DataLength, 16);
  assert.equal(info.NameLength, 10);
  assert.equal(info.Name, "Value");
  assert.equal(info.Data, "abcdefg");
  assert.equal(q.resultLength, 32 + 16);
});

Deno.test("a Length below the fixed header is STATUS_BUFFER_TOO_SMALL with nothing returned and resultLength the full size (ZwQueryValueKey)", () => {
  const { k, h } = valueKey();
  const cases: [number, number, number][] = [
    [KeyValueBasicInformation, 11, 22],
    [KeyValueFullInformation, 19, 48],
    [KeyValuePartialInformation, 11, 28],
    [KeyValuePartialInformation, 0, 28],
  ];
  for (const [infoClass, length, full] of cases) {
    const q = k.ZwQueryValueKey(h, "Value", infoClass, length);
    assertStatus(q.status, STATUS_BUFFER_TOO_SMALL, `class ${infoClass}, Length ${length}`);
    assert.equal(q.keyValueInformation, undefined);
    assert.equal(q.resultLength, full);
  }
});

Deno.test("a Length that holds the header but not everything is STATUS_BUFFER_OVERFLOW with the header and what fits, resultLength the full size (ZwQueryValueKey)", () => {
  const { k, h } = valueKey();
  const basic = k.ZwQueryValueKey(h, "Value", KeyValueBasicInformation, 16);
  assertStatus(basic.status, STATUS_BUFFER_OVERFLOW);
  assert.equal(basic.resultLength, 22);
  assert.deepEqual(basic.keyValueInformation, {
    TitleIndex: 0,
    Type: REG_SZ,
    NameLength: 10,
    Name: "Va",
  });

  const partial = k.ZwQueryValueKey(h, "Value", KeyValuePartialInformation, 12 + 4);
  assertStatus(partial.status, STATUS_BUFFER_OVERFLOW);
  assert.equal(partial.resultLength, 28);
  const p = partial.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION;
  assert.equal(p.DataLength, 16);
  assert.deepEqual(p.Data, new Uint8Array([0x61, 0, 0x62, 0]));

  const full = k.ZwQueryValueKey(h, "Value", KeyValueFullInformation, 20);
  assertStatus(full.status, STATUS_BUFFER_OVERFLOW);
  assert.equal(full.resultLength, 48);
  const f = full.keyValueInformation as KEY_VALUE_FULL_INFORMATION;
  assert.equal(f.DataLength, 16);
  assert.equal(f.NameLength, 10);
  assert.equal(f.Name, "");

  // The documented pattern: retry with resultLength.
  const retry = k.ZwQueryValueKey(h, "Value", KeyValueFullInformation, full.resultLength);
  assertStatus(retry.status, STATUS_SUCCESS);
});

Deno.test("ZwQueryValueKey with an invalid KeyValueInformationClass is STATUS_INVALID_PARAMETER; a missing value is STATUS_OBJECT_NAME_NOT_FOUND (ZwQueryValueKey)", () => {
  const { k, h } = valueKey();
  assertStatus(k.ZwQueryValueKey(h, "Value", 3).status, STATUS_INVALID_PARAMETER);
  assertStatus(k.ZwQueryValueKey(h, "Value", 99).status, STATUS_INVALID_PARAMETER);
  const missing = k.ZwQueryValueKey(h, "Nope", KeyValuePartialInformation);
  assertStatus(missing.status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(missing.keyValueInformation, undefined);
});

// ---- ZwEnumerateKey, ZwEnumerateValueKey, ZwQueryKey ----------------------------------------------------

function enumerateNames(k: ReturnType<typeof boot>["kernel"], h: Handle): string[] {
  const names: string[] = [];
  for (let i = 0;; i++) {
    const r = k.ZwEnumerateKey(h, i, KeyBasicInformation);
    if (r.status === STATUS_NO_MORE_ENTRIES) break;
    assertStatus(r.status, STATUS_SUCCESS);
    names.push((r.keyInformation as KEY_BASIC_INFORMATION).Name);
  }
  return names;
}

Deno.test("ZwEnumerateKey gives non-volatile subkeys sorted case-insensitively, then volatile ones sorted, then STATUS_NO_MORE_ENTRIES (ZwEnumerateKey; Wine's tests on Windows)", () => {
  const k = boot().kernel;
  const parent = createKey(k, `${SOFTWARE}\\Order`);
  for (const name of ["delta", "Bravo", "alpha", "Charlie"]) {
    createKey(k, `${SOFTWARE}\\Order\\${name}`);
  }
  for (const name of ["zulu", "Echo"]) {
    createKey(k, `${SOFTWARE}\\Order\\${name}`, KEY_READ, REG_OPTION_VOLATILE);
  }
  createKey(k, `${SOFTWARE}\\Order\\_under`);
  // "_" (0x5F) sorts after the upper-cased letters, as Windows compares upper case.
  assert.deepEqual(enumerateNames(k, parent), [
    "alpha",
    "Bravo",
    "Charlie",
    "delta",
    "_under",
    "Echo",
    "zulu",
  ]);
  assertStatus(k.ZwEnumerateKey(parent, 7, KeyBasicInformation).status, STATUS_NO_MORE_ENTRIES);
  assertStatus(k.ZwEnumerateKey(parent, 1000, KeyBasicInformation).status, STATUS_NO_MORE_ENTRIES);
});

Deno.test("ZwEnumerateKey KeyBasicInformation is 16 + name bytes, KeyNodeInformation 24 + name + class, KeyFullInformation 44 + class (KEY_*_INFORMATION)", () => {
  const k = boot().kernel;
  const parent = createKey(k, `${SOFTWARE}\\Shapes`);
  const child = createKey(k, `${SOFTWARE}\\Shapes\\Node`, KEY_ALL_ACCESS, 0, "MyClass");
  k.ZwSetValueKey(child, "abc", 0, REG_SZ, "12345");
  createKey(k, `${SOFTWARE}\\Shapes\\Node\\LongerName`);

  const basic = k.ZwEnumerateKey(parent, 0, KeyBasicInformation);
  assertStatus(basic.status, STATUS_SUCCESS);
  assert.equal(basic.resultLength, 16 + 8);
  const b = basic.keyInformation as KEY_BASIC_INFORMATION;
  assert.equal(b.Name, "Node");
  assert.equal(b.NameLength, 8);
  assert.equal(typeof b.LastWriteTime, "bigint");

  const node = k.ZwEnumerateKey(parent, 0, KeyNodeInformation);
  assertStatus(node.status, STATUS_SUCCESS);
  assert.equal(node.resultLength, 24 + 8 + 14);
  const n = node.keyInformation as KEY_NODE_INFORMATION;
  assert.equal(n.ClassOffset, 24 + 8);
  assert.equal(n.ClassLength, 14);
  assert.equal(n.Class, "MyClass");

  const full = k.ZwEnumerateKey(parent, 0, KeyFullInformation);
  assertStatus(full.status, STATUS_SUCCESS);
  assert.equal(full.resultLength, 44 + 14);
  const f = full.keyInformation as KEY_FULL_INFORMATION;
  assert.equal(f.ClassOffset, 44);
  assert.equal(f.SubKeys, 1);
  assert.equal(f.MaxNameLen, 20);
  assert.equal(f.Values, 1);
  assert.equal(f.MaxValueNameLen, 6);
  assert.equal(f.MaxValueDataLen, 12);
});

Deno.test("ZwEnumerateKey applies the buffer rules: below the header STATUS_BUFFER_TOO_SMALL, below the whole STATUS_BUFFER_OVERFLOW, resultLength always the full size (ZwEnumerateKey)", () => {
  const k = boot().kernel;
  const parent = createKey(k, `${SOFTWARE}\\EnumBuffers`);
  createKey(k, `${SOFTWARE}\\EnumBuffers\\Child`);
  for (
    const [infoClass, header] of [[KeyBasicInformation, 16], [KeyNodeInformation, 24], [
      KeyFullInformation,
      44,
    ]]
  ) {
    const tooSmall = k.ZwEnumerateKey(parent, 0, infoClass!, header! - 1);
    assertStatus(tooSmall.status, STATUS_BUFFER_TOO_SMALL, `class ${infoClass}`);
    assert.equal(tooSmall.keyInformation, undefined);
    const needed = k.ZwEnumerateKey(parent, 0, infoClass!).resultLength!;
    assert.equal(tooSmall.resultLength, needed);
  }
  const overflow = k.ZwEnumerateKey(parent, 0, KeyBasicInformation, 16 + 4);
  assertStatus(overflow.status, STATUS_BUFFER_OVERFLOW);
  assert.equal(overflow.resultLength, 16 + 10);
  const info = overflow.keyInformation as KEY_BASIC_INFORMATION;
  assert.equal(info.NameLength, 10);
  assert.equal(info.Name, "Ch");
  assertStatus(k.ZwEnumerateKey(parent, 0, KeyBasicInformation, 26).status, STATUS_SUCCESS);
});

Deno.test("ZwEnumerateKey with a class other than Basic, Node or Full is STATUS_INVALID_PARAMETER (ZwEnumerateKey)", () => {
  const k = boot().kernel;
  const parent = createKey(k, `${SOFTWARE}\\EnumClass`);
  createKey(k, `${SOFTWARE}\\EnumClass\\Child`);
  assertStatus(k.ZwEnumerateKey(parent, 0, KeyNameInformation).status, STATUS_INVALID_PARAMETER);
  assertStatus(k.ZwEnumerateKey(parent, 0, 42).status, STATUS_INVALID_PARAMETER);
});

Deno.test("ZwEnumerateValueKey gives values in creation order, then STATUS_NO_MORE_ENTRIES; a replaced value keeps its place (ZwEnumerateValueKey; Wine's tests on Windows)", () => {
  const k = boot().kernel;
  const h = createKey(k, `${SOFTWARE}\\ValueOrder`);
  for (const name of ["zeta", "Alpha", "mid"]) k.ZwSetValueKey(h, name, 0, REG_DWORD, 1);
  k.ZwSetValueKey(h, "ALPHA", 0, REG_DWORD, 2);
  const names: string[] = [];
  for (let i = 0;; i++) {
    const r = k.ZwEnumerateValueKey(h, i, KeyValueBasicInformation);
    if (r.status === STATUS_NO_MORE_ENTRIES) break;
    assertStatus(r.status, STATUS_SUCCESS);
    names.push((r.keyValueInformation as KEY_VALUE_BASIC_INFORMATION).Name);
  }
  assert.deepEqual(names, ["zeta", "Alpha", "mid"]);
  const full = k.ZwEnumerateValueKey(h, 1, KeyValueFullInformation);
  assert.equal((full.keyValueInformation as KEY_VALUE_FULL_INFORMATION).Data, 2);
});

Deno.test("ZwEnumerateValueKey applies the buffer rules and rejects an invalid class with STATUS_INVALID_PARAMETER (ZwEnumerateValueKey)", () => {
  const k = boot().kernel;
  const h = createKey(k, `${SOFTWARE}\\ValueBuffers`);
  k.ZwSetValueKey(h, "Name", 0, REG_DWORD, 5);
  const tooSmall = k.ZwEnumerateValueKey(h, 0, KeyValuePartialInformation, 8);
  assertStatus(tooSmall.status, STATUS_BUFFER_TOO_SMALL);
  assert.equal(tooSmall.keyValueInformation, undefined);
  assert.equal(tooSmall.resultLength, 16);
  const overflow = k.ZwEnumerateValueKey(h, 0, KeyValueBasicInformation, 14);
  assertStatus(overflow.status, STATUS_BUFFER_OVERFLOW);
  assert.equal(overflow.resultLength, 20);
  assert.equal((overflow.keyValueInformation as KEY_VALUE_BASIC_INFORMATION).Name, "N");
  assertStatus(k.ZwEnumerateValueKey(h, 0, 7).status, STATUS_INVALID_PARAMETER);
  assertStatus(
    k.ZwEnumerateValueKey(h, 1, KeyValueBasicInformation).status,
    STATUS_NO_MORE_ENTRIES,
  );
});

Deno.test("ZwQueryKey KeyFullInformation counts subkeys and values and gives the largest name, class and data sizes in bytes (ZwQueryKey: sizing buffers)", () => {
  const k = boot().kernel;
  const h = createKey(k, `${SOFTWARE}\\Counts`, KEY_ALL_ACCESS, 0, "Cls");
  createKey(k, `${SOFTWARE}\\Counts\\A`);
  createKey(k, `${SOFTWARE}\\Counts\\Longest`, KEY_ALL_ACCESS, 0, "ClassName");
  k.ZwSetValueKey(h, "x", 0, REG_MULTI_SZ, ["one", "two"]);
  k.ZwSetValueKey(h, "LongName", 0, REG_DWORD, 1);
  const q = k.ZwQueryKey(h, KeyFullInformation);
  assertStatus(q.status, STATUS_SUCCESS);
  assert.equal(q.resultLength, 44 + 6);
  const info = q.keyInformation as KEY_FULL_INFORMATION;
  assert.equal(info.SubKeys, 2);
  assert.equal(info.Values, 2);
  assert.equal(info.MaxNameLen, 14);
  assert.equal(info.MaxClassLen, 18);
  assert.equal(info.MaxValueNameLen, 16);
  assert.equal(info.MaxValueDataLen, 18);
  assert.equal(info.Class, "Cls");
  assert.equal(info.ClassLength, 6);
});

Deno.test("ZwQueryKey applies the buffer rules and rejects an invalid class with STATUS_INVALID_PARAMETER (ZwQueryKey)", () => {
  const k = boot().kernel;
  const h = createKey(k, `${SOFTWARE}\\QueryKeyBuffers`);
  const tooSmall = k.ZwQueryKey(h, KeyFullInformation, 43);
  assertStatus(tooSmall.status, STATUS_BUFFER_TOO_SMALL);
  assert.equal(tooSmall.keyInformation, undefined);
  assert.equal(tooSmall.resultLength, 44);
  const name = k.ZwQueryKey(h, KeyNameInformation);
  const path = (name.keyInformation as KEY_NAME_INFORMATION).Name;
  assert.equal(name.resultLength, 4 + path.length * 2);
  assertStatus(k.ZwQueryKey(h, KeyNameInformation, 3).status, STATUS_BUFFER_TOO_SMALL);
  const overflow = k.ZwQueryKey(h, KeyNameInformation, 4 + 8);
  assertStatus(overflow.status, STATUS_BUFFER_OVERFLOW);
  assert.equal((overflow.keyInformation as KEY_NAME_INFORMATION).Name, path.slice(0, 4));
  assertStatus(k.ZwQueryKey(h, 99).status, STATUS_INVALID_PARAMETER);
});

// ---- ZwDeleteKey, ZwDeleteValueKey -------------------------------------------------------------------

Deno.test("ZwDeleteKey of a key with subkeys is STATUS_CANNOT_DELETE; deleting leaves first works (ZwDeleteKey: delete subkeys first)", () => {
  const m = boot();
  const k = m.kernel;
  const parent = createKey(k, `${SOFTWARE}\\Tree`);
  const child = createKey(k, `${SOFTWARE}\\Tree\\Leaf`);
  assertStatus(k.ZwDeleteKey(parent), STATUS_CANNOT_DELETE);
  assert.equal(m.registry.exists(`${HKLM_SOFTWARE}\\Tree\\Leaf`), true);
  assertStatus(k.ZwDeleteKey(child), STATUS_SUCCESS);
  assertStatus(k.ZwDeleteKey(parent), STATUS_SUCCESS);
  assert.equal(m.registry.exists(`${HKLM_SOFTWARE}\\Tree`), false);
  assert.equal(m.registry.subkeys(HKLM_SOFTWARE).includes("Tree"), false);
});

Deno.test("after ZwDeleteKey every other handle to the key is STATUS_KEY_DELETED, deleting again succeeds, and each handle must still be closed (ZwDeleteKey; ZwClose)", () => {
  const m = boot();
  const k = m.kernel;
  const deleter = createKey(k, `${SOFTWARE}\\Doomed`);
  k.ZwSetValueKey(deleter, "V", 0, REG_DWORD, 1);
  const other = openKey(k, `${SOFTWARE}\\Doomed`, KEY_ALL_ACCESS);
  assertStatus(k.ZwDeleteKey(deleter), STATUS_SUCCESS);
  assertStatus(k.ZwDeleteKey(deleter), STATUS_SUCCESS);

  assertStatus(
    k.ZwQueryValueKey(other, "V", KeyValuePartialInformation).status,
    STATUS_KEY_DELETED,
  );
  assertStatus(k.ZwSetValueKey(other, "V", 0, REG_DWORD, 2), STATUS_KEY_DELETED);
  assertStatus(k.ZwDeleteValueKey(other, "V"), STATUS_KEY_DELETED);
  assertStatus(k.ZwEnumerateKey(other, 0, KeyBasicInformation).status, STATUS_KEY_DELETED);
  assertStatus(
    k.ZwEnumerateValueKey(other, 0, KeyValueBasicInformation).status,
    STATUS_KEY_DELETED,
  );
  assertStatus(k.ZwQueryKey(other, KeyFullInformation).status, STATUS_KEY_DELETED);
  assertStatus(
    k.ZwCreateKey(KEY_ALL_ACCESS, { ObjectName: "Child", RootDirectory: other }, 0, null, 0).status,
    STATUS_KEY_DELETED,
  );
  assertStatus(k.ZwDeleteKey(other), STATUS_SUCCESS);
  assert.equal(m.registry.exists(`${HKLM_SOFTWARE}\\Doomed`), false);

  assertStatus(k.ZwClose(deleter), STATUS_SUCCESS);
  assertStatus(k.ZwClose(other), STATUS_SUCCESS);
  assertStatus(k.ZwClose(other), STATUS_INVALID_HANDLE);

  // The name is free again: creating it makes a new, empty key.
  const again = k.ZwCreateKey(KEY_ALL_ACCESS, `${SOFTWARE}\\Doomed`, 0, null, 0);
  assert.equal(again.disposition, REG_CREATED_NEW_KEY);
  assert.deepEqual(m.registry.valueNames(`${HKLM_SOFTWARE}\\Doomed`), []);
});

Deno.test("ZwDeleteValueKey removes a value; a missing one is STATUS_OBJECT_NAME_NOT_FOUND (ZwDeleteValueKey)", () => {
  const m = boot();
  const k = m.kernel;
  const h = createKey(k, `${SOFTWARE}\\Values`);
  k.ZwSetValueKey(h, "Gone", 0, REG_SZ, "x");
  k.ZwSetValueKey(h, "Stays", 0, REG_SZ, "y");
  assertStatus(k.ZwDeleteValueKey(h, "GONE"), STATUS_SUCCESS);
  assert.deepEqual(m.registry.valueNames(`${HKLM_SOFTWARE}\\Values`), ["Stays"]);
  assertStatus(k.ZwDeleteValueKey(h, "Gone"), STATUS_OBJECT_NAME_NOT_FOUND);
  assertStatus(
    k.ZwQueryValueKey(h, "Gone", KeyValuePartialInformation).status,
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
});

// ---- ZwFlushKey, ZwClose and the handle table -------------------------------------------------------------

Deno.test("ZwFlushKey succeeds on an open handle and is recorded in the trace; a closed handle is STATUS_INVALID_HANDLE (ZwFlushKey)", () => {
  const m = boot();
  const k = m.kernel;
  const h = createKey(k, `${SOFTWARE}\\Flush`);
  assertStatus(k.ZwFlushKey(h), STATUS_SUCCESS);
  assert.ok(m.trace.some((e) => e.kind === "reg" && e.op === "flush" && /Flush$/.test(e.path)));
  k.ZwClose(h);
  assertStatus(k.ZwFlushKey(h), STATUS_INVALID_HANDLE);
});

Deno.test("closing a handle twice is STATUS_INVALID_HANDLE, and a closed handle is STATUS_INVALID_HANDLE for every routine (ZwClose)", () => {
  const k = boot().kernel;
  const h = createKey(k, `${SOFTWARE}\\Closed`);
  k.ZwSetValueKey(h, "V", 0, REG_DWORD, 1);
  assertStatus(k.ZwClose(h), STATUS_SUCCESS);
  assertStatus(k.ZwClose(h), STATUS_INVALID_HANDLE);
  assertStatus(k.ZwSetValueKey(h, "V", 0, REG_DWORD, 2), STATUS_INVALID_HANDLE);
  assertStatus(k.ZwQueryValueKey(h, "V", KeyValuePartialInformation).status, STATUS_INVALID_HANDLE);
  assertStatus(k.ZwEnumerateKey(h, 0, KeyBasicInformation).status, STATUS_INVALID_HANDLE);
  assertStatus(k.ZwEnumerateValueKey(h, 0, KeyValueBasicInformation).status, STATUS_INVALID_HANDLE);
  assertStatus(k.ZwQueryKey(h, KeyBasicInformation).status, STATUS_INVALID_HANDLE);
  assertStatus(k.ZwDeleteValueKey(h, "V"), STATUS_INVALID_HANDLE);
  assertStatus(k.ZwDeleteKey(h), STATUS_INVALID_HANDLE);
  assertStatus(
    k.ZwOpenKey(KEY_READ, { ObjectName: "X", RootDirectory: h }).status,
    STATUS_INVALID_HANDLE,
  );
  assertStatus(
    k.ZwCreateKey(KEY_READ, { ObjectName: "X", RootDirectory: h }, 0, null, 0).status,
    STATUS_INVALID_HANDLE,
  );
});

Deno.test("something that is not an open handle (undefined, a string, a handle of another machine) is STATUS_INVALID_HANDLE (ZwClose; Object Handles)", () => {
  const k = boot().kernel;
  const foreign = createKey(boot().kernel, `${SOFTWARE}\\Elsewhere`);
  assertStatus(k.ZwClose(undefined), STATUS_INVALID_HANDLE);
  assertStatus(k.ZwClose("0x00000004" as unknown as Handle), STATUS_INVALID_HANDLE);
  assertStatus(k.ZwClose(foreign), STATUS_INVALID_HANDLE);
  assertStatus(k.ZwSetValueKey(undefined, "V", 0, REG_DWORD, 1), STATUS_INVALID_HANDLE);
  assertStatus(k.ZwQueryKey(foreign, KeyBasicInformation).status, STATUS_INVALID_HANDLE);
});

Deno.test("a handle opened without OBJ_KERNEL_HANDLE in one process is STATUS_INVALID_HANDLE in another; an OBJ_KERNEL_HANDLE handle works in any process (Object Handles)", () => {
  const m = boot();
  const k = m.kernel;
  createKey(k, `${SOFTWARE}\\Shared`);
  const processHandle = openKey(k, `${SOFTWARE}\\Shared`, KEY_READ);
  const kernelHandle = openKey(
    k,
    { ObjectName: `${SOFTWARE}\\Shared`, Attributes: OBJ_KERNEL_HANDLE },
    KEY_READ,
  );
  m._sys.as(
    { name: "x", driver: null, process: "notify.exe", previousMode: "KernelMode" },
    () => {
      assertStatus(k.ZwQueryKey(processHandle, KeyBasicInformation).status, STATUS_INVALID_HANDLE);
      assertStatus(k.ZwClose(processHandle), STATUS_INVALID_HANDLE);
      assertStatus(k.ZwQueryKey(kernelHandle, KeyBasicInformation).status, STATUS_SUCCESS);
      // A handle notify.exe opens itself belongs to notify.exe's table.
      const own = openKey(k, `${SOFTWARE}\\Shared`, KEY_READ);
      assertStatus(k.ZwQueryKey(own, KeyBasicInformation).status, STATUS_SUCCESS);
    },
  );
  // Back in the system process the handle is still open and still ours to close.
  assertStatus(k.ZwQueryKey(processHandle, KeyBasicInformation).status, STATUS_SUCCESS);
  assertStatus(k.ZwClose(processHandle), STATUS_SUCCESS);
  assertStatus(k.ZwClose(kernelHandle), STATUS_SUCCESS);
});

// ---- Link keys ------------------------------------------------------------------------------------------

Deno.test("on a link key opened with OBJ_OPENLINK only SymbolicLinkValue of type REG_LINK may be set; anything else is STATUS_ACCESS_DENIED (Wine's symlink tests on Windows)", () => {
  const m = boot();
  const k = m.kernel;
  const ccsLink = openKey(k, { ObjectName: CCS, Attributes: OBJ_OPENLINK }, KEY_ALL_ACCESS);
  assertStatus(k.ZwSetValueKey(ccsLink, "Other", 0, REG_SZ, "x"), STATUS_ACCESS_DENIED);
  assertStatus(k.ZwSetValueKey(ccsLink, "SymbolicLinkValue", 0, REG_SZ, "x"), STATUS_ACCESS_DENIED);
  const target = k.ZwQueryValueKey(ccsLink, "SymbolicLinkValue", KeyValuePartialInformation);
  assertStatus(target.status, STATUS_SUCCESS);
  assert.equal((target.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION).Type, REG_LINK);
  assert.equal(m.registry.getValue("HKLM\\SYSTEM\\ControlSet001", "Other"), undefined);

  const link = createKey(
    k,
    `${SOFTWARE}\\MyLink`,
    KEY_ALL_ACCESS,
    REG_OPTION_VOLATILE | REG_OPTION_CREATE_LINK,
  );
  assertStatus(
    k.ZwSetValueKey(link, "Other", 0, REG_LINK, `${SOFTWARE}\\Microsoft`),
    STATUS_ACCESS_DENIED,
  );
  assertStatus(
    k.ZwSetValueKey(link, "SymbolicLinkValue", 0, REG_LINK, `${SOFTWARE}\\Microsoft`),
    STATUS_SUCCESS,
  );
  // Opening the link's name now opens its target.
  const through = openKey(k, `${SOFTWARE}\\MyLink\\Windows`, KEY_READ);
  const name = k.ZwQueryKey(through, KeyNameInformation).keyInformation as KEY_NAME_INFORMATION;
  assert.equal(name.Name.toUpperCase(), `${SOFTWARE}\\Microsoft\\Windows`.toUpperCase());
});

// ---- IRQL and bug checks ------------------------------------------------------------------------------------

Deno.test("ZwOpenKey at DISPATCH_LEVEL bug checks 0xC4 with rule IrqlZwPassive (0x2001F); later calls throw the same bug check; reboot recovers (Zw routines: IRQL = PASSIVE_LEVEL)", () => {
  const m = boot();
  const k = m.kernel;
  const before = createKey(k, `${SOFTWARE}\\BeforeCrash`);
  k.KeRaiseIrql(DISPATCH_LEVEL);
  let first: BugCheck | undefined;
  try {
    k.ZwOpenKey(KEY_READ, SOFTWARE);
  } catch (e) {
    first = e as BugCheck;
  }
  assert.ok(first instanceof BugCheck);
  assert.equal(first.code, 0xc4);
  assert.equal(first.parameters[0], 0x2001f);
  assert.equal(first.parameters[1], DISPATCH_LEVEL);
  assert.equal(m.halted, true);
  assert.ok(m.trace.some((e) => e.kind === "bugcheck" && e.code === 0xc4));

  for (
    const later of [
      () => k.ZwClose(before),
      () => k.ZwOpenKey(KEY_READ, SOFTWARE),
      () => k.KeGetCurrentIrql(),
    ]
  ) {
    assert.throws(later, (e: unknown) => {
      assert.ok(e instanceof BugCheck);
      assert.equal(e.code, 0xc4);
      assert.deepEqual(e.parameters, first!.parameters);
      return true;
    });
  }

  m.reboot();
  assert.equal(m.halted, false);
  assert.equal(k.KeGetCurrentIrql(), 0);
  assertStatus(k.ZwOpenKey(KEY_READ, `${SOFTWARE}\\BeforeCrash`).status, STATUS_SUCCESS);
  // Handles do not survive a reboot.
  assertStatus(k.ZwClose(before), STATUS_INVALID_HANDLE);
});

// ---- The trace -------------------------------------------------------------------------------------------

function traceSteps(): string {
  const m = boot();
  const k = m.kernel;
  const h = createKey(k, `${SOFTWARE}\\Trace`);
  k.ZwSetValueKey(h, "Dword", 0, REG_DWORD, 1);
  k.ZwSetValueKey(h, "Qword", 0, REG_QWORD, 1n << 40n);
  k.ZwSetValueKey(h, "Bytes", 0, REG_BINARY, new Uint8Array([1, 2, 3]));
  k.ZwSetValueKey(h, "Multi", 0, REG_MULTI_SZ, ["a", "b"]);
  k.ZwQueryValueKey(h, "Dword", KeyValueFullInformation, 10);
  k.ZwEnumerateKey(h, 0, KeyBasicInformation);
  k.ZwQueryKey(h, KeyFullInformation);
  const reader = openKey(k, `${SOFTWARE}\\Trace`, KEY_READ);
  k.ZwSetValueKey(reader, "Denied", 0, REG_DWORD, 1);
  k.ZwDeleteValueKey(h, "Dword");
  k.ZwDeleteKey(h);
  k.ZwClose(h);
  k.ZwClose(h);
  m.registry.setValue(`${HKLM_SOFTWARE}\\Host`, "V", REG_SZ, "x");
  return JSON.stringify(m.trace);
}

Deno.test("the same steps on two fresh machines give byte-identical traces (trace: deterministic, JSON-serialisable)", () => {
  const a = traceSteps();
  const b = traceSteps();
  assert.equal(a, b);
  assert.ok(a.length > 1000);
});

Deno.test("every Zw call is in the trace with its arguments and status name, followed by the registry writes it made (trace)", () => {
  const m = boot();
  const k = m.kernel;
  const start = m.trace.length;
  const h = createKey(k, `${SOFTWARE}\\Traced`);
  k.ZwSetValueKey(h, "Start", 0, REG_DWORD, 3);
  const events = m.trace.slice(start);
  const kinds = events.map((e) =>
    e.kind === "call" ? `call ${e.routine}` : e.kind === "reg" ? `reg ${e.op}` : e.kind
  );
  assert.deepEqual(kinds, [
    "call ZwCreateKey",
    "reg createKey",
    "call ZwSetValueKey",
    "reg setValue",
  ]);
  const set = events[2]!;
  assert.equal(set.kind, "call");
  if (set.kind === "call") {
    assert.equal(set.statusName, "STATUS_SUCCESS");
    assert.equal(set.args.ValueName, "Start");
    assert.equal(set.args.KeyHandle, String(h));
  }
  const write = events[3]!;
  assert.ok(write.kind === "reg");
  if (write.kind === "reg") {
    assert.equal(write.path, "HKLM\\SOFTWARE\\Traced");
    assert.equal(write.type, "REG_DWORD");
    assert.equal(write.data, 3);
  }
});

Deno.test("ZwQueryValueKey fills the caller's buffer: changing the string list or bytes it returned changes nothing in the key (KEY_VALUE_PARTIAL_INFORMATION.Data is the caller's memory)", () => {
  const m = boot();
  const k = m.kernel;
  const path = "HKLM\\SOFTWARE\\Buffers";
  m.registry.setValue(path, "List", REG_MULTI_SZ, ["a", "b"]);
  m.registry.setValue(path, "Bytes", REG_BINARY, new Uint8Array([1, 2]));
  const h = openKey(k, `${SOFTWARE}\\Buffers`, KEY_READ);
  const list = k.ZwQueryValueKey(h, "List", KeyValuePartialInformation).keyValueInformation as {
    Data: string[];
  };
  list.Data.push("evil");
  const bytes = k.ZwQueryValueKey(h, "Bytes", KeyValuePartialInformation).keyValueInformation as {
    Data: Uint8Array;
  };
  bytes.Data[0] = 99;
  k.ZwClose(h);
  assert.deepEqual(m.registry.getValue(path, "List")?.data, ["a", "b"]);
  assert.deepEqual(m.registry.getValue(path, "Bytes")?.data, new Uint8Array([1, 2]));
});

Deno.test("key and value names compare as Windows' upcase table does: BMP letters fold (é/É, я/Я), surrogate pairs do not (Deseret 𐐨 and 𐐀 are two keys), and a letter whose uppercase is longer (ß) is not expanded to SS (RtlUpcaseUnicodeChar: one UTF-16 unit for one; the issue's Windows-verified rule)", () => {
  const m = boot();
  const k = m.kernel;
  createKey(k, `${SOFTWARE}\\Café`);
  const upper = k.ZwOpenKey(KEY_READ, `${SOFTWARE}\\CAFÉ`);
  assertStatus(upper.status, STATUS_SUCCESS);
  const info = k.ZwQueryKey(upper.keyHandle, KeyBasicInformation)
    .keyInformation as KEY_BASIC_INFORMATION;
  assert.equal(info.Name, "Café");
  createKey(k, `${SOFTWARE}\\я`);
  assertStatus(k.ZwOpenKey(KEY_READ, `${SOFTWARE}\\Я`).status, STATUS_SUCCESS);

  const lower = createKey(k, `${SOFTWARE}\\\u{10428}`);
  const capital = k.ZwCreateKey(KEY_ALL_ACCESS, `${SOFTWARE}\\\u{10400}`, 0, null, 0);
  assert.equal(capital.disposition, REG_CREATED_NEW_KEY);
  assert.notEqual(capital.keyHandle, lower);
  assert.deepEqual(
    m.registry.subkeys(HKLM_SOFTWARE).filter((n) => n.codePointAt(0)! > 0xffff).sort(),
    ["\u{10400}", "\u{10428}"],
  );

  createKey(k, `${SOFTWARE}\\Straße`);
  assertStatus(k.ZwOpenKey(KEY_READ, `${SOFTWARE}\\STRASSE`).status, STATUS_OBJECT_NAME_NOT_FOUND);
  assertStatus(k.ZwOpenKey(KEY_READ, `${SOFTWARE}\\STRAßE`).status, STATUS_SUCCESS);

  const h = createKey(k, `${SOFTWARE}\\Values`);
  assertStatus(k.ZwSetValueKey(h, "Größe", 0, REG_DWORD, 1), STATUS_SUCCESS);
  assertStatus(k.ZwQueryValueKey(h, "GRÖßE", KeyValuePartialInformation).status, STATUS_SUCCESS);
  assertStatus(k.ZwSetValueKey(h, "\u{10428}", 0, REG_DWORD, 2), STATUS_SUCCESS);
  assertStatus(
    k.ZwQueryValueKey(h, "\u{10400}", KeyValuePartialInformation).status,
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
});
