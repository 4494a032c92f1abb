/**
 * The peer test for an application's registry calls: Wine's advapi32 registry conformance test
 * (`dlls/advapi32/tests/registry.c`, wine-mirror/wine 023ad350e20c), whose `ok()` checks pass on
 * real Windows, run against `machine.app(name).RegXxx`. Each Deno test is named after the Wine
 * function it follows, and each assertion cites the `ok()` it mirrors. Where an `ok()` accepts two
 * results (two Windows versions), the assertion accepts the same two; `broken()` results (NT4,
 * Windows 2000, Windows 95, WOW64) are not accepted.
 *
 * Mapping to the model: the model's Reg* calls are the W flavour (JS strings), so RegOpenKeyA and
 * RegCreateKeyA are RegOpenKeyEx and RegCreateKeyEx (RegCreateKeyA opens with MAXIMUM_ALLOWED; here
 * KEY_ALL_ACCESS), and RegEnumKeyA is RegEnumKeyEx. Wine's `hkey_main` is
 * `HKEY_CURRENT_USER\Software\Wine\Test`; the model has only HKEY_LOCAL_MACHINE and HKEY_USERS, so
 * it is `HKEY_LOCAL_MACHINE\Software\Wine\Test` (the same rules: a non-volatile key in a loaded
 * hive). RegQueryValueEx returns the data and `cbData` (what `*lpcbData` receives) instead of
 * filling a caller's buffer.
 *
 * Left out of the ported functions, with the reason:
 * - NULL out-pointers (`RegOpenKeyA(..., NULL)`, test_reg_open_key) and RegSetValueExW with a NULL
 *   or bad data pointer and a size (ERROR_NOACCESS, test_set_value): JS arguments have no raw
 *   pointers and the model's RegSetValueEx takes no cbData.
 * - RegSetValueExW with a size one WCHAR short (test_set_value): what Windows stores depends on the
 *   memory after the caller's buffer, which a JS value does not have.
 * - The A/W conversion checks (test_hkey_main_Value_A, RegSetValueExA sizes), RegSetValueA and
 *   RegSetValueW, RegSetKeyValueW and RegQueryValueA/W (test_reg_query_value): the model has the W
 *   Ex calls only.
 * - HKEY_CLASSES_ROOT (`\clsid`, `\`), KEY_WOW64_32KEY / KEY_WOW64_64KEY and the DACL parts of
 *   test_reg_open_key and test_reg_create_key: the model has no HKCR, no WOW64 view and no
 *   RegSetKeySecurity.
 * - RegEnumValueA and RegFlushKey on a deleted key (test_deleted_key): no such calls in the model.
 * - The HKEY_CURRENT_USER forms of the 64-bit predefined-key check (test_reg_open_key): no HKCU; the
 *   HKEY_LOCAL_MACHINE form is ported.
 * - test_symlinks' link target is `\Registry\Machine\Software\Wine\Test\target` (Wine builds
 *   it from RtlFormatCurrentUserKeyPath), and its final NtDeleteKey on the link handle is
 *   RegDeleteKey(link, ""), which runs the same service on that handle.
 *
 * Where the model differs from Windows the check says `MISMATCH` and asserts only what matches:
 * test_set_value's intra-zeroed REG_SZ (the data Windows returns keeps the embedded NULs; the
 * model's decoded string stops at the first one, lib/registry/data.ts).
 *
 * Skipped Wine functions (the model has no such call or tree): test_enum_value (RegEnumValue),
 * test_query_value_ex (RegQueryValueExA sizes, HKEY_CLASSES_ROOT), test_get_value (RegGetValue),
 * test_reg_query_value (RegQueryValueA/W), test_reg_query_info (RegQueryInfoKey),
 * test_string_termination (RegSetValueExA sizes, a caller's buffer, RegEnumValueA), test_rw_order
 * (RegQueryInfoKey, RegEnumValue), test_redirection (WOW64), test_classesroot,
 * test_classesroot_enum and test_classesroot_mask (HKCR), test_reg_save_key, test_reg_load_key,
 * test_reg_unload_key, test_reg_copy_tree, test_reg_delete_tree, test_delete_key_value
 * (RegDeleteKeyValue), test_RegOpenCurrentUser, test_RegNotifyChangeKeyValue,
 * test_RegQueryValueExPerformanceData (HKEY_PERFORMANCE_DATA), test_RegLoadMUIString,
 * test_EnumDynamicTimeZoneInformation, test_regconnectregistry, and the security (DACL) parts of
 * test_reg_open_key and test_reg_create_key. This revision has no test_multistring_termination.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  boot,
  ERROR_ACCESS_DENIED,
  ERROR_ALREADY_EXISTS,
  ERROR_BAD_PATHNAME,
  ERROR_CHILD_MUST_BE_VOLATILE,
  ERROR_FILE_NOT_FOUND,
  ERROR_INVALID_HANDLE,
  ERROR_INVALID_PARAMETER,
  ERROR_KEY_DELETED,
  ERROR_NO_MORE_ITEMS,
  ERROR_SUCCESS,
  Handle,
  HKEY_LOCAL_MACHINE,
  KEY_ALL_ACCESS,
  KEY_NOTIFY,
  KEY_QUERY_VALUE,
  KEY_READ,
  KEY_SET_VALUE,
  REG_DWORD,
  REG_LINK,
  REG_OPTION_CREATE_LINK,
  REG_OPTION_OPEN_LINK,
  REG_OPTION_VOLATILE,
  REG_SZ,
  type UserApp,
} from "../../mod.ts";

/** Wine's `hkey_main` path, moved from HKCU to HKLM (the model has no per-user hive). */
const TEST = "Software\\Wine\\Test";

