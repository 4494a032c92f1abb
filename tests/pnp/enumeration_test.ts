/**
 * Enumeration and device instance IDs: the ParentIdPrefix of a device without a unique ID ("Instance
 * IDs", docs/pnp.md#pnp-instance-ids), ID validation, ID lengths (docs/pnp.md#pnp-id-rules) and
 * duplicate PDOs (bug check 0xCA, "IRP_MN_QUERY_ID"), and what the Enum tree keeps for a device that
 * is gone and comes back (toaster S15).
 */
import assert from "node:assert/strict";
import {
  boot,
  BugCheck,
  BusRelations,
  type DeviceObject,
  DISPATCH_LEVEL,
  type DriverObject,
  type Irp,
  IRP_MN_QUERY_DEVICE_RELATIONS,
  type Kernel,
  KEY_READ,
  KEY_WRITE,
  KeyValuePartialInformation,
  type Machine,
  PASSIVE_LEVEL,
  PLUGPLAY_REGKEY_DEVICE,
  REG_DWORD,
  REG_MULTI_SZ,
  REG_SZ,
  STATUS_SUCCESS,
} from "../../mod.ts";
import { attachBusRecord, BusChild } from "../../lib/bus/virtual_bus.ts";
import { defaultPnpDispatch } from "../../lib/io/iomgr.ts";
import { CCS, enumKey, functionDriver } from "./_helpers.ts";

/** Runs `step` and returns the bug check it raised (the test fails if it raised none). */
function bugCheckOf(step: () => unknown): BugCheck {
  try {
    step();
  } catch (e) {
    if (e instanceof BugCheck) return e;
    throw e;
  }
  assert.fail("expected a bug check");
}

/** A started raw bus `ROOT\BUS\0` to plug children into. */
function rawBus(m: Machine): DeviceObject {
  return m.plugIn({ hardwareIds: ["ROOT\\BUS"], rawDeviceOk: true });
}

// ---- ParentIdPrefix ---------------------------------------------------------------------------------

Deno.test("instance-ids: a root-enumerated device with UniqueID FALSE gets no ParentIdPrefix (the root enumerator's IDs are unique; its PDO leaves UniqueID as the caller set it, Wine test_bus_query_caps)", () => {
  const m = boot();
  const pdo = m.plugIn({ hardwareIds: ["ROOT\\PLAIN"], uniqueId: false, rawDeviceOk: true });
  assert.equal(m.devnode(pdo)?.instanceId, "ROOT\\PLAIN\\0");
  assert.equal(m.registry.exists("HKLM\\SYSTEM\\CurrentControlSet\\Enum\\HTREE\\ROOT\\0"), true);
});

Deno.test("instance-ids (UniqueID FALSE): PnP prefixes the instance ID with the parent's ParentIdPrefix, kept as REG_SZ in its Enum key", () => {
  const m = boot();
  const bus = rawBus(m);
  const kid = m.plugIn(
    { hardwareIds: ["BUS\\KID"], instanceId: "07", uniqueId: false, rawDeviceOk: true },
    bus,
  );
  const prefix = m.registry.getValue(enumKey("ROOT\\BUS\\0"), "ParentIdPrefix");
  assert.equal(prefix?.type, REG_SZ);
  assert.match(String(prefix?.data), /^[0-9a-f]+&[0-9a-f]+$/, "<level>&<crc32> in hex");
  assert.equal(m.devnode(kid)?.instanceId, `BUS\\KID\\${prefix?.data}&07`);
  assert.ok(m.registry.exists(enumKey(`BUS\\KID\\${prefix?.data}&07`)));
});

