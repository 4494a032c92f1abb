/**
 * Target-device notifications around removal and custom events, against the documented rules:
 * IoRegisterPlugPlayNotification (EventCategoryTargetDeviceChange), "Handling a
 * GUID_TARGET_DEVICE_QUERY_REMOVE / _REMOVE_COMPLETE / _REMOVE_CANCELLED Event",
 * IRP_MN_CANCEL_REMOVE_DEVICE, IoReportTargetDeviceChange(Asynchronous), the toastmon sample, and
 * the vetoes of an orderly removal (docs/notifications.md#notify-vetoes,
 * docs/notifications.md#notify-custom, docs/pnp.md#pnp-orderly-removal,
 * docs/pnp.md#pnp-surprise-removal). Each test names its rule.
 */
import assert from "node:assert/strict";
import {
  boot,
  EventCategoryTargetDeviceChange,
  exampleMachine,
  GUID_DEVICE_INTERFACE_ARRIVAL,
  GUID_DEVICE_INTERFACE_REMOVAL,
  GUID_DEVINTERFACE_TOASTER,
  GUID_HWPROFILE_CHANGE_CANCELLED,
  GUID_HWPROFILE_CHANGE_COMPLETE,
  GUID_HWPROFILE_QUERY_CHANGE,
  GUID_TARGET_DEVICE_QUERY_REMOVE,
  GUID_TARGET_DEVICE_REMOVE_CANCELLED,
  GUID_TARGET_DEVICE_REMOVE_COMPLETE,
  type Machine,
  PnpHangError,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_DEVICE_STATE,
  STATUS_INVALID_PARAMETER,
  STATUS_PENDING,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../../mod.ts";
import {
  appMessages,
  assertStatus,
  customNotification,
  GUID_CUSTOM_EVENT,
  GUID_WINETEST,
  lastIrpCompletion,
  machineWithDevice,
  mark,
  monitor,
  pnpIrps,
  told,
} from "./_notify_helpers.ts";

const INSTANCE = "Wine\\Test\\1";

/** The seq of the first notification `eventName` delivered to `target` after `after`. */
function toldAt(m: Machine, target: string, eventName: string, after = 0): number {
  return told(m, target).find((t) => t.eventName === eventName && t.seq > after)?.seq ?? -1;
}

/** The seq of the first IRP `minor` dispatched to the device's stack after `after`. */
function irpAt(m: Machine, minor: string, after = 0): number {
  return pnpIrps(m, INSTANCE, after).find((i) => i.minor === minor)?.seq ?? -1;
}

// ---- Registration ---------------------------------------------------------------------------------------

Deno.test("Target device change: registering on the FileObject from IoGetDeviceObjectPointer succeeds, and PnP finds the PDO with IRP_MN_QUERY_DEVICE_RELATIONS(TargetDeviceRelation) (seed page: EventCategoryData; IRP_MN_QUERY_DEVICE_RELATIONS)", () => {
  const m = boot();
  const { link } = machineWithDevice(m);
  const before = mark(m);
  const mon = monitor(m, "watcher", link);
  assertStatus(mon.opens[0], STATUS_SUCCESS);
  const call = m.trace.find((e) =>
    e.seq > before && e.kind === "call" && e.routine === "IoRegisterPlugPlayNotification"
  );
  assert.equal(call?.kind === "call" && call.statusName, "STATUS_SUCCESS");
  const relations = m.trace.find((e) =>
    e.seq > call!.seq && e.kind === "irp" && e.minor === "IRP_MN_QUERY_DEVICE_RELATIONS" &&
    e.instance === INSTANCE
  );
  assert.ok(relations, "TargetDeviceRelation query sent");
  assert.deepEqual(relations.kind === "irp" && relations.params, { Type: "TargetDeviceRelation" });
});

// ---- Orderly removal ---------------------------------------------------------------------------------------

Deno.test("Target device change: QUERY_REMOVE goes to the registrant before IRP_MN_QUERY_REMOVE_DEVICE, REMOVE_COMPLETE before IRP_MN_REMOVE_DEVICE; a registrant that drops its reference lets the removal succeed (Handling GUID_TARGET_DEVICE_QUERY_REMOVE / _REMOVE_COMPLETE)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const mon = monitor(m, "watcher", link, "close");
  const before = mark(m);
  assertStatus(m.requestRemoval(pdo), STATUS_SUCCESS);
  const query = toldAt(m, mon.target, "GUID_TARGET_DEVICE_QUERY_REMOVE", before);
  const complete = toldAt(m, mon.target, "GUID_TARGET_DEVICE_REMOVE_COMPLETE", before);
  const queryIrp = irpAt(m, "IRP_MN_QUERY_REMOVE_DEVICE", before);
  const removeIrp = irpAt(m, "IRP_MN_REMOVE_DEVICE", before);
  assert.ok(query > 0 && queryIrp > query, `QUERY_REMOVE #${query} before the IRP #${queryIrp}`);
  assert.ok(
    complete > queryIrp && removeIrp > complete,
    `REMOVE_COMPLETE #${complete} before REMOVE #${removeIrp}`,
  );
  assert.deepEqual(told(m, mon.target).map((t) => [t.eventName, t.status]), [
    ["GUID_TARGET_DEVICE_QUERY_REMOVE", "STATUS_SUCCESS"],
    ["GUID_TARGET_DEVICE_REMOVE_COMPLETE", "STATUS_SUCCESS"],
  ]);
  assert.equal(irpAt(m, "IRP_MN_CANCEL_REMOVE_DEVICE", before), -1);
  assert.equal(m.devnode(pdo)?.state, "Removed");
});

