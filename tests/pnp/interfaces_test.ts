/**
 * Device interfaces against the documented rules: IoRegisterDeviceInterface (seed page), the
 * IoSetDeviceInterfaceState page, IoGetDeviceInterfaces, IoGetDeviceInterfaceAlias,
 * IoOpenDeviceInterfaceRegistryKey (seed page) and "Plug and Play Registry Routines" (seed page),
 * with the link format and registry layout from Wine's test_pnp_devices / driver_pnp.c and
 * ReactOS's deviface.c (docs/interfaces.md). Each test names its rule.
 */
import assert from "node:assert/strict";
import {
  boot,
  DEVICE_INTERFACE_INCLUDE_NONACTIVE,
  EventCategoryDeviceInterfaceChange,
  GUID_DEVICE_INTERFACE_ARRIVAL,
  GUID_DEVICE_INTERFACE_REMOVAL,
  INVALID_HANDLE_VALUE,
  KEY_ALL_ACCESS,
  KEY_CREATE_SUB_KEY,
  KEY_READ,
  KEY_WRITE,
  KeyValuePartialInformation,
  NT_SUCCESS,
  ntStatusName,
  REG_DWORD,
  REG_OPTION_NON_VOLATILE,
  REG_SZ,
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_EXISTS,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from "../../mod.ts";
import {
  assertStatus,
  CCS,
  functionDriver,
  GUID_WINETEST,
  GUID_WINETEST_2,
  lastIrpCompletion,
  listen,
  machineWithDevice,
  told,
} from "./_notify_helpers.ts";

const LINK = "\\??\\Wine#Test#1#{deadbeef-29ef-4538-a5fd-b69573a362c2}";
const CLASS_KEY = `${CCS}\\Control\\DeviceClasses\\${GUID_WINETEST}`;
const DEVICE_KEY = `${CLASS_KEY}\\##?#Wine#Test#1#${GUID_WINETEST}`;

// ---- IoRegisterDeviceInterface ----------------------------------------------------------------------

Deno.test("IoRegisterDeviceInterface: the link is \\??\\<instance with \\ as #>#{guid}, GUID in lower case, instance part in the bus's case (IoRegisterDeviceInterface; Wine driver_pnp.c expects \\??\\Wine#Test#1#{deadbeef-...})", () => {
  const m = boot();
  const { pdo } = machineWithDevice(m, { enableAt: "never" });
  const r = m.kernel.IoRegisterDeviceInterface(pdo, GUID_WINETEST.toUpperCase());
  assertStatus(r.status, STATUS_OBJECT_NAME_EXISTS);
  assert.equal(r.symbolicLinkName, LINK);
});

Deno.test("IoRegisterDeviceInterface: a reference string becomes an appended path component \\RefString (IoRegisterDeviceInterface: ReferenceString)", () => {
  const m = boot();
  const { pdo } = machineWithDevice(m, { enableAt: "never" });
  const r = m.kernel.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "Wave0");
  assertStatus(r.status, STATUS_SUCCESS);
  assert.equal(r.symbolicLinkName, `${LINK}\\Wave0`);
});

Deno.test("IoRegisterDeviceInterface: registering the same interface again returns STATUS_OBJECT_NAME_EXISTS and the same name (IoRegisterDeviceInterface: Remarks)", () => {
  const m = boot();
  const { pdo, driver } = machineWithDevice(m);
  assertStatus(driver.results[0]!.status, STATUS_SUCCESS);
  const again = m.kernel.IoRegisterDeviceInterface(pdo, GUID_WINETEST);
  assertStatus(again.status, STATUS_OBJECT_NAME_EXISTS);
  assert.ok(NT_SUCCESS(again.status), "STATUS_OBJECT_NAME_EXISTS is an informational success");
  assert.equal(again.symbolicLinkName, driver.links[0]);
  const withRef = m.kernel.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "x");
  assertStatus(
    m.kernel.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "x").status,
    STATUS_OBJECT_NAME_EXISTS,
  );
  assert.equal(
    m.kernel.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "x").symbolicLinkName,
    withRef.symbolicLinkName,
  );
});

