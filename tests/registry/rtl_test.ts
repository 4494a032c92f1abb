/**
 * The Rtl registry helpers against their documentation (DDI nf-wdm-rtlwriteregistryvalue.md,
 * nf-wdm-rtlqueryregistryvalues.md, and "Registry Run-Time Library Routines"). Each test names the
 * rule it checks.
 */
import assert from "node:assert/strict";
import {
  boot,
  BugCheck,
  DISPATCH_LEVEL,
  KEY_READ,
  KEY_SET_VALUE,
  KeyValuePartialInformation,
  REG_BINARY,
  REG_DWORD,
  REG_EXPAND_SZ,
  REG_MULTI_SZ,
  REG_NONE,
  REG_QWORD,
  REG_SZ,
  RTL_QUERY_REGISTRY_DELETE,
  RTL_QUERY_REGISTRY_DIRECT,
  RTL_QUERY_REGISTRY_NOEXPAND,
  RTL_QUERY_REGISTRY_NOVALUE,
  RTL_QUERY_REGISTRY_REQUIRED,
  RTL_QUERY_REGISTRY_SUBKEY,
  type RTL_QUERY_REGISTRY_TABLE,
  RTL_QUERY_REGISTRY_TOPKEY,
  RTL_QUERY_REGISTRY_TYPECHECK,
  RTL_QUERY_REGISTRY_TYPECHECK_SHIFT,
  RTL_REGISTRY_ABSOLUTE,
  RTL_REGISTRY_CONTROL,
  RTL_REGISTRY_HANDLE,
  RTL_REGISTRY_SERVICES,
  RTL_REGISTRY_USER,
  STATUS_ACCESS_DENIED,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_SYNTAX_BAD as PATH_SYNTAX_BAD,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../../mod.ts";
import type { KEY_VALUE_PARTIAL_INFORMATION, RegData } from "../../mod.ts";
import {
  asApplication,
  assertStatus,
  CCS,
  keyHandleAccessFindings,
  openKey,
  withTempDir,
} from "./_helpers.ts";

const SERVICES = "HKLM\\SYSTEM\\CurrentControlSet\\Services";

/** One call a QueryRoutine received. */
interface Seen {
  name: string | null;
  type: number;
  data: RegData | null;
  length: number;
}

/** A QueryRoutine that records its calls and returns `status`. */
function recorder(
  seen: Seen[],
  status = STATUS_SUCCESS,
): NonNullable<RTL_QUERY_REGISTRY_TABLE["QueryRoutine"]> {
  return (name, type, data, length) => {
    seen.push({ name, type, data, length });
    return status;
  };
}

/** A machine with `Services\Toaster` holding a few values. */
function toasterMachine(): ReturnType<typeof boot> {
  const m = boot();
  m.registry.setValue(`${SERVICES}\\Toaster`, "Start", REG_DWORD, 3);
  m.registry.setValue(
    `${SERVICES}\\Toaster`,
    "ImagePath",
    REG_EXPAND_SZ,
    "%SystemRoot%\\toaster.sys",
  );
  m.registry.setValue(`${SERVICES}\\Toaster`, "DependOnService", REG_MULTI_SZ, ["Beep", "Null"]);
  m.registry.setValue(`${SERVICES}\\Toaster\\Parameters`, "Speed", REG_DWORD, 9);
  return m;
}

// ---- RtlWriteRegistryValue -------------------------------------------------------------------------

Deno.test("RtlWriteRegistryValue with RTL_REGISTRY_SERVICES writes under CurrentControlSet\\Services, creating the missing key, with Windows byte sizes (RtlWriteRegistryValue)", () => {
  const m = boot();
  const k = m.kernel;
  assertStatus(
    k.RtlWriteRegistryValue(RTL_REGISTRY_SERVICES, "Toaster", "DisplayName", REG_SZ, "Toaster"),
    STATUS_SUCCESS,
  );
  assertStatus(
    k.RtlWriteRegistryValue(RTL_REGISTRY_SERVICES, "Toaster", "Ids", REG_MULTI_SZ, ["A", "BC"]),
    STATUS_SUCCESS,
  );
  assert.deepEqual(m.registry.getValue(`${SERVICES}\\Toaster`, "DisplayName"), {
    type: REG_SZ,
    data: "Toaster",
  });
  assert.equal(m.registry.exists("HKLM\\SYSTEM\\ControlSet001\\Services\\Toaster"), true);
  const h = openKey(k, `${CCS}\\Services\\Toaster`, KEY_READ);
  const sz = k.ZwQueryValueKey(h, "DisplayName", KeyValuePartialInformation);
  assert.equal((sz.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION).DataLength, 16);
  const multi = k.ZwQueryValueKey(h, "Ids", KeyValuePartialInformation);
  assert.equal((multi.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION).DataLength, 12);
});

Deno.test("RtlWriteRegistryValue creates only the last key of Path: a missing intermediate key is STATUS_OBJECT_NAME_NOT_FOUND (RtlWriteRegistryValue: creates a direct child only)", () => {
  const m = boot();
  assertStatus(
    m.kernel.RtlWriteRegistryValue(
      RTL_REGISTRY_SERVICES,
      "Missing\\Parameters",
      "V",
      REG_DWORD,
      1,
    ),
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
  assert.equal(m.registry.exists(`${SERVICES}\\Missing`), false);
});

Deno.test("RtlWriteRegistryValue with RTL_REGISTRY_HANDLE writes through the handle, which needs KEY_SET_VALUE: checked for a user-mode caller, a KeyHandleAccess finding for a kernel-mode one (RtlWriteRegistryValue: RTL_REGISTRY_HANDLE; ObReferenceObjectByHandle)", () => {
  const m = toasterMachine();
  const k = m.kernel;
  asApplication(m, "tool", () => {
    const reader = openKey(k, `${CCS}\\Services\\Toaster`, KEY_READ);
    assertStatus(
      k.RtlWriteRegistryValue(RTL_REGISTRY_HANDLE, reader, "Start", REG_DWORD, 4),
      STATUS_ACCESS_DENIED,
    );
  });
  assert.equal(m.registry.getValue(`${SERVICES}\\Toaster`, "Start")?.data, 3);
  const reader = openKey(k, `${CCS}\\Services\\Toaster`, KEY_READ);
  assertStatus(
    k.RtlWriteRegistryValue(RTL_REGISTRY_HANDLE, reader, "Start", REG_DWORD, 5),
    STATUS_SUCCESS,
  );
  assert.equal(m.registry.getValue(`${SERVICES}\\Toaster`, "Start")?.data, 5);
  assert.match(
    keyHandleAccessFindings(m)[0] ?? "",
    /RtlWriteRegistryValue .* KEY_READ: it lacks KEY_SET_VALUE/,
  );
  const writer = openKey(k, `${CCS}\\Services\\Toaster`, KEY_SET_VALUE);
  assertStatus(
    k.RtlWriteRegistryValue(RTL_REGISTRY_HANDLE, writer, "Start", REG_DWORD, 4),
    STATUS_SUCCESS,
  );
  assert.equal(m.registry.getValue(`${SERVICES}\\Toaster`, "Start")?.data, 4);
  // The handle stays the caller's: the routine does not close it.
  assertStatus(k.ZwClose(writer), STATUS_SUCCESS);
});

Deno.test("RtlWriteRegistryValue on a key whose security does not allow KEY_SET_VALUE is STATUS_ACCESS_DENIED; reading it still works (the routine opens the key, so its security applies)", async () => {
  await withTempDir((dir) => {
    const file = `${dir}/system.hive`;
    const first = boot({ hiveFile: file });
    first.registry.setValue(`${SERVICES}\\Locked`, "Start", REG_DWORD, 3);
    first.saveHive();
    const json = JSON.parse(Deno.readTextFileSync(file));
    json.keys.find((key: { path: string }) => /\\Services\\Locked$/i.test(key.path)).allowed =
      KEY_READ;
    Deno.writeTextFileSync(file, JSON.stringify(json));

    const m = boot({ hiveFile: file });
    assertStatus(
      m.kernel.RtlWriteRegistryValue(RTL_REGISTRY_SERVICES, "Locked", "Start", REG_DWORD, 4),
      STATUS_ACCESS_DENIED,
    );
    assertStatus(
      m.kernel.RtlDeleteRegistryValue(RTL_REGISTRY_SERVICES, "Locked", "Start"),
      STATUS_ACCESS_DENIED,
    );
    assert.equal(m.registry.getValue(`${SERVICES}\\Locked`, "Start")?.data, 3);
    const out: { value?: RegData } = {};
    assertStatus(
      m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Locked", [
        { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "Start", EntryContext: out },
      ]),
      STATUS_SUCCESS,
    );
    assert.equal(out.value, 3);
  });
});

