/**
 * The host view `machine.registry`: what regedit and reg.exe show an administrator, with `.reg`
 * import and export as regedit does them ("How to add, modify, or delete registry subkeys and values
 * by using a .reg file"; Wine's regedit import/export tests, which run on Windows). Each test names
 * the rule it checks.
 */
import assert from "node:assert/strict";
import {
  boot,
  KEY_ALL_ACCESS,
  KeyValuePartialInformation,
  REG_BINARY,
  REG_DWORD,
  REG_EXPAND_SZ,
  REG_MULTI_SZ,
  REG_QWORD,
  REG_SZ,
  STATUS_KEY_DELETED,
  STATUS_SUCCESS,
} from "../../mod.ts";
import type { KEY_VALUE_PARTIAL_INFORMATION, RegData } from "../../mod.ts";
import { parseRegFile } from "../../lib/registry/reg_file.ts";
import { assertStatus, createKey, openKey, SOFTWARE } from "./_helpers.ts";

const REG_HEADER = "Windows Registry Editor Version 5.00\r\n\r\n";
const FIXTURE = new URL("../fixtures/realistic.reg", import.meta.url);

function fixtureText(): string | undefined {
  try {
    return Deno.readTextFileSync(FIXTURE);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

// ---- Lookups -----------------------------------------------------------------------------------------

Deno.test("the host view accepts HKLM\\, HKEY_LOCAL_MACHINE\\ and \\Registry\\Machine\\ paths, looks up case-insensitively and keeps the case names were created with (registry names are case-insensitive, case-preserving)", () => {
  const m = boot();
  const r = m.registry;
  r.setValue("HKLM\\SOFTWARE\\Contoso\\Widget", "Level", REG_DWORD, 3);
  for (
    const path of [
      "HKLM\\SOFTWARE\\Contoso\\Widget",
      "hklm\\software\\contoso\\WIDGET",
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso\\Widget",
      "\\Registry\\Machine\\Software\\Contoso\\Widget",
      "\\REGISTRY\\MACHINE\\SOFTWARE\\CONTOSO\\WIDGET\\",
    ]
  ) {
    assert.deepEqual(r.getValue(path, "LEVEL"), { type: REG_DWORD, data: 3 }, path);
    assert.equal(r.exists(path), true, path);
  }
  assert.deepEqual(r.subkeys("HKLM\\SOFTWARE\\CONTOSO"), ["Widget"]);
  assert.deepEqual(r.valueNames("HKLM\\SOFTWARE\\Contoso\\Widget"), ["Level"]);
  assert.equal(r.getValue("HKLM\\SOFTWARE\\Contoso\\Widget", "Missing"), undefined);
  assert.equal(r.getValue("HKLM\\SOFTWARE\\NoSuchKey", "Level"), undefined);
  assert.equal(r.exists("HKLM\\SOFTWARE\\NoSuchKey"), false);
  assert.deepEqual(r.subkeys("HKLM\\SOFTWARE\\NoSuchKey"), []);
  assert.deepEqual(r.valueNames("HKLM\\SOFTWARE\\NoSuchKey"), []);
});

Deno.test("a key that had many subkeys and lost most of them still finds the ones created afterwards, by any case (registry names are case-insensitive; ZwCreateKey then ZwOpenKey)", () => {
  const m = boot();
  const base = "HKLM\\SOFTWARE\\Crowded";
  for (let i = 0; i < 12; i++) m.registry.setValue(`${base}\\Key${i}`, "v", REG_SZ, "x");
  for (let i = 0; i < 8; i++) m.registry.deleteKey(`${base}\\Key${i}`);
  m.registry.setValue(`${base}\\Later`, "v", REG_SZ, "y");
  assert.equal(m.registry.exists(`${base}\\LATER`), true);
  assert.deepEqual(m.registry.getValue(`${base}\\later`, "v"), { type: REG_SZ, data: "y" });
  assert.deepEqual(m.registry.subkeys(base), ["Key10", "Key11", "Key8", "Key9", "Later"]);
  m.registry.deleteKey(`${base}\\Later`);
  assert.equal(m.registry.exists(`${base}\\Later`), false);
});

Deno.test("CurrentControlSet shows ControlSet001; CurrentControlSet and Hardware Profiles\\Current are volatile link keys to non-volatile keys (HKLM\\SYSTEM\\CurrentControlSet tree)", () => {
  const m = boot();
  const r = m.registry;
  r.setValue("HKLM\\SYSTEM\\CurrentControlSet\\Services\\Toaster", "Start", REG_DWORD, 3);
  assert.deepEqual(r.getValue("HKLM\\SYSTEM\\ControlSet001\\Services\\Toaster", "Start"), {
    type: REG_DWORD,
    data: 3,
  });
  assert.deepEqual(
    r.subkeys("HKLM\\SYSTEM\\CurrentControlSet"),
    r.subkeys("HKLM\\SYSTEM\\ControlSet001"),
  );
  assert.equal(r.isVolatile("HKLM\\SYSTEM\\CurrentControlSet"), true);
  assert.equal(r.isVolatile("HKLM\\SYSTEM\\ControlSet001"), false);
  assert.equal(r.isVolatile("HKLM\\SYSTEM\\CurrentControlSet\\Services"), false);
  assert.equal(r.isVolatile("HKLM\\SYSTEM\\CurrentControlSet\\Hardware Profiles\\Current"), true);
  assert.equal(r.isVolatile("HKLM\\SYSTEM\\CurrentControlSet\\Hardware Profiles\\0001"), false);
  assert.equal(r.isVolatile("HKLM\\HARDWARE"), true);
  assert.equal(r.isVolatile("HKLM\\SOFTWARE\\NoSuchKey"), false);
  // Enumeration lists non-volatile keys first, so the link comes after ControlSet001 and Select.
  assert.deepEqual(r.subkeys("HKLM\\SYSTEM"), ["ControlSet001", "Select", "CurrentControlSet"]);
});

// ---- Writes ------------------------------------------------------------------------------------------

Deno.test("setValue creates missing keys as reg add does, and keys created under a volatile key are volatile (REG_OPTION_VOLATILE: a volatile key's children are volatile)", () => {
  const m = boot();
  const r = m.registry;
  r.setValue("HKLM\\SOFTWARE\\A\\B\\C", "V", REG_SZ, "x");
  assert.deepEqual(r.subkeys("HKLM\\SOFTWARE\\A\\B"), ["C"]);
  assert.equal(r.isVolatile("HKLM\\SOFTWARE\\A\\B\\C"), false);
  r.setValue("HKLM\\HARDWARE\\DEVICEMAP\\Serial", "COM1", REG_SZ, "\\Device\\Serial0");
  assert.equal(r.isVolatile("HKLM\\HARDWARE\\DEVICEMAP\\Serial"), true);
  r.createKey("HKLM\\SOFTWARE\\A\\Fleeting", { volatile: true });
  r.createKey("HKLM\\SOFTWARE\\A\\Fleeting\\Below");
  assert.equal(r.isVolatile("HKLM\\SOFTWARE\\A\\Fleeting\\Below"), true);
});

Deno.test("setValue stores each type in its JS form and the kernel sees the Windows byte sizes (Registry value types)", () => {
  const m = boot();
  const r = m.registry;
  const path = "HKLM\\SOFTWARE\\Types";
  r.setValue(path, "sz", REG_SZ, "abc");
  r.setValue(path, "expand", REG_EXPAND_SZ, "%windir%");
  r.setValue(path, "multi", REG_MULTI_SZ, ["a", "b"]);
  r.setValue(path, "none", REG_MULTI_SZ, []);
  r.setValue(path, "dword", REG_DWORD, 0xffffffff);
  r.setValue(path, "qword", REG_QWORD, 2n ** 63n);
  r.setValue(path, "bin", REG_BINARY, new Uint8Array([9, 8]));
  const k = m.kernel;
  const h = openKey(k, `${SOFTWARE}\\Types`, KEY_ALL_ACCESS);
  const size = (name: string) =>
    (k.ZwQueryValueKey(h, name, KeyValuePartialInformation)
      .keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION).DataLength;
  assert.deepEqual(
    ["sz", "expand", "multi", "none", "dword", "qword", "bin"].map(size),
    // An empty REG_MULTI_SZ is the lone \0 that ends the sequence ("Registry value types").
    [8, 18, 10, 2, 4, 8, 2],
  );
  assert.deepEqual(r.getValue(path, "qword"), { type: REG_QWORD, data: 2n ** 63n });
  assert.deepEqual(r.getValue(path, "none"), { type: REG_MULTI_SZ, data: [] });
});

Deno.test("setValue with data that is not its type's JS form throws a TypeError naming the value, and writes nothing (each registry type has one JS form)", () => {
  const m = boot();
  const r = m.registry;
  assert.throws(() => r.setValue("HKLM\\SOFTWARE\\Bad", "Dword", REG_DWORD, "3"), (e: unknown) => {
    assert.ok(e instanceof TypeError);
    assert.match(e.message, /'Dword'/);
    return true;
  });
  assert.throws(
    () => r.setValue("HKLM\\SOFTWARE\\Bad", "Multi", REG_MULTI_SZ, ["a", ""]),
    TypeError,
  );
  assert.equal(r.exists("HKLM\\SOFTWARE\\Bad"), false);
});

Deno.test("getValue returns a copy: changing what it returns does not change the registry (host view)", () => {
  const m = boot();
  const r = m.registry;
  r.setValue("HKLM\\SOFTWARE\\Copy", "List", REG_MULTI_SZ, ["a"]);
  r.setValue("HKLM\\SOFTWARE\\Copy", "Bytes", REG_BINARY, new Uint8Array([1]));
  (r.getValue("HKLM\\SOFTWARE\\Copy", "List")!.data as string[]).push("b");
  (r.getValue("HKLM\\SOFTWARE\\Copy", "Bytes")!.data as Uint8Array)[0] = 99;
  assert.deepEqual(r.getValue("HKLM\\SOFTWARE\\Copy", "List")!.data, ["a"]);
  assert.deepEqual(r.getValue("HKLM\\SOFTWARE\\Copy", "Bytes")!.data, new Uint8Array([1]));
});

Deno.test("deleteKey removes a whole subtree as regedit does; keys the system owns cannot be deleted; a missing key is an error (host view)", () => {
  const m = boot();
  const r = m.registry;
  r.setValue("HKLM\\SOFTWARE\\Tree\\A\\B", "V", REG_DWORD, 1);
  r.createKey("HKLM\\SOFTWARE\\Tree\\C");
  r.deleteKey("HKLM\\SOFTWARE\\Tree");
  assert.equal(r.exists("HKLM\\SOFTWARE\\Tree"), false);
  assert.equal(r.exists("HKLM\\SOFTWARE\\Tree\\A\\B"), false);
  assert.throws(() => r.deleteKey("HKLM\\SOFTWARE"), TypeError);
  assert.throws(() => r.deleteKey("HKLM\\SYSTEM"), /belongs to the system/);
  assert.throws(() => r.deleteKey("HKLM\\SOFTWARE\\Tree"), /does not exist/);
  assert.equal(r.exists("HKLM\\SYSTEM\\CurrentControlSet\\Services"), true);
  assert.equal(
    r.deleteValue("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", "ProductName"),
    true,
  );
  assert.equal(
    r.deleteValue("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", "ProductName"),
    false,
  );
});

Deno.test("a handle open on a key the host deletes sees STATUS_KEY_DELETED (ZwDeleteKey: every handle becomes invalid)", () => {
  const m = boot();
  const k = m.kernel;
  const h = createKey(k, `${SOFTWARE}\\HostDeletes`);
  m.registry.deleteKey("HKLM\\SOFTWARE\\HostDeletes");
  assertStatus(k.ZwSetValueKey(h, "V", 0, REG_DWORD, 1), STATUS_KEY_DELETED);
  assertStatus(k.ZwClose(h), STATUS_SUCCESS);
});

Deno.test("host view writes reach the trace, made by the host (trace: every registry write)", () => {
  const m = boot();
  const start = m.trace.length;
  m.registry.setValue("HKLM\\SOFTWARE\\Traced", "V", REG_SZ, "x");
  m.registry.deleteKey("HKLM\\SOFTWARE\\Traced");
  const events = m.trace.slice(start);
  assert.deepEqual(
    events.map((e) => e.kind === "reg" ? `${e.op} ${e.path}` : e.kind),
    [
      "createKey HKLM\\SOFTWARE\\Traced",
      "setValue HKLM\\SOFTWARE\\Traced",
      "deleteKey HKLM\\SOFTWARE\\Traced",
    ],
  );
  assert.ok(events.every((e) => e.caller === "host"));
});

// ---- .reg import ---------------------------------------------------------------------------------------

Deno.test('importReg applies keys, values, the default value, key deletions [-key] and value deletions "name"=- in file order (.reg file syntax)', () => {
  const m = boot();
  const r = m.registry;
  r.setValue("HKLM\\SOFTWARE\\Old", "V", REG_DWORD, 1);
  const text = REG_HEADER +
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Imported]\r\n" +
    '"Start"=dword:00000003\r\n' +
    '"Name"="Toaster"\r\n' +
    '@="default"\r\n' +
    '"Ids"=hex(7):41,00,00,00,42,00,00,00,00,00\r\n' +
    '"Gone"="soon"\r\n' +
    "\r\n" +
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Imported\\Sub]\r\n" +
    '"Q"=hex(b):01,00,00,00,00,00,00,00\r\n' +
    "\r\n" +
    "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Old]\r\n" +
    "\r\n" +
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Imported]\r\n" +
    '"Gone"=-\r\n';
  assert.deepEqual(r.importReg(text), { errors: [] });
  assert.deepEqual(r.valueNames("HKLM\\SOFTWARE\\Imported"), ["Start", "Name", "", "Ids"]);
  assert.deepEqual(r.getValue("HKLM\\SOFTWARE\\Imported", "Ids"), {
    type: REG_MULTI_SZ,
    data: ["A", "B"],
  });
  assert.deepEqual(r.getValue("HKLM\\SOFTWARE\\Imported", ""), { type: REG_SZ, data: "default" });
  assert.deepEqual(r.getValue("HKLM\\SOFTWARE\\Imported\\Sub", "Q"), { type: REG_QWORD, data: 1n });
  assert.equal(r.exists("HKLM\\SOFTWARE\\Old"), false);
});