Deno.test("IoRegisterDeviceInterface: a reference string with \\ or / is STATUS_INVALID_DEVICE_REQUEST, and so is a device object that is not a PDO (IoRegisterDeviceInterface: Return value)", () => {
  const m = boot();
  const { pdo } = machineWithDevice(m, { enableAt: "never" });
  const k = m.kernel;
  assertStatus(
    k.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "a\\b").status,
    STATUS_INVALID_DEVICE_REQUEST,
  );
  assertStatus(
    k.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "a/b").status,
    STATUS_INVALID_DEVICE_REQUEST,
  );
  const fdo = pdo.AttachedDevice;
  assert.ok(fdo, "the function driver attached an FDO");
  const r = k.IoRegisterDeviceInterface(fdo, GUID_WINETEST);
  assertStatus(r.status, STATUS_INVALID_DEVICE_REQUEST);
  assert.equal(r.symbolicLinkName, undefined);
  // Nothing was registered by the failed calls.
  assert.deepEqual(
    k.IoGetDeviceInterfaces(GUID_WINETEST, null, DEVICE_INTERFACE_INCLUDE_NONACTIVE)
      .symbolicLinkList,
    [LINK],
  );
});

Deno.test("IoRegisterDeviceInterface: an empty reference string is no reference string (ReactOS deviface.c; subkey '#')", () => {
  const m = boot();
  const { pdo } = machineWithDevice(m, { enableAt: "never" });
  const r = m.kernel.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "");
  assertStatus(r.status, STATUS_OBJECT_NAME_EXISTS);
  assert.equal(r.symbolicLinkName, LINK);
  assert.deepEqual(m.registry.subkeys(DEVICE_KEY), ["#"]);
});

Deno.test("IoRegisterDeviceInterface: a malformed GUID is STATUS_INVALID_PARAMETER, never an exception (ground rule: routines return NTSTATUS values, never exceptions)", () => {
  const m = boot();
  const { pdo } = machineWithDevice(m, { enableAt: "never" });
  for (
    const bad of [
      "deadbeef-29ef-4538-a5fd-b69573a362c2",
      "{deadbeef}",
      "",
      "{zzzzzzzz-29ef-4538-a5fd-b69573a362c2}",
    ]
  ) {
    assertStatus(
      m.kernel.IoRegisterDeviceInterface(pdo, bad).status,
      STATUS_INVALID_PARAMETER,
      bad,
    );
  }
});

Deno.test("IoRegisterDeviceInterface: registry layout DeviceClasses\\{guid}\\##?#...#{guid} (DeviceInstance) \\# (SymbolicLink \\\\?\\...), non-volatile (docs/interfaces.md#if-register; ReactOS IoRegisterDeviceInterface; seed: instance-specific persistent storage)", () => {
  const m = boot();
  const { pdo } = machineWithDevice(m, { enableAt: "never" });
  m.kernel.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "Wave0");
  assert.deepEqual(m.registry.getValue(DEVICE_KEY, "DeviceInstance"), {
    type: REG_SZ,
    data: "Wine\\Test\\1",
  });
  assert.deepEqual(m.registry.getValue(`${DEVICE_KEY}\\#`, "SymbolicLink"), {
    type: REG_SZ,
    data: "\\\\?\\Wine#Test#1#{deadbeef-29ef-4538-a5fd-b69573a362c2}",
  });
  assert.deepEqual(m.registry.getValue(`${DEVICE_KEY}\\#Wave0`, "SymbolicLink"), {
    type: REG_SZ,
    data: "\\\\?\\Wine#Test#1#{deadbeef-29ef-4538-a5fd-b69573a362c2}\\Wave0",
  });
  for (const key of [CLASS_KEY, DEVICE_KEY, `${DEVICE_KEY}\\#`, `${DEVICE_KEY}\\#Wave0`]) {
    assert.equal(m.registry.isVolatile(key), false, key);
  }
});