Deno.test("instance-ids (UniqueID FALSE): siblings share the parent's prefix; a unique child gets none; another parent has another", () => {
  const m = boot();
  const bus = rawBus(m);
  const a = m.plugIn(
    { hardwareIds: ["BUS\\KID"], instanceId: "1", uniqueId: false, rawDeviceOk: true },
    bus,
  );
  const b = m.plugIn(
    { hardwareIds: ["BUS\\KID"], instanceId: "2", uniqueId: false, rawDeviceOk: true },
    bus,
  );
  const unique = m.plugIn(
    { hardwareIds: ["BUS\\UNIQUE"], instanceId: "9", rawDeviceOk: true },
    bus,
  );
  const prefix = String(m.registry.getValue(enumKey("ROOT\\BUS\\0"), "ParentIdPrefix")?.data);
  assert.equal(m.devnode(a)?.instanceId, `BUS\\KID\\${prefix}&1`);
  assert.equal(m.devnode(b)?.instanceId, `BUS\\KID\\${prefix}&2`);
  assert.equal(m.devnode(unique)?.instanceId, "BUS\\UNIQUE\\9");

  const other = m.plugIn({ hardwareIds: ["ROOT\\OTHERBUS"], rawDeviceOk: true });
  const c = m.plugIn(
    { hardwareIds: ["BUS\\KID"], instanceId: "1", uniqueId: false, rawDeviceOk: true },
    other,
  );
  const otherPrefix = String(
    m.registry.getValue(enumKey("ROOT\\OTHERBUS\\0"), "ParentIdPrefix")?.data,
  );
  assert.notEqual(otherPrefix, prefix);
  assert.equal(m.devnode(c)?.instanceId, `BUS\\KID\\${otherPrefix}&1`);
});

Deno.test("instance-ids (UniqueID FALSE): an existing ParentIdPrefix value is reused, not recomputed", () => {
  const m = boot();
  m.registry.setValue(enumKey("ROOT\\BUS\\0"), "ParentIdPrefix", REG_SZ, "2&deadbeef");
  const bus = rawBus(m);
  const kid = m.plugIn(
    { hardwareIds: ["BUS\\KID"], instanceId: "3", uniqueId: false, rawDeviceOk: true },
    bus,
  );
  assert.equal(m.devnode(kid)?.instanceId, "BUS\\KID\\2&deadbeef&3");
});

// ReactOS's IopGetParentIdPrefix (ntoskrnl/io/pnpmgr/pnpmgr.c, docs/pnp.md#pnp-instance-ids;
// Microsoft's pages give no format) builds `%lx&%lx` from the parent's level and the CRC-32 of its
// instance ID's UTF-16LE bytes. The CRCs below were computed outside the model (zlib.crc32):
// 0xa89b267e for `ROOT\BUS\0`, 0x9de49e2e for `BUS\HUB\1`.
Deno.test("instance-ids (UniqueID FALSE; ReactOS IopGetParentIdPrefix, docs/pnp.md#pnp-instance-ids): ParentIdPrefix is `<parent level>&<CRC-32 of its instance ID>` in hex, stored once in the parent's Enum key and reused for every child", () => {
  const m = boot();
  const bus = rawBus(m);
  const first = m.plugIn(
    { hardwareIds: ["BUS\\KID"], instanceId: "07", uniqueId: false, rawDeviceOk: true },
    bus,
  );
  assert.deepEqual(m.registry.getValue(enumKey("ROOT\\BUS\\0"), "ParentIdPrefix"), {
    type: REG_SZ,
    data: "1&a89b267e",
  });
  const second = m.plugIn(
    { hardwareIds: ["BUS\\KID"], instanceId: "08", uniqueId: false, rawDeviceOk: true },
    bus,
  );
  assert.equal(m.devnode(first)?.instanceId, "BUS\\KID\\1&a89b267e&07");
  assert.equal(m.devnode(second)?.instanceId, "BUS\\KID\\1&a89b267e&08");
  assert.equal(
    m.registry.getValue(enumKey("ROOT\\BUS\\0"), "ParentIdPrefix")?.data,
    "1&a89b267e",
  );
  assert.equal(m.devnode(second)?.state, "Started");

  // One level down, under a hub with a unique ID.
  const hub = m.plugIn({ hardwareIds: ["BUS\\HUB"], instanceId: "1", rawDeviceOk: true }, bus);
  assert.equal(m.devnode(hub)?.instanceId, "BUS\\HUB\\1");
  const deep = m.plugIn(
    { hardwareIds: ["BUS\\KID"], instanceId: "3", uniqueId: false, rawDeviceOk: true },
    hub,
  );
  assert.equal(m.devnode(deep)?.instanceId, "BUS\\KID\\2&9de49e2e&3");
  assert.deepEqual(m.registry.getValue(enumKey("BUS\\HUB\\1"), "ParentIdPrefix"), {
    type: REG_SZ,
    data: "2&9de49e2e",
  });
});

