/**
 * IoRegisterPlugPlayNotification and its unregistration against the documented rules: the seed page
 * (categories, structures, PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES and its
 * double-delivery warning, the driver-object reference, PASSIVE_LEVEL callbacks), the
 * IoUnregisterPlugPlayNotification(Ex) pages, "Guidelines for Writing PnP Notification Callback
 * Routines", bug check 0xCA, and the hardware-profile ordering (docs/notifications.md,
 * docs/profiles-runonce.md#profile-change; ReactOS's IoRegisterPlugPlayNotification and its kmtest
 * Test_IoRegisterPlugPlayNotification). Each test names its rule.
 */
import assert from "node:assert/strict";
import {
  boot,
  BugCheck,
  DelayedWorkQueue,
  DISPATCH_LEVEL,
  EventCategoryDeviceInterfaceChange,
  EventCategoryHardwareProfileChange,
  EventCategoryTargetDeviceChange,
  Executive,
  GUID_DEVICE_INTERFACE_ARRIVAL,
  GUID_HWPROFILE_CHANGE_CANCELLED,
  GUID_HWPROFILE_CHANGE_COMPLETE,
  GUID_HWPROFILE_QUERY_CHANGE,
  GUID_TARGET_DEVICE_QUERY_REMOVE,
  GUID_TARGET_DEVICE_REMOVE_COMPLETE,
  KernelMode,
  KEVENT,
  type Machine,
  type NotificationEntry,
  NotificationEvent,
  PnpHangError,
  PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
  STATUS_INVALID_PARAMETER,
  STATUS_NOT_SUPPORTED,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../../mod.ts";
import {
  appMessages,
  assertStatus,
  customNotification,
  GUID_WINETEST,
  GUID_WINETEST_2,
  listen,
  type Listener,
  machineWithDevice,
  mark,
  seqOf,
  told,
} from "./_notify_helpers.ts";

const INCLUDE_EXISTING = PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES;

/** A started device with `count` enabled interfaces of GUID_WINETEST (reference strings i0, i1 ...). */
function deviceWithInterfaces(m: Machine, count: number): string[] {
  const { pdo } = machineWithDevice(m, { enableAt: "never" });
  const links: string[] = [];
  for (let i = 0; i < count; i++) {
    const link = m.kernel.IoRegisterDeviceInterface(pdo, GUID_WINETEST, `i${i}`).symbolicLinkName!;
    assertStatus(m.kernel.IoSetDeviceInterfaceState(link, true), STATUS_SUCCESS);
    links.push(link);
  }
  m.settle();
  return links;
}

/** How many times each link reached `target` with an ARRIVAL. */
function arrivalsPerLink(m: Machine, target: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of told(m, target)) {
    if (t.eventName !== "GUID_DEVICE_INTERFACE_ARRIVAL") continue;
    counts.set(t.symbolicLinkName!, (counts.get(t.symbolicLinkName!) ?? 0) + 1);
  }
  return counts;
}

// ---- Registration and structures ------------------------------------------------------------------

Deno.test("IoRegisterPlugPlayNotification: all three categories register with STATUS_SUCCESS, and each callback gets its structure with Version 1 and the x64 Size: 48, 32, 20 (IoRegisterPlugPlayNotification: EventCategory; PLUGPLAY_NOTIFICATION_HEADER)", () => {
  const m = boot({ hardwareProfiles: ["Docked", "Undocked"] });
  const iface = listen(m, "ifacewatch", EventCategoryDeviceInterfaceChange, GUID_WINETEST);
  const profile = listen(m, "profilewatch", EventCategoryHardwareProfileChange, null);
  const { link, pdo } = machineWithDevice(m);
  const open = m.kernel.IoGetDeviceObjectPointer(link, 0x120089);
  const target = listen(m, "targetwatch", EventCategoryTargetDeviceChange, open.fileObject, {
    onEvent: (n) => {
      if (n.Event === GUID_TARGET_DEVICE_QUERY_REMOVE) {
        m.kernel.ObDereferenceObject(open.fileObject!);
      }
    },
  });
  for (const l of [iface, profile, target]) assertStatus(l.status, STATUS_SUCCESS, l.target);
  assertStatus(m.changeHardwareProfile("Undocked"), STATUS_SUCCESS);
  assertStatus(m.requestRemoval(pdo), STATUS_SUCCESS);
  assert.deepEqual(iface.received[0], {
    Version: 1,
    Size: 48,
    Event: GUID_DEVICE_INTERFACE_ARRIVAL,
    InterfaceClassGuid: GUID_WINETEST,
    SymbolicLinkName: link,
  });
  assert.deepEqual(profile.received, [
    { Version: 1, Size: 20, Event: GUID_HWPROFILE_QUERY_CHANGE },
    { Version: 1, Size: 20, Event: GUID_HWPROFILE_CHANGE_COMPLETE },
  ]);
  assert.deepEqual(target.received, [
    { Version: 1, Size: 32, Event: GUID_TARGET_DEVICE_QUERY_REMOVE, FileObject: open.fileObject },
    {
      Version: 1,
      Size: 32,
      Event: GUID_TARGET_DEVICE_REMOVE_COMPLETE,
      FileObject: open.fileObject,
    },
  ]);
});