Deno.test("IoRegisterDeviceInterface: registrations persist across a reboot, disabled until the driver enables them again (IoRegisterDeviceInterface: Remarks; overview of device interface classes)", () => {
  const m = boot();
  // The device's driver only registers; the host registers a second interface on the PDO.
  const { pdo } = machineWithDevice(m, { enableAt: "never" });
  const extra = m.kernel.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "Extra").symbolicLinkName!;
  assertStatus(m.kernel.IoSetDeviceInterfaceState(extra, true), STATUS_SUCCESS);
  m.settle();
  assert.deepEqual(m.kernel.IoGetDeviceInterfaces(GUID_WINETEST, null, 0).symbolicLinkList, [
    extra,
  ]);
  m.reboot();
  const k = m.kernel;
  assert.deepEqual(k.IoGetDeviceInterfaces(GUID_WINETEST, null, 0).symbolicLinkList, []);
  assert.deepEqual(
    k.IoGetDeviceInterfaces(GUID_WINETEST, null, DEVICE_INTERFACE_INCLUDE_NONACTIVE)
      .symbolicLinkList,
    [LINK, extra],
  );
  assert.equal(m.registry.exists(`${DEVICE_KEY}\\#Extra\\Control`), false, "Control is volatile");
  const again = k.IoRegisterDeviceInterface(m.device("Wine\\Test\\1")!, GUID_WINETEST, "Extra");
  assertStatus(again.status, STATUS_OBJECT_NAME_EXISTS);
  assert.equal(again.symbolicLinkName, extra);
  assertStatus(k.IoSetDeviceInterfaceState(extra, true), STATUS_SUCCESS);
});

// ---- IoSetDeviceInterfaceState ----------------------------------------------------------------------

Deno.test("IoSetDeviceInterfaceState: SUCCESS, then STATUS_OBJECT_NAME_EXISTS for a second enable, STATUS_OBJECT_NAME_NOT_FOUND for disabling a disabled or unknown link (IoSetDeviceInterfaceState: Return value; Wine pnp.c)", () => {
  const m = boot();
  const { link } = machineWithDevice(m, { enableAt: "never" });
  const k = m.kernel;
  assertStatus(k.IoSetDeviceInterfaceState(link, true), STATUS_SUCCESS);
  assertStatus(k.IoSetDeviceInterfaceState(link, true), STATUS_OBJECT_NAME_EXISTS);
  assertStatus(k.IoSetDeviceInterfaceState(link, false), STATUS_SUCCESS);
  assertStatus(k.IoSetDeviceInterfaceState(link, false), STATUS_OBJECT_NAME_NOT_FOUND);
  const unknown = `\\??\\Wine#Test#1#${GUID_WINETEST_2}`;
  assertStatus(k.IoSetDeviceInterfaceState(unknown, false), STATUS_OBJECT_NAME_NOT_FOUND);
  assertStatus(k.IoSetDeviceInterfaceState(unknown, true), STATUS_OBJECT_NAME_NOT_FOUND);
});

Deno.test("IoSetDeviceInterfaceState: a malformed symbolic link name is STATUS_INVALID_PARAMETER (ReactOS IoSetDeviceInterfaceState: prefix \\??\\ or \\\\?\\ and a GUID)", () => {
  const m = boot();
  machineWithDevice(m, { enableAt: "never" });
  for (
    const bad of [
      "",
      "Wine#Test#1",
      "\\??\\Wine#Test#1",
      "\\??\\Wine#Test#1#{not-a-guid}",
      "\\Device\\00000001",
    ]
  ) {
    assertStatus(
      m.kernel.IoSetDeviceInterfaceState(bad, true),
      STATUS_INVALID_PARAMETER,
      JSON.stringify(bad),
    );
  }
});

