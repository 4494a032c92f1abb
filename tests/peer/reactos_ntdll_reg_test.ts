/**
 * A peer test for the registry: ReactOS's user-mode API tests for the NT registry services
 * (`modules/rostests/apitests/ntdll/NtCreateKey.c`, `NtOpenKey.c`, `NtDeleteKey.c`, `NtQueryKey.c`,
 * `NtQueryValueKey.c`, `NtSetValueKey.c` in reactos/reactos) and its kernel-mode test of
 * RtlQueryRegistryValues (`modules/rostests/kmtests/rtl/RtlRegistry.c`), whose checks encode what
 * Windows returns, run against pnplab's Zw and Rtl routines. One Deno test per ReactOS file; each assertion cites
 * the `ok`/`ok_hex`/`ok_ntstatus` check it mirrors. Where a check is special-cased for ReactOS or
 * names a Windows 7 result in a comment, only the check's own (current Windows) result is asserted.
 *
 * Mapping to the model, as in `wine_ntdll_reg_test.ts`: NtXxx is `machine.kernel.ZwXxx` (the same
 * service, run with previous mode KernelMode); an `OBJECT_ATTRIBUTES` is `{ ObjectName,
 * RootDirectory, Attributes }`; the buffer size is the `Length` argument and `resultLength` is the
 * ResultLength the C test reads. NtSetValueKey's key lives under `HKCU` in ReactOS; the model has no
 * per-user hive, so it is made under `\Registry\Machine\Software` (the same rules: a volatile key).
 *
 * Left out, with the reason:
 * - NtCreateKey.c: the DesiredAccess 0 rows (STATUS_ACCESS_DENIED) come from the access check a
 *   UserMode caller gets; the GrantedAccess each handle gets is read with NtQueryObject, which the
 *   model does not have.
 * - NtOpenKey.c: the odd-address name buffer (STATUS_DATATYPE_MISALIGNMENT) and the odd-address
 *   KeyHandle: pointer alignment, which JS arguments do not have.
 * - NtQueryValueKey.c: the query into a buffer 4 bytes past an aligned one (pointer alignment).
 * - NtQueryKey.c: the 0x55 fill checks that say which bytes a call left unwritten (LastWriteTime
 *   after STATUS_BUFFER_TOO_SMALL, `Class[n] == 0x5555`, and the half character `L's' | 0x5500` a
 *   buffer ending mid-character gets): the model returns the fields, not a buffer.
 * - NtSetValueKey.c: the rows with a NULL or kernel-address data pointer (a non-zero size gives
 *   STATUS_ACCESS_VIOLATION, STATUS_INVALID_PARAMETER or STATUS_INSUFFICIENT_RESOURCES by where the
 *   probe of the pointer fails): pointer validity.
 *
 * Where the model differs from Windows the check says `MISMATCH` and asserts only what matches:
 * NtQueryKey.c's subkey counts of `\Registry\Machine` and `\Registry\Machine\Software` (the boot
 * hive has fewer keys than a Windows installation), and RtlRegistry.c's REG_MULTI_SZ defaults with
 * DefaultLength given, rows 3, 5, 7 and 8 (Wine's test_RtlQueryRegistryValues rows 28 and 29, also
 * run on Windows, say otherwise; the model follows Wine's).
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  boot,
  DELETE,
  type Handle,
  type Kernel,
  KEY_ALL_ACCESS,
  KEY_CREATE_SUB_KEY,
  KEY_QUERY_VALUE,
  KEY_READ,
  KEY_SET_VALUE,
  KEY_WOW64_32KEY,
  KEY_WOW64_64KEY,
  KeyFullInformation,
  KeyNameInformation,
  KeyValuePartialInformation,
  KeyValuePartialInformationAlign64,
  OBJ_CASE_INSENSITIVE,
  type OBJECT_ATTRIBUTES,
  READ_CONTROL,
  REG_MULTI_SZ,
  REG_NONE,
  REG_OPTION_NON_VOLATILE,
  REG_OPTION_VOLATILE,
  REG_SZ,
  RTL_REGISTRY_HANDLE,
  STATUS_BUFFER_OVERFLOW,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_CANNOT_DELETE,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from "../../mod.ts";
import type {
  KEY_FULL_INFORMATION,
  KEY_NAME_INFORMATION,
  KEY_VALUE_PARTIAL_INFORMATION,
  KEY_VALUE_PARTIAL_INFORMATION_ALIGN64,
  RTL_QUERY_REGISTRY_TABLE,
} from "../../mod.ts";
import { assertStatus, createKey, openKey } from "../registry/_helpers.ts";

/** An absolute, case-insensitive OBJECT_ATTRIBUTES, as InitializeObjectAttributes builds them. */
const abs = (ObjectName: string): OBJECT_ATTRIBUTES => ({
  ObjectName,
  Attributes: OBJ_CASE_INSENSITIVE,
});
/** A relative, case-insensitive OBJECT_ATTRIBUTES. */
const rel = (RootDirectory: Handle, ObjectName: string): OBJECT_ATTRIBUTES => ({
  ObjectName,
  RootDirectory,
  Attributes: OBJ_CASE_INSENSITIVE,
});