Deno.test("each Rtl call opens and closes its own handle: the trace shows the Rtl call and its registry write, no Zw calls (Registry Run-Time Library Routines)", () => {
  const m = boot();
  const start = m.trace.length;
  m.kernel.RtlWriteRegistryValue(RTL_REGISTRY_CONTROL, "IDConfigDB", "Extra", REG_DWORD, 1);
  const events = m.trace.slice(start);
  assert.deepEqual(
    events.map((e) => e.kind === "call" ? e.routine : e.kind === "reg" ? `reg ${e.op}` : e.kind),
    ["RtlWriteRegistryValue", "reg setValue"],
  );
  const call = events[0]!;
  assert.ok(call.kind === "call" && call.statusName === "STATUS_SUCCESS");
});

// ---- RtlQueryRegistryValues -----------------------------------------------------------------------------

Deno.test("RtlQueryRegistryValues with RTL_QUERY_REGISTRY_DIRECT stores each value in its EntryContext (RtlQueryRegistryValues: DIRECT)", () => {
  const m = toasterMachine();
  const start: { value?: RegData; type?: number } = {};
  const missing: { value?: RegData } = { value: "untouched" };
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Toaster", [
      { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "Start", EntryContext: start },
      { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "NotThere", EntryContext: missing },
      { Flags: 0, Name: null, QueryRoutine: null },
    ]),
    STATUS_SUCCESS,
  );
  assert.equal(start.value, 3);
  assert.equal(start.type, REG_DWORD);
  assert.equal(missing.value, "untouched");
});