/** A machine, an application and `hkey_main`, as Wine's setup_main_key leaves them. */
function setupMainKey(): { app: UserApp; main: Handle; m: ReturnType<typeof boot> } {
  const m = boot();
  const app = m.app("winetest");
  const r = app.RegCreateKeyEx(HKEY_LOCAL_MACHINE, TEST, 0, null, 0, KEY_ALL_ACCESS);
  // setup_main_key: ok(ret == ERROR_SUCCESS)
  assert.equal(r.error, ERROR_SUCCESS);
  return { app, main: r.hkResult!, m };
}

/** Wine's delete_key: deletes a key and its subkeys, deepest first, through `hKey`. */
function deleteTree(app: UserApp, hKey: Handle): void {
  const self = app.RegOpenKeyEx(hKey, "", 0, KEY_ALL_ACCESS);
  assert.equal(self.error, ERROR_SUCCESS);
  for (;;) {
    const e = app.RegEnumKeyEx(self.hkResult!, 0);
    if (e.error !== ERROR_SUCCESS) {
      assert.equal(e.error, ERROR_NO_MORE_ITEMS);
      break;
    }
    const child = app.RegOpenKeyEx(self.hkResult!, e.name!, 0, KEY_ALL_ACCESS);
    deleteTree(app, child.hkResult!);
    app.RegCloseKey(child.hkResult!);
  }
  assert.equal(app.RegDeleteKey(self.hkResult!, ""), ERROR_SUCCESS);
  app.RegCloseKey(self.hkResult!);
}

