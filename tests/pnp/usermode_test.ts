/**
 * User-mode applications beside the kernel, against the documented rules: RegisterDeviceNotification
 * / CM_Register_Notification interface events as Wine's test_pnp_devices sees them on Windows, the
 * SetupDiGetClassDevs listing, the notify.exe reaction to a query-remove ("Processing a Request to
 * Remove a Device"), and the vetoes of an orderly removal by each party
 * (docs/notifications.md#notify-applications, docs/notifications.md#notify-vetoes,
 * docs/interfaces.md#if-list, docs/pnp.md#pnp-orderly-removal). Each test names its rule.
 */
import assert from "node:assert/strict";
import {
  boot,
  DBT,
  DIGCF_DEVICEINTERFACE,
  DIGCF_PRESENT,
  EventCategoryDeviceInterfaceChange,
  exampleMachine,
  GUID_DEVINTERFACE_TOASTER,
  INVALID_HANDLE_VALUE,
  type Machine,
  NT_SUCCESS,
  STATUS_INVALID_DEVICE_STATE,
  STATUS_INVALID_HANDLE,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../../mod.ts";
import {
  appMessages,
  assertStatus,
  GUID_WINETEST,
  listen,
  machineWithDevice,
  mark,
  monitor,
  pnpIrps,
  told,
} from "./_notify_helpers.ts";

const INSTANCE = "Wine\\Test\\1";
const USER_LINK = "\\\\?\\Wine#Test#1#{deadbeef-29ef-4538-a5fd-b69573a362c2}";

/** The veto the trace recorded for the last vetoed query-remove. */
function lastVeto(m: Machine): Record<string, unknown> | undefined {
  const e = m.trace.findLast((e) => e.kind === "info" && e.what === "query-remove vetoed");
  return e?.kind === "info" ? e.detail : undefined;
}

/** Application trace actions after `after` (DBT_* messages, CreateFile, CloseHandle ...). */
function appActions(m: Machine, app: string, after: number): string[] {
  return m.trace.filter((e) => e.seq > after && e.kind === "app" && e.app === app)
    .map((e) => (e.kind === "app" ? e.action : ""));
}

// ---- Interface notifications and listings ---------------------------------------------------------------

Deno.test("User mode: an application registered for an interface class gets one DBT_DEVICEARRIVAL per enable and one DBT_DEVICEREMOVECOMPLETE per disable, dbcc_name \\\\?\\ with the kernel's case (Wine ntoskrnl.c test_pnp_devices; docs/notifications.md#notify-applications)", () => {
  const m = boot();
  const app = m.app("notify");
  assertStatus(app.registerInterfaceNotification(GUID_WINETEST.toUpperCase()), STATUS_SUCCESS);
  const { link } = machineWithDevice(m, { enableAt: "never" });
  const k = m.kernel;
  k.IoSetDeviceInterfaceState(link, true);
  k.IoSetDeviceInterfaceState(link, true);
  m.settle();
  assert.deepEqual(app.messages, [{
    dbt: "DBT_DEVICEARRIVAL",
    action: "CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL",
    name: USER_LINK,
  }]);
  k.IoSetDeviceInterfaceState(link, false);
  k.IoSetDeviceInterfaceState(link, false);
  m.settle();
  assert.deepEqual(app.messages.map((x) => [x.dbt, x.name]), [
    ["DBT_DEVICEARRIVAL", USER_LINK],
    ["DBT_DEVICEREMOVECOMPLETE", USER_LINK],
  ]);
  assert.equal(DBT[app.messages[0]!.dbt], 0x8000);
  // After CM_Unregister_Notification nothing more arrives.
  assertStatus(app.unregisterInterfaceNotification(GUID_WINETEST), STATUS_SUCCESS);
  k.IoSetDeviceInterfaceState(link, true);
  m.settle();
  assert.equal(app.messages.length, 2);
});

Deno.test("User mode: an application hears the arrival of an interface enabled during START only after START completed, and one removal when the device goes (IoSetDeviceInterfaceState: Remarks; Wine test_pnp_devices counts)", () => {
  const m = boot();
  const app = m.app("notify");
  app.registerInterfaceNotification(GUID_WINETEST);
  const { pdo } = machineWithDevice(m, { enableAt: "START before passing down" });
  assertStatus(m.requestRemoval(pdo), STATUS_SUCCESS);
  assert.deepEqual(app.messages.map((x) => x.dbt), [
    "DBT_DEVICEARRIVAL",
    "DBT_DEVICEREMOVECOMPLETE",
  ]);
  const arrival = appMessages(m, "notify")[0]!;
  const started = m.trace.findLast((e) =>
    e.kind === "irp" && e.phase === "complete" && e.minor === "IRP_MN_START_DEVICE"
  )!;
  assert.ok(arrival.seq > started.seq);
});

Deno.test("User mode: SetupDiGetClassDevs with DIGCF_PRESENT lists only active interfaces, without it every registered one; the detail path is lower case (Wine test_pnp_devices: SPINT_ACTIVE, \\\\?\\wine#test#1#{...})", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m, { enableAt: "never" });
  const app = m.app("setup");
  const k = m.kernel;
  assert.deepEqual(app.getClassDevs(GUID_WINETEST, DIGCF_DEVICEINTERFACE | DIGCF_PRESENT), []);
  assert.deepEqual(app.getClassDevs(GUID_WINETEST, DIGCF_DEVICEINTERFACE), [
    USER_LINK.toLowerCase(),
  ]);
  k.IoSetDeviceInterfaceState(link, true);
  const extra = k.IoRegisterDeviceInterface(pdo, GUID_WINETEST, "Idle").symbolicLinkName!;
  assert.deepEqual(app.getClassDevs(GUID_WINETEST), [USER_LINK.toLowerCase()]);
  assert.deepEqual(
    app.getClassDevs(GUID_WINETEST, DIGCF_DEVICEINTERFACE).sort(),
    [
      USER_LINK.toLowerCase(),
      ("\\\\?\\" + extra.slice(4)).toLowerCase(),
    ].sort(),
  );
  k.IoSetDeviceInterfaceState(link, false);
  assert.deepEqual(app.getClassDevs(GUID_WINETEST), []);
  // The listed path opens the device (CreateFile is case-insensitive).
  k.IoSetDeviceInterfaceState(link, true);
  m.settle();
  const opened = m.openDevice(app.getClassDevs(GUID_WINETEST)[0]!);
  assertStatus(opened.status, STATUS_SUCCESS);
});