Deno.test("RtlQueryRegistryValues calls a row whose Name is NULL once for every value of the key, in order, with its byte length (RtlQueryRegistryValues: QueryRoutine)", () => {
  const m = toasterMachine();
  const seen: Seen[] = [];
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Toaster", [
      { QueryRoutine: recorder(seen), Flags: RTL_QUERY_REGISTRY_NOEXPAND, Name: null },
    ]),
    STATUS_SUCCESS,
  );
  assert.deepEqual(seen, [
    { name: "Start", type: REG_DWORD, data: 3, length: 4 },
    { name: "ImagePath", type: REG_EXPAND_SZ, data: "%SystemRoot%\\toaster.sys", length: 50 },
    { name: "DependOnService", type: REG_MULTI_SZ, data: ["Beep", "Null"], length: 22 },
  ]);
});

Deno.test("without RTL_QUERY_REGISTRY_NOEXPAND a REG_EXPAND_SZ is expanded and reported as REG_SZ, and a REG_MULTI_SZ gives one call per string (RtlQueryRegistryValues: NOEXPAND)", () => {
  const m = toasterMachine();
  const seen: Seen[] = [];
  assertStatus(
    m.kernel.RtlQueryRegistryValues(
      RTL_REGISTRY_SERVICES,
      "Toaster",
      [
        { QueryRoutine: recorder(seen), Flags: 0, Name: "ImagePath" },
        { QueryRoutine: recorder(seen), Flags: 0, Name: "DependOnService" },
      ],
      null,
      { SystemRoot: "C:\\Windows" },
    ),
    STATUS_SUCCESS,
  );
  assert.deepEqual(seen, [
    { name: "ImagePath", type: REG_SZ, data: "C:\\Windows\\toaster.sys", length: 46 },
    { name: "DependOnService", type: REG_SZ, data: "Beep", length: 10 },
    { name: "DependOnService", type: REG_SZ, data: "Null", length: 10 },
  ]);
});

Deno.test("a REG_MULTI_SZ whose string is 400,000 characters long reaches the QueryRoutine whole, one call per string, with no JavaScript exception (RtlQueryRegistryValues: NOEXPAND; ground rule: routines return NTSTATUS values)", () => {
  const m = toasterMachine();
  const long = "x".repeat(400_000);
  assertStatus(
    m.kernel.RtlWriteRegistryValue(RTL_REGISTRY_SERVICES, "Toaster", "Long", REG_MULTI_SZ, [
      long,
      "y",
    ]),
    STATUS_SUCCESS,
  );
  const seen: Seen[] = [];
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Toaster", [
      { QueryRoutine: recorder(seen), Flags: 0, Name: "Long" },
    ]),
    STATUS_SUCCESS,
  );
  assert.equal(m.halted, false);
  assert.deepEqual(seen.map((c) => [c.type, c.data, c.length]), [
    [REG_SZ, long, 800_002],
    [REG_SZ, "y", 4],
  ]);
});

Deno.test("a REG_MULTI_SZ default given as 800,006 bytes is split without a JavaScript exception: the strings whose NUL comes before the buffer's last WCHAR (RtlQueryRegistryValues: DefaultLength; ground rule: routines return NTSTATUS values)", () => {
  const m = toasterMachine();
  const long = "x".repeat(400_000);
  const text = `${long}\0y\0\0`;
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) bytes[i * 2] = text.charCodeAt(i);
  const seen: Seen[] = [];
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Toaster", [
      {
        QueryRoutine: recorder(seen),
        Flags: 0,
        Name: "NotThere",
        DefaultType: REG_MULTI_SZ,
        DefaultData: bytes,
        DefaultLength: bytes.length,
      },
    ]),
    STATUS_SUCCESS,
  );
  assert.equal(m.halted, false);
  assert.deepEqual(seen.map((c) => c.data), [long, "y"]);
});

Deno.test("a missing value with RTL_QUERY_REGISTRY_REQUIRED is STATUS_OBJECT_NAME_NOT_FOUND, and so is a missing Path (RtlQueryRegistryValues)", () => {
  const m = toasterMachine();
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Toaster", [
      {
        Flags: RTL_QUERY_REGISTRY_DIRECT | RTL_QUERY_REGISTRY_REQUIRED,
        Name: "Nope",
        EntryContext: {},
      },
    ]),
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "NoSuchService", [
      { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "Start", EntryContext: {} },
    ]),
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, "\\Registry\\Machine\\Nowhere", [
      { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "Start", EntryContext: {} },
    ]),
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
});

