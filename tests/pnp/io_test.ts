/**
 * The I/O manager under PnP: IRQL rules (bug check 0xC4 with the DDI compliance rule's code,
 * "IrqlIoPassive1"), completion routines and STATUS_MORE_PROCESSING_REQUIRED ("IoCompleteRequest",
 * "Postponing PnP IRP processing until lower drivers finish"), a pended PnP IRP
 * ("IoMarkIrpPending"), the STATUS_NOT_SUPPORTED preset of every PnP IRP
 * (docs/pnp.md#pnp-irp-preset), completing an IRP twice (bug check 0x44) and an exception escaping
 * driver code (bug check 0x7E), with the contract's promise that the host survives and `reboot()`
 * brings the machine back.
 */
import assert from "node:assert/strict";
import {
  boot,
  BugCheck,
  DelayedWorkQueue,
  type DeviceObject,
  DISPATCH_LEVEL,
  type DriverObject,
  Executive,
  GUID_DEVINTERFACE_NET,
  IoWorkItem,
  type Irp,
  IRP_MN_NAMES,
  IRP_MN_QUERY_STOP_DEVICE,
  IRP_MN_REMOVE_DEVICE,
  IRP_MN_START_DEVICE,
  type IrpEvent,
  type Kernel,
  KernelMode,
  KEVENT,
  type Machine,
  NotificationEvent,
  ntStatusName,
  PnpHangError,
  REG_MULTI_SZ,
  RunawayQueueError,
  STATUS_ACCESS_VIOLATION,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_PENDING,
  STATUS_SUCCESS,
  STATUS_TIMEOUT,
  SynchronizationEvent,
} from "../../mod.ts";
import {
  assertStatus,
  enumKey,
  functionDriver,
  irpSequence,
  mark,
  type MinorHook,
} from "./_helpers.ts";

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

// ---- IRQL -------------------------------------------------------------------------------------------

Deno.test("IoCreateDevice (IRQL PASSIVE_LEVEL; rule IrqlIoPassive1): called at DISPATCH_LEVEL in AddDevice is bug check 0xC4, parameter 1 = 0x2000A", () => {
  const m = boot();
  let buggy = true;
  m.loadDriver(functionDriver("irql", ["ROOT\\IRQL"], {
    AddDevice(k: Kernel, driver: DriverObject, pdo: DeviceObject): number {
      if (buggy) k.KeRaiseIrql(DISPATCH_LEVEL);
      const r = k.IoCreateDevice(driver, 0, null, 0x22, 0, false);
      const fdo = r.deviceObject!;
      fdo.DeviceExtension.LowerDeviceObject = k.IoAttachDeviceToDeviceStack(fdo, pdo);
      fdo.Flags &= ~0x80;
      return STATUS_SUCCESS;
    },
  }));
  const b = bugCheckOf(() => m.plugIn("ROOT\\IRQL"));
  assert.equal(b.code, 0xc4);
  assert.equal(b.name, "DRIVER_VERIFIER_DETECTED_VIOLATION");
  assert.equal(b.parameters[0], 0x2000a);
  assert.equal(b.parameters[1], DISPATCH_LEVEL, "the IRQL it was called at");
  assert.equal(b.rule, "IrqlIoPassive1");
  assert.ok(m.halted);
  assert.throws(() => m.kernel.KeGetCurrentIrql(), (e) => e === b);

  // The driver is fixed and the machine rebooted: the device enumerates and starts.
  buggy = false;
  m.reboot();
  assert.equal(m.halted, false);
  assert.equal(m.devnode("ROOT\\IRQL\\0")?.state, "Started");
});

// ---- Completion ---------------------------------------------------------------------------------------

/**
 * A stack for the completion tests: `ROOT\COMPLETE` with function driver `lowerfdo`, whose START
 * completion routine returns STATUS_MORE_PROCESSING_REQUIRED, and the upper device filter `upper`,
 * whose completion routine only records that it ran.
 */
