/**
 * `machine.registry.query()` prints a key as `reg query` does. The expected layouts are the ones
 * Wine's reg.exe conformance tests (programs/reg/tests/query.c) check on Windows; lines end with
 * `\n` where reg.exe writes `\r\n`. Each test names the rule it checks.
 */
import assert from "node:assert/strict";
import {
  boot,
  REG_BINARY,
  REG_DWORD,
  REG_DWORD_BIG_ENDIAN,
  REG_EXPAND_SZ,
  REG_MULTI_SZ,
  REG_NONE,
  REG_QWORD,
  REG_SZ,
} from "../../mod.ts";

const KEY = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Wine\\reg_test";

function wineTestMachine(): ReturnType<typeof boot> {
  const m = boot();
  m.registry.setValue(KEY, "Test1", REG_SZ, "Hello, World");
  m.registry.setValue(KEY, "Test2", REG_DWORD, 0x123);
  return m;
}

Deno.test("reg query of a key with values and no subkeys prints a blank line, the key, each value as '    name    TYPE    data', and a blank line (reg query; Wine's test1 on Windows)", () => {
  const m = wineTestMachine();
  assert.equal(
    m.registry.query(KEY),
    "\n" +
      `${KEY}\n` +
      "    Test1    REG_SZ    Hello, World\n" +
      "    Test2    REG_DWORD    0x123\n\n",
  );
});

Deno.test("reg query lists the subkeys' full paths after the values' blank line (reg query; Wine's test3 on Windows)", () => {
  const m = wineTestMachine();
  m.registry.setValue(KEY, "Wine", REG_SZ, "First instance");
  m.registry.createKey(`${KEY}\\subkey`);
  assert.equal(
    m.registry.query(KEY),
    "\n" +
      `${KEY}\n` +
      "    Test1    REG_SZ    Hello, World\n" +
      "    Test2    REG_DWORD    0x123\n" +
      "    Wine    REG_SZ    First instance\n\n" +
      `${KEY}\\subkey\n`,
  );
});

Deno.test("reg query of a key with only subkeys prints just their paths, without the key itself (reg query; Wine's test8a on Windows)", () => {
  const m = boot();
  for (const name of ["subkey1", "subkey2", "subkey3", "subkey4"]) {
    m.registry.createKey(`${KEY}\\${name}`);
  }
  assert.equal(
    m.registry.query(KEY),
    "\n" +
      `${KEY}\\subkey1\n` +
      `${KEY}\\subkey2\n` +
      `${KEY}\\subkey3\n` +
      `${KEY}\\subkey4\n`,
  );
  // An empty key prints only the leading blank line.
  m.registry.createKey(`${KEY}\\subkey1\\empty`);
  assert.equal(m.registry.query(`${KEY}\\subkey1\\empty`), "\n");
});

Deno.test("reg query /s prints each key reached with its values and a blank line; the queried key only when it has values (reg query /s; Wine's test6 and test8b on Windows)", () => {
  const m = wineTestMachine();
  m.registry.setValue(KEY, "Wine", REG_SZ, "First instance");
  m.registry.setValue(`${KEY}\\subkey`, "Test3", REG_SZ, "Some string data");
  m.registry.setValue(`${KEY}\\subkey`, "Test4", REG_DWORD, 0xabc);
  m.registry.setValue(`${KEY}\\subkey`, "Wine", REG_SZ, "Second instance");
  assert.equal(
    m.registry.query(KEY, { recursive: true }),
    "\n" +
      `${KEY}\n` +
      "    Test1    REG_SZ    Hello, World\n" +
      "    Test2    REG_DWORD    0x123\n" +
      "    Wine    REG_SZ    First instance\n\n" +
      `${KEY}\\subkey\n` +
      "    Test3    REG_SZ    Some string data\n" +
      "    Test4    REG_DWORD    0xabc\n" +
      "    Wine    REG_SZ    Second instance\n\n",
  );

  const bare = boot();
  for (const name of ["subkey1", "subkey2"]) bare.registry.createKey(`${KEY}\\${name}`);
  assert.equal(
    bare.registry.query(KEY, { recursive: true }),
    "\n" + `${KEY}\\subkey1\n\n` + `${KEY}\\subkey2\n\n`,
  );
});