Deno.test("a missing value without REQUIRED uses DefaultType and DefaultData; with DefaultType REG_NONE the row is skipped (RtlQueryRegistryValues: defaults)", () => {
  const m = toasterMachine();
  const timeout: { value?: RegData } = {};
  const seen: Seen[] = [];
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Toaster", [
      {
        Flags: RTL_QUERY_REGISTRY_DIRECT,
        Name: "Timeout",
        EntryContext: timeout,
        DefaultType: REG_DWORD,
        DefaultData: 30,
        DefaultLength: 4,
      },
      {
        QueryRoutine: recorder(seen),
        Flags: 0,
        Name: "Other",
        DefaultType: REG_NONE,
        DefaultData: 1,
      },
    ]),
    STATUS_SUCCESS,
  );
  assert.equal(timeout.value, 30);
  assert.deepEqual(seen, []);
});

Deno.test("RTL_QUERY_REGISTRY_SUBKEY moves the following rows to a subkey and RTL_QUERY_REGISTRY_TOPKEY moves them back (RtlQueryRegistryValues)", () => {
  const m = toasterMachine();
  const speed: { value?: RegData } = {};
  const start: { value?: RegData } = {};
  const noStartThere: { value?: RegData } = {};
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Toaster", [
      { Flags: RTL_QUERY_REGISTRY_SUBKEY, Name: "Parameters" },
      { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "Speed", EntryContext: speed },
      { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "Start", EntryContext: noStartThere },
      { Flags: RTL_QUERY_REGISTRY_TOPKEY, QueryRoutine: () => STATUS_SUCCESS, Name: "x" },
      { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "Start", EntryContext: start },
    ]),
    STATUS_SUCCESS,
  );
  assert.equal(speed.value, 9);
  assert.equal(noStartThere.value, undefined);
  assert.equal(start.value, 3);
});

Deno.test("an error from a QueryRoutine stops the walk and is returned, except STATUS_BUFFER_TOO_SMALL, which is ignored (RtlQueryRegistryValues)", () => {
  const m = toasterMachine();
  const seen: Seen[] = [];
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Toaster", [
      {
        QueryRoutine: recorder(seen, STATUS_BUFFER_TOO_SMALL),
        Flags: RTL_QUERY_REGISTRY_NOEXPAND,
        Name: "Start",
      },
      {
        QueryRoutine: recorder(seen, STATUS_UNSUCCESSFUL),
        Flags: RTL_QUERY_REGISTRY_NOEXPAND,
        Name: "ImagePath",
      },
      { QueryRoutine: recorder(seen), Flags: RTL_QUERY_REGISTRY_NOEXPAND, Name: "DependOnService" },
    ]),
    STATUS_UNSUCCESSFUL,
  );
  assert.deepEqual(seen.map((s) => s.name), ["Start", "ImagePath"]);
});

Deno.test("RTL_QUERY_REGISTRY_TYPECHECK with another stored type is STATUS_OBJECT_TYPE_MISMATCH (RtlQueryRegistryValues: TYPECHECK)", () => {
  const m = toasterMachine();
  const out: { value?: RegData } = {};
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Toaster", [
      {
        Flags: RTL_QUERY_REGISTRY_DIRECT | RTL_QUERY_REGISTRY_TYPECHECK,
        Name: "Start",
        EntryContext: out,
        DefaultType: (REG_SZ << RTL_QUERY_REGISTRY_TYPECHECK_SHIFT) | REG_NONE,
      },
    ]),
    STATUS_OBJECT_TYPE_MISMATCH,
  );
  assert.equal(out.value, undefined);
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Toaster", [
      {
        Flags: RTL_QUERY_REGISTRY_DIRECT | RTL_QUERY_REGISTRY_TYPECHECK,
        Name: "Start",
        EntryContext: out,
        DefaultType: (REG_DWORD << RTL_QUERY_REGISTRY_TYPECHECK_SHIFT) | REG_NONE,
      },
    ]),
    STATUS_SUCCESS,
  );
  assert.equal(out.value, 3);
});

Deno.test("RTL_QUERY_REGISTRY_DELETE deletes the value after it was queried (RtlQueryRegistryValues: DELETE)", () => {
  const m = toasterMachine();
  const out: { value?: RegData } = {};
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Toaster", [
      {
        Flags: RTL_QUERY_REGISTRY_DIRECT | RTL_QUERY_REGISTRY_DELETE,
        Name: "Start",
        EntryContext: out,
      },
    ]),
    STATUS_SUCCESS,
  );
  assert.equal(out.value, 3);
  assert.equal(m.registry.getValue(`${SERVICES}\\Toaster`, "Start"), undefined);
});

/** The key of Wine's test_RtlQueryRegistryValues, under HKLM\SOFTWARE (a trusted hive). */
const WINE_TEST = "\\Registry\\Machine\\Software\\WineTest";