function completionMachine(log: string[], options: { completeAgain: boolean }) {
  const m = boot();
  m.loadDriver(functionDriver("lowerfdo", ["ROOT\\COMPLETE"], {
    hooks: {
      [IRP_MN_START_DEVICE]: (k: Kernel, fdo: DeviceObject, irp: Irp) => {
        k.IoCopyCurrentIrpStackLocationToNext(irp);
        k.IoSetCompletionRoutine(
          irp,
          () => {
            log.push("lowerfdo completion routine");
            return STATUS_MORE_PROCESSING_REQUIRED;
          },
          null,
          true,
          true,
          true,
        );
        k.IoCallDriver(fdo.DeviceExtension.LowerDeviceObject as DeviceObject, irp);
        log.push("lowerfdo resumes after the lower drivers");
        const status = irp.IoStatus.Status;
        if (options.completeAgain) k.IoCompleteRequest(irp, 0);
        return status;
      },
    },
  }));
  m.loadDriver(functionDriver("upper", [], {
    hooks: {
      [IRP_MN_START_DEVICE]: (k: Kernel, filter: DeviceObject, irp: Irp) => {
        k.IoCopyCurrentIrpStackLocationToNext(irp);
        k.IoSetCompletionRoutine(
          irp,
          () => {
            log.push("upper completion routine");
            return STATUS_SUCCESS;
          },
          null,
          true,
          true,
          true,
        );
        return k.IoCallDriver(filter.DeviceExtension.LowerDeviceObject as DeviceObject, irp);
      },
    },
  }));
  m.registry.setValue(enumKey("ROOT\\COMPLETE\\0"), "UpperFilters", REG_MULTI_SZ, ["upper"]);
  return m;
}

Deno.test("IoCompleteRequest: a completion routine returning STATUS_MORE_PROCESSING_REQUIRED stops completion until the driver completes again", () => {
  const log: string[] = [];
  const m = completionMachine(log, { completeAgain: true });
  const pdo = m.plugIn("ROOT\\COMPLETE");
  assert.deepEqual(log, [
    "lowerfdo completion routine",
    "lowerfdo resumes after the lower drivers",
    "upper completion routine",
  ]);
  assert.equal(m.devnode(pdo)?.state, "Started");
});

Deno.test("IoCompleteRequest: after STATUS_MORE_PROCESSING_REQUIRED nothing above runs, and an IRP never completed again leaves PnP waiting", () => {
  const log: string[] = [];
  const m = completionMachine(log, { completeAgain: false });
  assert.throws(() => m.plugIn("ROOT\\COMPLETE"), PnpHangError);
  assert.deepEqual(log, [
    "lowerfdo completion routine",
    "lowerfdo resumes after the lower drivers",
  ]);
});

/**
 * A stack that pends START: `ROOT\PENDED` with function driver `pended` over the lower filter
 * `pender`. The filter marks START pending, queues a work item (IoQueueWorkItem) and returns
 * STATUS_PENDING; the system worker thread runs the work item while the PnP manager waits for the
 * IRP, and the work item passes START down to the bus driver. The function
 * driver passes START down with a completion routine that records PendingReturned and, as every
 * completion routine must when it is set, propagates the pending mark with IoMarkIrpPending.
 */
function pendingStartMachine(log: string[], options: { pend: boolean }) {
  const m = boot();
  const instance = "ROOT\\PENDED\\0";
  m.loadDriver(functionDriver("pender", [], {
    hooks: {
      [IRP_MN_START_DEVICE]: (k: Kernel, filter: DeviceObject, irp: Irp) => {
        if (!options.pend) return undefined;
        const lower = filter.DeviceExtension.LowerDeviceObject as DeviceObject;
        k.IoMarkIrpPending(irp);
        const item = k.IoAllocateWorkItem(filter)!;
        k.IoQueueWorkItem(item, (kw) => {
          log.push(`worker runs; device ${m.devnode(instance)?.state}`);
          kw.IoFreeWorkItem(item);
          kw.IoSkipCurrentIrpStackLocation(irp);
          kw.IoCallDriver(lower, irp);
        }, DelayedWorkQueue);
        log.push("pender returns STATUS_PENDING");
        return STATUS_PENDING;
      },
    },
  }));
  m.loadDriver(functionDriver("pended", ["ROOT\\PENDED"], {
    hooks: {
      [IRP_MN_START_DEVICE]: (k: Kernel, fdo: DeviceObject, irp: Irp) => {
        k.IoCopyCurrentIrpStackLocationToNext(irp);
        k.IoSetCompletionRoutine(
          irp,
          (kc: Kernel, _device: DeviceObject | null, done: Irp) => {
            log.push(
              `completion routine: PendingReturned ${done.PendingReturned}, ${
                ntStatusName(done.IoStatus.Status)
              }`,
            );
            if (done.PendingReturned) kc.IoMarkIrpPending(done);
            return STATUS_SUCCESS;
          },
          null,
          true,
          true,
          true,
        );
        const status = k.IoCallDriver(fdo.DeviceExtension.LowerDeviceObject as DeviceObject, irp);
        log.push(`pended's IoCallDriver returned ${ntStatusName(status)}`);
        return status;
      },
    },
  }));
  m.registry.setValue(enumKey(instance), "LowerFilters", REG_MULTI_SZ, ["pender"]);
  return m;
}

