/**
 * Resource bounds (DESIGN-NOTES "Time and concurrency": "A runaway queue (an action that keeps
 * enqueueing more) is cut off after a configurable bound with a clear error that names the repeating
 * action"). Two scenarios that would loop forever: a notification callback that re-enables an
 * interface on its removal (and disables it on its arrival), and a bus driver that answers every
 * BusRelations query with one more new PDO and invalidates its relations again. Each stops with a
 * `RunawayQueueError` after exactly `boot({ maxQueuedActions })` actions.
 */
import assert from "node:assert/strict";
import {
  boot,
  BusQueryDeviceID,
  BusQueryHardwareIDs,
  BusQueryInstanceID,
  BusRelations,
  declarativeDriver,
  type DeviceObject,
  type DriverObject,
  EventCategoryDeviceInterfaceChange,
  GUID_DEVICE_INTERFACE_ARRIVAL,
  GUID_DEVICE_INTERFACE_REMOVAL,
  type Irp,
  IRP_MN_QUERY_CAPABILITIES,
  IRP_MN_QUERY_DEVICE_RELATIONS,
  IRP_MN_QUERY_ID,
  IRP_MN_REMOVE_DEVICE,
  type Kernel,
  type Machine,
  type NotificationStructure,
  RunawayQueueError,
  STATUS_SUCCESS,
} from "../../mod.ts";

const GUID_FLAP = "{0badf00d-5eed-4a11-9e57-0000000000f1}";

/** A machine whose listener re-enables the flapping device's interface on each removal. */
function flappingMachine(maxQueuedActions?: number): { m: Machine; calls: () => number } {
  const m = boot(maxQueuedActions === undefined ? {} : { maxQueuedActions });
  let calls = 0;
  let listener: DriverObject | null = null;
  m.loadDriver(
    declarativeDriver({ name: "flap", hardwareIds: ["RW\\FLAP"], interfaces: [GUID_FLAP] }),
  );
  m.loadDriver({
    name: "flapmon",
    DriverEntry(_k: Kernel, driver: DriverObject): number {
      listener = driver;
      return STATUS_SUCCESS;
    },
  });
  const k = m.kernel;
  k.IoRegisterPlugPlayNotification(
    EventCategoryDeviceInterfaceChange,
    0,
    GUID_FLAP,
    listener!,
    (n: NotificationStructure) => {
      calls++;
      const link = (n as { SymbolicLinkName: string }).SymbolicLinkName;
      // Re-enable on removal; disable on arrival (a "watchdog" that fights itself).
      if (n.Event === GUID_DEVICE_INTERFACE_REMOVAL) k.IoSetDeviceInterfaceState(link, true);
      else if (n.Event === GUID_DEVICE_INTERFACE_ARRIVAL) k.IoSetDeviceInterfaceState(link, false);
      return STATUS_SUCCESS;
    },
  );
  return { m, calls: () => calls };
}

Deno.test("a callback that re-enables an interface on its removal is stopped after maxQueuedActions with a RunawayQueueError naming the interface notification", () => {
  for (const limit of [300, 2000]) {
    const { m, calls } = flappingMachine(limit);
    assert.throws(
      () => m.plugIn("RW\\FLAP"),
      (e) => {
        assert.ok(e instanceof RunawayQueueError, String(e));
        assert.equal(e.name, "RunawayQueueError");
        assert.equal(e.count, limit);
        // The action as it was queued, GUID and instance intact.
        assert.match(e.action, /^notify interface (ARRIVAL|REMOVAL) /);
        assert.equal(e.action.replace(/^\S+ \S+ \S+ /, ""), `\\??\\RW#FLAP#0#${GUID_FLAP}`);
        assert.ok(e.message.includes(`'${e.action}' keeps being queued`), e.message);
        assert.ok(e.message.includes("maxQueuedActions"), e.message);
        return true;
      },
    );
    // The callbacks ran about once per cut-off action, then stopped; the machine still answers.
    assert.ok(calls() > limit / 3 && calls() <= limit, `${calls()} callbacks for ${limit}`);
    assert.equal(m.queue.length, 0);
    assert.equal(m.halted, false);
    m.settle();
  }
});

/**
 * A bus driver gone wrong: each IRP_MN_QUERY_DEVICE_RELATIONS(BusRelations) creates one more child
 * PDO, reports every child so far, and calls IoInvalidateDeviceRelations again. Its PDOs answer the
 * identification IRPs as a bus driver must.
 */