/** `FIELD_OFFSET(KEY_FULL_INFORMATION, Class)`: LastWriteTime and nine ULONGs. */
const FULL_INFORMATION_CLASS_OFFSET = 44;

Deno.test("ReactOS apitests NtCreateKey: READ_CONTROL opens \\Registry\\Machine\\Software with or without the KEY_WOW64 flags", () => {
  const k = boot().kernel;
  // TestCreateOpen(READ_CONTROL [| KEY_WOW64_32KEY] [| KEY_WOW64_64KEY], READ_CONTROL,
  // STATUS_SUCCESS): NtCreateKey (REG_OPTION_NON_VOLATILE) and then NtOpenKey of the existing key
  // both return STATUS_SUCCESS, and NtClose of each handle returns STATUS_SUCCESS. The row with both
  // flags is STATUS_INVALID_PARAMETER only on Windows 7, as the test's comment says.
  for (
    const access of [
      READ_CONTROL,
      READ_CONTROL | KEY_WOW64_32KEY,
      READ_CONTROL | KEY_WOW64_64KEY,
      READ_CONTROL | KEY_WOW64_32KEY | KEY_WOW64_64KEY,
    ]
  ) {
    const what = `access 0x${access.toString(16)}`;
    const created = k.ZwCreateKey(
      access,
      abs("\\Registry\\Machine\\Software"),
      0,
      null,
      REG_OPTION_NON_VOLATILE,
    );
    assertStatus(created.status, STATUS_SUCCESS, `NtCreateKey, ${what}`);
    assertStatus(k.ZwClose(created.keyHandle), STATUS_SUCCESS, `NtClose from NtCreateKey, ${what}`);
    const opened = k.ZwOpenKey(access, abs("\\Registry\\Machine\\Software"));
    assertStatus(opened.status, STATUS_SUCCESS, `NtOpenKey, ${what}`);
    assertStatus(k.ZwClose(opened.keyHandle), STATUS_SUCCESS, `NtClose from NtOpenKey, ${what}`);
  }
});

Deno.test("ReactOS apitests NtOpenKey: \\Registry\\Machine\\SOFTWARE opens with KEY_QUERY_VALUE", () => {
  const k = boot().kernel;
  // ok_ntstatus(Status, STATUS_SUCCESS) for the aligned name.
  const r = k.ZwOpenKey(KEY_QUERY_VALUE, abs("\\Registry\\Machine\\SOFTWARE"));
  assertStatus(r.status, STATUS_SUCCESS);
  k.ZwClose(r.keyHandle);
});

/** NtDeleteKey.c's CreateRegistryKeyHandle: an absolute, volatile NtCreateKey. */
function createVolatile(
  k: Kernel,
  access: number,
  path: string,
): { status: number; key: Handle | undefined } {
  const r = k.ZwCreateKey(access, abs(path), 0, null, REG_OPTION_VOLATILE);
  return { status: r.status, key: r.keyHandle };
}