Deno.test("Target device change: a callback failing GUID_TARGET_DEVICE_QUERY_REMOVE vetoes before any IRP_MN_QUERY_REMOVE_DEVICE; requestRemoval returns its status, REMOVE_CANCELLED follows, the device stays Started with its interface active (Handling a GUID_TARGET_DEVICE_QUERY_REMOVE Event)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const polite = monitor(m, "polite", link, "close");
  const vetoer = monitor(m, "vetoer", link, { veto: STATUS_INVALID_DEVICE_STATE });
  const before = mark(m);
  assertStatus(m.requestRemoval(pdo), STATUS_INVALID_DEVICE_STATE);
  assert.deepEqual(
    told(m).filter((t) => t.seq > before).map((t) => [t.target, t.eventName, t.status]),
    [
      ["polite!NotificationCallback", "GUID_TARGET_DEVICE_QUERY_REMOVE", "STATUS_SUCCESS"],
      [
        "vetoer!NotificationCallback",
        "GUID_TARGET_DEVICE_QUERY_REMOVE",
        "STATUS_INVALID_DEVICE_STATE",
      ],
      ["polite!NotificationCallback", "GUID_TARGET_DEVICE_REMOVE_CANCELLED", "STATUS_SUCCESS"],
      ["vetoer!NotificationCallback", "GUID_TARGET_DEVICE_REMOVE_CANCELLED", "STATUS_SUCCESS"],
    ],
  );
  // The callbacks come before the IRP, so the stack never saw a query-remove; a CANCEL_REMOVE, if
  // any, would precede REMOVE_CANCELLED (IRP_MN_CANCEL_REMOVE_DEVICE).
  assert.equal(irpAt(m, "IRP_MN_QUERY_REMOVE_DEVICE", before), -1);
  const cancelIrp = irpAt(m, "IRP_MN_CANCEL_REMOVE_DEVICE", before);
  if (cancelIrp > 0) {
    assert.ok(cancelIrp < toldAt(m, polite.target, "GUID_TARGET_DEVICE_REMOVE_CANCELLED", before));
  }
  assert.equal(m.devnode(pdo)?.state, "Started");
  assert.deepEqual(m.kernel.IoGetDeviceInterfaces(GUID_WINETEST, null, 0).symbolicLinkList, [link]);
  // The polite monitor closed on the query and reopened after the cancel (toastmon's REMOVE_CANCELLED handling).
  assert.deepEqual(polite.opens.map((s) => s === STATUS_SUCCESS), [true, true]);
  assert.equal(polite.holding(), true);
  assert.ok(
    m.trace.some((e) =>
      e.kind === "info" && e.what === "query-remove vetoed" &&
      e.detail?.vetoType === "PNP_VetoDriver"
    ),
  );
  assert.deepEqual(
    vetoer.opens.map((s) => s === STATUS_SUCCESS),
    [true],
    "the vetoer never closed",
  );
});

