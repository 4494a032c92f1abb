/**
 * An application's registry calls (machine.app(name).RegXxx, README: A short tour): previous mode UserMode, so
 * a handle's granted access is checked, and Win32 errors as RtlNtStatusToDosError maps them. Each
 * test names the Windows-verified assertion (Wine's advapi32 and ntdll tests, run on Windows) or the
 * documented rule it checks.
 */
import assert from "node:assert/strict";
import {
  boot,
  DELETE,
  ERROR_ACCESS_DENIED,
  ERROR_BAD_PATHNAME,
  ERROR_CHILD_MUST_BE_VOLATILE,
  ERROR_FILE_NOT_FOUND,
  ERROR_INSUFFICIENT_BUFFER,
  ERROR_INVALID_HANDLE,
  ERROR_INVALID_PARAMETER,
  ERROR_KEY_DELETED,
  ERROR_MORE_DATA,
  ERROR_MR_MID_NOT_FOUND,
  ERROR_NO_MORE_ITEMS,
  ERROR_NO_SYSTEM_RESOURCES,
  ERROR_SUCCESS,
  Handle,
  HKEY_LOCAL_MACHINE,
  HKEY_USERS,
  KEY_ALL_ACCESS,
  KEY_NOTIFY,
  KEY_QUERY_VALUE,
  KEY_READ,
  KEY_SET_VALUE,
  KEY_WRITE,
  PLUGPLAY_REGKEY_DEVICE,
  REG_CREATED_NEW_KEY,
  REG_DWORD,
  REG_MULTI_SZ,
  REG_OPENED_EXISTING_KEY,
  REG_OPTION_VOLATILE,
  REG_SZ,
  RtlNtStatusToDosError,
  scenario,
  STATUS_ACCESS_DENIED,
  STATUS_BUFFER_OVERFLOW,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_CANNOT_DELETE,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_HANDLE,
  STATUS_KEY_DELETED,
  STATUS_NO_MORE_ENTRIES,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_SYNTAX_BAD,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_SUCCESS,
} from "../../mod.ts";

const SOFTWARE = "SOFTWARE";

Deno.test("RtlNtStatusToDosError maps as Windows does (Wine's dlls/ntdll/tests/error.c cmp() rows, run on Windows in strict mode)", () => {
  const rows: [number, number][] = [
    [STATUS_SUCCESS, ERROR_SUCCESS],
    [STATUS_ACCESS_DENIED, ERROR_ACCESS_DENIED],
    [STATUS_CANNOT_DELETE, ERROR_ACCESS_DENIED],
    [STATUS_OBJECT_NAME_NOT_FOUND, ERROR_FILE_NOT_FOUND],
    [STATUS_INVALID_HANDLE, ERROR_INVALID_HANDLE],
    [STATUS_OBJECT_TYPE_MISMATCH, ERROR_INVALID_HANDLE],
    [STATUS_KEY_DELETED, ERROR_KEY_DELETED],
    [STATUS_NO_MORE_ENTRIES, ERROR_NO_MORE_ITEMS],
    [STATUS_BUFFER_OVERFLOW, ERROR_MORE_DATA],
    [STATUS_BUFFER_TOO_SMALL, ERROR_INSUFFICIENT_BUFFER],
    [STATUS_OBJECT_PATH_SYNTAX_BAD, ERROR_BAD_PATHNAME],
    [STATUS_INSUFFICIENT_RESOURCES, ERROR_NO_SYSTEM_RESOURCES],
  ];
  for (const [status, error] of rows) {
    assert.equal(RtlNtStatusToDosError(status), error, `0x${status.toString(16)}`);
  }
  // 0xD... counts as 0xC...; a customer status comes back as it is; an unknown one has no message.
  assert.equal(RtlNtStatusToDosError(0xd0000022), ERROR_ACCESS_DENIED);
  assert.equal(RtlNtStatusToDosError(0xe0000001), 0xe0000001);
  assert.equal(RtlNtStatusToDosError(0xc0ffee00), ERROR_MR_MID_NOT_FOUND);
});