Deno.test("ReactOS apitests NtDeleteKey: a key with a subkey cannot be deleted, open handle or not; deleting twice succeeds; ten thousand keys come and go", () => {
  const k = boot().kernel;
  const ROSTESTS = "\\Registry\\Machine\\Software\\RosTests";

  // First round: both handles open.
  let parent = createVolatile(k, KEY_READ | DELETE, ROSTESTS);
  assertStatus(parent.status, STATUS_SUCCESS); // ok_ntstatus: create the parent
  let child = createVolatile(k, KEY_READ | DELETE, `${ROSTESTS}\\Child`);
  assertStatus(child.status, STATUS_SUCCESS); // ok_ntstatus: create the child
  assertStatus(k.ZwDeleteKey(parent.key), STATUS_CANNOT_DELETE); // ok_ntstatus: parent with a child
  assertStatus(k.ZwDeleteKey(child.key), STATUS_SUCCESS); // ok_ntstatus: the child
  assertStatus(k.ZwDeleteKey(parent.key), STATUS_SUCCESS); // ok_ntstatus: retry the parent
  assertStatus(k.ZwDeleteKey(parent.key), STATUS_SUCCESS); // ok_ntstatus: the third try
  k.ZwClose(child.key);
  k.ZwClose(parent.key);

  // Second round: the child's handle is closed before the parent's delete.
  parent = createVolatile(k, KEY_READ | DELETE, ROSTESTS);
  assertStatus(parent.status, STATUS_SUCCESS); // ok_ntstatus: create the parent
  child = createVolatile(k, KEY_READ, `${ROSTESTS}\\Child`);
  assertStatus(child.status, STATUS_SUCCESS); // ok_ntstatus: create the child
  k.ZwClose(child.key);
  assertStatus(k.ZwDeleteKey(parent.key), STATUS_CANNOT_DELETE); // ok_ntstatus: the child still exists
  child = createVolatile(k, DELETE, `${ROSTESTS}\\Child`);
  assertStatus(child.status, STATUS_SUCCESS); // ok_ntstatus: reopen the child with DELETE
  assertStatus(k.ZwDeleteKey(child.key), STATUS_SUCCESS); // ok_ntstatus: delete it
  assertStatus(k.ZwDeleteKey(parent.key), STATUS_SUCCESS); // ok_ntstatus: retry the parent
  k.ZwClose(child.key);
  k.ZwClose(parent.key);

  // Stress: Child0000..Child9999, each with a Pet subkey.
  parent = createVolatile(k, KEY_READ | DELETE, ROSTESTS);
  const name = (i: number) => `${ROSTESTS}\\Child${String(i).padStart(4, "0")}`;
  let status = STATUS_SUCCESS;
  for (let i = 0; i <= 9999; i++) {
    const c = createVolatile(k, KEY_READ, name(i));
    k.ZwClose(c.key);
    const p = createVolatile(k, KEY_READ, `${name(i)}\\Pet`);
    status = p.status;
    k.ZwClose(p.key);
  }
  assertStatus(status, STATUS_SUCCESS); // ok_ntstatus after the creation loop (the last Pet)

  // The hive rerooting part: delete Child5000\Pet, then Child5000.
  const pet = createVolatile(k, DELETE, `${name(5000)}\\Pet`);
  assertStatus(pet.status, STATUS_SUCCESS); // ok_ntstatus: open Child5000\Pet
  assertStatus(k.ZwDeleteKey(pet.key), STATUS_SUCCESS); // ok_ntstatus: delete it
  k.ZwClose(pet.key);
  const c5000 = createVolatile(k, DELETE, name(5000));
  assertStatus(c5000.status, STATUS_SUCCESS); // ok_ntstatus: open Child5000
  assertStatus(k.ZwDeleteKey(c5000.key), STATUS_SUCCESS); // ok_ntstatus: delete it

  // Mass deletion of the rest, each Pet before its Child.
  for (let i = 0; i <= 9999; i++) {
    if (i === 5000) continue;
    const p = createVolatile(k, DELETE, `${name(i)}\\Pet`);
    status = k.ZwDeleteKey(p.key);
    k.ZwClose(p.key);
    const c = createVolatile(k, DELETE, name(i));
    status = k.ZwDeleteKey(c.key);
    k.ZwClose(c.key);
  }
  assertStatus(status, STATUS_SUCCESS); // ok_ntstatus after the deletion loop (the last Child)
  assertStatus(k.ZwDeleteKey(parent.key), STATUS_SUCCESS); // ok_ntstatus: the now empty parent
  k.ZwClose(parent.key);
});