Deno.test("instance-ids (UniqueID FALSE, empty InstanceID; ReactOS IopGetParentIdPrefix, docs/pnp.md#pnp-instance-ids): the instance part is the parent's prefix alone, with no `&`", () => {
  const m = boot();
  const bus = rawBus(m);
  const solo = m.plugIn(
    { hardwareIds: ["BUS\\SOLO"], instanceId: "", uniqueId: false, rawDeviceOk: true },
    bus,
  );
  assert.equal(m.devnode(solo)?.instanceId, "BUS\\SOLO\\1&a89b267e");
  assert.equal(m.devnode(solo)?.state, "Started");
  assert.ok(m.registry.exists(enumKey("BUS\\SOLO\\1&a89b267e")));
});

// ---- ID validation ----------------------------------------------------------------------------------

Deno.test("irp-mn-query-id: a comma in a device ID is bug check 0xCA PNP_DETECTED_FATAL_ERROR with parameter 1 = 0x3", () => {
  const m = boot();
  const b = bugCheckOf(() => m.plugIn({ hardwareIds: ["ROOT\\A,B"], rawDeviceOk: true }));
  assert.equal(b.code, 0xca);
  assert.equal(b.name, "PNP_DETECTED_FATAL_ERROR");
  assert.equal(b.parameters[0], 3);
  assert.ok(m.halted);
});

Deno.test("irp-mn-query-id: a character below 0x20 in a hardware ID is bug check 0xCA with parameter 1 = 0x3", () => {
  const m = boot();
  const b = bugCheckOf(() =>
    m.plugIn({
      hardwareIds: ["ROOT\\GOOD", "ROOT\\BAD\u0007"],
      deviceId: "ROOT\\GOOD",
      rawDeviceOk: true,
    })
  );
  assert.equal(b.code, 0xca);
  assert.equal(b.parameters[0], 3);
});

Deno.test("irp-mn-query-id: a character below 0x20 in an instance ID is bug check 0xCA with parameter 1 = 0x3", () => {
  const m = boot();
  const b = bugCheckOf(() =>
    m.plugIn({ hardwareIds: ["ROOT\\GOOD"], instanceId: "1\n", rawDeviceOk: true })
  );
  assert.equal(b.code, 0xca);
  assert.equal(b.parameters[0], 3);
});

// ---- ID lengths (docs/pnp.md#pnp-id-rules; "Device Instance IDs") -----------------------------------

/** An ID of exactly `length` characters: `<enumerator>\` and then `X`s. */
function idOfLength(length: number, enumerator = "ROOT"): string {
  return `${enumerator}\\${"X".repeat(length - enumerator.length - 1)}`;
}

/** Asserts the invalid-ID bug check the model raises: 0xCA, parameter 1 = 0x3, naming the PDO; `type` is parameter 4 (2 instance ID, 3 HardwareIDs, 4 CompatibleIDs). */
function assertInvalidId(b: BugCheck, type: number): void {
  assert.equal(b.code, 0xca);
  assert.equal(b.name, "PNP_DETECTED_FATAL_ERROR");
  assert.equal(b.rule, "PnpInvalidId");
  assert.equal(b.parameters[0], 0x3);
  assert.equal(b.parameters[3], type, "which ID");
  assert.ok(b.device, "the bug check names the PDO");
}

Deno.test("ID lengths, docs/pnp.md#pnp-id-rules (each hardware or compatible ID < MAX_DEVICE_ID_LEN): 199 characters are accepted and the device starts; 200 are bug check 0xCA, parameter 1 = 0x3", () => {
  const m = boot();
  const longest = idOfLength(199);
  const pdo = m.plugIn({
    hardwareIds: ["ROOT\\LONGIDS", longest],
    compatibleIds: [longest],
    rawDeviceOk: true,
  });
  assert.equal(m.devnode(pdo)?.state, "Started");
  assert.deepEqual(m.registry.getValue(enumKey("ROOT\\LONGIDS\\0"), "HardwareID")?.data, [
    "ROOT\\LONGIDS",
    longest,
  ]);
  assert.deepEqual(m.devnode(pdo)?.compatibleIds, [longest]);

  const hardware = boot();
  assertInvalidId(
    bugCheckOf(() =>
      hardware.plugIn({ hardwareIds: ["ROOT\\LONGIDS", idOfLength(200)], rawDeviceOk: true })
    ),
    3,
  );
  const compatible = boot();
  assertInvalidId(
    bugCheckOf(() =>
      compatible.plugIn({
        hardwareIds: ["ROOT\\LONGIDS"],
        compatibleIds: [idOfLength(200)],
        rawDeviceOk: true,
      })
    ),
    4,
  );
});