Deno.test("importReg of malformed input returns every error with its line and applies nothing, not even the lines before the first error (.reg import is all or nothing)", () => {
  const m = boot();
  const r = m.registry;
  r.setValue("HKLM\\SOFTWARE\\Existing", "Keep", REG_DWORD, 1);
  const before = r.exportReg("HKLM");
  const traceLength = m.trace.length;
  const text = REG_HEADER +
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Good]\r\n" + // line 3
    '"A"=dword:00000001\r\n' + // line 4
    '"B"=dword:xyz\r\n' + // line 5: bad DWORD
    "\r\n" +
    "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Existing]\r\n" + // line 7
    "[HKEY_LOCAL_MACHINE\\HARDWARE\\New]\r\n" + // line 8: non-volatile under volatile
    "[HKEY_CURRENT_USER\\Software\\X]\r\n" + // line 9: a root the model does not have
    '"Q"=hex(b):01,02\r\n'; // line 10: a QWORD needs 8 bytes
  const result = r.importReg(text);
  assert.deepEqual(result.errors.map((e) => e.line), [5, 8, 9, 10]);
  for (const error of result.errors) {
    assert.ok(error.message.length > 0);
    assert.ok(error.column >= 1);
  }
  assert.match(result.errors[0]!.message, /xyz/);
  assert.equal(r.exportReg("HKLM"), before);
  assert.equal(r.exists("HKLM\\SOFTWARE\\Good"), false);
  assert.equal(r.exists("HKLM\\SOFTWARE\\Existing"), true);
  assert.equal(m.trace.length, traceLength);
});