Deno.test("IoRegisterPlugPlayNotification: a custom event's structure keeps the Size the reporter passed (36 + data) and its data (TARGET_DEVICE_CUSTOM_NOTIFICATION)", () => {
  const m = boot();
  const { link, pdo } = machineWithDevice(m);
  const open = m.kernel.IoGetDeviceObjectPointer(link, 0x120089);
  const target = listen(m, "targetwatch", EventCategoryTargetDeviceChange, open.fileObject);
  const data = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x01]);
  assertStatus(m.kernel.IoReportTargetDeviceChange(pdo, customNotification(data)), STATUS_SUCCESS);
  const n = target.received[0] as ReturnType<typeof customNotification>;
  assert.equal(n.Version, 1);
  assert.equal(n.Size, 41);
  assert.equal(n.NameBufferOffset, -1);
  assert.deepEqual([...n.CustomDataBuffer], [...data]);
});

Deno.test("IoRegisterPlugPlayNotification: a bad category is STATUS_NOT_SUPPORTED; INCLUDE_EXISTING outside the interface category, data for the profile category or a malformed class GUID is STATUS_INVALID_PARAMETER (seed page: EventCategoryFlags, EventCategoryData; ReactOS pnpnotify.c)", () => {
  const m = boot();
  const d = m.loadDriver({ name: "listener" });
  const k = m.kernel;
  const cb = () => STATUS_SUCCESS;
  assertStatus(k.IoRegisterPlugPlayNotification(7, 0, null, d, cb).status, STATUS_NOT_SUPPORTED);
  assertStatus(
    k.IoRegisterPlugPlayNotification(
      EventCategoryHardwareProfileChange,
      INCLUDE_EXISTING,
      null,
      d,
      cb,
    ).status,
    STATUS_INVALID_PARAMETER,
  );
  assertStatus(
    k.IoRegisterPlugPlayNotification(EventCategoryHardwareProfileChange, 0, GUID_WINETEST, d, cb)
      .status,
    STATUS_INVALID_PARAMETER,
  );
  assertStatus(
    k.IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange, 0, "{bad}", d, cb).status,
    STATUS_INVALID_PARAMETER,
  );
});

// ---- Include-existing replay --------------------------------------------------------------------------