Deno.test("RegOpenKeyEx with KEY_READ, then RegSetValueEx, is ERROR_ACCESS_DENIED: an application's calls run with previous mode UserMode, where ObReferenceObjectByHandle compares granted with requested access (seed: Plug and Play Registry Routines sample, from user mode)", () => {
  const m = boot();
  const app = m.app("tool");
  assert.equal(
    app.RegCreateKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\Contoso`, 0, null, 0, KEY_ALL_ACCESS)
      .error,
    ERROR_SUCCESS,
  );
  const r = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\Contoso`, 0, KEY_READ);
  assert.equal(r.error, ERROR_SUCCESS);
  assert.ok(r.hkResult instanceof Handle);
  assert.equal(app.RegSetValueEx(r.hkResult!, "Value", 0, REG_DWORD, 109), ERROR_ACCESS_DENIED);
  assert.equal(m.registry.getValue("HKLM\\SOFTWARE\\Contoso", "Value"), undefined);
  assert.equal(app.RegDeleteValue(r.hkResult!, "Value"), ERROR_ACCESS_DENIED);
  // A user-mode denial is the answer, not a driver bug: no verifier finding.
  assert.deepEqual(m.verifier.findings.filter((f) => f.rule === "KeyHandleAccess"), []);
  const w = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\Contoso`, 0, KEY_SET_VALUE);
  assert.equal(app.RegSetValueEx(w.hkResult!, "Value", 0, REG_DWORD, 109), ERROR_SUCCESS);
  const read = app.RegQueryValueEx(r.hkResult!, "Value");
  assert.equal(read.cbData, 4);
  assert.deepEqual(read, { error: ERROR_SUCCESS, type: REG_DWORD, data: 109 });
  // KEY_SET_VALUE alone cannot read.
  assert.equal(app.RegQueryValueEx(w.hkResult!, "Value").error, ERROR_ACCESS_DENIED);
  const entry = m.trace.findLast((e) => e.kind === "app" && e.action === "RegSetValueEx");
  assert.equal(entry?.kind === "app" ? entry.detail?.error : undefined, "ERROR_SUCCESS");
});

Deno.test("the same KEY_READ handle from a driver writes (previous mode KernelMode), from an application does not (ERROR_ACCESS_DENIED): both sides of the previous-mode rule on one device key (ObReferenceObjectByHandle; PreviousMode)", () => {
  const m = boot({ verifier: "warn" });
  const pdo = m.plugIn("ROOT\\SAMPLE");
  const k = m.kernel;
  const key = k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, KEY_READ);
  assert.equal(k.ZwSetValueKey(key.devInstRegKey, "Value", 0, REG_DWORD, 1), STATUS_SUCCESS);
  assert.equal(m.verifier.findings.filter((f) => f.rule === "KeyHandleAccess").length, 1);
  const app = m.app("tool");
  const path = "SYSTEM\\CurrentControlSet\\Enum\\ROOT\\SAMPLE\\0\\Device Parameters";
  const h = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, path, 0, KEY_READ).hkResult!;
  assert.equal(app.RegSetValueEx(h, "Value", 0, REG_DWORD, 2), ERROR_ACCESS_DENIED);
  assert.deepEqual(app.RegQueryValueEx(h, "Value").data, 1);
  // An application's handle is its process's: a driver cannot use it (Object Handles).
  assert.equal(k.ZwSetValueKey(h, "Value", 0, REG_DWORD, 3), STATUS_INVALID_HANDLE);
  // And a kernel handle cannot be used from user mode.
  assert.equal(
    app.RegQueryValueEx(key.devInstRegKey as Handle, "Value").error,
    ERROR_INVALID_HANDLE,
  );
});

Deno.test("RegCreateKeyEx under a parent opened with KEY_NOTIFY only succeeds: Windows ignores the parent handle's access rights (Wine's advapi32 test_reg_create_key, run on Windows)", () => {
  const m = boot();
  const app = m.app("tool");
  const parent = app.RegCreateKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\P`, 0, null, 0, KEY_NOTIFY);
  assert.equal(parent.error, ERROR_SUCCESS);
  const child = app.RegCreateKeyEx(parent.hkResult!, "Subkey2", 0, null, 0, KEY_SET_VALUE);
  assert.equal(child.error, ERROR_SUCCESS);
  assert.equal(child.disposition, REG_CREATED_NEW_KEY);
  assert.equal(m.registry.exists("HKLM\\SOFTWARE\\P\\Subkey2"), true);
  const again = app.RegCreateKeyEx(parent.hkResult!, "Subkey2", 0, null, 0, KEY_SET_VALUE);
  assert.equal(again.disposition, REG_OPENED_EXISTING_KEY);
});