Deno.test("Wine advapi32 registry.c test_set_value: REG_SZ strings, the empty string, no data, and an intra-zeroed string keep the size given", () => {
  const { app, main } = setupMainKey();
  const string1 = "ThisNeverBreaks";
  const string1Bytes = (string1.length + 1) * 2;

  // RegSetValueExW with the whole string: ok(ret == ERROR_SUCCESS), then
  // test_hkey_main_Value_W: ok(ret == ERROR_SUCCESS), ok(type == REG_SZ),
  // ok(cbData == full_byte_len), and the data is the string.
  assert.equal(app.RegSetValueEx(main, "CleanSingleString", 0, REG_SZ, string1), ERROR_SUCCESS);
  const q1 = app.RegQueryValueEx(main, "CleanSingleString");
  assert.equal(q1.cbData, string1Bytes);
  assert.deepEqual(q1, { error: ERROR_SUCCESS, type: REG_SZ, data: string1 });

  // RegSetValueExA with an empty string of sizeof(""): ok(ret == ERROR_SUCCESS); the W query gives
  // sizeof(emptyW), one WCHAR.
  assert.equal(app.RegSetValueEx(main, "CleanSingleString", 0, REG_SZ, ""), ERROR_SUCCESS);
  const q2 = app.RegQueryValueEx(main, "CleanSingleString");
  assert.equal(q2.cbData, 2);
  assert.deepEqual(q2, { error: ERROR_SUCCESS, type: REG_SZ, data: "" });

  // RegSetValueExW with the intra-zeroed string: ok(ret == ERROR_SUCCESS), then
  // test_hkey_main_Value_W(name2W, string2W, sizeof(string2W)): the whole buffer, 25 WCHARs.
  const string2 = "This\0Breaks\0\0A\0\0\0Lot\0\0\0\0\0";
  const string2Bytes = new Uint8Array(string2.length * 2);
  for (let i = 0; i < string2.length; i++) string2Bytes[i * 2] = string2.charCodeAt(i);
  assert.equal(
    app.RegSetValueEx(main, "SomeIntraZeroedString", 0, REG_SZ, string2Bytes),
    ERROR_SUCCESS,
  );
  const q = app.RegQueryValueEx(main, "SomeIntraZeroedString");
  assert.equal(q.error, ERROR_SUCCESS);
  assert.equal(q.type, REG_SZ);
  assert.equal(q.cbData, 50);
  // MISMATCH: Windows returns all 50 bytes, embedded NULs included (memcmp with string2W); the
  // model's data is the string decoded up to the first NUL ("This"). Only its start is asserted.
  assert.equal(typeof q.data === "string" && string2.startsWith(q.data), true);

  // RegSetValueExW(hkey_main, NULL, 0, REG_SZ, NULL, 0): ok(ret == ERROR_SUCCESS); the same for
  // REG_DWORD. No data and no size store an empty value of that type.
  assert.equal(app.RegSetValueEx(main, null, 0, REG_SZ, null), ERROR_SUCCESS);
  assert.equal(app.RegSetValueEx(main, null, 0, REG_DWORD, null), ERROR_SUCCESS);
  const empty = app.RegQueryValueEx(main, null);
  assert.equal(empty.error, ERROR_SUCCESS);
  assert.equal(empty.type, REG_DWORD);
  assert.equal(empty.cbData, 0);

  // RegSetValueExA with a zero-byte string (name1A, emptyA, 0): ok(ret == ERROR_SUCCESS), and
  // test_hkey_main_Value_W(name1W, NULL, 0): a REG_SZ of 0 bytes comes back.
  assert.equal(
    app.RegSetValueEx(main, "CleanSingleString", 0, REG_SZ, new Uint8Array(0)),
    ERROR_SUCCESS,
  );
  const zero = app.RegQueryValueEx(main, "CleanSingleString");
  assert.equal(zero.error, ERROR_SUCCESS);
  assert.equal(zero.type, REG_SZ);
  assert.equal(zero.cbData, 0);
});