Deno.test("importReg without the regedit header is an error on line 1 and applies nothing (.reg file header)", () => {
  const m = boot();
  const result = m.registry.importReg('[HKEY_LOCAL_MACHINE\\SOFTWARE\\NoHeader]\r\n"A"="x"\r\n');
  assert.equal(result.errors.length > 0, true);
  assert.equal(result.errors[0]!.line, 1);
  assert.equal(m.registry.exists("HKLM\\SOFTWARE\\NoHeader"), false);
});

Deno.test("importReg cannot delete a key the system owns; the whole file is refused (host view: system keys)", () => {
  const m = boot();
  const text = REG_HEADER +
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Fine]\r\n\r\n[-HKEY_LOCAL_MACHINE\\SYSTEM]\r\n";
  const result = m.registry.importReg(text);
  assert.deepEqual(result.errors.map((e) => e.line), [5]);
  assert.equal(m.registry.exists("HKLM\\SOFTWARE\\Fine"), false);
  assert.equal(m.registry.exists("HKLM\\SYSTEM\\CurrentControlSet\\Services"), true);
});

// ---- .reg export -----------------------------------------------------------------------------------------

Deno.test("exportReg writes regedit's format: the version 5 header, CRLF lines, one [key] block per key in enumeration order, and link keys are not followed (regedit export)", () => {
  const m = boot();
  const r = m.registry;
  r.setValue("HKLM\\SOFTWARE\\Export", "Start", REG_DWORD, 3);
  r.setValue("HKLM\\SOFTWARE\\Export", "", REG_SZ, "default");
  r.setValue("HKLM\\SOFTWARE\\Export\\b", "Path", REG_EXPAND_SZ, "%SystemRoot%");
  r.createKey("HKLM\\SOFTWARE\\Export\\A");
  const text = r.exportReg("HKLM\\SOFTWARE\\Export");
  assert.equal(
    text,
    REG_HEADER +
      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Export]\r\n" +
      '"Start"=dword:00000003\r\n' +
      '@="default"\r\n' +
      "\r\n" +
      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Export\\A]\r\n" +
      "\r\n" +
      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Export\\b]\r\n" +
      '"Path"=hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,6f,00,74,\\\r\n' +
      "  00,25,00,00,00\r\n" +
      "\r\n",
  );
  const system = r.exportReg("HKLM\\SYSTEM");
  assert.match(system, /\[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\]/);
  assert.doesNotMatch(system, /\[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet/);
  assert.doesNotMatch(system, /Hardware Profiles\\Current\]/);
  assert.throws(() => r.exportReg("HKLM\\SOFTWARE\\Nope"), /does not exist/);
});