Deno.test("RegCreateKeyEx: a volatile parent's non-volatile child is ERROR_CHILD_MUST_BE_VOLATILE; a leading backslash is ERROR_BAD_PATHNAME, trailing ones are accepted; missing keys on the way are created (Wine's test_reg_create_key on Windows; RegCreateKeyEx)", () => {
  const m = boot();
  const app = m.app("tool");
  const v = app.RegCreateKeyEx(
    HKEY_LOCAL_MACHINE,
    `${SOFTWARE}\\Volatile`,
    0,
    null,
    REG_OPTION_VOLATILE,
    KEY_ALL_ACCESS,
  );
  assert.equal(v.error, ERROR_SUCCESS);
  assert.equal(
    app.RegCreateKeyEx(v.hkResult!, "Subkey2", 0, null, 0, KEY_ALL_ACCESS).error,
    ERROR_CHILD_MUST_BE_VOLATILE,
  );
  assert.equal(
    app.RegCreateKeyEx(v.hkResult!, "Subkey2", 0, null, REG_OPTION_VOLATILE, KEY_ALL_ACCESS).error,
    ERROR_SUCCESS,
  );
  assert.equal(
    app.RegCreateKeyEx(v.hkResult!, "\\Subkey3", 0, null, 0, KEY_NOTIFY).error,
    ERROR_BAD_PATHNAME,
  );
  assert.equal(
    app.RegCreateKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\Subkey4\\\\`, 0, null, 0, KEY_NOTIFY)
      .error,
    ERROR_SUCCESS,
  );
  const deep = app.RegCreateKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\A\\B\\C`, 0, null, 0, KEY_READ);
  assert.equal(deep.error, ERROR_SUCCESS);
  assert.equal(deep.disposition, REG_CREATED_NEW_KEY);
  assert.equal(m.registry.exists("HKLM\\SOFTWARE\\A\\B\\C"), true);
  assert.equal(
    app.RegCreateKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\X`, 0, null, 0x100, KEY_READ).error,
    ERROR_INVALID_PARAMETER,
  );
});

Deno.test("RegOpenKeyEx: NULL or empty subkey of a predefined key returns the predefined key; of an opened key, a new handle; a missing key is ERROR_FILE_NOT_FOUND and creates nothing; a leading backslash is ERROR_BAD_PATHNAME (Wine's test_reg_open_key, run on Windows)", () => {
  const m = boot();
  const app = m.app("tool");
  for (const sub of [null, ""]) {
    const r = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, sub, 0, KEY_QUERY_VALUE);
    assert.equal(r.error, ERROR_SUCCESS);
    assert.equal(r.hkResult, HKEY_LOCAL_MACHINE);
  }
  const sw = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, SOFTWARE, 0, KEY_READ).hkResult!;
  for (const sub of [null, ""]) {
    const r = app.RegOpenKeyEx(sw, sub, 0, KEY_QUERY_VALUE);
    assert.equal(r.error, ERROR_SUCCESS);
    assert.notEqual(r.hkResult, sw);
    assert.equal(app.RegCloseKey(r.hkResult!), ERROR_SUCCESS);
  }
  const missing = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\Nonexistent`, 0, KEY_READ);
  assert.deepEqual(missing, { error: ERROR_FILE_NOT_FOUND });
  assert.equal(m.registry.exists("HKLM\\SOFTWARE\\Nonexistent"), false);
  assert.equal(
    app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, `\\${SOFTWARE}`, 0, KEY_READ).error,
    ERROR_BAD_PATHNAME,
  );
  assert.equal(
    app.RegOpenKeyEx(null as unknown as Handle, "", 0, KEY_READ).error,
    ERROR_INVALID_HANDLE,
  );
  assert.equal(app.RegOpenKeyEx(HKEY_USERS, ".Default", 0, KEY_READ).error, ERROR_SUCCESS);
});