Deno.test("Wine advapi32 registry.c test_reg_open_key: a new handle per open, trailing backslashes accepted, a missing key is not created, NULL or empty subkeys, a leading backslash, NULL hKey, and only the low 32 bits of a predefined key", () => {
  const { app, main } = setupMainKey();
  // successful open: ok(ret == ERROR_SUCCESS), ok(hkResult != NULL)
  const first = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, TEST, 0, KEY_ALL_ACCESS);
  assert.equal(first.error, ERROR_SUCCESS);
  assert.ok(first.hkResult instanceof Handle);
  const hkPreserve = first.hkResult!;

  // open same key twice: ok(ret == ERROR_SUCCESS), ok(hkResult != hkPreserve)
  const second = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, TEST, 0, KEY_ALL_ACCESS);
  assert.equal(second.error, ERROR_SUCCESS);
  assert.notEqual(second.hkResult!.value, hkPreserve.value);
  assert.notEqual(second.hkResult!.value, main.value);
  app.RegCloseKey(second.hkResult!);

  // trailing slashes: ok(ret == ERROR_SUCCESS)
  const trailing = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, `${TEST}\\\\`, 0, KEY_ALL_ACCESS);
  assert.equal(trailing.error, ERROR_SUCCESS);
  app.RegCloseKey(trailing.hkResult!);

  // open nonexistent key: ok(ret == ERROR_FILE_NOT_FOUND), ok(hkResult == NULL); again, to make
  // sure the first open did not create it.
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(
      app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, "Software\\Wine\\Nonexistent", 0, KEY_ALL_ACCESS),
      { error: ERROR_FILE_NOT_FOUND },
    );
  }

  // NULL lpSubKey, then "": ok(ret == ERROR_SUCCESS), ok(hkResult == the predefined key)
  for (const sub of [null, ""]) {
    const r = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, sub, 0, KEY_ALL_ACCESS);
    assert.equal(r.error, ERROR_SUCCESS);
    assert.equal(r.hkResult, HKEY_LOCAL_MACHINE);
  }

  // only send NULL hKey: ok(ret == ERROR_INVALID_HANDLE || ret == ERROR_BADKEY), the second being
  // Windows 95's.
  const nullKey = null as unknown as Handle;
  assert.deepEqual(app.RegOpenKeyEx(nullKey, TEST, 0, KEY_ALL_ACCESS), {
    error: ERROR_INVALID_HANDLE,
  });

  // beginning backslash character: ok(ret == ERROR_BAD_PATHNAME || broken(wow64 success))
  assert.equal(
    app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, `\\${TEST}`, 0, KEY_ALL_ACCESS).error,
    ERROR_BAD_PATHNAME,
  );

  // empty, then NULL, subkey of an existing handle: ok(ret == ERROR_SUCCESS),
  // ok(hkResult != hkPreserve), ok(!RegCloseKey(hkResult))
  for (const sub of ["", null]) {
    const r = app.RegOpenKeyEx(hkPreserve, sub, 0, KEY_QUERY_VALUE);
    assert.equal(r.error, ERROR_SUCCESS);
    assert.notEqual(r.hkResult!.value, hkPreserve.value);
    assert.equal(app.RegCloseKey(r.hkResult!), ERROR_SUCCESS);
  }

  // empty subkey of NULL: ok(ret == ERROR_INVALID_HANDLE), hkResult untouched
  assert.deepEqual(app.RegOpenKeyEx(nullKey, "", 0, KEY_QUERY_VALUE), {
    error: ERROR_INVALID_HANDLE,
  });
  assert.equal(app.RegCloseKey(hkPreserve), ERROR_SUCCESS);

  // On 64-bit Windows a predefined key is read from its low 32 bits: HKEY_LOCAL_MACHINE with
  // 0xdeadbeef in its upper half opens "Software": ok(ret == ERROR_SUCCESS), ok(hkResult != NULL).
  // The zero-extended form (UlongToHandle) is the same rule.
  for (const value of ["0xdeadbeef80000002", "0x0000000080000002", "0x80000002"]) {
    const r = app.RegOpenKeyEx(new Handle(value), "Software", 0, KEY_READ);
    assert.equal(r.error, ERROR_SUCCESS, value);
    assert.ok(r.hkResult instanceof Handle, value);
    assert.equal(app.RegCloseKey(r.hkResult!), ERROR_SUCCESS, value);
  }
});