Deno.test("ReactOS apitests NtQueryKey: KeyFullInformation's buffer sizes and class; KeyNameInformation of \\Registry\\Machine and its Software", () => {
  const k = boot().kernel;
  const HEADER = FULL_INFORMATION_CLASS_OFFSET;

  // Test_KeyFullInformation.
  const hklm = k.ZwOpenKey(KEY_READ, abs("\\Registry\\Machine"));
  assertStatus(hklm.status, STATUS_SUCCESS); // ok_ntstatus: open \Registry\Machine
  // No buffer: STATUS_BUFFER_TOO_SMALL, InfoLength == FIELD_OFFSET(KEY_FULL_INFORMATION, Class).
  let r = k.ZwQueryKey(hklm.keyHandle, KeyFullInformation, 0);
  assertStatus(r.status, STATUS_BUFFER_TOO_SMALL);
  assert.equal(r.resultLength, HEADER);
  // Exactly the header: STATUS_SUCCESS, the header's length, no class.
  r = k.ZwQueryKey(hklm.keyHandle, KeyFullInformation, HEADER);
  assertStatus(r.status, STATUS_SUCCESS);
  assert.equal(r.resultLength, HEADER);
  let info = r.keyInformation as KEY_FULL_INFORMATION;
  assert.equal(info.TitleIndex, 0); // ok(TitleIndex == 0)
  assert.equal(info.ClassOffset, 0xffffffff); // ok(ClassOffset == 0xffffffff)
  assert.equal(info.ClassLength, 0); // ok(ClassLength == 0)
  // MISMATCH: Windows SubKeys >= 5 && < 20 (BCD00000000, HARDWARE, SAM, SECURITY, SOFTWARE, SYSTEM)
  // vs the boot hive's 3; only the upper bound is asserted.
  assert.ok(info.SubKeys < 20, `SubKeys = ${info.SubKeys}`);
  // ok(MaxNameLen >= 8 * sizeof(WCHAR) && MaxNameLen < 100 * sizeof(WCHAR)).
  assert.ok(info.MaxNameLen >= 16 && info.MaxNameLen < 200, `MaxNameLen = ${info.MaxNameLen}`);
  assert.equal(info.MaxClassLen % 2, 0); // ok(MaxClassLen % sizeof(WCHAR) == 0)
  assert.equal(info.MaxValueNameLen % 2, 0); // ok(MaxValueNameLen % sizeof(WCHAR) == 0)
  // One byte less than the header: STATUS_BUFFER_TOO_SMALL, InfoLength the header's length.
  r = k.ZwQueryKey(hklm.keyHandle, KeyFullInformation, HEADER - 1);
  assertStatus(r.status, STATUS_BUFFER_TOO_SMALL);
  assert.equal(r.resultLength, HEADER);

  const software = k.ZwOpenKey(KEY_READ, rel(hklm.keyHandle!, "Software"));
  assertStatus(software.status, STATUS_SUCCESS); // ok_ntstatus: open Software relative to HKLM
  r = k.ZwQueryKey(software.keyHandle, KeyFullInformation, HEADER);
  assertStatus(r.status, STATUS_SUCCESS); // ok(Status == STATUS_SUCCESS)
  assert.equal(r.resultLength, HEADER); // ok(InfoLength == FIELD_OFFSET(..., Class))
  info = r.keyInformation as KEY_FULL_INFORMATION;
  assert.equal(info.TitleIndex, 0); // ok(TitleIndex == 0)
  assert.equal(info.ClassOffset, 0xffffffff); // ok(ClassOffset == 0xffffffff)
  assert.equal(info.ClassLength, 0); // ok(ClassLength == 0)
  // MISMATCH: Windows SubKeys >= 5 && < 1000 (Classes, Clients, Microsoft, Policies, ...) vs the
  // boot hive's fewer; only the upper bound is asserted.
  assert.ok(info.SubKeys < 1000, `SubKeys = ${info.SubKeys}`);
  assert.ok(info.MaxNameLen >= 16, `MaxNameLen = ${info.MaxNameLen}`); // ok(MaxNameLen >= 8 * sizeof(WCHAR))
  assert.equal(info.MaxClassLen % 2, 0); // ok(MaxClassLen % sizeof(WCHAR) == 0)
  assert.equal(info.MaxValueNameLen % 2, 0); // ok(MaxValueNameLen % sizeof(WCHAR) == 0)

  // NtQueryKey_apitest, volatile, with class "MyClass" (14 bytes).
  const created = k.ZwCreateKey(
    KEY_ALL_ACCESS,
    rel(software.keyHandle!, "NtQueryKey_apitest"),
    0,
    "MyClass",
    REG_OPTION_VOLATILE,
  );
  assertStatus(created.status, STATUS_SUCCESS); // ok_ntstatus: NtCreateKey with the class
  const test = created.keyHandle!;
  const FULL = HEADER + 14;
  r = k.ZwQueryKey(test, KeyFullInformation, 0);
  assertStatus(r.status, STATUS_BUFFER_TOO_SMALL); // no buffer: STATUS_BUFFER_TOO_SMALL
  assert.equal(r.resultLength, FULL); // InfoLength == header + MyClass.Length
  // The header only, then one class character, then one byte short of the class: each
  // STATUS_BUFFER_OVERFLOW with the fixed fields filled and the class characters that fit.
  for (
    const [length, classPrefix] of [[HEADER, ""], [HEADER + 2, "M"], [FULL - 1, "MyClas"]] as const
  ) {
    r = k.ZwQueryKey(test, KeyFullInformation, length);
    assertStatus(r.status, STATUS_BUFFER_OVERFLOW, `length ${length}`);
    assert.equal(r.resultLength, FULL, `length ${length}`);
    info = r.keyInformation as KEY_FULL_INFORMATION;
    assert.equal(info.ClassOffset, HEADER); // ok(ClassOffset == FIELD_OFFSET(..., Class))
    assert.equal(info.ClassLength, 14); // ok(ClassLength == MyClass.Length)
    assert.equal(info.Class, classPrefix); // Class[0] == 'M', Class[1] == 'y' as far as it fits
    if (length === HEADER) {
      // ok(TitleIndex == 0), ok(SubKeys/MaxNameLen/MaxClassLen/Values/MaxValueNameLen/MaxValueDataLen == 0).
      assert.deepEqual(
        [
          info.TitleIndex,
          info.SubKeys,
          info.MaxNameLen,
          info.MaxClassLen,
          info.Values,
          info.MaxValueNameLen,
          info.MaxValueDataLen,
        ],
        [0, 0, 0, 0, 0, 0, 0],
      );
    }
  }
  // Exactly the size, and one character more: STATUS_SUCCESS, InfoLength still header + 14.
  for (const length of [FULL, FULL + 2]) {
    r = k.ZwQueryKey(test, KeyFullInformation, length);
    assertStatus(r.status, STATUS_SUCCESS, `length ${length}`);
    assert.equal(r.resultLength, FULL, `length ${length}`);
    info = r.keyInformation as KEY_FULL_INFORMATION;
    assert.equal(info.ClassOffset, HEADER);
    assert.equal(info.ClassLength, 14);
    assert.equal(info.Class, "MyClass"); // Class[0..6] == "MyClass"
  }
  assertStatus(k.ZwDeleteKey(test), STATUS_SUCCESS); // ok_ntstatus: NtDeleteKey of the test key
  k.ZwClose(test);
  k.ZwClose(software.keyHandle);
  k.ZwClose(hklm.keyHandle);

  // Test_KeyNameInformation: the full path, compared case-insensitively.
  const machine = openKey(k, abs("\\Registry\\Machine"), KEY_READ);
  for (
    const [key, path] of [
      [machine, "\\Registry\\Machine"],
      [openKey(k, rel(machine, "Software"), KEY_READ), "\\Registry\\Machine\\Software"],
    ] as const
  ) {
    const fieldOffset = 4 + path.length * 2; // FIELD_OFFSET(KEY_NAME_INFORMATION, Name[len])
    // InfoLength 0: STATUS_BUFFER_TOO_SMALL and the length that holds the name.
    const none = k.ZwQueryKey(key, KeyNameInformation, 0);
    assertStatus(none.status, STATUS_BUFFER_TOO_SMALL, path);
    assert.equal(none.resultLength, fieldOffset, path);
    // That length: STATUS_SUCCESS, the same length, NameLength the path's bytes, the path.
    const full = k.ZwQueryKey(key, KeyNameInformation, fieldOffset);
    assertStatus(full.status, STATUS_SUCCESS, path);
    assert.equal(full.resultLength, fieldOffset, path);
    const name = full.keyInformation as KEY_NAME_INFORMATION;
    assert.equal(name.NameLength, path.length * 2, path);
    assert.equal(name.Name.toUpperCase(), path.toUpperCase()); // RtlCompareUnicodeString(..., TRUE) == 0
    k.ZwClose(key);
  }
});