Deno.test("IoSetDeviceInterfaceState: enabling writes #ref\\Control\\Linked = 1 in a volatile Control key; disabling sets it to 0 (docs/interfaces.md#if-enable-disable; setupapi is_linked)", () => {
  const m = boot();
  const { link } = machineWithDevice(m, { enableAt: "never" });
  assertStatus(m.kernel.IoSetDeviceInterfaceState(link, true), STATUS_SUCCESS);
  assert.deepEqual(m.registry.getValue(`${DEVICE_KEY}\\#\\Control`, "Linked"), {
    type: REG_DWORD,
    data: 1,
  });
  assert.equal(m.registry.isVolatile(`${DEVICE_KEY}\\#\\Control`), true);
  assert.equal(m.registry.isVolatile(`${DEVICE_KEY}\\#`), false);
  assertStatus(m.kernel.IoSetDeviceInterfaceState(link, false), STATUS_SUCCESS);
  assert.deepEqual(m.registry.getValue(`${DEVICE_KEY}\\#\\Control`, "Linked"), {
    type: REG_DWORD,
    data: 0,
  });
});

for (const enableAt of ["AddDevice", "START before passing down", "START after lower"] as const) {
  Deno.test(`IoSetDeviceInterfaceState: enabled in ${enableAt}, the ARRIVAL notification waits until IRP_MN_START_DEVICE has completed for the whole stack (IoSetDeviceInterfaceState: Remarks)`, () => {
    const m = boot();
    const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST);
    const { driver } = machineWithDevice(m, { enableAt });
    assertStatus(driver.results.find((r) => r.call === "enable")?.status, STATUS_SUCCESS);
    const arrivals = told(m, l.target).filter((t) =>
      t.eventName === "GUID_DEVICE_INTERFACE_ARRIVAL"
    );
    assert.equal(arrivals.length, 1);
    const started = lastIrpCompletion(m, "IRP_MN_START_DEVICE", "Wine\\Test\\1");
    assert.ok(started > 0, "START completed");
    assert.ok(
      arrivals[0]!.seq > started,
      `ARRIVAL (#${
        arrivals[0]!.seq
      }) comes after START completed for the whole stack (#${started})`,
    );
    const enableCall = m.trace.find((e) =>
      e.kind === "call" && e.routine === "IoSetDeviceInterfaceState"
    )!;
    assert.ok(enableCall.seq < started, "the enable itself happened before START completed");
  });
}

Deno.test("IoSetDeviceInterfaceState: opens fail until IRP_MN_START_DEVICE has completed (IoSetDeviceInterfaceState: Remarks; an application and IoGetDeviceObjectPointer alike)", () => {
  const m = boot();
  const seen: { user?: number; kernel?: number } = {};
  const opened = { user: false, kernel: false };
  const { link } = machineWithDevice(m, {
    enableAt: "AddDevice",
    duringStart: (k, links) => {
      const u = m.app("early").openDevice(links[0]!);
      seen.user = u.status;
      opened.user = u.handle !== INVALID_HANDLE_VALUE;
      const r = k.IoGetDeviceObjectPointer(links[0]!, 0x120089);
      seen.kernel = r.status;
      opened.kernel = r.fileObject !== undefined;
    },
  });
  assert.equal(NT_SUCCESS(seen.user!), false, "CreateFile during START fails");
  assert.equal(NT_SUCCESS(seen.kernel!), false, "IoGetDeviceObjectPointer during START fails");
  assert.deepEqual(opened, { user: false, kernel: false });
  const after = m.openDevice(link);
  assertStatus(after.status, STATUS_SUCCESS);
  const r = m.kernel.IoGetDeviceObjectPointer(link, 0x120089);
  assertStatus(r.status, STATUS_SUCCESS);
  m.kernel.ObDereferenceObject(r.fileObject!);
  m.closeHandle(after.handle!);
});