Deno.test("IoRegisterPlugPlayNotification: INCLUDE_EXISTING calls the callback for each enabled interface synchronously, inside the registration call; disabled and other-class interfaces are not replayed (seed page: EventCategoryFlags; ReactOS pnpnotify.c)", () => {
  const m = boot();
  const links = deviceWithInterfaces(m, 3);
  const k = m.kernel;
  k.IoSetDeviceInterfaceState(links[1]!, false);
  const other = k.IoRegisterDeviceInterface(m.device("Wine\\Test\\1")!, GUID_WINETEST_2)
    .symbolicLinkName!;
  k.IoSetDeviceInterfaceState(other, true);
  m.settle();
  const before = mark(m);
  let returned = false;
  const insideRegistration: boolean[] = [];
  const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST, {
    flags: INCLUDE_EXISTING,
    onEvent: () => insideRegistration.push(!returned),
  });
  returned = true;
  assertStatus(l.status, STATUS_SUCCESS);
  assert.deepEqual(l.received.map((n) => "SymbolicLinkName" in n && n.SymbolicLinkName), [
    links[0],
    links[2],
  ]);
  assert.deepEqual(insideRegistration, [true, true]);
  // The trace records the call on entry; the replayed notifications follow it, before anything else.
  const call = seqOf(
    m,
    (e) => e.kind === "call" && e.routine === "IoRegisterPlugPlayNotification",
    before,
  );
  const replays = told(m, l.target);
  assert.deepEqual(replays.map((t) => t.note), [
    "include-existing replay",
    "include-existing replay",
  ]);
  assert.ok(replays.every((t) => t.seq > call));
  const event = m.trace.find((e) => e.seq === call);
  assert.equal(event?.kind === "call" && event.statusName, "STATUS_SUCCESS");
  m.settle();
  assert.equal(l.received.length, 2, "no second delivery by default");
});

Deno.test("IoRegisterPlugPlayNotification: boot({ includeExistingDuplicates: 'always' }) reproduces the documented second call for an existing interface, after the registration returns (seed page: Warning)", () => {
  const m = boot({ includeExistingDuplicates: "always" });
  const links = deviceWithInterfaces(m, 2);
  const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST, {
    flags: INCLUDE_EXISTING,
  });
  assert.equal(l.received.length, 2, "one delivery each inside the registration");
  m.settle();
  assert.deepEqual([...arrivalsPerLink(m, l.target).entries()], [[links[0], 2], [links[1], 2]]);
  assert.deepEqual(told(m, l.target).map((t) => t.note), [
    "include-existing replay",
    "include-existing replay",
    "second delivery of an existing interface (documented)",
    "second delivery of an existing interface (documented)",
  ]);
});

Deno.test("IoRegisterPlugPlayNotification: never more than two deliveries of one existing interface, even when its own arrival is still queued at registration (seed page: Warning)", () => {
  for (const duplicates of ["always", "never"] as const) {
    const m = boot({ includeExistingDuplicates: duplicates });
    const { link } = machineWithDevice(m, { enableAt: "never" });
    // The arrival is queued, not yet delivered, when the callback registers: the documented race.
    assertStatus(m.kernel.IoSetDeviceInterfaceState(link, true), STATUS_SUCCESS);
    const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST, {
      flags: INCLUDE_EXISTING,
    });
    m.settle();
    assert.equal(
      arrivalsPerLink(m, l.target).get(link),
      2,
      `includeExistingDuplicates: ${duplicates}`,
    );
  }
});

Deno.test("IoRegisterPlugPlayNotification: includeExistingDuplicates { seed } picks per interface, reproducibly (same seed, same trace JSON), and never three deliveries (seed page: Warning; ground rule: same steps give the same trace)", () => {
  const run = (seed: number) => {
    const m = boot({ includeExistingDuplicates: { seed } });
    deviceWithInterfaces(m, 12);
    const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST, {
      flags: INCLUDE_EXISTING,
    });
    m.settle();
    return { counts: [...arrivalsPerLink(m, l.target).values()], json: JSON.stringify(m.trace) };
  };
  const seen = new Set<number>();
  for (const seed of [1, 2, 3, 42, 1234]) {
    const a = run(seed);
    const b = run(seed);
    assert.equal(a.json, b.json, `seed ${seed}: identical traces`);
    assert.equal(a.counts.length, 12);
    for (const c of a.counts) {
      assert.ok(c === 1 || c === 2, `seed ${seed}: ${c} deliveries`);
      seen.add(c);
    }
  }
  assert.deepEqual([...seen].sort(), [1, 2], "some interfaces once, some twice");
});

// ---- Driver object reference ---------------------------------------------------------------------------