Deno.test("exportReg writes an empty REG_MULTI_SZ as the one NUL hex(7):00,00, and a REG_SZ set with a larger DataSize up to its first NUL, as regedit does (Registry value types; Wine reg/tests/export.c embedded_null_test)", () => {
  const m = boot();
  const k = m.kernel;
  const h = createKey(k, `${SOFTWARE}\\Bytes`);
  k.ZwSetValueKey(h, "Empty", 0, REG_MULTI_SZ, []);
  k.ZwSetValueKey(h, "Padded", 0, REG_SZ, "a", 8);
  const text = m.registry.exportReg("HKLM\\SOFTWARE\\Bytes");
  assert.match(text, /"Empty"=hex\(7\):00,00\r\n/);
  // Wine4b: a REG_SZ of eight zero bytes exports as "": the padding after the NUL does not show.
  assert.match(text, /"Padded"="a"\r\n/);
  // The empty list imports back as the same two bytes.
  const other = boot();
  assert.deepEqual(other.registry.importReg(text), { errors: [] });
  const oh = openKey(other.kernel, `${SOFTWARE}\\Bytes`, KEY_ALL_ACCESS);
  const q = other.kernel.ZwQueryValueKey(oh, "Empty", KeyValuePartialInformation);
  assert.equal((q.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION).DataLength, 2);
});