Deno.test("IoMarkIrpPending (IRP_MN_START_DEVICE may pend): a lower driver pends START and passes it down later; the completion routine above sees PendingReturned TRUE and the device starts", () => {
  const log: string[] = [];
  const m = pendingStartMachine(log, { pend: true });
  const pdo = m.plugIn("ROOT\\PENDED");
  assert.deepEqual(log, [
    "pender returns STATUS_PENDING",
    "pended's IoCallDriver returned STATUS_PENDING",
    "worker runs; device Added",
    "completion routine: PendingReturned true, STATUS_SUCCESS",
  ]);
  const node = m.devnode(pdo)!;
  assert.deepEqual(node.stack.map((d) => `${d.role} ${d.driver}`), [
    "FDO \\Driver\\pended",
    "filter \\Driver\\pender",
    "PDO \\Driver\\PnpManager",
  ]);
  assert.equal(node.state, "Started");
  // PnP waited for the pended START before going on: the IRPs after a successful START follow it
  // ("Adding a PnP Device to a Running System", docs/pnp.md#pnp-enumeration).
  const sequence = irpSequence(m, node.instanceId);
  assert.deepEqual(sequence.slice(sequence.indexOf("START_DEVICE")), [
    "START_DEVICE",
    "QUERY_CAPABILITIES",
    "QUERY_PNP_DEVICE_STATE",
    "QUERY_DEVICE_RELATIONS(BusRelations)",
  ]);
  assert.deepEqual(m.verifier.findings, []);
});

Deno.test("IoMarkIrpPending: when no lower driver pended the IRP, the completion routine sees PendingReturned FALSE", () => {
  const log: string[] = [];
  const m = pendingStartMachine(log, { pend: false });
  const pdo = m.plugIn("ROOT\\PENDED");
  assert.deepEqual(log, [
    "completion routine: PendingReturned false, STATUS_SUCCESS",
    "pended's IoCallDriver returned STATUS_SUCCESS",
  ]);
  assert.equal(m.devnode(pdo)?.state, "Started");
});

Deno.test("IoCompleteRequest: completing an IRP twice is bug check 0x44 MULTIPLE_IRP_COMPLETE_REQUESTS", () => {
  const m = boot();
  m.loadDriver(functionDriver("twice", ["ROOT\\TWICE"], {
    hooks: {
      [IRP_MN_START_DEVICE]: (k: Kernel, _fdo: DeviceObject, irp: Irp) => {
        irp.IoStatus.Status = STATUS_SUCCESS;
        k.IoCompleteRequest(irp, 0);
        k.IoCompleteRequest(irp, 0);
        return STATUS_SUCCESS;
      },
    },
  }));
  const b = bugCheckOf(() => m.plugIn("ROOT\\TWICE"));
  assert.equal(b.code, 0x44);
  assert.equal(b.name, "MULTIPLE_IRP_COMPLETE_REQUESTS");
  assert.ok(m.halted);
});

Deno.test("Bug checks: an exception escaping driver code is bug check 0x7E; the host survives and reboot() recovers", () => {
  const m = boot();
  m.loadDriver(functionDriver("thrower", ["ROOT\\THROWER"], {
    hooks: {
      [IRP_MN_QUERY_STOP_DEVICE]: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'Buffer')");
      },
    },
  }));
  const pdo = m.plugIn("ROOT\\THROWER");
  const b = bugCheckOf(() => m.rebalance(pdo));
  assert.equal(b.code, 0x7e);
  assert.equal(b.name, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED");
  assert.equal(b.parameters[0], STATUS_ACCESS_VIOLATION);
  assert.match(b.message, /thrower!DispatchPnp/);
  assert.ok(m.trace.some((e) => e.kind === "bugcheck" && e.code === 0x7e));
  assert.throws(() => m.settle(), (e) => e === b);

  m.reboot();
  assert.equal(m.halted, false);
  const from = mark(m);
  const again = m.device("ROOT\\THROWER\\0");
  assert.ok(again, "the device came back after the reboot");
  assert.equal(m.devnode(again)?.state, "Started");
  const pdo2 = m.plugIn("ROOT\\THROWER");
  assert.deepEqual(
    irpSequence(m, m.devnode(pdo2)!.instanceId, from).includes("START_DEVICE"),
    true,
  );
});