Deno.test("IoRegisterPlugPlayNotification: the registration references the driver object, so its Unload does not run until the registration is removed (seed page: DriverObject; IoUnregisterPlugPlayNotificationEx: Remarks)", () => {
  const m = boot();
  const unloads: string[] = [];
  const { pdo, driverObject } = machineWithDevice(m, {
    Unload: (_k, d) => void unloads.push(d.DriverName),
  });
  const l = listen(m, "unused", EventCategoryHardwareProfileChange, null, { driver: driverObject });
  assertStatus(l.status, STATUS_SUCCESS);
  assertStatus(m.requestRemoval(pdo), STATUS_SUCCESS);
  assert.equal(m.devnode(pdo)?.stack.length, 1, "the driver's last device is gone");
  assert.deepEqual(unloads, [], "the registration holds the driver loaded");
  const unloaded = () =>
    m.trace.some((e) =>
      e.kind === "info" && e.what === "unload driver" &&
      e.detail?.driver === driverObject.DriverName
    );
  assert.equal(unloaded(), false);
  assertStatus(m.kernel.IoUnregisterPlugPlayNotificationEx(l.entry!), STATUS_SUCCESS);
  assert.deepEqual(unloads, [driverObject.DriverName]);
  assert.equal(unloaded(), true);
});

// ---- Unregistration ---------------------------------------------------------------------------------------

Deno.test("IoUnregisterPlugPlayNotification: returns STATUS_SUCCESS, but an event queued before it may still arrive (a late callback); later events do not (IoUnregisterPlugPlayNotification: Remarks; ReactOS kmtest)", () => {
  const m = boot();
  const { link } = machineWithDevice(m, { enableAt: "never" });
  const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST);
  assertStatus(m.kernel.IoSetDeviceInterfaceState(link, true), STATUS_SUCCESS);
  assertStatus(m.kernel.IoUnregisterPlugPlayNotification(l.entry!), STATUS_SUCCESS);
  m.settle();
  assert.deepEqual(told(m, l.target).map((t) => [t.eventName, t.note]), [
    ["GUID_DEVICE_INTERFACE_ARRIVAL", "late callback after IoUnregisterPlugPlayNotification"],
  ]);
  m.kernel.IoSetDeviceInterfaceState(link, false);
  m.settle();
  assert.equal(l.received.length, 1, "nothing queued after the unregistration arrives");
});

Deno.test("IoUnregisterPlugPlayNotificationEx: no callback after it returns, not even for an event queued before it (IoUnregisterPlugPlayNotificationEx: Remarks)", () => {
  const m = boot();
  const { link } = machineWithDevice(m, { enableAt: "never" });
  const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST);
  assertStatus(m.kernel.IoSetDeviceInterfaceState(link, true), STATUS_SUCCESS);
  assertStatus(m.kernel.IoUnregisterPlugPlayNotificationEx(l.entry!), STATUS_SUCCESS);
  m.settle();
  assert.deepEqual(l.received, []);
  assert.deepEqual(told(m, l.target), []);
});

Deno.test("IoUnregisterPlugPlayNotificationEx after the non-Ex form on the same entry still guarantees no callback after it returns (IoUnregisterPlugPlayNotificationEx: Remarks)", () => {
  const m = boot();
  const { link } = machineWithDevice(m, { enableAt: "never" });
  const l = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST);
  assertStatus(m.kernel.IoSetDeviceInterfaceState(link, true), STATUS_SUCCESS);
  assertStatus(m.kernel.IoUnregisterPlugPlayNotification(l.entry!), STATUS_SUCCESS);
  assertStatus(m.kernel.IoUnregisterPlugPlayNotificationEx(l.entry!), STATUS_SUCCESS);
  m.settle();
  assert.deepEqual(l.received, []);
});

Deno.test("IoUnregisterPlugPlayNotificationEx: safe to call from inside the callback itself; nothing arrives after it (IoUnregisterPlugPlayNotificationEx: Remarks)", () => {
  const m = boot();
  const { pdo } = machineWithDevice(m, { enableAt: "never" });
  const k = m.kernel;
  const a = k.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "a").symbolicLinkName!;
  const b = k.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "b").symbolicLinkName!;
  const statuses: number[] = [];
  const l: Listener = listen(m, "listener", EventCategoryDeviceInterfaceChange, GUID_WINETEST, {
    onEvent: () => statuses.push(k.IoUnregisterPlugPlayNotificationEx(l.entry!)),
  });
  k.IoSetDeviceInterfaceState(a, true);
  k.IoSetDeviceInterfaceState(b, true);
  m.settle();
  assert.equal(m.halted, false);
  assert.deepEqual(statuses.map((s) => s === STATUS_SUCCESS), [true]);
  assert.deepEqual(l.received.map((n) => "SymbolicLinkName" in n && n.SymbolicLinkName), [a]);
});