function runawayBusDriver(counter: { children: number }) {
  const pdoDispatch = (k: Kernel, pdo: DeviceObject, irp: Irp): number => {
    const loc = k.IoGetCurrentIrpStackLocation(irp);
    let status = irp.IoStatus.Status;
    if (loc.MinorFunction === IRP_MN_QUERY_ID) {
      const type = loc.Parameters.QueryId?.IdType;
      const n = pdo.DeviceExtension.ChildNumber as number;
      const id = type === BusQueryDeviceID
        ? "RUNAWAY\\CHILD"
        : type === BusQueryInstanceID
        ? String(n)
        : type === BusQueryHardwareIDs
        ? ["RUNAWAY\\CHILD"]
        : undefined;
      if (id !== undefined) {
        irp.IoStatus.Information = id;
        status = STATUS_SUCCESS;
      }
    } else if (loc.MinorFunction === IRP_MN_QUERY_CAPABILITIES) {
      const caps = loc.Parameters.DeviceCapabilities?.Capabilities as { UniqueID: boolean };
      caps.UniqueID = true;
      status = STATUS_SUCCESS;
    } else if (loc.MinorFunction === IRP_MN_REMOVE_DEVICE) {
      status = STATUS_SUCCESS;
    } else if (loc.MinorFunction <= 0x0e && loc.MinorFunction !== IRP_MN_QUERY_DEVICE_RELATIONS) {
      // START, QUERY_REMOVE, CANCEL_REMOVE, STOP, QUERY_STOP, CANCEL_STOP, SURPRISE_REMOVAL ...
      status = STATUS_SUCCESS;
    }
    irp.IoStatus.Status = status;
    k.IoCompleteRequest(irp, 0);
    return status;
  };
  return declarativeDriver({ name: "runawaybus", hardwareIds: ["RUNAWAY\\BUS"] }, {
    DispatchPnp(k: Kernel, device: DeviceObject, irp: Irp): number {
      if (device.DeviceExtension.ChildNumber !== undefined) return pdoDispatch(k, device, irp);
      const loc = k.IoGetCurrentIrpStackLocation(irp);
      const lower = device.DeviceExtension.LowerDeviceObject as DeviceObject;
      if (
        loc.MinorFunction === IRP_MN_QUERY_DEVICE_RELATIONS &&
        loc.Parameters.QueryDeviceRelations?.Type === BusRelations
      ) {
        const created = k.IoCreateDevice(device.DriverObject, 0, null, 0x22, 0x100, false);
        const pdo = created.deviceObject!;
        pdo.DeviceExtension.ChildNumber = counter.children++;
        pdo.Flags &= ~0x80;
        const children = (device.DeviceExtension.Children ??= []) as DeviceObject[];
        children.push(pdo);
        for (const child of children) k.ObReferenceObject(child);
        irp.IoStatus.Information = [...children];
        irp.IoStatus.Status = STATUS_SUCCESS;
        // "There are more": the bug that never ends.
        k.IoInvalidateDeviceRelations(device.DeviceExtension.Pdo as DeviceObject, BusRelations);
        k.IoSkipCurrentIrpStackLocation(irp);
        return k.IoCallDriver(lower, irp);
      }
      irp.IoStatus.Status = loc.MinorFunction === IRP_MN_REMOVE_DEVICE
        ? STATUS_SUCCESS
        : irp.IoStatus.Status;
      k.IoSkipCurrentIrpStackLocation(irp);
      return k.IoCallDriver(lower, irp);
    },
    AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
      const fdo = k.IoCreateDevice(driver, 0, null, 0x22, 0x100, false).deviceObject!;
      fdo.DeviceExtension.LowerDeviceObject = k.IoAttachDeviceToDeviceStack(fdo, pdo);
      fdo.DeviceExtension.Pdo = pdo;
      fdo.Flags &= ~0x80;
      return STATUS_SUCCESS;
    },
  });
}

Deno.test("a bus that reports a new child on every BusRelations query and invalidates its relations again is stopped after maxQueuedActions with a RunawayQueueError naming the bus enumeration", () => {
  for (const limit of [400, 1500]) {
    const counter = { children: 0 };
    const m = boot({ maxQueuedActions: limit });
    m.loadDriver(runawayBusDriver(counter));
    assert.throws(
      () => m.plugIn("RUNAWAY\\BUS"),
      (e) => {
        assert.ok(e instanceof RunawayQueueError, String(e));
        assert.equal(e.count, limit);
        assert.equal(e.action, "enumerate RUNAWAY\\BUS\\0");
        assert.ok(e.message.includes(`'${e.action}' keeps being queued`), e.message);
        return true;
      },
    );
    // One child per enumeration, about half the actions (the other half configure them).
    assert.ok(
      counter.children > limit / 4 && counter.children <= limit,
      `${counter.children} children for ${limit} actions`,
    );
    assert.equal(m.queue.length, 0);
  }
});

Deno.test("the runaway bound defaults to 100,000 queued actions and a well-behaved machine stays far below it", () => {
  const m = boot();
  assert.equal(m.queue.limit, 100_000);
  m.loadDriver(declarativeDriver({ name: "calm", hardwareIds: ["RW\\CALM"] }));
  for (let i = 0; i < 50; i++) m.plugIn("RW\\CALM");
  assert.equal(m.devices().length, 51);
});