// ---- The STATUS_NOT_SUPPORTED preset -------------------------------------------------------------------

/** Each PnP IRP's completion on a stack since a mark, as `MINOR STATUS_NAME`. */
function pnpCompletions(m: Machine, instance: string, from = 0): string[] {
  return m.trace.slice(from).flatMap((e) =>
    e.kind === "irp" && e.phase === "complete" && e.major === "IRP_MJ_PNP" &&
      e.instance === instance
      ? [`${(e.minor ?? "").replace(/^IRP_MN_/, "")} ${e.statusName}`]
      : []
  );
}

Deno.test("docs/pnp.md#pnp-irp-preset (PnP presets IoStatus.Status = STATUS_NOT_SUPPORTED): every PnP IRP reaches the function driver with Status STATUS_NOT_SUPPORTED", () => {
  const m = boot();
  const arrivals: string[] = [];
  const record: MinorHook = (k, _fdo, irp) => {
    const minor = k.IoGetCurrentIrpStackLocation(irp).MinorFunction;
    arrivals.push(`${IRP_MN_NAMES[minor]} ${ntStatusName(irp.IoStatus.Status)}`);
    return undefined;
  };
  const hooks = Object.fromEntries(Object.keys(IRP_MN_NAMES).map((minor) => [minor, record]));
  m.loadDriver(functionDriver("arrival", ["ROOT\\ARRIVAL"], { hooks }));
  const pdo = m.plugIn("ROOT\\ARRIVAL");
  m.rebalance(pdo);
  assertStatus(m.requestRemoval(pdo), STATUS_SUCCESS);
  const minors = [...new Set(arrivals.map((a) => a.split(" ")[0]))].sort();
  assert.deepEqual(minors, [
    "IRP_MN_FILTER_RESOURCE_REQUIREMENTS",
    "IRP_MN_QUERY_CAPABILITIES",
    "IRP_MN_QUERY_DEVICE_RELATIONS",
    "IRP_MN_QUERY_PNP_DEVICE_STATE",
    "IRP_MN_QUERY_REMOVE_DEVICE",
    "IRP_MN_QUERY_STOP_DEVICE",
    "IRP_MN_REMOVE_DEVICE",
    "IRP_MN_START_DEVICE",
    "IRP_MN_STOP_DEVICE",
  ]);
  assert.deepEqual(arrivals.filter((a) => !a.endsWith(" STATUS_NOT_SUPPORTED")), []);
});

Deno.test("dispatchpnp-routines (a bus driver completes an IRP it does not handle with the existing status): an IRP nobody handles completes with the preset STATUS_NOT_SUPPORTED", () => {
  // A raw root device: PnP's own PDO, no driver above it.
  const m = boot();
  const raw = m.plugIn({ hardwareIds: ["ROOT\\PLAIN"], rawDeviceOk: true });
  const plain = pnpCompletions(m, m.devnode(raw)!.instanceId);
  for (const minor of ["QUERY_BUS_INFORMATION", "QUERY_RESOURCES", "QUERY_RESOURCE_REQUIREMENTS"]) {
    assert.deepEqual(plain.filter((c) => c.startsWith(`${minor} `)), [
      `${minor} STATUS_NOT_SUPPORTED`,
    ]);
  }
  // A function driver that passes FILTER_RESOURCE_REQUIREMENTS down without touching IoStatus
  // ("Passing PnP IRPs down the device stack"): the bus completes it as it arrived.
  m.loadDriver(functionDriver("passer", ["ROOT\\PASSER"]));
  const from = mark(m);
  const passer = m.plugIn("ROOT\\PASSER");
  const completions = pnpCompletions(m, m.devnode(passer)!.instanceId, from);
  assert.deepEqual(completions.filter((c) => c.startsWith("FILTER_RESOURCE_REQUIREMENTS ")), [
    "FILTER_RESOURCE_REQUIREMENTS STATUS_NOT_SUPPORTED",
  ]);
  assert.equal(m.devnode(passer)?.state, "Started");
});