Deno.test("ReactOS apitests NtQueryValueKey: SystemRoot through KeyValuePartialInformationAlign64", () => {
  const k = boot().kernel;
  const key = openKey(
    k,
    abs("\\Registry\\Machine\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"),
    KEY_QUERY_VALUE,
  );
  // No buffer: ok_hex(Status, STATUS_BUFFER_TOO_SMALL), and ResultLength above
  // FIELD_OFFSET(KEY_VALUE_PARTIAL_INFORMATION_ALIGN64, Data) and below 0x10000.
  const size = k.ZwQueryValueKey(key, "SystemRoot", KeyValuePartialInformationAlign64, 0);
  assertStatus(size.status, STATUS_BUFFER_TOO_SMALL);
  const infoLength = size.resultLength!;
  assert.ok(infoLength > 8 && infoLength < 0x10000, `ResultLength = ${infoLength}`);
  // That length: ok_hex(STATUS_SUCCESS), ok_int(ResultLength, InfoLength), ok_int(Type, REG_SZ),
  // ok_int(DataLength, InfoLength - FIELD_OFFSET(..., Data)).
  const r = k.ZwQueryValueKey(key, "SystemRoot", KeyValuePartialInformationAlign64, infoLength);
  assertStatus(r.status, STATUS_SUCCESS);
  assert.equal(r.resultLength, infoLength);
  const info = r.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION_ALIGN64;
  assert.equal(info.Type, REG_SZ);
  assert.equal(info.DataLength, infoLength - 8);
  // ok(DataLength >= 5 * sizeof(WCHAR)); a drive path: a capital letter, ':', '\', an alphanumeric
  // character, and the terminating NUL as the last WCHAR the DataLength counts.
  assert.ok(info.DataLength >= 10, `DataLength = ${info.DataLength}`);
  const path = info.Data as string;
  assert.match(path, /^[A-Z]:\\[A-Za-z0-9]/);
  assert.equal(info.DataLength, (path.length + 1) * 2);
  assertStatus(k.ZwClose(key), STATUS_SUCCESS); // ok_hex(NtClose(KeyHandle), STATUS_SUCCESS)
});