Deno.test("reg query prints data as reg.exe does: DWORD and QWORD as 0x hex, binary as upper-case hex pairs, REG_MULTI_SZ joined with \\0, REG_EXPAND_SZ unexpanded, the default value as (Default) (reg query data column)", () => {
  const m = boot();
  const path = "HKLM\\SOFTWARE\\Types";
  m.registry.setValue(path, "", REG_SZ, "Empty");
  m.registry.setValue(path, "dword", REG_DWORD, 0xdeadbeef);
  m.registry.setValue(path, "qword", REG_QWORD, 0x1_0000_0000n);
  m.registry.setValue(path, "binary", REG_BINARY, new Uint8Array([0x0a, 0xbc, 0x00]));
  m.registry.setValue(path, "emptyBinary", REG_BINARY, new Uint8Array(0));
  m.registry.setValue(path, "none", REG_NONE, new Uint8Array([1, 2]));
  m.registry.setValue(path, "multi", REG_MULTI_SZ, ["three", "little", "strings"]);
  m.registry.setValue(path, "emptyMulti", REG_MULTI_SZ, []);
  m.registry.setValue(path, "expand", REG_EXPAND_SZ, "%SystemRoot%\\x");
  m.registry.setValue(path, "bigEndian", REG_DWORD_BIG_ENDIAN, new Uint8Array([0xc8, 1, 0, 0]));
  assert.equal(
    m.registry.query(path),
    "\n" +
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Types\n" +
      "    (Default)    REG_SZ    Empty\n" +
      "    dword    REG_DWORD    0xdeadbeef\n" +
      "    qword    REG_QWORD    0x100000000\n" +
      "    binary    REG_BINARY    0ABC00\n" +
      "    emptyBinary    REG_BINARY    \n" +
      "    none    REG_NONE    0102\n" +
      "    multi    REG_MULTI_SZ    three\\0little\\0strings\n" +
      "    emptyMulti    REG_MULTI_SZ    \n" +
      "    expand    REG_EXPAND_SZ    %SystemRoot%\\x\n" +
      // reg.exe reads REG_DWORD_BIG_ENDIAN data as an ordinary (little-endian) DWORD.
      "    bigEndian    REG_DWORD_BIG_ENDIAN    0x1c8\n\n",
  );
});

Deno.test("reg query shows the path with its long root name, lists link keys as subkeys, and /s does not follow them (reg query; CurrentControlSet is a link)", () => {
  const m = boot();
  const plain = m.registry.query("HKLM\\SYSTEM");
  assert.equal(
    plain,
    "\n" +
      "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\n" +
      "HKEY_LOCAL_MACHINE\\SYSTEM\\Select\n" +
      "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\n",
  );
  const recursive = m.registry.query("HKLM\\SYSTEM", { recursive: true });
  assert.match(
    recursive,
    /\nHKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Enum\\HTREE\\ROOT\\0\n {4}ConfigFlags {4}REG_DWORD {4}0x0\n\n/,
  );
  assert.doesNotMatch(recursive, /SYSTEM\\CurrentControlSet/);
  // Queried through the link, paths keep the name the user typed.
  assert.match(
    m.registry.query("HKLM\\SYSTEM\\CurrentControlSet\\Control\\IDConfigDB"),
    /^\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\IDConfigDB\n {4}CurrentConfig {4}REG_DWORD {4}0x1\n/,
  );
});

Deno.test("reg query of a missing key prints reg's error message (reg query: key not found)", () => {
  const m = boot();
  assert.equal(
    m.registry.query("HKLM\\SOFTWARE\\NoSuchKey"),
    "ERROR: The system was unable to find the specified registry key or value.\n",
  );
});