/** Type, DataLength and Data of each value of a key, as ZwQueryValueKey reports them. */
function storedValues(
  m: ReturnType<typeof boot>,
  path: string,
): Record<string, [number, number, unknown]> {
  const k = m.kernel;
  const h = openKey(k, `${SOFTWARE}\\${path}`, KEY_ALL_ACCESS);
  const out: Record<string, [number, number, unknown]> = {};
  for (const name of m.registry.valueNames(`HKLM\\SOFTWARE\\${path}`)) {
    const q = k.ZwQueryValueKey(h, name, KeyValuePartialInformation);
    assertStatus(q.status, STATUS_SUCCESS, name);
    const info = q.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION;
    out[name] = [info.Type, info.DataLength, info.Data];
  }
  k.ZwClose(h);
  return out;
}

Deno.test("importReg stores hex data byte for byte with its type: empty data of every type, a 3-byte REG_DWORD, REG_SZ bytes without a NUL or of odd length (Wine regedit/tests/regedit.c Wine22a-i; reg/tests/export.c embedded_null_test)", () => {
  const m = boot();
  const text = REG_HEADER +
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wine]\r\n" +
    '"Wine22a"=hex(1):\r\n' +
    '"Wine22b"=hex(2):\r\n' +
    '"Wine22c"=hex(3):\r\n' +
    '"Wine22d"=hex(4):\r\n' +
    '"Wine22e"=hex(7):\r\n' +
    '"Wine22f"=hex(100):\r\n' +
    '"Wine22g"=hex(abcd):\r\n' +
    '"Wine22h"=hex:\r\n' +
    '"Wine22i"=hex(0):\r\n' +
    '"Short"=hex(4):01,02,03\r\n' +
    '"NoNul"=hex(1):61,00,62,00,63,00\r\n' +
    '"Odd"=hex(1):61,00,62\r\n' +
    '"Wine4d"=hex(1):00,00,61,00,62,00,63,00\r\n' +
    '"Wine4h"=hex(1):61,00,62,00,63,00,00,00, \\\r\n' +
    "  64,00,65,00,66,00,00,00\r\n";
  assert.deepEqual(m.registry.importReg(text), { errors: [] });
  assert.deepEqual(storedValues(m, "Wine"), {
    Wine22a: [REG_SZ, 0, ""],
    Wine22b: [REG_EXPAND_SZ, 0, ""],
    Wine22c: [REG_BINARY, 0, new Uint8Array()],
    Wine22d: [REG_DWORD, 0, new Uint8Array()],
    Wine22e: [REG_MULTI_SZ, 0, []],
    Wine22f: [0x100, 0, new Uint8Array()],
    Wine22g: [0xabcd, 0, new Uint8Array()],
    Wine22h: [REG_BINARY, 0, new Uint8Array()],
    Wine22i: [0, 0, new Uint8Array()],
    Short: [REG_DWORD, 3, new Uint8Array([1, 2, 3])],
    NoNul: [REG_SZ, 6, "abc"],
    Odd: [REG_SZ, 3, new Uint8Array([0x61, 0, 0x62])],
    Wine4d: [REG_SZ, 8, ""],
    Wine4h: [REG_SZ, 16, "abc"],
  });
});