/** A machine with Wine's test values: an expandable string, a list without its NULs, numbers, a subkey. */
function wineMachine(): ReturnType<typeof boot> {
  const m = boot();
  const key = "HKLM\\SOFTWARE\\WineTest";
  m.registry.setValue(key, "WindowsDrive", REG_EXPAND_SZ, "%SYSTEMDRIVE%");
  // Wine stores "Brussels\0Paris\0%PATH%" without the list's closing NULs.
  const text = "Brussels\0Paris\0%PATH%";
  const bytes = Uint8Array.from([...text].flatMap((c) => [c.charCodeAt(0), 0]));
  m.registry.setValue(key, "CapitalsOfEurope", REG_MULTI_SZ, bytes);
  m.registry.setValue(key, "MeaningOfLife32", REG_DWORD, 0x2a);
  m.registry.setValue(key, "MeaningOfLife64", REG_QWORD, 0x2an);
  m.registry.setValue(`${key}\\subkey`, "Color", REG_SZ, "Yellow");
  m.registry.setValue(`${key}\\subkey\\deeper`, "Shade", REG_SZ, "Lemon");
  m.registry.createKey(`${key}\\Empty`);
  return m;
}

/** RtlQueryRegistryValues over Wine's key, with the environment Wine's values expand in. */
function query(m: ReturnType<typeof boot>, table: RTL_QUERY_REGISTRY_TABLE[], path = WINE_TEST) {
  return m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, path, table, null, {
    SystemDrive: "C:",
  });
}

Deno.test("RTL_QUERY_REGISTRY_NOVALUE on a row without a Name calls the routine once with no value name, REG_NONE, no data and length 0, without enumerating; on a row with a Name it is ignored (RtlQueryRegistryValues: NOVALUE; Wine test_RtlQueryRegistryValues)", () => {
  const m = wineMachine();
  const seen: Seen[] = [];
  assertStatus(
    query(m, [
      { QueryRoutine: recorder(seen), Flags: RTL_QUERY_REGISTRY_NOVALUE },
      {
        QueryRoutine: recorder(seen),
        Flags: RTL_QUERY_REGISTRY_NOVALUE,
        DefaultType: REG_SZ,
        DefaultData: "Some default",
      },
    ]),
    STATUS_SUCCESS,
  );
  const none = { name: null, type: REG_NONE, data: null, length: 0 };
  assert.deepEqual(seen, [none, none]);
  // With a Name the row is an ordinary query: the value is read (and expanded).
  const named: Seen[] = [];
  assertStatus(
    query(m, [
      { QueryRoutine: recorder(named), Flags: RTL_QUERY_REGISTRY_NOVALUE, Name: "WindowsDrive" },
      { QueryRoutine: recorder(named), Flags: RTL_QUERY_REGISTRY_NOVALUE, Name: "I don't exist" },
    ]),
    STATUS_SUCCESS,
  );
  assert.deepEqual(named, [{ name: "WindowsDrive", type: REG_SZ, data: "C:", length: 6 }]);
});

Deno.test("a DIRECT row with a QueryRoutine is STATUS_INVALID_PARAMETER and nothing is called or stored, whether or not the value exists (RtlQueryRegistryValues: with DIRECT the QueryRoutine must be NULL; Wine test_RtlQueryRegistryValues)", () => {
  const m = wineMachine();
  for (const name of ["WindowsDrive", "I don't exist"]) {
    const seen: Seen[] = [];
    const out: { value?: RegData } = {};
    assertStatus(
      query(m, [{
        QueryRoutine: recorder(seen),
        Flags: RTL_QUERY_REGISTRY_DIRECT,
        Name: name,
        EntryContext: out,
        DefaultType: REG_SZ,
        DefaultData: "Some default",
      }]),
      STATUS_INVALID_PARAMETER,
      name,
    );
    assert.deepEqual(seen, [], name);
    assert.equal(out.value, undefined, name);
  }
});

