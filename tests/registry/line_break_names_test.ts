/**
 * A value name may hold any character, a line break too (ZwSetValueKey takes it). What a routine
 * accepts exports and imports back (issue 14): regedit writes the break as `\n` or `\r` inside the
 * quotes and reads it back (Wine regedit, REGPROC_escape_string and REGPROC_unescape_string).
 */
import assert from "node:assert/strict";
import { boot, KEY_ALL_ACCESS, REG_DWORD, STATUS_SUCCESS } from "../../mod.ts";

Deno.test("a value name with a line break: ZwSetValueKey stores it, exportReg writes it escaped, importReg reads it back the same", () => {
  const m = boot();
  const path = "\\Registry\\Machine\\Software\\Contoso";
  const { keyHandle } = m.kernel.ZwCreateKey(KEY_ALL_ACCESS, path);
  assert.equal(m.kernel.ZwSetValueKey(keyHandle!, "two\nlines\r", 0, REG_DWORD, 7), STATUS_SUCCESS);
  const text = m.registry.exportReg("HKLM\\Software\\Contoso");
  assert.match(text, /"two\\nlines\\r"=dword:00000007/);
  const other = boot();
  assert.deepEqual(other.registry.importReg(text).errors, []);
  assert.deepEqual(other.registry.getValue("HKLM\\Software\\Contoso", "two\nlines\r"), {
    type: REG_DWORD,
    data: 7,
  });
  assert.equal(other.registry.exportReg("HKLM\\Software\\Contoso"), text);
});