Deno.test("exportReg writes 0-byte values as Wine's empty_hex_test shows Windows does, and the file imports back to the same export (Wine reg/tests/export.c empty_hex_test, empty_hex_test2)", () => {
  const m = boot();
  const k = m.kernel;
  const h = createKey(k, `${SOFTWARE}\\Wine`);
  const none = new Uint8Array();
  const empty: [string, number, RegData][] = [
    ["Wine1a", 0, none],
    ["Wine1b", REG_SZ, ""],
    ["Wine1c", REG_EXPAND_SZ, ""],
    ["Wine1d", REG_BINARY, none],
    ["Wine1e", REG_DWORD, 0],
    ["Wine1f", REG_MULTI_SZ, []],
    ["Wine1g", 0x100, none],
    ["Wine1h", 0xabcd, none],
  ];
  for (const [name, type, data] of empty) {
    assertStatus(k.ZwSetValueKey(h, name, 0, type, data, 0), STATUS_SUCCESS, name);
  }
  const expected = REG_HEADER +
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wine]\r\n" +
    '"Wine1a"=hex(0):\r\n' +
    '"Wine1b"=""\r\n' +
    '"Wine1c"=hex(2):\r\n' +
    '"Wine1d"=hex:\r\n' +
    '"Wine1e"=hex(4):\r\n' +
    '"Wine1f"=hex(7):\r\n' +
    '"Wine1g"=hex(100):\r\n' +
    '"Wine1h"=hex(abcd):\r\n\r\n';
  assert.equal(m.registry.exportReg("HKLM\\SOFTWARE\\Wine"), expected);
  const again = boot();
  assert.deepEqual(again.registry.importReg(expected), { errors: [] });
  assert.equal(again.registry.exportReg("HKLM\\SOFTWARE\\Wine"), expected);

  // empty_hex_test2: hex(1):, hex(3): and hex(4): import as 0-byte values and export as "", hex:
  // and hex(4):.
  const imported = boot();
  const text = REG_HEADER + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wine]\r\n" +
    '"Wine2a"=hex(1):\r\n"Wine2b"=hex(3):\r\n"Wine2c"=hex(4):\r\n';
  assert.deepEqual(imported.registry.importReg(text), { errors: [] });
  assert.equal(
    imported.registry.exportReg("HKLM\\SOFTWARE\\Wine"),
    REG_HEADER + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wine]\r\n" +
      '"Wine2a"=""\r\n"Wine2b"=hex:\r\n"Wine2c"=hex(4):\r\n\r\n',
  );
});