Deno.test("Target device change: a driver failing IRP_MN_QUERY_REMOVE_DEVICE vetoes; CANCEL_REMOVE goes to the stack, then GUID_TARGET_DEVICE_REMOVE_CANCELLED after the cancel IRP completed (IRP_MN_CANCEL_REMOVE_DEVICE; Handling a GUID_TARGET_DEVICE_REMOVE_CANCELLED Event)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m, { failQueryRemove: STATUS_INVALID_DEVICE_STATE });
  const mon = monitor(m, "watcher", link, "close");
  const before = mark(m);
  assertStatus(m.requestRemoval(pdo), STATUS_INVALID_DEVICE_STATE);
  const query = toldAt(m, mon.target, "GUID_TARGET_DEVICE_QUERY_REMOVE", before);
  const queryIrp = irpAt(m, "IRP_MN_QUERY_REMOVE_DEVICE", before);
  const cancelIrp = irpAt(m, "IRP_MN_CANCEL_REMOVE_DEVICE", before);
  const cancelDone = lastIrpCompletion(m, "IRP_MN_CANCEL_REMOVE_DEVICE", INSTANCE);
  const cancelled = toldAt(m, mon.target, "GUID_TARGET_DEVICE_REMOVE_CANCELLED", before);
  assert.ok(
    query < queryIrp && queryIrp < cancelIrp && cancelIrp < cancelDone && cancelDone < cancelled,
    `QUERY_REMOVE #${query}, QUERY IRP #${queryIrp}, CANCEL IRP #${cancelIrp} completed #${cancelDone}, REMOVE_CANCELLED #${cancelled}`,
  );
  assert.equal(toldAt(m, mon.target, "GUID_TARGET_DEVICE_REMOVE_COMPLETE", before), -1);
  assert.equal(m.devnode(pdo)?.state, "Started");
  assert.deepEqual(m.kernel.IoGetDeviceInterfaces(GUID_WINETEST, null, 0).symbolicLinkList, [link]);
  assert.ok(
    m.trace.some((e) =>
      e.kind === "info" && e.what === "query-remove vetoed" &&
      e.detail?.vetoType === "PNP_VetoDevice"
    ),
  );
  assert.equal(mon.holding(), true, "the monitor reopened");
});

Deno.test("Target device change: a kernel file object still referenced after the query-remove notifications vetoes the removal (PNP_VetoOutstandingOpen); CANCEL_REMOVE, then REMOVE_CANCELLED (Handling a GUID_TARGET_DEVICE_QUERY_REMOVE Event: if handles remain open)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const holder = monitor(m, "holder", link, "hold");
  const before = mark(m);
  assertStatus(m.requestRemoval(pdo), STATUS_UNSUCCESSFUL);
  const veto = m.trace.find((e) =>
    e.seq > before && e.kind === "info" && e.what === "query-remove vetoed"
  );
  assert.equal(veto?.kind === "info" && veto.detail?.vetoType, "PNP_VetoOutstandingOpen");
  const cancelDone = lastIrpCompletion(m, "IRP_MN_CANCEL_REMOVE_DEVICE", INSTANCE);
  const cancelled = toldAt(m, holder.target, "GUID_TARGET_DEVICE_REMOVE_CANCELLED", before);
  assert.ok(cancelDone > 0 && cancelled > cancelDone);
  assert.equal(m.devnode(pdo)?.state, "Started");
  assert.equal(m.devnode(pdo)?.opens, 1);
  assert.deepEqual(m.kernel.IoGetDeviceInterfaces(GUID_WINETEST, null, 0).symbolicLinkList, [link]);
});