Deno.test("Hardware IDs / Compatible IDs (an ID list holds at most 64 IDs and REGSTR_VAL_MAX_HCID_LEN = 1024 characters, counting the NUL after each ID and the final NUL): the largest legal lists start; one ID or one character more is bug check 0xCA, parameter 1 = 0x3", () => {
  const sixtyFour = Array.from({ length: 64 }, (_, i) => `ROOT\\MANY${i}`);
  const many = boot();
  assert.equal(
    many.devnode(many.plugIn({ hardwareIds: sixtyFour, rawDeviceOk: true }))?.state,
    "Started",
  );
  assertInvalidId(
    bugCheckOf(() =>
      boot().plugIn({ hardwareIds: [...sixtyFour, "ROOT\\MANY64"], rawDeviceOk: true })
    ),
    3,
  );
  // Five IDs of 199 characters take 5 * 200 + 1 = 1001 characters; a sixth of 22 brings the list
  // to exactly 1024, one of 23 to 1025.
  const list = (last: number) => [
    ...Array.from({ length: 5 }, (_, i) => idOfLength(199, `ROOT${i}`)),
    idOfLength(last),
  ];
  const full = boot();
  const pdo = full.plugIn({
    hardwareIds: ["ROOT\\FULL"],
    compatibleIds: list(22),
    rawDeviceOk: true,
  });
  assert.equal(full.devnode(pdo)?.state, "Started");
  assertInvalidId(
    bugCheckOf(() =>
      boot().plugIn({ hardwareIds: ["ROOT\\FULL"], compatibleIds: list(23), rawDeviceOk: true })
    ),
    4,
  );
  assertInvalidId(
    bugCheckOf(() =>
      boot().plugIn({ deviceId: "ROOT\\FULL", hardwareIds: list(23), rawDeviceOk: true })
    ),
    3,
  );
});

Deno.test("ID lengths, docs/pnp.md#pnp-id-rules (device ID + instance ID < 199 when UniqueID is TRUE): 198 characters are accepted and the device starts; 199 are bug check 0xCA, parameter 1 = 0x3", () => {
  const deviceId = idOfLength(197);
  const m = boot();
  const pdo = m.plugIn({ hardwareIds: [deviceId], instanceId: "1", rawDeviceOk: true });
  assert.equal(m.devnode(pdo)?.instanceId, `${deviceId}\\1`);
  assert.equal(m.devnode(pdo)?.state, "Started");

  const over = boot();
  assertInvalidId(
    bugCheckOf(() => over.plugIn({ hardwareIds: [deviceId], instanceId: "12", rawDeviceOk: true })),
    2,
  );
});

Deno.test("ID lengths, docs/pnp.md#pnp-id-rules (device ID + instance ID < 172 when UniqueID is FALSE): 171 characters are accepted and the device starts; 172 are bug check 0xCA, although the prefixed instance ID is shorter than 200", () => {
  const deviceId = idOfLength(170);
  const spec = (instanceId: string) => ({
    hardwareIds: [deviceId],
    instanceId,
    uniqueId: false,
    rawDeviceOk: true,
  });
  // On a bus: a root-enumerated device gets no prefix, so the shorter limit is not its own.
  const m = boot();
  const pdo = m.plugIn(spec("1"), rawBus(m));
  const instanceId = m.devnode(pdo)!.instanceId;
  assert.ok(instanceId.startsWith(`${deviceId}\\`) && instanceId.endsWith("&1"), instanceId);
  assert.equal(m.devnode(pdo)?.state, "Started");

  const over = boot();
  const overBus = rawBus(over);
  assertInvalidId(bugCheckOf(() => over.plugIn(spec("12"), overBus)), 2);
  assert.ok(instanceId.length + 1 < 200, "the limit, not the full length, is what was broken");
});