Deno.test("importReg then exportReg of REG_SZ data with embedded NULs gives regedit's text: each string up to its first NUL (Wine reg/tests/export.c embedded_null_test)", () => {
  const m = boot();
  const text = REG_HEADER +
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wine]\r\n" +
    '"Wine4a"=dword:00000005\r\n' +
    '"Wine4b"=hex(1):00,00,00,00,00,00,00,00\r\n' +
    '"Wine4c"="Value"\r\n' +
    '"Wine4d"=hex(1):00,00,61,00,62,00,63,00\r\n' +
    '"Wine4e"=dword:00000100\r\n' +
    '"Wine4f"=hex(1):00,00,56,00,61,00,6c,00,75,00,65,00,00,00\r\n' +
    '"Wine4g"="Value2"\r\n' +
    '"Wine4h"=hex(1):61,00,62,00,63,00,00,00, \\\r\n' +
    "  64,00,65,00,66,00,00,00\r\n";
  assert.deepEqual(m.registry.importReg(text), { errors: [] });
  const sizes = Object.fromEntries(
    Object.entries(storedValues(m, "Wine")).map(([name, [, size]]) => [name, size]),
  );
  assert.deepEqual(sizes, {
    Wine4a: 4,
    Wine4b: 8,
    Wine4c: 12,
    Wine4d: 8,
    Wine4e: 4,
    Wine4f: 14,
    Wine4g: 14,
    Wine4h: 16,
  });
  assert.equal(
    m.registry.exportReg("HKLM\\SOFTWARE\\Wine"),
    REG_HEADER +
      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wine]\r\n" +
      '"Wine4a"=dword:00000005\r\n' +
      '"Wine4b"=""\r\n' +
      '"Wine4c"="Value"\r\n' +
      '"Wine4d"=""\r\n' +
      '"Wine4e"=dword:00000100\r\n' +
      '"Wine4f"=""\r\n' +
      '"Wine4g"="Value2"\r\n' +
      '"Wine4h"="abc"\r\n\r\n',
  );
});

Deno.test("a 3-byte REG_DWORD that ZwSetValueKey stored exports as hex(4):01,02,03 and imports back as the same 3 bytes (ZwSetValueKey: DataSize; regedit round trip)", () => {
  const m = boot();
  const h = createKey(m.kernel, `${SOFTWARE}\\Short`);
  assertStatus(m.kernel.ZwSetValueKey(h, "D", 0, REG_DWORD, 0x030201, 3), STATUS_SUCCESS);
  const text = m.registry.exportReg("HKLM\\SOFTWARE\\Short");
  assert.equal(
    text,
    REG_HEADER + '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Short]\r\n"D"=hex(4):01,02,03\r\n\r\n',
  );
  const fresh = boot();
  assert.deepEqual(fresh.registry.importReg(text), { errors: [] });
  assert.deepEqual(storedValues(fresh, "Short"), { D: [REG_DWORD, 3, new Uint8Array([1, 2, 3])] });
  assert.equal(fresh.registry.exportReg("HKLM\\SOFTWARE\\Short"), text);
});

Deno.test("a realistic SYSTEM subtree imports whole, and export -> import -> export gives the same text and the same values (regedit round trip)", () => {
  const text = fixtureText();
  if (text === undefined) return;
  const m = boot();
  assert.deepEqual(m.registry.importReg(text), { errors: [] });
  // Every value of the file is in the registry as the file states it.
  const parsed = parseRegFile(text);
  assert.deepEqual(parsed.errors, []);
  let values = 0;
  for (const op of parsed.operations) {
    if (op.op !== "setValue") continue;
    values++;
    assert.deepEqual(
      m.registry.getValue(op.path, op.value.name),
      { type: op.value.type, data: op.value.data },
      `${op.path} ${op.value.name}`,
    );
  }
  assert.ok(values > 100);

  const exported = m.registry.exportReg("HKLM\\SYSTEM\\ControlSet001");
  const fresh = boot();
  assert.deepEqual(fresh.registry.importReg(exported), { errors: [] });
  assert.equal(fresh.registry.exportReg("HKLM\\SYSTEM\\ControlSet001"), exported);
  // And again through CurrentControlSet, the name regedit users know.
  assert.equal(
    fresh.registry.exportReg("HKLM\\SYSTEM\\CurrentControlSet").replaceAll(
      "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet",
      "[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001",
    ),
    exported,
  );
});