Deno.test("RTL_QUERY_REGISTRY_REQUIRED: a missing value with a DefaultType other than REG_NONE uses the default; with REG_NONE, or with no Name on a key without values, it is STATUS_OBJECT_NAME_NOT_FOUND (RtlQueryRegistryValues: REQUIRED; Wine test_RtlQueryRegistryValues)", () => {
  const m = wineMachine();
  const seen: Seen[] = [];
  assertStatus(
    query(m, [{
      QueryRoutine: recorder(seen),
      Flags: RTL_QUERY_REGISTRY_REQUIRED,
      Name: "I don't exist",
      DefaultType: REG_SZ,
      DefaultData: "Some default",
    }]),
    STATUS_SUCCESS,
  );
  assert.deepEqual(seen, [
    { name: "I don't exist", type: REG_SZ, data: "Some default", length: 26 },
  ]);
  const none: Seen[] = [];
  assertStatus(
    query(m, [{
      QueryRoutine: recorder(none),
      Flags: RTL_QUERY_REGISTRY_REQUIRED,
      Name: "I don't exist",
      DefaultType: REG_NONE,
      DefaultData: "Some default",
    }]),
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
  // "This exit occurs if the Name member is NULL and the current key has no" values.
  assertStatus(
    query(
      m,
      [{ QueryRoutine: recorder(none), Flags: RTL_QUERY_REGISTRY_REQUIRED, Name: null }],
      `${WINE_TEST}\\Empty`,
    ),
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
  assert.deepEqual(none, []);
  // Without REQUIRED a key without values skips the row.
  assertStatus(
    query(m, [{ QueryRoutine: recorder(none), Flags: 0, Name: null }], `${WINE_TEST}\\Empty`),
    STATUS_SUCCESS,
  );
});

Deno.test("RTL_QUERY_REGISTRY_SUBKEY: Name is a path relative to Path that may hold backslashes; a QueryRoutine on the SUBKEY row is called for every value of that subkey (RtlQueryRegistryValues: SUBKEY; Wine test_RtlQueryRegistryValues)", () => {
  const m = wineMachine();
  const seen: Seen[] = [];
  assertStatus(
    query(m, [{ QueryRoutine: recorder(seen), Flags: RTL_QUERY_REGISTRY_SUBKEY, Name: "subkey" }]),
    STATUS_SUCCESS,
  );
  assert.deepEqual(seen, [{ name: "Color", type: REG_SZ, data: "Yellow", length: 14 }]);
  const shade: { value?: RegData } = {};
  const color: { value?: RegData } = {};
  assertStatus(
    query(m, [
      { Flags: RTL_QUERY_REGISTRY_SUBKEY, Name: "subkey\\deeper" },
      { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "Shade", EntryContext: shade },
      // Each SUBKEY path is relative to Path, not to the previous subkey.
      { Flags: RTL_QUERY_REGISTRY_SUBKEY, Name: "subkey" },
      { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "Color", EntryContext: color },
    ]),
    STATUS_SUCCESS,
  );
  assert.equal(shade.value, "Lemon");
  assert.equal(color.value, "Yellow");
  assertStatus(
    query(m, [{ Flags: RTL_QUERY_REGISTRY_SUBKEY | RTL_QUERY_REGISTRY_REQUIRED, Name: "a\\b" }]),
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
});

Deno.test("RTL_QUERY_REGISTRY_DIRECT without NOEXPAND expands a REG_EXPAND_SZ, stored or default; with NOEXPAND it stores the string as it is (RtlQueryRegistryValues: NOEXPAND; Wine test_RtlQueryRegistryValues)", () => {
  const m = wineMachine();
  const expanded: { value?: RegData; type?: number } = {};
  const raw: { value?: RegData; type?: number } = {};
  const fallback: { value?: RegData } = {};
  const plain: { value?: RegData } = {};
  assertStatus(
    query(m, [
      { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "WindowsDrive", EntryContext: expanded },
      {
        Flags: RTL_QUERY_REGISTRY_DIRECT | RTL_QUERY_REGISTRY_NOEXPAND,
        Name: "WindowsDrive",
        EntryContext: raw,
      },
      {
        Flags: RTL_QUERY_REGISTRY_DIRECT,
        Name: "I don't exist",
        EntryContext: fallback,
        DefaultType: REG_EXPAND_SZ,
        DefaultData: "%SYSTEMDRIVE%",
      },
      // A REG_SZ default is not expanded.
      {
        Flags: RTL_QUERY_REGISTRY_DIRECT,
        Name: "I don't exist",
        EntryContext: plain,
        DefaultType: REG_SZ,
        DefaultData: "%SYSTEMDRIVE%",
      },
    ]),
    STATUS_SUCCESS,
  );
  assert.deepEqual(expanded, { value: "C:", type: REG_SZ });
  assert.deepEqual(raw, { value: "%SYSTEMDRIVE%", type: REG_EXPAND_SZ });
  assert.equal(fallback.value, "C:");
  assert.equal(plain.value, "%SYSTEMDRIVE%");
});

Deno.test('DefaultLength is honoured: a REG_SZ default cut to it (the routine gets "Some" and 8; DIRECT gets "Som"), and a REG_DWORD default with DefaultLength 0 is reported with length 0 and not stored by DIRECT (RtlQueryRegistryValues: DefaultLength; Wine test_RtlQueryRegistryValues)', () => {
  const m = wineMachine();
  const seen: Seen[] = [];
  const some: { value?: RegData } = {};
  const dword: { value?: RegData } = { value: 1 };
  const dword4: { value?: RegData } = { value: 1 };
  assertStatus(
    query(m, [
      {
        QueryRoutine: recorder(seen),
        Flags: 0,
        Name: "I don't exist",
        DefaultType: REG_SZ,
        DefaultData: "Some default",
        DefaultLength: 8,
      },
      {
        QueryRoutine: recorder(seen),
        Flags: 0,
        Name: "I don't exist",
        DefaultType: REG_DWORD,
        DefaultData: 0xdeadbeef,
        DefaultLength: 0,
      },
      {
        Flags: RTL_QUERY_REGISTRY_DIRECT,
        Name: "I don't exist",
        EntryContext: some,
        DefaultType: REG_SZ,
        DefaultData: "Some default",
        DefaultLength: 8,
      },
      {
        Flags: RTL_QUERY_REGISTRY_DIRECT,
        Name: "I don't exist",
        EntryContext: dword,
        DefaultType: REG_DWORD,
        DefaultData: 0xdeadbeef,
        DefaultLength: 0,
      },
      {
        Flags: RTL_QUERY_REGISTRY_DIRECT,
        Name: "I don't exist",
        EntryContext: dword4,
        DefaultType: REG_DWORD,
        DefaultData: 0x2a,
        DefaultLength: 4,
      },
    ]),
    STATUS_SUCCESS,
  );
  assert.deepEqual(seen, [
    { name: "I don't exist", type: REG_SZ, data: "Some", length: 8 },
    { name: "I don't exist", type: REG_DWORD, data: 0xdeadbeef, length: 0 },
  ]);
  assert.equal(some.value, "Som");
  assert.equal(dword.value, 1);
  assert.equal(dword4.value, 0x2a);
});

Deno.test("a REG_SZ default without DefaultData is STATUS_DATA_OVERRUN, for a routine row and a DIRECT row, and nothing is called or stored; a REG_NONE default is no default (RtlQueryRegistryValues; Wine test_RtlQueryRegistryValues: the default value is not used if it is not valid)", () => {
  const STATUS_DATA_OVERRUN = 0xc000003c;
  const m = wineMachine();
  const seen: Seen[] = [];
  const out: { value?: RegData } = {};
  for (const data of [{}, { DefaultData: null }]) {
    assertStatus(
      query(m, [{
        QueryRoutine: recorder(seen),
        Flags: 0,
        Name: "I don't exist",
        DefaultType: REG_SZ,
        ...data,
      }]),
      STATUS_DATA_OVERRUN,
    );
    assertStatus(
      query(m, [{
        Flags: RTL_QUERY_REGISTRY_DIRECT,
        Name: "I don't exist",
        EntryContext: out,
        DefaultType: REG_SZ,
        ...data,
      }]),
      STATUS_DATA_OVERRUN,
    );
  }
  assertStatus(
    query(m, [{
      QueryRoutine: recorder(seen),
      Flags: 0,
      Name: "I don't exist",
      DefaultType: REG_NONE,
      DefaultData: "Some default",
    }]),
    STATUS_SUCCESS,
  );
  assert.deepEqual(seen, []);
  assert.equal(out.value, undefined);
});

Deno.test("RTL_QUERY_REGISTRY_DIRECT without RTL_QUERY_REGISTRY_TYPECHECK on an untrusted hive bug checks 0x139 KERNEL_SECURITY_CHECK_FAILURE (RtlQueryRegistryValues, Windows 8 and later)", () => {
  const m = boot();
  const k = m.kernel;
  assertStatus(
    k.RtlWriteRegistryValue(RTL_REGISTRY_USER, "Untrusted", "Data", REG_BINARY, new Uint8Array(64)),
    STATUS_SUCCESS,
  );
  assert.throws(
    () =>
      k.RtlQueryRegistryValues(RTL_REGISTRY_USER, "Untrusted", [
        { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "Data", EntryContext: {} },
      ]),
    (e: unknown) => e instanceof BugCheck && e.code === 0x139,
  );
  assert.equal(m.halted, true);
  m.reboot();
  // With TYPECHECK the same query is allowed.
  const out: { value?: RegData } = {};
  assertStatus(
    k.RtlQueryRegistryValues(RTL_REGISTRY_USER, "Untrusted", [
      {
        Flags: RTL_QUERY_REGISTRY_DIRECT | RTL_QUERY_REGISTRY_TYPECHECK,
        Name: "Data",
        EntryContext: out,
        DefaultType: REG_BINARY << RTL_QUERY_REGISTRY_TYPECHECK_SHIFT,
      },
    ]),
    STATUS_SUCCESS,
  );
  assert.equal((out.value as Uint8Array).length, 64);
});

Deno.test("a SUBKEY row without a name is STATUS_INVALID_PARAMETER (RtlQueryRegistryValues: bad table entry)", () => {
  const m = toasterMachine();
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Toaster", [
      { Flags: RTL_QUERY_REGISTRY_SUBKEY, Name: null, QueryRoutine: () => STATUS_SUCCESS },
    ]),
    STATUS_INVALID_PARAMETER,
  );
});