Deno.test("Wine advapi32 registry.c test_reg_create_key: the parent handle's access is ignored, a volatile parent needs volatile children, an existing child opens whatever the options, a leading backslash is ERROR_BAD_PATHNAME and trailing ones are accepted", () => {
  const { app, main, m } = setupMainKey();
  // ok(!ret) for a parent opened with KEY_NOTIFY only, then ok(!ret) for the child under it: Windows
  // does not check the parent handle's access when it creates a subkey.
  const hkey1 = app.RegCreateKeyEx(main, "Subkey1", 0, null, 0, KEY_NOTIFY);
  assert.equal(hkey1.error, ERROR_SUCCESS);
  const hkey2 = app.RegCreateKeyEx(hkey1.hkResult!, "Subkey2", 0, null, 0, KEY_SET_VALUE);
  assert.equal(hkey2.error, ERROR_SUCCESS);
  app.RegCloseKey(hkey2.hkResult!);
  app.RegCloseKey(hkey1.hkResult!);
  assert.equal(app.RegDeleteKey(main, "Subkey1\\Subkey2"), ERROR_SUCCESS);
  assert.equal(app.RegDeleteKey(main, "Subkey1"), ERROR_SUCCESS);

  // test creation of volatile keys: ok(!ret); a non-volatile child of it:
  // ok(ret == ERROR_CHILD_MUST_BE_VOLATILE); a volatile child: ok(!ret)
  const v = app.RegCreateKeyEx(main, "Volatile", 0, null, REG_OPTION_VOLATILE, KEY_ALL_ACCESS);
  assert.equal(v.error, ERROR_SUCCESS);
  assert.deepEqual(app.RegCreateKeyEx(v.hkResult!, "Subkey2", 0, null, 0, KEY_ALL_ACCESS), {
    error: ERROR_CHILD_MUST_BE_VOLATILE,
  });
  const vc = app.RegCreateKeyEx(
    v.hkResult!,
    "Subkey2",
    0,
    null,
    REG_OPTION_VOLATILE,
    KEY_ALL_ACCESS,
  );
  assert.equal(vc.error, ERROR_SUCCESS);
  app.RegCloseKey(vc.hkResult!);
  // The key exists now, so the non-volatile request opens it: ok(!ret)
  const again = app.RegCreateKeyEx(v.hkResult!, "Subkey2", 0, null, 0, KEY_ALL_ACCESS);
  assert.equal(again.error, ERROR_SUCCESS);
  assert.equal(app.RegDeleteKey(again.hkResult!, ""), ERROR_SUCCESS);
  assert.equal(app.RegDeleteKey(v.hkResult!, ""), ERROR_SUCCESS);
  app.RegCloseKey(again.hkResult!);
  app.RegCloseKey(v.hkResult!);

  // beginning backslash character: on NT, ok(ret == ERROR_BAD_PATHNAME)
  assert.deepEqual(app.RegCreateKeyEx(main, "\\Subkey3", 0, null, 0, KEY_NOTIFY), {
    error: ERROR_BAD_PATHNAME,
  });
  assert.equal(m.registry.exists("HKLM\\Software\\Wine\\Test\\Subkey3"), false);

  // trailing backslash characters: ok(ret == ERROR_SUCCESS)
  const t = app.RegCreateKeyEx(main, "Subkey4\\\\", 0, null, 0, KEY_NOTIFY);
  assert.equal(t.error, ERROR_SUCCESS);
  assert.equal(m.registry.exists("HKLM\\Software\\Wine\\Test\\Subkey4"), true);
  app.RegCloseKey(t.hkResult!);
});

Deno.test("Wine advapi32 registry.c test_reg_close_key: closing succeeds, closing again is ERROR_INVALID_HANDLE, closing NULL is ERROR_INVALID_HANDLE", () => {
  const { app } = setupMainKey();
  const h = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, TEST, 0, KEY_ALL_ACCESS);
  // ok(ret == ERROR_SUCCESS) for the open and the close
  assert.equal(h.error, ERROR_SUCCESS);
  assert.equal(app.RegCloseKey(h.hkResult!), ERROR_SUCCESS);
  // try to close the key twice: ok(ret == ERROR_INVALID_HANDLE || ret == ERROR_SUCCESS), the second
  // being Windows 95's.
  assert.equal(app.RegCloseKey(h.hkResult!), ERROR_INVALID_HANDLE);
  // try to close a NULL handle: ok(ret == ERROR_INVALID_HANDLE || ret == ERROR_BADKEY), the second
  // being Windows 95's.
  assert.equal(app.RegCloseKey(null as unknown as Handle), ERROR_INVALID_HANDLE);
});