Deno.test("IoSetDeviceInterfaceState: an interface enabled on a device whose START fails never arrives and cannot be opened (IoSetDeviceInterfaceState: Remarks)", () => {
  const m = boot();
  const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST);
  const driver = functionDriver("failstart", ["Wine\\Test"], { enableAt: "AddDevice" });
  const start = driver.spec.DispatchPnp!;
  driver.spec.DispatchPnp = (k, fdo, irp) => {
    if (k.IoGetCurrentIrpStackLocation(irp).MinorFunction === 0) {
      irp.IoStatus.Status = 0xc0000001;
      k.IoCompleteRequest(irp, 0);
      return 0xc0000001;
    }
    return start(k, fdo, irp);
  };
  m.loadDriver(driver.spec);
  m.plugIn({ hardwareIds: ["Wine\\Test"], instanceId: "1" });
  assert.equal(m.devnode("Wine\\Test\\1")?.state, "Removed");
  assert.deepEqual(
    told(m, l.target).filter((t) => t.eventName === "GUID_DEVICE_INTERFACE_ARRIVAL"),
    [],
  );
  assert.equal(NT_SUCCESS(m.openDevice(driver.links[0]!).status), false);
});

Deno.test("IoSetDeviceInterfaceState: PnP disables an interface the driver left enabled when it removes the device (one REMOVAL), and a later disable by the driver is STATUS_OBJECT_NAME_NOT_FOUND plus verifier finding PnpInterfaceDoubleDisable (IoSetDeviceInterfaceState: Remarks)", () => {
  const m = boot({ verifier: "warn" });
  const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST);
  const { pdo, link } = machineWithDevice(m, { disable: "never" });
  assertStatus(m.requestRemoval(pdo), STATUS_SUCCESS);
  const removals = told(m, l.target).filter((t) => t.eventName === "GUID_DEVICE_INTERFACE_REMOVAL");
  assert.equal(removals.length, 1);
  assert.equal(removals[0]!.symbolicLinkName, link);
  assert.deepEqual(m.kernel.IoGetDeviceInterfaces(GUID_WINETEST, null, 0).symbolicLinkList, []);
  assert.deepEqual(m.registry.getValue(`${DEVICE_KEY}\\#\\Control`, "Linked"), {
    type: REG_DWORD,
    data: 0,
  });
  assertStatus(m.kernel.IoSetDeviceInterfaceState(link, false), STATUS_OBJECT_NAME_NOT_FOUND);
  assert.deepEqual(m.verifier.findings.map((f) => f.rule), ["PnpInterfaceDoubleDisable"]);
  m.settle();
  assert.equal(
    told(m, l.target).filter((t) => t.eventName === "GUID_DEVICE_INTERFACE_REMOVAL").length,
    1,
  );
});

Deno.test("IoSetDeviceInterfaceState: after a surprise removal PnP disables an interface the driver left enabled, once: one REMOVAL, and the link cannot be opened (IoSetDeviceInterfaceState: Remarks)", () => {
  const m = boot({ verifier: "warn" });
  const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST);
  const { pdo, link } = machineWithDevice(m, { disable: "never" });
  m.unplug(pdo);
  const removals = told(m, l.target).filter((t) => t.eventName === "GUID_DEVICE_INTERFACE_REMOVAL");
  assert.deepEqual(removals.map((t) => t.symbolicLinkName), [link]);
  assert.deepEqual(m.kernel.IoGetDeviceInterfaces(GUID_WINETEST, null, 0).symbolicLinkList, []);
  assert.equal(NT_SUCCESS(m.openDevice(link).status), false);
  // The registration itself stays (IoRegisterDeviceInterface: registrations persist).
  assert.deepEqual(
    m.kernel.IoGetDeviceInterfaces(GUID_WINETEST, null, DEVICE_INTERFACE_INCLUDE_NONACTIVE)
      .symbolicLinkList,
    [link],
  );
});