Deno.test("ReactOS apitests NtSetValueKey: empty, string and zero-length values replace an existing value or make a new one", () => {
  const k = boot().kernel;
  // KEY_QUERY_VALUE | KEY_SET_VALUE | DELETE, volatile: ok(Status == STATUS_SUCCESS).
  const key = createKey(
    k,
    abs("\\Registry\\Machine\\Software\\ntdll-apitest-NtSetValueKey"),
    KEY_QUERY_VALUE | KEY_SET_VALUE | DELETE,
    REG_OPTION_VOLATILE,
  );
  // The rows whose data is a buffer the caller owns (or none with size 0). Each succeeds on an
  // existing value and on a new one; the value then reads back with TitleIndex 0, the type set,
  // DataLength the size set and the data set.
  const rows: readonly { type: number; data: string | null; size: number; reads: unknown }[] = [
    { type: REG_NONE, data: null, size: 0, reads: undefined }, // empty REG_NONE value
    { type: REG_SZ, data: "Hello", size: 12, reads: "Hello" }, // regular string
    { type: REG_SZ, data: "", size: 2, reads: "" }, // empty string
    { type: REG_SZ, data: null, size: 0, reads: "" }, // zero length
    { type: REG_SZ, data: "Hello", size: 0, reads: "" }, // zero length, non-null data
  ];
  for (const [i, row] of rows.entries()) {
    const what = `[${i}, ${row.type}, ${JSON.stringify(row.data)}, ${row.size}]`;
    // The existing value: set "Default" first (ok(Status == STATUS_SUCCESS)).
    assertStatus(k.ZwSetValueKey(key, "ExistingValue", 0, REG_SZ, "Default", 16), STATUS_SUCCESS);
    // ok(Status == StatusExisting): STATUS_SUCCESS for these rows.
    assertStatus(
      k.ZwSetValueKey(key, "ExistingValue", 0, row.type, row.data, row.size),
      STATUS_SUCCESS,
      what,
    );
    checkValue(k, key, "ExistingValue", row, what);
    // The new value: NtDeleteValueKey gives STATUS_SUCCESS or STATUS_OBJECT_NAME_NOT_FOUND.
    const deleted = k.ZwDeleteValueKey(key, "NewValue");
    assert.ok(
      deleted === STATUS_SUCCESS || deleted === STATUS_OBJECT_NAME_NOT_FOUND,
      `${what} NtDeleteValueKey 0x${deleted.toString(16)}`,
    );
    // ok(Status == StatusNew): STATUS_SUCCESS for these rows.
    assertStatus(
      k.ZwSetValueKey(key, "NewValue", 0, row.type, row.data, row.size),
      STATUS_SUCCESS,
      what,
    );
    checkValue(k, key, "NewValue", row, what);
  }
  assertStatus(k.ZwDeleteKey(key), STATUS_SUCCESS); // ok(NtDeleteKey == STATUS_SUCCESS)
  assertStatus(k.ZwClose(key), STATUS_SUCCESS); // ok(NtClose == STATUS_SUCCESS)
});