Deno.test("ID lengths, docs/pnp.md#pnp-id-rules (the device instance ID < MAX_DEVICE_ID_LEN): with a long ParentIdPrefix, 199 characters are accepted; 200 are bug check 0xCA, parameter 1 = 0x3", () => {
  // A ParentIdPrefix already in the parent's Enum key is reused as it is (ReactOS
  // IopGetParentIdPrefix), so the prefixed ID can reach 200 while device ID + instance ID stays
  // under 172.
  const prefix = `1&${"p".repeat(44)}`;
  const deviceId = idOfLength(150, "BUS");
  const plug = (instanceId: string) => {
    const m = boot();
    m.registry.setValue(enumKey("ROOT\\BUS\\0"), "ParentIdPrefix", REG_SZ, prefix);
    const bus = rawBus(m);
    return {
      m,
      step: () =>
        m.plugIn({ hardwareIds: [deviceId], instanceId, uniqueId: false, rawDeviceOk: true }, bus),
    };
  };
  const ok = plug("1");
  const pdo = ok.step();
  assert.equal(ok.m.devnode(pdo)?.instanceId, `${deviceId}\\${prefix}&1`);
  assert.equal(ok.m.devnode(pdo)?.instanceId.length, 199);
  assert.equal(ok.m.devnode(pdo)?.state, "Started");

  const over = plug("12");
  assertInvalidId(bugCheckOf(over.step), 2);
});

Deno.test("device-instance-ids: two PDOs with the same device ID and unique instance ID under one parent are bug check 0xCA, parameter 1 = 0x1", () => {
  const m = boot();
  m.plugIn({ hardwareIds: ["ROOT\\TWIN"], instanceId: "5", rawDeviceOk: true });
  const b = bugCheckOf(() =>
    m.plugIn({ hardwareIds: ["ROOT\\TWIN"], instanceId: "5", rawDeviceOk: true })
  );
  assert.equal(b.code, 0xca);
  assert.equal(b.parameters[0], 1);
});

Deno.test("Bug checks: after a bug check every later routine and machine call throws the same BugCheck", () => {
  const m = boot();
  const b = bugCheckOf(() => m.plugIn({ hardwareIds: ["ROOT\\A,B"], rawDeviceOk: true }));
  assert.throws(() => m.kernel.KeGetCurrentIrql(), (e) => e === b);
  assert.throws(() => m.kernel.ZwOpenKey(KEY_READ, `\\Registry\\Machine\\System`), (e) => e === b);
  assert.throws(() => m.plugIn("ROOT\\LATER"), (e) => e === b);
  assert.throws(() => m.settle(), (e) => e === b);
  // The host process is fine: another machine boots and works.
  assert.equal(boot().devnode("HTREE\\ROOT\\0")?.state, "Started");
});

Deno.test("Bug checks: machine.reboot() brings back a machine a driver's misuse stopped", () => {
  const m = boot();
  m.loadDriver({ name: "toaster", hardwareIds: ["ROOT\\TOASTER"] });
  const k = m.kernel;
  k.KeRaiseIrql(DISPATCH_LEVEL);
  // IrqlZwPassive: a Zw registry routine above PASSIVE_LEVEL is bug check 0xC4 under Driver Verifier.
  bugCheckOf(() => k.ZwOpenKey(KEY_READ, "\\Registry\\Machine\\System"));
  assert.equal(m.halted, true);
  m.reboot();
  assert.equal(m.halted, false);
  assert.equal(m.bugCheck, null);
  assert.equal(k.KeGetCurrentIrql(), PASSIVE_LEVEL);
  assert.equal(m.devnode(m.plugIn("ROOT\\TOASTER"))?.state, "Started");
});

Deno.test("Bug check 0xCA P1=0x3 (invalid ID) names the PDO; rebooting with that hardware still plugged in stops again (a boot loop) until it is unplugged", () => {
  const m = boot();
  const b = bugCheckOf(() => m.plugIn({ hardwareIds: ["ROOT\\A,B"], rawDeviceOk: true }));
  assert.equal(b.code, 0xca);
  assert.equal(b.parameters[0], 3);
  assert.ok(b.device, "the bug check names the device whose IDs were invalid");
  assert.equal(m.bugCheck, b);
  // The PnP manager enumerates the same hardware at boot and meets the same IDs.
  const again = bugCheckOf(() => m.reboot());
  assert.equal(again.code, 0xca);
  assert.equal(again.parameters[0], 3);
  assert.equal(m.halted, true);
  // Pulling the hardware needs no running OS; the next boot does not see it.
  m.unplug(again.device!);
  m.reboot();
  assert.equal(m.halted, false);
  assert.equal(
    m.devnode(m.plugIn({ hardwareIds: ["ROOT\\LATER"], rawDeviceOk: true }))?.state,
    "Started",
  );
  assert.equal(m.devices().some((d) => d.includes(",")), false);
});