Deno.test("RegDeleteKey needs DELETE on the key it opens; a key with subkeys is ERROR_ACCESS_DENIED (STATUS_CANNOT_DELETE); an empty name deletes the handle's own key, after which it is ERROR_KEY_DELETED (ZwDeleteKey; RtlNtStatusToDosError)", () => {
  const m = boot();
  const app = m.app("tool");
  const p = app.RegCreateKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\Del\\Child`, 0, null, 0, KEY_READ);
  assert.equal(p.error, ERROR_SUCCESS);
  assert.equal(app.RegDeleteKey(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\Del`), ERROR_ACCESS_DENIED);
  assert.equal(m.registry.exists("HKLM\\SOFTWARE\\Del"), true);
  // p's handle has KEY_READ only: deleting its own key through it is refused.
  assert.equal(app.RegDeleteKey(p.hkResult!, ""), ERROR_ACCESS_DENIED);
  const d = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\Del\\Child`, 0, DELETE | KEY_WRITE);
  assert.equal(app.RegDeleteKey(d.hkResult!, ""), ERROR_SUCCESS);
  assert.equal(m.registry.exists("HKLM\\SOFTWARE\\Del\\Child"), false);
  assert.equal(app.RegSetValueEx(d.hkResult!, "V", 0, REG_SZ, "x"), ERROR_KEY_DELETED);
  assert.equal(app.RegDeleteKey(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\Del`), ERROR_SUCCESS);
  assert.equal(app.RegDeleteKey(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\Del`), ERROR_FILE_NOT_FOUND);
});

Deno.test("RegEnumKeyEx lists subkeys by index and then ERROR_NO_MORE_ITEMS; it needs KEY_ENUMERATE_SUB_KEYS; RegCloseKey of a predefined key succeeds, of a closed key is ERROR_INVALID_HANDLE (STATUS_NO_MORE_ENTRIES; RegCloseKey)", () => {
  const m = boot();
  const app = m.app("tool");
  for (const name of ["Beta", "Alpha"]) {
    app.RegCreateKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\E\\${name}`, 0, null, 0, KEY_READ);
  }
  const e = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\E`, 0, KEY_READ).hkResult!;
  const names: string[] = [];
  for (let i = 0;; i++) {
    const r = app.RegEnumKeyEx(e, i);
    if (r.error !== ERROR_SUCCESS) {
      assert.equal(r.error, ERROR_NO_MORE_ITEMS);
      break;
    }
    names.push(r.name!);
  }
  assert.deepEqual(names.sort(), ["Alpha", "Beta"]);
  const q = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\E`, 0, KEY_QUERY_VALUE).hkResult!;
  assert.equal(app.RegEnumKeyEx(q, 0).error, ERROR_ACCESS_DENIED);
  assert.equal(app.RegCloseKey(HKEY_LOCAL_MACHINE), ERROR_SUCCESS);
  assert.equal(app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, SOFTWARE, 0, KEY_READ).error, ERROR_SUCCESS);
  assert.equal(app.RegCloseKey(e), ERROR_SUCCESS);
  assert.equal(app.RegCloseKey(e), ERROR_INVALID_HANDLE);
  // One application's handle is not another's (per-process handle tables).
  const other = m.app("other");
  assert.equal(other.RegCloseKey(q), ERROR_INVALID_HANDLE);
  const w = app.RegCreateKeyEx(HKEY_LOCAL_MACHINE, `${SOFTWARE}\\E`, 0, null, 0, KEY_ALL_ACCESS);
  assert.equal(app.RegSetValueEx(w.hkResult!, "M", 0, REG_MULTI_SZ, ["a", "b"]), ERROR_SUCCESS);
  assert.deepEqual(app.RegQueryValueEx(w.hkResult!, "M").data, ["a", "b"]);
  assert.equal(app.RegQueryValueEx(w.hkResult!, "NoSuchValue").error, ERROR_FILE_NOT_FOUND);
});