// ---- notify.exe's reaction to a query-remove -------------------------------------------------------------------

Deno.test("User mode: on DBT_DEVICEQUERYREMOVE a well-behaved application closes its handle, so the removal succeeds; then DBT_DEVICEREMOVECOMPLETE (notify.exe; Processing a Request to Remove a Device)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const opened = m.openDevice(link, { app: "notify" });
  assertStatus(opened.status, STATUS_SUCCESS);
  assert.equal(m.devnode(pdo)?.opens, 1);
  const before = mark(m);
  assertStatus(m.requestRemoval(pdo), STATUS_SUCCESS);
  const actions = appActions(m, "notify", before);
  assert.deepEqual(actions.slice(0, 3), [
    "DBT_DEVICEQUERYREMOVE",
    "CloseHandle",
    "DBT_DEVICEREMOVECOMPLETE",
  ]);
  const close = m.trace.find((e) =>
    e.seq > before && e.kind === "app" && e.action === "CloseHandle"
  );
  assert.equal(close?.kind === "app" && close.detail?.reason, "query-remove");
  // The query went to the application before the driver stack saw IRP_MN_QUERY_REMOVE_DEVICE.
  const queryIrp = pnpIrps(m, INSTANCE, before).find((i) =>
    i.minor === "IRP_MN_QUERY_REMOVE_DEVICE"
  )!;
  assert.ok(
    appMessages(m, "notify").find((x) => x.dbt === "DBT_DEVICEQUERYREMOVE")!.seq < queryIrp.seq,
  );
  assert.equal(m.devnode(pdo)?.state, "Removed");
});