Deno.test("IoUnregisterPlugPlayNotificationEx: from the callback during the INCLUDE_EXISTING replay, before IoRegisterPlugPlayNotification returned, is the documented deadlock: PnpHangError (IoUnregisterPlugPlayNotificationEx: Remarks)", () => {
  const m = boot();
  deviceWithInterfaces(m, 1);
  const d = m.loadDriver({ name: "listener" });
  const k = m.kernel;
  // In C the NotificationEntry out-parameter is already written when the replay calls back; the JS
  // facade returns it only at the end, so the callback finds its own entry in the PnP manager's list.
  const ownEntry = () => m._sys.notify.registrations.at(-1)!.entry;
  assert.throws(
    () =>
      k.IoRegisterPlugPlayNotification(
        EventCategoryDeviceInterfaceChange,
        INCLUDE_EXISTING,
        GUID_WINETEST,
        d,
        () => {
          k.IoUnregisterPlugPlayNotificationEx(ownEntry());
          return STATUS_SUCCESS;
        },
      ),
    (e: unknown) =>
      e instanceof PnpHangError && /IoUnregisterPlugPlayNotificationEx/.test(e.message),
  );
  assert.equal(m.halted, false, "a hang, not a bug check");
  // The same call is fine once the registration has returned.
  const l = listen(m, "later", EventCategoryDeviceInterfaceChange, GUID_WINETEST, {
    flags: INCLUDE_EXISTING,
  });
  assertStatus(k.IoUnregisterPlugPlayNotificationEx(l.entry!), STATUS_SUCCESS);
});

// ---- Delivery ---------------------------------------------------------------------------------------------

Deno.test("IoRegisterPlugPlayNotification: callbacks run at PASSIVE_LEVEL, even for an event reported at DISPATCH_LEVEL (seed page: the PnP manager calls driver callback routines at IRQL = PASSIVE_LEVEL)", () => {
  const m = boot({ hardwareProfiles: ["Docked", "Undocked"] });
  const k = m.kernel;
  const irqls: number[] = [];
  const onEvent = () => void irqls.push(k.KeGetCurrentIrql());
  const { link, pdo } = machineWithDevice(m, { enableAt: "never" });
  listen(m, "ifacewatch", EventCategoryDeviceInterfaceChange, GUID_WINETEST, { onEvent });
  listen(m, "profilewatch", EventCategoryHardwareProfileChange, null, { onEvent });
  k.IoSetDeviceInterfaceState(link, true);
  m.settle();
  const open = k.IoGetDeviceObjectPointer(link, 0x120089);
  listen(m, "targetwatch", EventCategoryTargetDeviceChange, open.fileObject, { onEvent });
  const old = k.KeRaiseIrql(DISPATCH_LEVEL);
  assertStatus(k.IoReportTargetDeviceChangeAsynchronous(pdo, customNotification()), 0x103);
  k.KeLowerIrql(old);
  m.settle();
  m.changeHardwareProfile("Undocked");
  assert.ok(irqls.length >= 4, `${irqls.length} callbacks`);
  assert.deepEqual(new Set(irqls), new Set([0]));
});