Deno.test("A filter without its own open routines passes IRP_MJ_CREATE, CLEANUP and CLOSE down to the function driver, which completes them (a pass-through filter passes every IRP it does not handle)", () => {
  const m = boot();
  m.loadDriver({ name: "widget", hardwareIds: ["ROOT\\WIDGET"] });
  m.loadDriver({ name: "watcher" });
  m.registry.setValue(enumKey("ROOT\\WIDGET\\0"), "UpperFilters", REG_MULTI_SZ, ["watcher"]);
  const pdo = m.plugIn("ROOT\\WIDGET");
  const k = m.kernel;
  const { symbolicLinkName } = k.IoRegisterDeviceInterface(pdo, GUID_DEVINTERFACE_NET);
  assert.equal(k.IoSetDeviceInterfaceState(symbolicLinkName!, true), STATUS_SUCCESS);
  const from = mark(m);
  const { status, fileObject } = k.IoGetDeviceObjectPointer(symbolicLinkName!, 0x1);
  assert.equal(status, STATUS_SUCCESS);
  k.ObDereferenceObject(fileObject!);
  const opens = m.trace.slice(from).filter((e): e is IrpEvent =>
    e.kind === "irp" && e.major !== "IRP_MJ_PNP"
  );
  const route = (major: string, phase: string) =>
    opens.filter((e) => e.major === major && e.phase === phase).map((e) => e.driver);
  assert.deepEqual(route("IRP_MJ_CREATE", "dispatch"), ["watcher", "widget"]);
  assert.deepEqual(route("IRP_MJ_CREATE", "complete"), ["widget"]);
  assert.deepEqual(route("IRP_MJ_CLOSE", "dispatch"), ["watcher", "widget"]);
});

Deno.test("A driver's ObReferenceObject is a traced routine call like ObDereferenceObject, and counts the reference (nothing is silent; IRP_MN_QUERY_DEVICE_RELATIONS: the bus references each PDO it reports)", () => {
  const m = boot();
  const pdo = m.plugIn("ROOT\\COUNTED");
  const before = pdo.references;
  const from = mark(m);
  m.kernel.ObReferenceObject(pdo);
  assert.equal(pdo.references, before + 1);
  m.kernel.ObDereferenceObject(pdo);
  assert.equal(pdo.references, before);
  const calls = m.trace.slice(from).flatMap((e) => e.kind === "call" ? [e.routine] : []);
  assert.deepEqual(calls, ["ObReferenceObject", "ObDereferenceObject"]);
});

Deno.test("IoQueueWorkItem: the routine runs later, at PASSIVE_LEVEL in a system thread, as the driver, with the work item's device object and the context, even when queued at DISPATCH_LEVEL (IO_WORKITEM_ROUTINE: 'runs at IRQL = PASSIVE_LEVEL and in a system thread context'; IoQueueWorkItem: IRQL <= DISPATCH_LEVEL)", () => {
  const m = boot();
  const pdo = m.plugIn("ROOT\\WORKER");
  const k = m.kernel;
  const ran: string[] = [];
  const item = k.IoAllocateWorkItem(pdo)!;
  assert.ok(item instanceof IoWorkItem);
  const old = k.KeRaiseIrql(DISPATCH_LEVEL);
  k.IoQueueWorkItem(
    item,
    (kw, device, context) => {
      ran.push(`${device === pdo} ${context} IRQL ${kw.KeGetCurrentIrql()}`);
      kw.ObReferenceObject(device);
      kw.ObDereferenceObject(device);
    },
    DelayedWorkQueue,
    "ctx",
  );
  k.KeLowerIrql(old);
  assert.equal(ran.length, 0, "nothing runs until the worker thread gets to it");
  const from = mark(m);
  m.settle();
  assert.deepEqual(ran, ["true ctx IRQL 0"]);
  const calls = m.trace.slice(from).flatMap((e) =>
    e.kind === "call" ? [`${e.caller} ${e.routine}`] : []
  );
  // The PDO's driver (the model's bus, PnpManager) owns the work item: its routine is the caller.
  assert.deepEqual(calls, [
    "PnpManager!WorkItem ObReferenceObject",
    "PnpManager!WorkItem ObDereferenceObject",
  ]);
  // Requeued after it ran, it runs again; freed, it cannot be queued.
  k.IoQueueWorkItem(item, () => ran.push("again"), DelayedWorkQueue);
  k.IoFreeWorkItem(item);
  m.settle();
  assert.deepEqual(ran, ["true ctx IRQL 0", "again"], "a queued item is not freed");
  k.IoFreeWorkItem(item);
  k.IoQueueWorkItem(item, () => ran.push("after free"), DelayedWorkQueue);
  m.settle();
  assert.equal(ran.length, 2);
  assert.equal(k.IoAllocateWorkItem(null as unknown as DeviceObject), null);
});