Deno.test("Target device change: toastmon done right closes on query-remove, so removing a toaster of the example machine succeeds; it is told REMOVE_COMPLETE (toastmon sample; Handling a GUID_TARGET_DEVICE_QUERY_REMOVE Event)", () => {
  const m = exampleMachine();
  const toaster = m.devices().find((id) => /MsToaster/i.test(id) && id.endsWith("01"))!;
  const pdo = m.device(toaster)!;
  assert.equal(m.devnode(pdo)?.opens, 1, "toastmon opened the toaster's interface");
  const before = mark(m);
  assertStatus(m.requestRemoval(pdo), STATUS_SUCCESS);
  const events = told(m, "toastmon!NotificationCallback").filter((t) => t.seq > before);
  // Its interface callback hears the toaster's interface go away once the driver disabled it in REMOVE.
  assert.deepEqual(events.map((t) => [t.eventName, t.status]), [
    ["GUID_TARGET_DEVICE_QUERY_REMOVE", "STATUS_SUCCESS"],
    ["GUID_TARGET_DEVICE_REMOVE_COMPLETE", "STATUS_SUCCESS"],
    ["GUID_DEVICE_INTERFACE_REMOVAL", "STATUS_SUCCESS"],
  ]);
  assert.equal(m.devnode(pdo)?.state, "Removed");
  assert.equal(
    m.kernel.IoGetDeviceInterfaces(GUID_DEVINTERFACE_TOASTER, pdo, 0).symbolicLinkList?.length,
    0,
  );
});

// ---- Surprise removal ----------------------------------------------------------------------------------------

Deno.test("Target device change: after a surprise removal REMOVE_COMPLETE comes after IRP_MN_SURPRISE_REMOVAL completed, with no QUERY_REMOVE; IRP_MN_REMOVE_DEVICE waits for the registrant to drop its file object (docs/pnp.md#pnp-surprise-removal: REMOVE comes only after the last handle is closed)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const holder = monitor(m, "holder", link, "hold");
  const before = mark(m);
  m.unplug(pdo);
  assert.equal(toldAt(m, holder.target, "GUID_TARGET_DEVICE_QUERY_REMOVE", before), -1);
  const surpriseDone = lastIrpCompletion(m, "IRP_MN_SURPRISE_REMOVAL", INSTANCE);
  const complete = told(m, holder.target).find((t) =>
    t.eventName === "GUID_TARGET_DEVICE_REMOVE_COMPLETE"
  );
  assert.ok(complete && surpriseDone > 0 && complete.seq > surpriseDone);
  assert.match(complete.note ?? "", /no query-remove/);
  // Even a monitor that held on through queries cleans up at REMOVE_COMPLETE, as the page asks.
  assert.equal(holder.holding(), false);
  const removeIrp = irpAt(m, "IRP_MN_REMOVE_DEVICE", before);
  assert.ok(removeIrp > complete.seq, "REMOVE went out once the file object was released");
  assert.equal(m.devnode(INSTANCE), undefined, "the devnode left the tree");
});