// ---- Non-present devices and replug (toaster S15) ---------------------------------------------------

/**
 * A function driver that, in AddDevice, reads `WaitWakeEnabled` from its hardware key (recording what
 * it saw) and writes it when it is missing, as featured2 does.
 */
function waitWakeDriver(seen: (number | undefined)[]) {
  return functionDriver("featured", ["ROOT\\TOASTER"], {
    AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
      const key = k.IoOpenDeviceRegistryKey(pdo, PLUGPLAY_REGKEY_DEVICE, KEY_READ | KEY_WRITE);
      if (key.devInstRegKey) {
        const q = k.ZwQueryValueKey(
          key.devInstRegKey,
          "WaitWakeEnabled",
          KeyValuePartialInformation,
        );
        const info = q.keyValueInformation as { Data?: unknown } | undefined;
        seen.push(typeof info?.Data === "number" ? info.Data : undefined);
        if (q.status !== STATUS_SUCCESS) {
          k.ZwSetValueKey(key.devInstRegKey, "WaitWakeEnabled", 0, REG_DWORD, 1);
        }
        k.ZwClose(key.devInstRegKey);
      }
      const r = k.IoCreateDevice(driver, 0, null, 0x22, 0x100, false);
      if (!r.deviceObject) return r.status;
      r.deviceObject.DeviceExtension.LowerDeviceObject = k.IoAttachDeviceToDeviceStack(
        r.deviceObject,
        pdo,
      );
      r.deviceObject.Flags &= ~0x80;
      return STATUS_SUCCESS;
    },
  });
}

Deno.test("toaster S15: a non-present device keeps its Enum key after unplug", () => {
  const m = boot();
  m.loadDriver(waitWakeDriver([]));
  const pdo = m.plugIn({ hardwareIds: ["ROOT\\TOASTER"], instanceId: "1", description: "Toaster" });
  m.unplug(pdo);
  assert.equal(m.devnode(pdo)?.state, "Absent");
  assert.equal(m.devices().includes("ROOT\\TOASTER\\1"), false);
  const key = enumKey("ROOT\\TOASTER\\1");
  assert.ok(m.registry.exists(key));
  assert.deepEqual(m.registry.getValue(key, "HardwareID"), {
    type: REG_MULTI_SZ,
    data: ["ROOT\\TOASTER"],
  });
  assert.equal(m.registry.getValue(key, "Service")?.data, "featured");
  assert.equal(m.registry.getValue(`${key}\\Device Parameters`, "WaitWakeEnabled")?.data, 1);
});

Deno.test("toaster S15: replugging the same serial reuses the instance path and its Device Parameters; another serial starts fresh", () => {
  const m = boot();
  const seen: (number | undefined)[] = [];
  m.loadDriver(waitWakeDriver(seen));
  const first = m.plugIn({ hardwareIds: ["ROOT\\TOASTER"], instanceId: "1" });
  const driverKey = m.registry.getValue(enumKey("ROOT\\TOASTER\\1"), "Driver")?.data;
  m.unplug(first);

  const again = m.plugIn({ hardwareIds: ["ROOT\\TOASTER"], instanceId: "1" });
  assert.notEqual(again, first, "a re-inserted device gets a new PDO");
  assert.equal(m.devnode(again)?.instanceId, "ROOT\\TOASTER\\1");
  assert.equal(m.devnode(again)?.state, "Started");
  assert.equal(
    m.registry.getValue(enumKey("ROOT\\TOASTER\\1"), "Driver")?.data,
    driverKey,
    "the same software key",
  );

  const other = m.plugIn({ hardwareIds: ["ROOT\\TOASTER"], instanceId: "2" });
  assert.equal(m.devnode(other)?.instanceId, "ROOT\\TOASTER\\2");
  assert.deepEqual(seen, [undefined, 1, undefined]);
  assert.ok(m.registry.exists(`${CCS}\\Enum\\ROOT\\TOASTER\\2\\Device Parameters`));
});