// ---- RtlCheckRegistryKey, RtlCreateRegistryKey, RtlDeleteRegistryValue -------------------------------------

Deno.test("RtlCheckRegistryKey is STATUS_SUCCESS for an existing key and STATUS_OBJECT_NAME_NOT_FOUND otherwise; RtlCreateRegistryKey creates it (Registry Run-Time Library Routines)", () => {
  const m = boot();
  const k = m.kernel;
  assertStatus(k.RtlCheckRegistryKey(RTL_REGISTRY_CONTROL, "IDConfigDB"), STATUS_SUCCESS);
  assertStatus(k.RtlCheckRegistryKey(RTL_REGISTRY_SERVICES, "Fresh"), STATUS_OBJECT_NAME_NOT_FOUND);
  assertStatus(k.RtlCreateRegistryKey(RTL_REGISTRY_SERVICES, "Fresh"), STATUS_SUCCESS);
  assertStatus(k.RtlCheckRegistryKey(RTL_REGISTRY_SERVICES, "Fresh"), STATUS_SUCCESS);
  assert.equal(m.registry.exists(`${SERVICES}\\Fresh`), true);
  assertStatus(k.RtlCreateRegistryKey(RTL_REGISTRY_SERVICES, "A\\B"), STATUS_OBJECT_NAME_NOT_FOUND);
});