Deno.test("Target device change: after a surprise removal IRP_MN_REMOVE_DEVICE is held while a kernel file object is still referenced, and goes out at ObDereferenceObject (IRP_MN_SURPRISE_REMOVAL; CONTRACT)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const open = m.kernel.IoGetDeviceObjectPointer(link, 0x120089);
  assertStatus(open.status, STATUS_SUCCESS);
  const before = mark(m);
  m.unplug(pdo);
  assert.equal(m.devnode(INSTANCE)?.state, "SurpriseRemoved");
  assert.equal(irpAt(m, "IRP_MN_REMOVE_DEVICE", before), -1);
  m.kernel.ObDereferenceObject(open.fileObject!);
  m.settle();
  assert.ok(irpAt(m, "IRP_MN_REMOVE_DEVICE", before) > 0);
  assert.equal(m.devnode(INSTANCE), undefined);
});

// ---- Custom events ------------------------------------------------------------------------------------------------

Deno.test("IoReportTargetDeviceChange: a system GUID is STATUS_INVALID_DEVICE_REQUEST, Version other than 1 is STATUS_INVALID_PARAMETER; nothing is delivered (IoReportTargetDeviceChange: Return value; Wine pnp.c)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const mon = monitor(m, "watcher", link);
  const k = m.kernel;
  for (
    // "The caller specified a system PnP event, such as GUID_TARGET_DEVICE_QUERY_REMOVE. This
    // routine is only for custom events": every event GUID of wdmguid.h, not only the target ones.
    const system of [
      GUID_TARGET_DEVICE_QUERY_REMOVE,
      GUID_TARGET_DEVICE_REMOVE_CANCELLED,
      GUID_TARGET_DEVICE_REMOVE_COMPLETE,
      GUID_DEVICE_INTERFACE_ARRIVAL,
      GUID_DEVICE_INTERFACE_REMOVAL,
      GUID_HWPROFILE_QUERY_CHANGE,
      GUID_HWPROFILE_CHANGE_COMPLETE,
      GUID_HWPROFILE_CHANGE_CANCELLED,
    ]
  ) {
    assertStatus(
      k.IoReportTargetDeviceChange(pdo, customNotification(undefined, system)),
      STATUS_INVALID_DEVICE_REQUEST,
      system,
    );
    assertStatus(
      k.IoReportTargetDeviceChange(pdo, customNotification(undefined, system.toUpperCase())),
      STATUS_INVALID_DEVICE_REQUEST,
    );
    assertStatus(
      k.IoReportTargetDeviceChangeAsynchronous(pdo, customNotification(undefined, system)),
      STATUS_INVALID_DEVICE_REQUEST,
    );
  }
  assertStatus(
    k.IoReportTargetDeviceChange(pdo, { ...customNotification(), Version: 2 }),
    STATUS_INVALID_PARAMETER,
  );
  assertStatus(
    k.IoReportTargetDeviceChangeAsynchronous(pdo, { ...customNotification(), Version: 0 }),
    STATUS_INVALID_PARAMETER,
  );
  // Ground rule: a bad buffer or completion callback is a status, never a JavaScript exception.
  const badBuffer = { ...customNotification(), CustomDataBuffer: 42 as unknown as Uint8Array };
  assertStatus(k.IoReportTargetDeviceChange(pdo, badBuffer), STATUS_INVALID_PARAMETER);
  assertStatus(k.IoReportTargetDeviceChangeAsynchronous(pdo, badBuffer), STATUS_INVALID_PARAMETER);
  assertStatus(
    k.IoReportTargetDeviceChangeAsynchronous(
      pdo,
      customNotification(),
      "not a routine" as unknown as () => void,
    ),
    STATUS_INVALID_PARAMETER,
  );
  m.settle();
  assert.deepEqual(mon.received, []);
});

