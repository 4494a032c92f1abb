/**
 * Unified device properties: IoGetDevicePropertyData / IoSetDevicePropertyData (Wine's
 * test_device_properties, run on Windows) and the interface property routines.
 */
import assert from "node:assert/strict";
import {
  boot,
  DEVPKEYS,
  DEVPROP_TYPE,
  LOCALE_NEUTRAL,
  PLUGPLAY_PROPERTY_PERSISTENT,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_IMPLEMENTED,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from "../../mod.ts";

const CUSTOM = { fmtid: "{6d2e9b0c-3b41-4f7e-8a55-1c2d3e4f5a6b}", pid: 5 };

function device() {
  const m = boot();
  m.loadDriver({ name: "propdrv", hardwareIds: ["ROOT\\PROPDEV"] });
  const pdo = m.plugIn({ hardwareIds: ["ROOT\\PROPDEV", "ROOT\\GENERIC"] });
  return { m, k: m.kernel, pdo };
}

Deno.test("IoGetDevicePropertyData reads DEVPKEY_Device_InstanceId as DEVPROP_TYPE_STRING (Wine driver_pnp2 get_parent_id_prefix)", () => {
  const { k, pdo } = device();
  const r = k.IoGetDevicePropertyData(pdo, DEVPKEYS.DEVPKEY_Device_InstanceId!, LOCALE_NEUTRAL, 0);
  assert.equal(r.status, STATUS_SUCCESS);
  assert.equal(r.type, DEVPROP_TYPE.DEVPROP_TYPE_STRING);
  assert.equal(r.data, "ROOT\\PROPDEV\\0");
});

Deno.test("IoGetDevicePropertyData with size 0 is STATUS_BUFFER_TOO_SMALL with the required size and type; HardwareIds is a STRING_LIST (Wine test_device_properties)", () => {
  const { k, pdo } = device();
  const small = k.IoGetDevicePropertyData(
    pdo,
    DEVPKEYS.DEVPKEY_Device_HardwareIds!,
    LOCALE_NEUTRAL,
    0,
    0,
  );
  assert.equal(small.status, STATUS_BUFFER_TOO_SMALL);
  assert.equal(small.type, DEVPROP_TYPE.DEVPROP_TYPE_STRING_LIST);
  // "ROOT\PROPDEV\0ROOT\GENERIC\0\0" in UTF-16.
  assert.equal(small.requiredSize, (12 + 1 + 12 + 1 + 1) * 2);
  const full = k.IoGetDevicePropertyData(
    pdo,
    DEVPKEYS.DEVPKEY_Device_HardwareIds!,
    LOCALE_NEUTRAL,
    0,
    small.requiredSize,
  );
  assert.equal(full.status, STATUS_SUCCESS);
  assert.deepEqual(full.data, ["ROOT\\PROPDEV", "ROOT\\GENERIC"]);
});

Deno.test("IoSetDevicePropertyData stores, returns and deletes a custom property; a missing one is STATUS_OBJECT_NAME_NOT_FOUND (IoGetDevicePropertyData)", () => {
  const { k, pdo } = device();
  assert.equal(
    k.IoGetDevicePropertyData(pdo, CUSTOM, LOCALE_NEUTRAL, 0).status,
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
  assert.equal(
    k.IoSetDevicePropertyData(
      pdo,
      CUSTOM,
      LOCALE_NEUTRAL,
      0,
      DEVPROP_TYPE.DEVPROP_TYPE_UINT32,
      4,
      42,
    ),
    STATUS_SUCCESS,
  );
  const r = k.IoGetDevicePropertyData(pdo, CUSTOM, LOCALE_NEUTRAL, 0);
  assert.deepEqual([r.status, r.data, r.type, r.requiredSize], [
    STATUS_SUCCESS,
    42,
    DEVPROP_TYPE.DEVPROP_TYPE_UINT32,
    4,
  ]);
  assert.equal(
    k.IoSetDevicePropertyData(
      pdo,
      CUSTOM,
      LOCALE_NEUTRAL,
      0,
      DEVPROP_TYPE.DEVPROP_TYPE_UINT32,
      0,
      null,
    ),
    STATUS_SUCCESS,
  );
  assert.equal(
    k.IoGetDevicePropertyData(pdo, CUSTOM, LOCALE_NEUTRAL, 0).status,
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
});

Deno.test("LOCALE_USER_DEFAULT and LOCALE_SYSTEM_DEFAULT are STATUS_INVALID_PARAMETER; system properties cannot be set (IoGetDevicePropertyData, IoSetDevicePropertyData)", () => {
  const { k, pdo } = device();
  assert.equal(
    k.IoGetDevicePropertyData(pdo, DEVPKEYS.DEVPKEY_Device_InstanceId!, 0x0400, 0).status,
    STATUS_INVALID_PARAMETER,
  );
  assert.equal(
    k.IoGetDevicePropertyData(pdo, DEVPKEYS.DEVPKEY_Device_InstanceId!, 0x0800, 0).status,
    STATUS_INVALID_PARAMETER,
  );
  assert.equal(
    k.IoSetDevicePropertyData(
      pdo,
      DEVPKEYS.DEVPKEY_Device_InstanceId!,
      LOCALE_NEUTRAL,
      0,
      DEVPROP_TYPE.DEVPROP_TYPE_STRING,
      4,
      "x",
    ),
    STATUS_NOT_IMPLEMENTED,
  );
});

Deno.test("IoGetDevicePropertyData on an FDO is STATUS_INVALID_DEVICE_REQUEST (not a PDO)", () => {
  const { m, k, pdo } = device();
  const fdo = pdo.AttachedDevice!;
  assert.ok(fdo);
  assert.equal(
    k.IoGetDevicePropertyData(fdo, DEVPKEYS.DEVPKEY_Device_InstanceId!, LOCALE_NEUTRAL, 0).status,
    STATUS_INVALID_DEVICE_REQUEST,
  );
  assert.equal(m.halted, false);
});

Deno.test("a persistent device property survives a reboot, a non-persistent one does not (PLUGPLAY_PROPERTY_PERSISTENT)", () => {
  const { m, k, pdo } = device();
  const other = { ...CUSTOM, pid: 6 };
  k.IoSetDevicePropertyData(
    pdo,
    CUSTOM,
    LOCALE_NEUTRAL,
    PLUGPLAY_PROPERTY_PERSISTENT,
    DEVPROP_TYPE.DEVPROP_TYPE_STRING,
    8,
    "kept",
  );
  k.IoSetDevicePropertyData(
    pdo,
    other,
    LOCALE_NEUTRAL,
    0,
    DEVPROP_TYPE.DEVPROP_TYPE_STRING,
    8,
    "lost",
  );
  m.reboot();
  const again = m.device("ROOT\\PROPDEV\\0")!;
  assert.equal(m.kernel.IoGetDevicePropertyData(again, CUSTOM, LOCALE_NEUTRAL, 0).data, "kept");
  assert.equal(
    m.kernel.IoGetDevicePropertyData(again, other, LOCALE_NEUTRAL, 0).status,
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
});
