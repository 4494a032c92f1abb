/**
 * The device lifecycle against the documented IRP sequences: plug-in ("Adding a PnP Device to a
 * Running System"), START handled bus first, orderly removal with and without a veto, surprise
 * removal with an open handle, eject, stop/rebalance, failed start ("State Transitions for PnP
 * Devices"), filter stack order (toaster S11), raw devices and driver unload. Each test names the
 * page or reference section it checks; IRP orders are read from the trace.
 */
import assert from "node:assert/strict";
import {
  boot,
  CM_PROB_FAILED_INSTALL,
  CM_PROB_FAILED_START,
  CM_PROB_HELD_FOR_EJECT,
  type DeviceObject,
  EventCategoryHardwareProfileChange,
  interfaceFunctionDriver,
  IRP_MN_QUERY_DEVICE_RELATIONS,
  IRP_MN_QUERY_REMOVE_DEVICE,
  IRP_MN_QUERY_STOP_DEVICE,
  IRP_MN_START_DEVICE,
  type IrpEvent,
  type Machine,
  REG_MULTI_SZ,
  RemovalRelations,
  STATUS_INVALID_DEVICE_STATE,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_OBJECT_NAME_EXISTS,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../../mod.ts";
import {
  assertStatus,
  countIrps,
  enumKey,
  functionDriver,
  GUID_TEST_INTERFACE,
  irpSequence,
  irpSequenceAll,
  mark,
  pnpDispatches,
  route,
  since,
} from "./_helpers.ts";

/** A machine with the toaster-style interface driver for `ROOT\TOY`. */
function toyMachine(): Machine {
  const m = boot();
  m.loadDriver(
    interfaceFunctionDriver("toy", {
      hardwareIds: ["ROOT\\TOY"],
      interfaceGuid: GUID_TEST_INTERFACE,
    }),
  );
  return m;
}

/** A root bus (`ROOT\BUS`, driver `bus`) with two children `BUS\KID\0` and `BUS\KID\1` (driver `kid`). */
function busWithTwoChildren(
  busDriver = functionDriver("bus", ["ROOT\\BUS"]),
  kidDriver = functionDriver("kid", ["BUS\\KID"]),
): { m: Machine; bus: DeviceObject } {
  const m = boot();
  m.loadDriver(busDriver);
  m.loadDriver(kidDriver);
  const bus = m.plugIn("ROOT\\BUS");
  m.plugIn("BUS\\KID", bus);
  m.plugIn("BUS\\KID", bus);
  return { m, bus };
}

// ---- Plug-in ----------------------------------------------------------------------------------------

Deno.test("adding-a-pnp-device-to-a-running-system: a new PDO is asked for its DeviceID first, then capabilities, IDs, text, container, bus information and resources; the stack gets FILTER_RESOURCE_REQUIREMENTS before START", () => {
  const m = toyMachine();
  const from = mark(m);
  const pdo = m.plugIn({
    hardwareIds: ["ROOT\\TOY"],
    compatibleIds: ["ROOT\\TOY_COMPATIBLE"],
    description: "Toy",
    location: "Slot 1",
  });
  // The documentation promises only "DeviceID first"; the rest is the ReactOS order the model keeps.
  const identification = [
    "QUERY_ID(BusQueryDeviceID)",
    "QUERY_CAPABILITIES",
    "QUERY_ID(BusQueryInstanceID)",
    "QUERY_ID(BusQueryHardwareIDs)",
    "QUERY_ID(BusQueryCompatibleIDs)",
    "QUERY_DEVICE_TEXT(DeviceTextDescription)",
    "QUERY_DEVICE_TEXT(DeviceTextLocationInformation)",
    "QUERY_ID(BusQueryContainerID)",
    "QUERY_BUS_INFORMATION",
    "QUERY_RESOURCES",
    "QUERY_RESOURCE_REQUIREMENTS",
    // Step 5: after AddDevice, before resources are assigned and START.
    "FILTER_RESOURCE_REQUIREMENTS",
    "START_DEVICE",
  ];
  const sequence = irpSequence(m, "ROOT\\TOY\\0", from);
  assert.deepEqual(sequence.slice(0, identification.length), identification);
  // "Before drivers load: bus PDO only": nothing above the PDO saw them.
  const firstStart = pnpDispatches(m, from).findIndex((e) => e.minor === "IRP_MN_START_DEVICE");
  assert.ok(
    pnpDispatches(m, from).slice(0, firstStart)
      .filter((e) =>
        e.instance === "ROOT\\TOY\\0" && e.minor !== "IRP_MN_FILTER_RESOURCE_REQUIREMENTS"
      )
      .every((e) => e.device === String(pdo)),
  );
});

Deno.test("adding-a-pnp-device-to-a-running-system: after AddDevice come START, QUERY_CAPABILITIES, QUERY_PNP_DEVICE_STATE and BusRelations", () => {
  const m = toyMachine();
  const from = mark(m);
  const pdo = m.plugIn("ROOT\\TOY");
  const sequence = irpSequence(m, "ROOT\\TOY\\0", from);
  assert.deepEqual(sequence.slice(sequence.indexOf("START_DEVICE")), [
    "START_DEVICE",
    "QUERY_CAPABILITIES",
    "QUERY_PNP_DEVICE_STATE",
    "QUERY_DEVICE_RELATIONS(BusRelations)",
  ]);
  // AddDevice ran (the FDO was created) before START went out.
  const events = since(m, from);
  const addDevice = events.findIndex((e) =>
    e.kind === "call" && e.routine === "IoCreateDevice" && e.caller === "toy!AddDevice"
  );
  const start = events.findIndex((e) =>
    e.kind === "irp" && e.minor === "IRP_MN_START_DEVICE" && e.instance === "ROOT\\TOY\\0"
  );
  assert.ok(addDevice >= 0 && addDevice < start, "AddDevice before START");
  // Every IRP after AddDevice goes to the top of the stack and down to the PDO.
  assert.deepEqual(route(m, "ROOT\\TOY\\0", "QUERY_PNP_DEVICE_STATE", from), ["toy", "PnpManager"]);
  assert.equal(m.devnode(pdo)?.state, "Started");
});

Deno.test("postponing-pnp-irp-processing-until-lower-drivers-finish: START is handled bus first: the FDO's completion routine runs after the PDO completed", () => {
  const m = boot();
  const ranAt: number[] = [];
  m.loadDriver(functionDriver("busfirst", ["ROOT\\BUSFIRST"], {
    hooks: {
      [IRP_MN_START_DEVICE]: (k, fdo, irp) => {
        const lower = fdo.DeviceExtension.LowerDeviceObject as DeviceObject;
        k.IoCopyCurrentIrpStackLocationToNext(irp);
        k.IoSetCompletionRoutine(
          irp,
          () => {
            ranAt.push(m.trace.at(-1)!.seq);
            return STATUS_MORE_PROCESSING_REQUIRED;
          },
          null,
          true,
          true,
          true,
        );
        k.IoCallDriver(lower, irp);
        const status = irp.IoStatus.Status;
        k.IoCompleteRequest(irp, 0);
        return status;
      },
    },
  }));
  const from = mark(m);
  const pdo = m.plugIn("ROOT\\BUSFIRST");
  const completions = since(m, from).filter((e): e is IrpEvent =>
    e.kind === "irp" && e.phase === "complete" && e.minor === "IRP_MN_START_DEVICE"
  );
  assert.deepEqual(completions.map((e) => e.driver), ["PnpManager", "busfirst"]);
  assertStatus(completions[1]!.status, STATUS_SUCCESS);
  assert.equal(ranAt.length, 1);
  assert.ok(completions[0]!.seq <= ranAt[0]!, "the completion routine ran after the PDO completed");
  assert.ok(ranAt[0]! < completions[1]!.seq, "and before the FDO completed the IRP");
  assert.equal(m.devnode(pdo)?.state, "Started");
});

// ---- Orderly removal --------------------------------------------------------------------------------

// The relations are gathered first, from every device that goes:
// "Handling an IRP_MN_QUERY_REMOVE_DEVICE Request" has PnP notify the registrants of the device,
// its descendants and its relations before any QUERY_REMOVE IRP, so it knows them by then.
// (ReactOS's IopPrepareDeviceForRemoval asks each device right after its QUERY_REMOVE; the
// documentation decides.)
Deno.test("state-transitions-for-pnp-devices (orderly removal): every device that goes is asked for its RemovalRelations, then QUERY_REMOVE goes over the subtree, then REMOVE, children before parents", () => {
  const { m, bus } = busWithTwoChildren();
  const from = mark(m);
  assertStatus(m.requestRemoval(bus), STATUS_SUCCESS);
  assert.deepEqual(
    irpSequenceAll(m, from, [
      "QUERY_DEVICE_RELATIONS",
      "QUERY_REMOVE_DEVICE",
      "REMOVE_DEVICE",
      "CANCEL_REMOVE_DEVICE",
    ]),
    [
      "ROOT\\BUS\\0 QUERY_DEVICE_RELATIONS(RemovalRelations)",
      "BUS\\KID\\0 QUERY_DEVICE_RELATIONS(RemovalRelations)",
      "BUS\\KID\\1 QUERY_DEVICE_RELATIONS(RemovalRelations)",
      "BUS\\KID\\0 QUERY_REMOVE_DEVICE",
      "BUS\\KID\\1 QUERY_REMOVE_DEVICE",
      "ROOT\\BUS\\0 QUERY_REMOVE_DEVICE",
      "BUS\\KID\\0 REMOVE_DEVICE",
      "BUS\\KID\\1 REMOVE_DEVICE",
      "ROOT\\BUS\\0 REMOVE_DEVICE",
    ],
  );
  // QUERY_REMOVE and REMOVE: "top first, then down".
  assert.deepEqual(route(m, "BUS\\KID\\0", "QUERY_REMOVE_DEVICE", from), ["kid", "bus"]);
  assert.deepEqual(route(m, "ROOT\\BUS\\0", "REMOVE_DEVICE", from), ["bus", "PnpManager"]);
  // The device is still present: the PDO stays, the FDO detached and deleted itself.
  const info = m.devnode(bus)!;
  assert.equal(info.state, "Removed");
  assert.deepEqual(info.stack.map((s) => s.role), ["PDO"]);
});

Deno.test("state-transitions-for-pnp-devices (query-remove veto; docs/pnp.md#pnp-orderly-removal): a driver failing QUERY_REMOVE gets CANCEL_REMOVE, as does every device already queried", () => {
  const m = boot();
  m.loadDriver(functionDriver("bus", ["ROOT\\BUS"]));
  m.loadDriver(functionDriver("kid", ["BUS\\KID"]));
  m.loadDriver(
    functionDriver("veto", ["BUS\\VETO"], {
      fail: { [IRP_MN_QUERY_REMOVE_DEVICE]: STATUS_INVALID_DEVICE_STATE },
    }),
  );
  const bus = m.plugIn("ROOT\\BUS");
  m.plugIn("BUS\\KID", bus);
  m.plugIn("BUS\\VETO", bus);
  const from = mark(m);
  assertStatus(m.requestRemoval(bus), STATUS_INVALID_DEVICE_STATE);
  assert.deepEqual(
    irpSequenceAll(m, from, ["QUERY_REMOVE_DEVICE", "REMOVE_DEVICE", "CANCEL_REMOVE_DEVICE"]),
    [
      "BUS\\KID\\0 QUERY_REMOVE_DEVICE",
      "BUS\\VETO\\0 QUERY_REMOVE_DEVICE",
      // "CANCEL_REMOVE goes to every device already queried, including the one that failed."
      "BUS\\KID\\0 CANCEL_REMOVE_DEVICE",
      "BUS\\VETO\\0 CANCEL_REMOVE_DEVICE",
    ],
  );
  // The failing driver completed the IRP itself: it never reached the PDO.
  assert.deepEqual(route(m, "BUS\\VETO\\0", "QUERY_REMOVE_DEVICE", from), ["veto"]);
  for (const id of ["ROOT\\BUS\\0", "BUS\\KID\\0", "BUS\\VETO\\0"]) {
    assert.equal(m.devnode(id)?.state, "Started", id);
  }
});

Deno.test("state-transitions-for-pnp-devices (query-remove veto; docs/pnp.md#pnp-orderly-removal): when the parent fails QUERY_REMOVE, the children already queried are cancelled first", () => {
  const { m, bus } = busWithTwoChildren(
    functionDriver("bus", ["ROOT\\BUS"], {
      fail: { [IRP_MN_QUERY_REMOVE_DEVICE]: STATUS_UNSUCCESSFUL },
    }),
  );
  const from = mark(m);
  assertStatus(m.requestRemoval(bus), STATUS_UNSUCCESSFUL);
  assert.deepEqual(irpSequenceAll(m, from, ["CANCEL_REMOVE_DEVICE", "REMOVE_DEVICE"]), [
    "BUS\\KID\\0 CANCEL_REMOVE_DEVICE",
    "BUS\\KID\\1 CANCEL_REMOVE_DEVICE",
    "ROOT\\BUS\\0 CANCEL_REMOVE_DEVICE",
  ]);
  for (const id of ["ROOT\\BUS\\0", "BUS\\KID\\0", "BUS\\KID\\1"]) {
    assert.equal(m.devnode(id)?.state, "Started", id);
  }
});

// ---- Surprise removal -------------------------------------------------------------------------------

Deno.test("state-transitions-for-pnp-devices (surprise removal; Wine ntoskrnl.c test_pnp_devices, run on Windows): one SURPRISE_REMOVAL, no QUERY_REMOVE, REMOVE only after the last handle closes", () => {
  const m = toyMachine();
  const pdo = m.plugIn("ROOT\\TOY");
  const link = m.kernel.IoGetDeviceInterfaces(GUID_TEST_INTERFACE, null, 0).symbolicLinkList![0]!;
  const open = m.openDevice(link, { closeOnQueryRemove: false });
  assertStatus(open.status, STATUS_SUCCESS);
  const from = mark(m);
  m.unplug(pdo);
  const id = "ROOT\\TOY\\0";
  assert.deepEqual(irpSequence(m, id, from), ["SURPRISE_REMOVAL"], "the unplug sends nothing else");
  assert.equal(countIrps(m, id, "SURPRISE_REMOVAL", from), 1);
  assert.equal(countIrps(m, id, "QUERY_REMOVE_DEVICE", from), 0);
  assert.equal(countIrps(m, id, "CANCEL_REMOVE_DEVICE", from), 0);
  assert.equal(countIrps(m, id, "REMOVE_DEVICE", from), 0, "REMOVE waits for the open handle");
  assert.deepEqual(route(m, id, "SURPRISE_REMOVAL", from), ["toy", "PnpManager"]);
  assert.equal(m.devnode(pdo)?.state, "SurpriseRemoved");
  assert.equal(m.devnode(pdo)?.opens, 1);

  const closed = mark(m);
  assertStatus(m.closeHandle(open.handle!), STATUS_SUCCESS);
  assert.deepEqual(irpSequence(m, id, closed), ["REMOVE_DEVICE"]);
  assert.equal(countIrps(m, id, "SURPRISE_REMOVAL", from), 1, "still exactly one");
  assert.equal(m.devnode(pdo)?.state, "Absent");
  assert.equal(m.devices().includes(id), false);
});

// ---- Eject --------------------------------------------------------------------------------------------

Deno.test("IoRequestDeviceEject (docs/pnp.md#pnp-eject): eject query-removes and removes the stack, sends EJECT to the PDO, and the next enumeration deletes it", () => {
  const m = toyMachine();
  const pdo = m.plugIn({ hardwareIds: ["ROOT\\TOY"], ejectSupported: true });
  const from = mark(m);
  assertStatus(m.eject(pdo), STATUS_SUCCESS);
  const id = "ROOT\\TOY\\0";
  // "The PnP manager queries for RemovalRelations and EjectionRelations before it ejects a device"
  // (IRP_MN_QUERY_DEVICE_RELATIONS).
  assert.deepEqual(irpSequence(m, id, from), [
    "QUERY_DEVICE_RELATIONS(RemovalRelations)",
    "QUERY_DEVICE_RELATIONS(EjectionRelations)",
    "QUERY_REMOVE_DEVICE",
    "REMOVE_DEVICE",
    "EJECT",
    "REMOVE_DEVICE",
  ]);
  // "EJECT: bus PDO only": the function driver was already gone.
  assert.deepEqual(route(m, id, "EJECT", from), ["PnpManager"]);
  // The second REMOVE follows the parent's BusRelations that no longer lists the device.
  const all = irpSequenceAll(m, from);
  const eject = all.indexOf(`${id} EJECT`);
  const relations = all.indexOf("HTREE\\ROOT\\0 QUERY_DEVICE_RELATIONS(BusRelations)");
  const remove = all.lastIndexOf(`${id} REMOVE_DEVICE`);
  assert.ok(eject < relations && relations < remove, all.join("\n"));
  const deleted = since(m, from).find((e) =>
    e.kind === "call" && e.routine === "IoDeleteDevice" && e.caller === "PnpManager!DispatchPnp"
  );
  assert.ok(deleted, "the bus deleted its PDO on the second REMOVE");
  assert.equal(m.devnode(pdo)?.state, "Absent");
});

Deno.test("IoRequestDeviceEject (docs/pnp.md#pnp-eject): a removable device that cannot eject gets no EJECT and waits with CM_PROB_HELD_FOR_EJECT", () => {
  const m = toyMachine();
  const pdo = m.plugIn({ hardwareIds: ["ROOT\\TOY"], removable: true, ejectSupported: false });
  const from = mark(m);
  assertStatus(m.eject(pdo), STATUS_SUCCESS);
  assert.equal(countIrps(m, "ROOT\\TOY\\0", "EJECT", from), 0);
  assert.equal(m.devnode(pdo)?.problem, CM_PROB_HELD_FOR_EJECT);
});

// ---- Stop and rebalance -------------------------------------------------------------------------------

Deno.test("stopping-a-device-to-rebalance-resources: QUERY_STOP, STOP, then START with new resources", () => {
  const m = toyMachine();
  const pdo = m.plugIn("ROOT\\TOY");
  const from = mark(m);
  assertStatus(m.rebalance(pdo), STATUS_SUCCESS);
  assert.deepEqual(irpSequence(m, "ROOT\\TOY\\0", from), [
    "QUERY_STOP_DEVICE",
    "STOP_DEVICE",
    "START_DEVICE",
  ]);
  assert.equal(m.devnode(pdo)?.state, "Started");
  // Toaster S10: re-enabling the interface on restart answers STATUS_OBJECT_NAME_EXISTS (informational).
  const reenable = since(m, from).find((e) =>
    e.kind === "call" && e.routine === "IoSetDeviceInterfaceState"
  );
  assert.equal(reenable?.kind === "call" ? reenable.status : undefined, STATUS_OBJECT_NAME_EXISTS);
});

Deno.test("stopping-a-device-to-rebalance-resources: a driver failing QUERY_STOP gets CANCEL_STOP and keeps running", () => {
  const m = boot();
  m.loadDriver(
    functionDriver("busy", ["ROOT\\BUSY"], {
      fail: { [IRP_MN_QUERY_STOP_DEVICE]: STATUS_INVALID_DEVICE_STATE },
    }),
  );
  const pdo = m.plugIn("ROOT\\BUSY");
  const from = mark(m);
  assertStatus(m.rebalance(pdo), STATUS_INVALID_DEVICE_STATE);
  assert.deepEqual(irpSequence(m, "ROOT\\BUSY\\0", from), [
    "QUERY_STOP_DEVICE",
    "CANCEL_STOP_DEVICE",
  ]);
  assert.equal(m.devnode(pdo)?.state, "Started");
});

Deno.test("state-transitions-for-pnp-devices: a failed restart after a rebalance leads to SURPRISE_REMOVAL, then REMOVE", () => {
  const m = toyMachine();
  const pdo = m.plugIn("ROOT\\TOY");
  const from = mark(m);
  const status = m.rebalance(pdo, { failRestart: true });
  assert.notEqual(status, STATUS_SUCCESS);
  assert.deepEqual(irpSequence(m, "ROOT\\TOY\\0", from), [
    "QUERY_STOP_DEVICE",
    "STOP_DEVICE",
    "START_DEVICE",
    "SURPRISE_REMOVAL",
    "REMOVE_DEVICE",
  ]);
  assert.equal(m.devnode(pdo)?.problem, CM_PROB_FAILED_START);
});

// ---- Failed start -------------------------------------------------------------------------------------

Deno.test("state-transitions-for-pnp-devices: a failed START leads to REMOVE and problem CM_PROB_FAILED_START (10)", () => {
  const m = boot();
  m.loadDriver(
    functionDriver("broken", ["ROOT\\BROKEN"], {
      fail: { [IRP_MN_START_DEVICE]: STATUS_UNSUCCESSFUL },
    }),
  );
  const from = mark(m);
  const pdo = m.plugIn("ROOT\\BROKEN");
  const sequence = irpSequence(m, "ROOT\\BROKEN\\0", from);
  assert.deepEqual(sequence.slice(sequence.indexOf("START_DEVICE")), [
    "START_DEVICE",
    "REMOVE_DEVICE",
  ]);
  const info = m.devnode(pdo)!;
  assert.equal(info.problem, CM_PROB_FAILED_START);
  assert.equal(info.problemName, "CM_PROB_FAILED_START");
  assert.equal(info.state, "Removed");
  assert.deepEqual(info.stack.map((s) => s.role), ["PDO"], "the FDO detached and deleted itself");
});

// ---- Stack building -----------------------------------------------------------------------------------

Deno.test("toaster S11 (filter stack ordering): AddDevice runs lower device, lower class, FDO, upper device, upper class filters", () => {
  const m = boot();
  for (const name of ["devlower", "clslower", "devupper", "clsupper"]) m.loadDriver({ name });
  m.loadDriver({
    name: "toaster",
    hardwareIds: ["ROOT\\TOASTER"],
    classGuid: "{b85b7c50-6a01-11d2-b841-00c04fad5171}",
    className: "Toaster",
    classUpperFilters: ["clsupper"],
    classLowerFilters: ["clslower"],
  });
  // The INF's .HW section: device filters on the Enum key, written before the device arrives.
  m.registry.setValue(enumKey("ROOT\\TOASTER\\0"), "UpperFilters", REG_MULTI_SZ, ["devupper"]);
  m.registry.setValue(enumKey("ROOT\\TOASTER\\0"), "LowerFilters", REG_MULTI_SZ, ["devlower"]);
  const from = mark(m);
  const pdo = m.plugIn("ROOT\\TOASTER");
  const addDevices = since(m, from)
    .filter((e) =>
      e.kind === "call" && e.routine === "IoCreateDevice" && /!AddDevice$/.test(e.caller)
    )
    .map((e) => e.caller);
  assert.deepEqual(addDevices, [
    "devlower!AddDevice",
    "clslower!AddDevice",
    "toaster!AddDevice",
    "devupper!AddDevice",
    "clsupper!AddDevice",
  ]);
  const stack = m.devnode(pdo)!.stack;
  assert.deepEqual(stack.map((s) => s.driver), [
    "\\Driver\\clsupper",
    "\\Driver\\devupper",
    "\\Driver\\toaster",
    "\\Driver\\clslower",
    "\\Driver\\devlower",
    "\\Driver\\PnpManager",
  ]);
  assert.deepEqual(stack.map((s) => s.role), [
    "filter",
    "filter",
    "FDO",
    "filter",
    "filter",
    "PDO",
  ]);
  // IRPs enter at the top.
  assert.deepEqual(route(m, "ROOT\\TOASTER\\0", "START_DEVICE", from), [
    "clsupper",
    "devupper",
    "toaster",
    "clslower",
    "devlower",
    "PnpManager",
  ]);
});

Deno.test("RawDeviceOK (Wine enumerate_new_device; driver_pnp.c): a raw PDO starts without a function driver", () => {
  const m = boot();
  const from = mark(m);
  const pdo = m.plugIn({ hardwareIds: ["ROOT\\RAW"], rawDeviceOk: true });
  const info = m.devnode(pdo)!;
  assert.equal(info.state, "Started");
  assert.equal(info.problem, 0);
  assert.equal(info.service, null);
  assert.deepEqual(info.stack.map((s) => s.role), ["PDO"]);
  assert.deepEqual(route(m, "ROOT\\RAW\\0", "START_DEVICE", from), ["PnpManager"]);
});

Deno.test("RawDeviceOK (Wine enumerate_new_device; driver_pnp.c): without it and without a driver the device gets CM_PROB_FAILED_INSTALL (28)", () => {
  const m = boot();
  const from = mark(m);
  const pdo = m.plugIn({ hardwareIds: ["ROOT\\NODRIVER"] });
  const info = m.devnode(pdo)!;
  assert.equal(info.problem, CM_PROB_FAILED_INSTALL);
  assert.notEqual(info.state, "Started");
  assert.equal(countIrps(m, "ROOT\\NODRIVER\\0", "START_DEVICE", from), 0);
});

// ---- Unload -------------------------------------------------------------------------------------------

Deno.test("when-are-wdm-device-objects-created- (Unload): DriverUnload runs once the driver's last device is removed", () => {
  const m = boot();
  let unloads = 0;
  m.loadDriver(functionDriver("toy", ["ROOT\\TOY"], { Unload: () => void unloads++ }));
  const first = m.plugIn("ROOT\\TOY");
  const second = m.plugIn("ROOT\\TOY");
  assertStatus(m.requestRemoval(first), STATUS_SUCCESS);
  assert.equal(unloads, 0, "a device remains");
  assertStatus(m.requestRemoval(second), STATUS_SUCCESS);
  assert.equal(unloads, 1);
  assert.ok(
    m.trace.some((e) => e.kind === "info" && e.what === "unload driver"),
    "the trace shows the unload",
  );
});

Deno.test("when-are-wdm-device-objects-created- (Unload): a driver unloaded after its last device is loaded again (DriverEntry) for the next one", () => {
  const m = boot();
  let entries = 0;
  m.loadDriver(functionDriver("toy", ["ROOT\\TOY"], {
    DriverEntry: () => {
      entries++;
      return STATUS_SUCCESS;
    },
  }));
  const first = m.plugIn("ROOT\\TOY");
  m.unplug(first);
  assert.equal(entries, 1);
  const next = m.plugIn("ROOT\\TOY");
  assert.equal(entries, 2, "DriverEntry ran again");
  const info = m.devnode(next)!;
  assert.equal(info.state, "Started");
  assert.equal(info.service, "toy");
  assert.equal(info.problem, 0);
});

Deno.test("pnp-notification-overview (Unload): a notification registration keeps the driver loaded until it is unregistered", () => {
  const m = boot();
  let unloads = 0;
  const driver = m.loadDriver(functionDriver("holder", ["ROOT\\HOLDER"], {
    Unload: () => void unloads++,
  }));
  const pdo = m.plugIn("ROOT\\HOLDER");
  const reg = m.kernel.IoRegisterPlugPlayNotification(
    EventCategoryHardwareProfileChange,
    0,
    null,
    driver,
    () => STATUS_SUCCESS,
    null,
  );
  assertStatus(reg.status, STATUS_SUCCESS);
  assertStatus(m.requestRemoval(pdo), STATUS_SUCCESS);
  assert.equal(unloads, 0, "the registration holds the driver");
  assertStatus(m.kernel.IoUnregisterPlugPlayNotificationEx(reg.notificationEntry!), STATUS_SUCCESS);
  m.settle();
  assert.equal(unloads, 1);
});

Deno.test("IRP_MN_QUERY_DEVICE_RELATIONS: an eject also takes the device's RemovalRelations along (query-remove and REMOVE), as requestRemoval does", () => {
  const m = boot();
  m.loadDriver(functionDriver("other", ["ROOT\\OTHER"]));
  const other = m.plugIn("ROOT\\OTHER");
  m.loadDriver(relatedDriver("tied", "ROOT\\TIED", () => other));
  const tied = m.plugIn({ hardwareIds: ["ROOT\\TIED"], ejectSupported: true });
  const from = mark(m);
  assertStatus(m.eject(tied), STATUS_SUCCESS);
  assert.deepEqual(irpSequence(m, "ROOT\\OTHER\\0", from), [
    "QUERY_DEVICE_RELATIONS(RemovalRelations)",
    "QUERY_REMOVE_DEVICE",
    "REMOVE_DEVICE",
  ]);
  assert.equal(m.devnode(other)?.state, "Removed");
});

/** A function driver whose FDO reports `relation()` as its only removal relation. */
function relatedDriver(name: string, hardwareId: string, relation: () => DeviceObject) {
  return functionDriver(name, [hardwareId], {
    hooks: {
      [IRP_MN_QUERY_DEVICE_RELATIONS]: (k, fdo, irp) => {
        const type = k.IoGetCurrentIrpStackLocation(irp).Parameters.QueryDeviceRelations?.Type;
        if (type !== RemovalRelations) return undefined;
        const other = relation();
        k.ObReferenceObject(other);
        irp.IoStatus.Information = [other];
        irp.IoStatus.Status = STATUS_SUCCESS;
        k.IoSkipCurrentIrpStackLocation(irp);
        return k.IoCallDriver(fdo.DeviceExtension.LowerDeviceObject as DeviceObject, irp);
      },
    },
  });
}

Deno.test("IRP_MN_QUERY_DEVICE_RELATIONS (RemovalRelations): a child's removal relation goes with the child's parent, and that relation's own relation too; each is asked once and query-removed before anything is removed (ReactOS IopPrepareDeviceForRemoval, docs/pnp.md#pnp-orderly-removal: each removal relation is recursively query-removed)", () => {
  const m = boot();
  m.loadDriver(functionDriver("last", ["ROOT\\LAST"]));
  const last = m.plugIn("ROOT\\LAST");
  m.loadDriver(relatedDriver("middle", "ROOT\\MIDDLE", () => last));
  const middle = m.plugIn("ROOT\\MIDDLE");
  m.loadDriver(functionDriver("bus", ["ROOT\\BUS"]));
  m.loadDriver(relatedDriver("kid", "BUS\\KID", () => middle));
  const bus = m.plugIn("ROOT\\BUS");
  m.plugIn("BUS\\KID", bus);
  const from = mark(m);
  assertStatus(m.requestRemoval(bus), STATUS_SUCCESS);
  const all = irpSequenceAll(m, from, [
    "QUERY_DEVICE_RELATIONS",
    "QUERY_REMOVE_DEVICE",
    "REMOVE_DEVICE",
  ]);
  assert.deepEqual(all.filter((e) => e.includes("QUERY_DEVICE_RELATIONS")), [
    "ROOT\\BUS\\0 QUERY_DEVICE_RELATIONS(RemovalRelations)",
    "BUS\\KID\\0 QUERY_DEVICE_RELATIONS(RemovalRelations)",
    "ROOT\\MIDDLE\\0 QUERY_DEVICE_RELATIONS(RemovalRelations)",
    "ROOT\\LAST\\0 QUERY_DEVICE_RELATIONS(RemovalRelations)",
  ]);
  for (const id of ["BUS\\KID\\0", "ROOT\\MIDDLE\\0", "ROOT\\LAST\\0", "ROOT\\BUS\\0"]) {
    assert.deepEqual(
      irpSequence(m, id, from).filter((e) => !e.startsWith("QUERY_DEVICE_RELATIONS")),
      ["QUERY_REMOVE_DEVICE", "REMOVE_DEVICE"],
      id,
    );
  }
  // Every QUERY_REMOVE comes before the first REMOVE.
  const lastQuery = all.findLastIndex((e) => e.endsWith("QUERY_REMOVE_DEVICE"));
  assert.ok(lastQuery < all.findIndex((e) => e.endsWith(" REMOVE_DEVICE")), all.join("\n"));
  assert.equal(m.devnode(middle)?.state, "Removed");
  assert.equal(m.devnode(last)?.state, "Removed");
});