Deno.test("IoReportTargetDeviceChange: synchronous; user mode hears DBT_CUSTOMEVENT first, then each kernel registrant, with FileObject filled in per registrant (IoReportTargetDeviceChange: NotificationStructure; docs/notifications.md#notify-custom)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const app = m.app("notify");
  const opened = app.openDevice(link);
  assertStatus(opened.status, STATUS_SUCCESS);
  const first = monitor(m, "first", link);
  const second = monitor(m, "second", link);
  const before = mark(m);
  const n = customNotification(new Uint8Array([7, 7]));
  assertStatus(m.kernel.IoReportTargetDeviceChange(pdo, n), STATUS_SUCCESS);
  assert.equal(n.FileObject, null, "the caller's structure is not changed");
  const user = appMessages(m, "notify").filter((u) => u.seq > before);
  assert.deepEqual(user.map((u) => u.dbt), ["DBT_CUSTOMEVENT"]);
  const kernel = told(m).filter((t) => t.seq > before);
  assert.deepEqual(kernel.map((t) => [t.target, t.eventName]), [
    ["first!NotificationCallback", "custom event"],
    ["second!NotificationCallback", "custom event"],
  ]);
  assert.ok(user[0]!.seq < kernel[0]!.seq);
  assert.equal(first.received[0]!.Event, GUID_CUSTOM_EVENT);
  assert.equal(first.received[0]!.Size, 38);
  assert.ok(first.received[0]!.FileObject);
  assert.ok(second.received[0]!.FileObject);
  assert.notEqual(first.received[0]!.FileObject, second.received[0]!.FileObject);
});

Deno.test("IoReportTargetDeviceChangeAsynchronous: returns STATUS_PENDING at once; the event is delivered when PnP runs its queue, and the completion callback runs after every registrant (IoReportTargetDeviceChangeAsynchronous: Remarks)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const first = monitor(m, "first", link);
  const second = monitor(m, "second", link);
  const atCompletion: { context: unknown; delivered: number }[] = [];
  const status = m.kernel.IoReportTargetDeviceChangeAsynchronous(
    pdo,
    customNotification(),
    (context) =>
      void atCompletion.push({
        context,
        delivered: first.received.length + second.received.length,
      }),
    "ctx",
  );
  assertStatus(status, STATUS_PENDING);
  assert.equal(first.received.length + second.received.length, 0, "nothing before the queue runs");
  assert.deepEqual(atCompletion, []);
  m.settle();
  assert.deepEqual(told(m).map((t) => t.target), [first.target, second.target]);
  assert.deepEqual(atCompletion, [{ context: "ctx", delivered: 2 }]);
});

Deno.test("IoReportTargetDeviceChange: a synchronous report from inside a notification callback is the documented deadlock: PnpHangError and verifier finding PnpSynchronousReportInCallback; the asynchronous form is fine (Guidelines for Writing PnP Notification Callback Routines)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const k = m.kernel;
  const d = m.loadDriver({ name: "reporter" });
  const open = k.IoGetDeviceObjectPointer(link, 0x120089);
  const statuses: number[] = [];
  let synchronous = true;
  k.IoRegisterPlugPlayNotification(EventCategoryTargetDeviceChange, 0, open.fileObject!, d, (n) => {
    if (n.Event === GUID_CUSTOM_EVENT) {
      const other = customNotification(undefined, "{a1b2c3d4-0002-4000-8000-00aabbccddee}");
      statuses.push(
        synchronous
          ? k.IoReportTargetDeviceChange(pdo, other)
          : k.IoReportTargetDeviceChangeAsynchronous(pdo, other),
      );
    }
    return STATUS_SUCCESS;
  });
  assertStatus(k.IoReportTargetDeviceChangeAsynchronous(pdo, customNotification()), STATUS_PENDING);
  assert.throws(() => m.settle(), PnpHangError);
  assert.equal(m.halted, false);
  assert.deepEqual(m.verifier.findings.map((f) => f.rule), ["PnpSynchronousReportInCallback"]);
  synchronous = false;
  assertStatus(k.IoReportTargetDeviceChangeAsynchronous(pdo, customNotification()), STATUS_PENDING);
  m.settle();
  assert.deepEqual(statuses.map((s) => s === STATUS_PENDING), [true]);
  assert.equal(m.verifier.findings.length, 1);
});