Deno.test("IoOpenDeviceRegistryKey still refuses rights the PnP manager does not allow, from a driver (kernel mode): KEY_ALL_ACCESS is STATUS_ACCESS_DENIED (Plug and Play Registry Routines)", () => {
  const m = boot();
  const pdo = m.plugIn("ROOT\\SAMPLE");
  const r = m.kernel.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, KEY_ALL_ACCESS);
  assert.equal(r.status, STATUS_ACCESS_DENIED);
  assert.equal(r.devInstRegKey, undefined);
  const w = m.kernel.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, KEY_WRITE);
  assert.equal(w.status, STATUS_SUCCESS);
});

Deno.test("a fluent scenario shows both sides of the previous-mode rule on the seed sample's key: the driver's write through KEY_READ succeeds with a KeyHandleAccess finding, the application's is ERROR_ACCESS_DENIED (Plug and Play Registry Routines; ObReferenceObjectByHandle)", async () => {
  const result = await scenario("The seed sample from both sides", ({ machine }) => {
    const pdo = machine.plugIn("ROOT\\SAMPLE");
    const k = machine.kernel;
    const h = k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, KEY_READ).devInstRegKey!;
    assert.equal(k.ZwSetValueKey(h, "Value", 0, REG_DWORD, 109), STATUS_SUCCESS);
    k.ZwClose(h);
    const app = machine.app("regtool");
    const path = "SYSTEM\\CurrentControlSet\\Enum\\ROOT\\SAMPLE\\0\\Device Parameters";
    const key = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, path, 0, KEY_READ).hkResult!;
    assert.equal(app.RegSetValueEx(key, "Value", 0, REG_DWORD, 110), ERROR_ACCESS_DENIED);
    app.RegCloseKey(key);
  });
  assert.equal(result.passed, true, JSON.stringify(result.failures));
  const findings = result.trace.filter((e) => e.kind === "finding" && e.rule === "KeyHandleAccess");
  assert.equal(findings.length, 1);
  const denied = result.trace.find((e) =>
    e.kind === "app" && e.action === "RegSetValueEx" && e.detail?.error === "ERROR_ACCESS_DENIED"
  );
  assert.ok(denied, "the application's refused write is in the trace");
});

Deno.test("application registry calls given arguments of the wrong kind return Win32 errors and throw nothing, and the trace stays JSON (ground rule: bad calls never throw JS errors)", () => {
  const m = boot();
  const app = m.app("fuzz");
  const junk: unknown[] = [undefined, null, 1.5, -1, 2 ** 40, "x", Symbol("s"), 1n, {}, [], NaN];
  const any = (v: unknown) => v as never;
  for (const v of junk) {
    const results = [
      app.RegOpenKeyEx(any(v), "SOFTWARE", 0, KEY_READ).error,
      app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, any(v), 0, KEY_READ).error,
      app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, "SOFTWARE", any(v), KEY_READ).error,
      app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, "SOFTWARE", 0, any(v)).error,
      app.RegCreateKeyEx(HKEY_LOCAL_MACHINE, any(v), 0, null, 0, KEY_READ).error,
      app.RegCreateKeyEx(HKEY_LOCAL_MACHINE, "SOFTWARE\\F", any(v), any(v), any(v), any(v)).error,
      app.RegSetValueEx(HKEY_LOCAL_MACHINE, any(v), any(v), any(v), any(v)),
      app.RegQueryValueEx(any(v), any(v)).error,
      app.RegDeleteValue(HKEY_LOCAL_MACHINE, any(v)),
      app.RegDeleteKey(HKEY_LOCAL_MACHINE, any(v)),
      app.RegEnumKeyEx(HKEY_LOCAL_MACHINE, any(v)).error,
      app.RegCloseKey(any(v)),
    ];
    for (const r of results) assert.equal(typeof r, "number", String(v));
  }
  assert.doesNotThrow(() => JSON.stringify(m.trace));
});
