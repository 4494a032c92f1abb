/**
 * The NTSTATUS table (lib/ntstatus.ts): every status drivers commonly return is named, with the value
 * ntstatus.h gives it, and every exported STATUS_* constant has its row, so a trace never shows a
 * bare number for one of them.
 */
import assert from "node:assert/strict";
import * as statuses from "../mod.ts";
import { NT_SUCCESS, NTSTATUS_TABLE, ntStatusName } from "../mod.ts";

Deno.test("ntstatus.h values: STATUS_DEVICE_BUSY is 0x80000011, a warning (not NT_SUCCESS), and named in traces; a sample of kernel-routine statuses have their header values (ntstatus.h, as Wine's include/ntstatus.h copies it)", () => {
  const expected: Record<string, number> = {
    STATUS_DEVICE_BUSY: 0x80000011,
    STATUS_CANCELLED: 0xc0000120,
    STATUS_NO_MEMORY: 0xc0000017,
    STATUS_INFO_LENGTH_MISMATCH: 0xc0000004,
    STATUS_IO_DEVICE_ERROR: 0xc0000185,
    STATUS_DEVICE_PROTOCOL_ERROR: 0xc0000186,
    STATUS_DEVICE_CONFIGURATION_ERROR: 0xc0000182,
    STATUS_DRIVER_INTERNAL_ERROR: 0xc0000183,
    STATUS_NOT_FOUND: 0xc0000225,
    STATUS_IO_TIMEOUT: 0xc00000b5,
    STATUS_POWER_STATE_INVALID: 0xc00002d3,
    STATUS_NOINTERFACE: 0xc00002b9,
    STATUS_MORE_ENTRIES: 0x00000105,
    STATUS_ALERTED: 0x00000101,
    STATUS_INVALID_PARAMETER_3: 0xc00000f1,
    STATUS_INVALID_PARAMETER_12: 0xc00000fa,
  };
  const all = statuses as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(expected)) {
    assert.equal(all[name], value, name);
    assert.equal(ntStatusName(value), name);
  }
  assert.equal(NT_SUCCESS(0x80000011), false);
});

Deno.test("every exported STATUS_* constant has a row of the NTSTATUS table with the same value, and no two rows share a name or a value (ntStatusName is one-to-one)", () => {
  const all = statuses as unknown as Record<string, unknown>;
  const constants = Object.entries(all).filter(([n, v]) =>
    /^STATUS_[A-Z0-9_]+$/.test(n) && typeof v === "number"
  );
  assert.ok(constants.length >= 200, `${constants.length} constants`);
  for (const [name, value] of constants) {
    assert.equal(NTSTATUS_TABLE.find((r) => r.name === name)?.value, value, name);
  }
  assert.equal(new Set(NTSTATUS_TABLE.map((r) => r.name)).size, NTSTATUS_TABLE.length);
  assert.equal(new Set(NTSTATUS_TABLE.map((r) => r.value)).size, NTSTATUS_TABLE.length);
  for (const r of NTSTATUS_TABLE) {
    assert.ok(r.value >= 0 && r.value <= 0xffffffff && Number.isInteger(r.value), r.name);
    assert.ok(r.meaning.length > 5, r.name);
  }
});