Deno.test("IoRegisterPlugPlayNotification: callbacks run one at a time, in registration order; an event a callback causes waits until the current one has been delivered to everyone (ReactOS pnpnotify.c; guidelines for writing PnP notification callback routines)", () => {
  const m = boot();
  const { pdo } = machineWithDevice(m, { enableAt: "never" });
  const k = m.kernel;
  const a = k.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "a").symbolicLinkName!;
  const b = k.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "b").symbolicLinkName!;
  const log: string[] = [];
  let depth = 0;
  const name = (n: { SymbolicLinkName?: string }) => (n.SymbolicLinkName === a ? "a" : "b");
  for (const who of ["first", "second", "third"]) {
    listen(m, who, EventCategoryDeviceInterfaceChange, GUID_WINETEST, {
      onEvent: (n) => {
        depth++;
        log.push(
          `${who}:${name(n as { SymbolicLinkName?: string })}${depth > 1 ? " (nested!)" : ""}`,
        );
        // The first listener enables b while a's arrival is being delivered.
        if (who === "first" && name(n as { SymbolicLinkName?: string }) === "a") {
          k.IoSetDeviceInterfaceState(b, true);
        }
        depth--;
      },
    });
  }
  k.IoSetDeviceInterfaceState(a, true);
  m.settle();
  assert.deepEqual(log, ["first:a", "second:a", "third:a", "first:b", "second:b", "third:b"]);
});

Deno.test("IoRegisterPlugPlayNotification: a callback that returns at a raised IRQL is bug check 0xCA with parameter 1 = 0xA, the machine halts and reboot brings it back (docs/notifications.md#notify-callbacks; Bug Check 0xCA)", () => {
  const m = boot();
  deviceWithInterfaces(m, 1);
  const d = m.loadDriver({ name: "sloppy" });
  const k = m.kernel;
  let caught: unknown;
  try {
    k.IoRegisterPlugPlayNotification(
      EventCategoryDeviceInterfaceChange,
      INCLUDE_EXISTING,
      GUID_WINETEST,
      d,
      () => {
        k.KeRaiseIrql(DISPATCH_LEVEL);
        return STATUS_SUCCESS;
      },
    );
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof BugCheck, String(caught));
  assert.equal(caught.code, 0xca);
  assert.equal(caught.parameters[0], 0xa);
  assert.equal(m.halted, true);
  assert.throws(
    () => k.IoGetDeviceInterfaces(GUID_WINETEST, null, 0),
    (e: unknown) => e === caught,
  );
  const bugcheck = m.trace.find((e) => e.kind === "bugcheck");
  assert.equal(bugcheck?.kind === "bugcheck" && bugcheck.code, 0xca);
  m.reboot();
  assert.equal(m.halted, false);
  assertStatus(m.kernel.IoGetDeviceInterfaces(GUID_WINETEST, null, 0).status, STATUS_SUCCESS);
});

// ---- Hardware profile events --------------------------------------------------------------------------------

Deno.test("Hardware profile change: QUERY goes to applications first, then kernel callbacks; CHANGE_COMPLETE to kernel callbacks first, then applications (docs/notifications.md#notify-vetoes, the order)", () => {
  const m = boot({ hardwareProfiles: ["Docked", "Undocked"] });
  m.app("notify");
  const l = listen(m, "profilewatch", EventCategoryHardwareProfileChange, null);
  assertStatus(m.changeHardwareProfile("Undocked"), STATUS_SUCCESS);
  assert.equal(m.currentProfile.name, "Undocked");
  const kernel = told(m, l.target);
  const user = appMessages(m, "notify");
  assert.deepEqual(kernel.map((t) => [t.eventName, t.status]), [
    ["GUID_HWPROFILE_QUERY_CHANGE", "STATUS_SUCCESS"],
    ["GUID_HWPROFILE_CHANGE_COMPLETE", "STATUS_SUCCESS"],
  ]);
  assert.deepEqual(user.map((u) => u.dbt), ["DBT_QUERYCHANGECONFIG", "DBT_CONFIGCHANGED"]);
  assert.ok(user[0]!.seq < kernel[0]!.seq, "query: user mode first");
  assert.ok(kernel[0]!.seq < user[1]!.seq);
  assert.ok(kernel[1]!.seq < user[1]!.seq, "complete: kernel first");
});

