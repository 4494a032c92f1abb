/**
 * No JavaScript exception escapes a registry routine: a bad argument is the documented NTSTATUS
 * (ground rule: "Bad calls never throw JS errors out of a routine"). Each case names the argument
 * and what it is instead of.
 */
import assert from "node:assert/strict";
import {
  boot,
  KEY_ALL_ACCESS,
  KEY_READ,
  KeyBasicInformation,
  KeyValuePartialInformation,
  REG_DWORD,
  REG_SZ,
  RTL_QUERY_REGISTRY_DIRECT,
  type RTL_QUERY_REGISTRY_TABLE,
  RTL_REGISTRY_SERVICES,
  STATUS_INSUFFICIENT_RESOURCES,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from "../../mod.ts";
import { assertStatus, createKey, SOFTWARE } from "./_helpers.ts";

/** Values that are not a 32-bit ULONG. `undefined` is left out: optional numbers may be omitted. */
const NOT_ULONG: unknown[] = [
  null,
  "1",
  NaN,
  1.5,
  -1.5,
  2 ** 40,
  Infinity,
  {},
  [],
  1n,
  Symbol("n"),
  () => 0,
];

/** Something that is neither a string nor null. */
const NOT_STRING: unknown[] = [5, 1n, Symbol("s"), {}, [], () => "x", true];

function label(value: unknown): string {
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return "a function";
  return `${typeof value} ${JSON.stringify(value) ?? String(value)}`;
}

/** Runs a routine that must return an NTSTATUS, failing the test if it throws instead. */
function call(what: string, routine: () => number | { status: number }): number {
  let result: number | { status: number };
  try {
    result = routine();
  } catch (e) {
    assert.fail(`${what} threw ${e}`);
  }
  const status = typeof result === "number" ? result : result.status;
  assert.equal(typeof status, "number", what);
  return status;
}

Deno.test("no JavaScript exception escapes the Zw and Rtl registry routines: a number argument that is not a ULONG (Symbol, BigInt, NaN, 2^40, an object), a bad string, a bad RTL_QUERY_REGISTRY_TABLE is STATUS_INVALID_PARAMETER, and a DataSize of 2^40 is STATUS_INSUFFICIENT_RESOURCES without allocating it (ground rule: bad calls return the documented NTSTATUS)", () => {
  const m = boot();
  const k = m.kernel;
  const path = `${SOFTWARE}\\Robust`;
  const h = createKey(k, path);
  assertStatus(k.ZwSetValueKey(h, "V", 0, REG_DWORD, 1), STATUS_SUCCESS);
  createKey(k, `${path}\\Child`);
  const invalid = (what: string, routine: () => number | { status: number }) =>
    assertStatus(call(what, routine), STATUS_INVALID_PARAMETER, what);
  const any = k as unknown as Record<string, (...args: unknown[]) => number | { status: number }>;

  for (const bad of NOT_ULONG) {
    const b = label(bad);
    invalid(`ZwCreateKey DesiredAccess ${b}`, () => any.ZwCreateKey!(bad, path));
    invalid(`ZwCreateKey TitleIndex ${b}`, () => any.ZwCreateKey!(KEY_READ, path, bad));
    invalid(`ZwCreateKey CreateOptions ${b}`, () => any.ZwCreateKey!(KEY_READ, path, 0, null, bad));
    invalid(
      `ZwCreateKey Attributes ${b}`,
      () => any.ZwCreateKey!(KEY_READ, { ObjectName: path, Attributes: bad }),
    );
    invalid(`ZwOpenKey DesiredAccess ${b}`, () => any.ZwOpenKey!(bad, path));
    invalid(
      `ZwOpenKey Attributes ${b}`,
      () => any.ZwOpenKey!(KEY_READ, { ObjectName: path, Attributes: bad }),
    );
    invalid(`ZwSetValueKey TitleIndex ${b}`, () => any.ZwSetValueKey!(h, "V", bad, REG_DWORD, 2));
    invalid(`ZwSetValueKey Type ${b}`, () => any.ZwSetValueKey!(h, "V", 0, bad, 2));
    if (bad !== 2 ** 40) {
      invalid(
        `ZwSetValueKey DataSize ${b}`,
        () => any.ZwSetValueKey!(h, "V", 0, REG_DWORD, 2, bad),
      );
      invalid(
        `RtlWriteRegistryValue ValueLength ${b}`,
        () => any.RtlWriteRegistryValue!(RTL_REGISTRY_SERVICES, "Robust", "V", REG_DWORD, 2, bad),
      );
    }
    for (const info of ["ZwQueryValueKey", "ZwEnumerateValueKey"]) {
      const first = info === "ZwQueryValueKey" ? "V" : 0;
      invalid(`${info} class ${b}`, () => any[info]!(h, first, bad));
      invalid(`${info} Length ${b}`, () => any[info]!(h, first, KeyValuePartialInformation, bad));
    }
    invalid(`ZwEnumerateValueKey Index ${b}`, () => any.ZwEnumerateValueKey!(h, bad, 2));
    invalid(`ZwEnumerateKey Index ${b}`, () => any.ZwEnumerateKey!(h, bad, KeyBasicInformation));
    invalid(`ZwEnumerateKey class ${b}`, () => any.ZwEnumerateKey!(h, 0, bad));
    invalid(
      `ZwEnumerateKey Length ${b}`,
      () => any.ZwEnumerateKey!(h, 0, KeyBasicInformation, bad),
    );
    invalid(`ZwQueryKey class ${b}`, () => any.ZwQueryKey!(h, bad));
    invalid(`ZwQueryKey Length ${b}`, () => any.ZwQueryKey!(h, KeyBasicInformation, bad));
    for (const rtl of ["RtlCreateRegistryKey", "RtlCheckRegistryKey"]) {
      invalid(`${rtl} RelativeTo ${b}`, () => any[rtl]!(bad, "Robust"));
    }
    invalid(
      `RtlWriteRegistryValue RelativeTo ${b}`,
      () => any.RtlWriteRegistryValue!(bad, "Robust", "V", REG_DWORD, 2),
    );
    invalid(
      `RtlWriteRegistryValue ValueType ${b}`,
      () => any.RtlWriteRegistryValue!(RTL_REGISTRY_SERVICES, "Robust", "V", bad, 2),
    );
    invalid(
      `RtlDeleteRegistryValue RelativeTo ${b}`,
      () => any.RtlDeleteRegistryValue!(bad, "Robust", "V"),
    );
    const directRow = { Flags: RTL_QUERY_REGISTRY_DIRECT, Name: "Start", EntryContext: {} };
    invalid(
      `RtlQueryRegistryValues RelativeTo ${b}`,
      () => any.RtlQueryRegistryValues!(bad, "Robust", [directRow]),
    );
    for (const member of ["Flags", "DefaultType", "DefaultLength"]) {
      invalid(
        `RtlQueryRegistryValues ${member} ${b}`,
        () =>
          any.RtlQueryRegistryValues!(RTL_REGISTRY_SERVICES, "Robust", [
            { ...directRow, Name: "Missing", [member]: bad },
          ]),
      );
    }
  }

  for (const bad of NOT_STRING) {
    const b = label(bad);
    invalid(`ZwCreateKey Class ${b}`, () => any.ZwCreateKey!(KEY_READ, `${path}\\New`, 0, bad, 0));
    invalid(`ZwSetValueKey ValueName ${b}`, () => any.ZwSetValueKey!(h, bad, 0, REG_DWORD, 2));
    invalid(`ZwSetValueKey REG_SZ Data ${b}`, () => any.ZwSetValueKey!(h, "S", 0, REG_SZ, bad));
    invalid(
      `RtlWriteRegistryValue Path ${b}`,
      () => any.RtlWriteRegistryValue!(RTL_REGISTRY_SERVICES, bad, "V", REG_DWORD, 2),
    );
    invalid(
      `RtlQueryRegistryValues Name ${b}`,
      () =>
        any.RtlQueryRegistryValues!(RTL_REGISTRY_SERVICES, "Robust", [
          { Flags: 0, Name: bad, QueryRoutine: () => STATUS_SUCCESS },
        ]),
    );
  }
  assert.equal(m.registry.exists(`HKLM\\SOFTWARE\\Robust\\New`), false);

  // A DataSize of 2^40 is more memory than a value can have ("Registry element size limits": a
  // value is limited by available memory); nothing is allocated or stored.
  assertStatus(
    call("ZwSetValueKey DataSize 2^40", () => k.ZwSetValueKey(h, "Huge", 0, REG_DWORD, 1, 2 ** 40)),
    STATUS_INSUFFICIENT_RESOURCES,
  );
  assertStatus(
    call(
      "RtlWriteRegistryValue ValueLength 2^40",
      () => k.RtlWriteRegistryValue(RTL_REGISTRY_SERVICES, "Robust", "Huge", REG_DWORD, 1, 2 ** 40),
    ),
    STATUS_INSUFFICIENT_RESOURCES,
  );
  assert.equal(m.registry.getValue("HKLM\\SOFTWARE\\Robust", "Huge"), undefined);

  // A QueryTable that is not an array of rows.
  for (const table of [null, undefined, 5, "rows", {}, Symbol("t"), [null], [5], ["row"], [[]]]) {
    invalid(
      `RtlQueryRegistryValues QueryTable ${label(table)}`,
      () => any.RtlQueryRegistryValues!(RTL_REGISTRY_SERVICES, "Robust", table),
    );
  }
  // A QueryRoutine that is not a function, and default data that is not of DefaultType.
  const rows: unknown[] = [
    { Flags: 0, Name: "V", QueryRoutine: "routine" },
    { Flags: 0, Name: "Missing", QueryRoutine: () => 0, DefaultType: REG_DWORD, DefaultData: "x" },
    { Flags: 0, Name: "Missing", QueryRoutine: () => 0, DefaultType: REG_SZ, DefaultData: 5 },
  ];
  for (const row of rows) {
    invalid(
      `RtlQueryRegistryValues row ${JSON.stringify(row)}`,
      () => any.RtlQueryRegistryValues!(RTL_REGISTRY_SERVICES, "Robust", [row]),
    );
  }
  // A QueryRoutine that returns something other than a number has not failed, and an environment
  // whose entries are not strings does not expand them.
  const table: RTL_QUERY_REGISTRY_TABLE[] = [
    { Flags: 0, Name: "V", QueryRoutine: () => Symbol("status") as unknown as number },
  ];
  assertStatus(
    call(
      "RtlQueryRegistryValues routine result Symbol",
      () => k.RtlQueryRegistryValues(RTL_REGISTRY_SERVICES, "Robust", table),
    ),
    STATUS_SUCCESS,
  );
  assertStatus(k.ZwClose(h), STATUS_SUCCESS);
  assert.equal(m.halted, false);
  // The trace stays plain JSON.
  assert.doesNotThrow(() => JSON.stringify(m.trace));
  assertStatus(
    call("ZwOpenKey after the bad calls", () => k.ZwOpenKey(KEY_ALL_ACCESS, path)),
    STATUS_SUCCESS,
  );
});