Deno.test("IoSetDeviceInterfaceState: a driver that disables on SURPRISE_REMOVAL gives one REMOVAL, and PnP does not disable it a second time (IoSetDeviceInterfaceState: Remarks)", () => {
  const m = boot({ verifier: "warn" });
  const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST);
  const { pdo, driver } = machineWithDevice(m);
  m.unplug(pdo);
  assert.deepEqual(
    driver.results.filter((r) => r.call === "disable").map((r) => ntStatusName(r.status)),
    ["STATUS_SUCCESS"],
  );
  assert.equal(
    told(m, l.target).filter((t) => t.eventName === "GUID_DEVICE_INTERFACE_REMOVAL").length,
    1,
  );
  assert.deepEqual(m.verifier.findings, []);
});

// ---- IoGetDeviceInterfaces ----------------------------------------------------------------------------

Deno.test("IoGetDeviceInterfaces: only active interfaces unless DEVICE_INTERFACE_INCLUDE_NONACTIVE (IoGetDeviceInterfaces: Flags; ReactOS Control\\Linked filter)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const k = m.kernel;
  const idle = k.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "Idle").symbolicLinkName!;
  assert.deepEqual(k.IoGetDeviceInterfaces(GUID_WINETEST, null, 0), {
    status: STATUS_SUCCESS,
    symbolicLinkList: [link],
  });
  const all = k.IoGetDeviceInterfaces(GUID_WINETEST, null, DEVICE_INTERFACE_INCLUDE_NONACTIVE);
  assertStatus(all.status, STATUS_SUCCESS);
  assert.deepEqual([...all.symbolicLinkList!].sort(), [link, idle].sort());
});

Deno.test("IoGetDeviceInterfaces: a PDO narrows the list to that device (IoGetDeviceInterfaces: PhysicalDeviceObject)", () => {
  const m = boot();
  const driver = functionDriver("winetest", ["Wine\\Test"]);
  m.loadDriver(driver.spec);
  const one = m.plugIn({ hardwareIds: ["Wine\\Test"], instanceId: "1" });
  const two = m.plugIn({ hardwareIds: ["Wine\\Test"], instanceId: "2" });
  const k = m.kernel;
  assert.equal(k.IoGetDeviceInterfaces(GUID_WINETEST, null, 0).symbolicLinkList?.length, 2);
  assert.deepEqual(k.IoGetDeviceInterfaces(GUID_WINETEST, one, 0).symbolicLinkList, [
    driver.links[0],
  ]);
  assert.deepEqual(k.IoGetDeviceInterfaces(GUID_WINETEST, two, 0).symbolicLinkList, [
    driver.links[1],
  ]);
  assert.equal(driver.links[1], "\\??\\Wine#Test#2#{deadbeef-29ef-4538-a5fd-b69573a362c2}");
});

Deno.test("IoGetDeviceInterfaces: no match is STATUS_SUCCESS with an empty list, also for a class never registered (IoGetDeviceInterfaces: Return value)", () => {
  const m = boot();
  const { pdo } = machineWithDevice(m, { enableAt: "never" });
  assert.deepEqual(m.kernel.IoGetDeviceInterfaces(GUID_WINETEST, null, 0), {
    status: STATUS_SUCCESS,
    symbolicLinkList: [],
  });
  assert.deepEqual(
    m.kernel.IoGetDeviceInterfaces(GUID_WINETEST_2, pdo, DEVICE_INTERFACE_INCLUDE_NONACTIVE),
    {
      status: STATUS_SUCCESS,
      symbolicLinkList: [],
    },
  );
  assertStatus(
    m.kernel.IoGetDeviceInterfaces("not a guid", null, 0).status,
    STATUS_INVALID_PARAMETER,
  );
});