Deno.test("User mode: an application that keeps its handle (closeOnQueryRemove: false) vetoes the removal as an outstanding open, and gets DBT_DEVICEQUERYREMOVEFAILED (docs/notifications.md#notify-applications; PNP_VetoOutstandingOpen)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const opened = m.openDevice(link, { app: "legacy", closeOnQueryRemove: false });
  assertStatus(opened.status, STATUS_SUCCESS);
  const before = mark(m);
  const status = m.requestRemoval(pdo);
  assert.equal(NT_SUCCESS(status), false);
  assert.equal(lastVeto(m)?.vetoType, "PNP_VetoOutstandingOpen");
  assert.match(String(lastVeto(m)?.by), /app:legacy/);
  assert.deepEqual(appActions(m, "legacy", before), [
    "DBT_DEVICEQUERYREMOVE",
    "DBT_DEVICEQUERYREMOVEFAILED",
  ]);
  assert.equal(m.devnode(pdo)?.state, "Started");
  assert.equal(m.devnode(pdo)?.opens, 1);
  assert.deepEqual(m.kernel.IoGetDeviceInterfaces(GUID_WINETEST, null, 0).symbolicLinkList, [link]);
  // Once it closes, the removal goes through.
  assertStatus(m.closeHandle(opened.handle!), STATUS_SUCCESS);
  assertStatus(m.requestRemoval(pdo), STATUS_SUCCESS);
});

Deno.test("User mode: an application that closed on query-remove reopens after a cancel caused by another party: a kernel callback's veto, or a driver failing IRP_MN_QUERY_REMOVE_DEVICE (notify.exe: DBT_DEVICEQUERYREMOVEFAILED)", () => {
  for (const party of ["kernel callback", "driver"] as const) {
    const m = boot();
    const { pdo, link } = machineWithDevice(
      m,
      party === "driver" ? { failQueryRemove: STATUS_INVALID_DEVICE_STATE } : {},
    );
    if (party === "kernel callback") {
      monitor(m, "vetoer", link, { veto: STATUS_INVALID_DEVICE_STATE });
    }
    const opened = m.openDevice(link, { app: "notify" });
    assertStatus(opened.status, STATUS_SUCCESS);
    const opensBefore = m.devnode(pdo)!.opens;
    const before = mark(m);
    assertStatus(m.requestRemoval(pdo), STATUS_INVALID_DEVICE_STATE, party);
    assert.deepEqual(appActions(m, "notify", before), [
      "DBT_DEVICEQUERYREMOVE",
      "CloseHandle",
      "DBT_DEVICEQUERYREMOVEFAILED",
      "CreateFile",
    ], party);
    const reopen = m.trace.findLast((e) => e.kind === "app" && e.action === "CreateFile");
    assert.equal(reopen?.kind === "app" && reopen.detail?.status, STATUS_SUCCESS);
    assert.equal(
      m.devnode(pdo)?.opens,
      opensBefore,
      `${party}: the application holds the device again`,
    );
    assert.equal(m.devnode(pdo)?.state, "Started");
    // The reopened handle is still the application's: closing it works.
    assertStatus(m.closeHandle(opened.handle!), STATUS_SUCCESS);
  }
});

// ---- Vetoes from each party ---------------------------------------------------------------------------------------

Deno.test("Vetoes: an application handle, a kernel callback and a driver failing IRP_MN_QUERY_REMOVE_DEVICE each make requestRemoval return the veto status and leave the device Started with its interface active (docs/notifications.md#notify-vetoes; IRP_MN_QUERY_REMOVE_DEVICE)", () => {
  const cases = [
    {
      party: "application (vetoQueryRemove)",
      vetoType: "PNP_VetoWindowsApp",
      status: STATUS_UNSUCCESSFUL,
      setup: (m: Machine, link: string) => {
        m.app("presenter", { vetoQueryRemove: true }).openDevice(link);
      },
      options: {},
    },
    {
      party: "application handle (closeOnQueryRemove: false)",
      vetoType: "PNP_VetoOutstandingOpen",
      status: STATUS_UNSUCCESSFUL,
      setup: (m: Machine, link: string) => void m.openDevice(link, { closeOnQueryRemove: false }),
      options: {},
    },
    {
      party: "kernel callback",
      vetoType: "PNP_VetoDriver",
      status: STATUS_INVALID_DEVICE_STATE,
      setup: (m: Machine, link: string) =>
        void monitor(m, "vetoer", link, { veto: STATUS_INVALID_DEVICE_STATE }),
      options: {},
    },
    {
      party: "driver",
      vetoType: "PNP_VetoDevice",
      status: STATUS_INVALID_DEVICE_STATE,
      setup: () => {},
      options: { failQueryRemove: STATUS_INVALID_DEVICE_STATE },
    },
  ];
  for (const c of cases) {
    const m = boot();
    const iface = listen(m, "ifacewatch", EventCategoryDeviceInterfaceChange, GUID_WINETEST);
    const { pdo, link } = machineWithDevice(m, c.options);
    c.setup(m, link);
    assertStatus(m.requestRemoval(pdo), c.status, c.party);
    assert.equal(lastVeto(m)?.vetoType, c.vetoType, c.party);
    assert.equal(m.devnode(pdo)?.state, "Started", c.party);
    assert.deepEqual(m.kernel.IoGetDeviceInterfaces(GUID_WINETEST, null, 0).symbolicLinkList, [
      link,
    ], c.party);
    assert.deepEqual(told(m, iface.target).map((t) => t.eventName), [
      "GUID_DEVICE_INTERFACE_ARRIVAL",
    ], c.party);
    assert.equal(
      pnpIrps(m, INSTANCE).some((i) => i.minor === "IRP_MN_REMOVE_DEVICE"),
      false,
      c.party,
    );
  }
});