Deno.test("Wine advapi32 registry.c test_reg_delete_key: a NULL subkey name does not delete the key; an empty name deletes the handle's own key", () => {
  const { app, main, m } = setupMainKey();
  // RegDeleteKeyA(hkey_main, NULL): ok(ret == ERROR_INVALID_PARAMETER || ret == ERROR_ACCESS_DENIED
  // || ERROR_BADKEY on Windows 95); only NT4 and Windows 2000 deleted hkey_main.
  const ret = app.RegDeleteKey(main, null);
  assert.ok(ret === ERROR_INVALID_PARAMETER || ret === ERROR_ACCESS_DENIED, `${ret}`);
  assert.equal(m.registry.exists("HKLM\\Software\\Wine\\Test"), true);

  // RegCreateKeyA(hkey_main, "deleteme"): ok(ret == ERROR_SUCCESS); RegDeleteKeyA(key, ""):
  // ok(ret == ERROR_SUCCESS); reopening: ok(ret == ERROR_FILE_NOT_FOUND)
  const key = app.RegCreateKeyEx(main, "deleteme", 0, null, 0, KEY_ALL_ACCESS);
  assert.equal(key.error, ERROR_SUCCESS);
  assert.equal(app.RegDeleteKey(key.hkResult!, ""), ERROR_SUCCESS);
  app.RegCloseKey(key.hkResult!);
  assert.deepEqual(app.RegOpenKeyEx(main, "deleteme", 0, KEY_ALL_ACCESS), {
    error: ERROR_FILE_NOT_FOUND,
  });
});

Deno.test("Wine advapi32 registry.c test_deleted_key: every call through a handle to a deleted key is ERROR_KEY_DELETED", () => {
  const { app, main } = setupMainKey();
  app.RegCreateKeyEx(main, "Child", 0, null, 0, KEY_ALL_ACCESS);
  // Open the test key, then delete it (with its subkeys) while it is open.
  const h = app.RegOpenKeyEx(HKEY_LOCAL_MACHINE, TEST, 0, KEY_ALL_ACCESS).hkResult!;
  deleteTree(app, main);

  // RegEnumKeyA(hkey, 0, ...): ok(res == ERROR_KEY_DELETED)
  assert.deepEqual(app.RegEnumKeyEx(h, 0), { error: ERROR_KEY_DELETED });
  // RegQueryValueExA(hkey, "test", ...): ok(res == ERROR_KEY_DELETED)
  assert.deepEqual(app.RegQueryValueEx(h, "test"), { error: ERROR_KEY_DELETED });
  // RegSetValueExA(hkey, "test", 0, REG_SZ, "value", 6): ok(res == ERROR_KEY_DELETED)
  assert.equal(app.RegSetValueEx(h, "test", 0, REG_SZ, "value"), ERROR_KEY_DELETED);
  // RegOpenKeyA(hkey, "test", ...): ok(res == ERROR_KEY_DELETED)
  assert.deepEqual(app.RegOpenKeyEx(h, "test", 0, KEY_ALL_ACCESS), { error: ERROR_KEY_DELETED });
  // RegCreateKeyA(hkey, "test", ...): ok(res == ERROR_KEY_DELETED)
  assert.deepEqual(app.RegCreateKeyEx(h, "test", 0, null, 0, KEY_ALL_ACCESS), {
    error: ERROR_KEY_DELETED,
  });
  assert.equal(app.RegCloseKey(h), ERROR_SUCCESS);
});

Deno.test("Wine advapi32 registry.c test_delete_value: a deleted value is gone, deleting it again or a 400-character name is ERROR_FILE_NOT_FOUND, the default value deletes like any other", () => {
  const { app, main } = setupMainKey();
  // RegSetValueExA(hkey_main, "test", 0, REG_SZ, "value", 6): ok(res == ERROR_SUCCESS)
  assert.equal(app.RegSetValueEx(main, "test", 0, REG_SZ, "value"), ERROR_SUCCESS);
  // RegQueryValueExA: ok(res == ERROR_SUCCESS)
  assert.equal(app.RegQueryValueEx(main, "test").error, ERROR_SUCCESS);
  // RegDeleteValueA: ok(res == ERROR_SUCCESS)
  assert.equal(app.RegDeleteValue(main, "test"), ERROR_SUCCESS);
  // RegQueryValueExA: ok(res == ERROR_FILE_NOT_FOUND)
  assert.deepEqual(app.RegQueryValueEx(main, "test"), { error: ERROR_FILE_NOT_FOUND });
  // RegDeleteValueA again: ok(res == ERROR_FILE_NOT_FOUND)
  assert.equal(app.RegDeleteValue(main, "test"), ERROR_FILE_NOT_FOUND);
  // a 400-character name: ok(res == ERROR_FILE_NOT_FOUND || broken(ERROR_MORE_DATA on nt4, win2k))
  assert.equal(app.RegDeleteValue(main, "a".repeat(400)), ERROR_FILE_NOT_FOUND);

  // Default registry value: set, query and delete ok(== ERROR_SUCCESS), then the query
  // ok(res == ERROR_FILE_NOT_FOUND)
  assert.equal(app.RegSetValueEx(main, "", 0, REG_SZ, "value"), ERROR_SUCCESS);
  assert.equal(app.RegQueryValueEx(main, "").error, ERROR_SUCCESS);
  assert.equal(app.RegDeleteValue(main, ""), ERROR_SUCCESS);
  assert.deepEqual(app.RegQueryValueEx(main, ""), { error: ERROR_FILE_NOT_FOUND });
});