// ---- IoGetDeviceInterfaceAlias ------------------------------------------------------------------------

Deno.test("IoGetDeviceInterfaceAlias: two NULL-reference-string interfaces of one device are aliases; same device and reference string under another class (IoGetDeviceInterfaceAlias: Remarks)", () => {
  const m = boot();
  const { link, driver } = machineWithDevice(m, {
    interfaces: [{ guid: GUID_WINETEST }, { guid: GUID_WINETEST_2 }, {
      guid: GUID_WINETEST,
      ref: "Wave0",
    }, {
      guid: GUID_WINETEST_2,
      ref: "Wave0",
    }],
  });
  const [a, b, aRef, bRef] = driver.links;
  assert.equal(a, link);
  const k = m.kernel;
  assert.deepEqual(k.IoGetDeviceInterfaceAlias(a!, GUID_WINETEST_2), {
    status: STATUS_SUCCESS,
    aliasSymbolicLinkName: b,
  });
  assert.deepEqual(k.IoGetDeviceInterfaceAlias(b!, GUID_WINETEST), {
    status: STATUS_SUCCESS,
    aliasSymbolicLinkName: a,
  });
  assert.deepEqual(k.IoGetDeviceInterfaceAlias(aRef!, GUID_WINETEST_2.toUpperCase()), {
    status: STATUS_SUCCESS,
    aliasSymbolicLinkName: bRef,
  });
});

Deno.test("IoGetDeviceInterfaceAlias: no interface of the alias class for that device is STATUS_OBJECT_NAME_NOT_FOUND (IoGetDeviceInterfaceAlias: Return value)", () => {
  const m = boot();
  const { link } = machineWithDevice(m);
  const r = m.kernel.IoGetDeviceInterfaceAlias(link, GUID_WINETEST_2);
  assertStatus(r.status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(r.aliasSymbolicLinkName, undefined);
  // A different reference string is not an alias either.
  m.kernel.IoRegisterDeviceInterface(m.device("Wine\\Test\\1")!, GUID_WINETEST_2, "Other");
  assertStatus(
    m.kernel.IoGetDeviceInterfaceAlias(link, GUID_WINETEST_2).status,
    STATUS_OBJECT_NAME_NOT_FOUND,
  );
});

// ---- IoOpenDeviceInterfaceRegistryKey ------------------------------------------------------------------

Deno.test("IoOpenDeviceInterfaceRegistryKey: opens #ref\\Device Parameters, non-volatile: a non-volatile subkey can be created under it (seed page: opens a nonvolatile subkey; ReactOS kmtest)", () => {
  const m = boot();
  const { link } = machineWithDevice(m);
  const k = m.kernel;
  const r = k.IoOpenDeviceInterfaceRegistryKey(link, KEY_READ | KEY_WRITE);
  assertStatus(r.status, STATUS_SUCCESS);
  assert.ok(r.deviceInterfaceKey);
  assertStatus(
    k.ZwSetValueKey(r.deviceInterfaceKey, "FriendlyName", 0, REG_SZ, "Wine test"),
    STATUS_SUCCESS,
  );
  assert.deepEqual(m.registry.getValue(`${DEVICE_KEY}\\#\\Device Parameters`, "FriendlyName"), {
    type: REG_SZ,
    data: "Wine test",
  });
  assert.equal(m.registry.isVolatile(`${DEVICE_KEY}\\#\\Device Parameters`), false);
  const sub = k.ZwCreateKey(
    KEY_READ,
    {
      ObjectName: "ReactOS_kmtest",
      RootDirectory: r.deviceInterfaceKey,
    },
    0,
    null,
    REG_OPTION_NON_VOLATILE,
  );
  assertStatus(sub.status, STATUS_SUCCESS);
  assert.equal(m.registry.isVolatile(`${DEVICE_KEY}\\#\\Device Parameters\\ReactOS_kmtest`), false);
  k.ZwClose(sub.keyHandle);
  const q = k.ZwQueryValueKey(r.deviceInterfaceKey, "FriendlyName", KeyValuePartialInformation);
  assertStatus(q.status, STATUS_SUCCESS);
  assertStatus(k.ZwClose(r.deviceInterfaceKey), STATUS_SUCCESS);
});

Deno.test("IoOpenDeviceInterfaceRegistryKey: each reference string has its own key, and KEY_CREATE_SUB_KEY is allowed (IoOpenDeviceInterfaceRegistryKey; ReactOS kmtest)", () => {
  const m = boot();
  const { pdo } = machineWithDevice(m);
  const ref = m.kernel.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "Wave0").symbolicLinkName!;
  const r = m.kernel.IoOpenDeviceInterfaceRegistryKey(ref, KEY_CREATE_SUB_KEY);
  assertStatus(r.status, STATUS_SUCCESS);
  assert.equal(m.registry.exists(`${DEVICE_KEY}\\#Wave0\\Device Parameters`), true);
  m.kernel.ZwClose(r.deviceInterfaceKey);
});