Deno.test("Vetoes: an application's veto comes before any kernel callback is queried, so kernel registrants hear neither QUERY_REMOVE nor REMOVE_CANCELLED, and toastmon keeps exactly its one open (docs/notifications.md#notify-vetoes: user mode first; Handling a GUID_TARGET_DEVICE_REMOVE_CANCELLED Event)", () => {
  const m = exampleMachine();
  const toaster = m.devices().find((id) => /MsToaster/i.test(id) && id.endsWith("01"))!;
  const pdo = m.device(toaster)!;
  const link = m.kernel.IoGetDeviceInterfaces(GUID_DEVINTERFACE_TOASTER, pdo, 0)
    .symbolicLinkList![0]!;
  const presenter = m.app("presenter", { vetoQueryRemove: true });
  assertStatus(presenter.openDevice(link).status, STATUS_SUCCESS);
  assert.equal(m.devnode(pdo)?.opens, 2, "toastmon and the application");
  const before = mark(m);
  assertStatus(m.requestRemoval(pdo), STATUS_UNSUCCESSFUL);
  assert.deepEqual(told(m, "toastmon!NotificationCallback").filter((t) => t.seq > before), []);
  assert.equal(m.devnode(pdo)?.opens, 2);
  // The application stops vetoing and closes: now toastmon is asked, closes, and the removal succeeds.
  presenter.options.vetoQueryRemove = false;
  assertStatus(m.requestRemoval(pdo), STATUS_SUCCESS);
  assert.equal(m.devnode(pdo)?.state, "Removed");
});

Deno.test("Vetoes: a kernel callback's veto cancels only the registrants that were queried: one registered after the vetoer hears neither QUERY_REMOVE nor REMOVE_CANCELLED (Handling a GUID_TARGET_DEVICE_REMOVE_CANCELLED Event)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  const first = monitor(m, "first", link, "close");
  monitor(m, "vetoer", link, { veto: STATUS_INVALID_DEVICE_STATE });
  const last = monitor(m, "last", link, "close");
  const before = mark(m);
  assertStatus(m.requestRemoval(pdo), STATUS_INVALID_DEVICE_STATE);
  assert.deepEqual(
    told(m).filter((t) => t.seq > before).map((t) => `${t.target.split("!")[0]} ${t.eventName}`),
    [
      "first GUID_TARGET_DEVICE_QUERY_REMOVE",
      "vetoer GUID_TARGET_DEVICE_QUERY_REMOVE",
      "first GUID_TARGET_DEVICE_REMOVE_CANCELLED",
      "vetoer GUID_TARGET_DEVICE_REMOVE_CANCELLED",
    ],
  );
  assert.equal(first.holding() && last.holding(), true);
  assert.equal(m.devnode(pdo)?.opens, 3);
});