Deno.test("IoQueueWorkItem: a queued work item keeps its driver loaded: the driver whose last device is removed while its work item waits unloads only after the routine ran ('System Worker Threads': IoQueueWorkItem references the device object so the driver is not unloaded)", () => {
  const m = boot();
  const events: string[] = [];
  m.loadDriver(functionDriver("lingering", ["ROOT\\LINGER"], {
    Unload: () => {
      events.push("Unload");
    },
    hooks: {
      [IRP_MN_REMOVE_DEVICE]: (k: Kernel, fdo: DeviceObject, irp: Irp) => {
        const item = k.IoAllocateWorkItem(fdo)!;
        k.IoQueueWorkItem(item, (kw, device) => {
          events.push(`work item (device deleted: ${(device as DeviceObject).deleted})`);
          kw.IoFreeWorkItem(item);
        }, DelayedWorkQueue);
        const lower = fdo.DeviceExtension.LowerDeviceObject as DeviceObject;
        k.IoSkipCurrentIrpStackLocation(irp);
        const status = k.IoCallDriver(lower, irp);
        k.IoDetachDevice(lower);
        k.IoDeleteDevice(fdo);
        events.push("FDO deleted");
        return status;
      },
    },
  }));
  const pdo = m.plugIn("ROOT\\LINGER");
  assertStatus(m.requestRemoval(pdo), STATUS_SUCCESS);
  assert.deepEqual(events, ["FDO deleted", "work item (device deleted: true)", "Unload"]);
});

/**
 * The function driver of "Postponing PnP IRP processing until lower drivers finish": on START it
 * sets a completion routine that signals an event and returns STATUS_MORE_PROCESSING_REQUIRED,
 * calls down, waits on the event if the lower drivers returned STATUS_PENDING, then finishes the
 * IRP itself. `forward` uses IoForwardIrpSynchronously, which does the same.
 */
function waitingDriver(log: string[], forward: boolean) {
  return functionDriver("waiter", ["ROOT\\PENDED"], {
    hooks: {
      [IRP_MN_START_DEVICE]: (k: Kernel, fdo: DeviceObject, irp: Irp) => {
        const lower = fdo.DeviceExtension.LowerDeviceObject as DeviceObject;
        if (forward) {
          log.push(`IoForwardIrpSynchronously ${k.IoForwardIrpSynchronously(lower, irp)}`);
        } else {
          const event = new KEVENT();
          k.KeInitializeEvent(event, NotificationEvent, false);
          k.IoCopyCurrentIrpStackLocationToNext(irp);
          k.IoSetCompletionRoutine(
            irp,
            (kc: Kernel) => {
              kc.KeSetEvent(event, 0, false);
              return STATUS_MORE_PROCESSING_REQUIRED;
            },
            null,
            true,
            true,
            true,
          );
          const status = k.IoCallDriver(lower, irp);
          log.push(`IoCallDriver ${ntStatusName(status)}`);
          if (status === STATUS_PENDING) {
            const wait = k.KeWaitForSingleObject(event, Executive, KernelMode, false, null);
            log.push(`KeWaitForSingleObject ${ntStatusName(wait)}`);
          }
        }
        log.push(`lower drivers finished: ${ntStatusName(irp.IoStatus.Status)}`);
        const status = irp.IoStatus.Status;
        k.IoCompleteRequest(irp, 0);
        return status;
      },
    },
  });
}