Deno.test("Wine advapi32 registry.c test_symlinks: a link key holds only a REG_LINK SymbolicLinkValue, opens its target once the target exists, REG_OPTION_OPEN_LINK opens the link itself, and creating it again is ERROR_ALREADY_EXISTS", () => {
  const { app, main } = setupMainKey();
  const target = "\\Registry\\Machine\\Software\\Wine\\Test\\target";
  // The target without its NUL (target_len - sizeof(WCHAR)), as UTF-16LE bytes.
  const targetBytes = new Uint8Array(target.length * 2);
  for (let i = 0; i < target.length; i++) targetBytes[i * 2] = target.charCodeAt(i);

  // RegCreateKeyExA(hkey_main, "link", REG_OPTION_CREATE_LINK): ok(err == ERROR_SUCCESS)
  const link = app.RegCreateKeyEx(main, "link", 0, null, REG_OPTION_CREATE_LINK, KEY_ALL_ACCESS);
  assert.equal(link.error, ERROR_SUCCESS);
  // SymbolicLinkValue as REG_SZ: ok(err == ERROR_ACCESS_DENIED)
  assert.equal(
    app.RegSetValueEx(link.hkResult!, "SymbolicLinkValue", 0, REG_SZ, "foobar"),
    ERROR_ACCESS_DENIED,
  );
  // SymbolicLinkValue as REG_LINK: ok(err == ERROR_SUCCESS)
  assert.equal(
    app.RegSetValueEx(link.hkResult!, "SymbolicLinkValue", 0, REG_LINK, targetBytes),
    ERROR_SUCCESS,
  );
  // a REG_LINK under another name: ok(err == ERROR_ACCESS_DENIED)
  assert.equal(
    app.RegSetValueEx(link.hkResult!, "link", 0, REG_LINK, targetBytes),
    ERROR_ACCESS_DENIED,
  );

  // opening the link before its target exists: ok(err == ERROR_FILE_NOT_FOUND)
  assert.deepEqual(app.RegOpenKeyEx(main, "link", 0, KEY_ALL_ACCESS), {
    error: ERROR_FILE_NOT_FOUND,
  });
  // RegCreateKeyExA(hkey_main, "target"): ok(err == ERROR_SUCCESS); its DWORD "value":
  // ok(err == ERROR_SUCCESS)
  const t = app.RegCreateKeyEx(main, "target", 0, null, 0, KEY_ALL_ACCESS);
  assert.equal(t.error, ERROR_SUCCESS);
  assert.equal(app.RegSetValueEx(t.hkResult!, "value", 0, REG_DWORD, 0xbeef), ERROR_SUCCESS);
  app.RegCloseKey(t.hkResult!);

  // RegOpenKeyA(hkey_main, "link"): ok(err == ERROR_SUCCESS); "value" through it:
  // ok(err == ERROR_SUCCESS), ok(len == sizeof(DWORD)); SymbolicLinkValue:
  // ok(err == ERROR_FILE_NOT_FOUND)
  const key = app.RegOpenKeyEx(main, "link", 0, KEY_ALL_ACCESS);
  assert.equal(key.error, ERROR_SUCCESS);
  assert.equal(app.RegQueryValueEx(key.hkResult!, "value").cbData, 4);
  assert.deepEqual(app.RegQueryValueEx(key.hkResult!, "SymbolicLinkValue"), {
    error: ERROR_FILE_NOT_FOUND,
  });

  // A REG_LINK SymbolicLinkValue in the target, an ordinary key: set ok(ERROR_SUCCESS), query ok(ERROR_SUCCESS) with
  // ok(len == target_len - sizeof(WCHAR)), delete ok(ERROR_SUCCESS)
  assert.equal(
    app.RegSetValueEx(key.hkResult!, "SymbolicLinkValue", 0, REG_LINK, targetBytes),
    ERROR_SUCCESS,
  );
  const inTarget = app.RegQueryValueEx(key.hkResult!, "SymbolicLinkValue");
  assert.equal(inTarget.error, ERROR_SUCCESS);
  assert.equal(inTarget.cbData, targetBytes.length);
  assert.equal(app.RegDeleteValue(key.hkResult!, "SymbolicLinkValue"), ERROR_SUCCESS);
  app.RegCloseKey(key.hkResult!);

  // RegCreateKeyExA(hkey_main, "link", 0): ok(ERROR_SUCCESS), the target's "value" with
  // ok(len == sizeof(DWORD)), and no SymbolicLinkValue: ok(err == ERROR_FILE_NOT_FOUND)
  const through = app.RegCreateKeyEx(main, "link", 0, null, 0, KEY_ALL_ACCESS);
  assert.equal(through.error, ERROR_SUCCESS);
  assert.equal(app.RegQueryValueEx(through.hkResult!, "value").cbData, 4);
  assert.deepEqual(app.RegQueryValueEx(through.hkResult!, "SymbolicLinkValue"), {
    error: ERROR_FILE_NOT_FOUND,
  });
  app.RegCloseKey(through.hkResult!);

  // The link key itself, opened with RegOpenKeyExA and then RegCreateKeyExA and
  // REG_OPTION_OPEN_LINK: ok(ERROR_SUCCESS), SymbolicLinkValue ok(ERROR_SUCCESS) with
  // ok(len == target_len - sizeof(WCHAR))
  const self = [
    app.RegOpenKeyEx(main, "link", REG_OPTION_OPEN_LINK, KEY_ALL_ACCESS),
    app.RegCreateKeyEx(main, "link", 0, null, REG_OPTION_OPEN_LINK, KEY_ALL_ACCESS),
  ];
  for (const r of self) {
    assert.equal(r.error, ERROR_SUCCESS);
    const v = app.RegQueryValueEx(r.hkResult!, "SymbolicLinkValue");
    assert.equal(v.error, ERROR_SUCCESS);
    assert.equal(v.cbData, targetBytes.length);
    app.RegCloseKey(r.hkResult!);
  }

  // REG_OPTION_CREATE_LINK on the existing link, alone and with REG_OPTION_OPEN_LINK:
  // ok(err == ERROR_ALREADY_EXISTS)
  for (const options of [REG_OPTION_CREATE_LINK, REG_OPTION_CREATE_LINK | REG_OPTION_OPEN_LINK]) {
    assert.deepEqual(app.RegCreateKeyEx(main, "link", 0, null, options, KEY_ALL_ACCESS), {
      error: ERROR_ALREADY_EXISTS,
    });
  }

  // RegDeleteKeyA(hkey_main, "target"): ok(ERROR_SUCCESS); RegDeleteKeyA(hkey_main, "link") now
  // follows the link to nothing: ok(err == ERROR_FILE_NOT_FOUND)
  assert.equal(app.RegDeleteKey(main, "target"), ERROR_SUCCESS);
  assert.equal(app.RegDeleteKey(main, "link"), ERROR_FILE_NOT_FOUND);
  // NtDeleteKey(link): ok(!status)
  assert.equal(app.RegDeleteKey(link.hkResult!, ""), ERROR_SUCCESS);
  assert.equal(app.RegCloseKey(link.hkResult!), ERROR_SUCCESS);
});