Deno.test("Hardware profile change: a kernel callback failing GUID_HWPROFILE_QUERY_CHANGE vetoes; CHANGE_CANCELLED goes to kernel callbacks first, then applications (docs/notifications.md#notify-vetoes)", () => {
  const m = boot({ hardwareProfiles: ["Docked", "Undocked"] });
  m.app("notify");
  const l = listen(m, "profilewatch", EventCategoryHardwareProfileChange, null, {
    answer: (n) => (n.Event === GUID_HWPROFILE_QUERY_CHANGE ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS),
  });
  assertStatus(m.changeHardwareProfile("Undocked"), STATUS_UNSUCCESSFUL);
  assert.equal(m.currentProfile.name, "Docked");
  const kernel = told(m, l.target);
  const user = appMessages(m, "notify");
  assert.deepEqual(kernel.map((t) => [t.eventName, t.status]), [
    ["GUID_HWPROFILE_QUERY_CHANGE", "STATUS_UNSUCCESSFUL"],
    ["GUID_HWPROFILE_CHANGE_CANCELLED", "STATUS_SUCCESS"],
  ]);
  assert.deepEqual(user.map((u) => u.dbt), ["DBT_QUERYCHANGECONFIG", "DBT_CONFIGCHANGECANCELED"]);
  assert.ok(user[0]!.seq < kernel[0]!.seq && kernel[1]!.seq < user[1]!.seq);
  assert.equal((l.received[1] as { Event: string }).Event, GUID_HWPROFILE_CHANGE_CANCELLED);
});

Deno.test("Hardware profile change: an application that denies DBT_QUERYCHANGECONFIG vetoes before any kernel callback is queried; the kernel then hears CHANGE_CANCELLED before the applications (docs/notifications.md#notify-vetoes)", () => {
  const m = boot({ hardwareProfiles: ["Docked", "Undocked"] });
  m.app("presenter", { vetoProfileChange: true });
  const l = listen(m, "profilewatch", EventCategoryHardwareProfileChange, null);
  const status = m.changeHardwareProfile("Undocked");
  assert.equal(status === STATUS_SUCCESS, false);
  assert.equal(m.currentProfile.name, "Docked");
  assert.deepEqual(told(m, l.target).map((t) => t.eventName), ["GUID_HWPROFILE_CHANGE_CANCELLED"]);
  const user = appMessages(m, "presenter");
  assert.deepEqual(user.map((u) => u.dbt), ["DBT_QUERYCHANGECONFIG", "DBT_CONFIGCHANGECANCELED"]);
  assert.ok(told(m, l.target)[0]!.seq < user[1]!.seq);
  assert.ok(
    m.trace.some((e) =>
      e.kind === "app" && e.app === "presenter" && e.action === "BROADCAST_QUERY_DENY"
    ),
  );
});

Deno.test("IoUnregisterPlugPlayNotificationEx from a work item its callback waits for is the documented deadlock (a PnpHangError); the callback unregistering itself directly is fine (IoUnregisterPlugPlayNotificationEx: Remarks, 'will cause an operating system deadlock')", () => {
  for (const viaWorkItem of [true, false]) {
    const m = boot();
    const { link } = machineWithDevice(m, { enableAt: "never" });
    const k = m.kernel;
    const state: { entry?: NotificationEntry | undefined } = {};
    const l = listen(m, "waiter", EventCategoryDeviceInterfaceChange, GUID_WINETEST, {
      onEvent: () => {
        if (!viaWorkItem) {
          assertStatus(k.IoUnregisterPlugPlayNotificationEx(state.entry!), STATUS_SUCCESS);
          return;
        }
        const done = new KEVENT();
        k.KeInitializeEvent(done, NotificationEvent, false);
        const item = k.IoAllocateWorkItem(l.driver)!;
        k.IoQueueWorkItem(item, (kw) => {
          kw.IoUnregisterPlugPlayNotificationEx(state.entry!);
          kw.KeSetEvent(done, 0, false);
        }, DelayedWorkQueue);
        k.KeWaitForSingleObject(done, Executive, KernelMode, false, null);
      },
    });
    state.entry = l.entry;
    assertStatus(k.IoSetDeviceInterfaceState(link, true), STATUS_SUCCESS);
    if (viaWorkItem) {
      assert.throws(
        () => m.settle(),
        (e: unknown) => e instanceof PnpHangError && /documented deadlock/.test(e.message),
      );
    } else {
      m.settle();
      assert.equal(l.received.length, 1);
    }
  }
});