Deno.test("RtlDeleteRegistryValue deletes one value; a missing value is STATUS_OBJECT_NAME_NOT_FOUND (RtlDeleteRegistryValue)", () => {
  const m = toasterMachine();
  const k = m.kernel;
  assertStatus(k.RtlDeleteRegistryValue(RTL_REGISTRY_SERVICES, "Toaster", "Start"), STATUS_SUCCESS);
  assert.deepEqual(m.registry.valueNames(`${SERVICES}\\Toaster`), ["ImagePath", "DependOnService"]);
  assertStatus(
    k.RtlDeleteRegistryValue(RTL_REGISTRY_SERVICES, "Toaster", "Start"),
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
});

Deno.test("Rtl registry routines above PASSIVE_LEVEL bug check 0xC4 (Registry Run-Time Library Routines: IRQL = PASSIVE_LEVEL)", () => {
  const m = boot();
  const k = m.kernel;
  k.KeRaiseIrql(DISPATCH_LEVEL);
  assert.throws(
    () => k.RtlWriteRegistryValue(RTL_REGISTRY_SERVICES, "Toaster", "Start", REG_DWORD, 3),
    (e: unknown) => e instanceof BugCheck && e.code === 0xc4 && e.parameters[1] === DISPATCH_LEVEL,
  );
  assert.equal(m.registry.exists(`${SERVICES}\\Toaster`), false);
  m.reboot();
  assertStatus(
    k.RtlWriteRegistryValue(RTL_REGISTRY_SERVICES, "Toaster", "Start", REG_DWORD, 3),
    STATUS_SUCCESS,
  );
});

Deno.test("RtlCheckRegistryKey and RtlCreateRegistryKey: RTL_REGISTRY_ABSOLUTE with a NULL or empty Path is STATUS_OBJECT_PATH_SYNTAX_BAD; RTL_REGISTRY_USER with a NULL Path names the user's key itself and succeeds (Wine's ntdll test_RtlCheckRegistryKey, run on Windows)", () => {
  const m = boot();
  const k = m.kernel;
  for (const path of [null, ""]) {
    assertStatus(k.RtlCheckRegistryKey(RTL_REGISTRY_ABSOLUTE, path), PATH_SYNTAX_BAD, `${path}`);
    assertStatus(k.RtlCreateRegistryKey(RTL_REGISTRY_ABSOLUTE, path), PATH_SYNTAX_BAD, `${path}`);
  }
  assertStatus(k.RtlCheckRegistryKey(RTL_REGISTRY_USER, null), STATUS_SUCCESS);
  assertStatus(k.RtlCreateRegistryKey(RTL_REGISTRY_USER, null), STATUS_SUCCESS);
  assertStatus(
    k.RtlCheckRegistryKey(RTL_REGISTRY_ABSOLUTE, "\\Registry\\Machine\\Software"),
    STATUS_SUCCESS,
  );
});

Deno.test("without NOEXPAND a stored REG_MULTI_SZ is walked in its raw data: an empty string in the middle gets its own call, the terminating one does not, and data without its closing NULs still ends (RtlQueryRegistryValues: one call per string; Wine's test_RtlQueryRegistryValues walk, run on Windows)", () => {
  const m = boot();
  const key = "HKLM\\SOFTWARE\\Lists";
  const utf16 = (text: string) => Uint8Array.from([...text].flatMap((c) => [c.charCodeAt(0), 0]));
  m.registry.setValue(key, "Gaps", REG_MULTI_SZ, utf16("a\0\0b\0\0"));
  m.registry.setValue(key, "Empty", REG_MULTI_SZ, []);
  m.registry.setValue(key, "Open", REG_MULTI_SZ, utf16("x\0\0y"));
  const seen: Seen[] = [];
  assertStatus(
    m.kernel.RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, "\\Registry\\Machine\\Software\\Lists", [
      { QueryRoutine: recorder(seen), Flags: 0, Name: "Gaps" },
      { QueryRoutine: recorder(seen), Flags: 0, Name: "Empty" },
      { QueryRoutine: recorder(seen), Flags: 0, Name: "Open" },
    ]),
    STATUS_SUCCESS,
  );
  assert.deepEqual(seen, [
    { name: "Gaps", type: REG_SZ, data: "a", length: 4 },
    { name: "Gaps", type: REG_SZ, data: "", length: 2 },
    { name: "Gaps", type: REG_SZ, data: "b", length: 4 },
    { name: "Open", type: REG_SZ, data: "x", length: 4 },
    { name: "Open", type: REG_SZ, data: "", length: 2 },
    { name: "Open", type: REG_SZ, data: "y", length: 4 },
  ]);
});