/** NtSetValueKey.c's read-back through a 12 + 128 byte KEY_VALUE_PARTIAL_INFORMATION. */
function checkValue(
  k: Kernel,
  key: Handle,
  name: string,
  row: { type: number; size: number; reads: unknown },
  what: string,
): void {
  const q = k.ZwQueryValueKey(key, name, KeyValuePartialInformation, 12 + 128);
  assertStatus(q.status, STATUS_SUCCESS, `${what} NtQueryValueKey ${name}`); // ok(QueryStatus == STATUS_SUCCESS)
  const info = q.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION;
  assert.equal(info.TitleIndex, 0, what); // ok(TitleIndex == 0)
  assert.equal(info.Type, row.type, what); // ok(Type == Tests[i].Type)
  assert.equal(info.DataLength, row.size, what); // ok(DataLength == Tests[i].DataSize)
  // ok(!memcmp(Data, Tests[i].Data, DataSize)): nothing to compare when the size is 0.
  if (row.size > 0) assert.equal(info.Data, row.reads, what);
}

/** A C wide string literal's bytes: the characters, then the NUL `sizeof` counts. */
function wideLiteral(s: string): Uint8Array {
  const out = new Uint8Array((s.length + 1) * 2);
  for (let i = 0; i < s.length; i++) {
    out[i * 2] = s.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
}

Deno.test("ReactOS kmtests RtlRegistry: a REG_MULTI_SZ value, and a REG_MULTI_SZ default with its length given or computed, reach the QueryRoutine one string at a time", () => {
  const k = boot().kernel;
  // A kernel-mode test: the Zw calls run with KernelMode, as the model's do.
  const software = openKey(
    k,
    abs("\\Registry\\MACHINE\\Software"),
    KEY_CREATE_SUB_KEY,
  ); // ok_eq_hex(ZwOpenKey, STATUS_SUCCESS)
  const key = createKey(
    k,
    rel(software, "RtlRegistryKmtestKey"),
    KEY_QUERY_VALUE | KEY_SET_VALUE | DELETE,
    REG_OPTION_VOLATILE,
  ); // ok_eq_hex(ZwCreateKey, STATUS_SUCCESS)

  // Tests[]: the C literal (null for the NULL row), the strings a stored value gives, and, where
  // they differ (DEFAULT_DIFFERS, AUTO_DIFFERS), the strings a default with DefaultLength given
  // or 0 gives; `null` where the row is not run that way (NO_DEFAULT, NO_AUTO_LEN).
  const rows: readonly {
    literal: string | null;
    stored: readonly string[];
    given: readonly string[] | null;
    auto: readonly string[] | null;
  }[] = [
    { literal: null, stored: [], given: null, auto: null },
    { literal: "", stored: [], given: [], auto: null },
    { literal: "\0", stored: [""], given: [], auto: [] },
    { literal: "String", stored: ["String"], given: ["String"], auto: null },
    { literal: "String\0", stored: ["String"], given: ["String"], auto: ["String"] },
    {
      literal: "String1\0String2",
      stored: ["String1", "String2"],
      given: ["String1", "String2"],
      auto: null,
    },
    {
      literal: "String1\0String2\0",
      stored: ["String1", "String2"],
      given: ["String1", "String2"],
      auto: ["String1", "String2"],
    },
    {
      literal: "String1\0\0String3",
      stored: ["String1", "", "String3"],
      given: ["String1", "", "String3"],
      auto: null,
    },
    {
      literal: "String1\0\0String3\0",
      stored: ["String1", "", "String3"],
      given: ["String1", "", "String3"],
      auto: ["String1"],
    },
  ];

  /**
   * DO_QUERY: RtlQueryRegistryValues(RTL_REGISTRY_HANDLE) of "TestValue" returns STATUS_SUCCESS
   * and the routine is called once per expected string, each with the name, REG_SZ, the string
   * and its size with the NUL; with one call expected, EntryContext is passed through.
   */
  const query = (
    row: Partial<RTL_QUERY_REGISTRY_TABLE>,
    expected: readonly string[],
    what: string,
    mismatch = false,
  ) => {
    const calls: unknown[][] = [];
    const entryContext = {};
    const status = k.RtlQueryRegistryValues(RTL_REGISTRY_HANDLE, key, [{
      QueryRoutine: (...args) => {
        calls.push(args);
        return STATUS_SUCCESS;
      },
      Flags: 0,
      Name: "TestValue",
      EntryContext: expected.length === 1 ? entryContext : null,
      DefaultType: REG_NONE,
      ...row,
    }]);
    assertStatus(status, STATUS_SUCCESS, what); // ok_eq_hex(Status, STATUS_SUCCESS)
    if (mismatch) {
      // Only the strings the model does report are asserted: the first of Windows' list.
      assert.deepEqual(
        calls.map(([name, type, data, length]) => [name, type, data, length]),
        expected.slice(0, calls.length).map((s) => ["TestValue", REG_SZ, s, (s.length + 1) * 2]),
        what,
      );
      assert.ok(calls.length < expected.length, `${what}: the MISMATCH is gone, assert it all`);
      return;
    }
    // ok_eq_ulong(Expected.CurrentIndex, Expected.Count), and per call ok_eq_wstr(ValueName),
    // ok_eq_ulong(ValueType, REG_SZ), ok_eq_ulong(ValueLength), the data's bytes, the EntryContext.
    assert.deepEqual(
      calls.map(([name, type, data, length, , context]) => [name, type, data, length, context]),
      expected.map((s) => [
        "TestValue",
        REG_SZ,
        s,
        (s.length + 1) * 2,
        expected.length === 1 ? entryContext : null,
      ]),
      what,
    );
  };

  // Stored values: ZwSetValueKey(REG_MULTI_SZ, the literal, sizeof) returns STATUS_SUCCESS.
  for (const [i, row] of rows.entries()) {
    const bytes = row.literal === null ? null : wideLiteral(row.literal);
    assertStatus(
      k.ZwSetValueKey(key, "TestValue", 0, REG_MULTI_SZ, bytes, bytes?.length ?? 0),
      STATUS_SUCCESS,
      `Set: ${i}`,
    );
    query({}, row.stored, `Set: ${i}`);
  }
  // ZwDeleteValueKey: STATUS_SUCCESS or STATUS_OBJECT_NAME_NOT_FOUND.
  const deleted = k.ZwDeleteValueKey(key, "TestValue");
  assert.ok(deleted === STATUS_SUCCESS || deleted === STATUS_OBJECT_NAME_NOT_FOUND);
  // A missing value with DefaultType REG_NONE: no call.
  query({}, [], "Default: REG_NONE");
  for (const [i, row] of rows.entries()) {
    if (row.literal === null) continue;
    const bytes = wideLiteral(row.literal);
    if (row.given) {
      // DefaultLength = sizeof(literal).
      // MISMATCH: Windows reports every string before the buffer's last WCHAR, as for a stored
      // value ("String" as 14 bytes: 1 call; "String1\0String2": 2; "String1\0\0String3[\0]": 3)
      // vs the model, which follows Wine's test_RtlQueryRegistryValues rows 28 and 29 (run on
      // Windows: "A\0B\0C\0" as 12 bytes gives "A" and "B" only) and stops before a string whose
      // NUL is that last WCHAR, and at an empty string. The two sources disagree; rows 3, 5, 7, 8.
      query(
        { DefaultType: REG_MULTI_SZ, DefaultData: bytes, DefaultLength: bytes.length },
        row.given,
        `Default: ${i}`,
        [3, 5, 7, 8].includes(i),
      );
    }
    if (row.auto) {
      // DefaultLength = 0: the list's length is computed.
      query(
        { DefaultType: REG_MULTI_SZ, DefaultData: bytes, DefaultLength: 0 },
        row.auto,
        `Auto: ${i}`,
      );
    }
  }
  assertStatus(k.ZwDeleteKey(key), STATUS_SUCCESS); // ok_eq_hex(ZwDeleteKey, STATUS_SUCCESS)
  assertStatus(k.ZwClose(key), STATUS_SUCCESS); // ok_eq_hex(ZwClose, STATUS_SUCCESS)
  k.ZwClose(software);
});
