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
  STATUS_ACCESS_DENIED,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
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

Deno.test("LOCALE_USER_DEFAULT and LOCALE_SYSTEM_DEFAULT are STATUS_INVALID_PARAMETER; system properties cannot be set: STATUS_ACCESS_DENIED, as on Windows (ReactOS kmtest IoDeviceProperty Test_DeviceBuiltins), not STATUS_NOT_IMPLEMENTED (IoGetDevicePropertyData, IoSetDevicePropertyData)", () => {
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
    STATUS_ACCESS_DENIED,
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

Deno.test("a device property survives a reboot with or without PLUGPLAY_PROPERTY_PERSISTENT (IoSetDevicePropertyData: Windows 8 and later treat Flags as if PLUGPLAY_PROPERTY_PERSISTENT were always passed)", () => {
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
    12,
    "kept too",
  );
  m.reboot();
  const again = m.device("ROOT\\PROPDEV\\0")!;
  assert.equal(m.kernel.IoGetDevicePropertyData(again, CUSTOM, LOCALE_NEUTRAL, 0).data, "kept");
  const unflagged = m.kernel.IoGetDevicePropertyData(again, other, LOCALE_NEUTRAL, 0);
  assert.equal(unflagged.status, STATUS_SUCCESS);
  assert.equal(unflagged.data, "kept too");
  // Deleting with Flags 0 deletes the stored copy too: it does not come back after a restart.
  assert.equal(
    m.kernel.IoSetDevicePropertyData(
      again,
      other,
      LOCALE_NEUTRAL,
      0,
      DEVPROP_TYPE.DEVPROP_TYPE_STRING,
      0,
      null,
    ),
    STATUS_SUCCESS,
  );
  m.reboot();
  assert.equal(
    m.kernel.IoGetDevicePropertyData(m.device("ROOT\\PROPDEV\\0")!, other, LOCALE_NEUTRAL, 0)
      .status,
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
});

Deno.test("DEVPKEY_Device_ContainerId is a 16-byte DEVPROP_TYPE_GUID made from the bus's BusQueryContainerID answer; without one it is not found (Wine's test_pnp_devices on Windows: ContainerId as GUID)", () => {
  const m = boot();
  const container = "{6F1B4C2A-1D3E-4F5A-8B6C-7D8E9F0A1B2C}";
  const pdo = m.plugIn({ hardwareIds: ["ROOT\\BOXED"], containerId: container });
  const r = m.kernel.IoGetDevicePropertyData(
    pdo,
    DEVPKEYS.DEVPKEY_Device_ContainerId!,
    LOCALE_NEUTRAL,
    0,
  );
  assert.equal(r.status, STATUS_SUCCESS);
  assert.equal(r.type, DEVPROP_TYPE.DEVPROP_TYPE_GUID);
  assert.equal(r.requiredSize, 16);
  assert.equal(r.data, container.toLowerCase());
  const { k, pdo: plain } = device();
  const none = k.IoGetDevicePropertyData(plain, DEVPKEYS.DEVPKEY_Device_ContainerId!, 0, 0);
  assert.equal(none.status, STATUS_OBJECT_NAME_NOT_FOUND);
});

Deno.test("the read-only built-in properties (instance ID, PDO name, devnode status, problem code, presence, parent) are readable with their types and refuse writes with STATUS_ACCESS_DENIED, as on Windows (ReactOS kmtest IoDeviceProperty Test_DeviceBuiltins), not the STATUS_NOT_IMPLEMENTED the routine pages list (Rules for Modifying Device Properties: read-only)", () => {
  const { m, k, pdo } = device();
  const read = (name: string) => k.IoGetDevicePropertyData(pdo, DEVPKEYS[name]!, LOCALE_NEUTRAL, 0);
  const status = read("DEVPKEY_Device_DevNodeStatus");
  assert.equal(status.type, DEVPROP_TYPE.DEVPROP_TYPE_UINT32);
  assert.equal(status.data, m.devnode(pdo)?.status);
  assert.deepEqual(
    [read("DEVPKEY_Device_ProblemCode").type, read("DEVPKEY_Device_ProblemCode").data],
    [DEVPROP_TYPE.DEVPROP_TYPE_UINT32, 0],
  );
  assert.deepEqual(
    [read("DEVPKEY_Device_IsPresent").type, read("DEVPKEY_Device_IsPresent").data],
    [DEVPROP_TYPE.DEVPROP_TYPE_BOOLEAN, true],
  );
  assert.deepEqual(
    [read("DEVPKEY_Device_Parent").type, read("DEVPKEY_Device_Parent").data],
    [DEVPROP_TYPE.DEVPROP_TYPE_STRING, "HTREE\\ROOT\\0"],
  );
  assert.equal(read("DEVPKEY_Device_PDOName").type, DEVPROP_TYPE.DEVPROP_TYPE_STRING);
  for (
    const [name, type, data] of [
      ["DEVPKEY_Device_InstanceId", DEVPROP_TYPE.DEVPROP_TYPE_STRING, "X\\Y\\0"],
      ["DEVPKEY_Device_PDOName", DEVPROP_TYPE.DEVPROP_TYPE_STRING, "\\Device\\Other"],
      ["DEVPKEY_Device_DevNodeStatus", DEVPROP_TYPE.DEVPROP_TYPE_UINT32, 0],
      ["DEVPKEY_Device_ProblemCode", DEVPROP_TYPE.DEVPROP_TYPE_UINT32, 22],
      ["DEVPKEY_Device_IsPresent", DEVPROP_TYPE.DEVPROP_TYPE_BOOLEAN, false],
      ["DEVPKEY_Device_Parent", DEVPROP_TYPE.DEVPROP_TYPE_STRING, "ROOT\\OTHER\\0"],
    ] as const
  ) {
    const before = read(name).data;
    assert.equal(
      k.IoSetDevicePropertyData(pdo, DEVPKEYS[name]!, LOCALE_NEUTRAL, 0, type, 4, data),
      STATUS_ACCESS_DENIED,
      name,
    );
    assert.deepEqual(read(name).data, before, name);
  }
});

Deno.test("an interface's class GUID and instance ID are readable built-in properties and refuse writes with STATUS_ACCESS_DENIED, as on Windows (ReactOS kmtest IoDeviceProperty Test_InterfaceBuiltins), not STATUS_NOT_IMPLEMENTED (IoGetDeviceInterfacePropertyData)", () => {
  const { k, pdo } = device();
  const guid = "{3a4b5c6d-7e8f-4a1b-9c2d-3e4f5a6b7c8d}";
  const link = k.IoRegisterDeviceInterface(pdo, guid).symbolicLinkName!;
  const id = k.IoGetDeviceInterfacePropertyData(
    link,
    DEVPKEYS.DEVPKEY_Device_InstanceId!,
    LOCALE_NEUTRAL,
    0,
  );
  assert.deepEqual([id.type, id.data], [DEVPROP_TYPE.DEVPROP_TYPE_STRING, "ROOT\\PROPDEV\\0"]);
  const cls = k.IoGetDeviceInterfacePropertyData(
    link,
    DEVPKEYS.DEVPKEY_DeviceInterface_ClassGuid!,
    LOCALE_NEUTRAL,
    0,
  );
  assert.deepEqual([cls.type, cls.data, cls.requiredSize], [
    DEVPROP_TYPE.DEVPROP_TYPE_GUID,
    guid,
    16,
  ]);
  for (
    const key of [DEVPKEYS.DEVPKEY_Device_InstanceId!, DEVPKEYS.DEVPKEY_DeviceInterface_ClassGuid!]
  ) {
    assert.equal(
      k.IoSetDeviceInterfacePropertyData(
        link,
        key,
        LOCALE_NEUTRAL,
        0,
        DEVPROP_TYPE.DEVPROP_TYPE_STRING,
        4,
        "x",
      ),
      STATUS_ACCESS_DENIED,
    );
  }
});

Deno.test("device properties are stored per locale, each LCID on its own as on Windows (ReactOS kmtest IoDeviceProperty Test_Locales): a language without its own value has none, whatever LOCALE_NEUTRAL holds; setting or deleting with LOCALE_NEUTRAL leaves the languages' values (not the all-locales reading of the IoSetDevicePropertyData remarks)", () => {
  const { k, pdo } = device();
  const STR = DEVPROP_TYPE.DEVPROP_TYPE_STRING;
  const get = (lcid: number) => k.IoGetDevicePropertyData(pdo, CUSTOM, lcid, 0);
  assert.equal(
    k.IoSetDevicePropertyData(pdo, CUSTOM, LOCALE_NEUTRAL, 0, STR, 12, "Toaster"),
    STATUS_SUCCESS,
  );
  assert.equal(
    k.IoSetDevicePropertyData(pdo, CUSTOM, 0x407, 0, STR, 12, "Toaster-DE"),
    STATUS_SUCCESS,
  );
  assert.equal(
    k.IoSetDevicePropertyData(
      pdo,
      CUSTOM,
      0x40c,
      PLUGPLAY_PROPERTY_PERSISTENT,
      STR,
      12,
      "Grille-pain",
    ),
    STATUS_SUCCESS,
  );
  assert.equal(get(0x407).data, "Toaster-DE");
  assert.equal(get(0x40c).data, "Grille-pain");
  assert.equal(get(0x409).status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(get(LOCALE_NEUTRAL).data, "Toaster");
  // Deleting one language leaves the others, and the neutral value does not stand in for it.
  assert.equal(k.IoSetDevicePropertyData(pdo, CUSTOM, 0x407, 0, STR, 0, null), STATUS_SUCCESS);
  assert.equal(get(0x407).status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(get(0x40c).data, "Grille-pain");
  // LOCALE_NEUTRAL sets and deletes the neutral value only.
  assert.equal(
    k.IoSetDevicePropertyData(pdo, CUSTOM, LOCALE_NEUTRAL, 0, STR, 12, "Brot"),
    STATUS_SUCCESS,
  );
  assert.equal(get(0x40c).data, "Grille-pain");
  assert.equal(
    k.IoSetDevicePropertyData(pdo, CUSTOM, LOCALE_NEUTRAL, 0, STR, 0, null),
    STATUS_SUCCESS,
  );
  assert.equal(get(LOCALE_NEUTRAL).status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(get(0x40c).data, "Grille-pain");
  assert.equal(k.IoGetDevicePropertyData(pdo, CUSTOM, -1, 0).status, STATUS_INVALID_PARAMETER);
});