for (const forward of [false, true]) {
  Deno.test(`Postponing PnP IRP processing until lower drivers finish (${forward ? "IoForwardIrpSynchronously" : "KeInitializeEvent, completion routine, KeWaitForSingleObject"}): a lower filter pends START and finishes it from a work item; the function driver waits, then completes START, and the device starts`, () => {
    const log: string[] = [];
    const m = boot();
    m.loadDriver(functionDriver("pender", [], {
      hooks: {
        [IRP_MN_START_DEVICE]: (k: Kernel, filter: DeviceObject, irp: Irp) => {
          k.IoMarkIrpPending(irp);
          const item = k.IoAllocateWorkItem(filter)!;
          k.IoQueueWorkItem(item, (kw) => {
            log.push("work item passes START down");
            kw.IoFreeWorkItem(item);
            kw.IoSkipCurrentIrpStackLocation(irp);
            kw.IoCallDriver(filter.DeviceExtension.LowerDeviceObject as DeviceObject, irp);
          }, DelayedWorkQueue);
          return STATUS_PENDING;
        },
      },
    }));
    m.loadDriver(waitingDriver(log, forward));
    m.registry.setValue(enumKey("ROOT\\PENDED\\0"), "LowerFilters", REG_MULTI_SZ, ["pender"]);
    const pdo = m.plugIn("ROOT\\PENDED");
    assert.deepEqual(
      log,
      forward
        ? [
          "work item passes START down",
          "IoForwardIrpSynchronously true",
          "lower drivers finished: STATUS_SUCCESS",
        ]
        : [
          "IoCallDriver STATUS_PENDING",
          "work item passes START down",
          "KeWaitForSingleObject STATUS_SUCCESS",
          "lower drivers finished: STATUS_SUCCESS",
        ],
    );
    assert.equal(m.devnode(pdo)?.state, "Started");
    assert.deepEqual(m.verifier.findings, []);
  });
}

Deno.test("KeWaitForSingleObject: a signaled event satisfies the wait at once (a synchronization event resets, a notification event stays signaled); an unsignaled one times out with a zero or finite timeout (STATUS_TIMEOUT) and, waited on forever with nothing left to set it, hangs; KeSetEvent returns the previous state", () => {
  const k = boot().kernel;
  const notification = new KEVENT();
  k.KeInitializeEvent(notification, NotificationEvent, true);
  assertStatus(
    k.KeWaitForSingleObject(notification, Executive, KernelMode, false, 0),
    STATUS_SUCCESS,
  );
  assertStatus(
    k.KeWaitForSingleObject(notification, Executive, KernelMode, false, 0),
    STATUS_SUCCESS,
  );
  assert.equal(k.KeReadStateEvent(notification), 1);

  const sync = new KEVENT();
  k.KeInitializeEvent(sync, SynchronizationEvent, false);
  assertStatus(k.KeWaitForSingleObject(sync, Executive, KernelMode, false, 0), STATUS_TIMEOUT);
  assert.equal(k.KeSetEvent(sync, 0, false), 0, "it was not signaled");
  assert.equal(k.KeSetEvent(sync, 0, false), 1, "now it was");
  assertStatus(k.KeWaitForSingleObject(sync, Executive, KernelMode, false, 0), STATUS_SUCCESS);
  assert.equal(k.KeReadStateEvent(sync), 0, "the satisfied wait reset it");
  // -10,000,000 = one second, relative (100 ns units).
  assertStatus(
    k.KeWaitForSingleObject(sync, Executive, KernelMode, false, -10_000_000n),
    STATUS_TIMEOUT,
  );
  assert.throws(
    () => k.KeWaitForSingleObject(sync, Executive, KernelMode, false, null),
    (e: unknown) => e instanceof PnpHangError && /KeWaitForSingleObject/.test(e.message),
  );
  k.KeSetEvent(notification, 0, false);
  assert.equal(k.KeResetEvent(notification), 1);
  k.KeClearEvent(notification);
  assert.equal(k.KeReadStateEvent(notification), 0);
});

Deno.test("KeWaitForSingleObject with a non-zero timeout at DISPATCH_LEVEL breaks its IRQL rule ('if Timeout = NULL or *Timeout != 0, the caller must be running at IRQL <= APC_LEVEL'); a zero timeout may poll at DISPATCH_LEVEL", () => {
  const m = boot({ verifier: "warn" });
  const k = m.kernel;
  const event = new KEVENT();
  k.KeInitializeEvent(event, NotificationEvent, true);
  const old = k.KeRaiseIrql(DISPATCH_LEVEL);
  assertStatus(k.KeWaitForSingleObject(event, Executive, KernelMode, false, 0), STATUS_SUCCESS);
  assert.equal(m.verifier.findings.length, 0);
  k.KeWaitForSingleObject(event, Executive, KernelMode, false, -1n);
  k.KeLowerIrql(old);
  assert.deepEqual(m.verifier.findings.map((f) => f.rule), ["IrqlRequirement"]);
});