Deno.test("DeviceSpec.instanceId default: the lowest number no present device with that device ID uses", () => {
  const m = boot();
  const bus = rawBus(m);
  const a = m.plugIn({ hardwareIds: ["ROOT\\NUM"], rawDeviceOk: true });
  const b = m.plugIn({ hardwareIds: ["ROOT\\NUM"], rawDeviceOk: true });
  // Explicit numbers are taken into account, whichever bus they are on.
  m.plugIn({ hardwareIds: ["ROOT\\NUM"], instanceId: "2", rawDeviceOk: true }, bus);
  const c = m.plugIn({ hardwareIds: ["ROOT\\NUM"], rawDeviceOk: true });
  assert.deepEqual([a, b, c].map((p) => m.devnode(p)?.instanceId), [
    "ROOT\\NUM\\0",
    "ROOT\\NUM\\1",
    "ROOT\\NUM\\3",
  ]);
  // Device IDs compare case-insensitively.
  const d = m.plugIn({ hardwareIds: ["root\\num"], rawDeviceOk: true });
  assert.equal(m.devnode(d)?.instanceId, "root\\num\\4");
  // A number frees up when its device leaves.
  m.unplug(a);
  const e = m.plugIn({ hardwareIds: ["ROOT\\NUM"], rawDeviceOk: true });
  assert.equal(m.devnode(e)?.instanceId, "ROOT\\NUM\\0");
  const f = m.plugIn({ hardwareIds: ["ROOT\\NUM"], rawDeviceOk: true });
  assert.equal(m.devnode(f)?.instanceId, "ROOT\\NUM\\5");
});

Deno.test("adding-a-pnp-device-to-a-running-system (step 3, 'Missing children go to removal'): a child missing from a BusRelations answer is removed even when the same answer lists a PDO that already left the tree", () => {
  const m = boot({ verifier: "warn" });
  const k = m.kernel;
  const pdos: DeviceObject[] = [];
  let report: number[] = [];
  /** A PDO the model's virtual bus answers for (IDs, capabilities), created by this bus driver. */
  const child = (fdo: DeviceObject, id: string): DeviceObject => {
    const d = k.IoCreateDevice(fdo.DriverObject, 0, null, 0x2a, 0x100, false).deviceObject!;
    attachBusRecord(
      d,
      new BusChild({ hardwareIds: [id], rawDeviceOk: true }, "0", null),
      fdo.bottom.busDispatch!,
    );
    d.Flags &= ~0x80;
    return d;
  };
  m.loadDriver({
    name: "twobus",
    hardwareIds: ["ROOT\\TWOBUS"],
    DispatchPnp: (kk: Kernel, fdo: DeviceObject, irp: Irp) => {
      const loc = kk.IoGetCurrentIrpStackLocation(irp);
      if (
        loc.MinorFunction === IRP_MN_QUERY_DEVICE_RELATIONS &&
        loc.Parameters.QueryDeviceRelations?.Type === BusRelations
      ) {
        if (!pdos.length) {
          pdos.push(child(fdo, "TWOBUS\\A"), child(fdo, "TWOBUS\\B"));
          report = [0, 1];
        }
        const out = report.map((i) => pdos[i]!);
        for (const p of out) kk.ObReferenceObject(p);
        irp.IoStatus.Information = out;
        irp.IoStatus.Status = STATUS_SUCCESS;
      }
      return defaultPnpDispatch(kk, fdo, irp);
    },
  });
  const bus = m.plugIn({ hardwareIds: ["ROOT\\TWOBUS"] });
  const children = () => m.devices().filter((d) => d.startsWith("TWOBUS"));
  assert.deepEqual(children(), ["TWOBUS\\A\\0", "TWOBUS\\B\\0"]);
  report = [1]; // A leaves (its PDO is kept: the bus has not deleted it)
  k.IoInvalidateDeviceRelations(bus, BusRelations);
  m.settle();
  assert.deepEqual(children(), ["TWOBUS\\B\\0"]);
  report = [0]; // A's stale PDO reported again, and B missing
  k.IoInvalidateDeviceRelations(bus, BusRelations);
  m.settle();
  assert.equal(
    children().includes("TWOBUS\\B\\0"),
    false,
    "B, missing from the answer, was removed",
  );
});