Deno.test("IoOpenDeviceInterfaceRegistryKey: an unregistered link is STATUS_OBJECT_NAME_NOT_FOUND and creates nothing (IoOpenDeviceInterfaceRegistryKey: Return value)", () => {
  const m = boot();
  machineWithDevice(m);
  const unknown = `\\??\\Wine#Test#1#${GUID_WINETEST_2}`;
  const r = m.kernel.IoOpenDeviceInterfaceRegistryKey(unknown, KEY_READ);
  assertStatus(r.status, STATUS_OBJECT_NAME_NOT_FOUND);
  assert.equal(r.deviceInterfaceKey, undefined);
  assert.equal(m.registry.exists(`${CCS}\\Control\\DeviceClasses\\${GUID_WINETEST_2}`), false);
  assertStatus(
    m.kernel.IoOpenDeviceInterfaceRegistryKey("garbage", KEY_READ).status,
    STATUS_INVALID_PARAMETER,
  );
});

Deno.test("IoOpenDeviceInterfaceRegistryKey: KEY_ALL_ACCESS is STATUS_ACCESS_DENIED (Plug and Play Registry Routines: drivers should not specify KEY_ALL_ACCESS)", () => {
  const m = boot();
  const { link } = machineWithDevice(m);
  const r = m.kernel.IoOpenDeviceInterfaceRegistryKey(link, KEY_ALL_ACCESS);
  assertStatus(r.status, STATUS_ACCESS_DENIED);
  assert.equal(r.deviceInterfaceKey, undefined);
});

// ---- Notifications caused by the interface routines --------------------------------------------------

Deno.test("IoSetDeviceInterfaceState: each enable and disable of a started device's interface fires one ARRIVAL / REMOVAL with Version 1, Size 48 (IoSetDeviceInterfaceState: Remarks; DEVICE_INTERFACE_CHANGE_NOTIFICATION)", () => {
  const m = boot();
  const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST);
  const { link } = machineWithDevice(m, { enableAt: "never" });
  const k = m.kernel;
  k.IoSetDeviceInterfaceState(link, true);
  k.IoSetDeviceInterfaceState(link, true);
  k.IoSetDeviceInterfaceState(link, false);
  k.IoSetDeviceInterfaceState(link, false);
  m.settle();
  assert.deepEqual(l.received, [
    {
      Version: 1,
      Size: 48,
      Event: GUID_DEVICE_INTERFACE_ARRIVAL,
      InterfaceClassGuid: GUID_WINETEST,
      SymbolicLinkName: link,
    },
    {
      Version: 1,
      Size: 48,
      Event: GUID_DEVICE_INTERFACE_REMOVAL,
      InterfaceClassGuid: GUID_WINETEST,
      SymbolicLinkName: link,
    },
  ]);
});