Deno.test("IoQueueWorkItem: a work item may be allocated for the driver object ('the caller's driver object or one of the caller's device objects'), and a worker routine that returns at raised IRQL is bug check 0xE1 WORKER_THREAD_RETURNED_AT_BAD_IRQL (parameter 2: the IRQL)", () => {
  const m = boot();
  const driver = m.loadDriver(functionDriver("worker", ["ROOT\\WORKER"]));
  const k = m.kernel;
  const item = k.IoAllocateWorkItem(driver)!;
  const got: unknown[] = [];
  k.IoQueueWorkItem(item, (_k, object) => got.push(object), DelayedWorkQueue);
  m.settle();
  assert.deepEqual(got, [driver]);
  k.IoQueueWorkItem(item, (kw) => {
    kw.KeRaiseIrql(DISPATCH_LEVEL);
  }, DelayedWorkQueue);
  const b = bugCheckOf(() => m.settle());
  assert.equal(b.code, 0xe1);
  assert.equal(b.name, "WORKER_THREAD_RETURNED_AT_BAD_IRQL");
  assert.equal(b.parameters[1], DISPATCH_LEVEL);
});

Deno.test("KeWaitForSingleObject in a PnP IRP's dispatch routine blocks the PnP thread: while the driver waits only work items run (the system worker threads), and PnP's own queued work waits until it returns (PnP device actions run one at a time)", () => {
  const m = boot();
  const order: string[] = [];
  m.loadDriver(functionDriver("patient", ["ROOT\\PATIENT"], {
    hooks: {
      [IRP_MN_START_DEVICE]: (k: Kernel, fdo: DeviceObject, irp: Irp) => {
        // Queue PnP work (an enumeration of the root) and a work item, then wait for the work item.
        k.IoInvalidateDeviceRelations(m.device("HTREE\\ROOT\\0")!, 0);
        const before = enumerations();
        const done = new KEVENT();
        k.KeInitializeEvent(done, NotificationEvent, false);
        const item = k.IoAllocateWorkItem(fdo)!;
        k.IoQueueWorkItem(item, (kw) => {
          order.push("work item");
          kw.KeSetEvent(done, 0, false);
        }, DelayedWorkQueue);
        k.KeWaitForSingleObject(done, Executive, KernelMode, false, null);
        order.push(`wait over; root enumerations meanwhile ${enumerations() - before}`);
        k.IoSkipCurrentIrpStackLocation(irp);
        return k.IoCallDriver(fdo.DeviceExtension.LowerDeviceObject as DeviceObject, irp);
      },
    },
  }));
  const enumerations = () =>
    m.trace.filter((e) =>
      e.kind === "irp" && e.phase === "dispatch" && e.instance === "HTREE\\ROOT\\0" &&
      e.minor === "IRP_MN_QUERY_DEVICE_RELATIONS"
    ).length;
  const atStart = enumerations();
  m.plugIn("ROOT\\PATIENT");
  assert.deepEqual(order, ["work item", "wait over; root enumerations meanwhile 0"]);
  assert.ok(
    enumerations() > atStart + 1,
    "the queued enumeration of the root ran after START returned",
  );
});

Deno.test("KeWaitForSingleObject: a work item that keeps queuing itself while a driver waits is cut off like a runaway settle() (RunawayQueueError)", () => {
  const m = boot({ maxQueuedActions: 500 });
  const pdo = m.plugIn("ROOT\\SPINNER");
  const k = m.kernel;
  const item = k.IoAllocateWorkItem(pdo)!;
  const spin = (kw: Kernel) => kw.IoQueueWorkItem(item, spin, DelayedWorkQueue);
  k.IoQueueWorkItem(item, spin, DelayedWorkQueue);
  const never = new KEVENT();
  k.KeInitializeEvent(never, NotificationEvent, false);
  assert.throws(
    () => k.KeWaitForSingleObject(never, Executive, KernelMode, false, null),
    (e: unknown) => e instanceof RunawayQueueError,
  );
});