Deno.test("Trace: for each notification of a removal the trace shows who was told, in what order, and what they answered (ground rule: nothing is silent)", () => {
  const m = boot();
  const { pdo, link } = machineWithDevice(m);
  monitor(m, "first", link, "close");
  monitor(m, "second", link, { veto: STATUS_UNSUCCESSFUL });
  m.openDevice(link, { app: "notify" });
  const before = mark(m);
  m.requestRemoval(pdo);
  const story = m.trace.filter((e) =>
    e.seq > before && (e.kind === "notify" || (e.kind === "app" && e.action.startsWith("DBT_")))
  )
    .map((e) =>
      e.kind === "notify"
        ? `${e.target} ${e.eventName} -> ${e.statusName}`
        : e.kind === "app"
        ? `app:${e.app} ${e.action}`
        : ""
    );
  assert.deepEqual(story, [
    "app:notify DBT_DEVICEQUERYREMOVE",
    "first!NotificationCallback GUID_TARGET_DEVICE_QUERY_REMOVE -> STATUS_SUCCESS",
    "second!NotificationCallback GUID_TARGET_DEVICE_QUERY_REMOVE -> STATUS_UNSUCCESSFUL",
    "first!NotificationCallback GUID_TARGET_DEVICE_REMOVE_CANCELLED -> STATUS_SUCCESS",
    "second!NotificationCallback GUID_TARGET_DEVICE_REMOVE_CANCELLED -> STATUS_SUCCESS",
    "app:notify DBT_DEVICEQUERYREMOVEFAILED",
  ]);
  assert.equal(
    JSON.stringify(m.trace),
    JSON.stringify(JSON.parse(JSON.stringify(m.trace))),
    "plain JSON",
  );
});

Deno.test("User mode: an application's CreateFile and DeviceIoControl are recorded as they start, before the IRP_MJ_CREATE and IRP_MJ_DEVICE_CONTROL they cause, with their status once they return (the trace is in call order, as a kernel debugger's stack shows the caller first)", () => {
  const m = exampleMachine();
  const app = m.app("toast");
  const link = m.kernel.IoGetDeviceInterfaces(GUID_DEVINTERFACE_TOASTER, null, 0)
    .symbolicLinkList![0]!;
  const from = mark(m);
  const { status, handle } = app.openDevice(link);
  assertStatus(status, STATUS_SUCCESS);
  app.deviceIoControl(handle!, 0x2a400c);
  const order = m.trace.filter((e) => e.seq > from).flatMap((e) =>
    e.kind === "app" && e.app === "toast"
      ? [`${e.action} ${e.detail?.status === STATUS_SUCCESS ? "ok" : e.detail?.status}`]
      : e.kind === "irp" && e.phase === "dispatch" && e.major !== "IRP_MJ_PNP"
      ? [e.major]
      : []
  );
  const first = (s: string) => order.findIndex((o) => o.startsWith(s));
  assert.ok(first("CreateFile ok") >= 0, order.join(", "));
  assert.ok(first("CreateFile") < first("IRP_MJ_CREATE"), order.join(", "));
  assert.ok(first("DeviceIoControl") < first("IRP_MJ_DEVICE_CONTROL"), order.join(", "));
});

Deno.test("User mode: a CreateFile that fails returns INVALID_HANDLE_VALUE with its status, and CloseHandle on that value is STATUS_INVALID_HANDLE (CreateFileW: 'If the function fails, the return value is INVALID_HANDLE_VALUE'; CloseHandle: ERROR_INVALID_HANDLE)", () => {
  const m = exampleMachine();
  const r = m.openDevice("\\\\?\\ROOT#NOTHING#0000#{cafef00d-0000-0000-0000-000000000000}");
  assert.notEqual(r.status, STATUS_SUCCESS);
  assert.equal(NT_SUCCESS(r.status), false);
  assert.equal(r.handle, INVALID_HANDLE_VALUE);
  assert.equal(String(r.handle), "0xffffffffffffffff");
  assertStatus(m.closeHandle(r.handle), STATUS_INVALID_HANDLE);
  const link = m.kernel.IoGetDeviceInterfaces(GUID_DEVINTERFACE_TOASTER, null, 0)
    .symbolicLinkList![0]!;
  const ok = m.openDevice(link);
  assertStatus(ok.status, STATUS_SUCCESS);
  assert.notEqual(ok.handle, INVALID_HANDLE_VALUE);
  assertStatus(m.closeHandle(ok.handle), STATUS_SUCCESS);
});
