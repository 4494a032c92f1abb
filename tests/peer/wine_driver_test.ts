/**
 * The peer test of Wine's main kernel test driver, `dlls/ntoskrnl.exe/tests/driver.c`
 * (wine-mirror/wine 03d6a8678629), whose `ok()` checks run on real Windows and pass there. A driver
 * of our own, written against pnplab's kernel, sets itself up as that driver does (a named lower
 * device with a `\DosDevices` link, a named upper device attached to it, a work item on the lower
 * one, dispatch routines for CREATE, DEVICE_CONTROL, FLUSH_BUFFERS and CLOSE) and each test runs
 * the IRP work of one Wine function, mostly from the work item (a system thread at PASSIVE_LEVEL),
 * as `main_test_task` does. Each check cites the function and the `ok()` it mirrors; checks are
 * recorded, not thrown (a throw in driver code is a bug check), and asserted once the work ran.
 *
 * Ported: DriverEntry (the device and link statuses), test_irp_struct, test_queue (its IoCancelIrp
 * checks), test_sync (its KEVENT and remove-lock checks), test_call_driver, test_cancel_irp,
 * test_completion, test_IoAttachDeviceToDeviceStack, test_ob_reference (the FILE_OBJECT's Type).
 *
 * Left out, with the reason:
 * - test_irp_struct: `AllocationFlags` (IRP_ALLOCATED_FIXED_SIZE), `Tail.Overlay.Thread` and
 *   IoGetRequestorProcess: the model's IRP has no allocation flags and no thread.
 * - test_queue: KeInitializeDeviceQueue / KeInsertDeviceQueue / KeRemoveDeviceQueue (no device
 *   queues in the model); only what IoCancelIrp does to the queued IRP is kept.
 * - test_sync: semaphores, mutexes, timers, DPCs, ZwCreateEvent, IoCreateSynchronizationEvent,
 *   ObReferenceObjectByHandle on an event and KeWaitForMultipleObjects have no model (its KEVENT
 *   checks with KeWaitForSingleObject are ported). The remove-lock part runs with the roles of the
 *   two threads swapped (the model has one thread, so the waiter must be the outer routine); the
 *   operations and their order on the lock are Wine's.
 * - test_ob_reference: ObReferenceObjectByHandle on event, file and thread handles, ObGetObjectType,
 *   ObOpenObjectByPointer, ZwCreateFile, ZwDuplicateObject, PsCreateSystemThread: no model. The
 *   FILE_OBJECT Type check is made on a file object from IoGetDeviceObjectPointer.
 * - DriverEntry: ObReferenceObjectByName on `\Driver\WineTestDriver` (no such routine in the model).
 * - test_current_thread, test_critical_region, test_mdl_map, test_init_funcs (timers),
 *   test_load_driver (PsSetLoadImageNotifyRoutine, ZwLoadDriver), test_stack_callout
 *   (KeExpandKernelStackAndCallout), test_lookaside_list, test_version, test_resource (ERESOURCE),
 *   test_lookup_thread, test_stack_limits, test_object_name (ObQueryNameString),
 *   test_executable_pool (executes pool memory), test_affinity, test_dpc, test_process_memory,
 *   test_permanence (directory objects), test_driver_object_extension, and the user-mode driven
 *   ioctls (return_status, get_fscontext, QueryInformation, QueryVolumeInformation): threads,
 *   processes, MDLs, file systems and object directories are not modelled.
 *
 * Mismatches: none left. test_irp_struct's `ok(irpsp->FileObject->DeviceObject == lower_device)`
 * (the file object names the device opened, the lower one, while the IRP goes to the top of its
 * stack) failed until the model's open stored the named device there.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  boot,
  CTL_CODE,
  DelayedWorkQueue,
  type DeviceObject,
  DO_DEVICE_INITIALIZING,
  type DriverObject,
  FILE_ANY_ACCESS,
  FILE_DEVICE_SECURE_OPEN,
  FILE_DEVICE_UNKNOWN,
  IO_NO_INCREMENT,
  IO_REMOVE_LOCK,
  type IO_STATUS_BLOCK,
  type Irp,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_FLUSH_BUFFERS,
  type Kernel,
  KEVENT,
  type Machine,
  METHOD_BUFFERED,
  NotificationEvent,
  STATUS_CANCELLED,
  STATUS_DELETE_PENDING,
  STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_NOT_SUPPORTED,
  STATUS_PENDING,
  STATUS_SUCCESS,
  STATUS_TIMEOUT,
  STATUS_UNSUCCESSFUL,
  SynchronizationEvent,
} from "../../mod.ts";

/** The test's own control codes (Wine's driver.h has its own; only the dispatch tells them apart). */
const IOCTL_WINETEST_MAIN_TEST = CTL_CODE(
  FILE_DEVICE_UNKNOWN,
  0x801,
  METHOD_BUFFERED,
  FILE_ANY_ACCESS,
);
const IOCTL_WINETEST_COMPLETION = CTL_CODE(
  FILE_DEVICE_UNKNOWN,
  0x802,
  METHOD_BUFFERED,
  FILE_ANY_ACCESS,
);

/** SL_INVOKE_ON_CANCEL | SL_INVOKE_ON_ERROR | SL_INVOKE_ON_SUCCESS (wdm.h: 0x80 | 0x20 | 0x40). */
const SL_INVOKE_ALL = 0x80 | 0x20 | 0x40;

interface Check {
  cite: string;
  passed: boolean;
  detail: string;
}

/** The driver: the devices, routines and test state of driver.c. */
class WineTestDriver {
  readonly checks: Check[] = [];
  lower!: DeviceObject;
  upper!: DeviceObject;
  driver!: DriverObject;
  workItem: ReturnType<Kernel["IoAllocateWorkItem"]> = null;
  /** What the IRP_MJ_CREATE dispatch saw last (driver.c `last_created_file`). */
  lastCreatedFile: unknown = null;
  /** test_completion's switches (driver.c `completion_lower_pending`, `completion_upper_pending`). */
  lowerPending = false;
  upperPending = false;
  gotCompletion = 0;
  /** What IOCTL_WINETEST_MAIN_TEST runs in the dispatch routine (test_irp_struct). */
  inMainTest: ((k: Kernel, device: DeviceObject, irp: Irp) => void) | null = null;

  ok(cite: string, passed: boolean, detail: unknown = ""): void {
    this.checks.push({ cite, passed, detail: String(detail) });
  }

  spec() {
    // deno-lint-ignore no-this-alias
    const t = this;
    return {
      name: "WineTestDriver",
      DriverEntry(k: Kernel, driver: DriverObject): number {
        t.driver = driver;
        const lower = k.IoCreateDevice(
          driver,
          0,
          "\\Device\\WineTestDriver",
          FILE_DEVICE_UNKNOWN,
          FILE_DEVICE_SECURE_OPEN,
          false,
        );
        t.ok("driver.c DriverEntry: ok(!status) for IoCreateDevice(lower)", lower.status === 0);
        t.lower = lower.deviceObject!;
        const link = k.IoCreateSymbolicLink(
          "\\DosDevices\\WineTestDriver",
          "\\Device\\WineTestDriver",
        );
        t.ok("driver.c DriverEntry: ok(!status) for IoCreateSymbolicLink", link === 0, link);
        t.lower.Flags &= ~DO_DEVICE_INITIALIZING;
        const upper = k.IoCreateDevice(
          driver,
          0,
          "\\Device\\WineTestUpper",
          FILE_DEVICE_UNKNOWN,
          FILE_DEVICE_SECURE_OPEN,
          false,
        );
        t.ok("driver.c DriverEntry: ok(!status) for IoCreateDevice(upper)", upper.status === 0);
        t.upper = upper.deviceObject!;
        k.IoAttachDeviceToDeviceStack(t.upper, t.lower);
        t.upper.Flags &= ~DO_DEVICE_INITIALIZING;
        t.workItem = k.IoAllocateWorkItem(t.lower);
        t.ok("driver.c DriverEntry: ok(work_item != NULL)", t.workItem !== null);
        return STATUS_SUCCESS;
      },
      MajorFunction: {
        [IRP_MJ_CREATE]: (k: Kernel, _d: DeviceObject, irp: Irp) => {
          t.lastCreatedFile = k.IoGetCurrentIrpStackLocation(irp).FileObject;
          irp.IoStatus.Status = STATUS_SUCCESS;
          k.IoCompleteRequest(irp, IO_NO_INCREMENT);
          return STATUS_SUCCESS;
        },
        [IRP_MJ_CLOSE]: (k: Kernel, _d: DeviceObject, irp: Irp) => {
          irp.IoStatus.Status = STATUS_SUCCESS;
          k.IoCompleteRequest(irp, IO_NO_INCREMENT);
          return STATUS_SUCCESS;
        },
        [IRP_MJ_FLUSH_BUFFERS]: (k: Kernel, device: DeviceObject, irp: Irp) => {
          // driver.c driver_FlushBuffers: checks, then leaves the IRP pending.
          t.ok(
            "driver.c driver_FlushBuffers: ok(device == lower_device)",
            device === t.lower,
            device,
          );
          t.ok(
            "driver.c driver_FlushBuffers: ok(irpsp->DeviceObject == device)",
            k.IoGetCurrentIrpStackLocation(irp).DeviceObject === device,
          );
          k.IoMarkIrpPending(irp);
          return STATUS_PENDING;
        },
        [IRP_MJ_DEVICE_CONTROL]: (k: Kernel, device: DeviceObject, irp: Irp) => {
          const code = k.IoGetCurrentIrpStackLocation(irp).Parameters.DeviceIoControl
            ?.IoControlCode;
          if (code === IOCTL_WINETEST_COMPLETION) return t.completionIoctl(k, device, irp);
          let status = STATUS_NOT_SUPPORTED;
          if (code === IOCTL_WINETEST_MAIN_TEST && t.inMainTest) {
            t.inMainTest(k, device, irp);
            status = STATUS_SUCCESS;
          }
          irp.IoStatus.Status = status;
          k.IoCompleteRequest(irp, IO_NO_INCREMENT);
          return status;
        },
      },
    };
  }

  /** driver.c completion_cb: the routine both devices set in test_completion. */
  readonly completionCb = (
    k: Kernel,
    device: DeviceObject | null,
    irp: Irp,
    context: unknown,
  ): number => {
    const cite = "driver.c completion_cb";
    this.ok(`${cite}: ok(device == context)`, device === context, device);
    const at = (n: number) => irp.stack[n]?.Control ?? 0;
    if (device === this.upper) {
      this.ok(
        `${cite} (upper): ok(irp->PendingReturned == completion_lower_pending)`,
        irp.PendingReturned === this.lowerPending,
        irp.PendingReturned,
      );
      this.ok(
        `${cite} (upper): ok(irp->CurrentLocation == 2)`,
        irp.CurrentLocation === 2,
        irp.CurrentLocation,
      );
      this.ok(
        `${cite} (upper): ok(stack->Control == SL_INVOKE_ON_CANCEL | SL_INVOKE_ON_ERROR | SL_INVOKE_ON_SUCCESS)`,
        k.IoGetCurrentIrpStackLocation(irp).Control === SL_INVOKE_ALL,
        k.IoGetCurrentIrpStackLocation(irp).Control,
      );
      this.ok(
        `${cite} (upper): ok(!stack->Control) for the next location`,
        k.IoGetNextIrpStackLocation(irp).Control === 0,
        k.IoGetNextIrpStackLocation(irp).Control,
      );
      this.ok(
        `${cite} (upper): ok(!stack->Control) for the previous location`,
        at(irp.CurrentLocation + 1) === 0,
      );
      if (irp.PendingReturned && this.upperPending) k.IoMarkIrpPending(irp);
    } else {
      this.ok(
        `${cite} (top): ok(irp->PendingReturned == completion_upper_pending)`,
        irp.PendingReturned === this.upperPending,
        irp.PendingReturned,
      );
      this.ok(
        `${cite} (top): ok(irp->CurrentLocation == 3)`,
        irp.CurrentLocation === 3,
        irp.CurrentLocation,
      );
      this.ok(`${cite} (top): ok(!stack->Control)`, at(irp.CurrentLocation) === 0);
      this.ok(
        `${cite} (top): ok(!stack->Control) for the next location`,
        at(irp.CurrentLocation - 1) === 0,
      );
      this.ok(
        `${cite} (top): ok(!stack->Control) for the lowest location`,
        at(irp.CurrentLocation - 2) === 0,
      );
    }
    this.gotCompletion++;
    return STATUS_SUCCESS;
  };

  /** driver.c completion_ioctl: the upper device passes the IRP down with a routine; the lower completes or pends it. */
  completionIoctl(k: Kernel, device: DeviceObject, irp: Irp): number {
    const cite = "driver.c completion_ioctl";
    const stack = k.IoGetCurrentIrpStackLocation(irp);
    if (device === this.upper) {
      this.ok(
        `${cite} (upper): ok(irp->CurrentLocation == 2)`,
        irp.CurrentLocation === 2,
        irp.CurrentLocation,
      );
      this.ok(`${cite} (upper): ok(!irp->PendingReturned)`, !irp.PendingReturned);
      this.ok(
        `${cite} (upper): ok(stack->Control == SL_INVOKE_ON_CANCEL | SL_INVOKE_ON_ERROR | SL_INVOKE_ON_SUCCESS)`,
        stack.Control === SL_INVOKE_ALL,
        stack.Control,
      );
      this.ok(
        `${cite} (upper): ok(!stack->Control) for the next location`,
        k.IoGetNextIrpStackLocation(irp).Control === 0,
      );
      this.ok(
        `${cite} (upper): ok(!stack->Control) for the previous location`,
        (irp.stack[irp.CurrentLocation + 1]?.Control ?? 0) === 0,
      );
      k.IoCopyCurrentIrpStackLocationToNext(irp);
      k.IoSetCompletionRoutine(irp, this.completionCb, this.upper, true, true, true);
      return k.IoCallDriver(this.lower, irp);
    }
    this.ok(`${cite} (lower): ok(device == lower_device)`, device === this.lower, device);
    this.ok(
      `${cite} (lower): ok(irp->CurrentLocation == 1)`,
      irp.CurrentLocation === 1,
      irp.CurrentLocation,
    );
    this.ok(`${cite} (lower): ok(!irp->PendingReturned)`, !irp.PendingReturned);
    this.ok(
      `${cite} (lower): ok(stack->Control == all three SL_INVOKE_ON_*)`,
      stack.Control === SL_INVOKE_ALL,
      stack.Control,
    );
    this.ok(
      `${cite} (lower): ok(stack->Control == all three SL_INVOKE_ON_*) for the previous location`,
      irp.stack[irp.CurrentLocation + 1]?.Control === SL_INVOKE_ALL,
      irp.stack[irp.CurrentLocation + 1]?.Control,
    );
    this.ok(
      `${cite} (lower): ok(!stack->Control) for the top location`,
      (irp.stack[irp.CurrentLocation + 2]?.Control ?? 0) === 0,
    );
    if (this.lowerPending) {
      k.IoMarkIrpPending(irp);
      return STATUS_PENDING;
    }
    irp.IoStatus.Status = STATUS_SUCCESS;
    k.IoCompleteRequest(irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
  }
}

/** Boots a machine with the driver loaded. */
function setUp(): { m: Machine; t: WineTestDriver } {
  const m = boot({ verifier: "warn" });
  const t = new WineTestDriver();
  m.loadDriver(t.spec());
  return { m, t };
}

/** Runs `body` from the driver's work item (driver.c main_test_task: a system thread, PASSIVE_LEVEL). */
function inWorkItem(
  m: Machine,
  t: WineTestDriver,
  body: (k: Kernel, device: DeviceObject) => void,
) {
  let ran = false;
  m.kernel.IoQueueWorkItem(
    t.workItem!,
    (k, device) => {
      body(k, device as DeviceObject);
      ran = true;
    },
    DelayedWorkQueue,
    null,
  );
  m.settle();
  assert.ok(ran, "the work item ran to its end");
}

/** Every recorded check held (the failures, with what was seen, in the message). */
function assertChecks(t: WineTestDriver, prefix?: string): void {
  const checks = prefix ? t.checks.filter((c) => c.cite.startsWith(prefix)) : t.checks;
  assert.ok(checks.length > 0, `no checks recorded for ${prefix}`);
  const failed = checks.filter((c) => !c.passed).map((c) => `${c.cite} (saw ${c.detail})`);
  assert.deepEqual(failed, []);
}

Deno.test("Wine driver.c DriverEntry: IoCreateDevice of both named devices, IoCreateSymbolicLink and IoAllocateWorkItem succeed", () => {
  const { t } = setUp();
  assertChecks(t, "driver.c DriverEntry");
});

Deno.test("Wine driver.c test_irp_struct: the dispatch routine gets the upper device and the open's file object; IoAllocateIrp(1) starts at CurrentLocation 2; IoCompleteRequest and IoReuseIrp leave it at 2", () => {
  const { m, t } = setUp();
  t.inMainTest = (k, device, irp) => {
    const cite = "driver.c test_irp_struct";
    const irpsp = k.IoGetCurrentIrpStackLocation(irp);
    t.ok(`${cite}: ok(device == upper_device)`, device === t.upper, device);
    t.ok(`${cite}: ok(last_created_file != NULL)`, t.lastCreatedFile !== null);
    t.ok(
      `${cite}: ok(irpsp->FileObject == last_created_file)`,
      irpsp.FileObject === t.lastCreatedFile,
    );
    t.ok(`${cite}: ok(irpsp->DeviceObject == upper_device)`, irpsp.DeviceObject === t.upper);
    t.ok(
      `${cite}: ok(irpsp->FileObject->DeviceObject == lower_device)`,
      irpsp.FileObject?.DeviceObject === t.lower,
      irpsp.FileObject?.DeviceObject,
    );
    t.ok(`${cite}: ok(!irp->UserEvent)`, !irp.UserEvent);

    const own = k.IoAllocateIrp(1, false)!;
    t.ok(
      `${cite}: ok(irp->CurrentLocation == 2) after IoAllocateIrp(1)`,
      own.CurrentLocation === 2,
      own.CurrentLocation,
    );
    let called = 0;
    k.IoSetCompletionRoutine(
      own,
      () => {
        called = 1;
        return STATUS_MORE_PROCESSING_REQUIRED;
      },
      null,
      true,
      true,
      true,
    );
    own.IoStatus.Status = STATUS_SUCCESS;
    // Wine moves the IRP down one location by hand (--CurrentLocation, --CurrentStackLocation).
    own.CurrentLocation--;
    k.IoCompleteRequest(own, IO_NO_INCREMENT);
    t.ok(
      `${cite}: ok(irp->CurrentLocation == 2) after IoCompleteRequest`,
      own.CurrentLocation === 2,
      own.CurrentLocation,
    );
    t.ok(`${cite}: ok(irp_completion_result)`, called === 1);
    own.CurrentLocation--;
    k.IoReuseIrp(own, STATUS_UNSUCCESSFUL);
    t.ok(
      `${cite}: ok(irp->CurrentLocation == 2) after IoReuseIrp`,
      own.CurrentLocation === 2,
      own.CurrentLocation,
    );
    k.IoFreeIrp(own);
  };
  const app = m.app("ntoskrnl_test");
  const { status, handle } = app.openDevice("\\\\.\\WineTestDriver");
  assert.equal(status, STATUS_SUCCESS);
  assert.equal(app.deviceIoControl(handle, IOCTL_WINETEST_MAIN_TEST).status, STATUS_SUCCESS);
  assertChecks(t, "driver.c test_irp_struct");
});

Deno.test("Wine driver.c test_queue (IoCancelIrp part): an IRP without a cancel routine is only marked Cancel; one with a routine set under the cancel spin lock has it called with Cancel set and CancelRoutine cleared", () => {
  const { m, t } = setUp();
  inWorkItem(m, t, (k) => {
    const cite = "driver.c test_queue";
    let irp = k.IoAllocateIrp(1, false)!;
    k.IoCancelIrp(irp);
    t.ok(`${cite}: ok(irp->Cancel) after IoCancelIrp without a cancel routine`, irp.Cancel);
    k.IoFreeIrp(irp);

    irp = k.IoAllocateIrp(1, false)!;
    let cancelQueueCnt = 0;
    const irql = k.IoAcquireCancelSpinLock();
    k.IoSetCancelRoutine(irp, (k2, _device, queued) => {
      k2.IoReleaseCancelSpinLock(queued.CancelIrql);
      t.ok("driver.c cancel_queued_irp: ok(irp->Cancel == TRUE)", queued.Cancel === true);
      t.ok("driver.c cancel_queued_irp: ok(!irp->CancelRoutine)", !queued.CancelRoutine);
      queued.IoStatus.Status = STATUS_CANCELLED;
      queued.IoStatus.Information = 0;
      cancelQueueCnt++;
    });
    k.IoReleaseCancelSpinLock(irql);
    k.IoCancelIrp(irp);
    t.ok(`${cite}: ok(irp->Cancel) with a cancel routine`, irp.Cancel);
    t.ok(`${cite}: ok(cancel_queue_cnt)`, cancelQueueCnt > 0, cancelQueueCnt);
    k.IoFreeIrp(irp);
  });
  assertChecks(t, "driver.c test_queue");
  assertChecks(t, "driver.c cancel_queued_irp");
});

Deno.test("Wine driver.c test_sync (remove lock part): acquisitions succeed until IoReleaseRemoveLockAndWait, which waits for the other holders; every acquisition after it is STATUS_DELETE_PENDING", () => {
  const { m, t } = setUp();
  const cite = "driver.c test_sync";
  inWorkItem(m, t, (k, device) => {
    const lock = new IO_REMOVE_LOCK();
    k.IoInitializeRemoveLock(lock, 0x454e4957, /* WINE */ 0, 0);
    t.ok(
      `${cite}: ok(ret == STATUS_SUCCESS) for the first acquire`,
      k.IoAcquireRemoveLock(lock) === STATUS_SUCCESS,
    );
    k.IoReleaseRemoveLock(lock);
    t.ok(
      `${cite}: ok(ret == STATUS_SUCCESS) for the second acquire`,
      k.IoAcquireRemoveLock(lock) === STATUS_SUCCESS,
    );
    t.ok(
      `${cite}: ok(ret == STATUS_SUCCESS) for the third acquire`,
      k.IoAcquireRemoveLock(lock) === STATUS_SUCCESS,
    );
    // The model has one thread: the routine that waits (Wine's remove_lock_thread) is this one,
    // and the main thread's later steps run in a second work item while it waits.
    let waiterReturned = false;
    const main = k.IoAllocateWorkItem(device)!;
    k.IoQueueWorkItem(
      main,
      (k2) => {
        t.ok(
          `${cite}: ok(ret == STATUS_DELETE_PENDING) while remove_lock_thread waits`,
          k2.IoAcquireRemoveLock(lock) === STATUS_DELETE_PENDING,
        );
        k2.IoReleaseRemoveLock(lock);
        t.ok(
          `${cite}: wait_single_handle(thread, 0) ok(ret == STATUS_TIMEOUT) after one release`,
          !waiterReturned,
        );
        k2.IoReleaseRemoveLock(lock);
      },
      DelayedWorkQueue,
      null,
    );
    t.ok(
      "driver.c remove_lock_thread: ok(ret == STATUS_SUCCESS)",
      k.IoAcquireRemoveLock(lock) === STATUS_SUCCESS,
    );
    k.IoReleaseRemoveLockAndWait(lock);
    waiterReturned = true;
    t.ok(
      `${cite}: ok(ret == STATUS_DELETE_PENDING) after the thread finished`,
      k.IoAcquireRemoveLock(lock) === STATUS_DELETE_PENDING,
    );
    k.IoFreeWorkItem(main);
  });
  assertChecks(t, cite);
  assertChecks(t, "driver.c remove_lock_thread");
});

Deno.test("Wine driver.c test_sync (KEVENT part): a notification event stays signaled through waits until reset; a synchronization event is reset by the wait it satisfies", () => {
  const { m, t } = setUp();
  const cite = "driver.c test_sync";
  inWorkItem(m, t, (k) => {
    const wait = (event: KEVENT) => k.KeWaitForSingleObject(event, 0, 0, false, 0);
    const manual = new KEVENT();
    k.KeInitializeEvent(manual, NotificationEvent, false);
    let ret = wait(manual);
    t.ok(
      `${cite}: ok(ret == STATUS_TIMEOUT) for a new notification event`,
      ret === STATUS_TIMEOUT,
      ret,
    );
    ret = k.KeReadStateEvent(manual);
    t.ok(`${cite}: KeReadStateEvent ok(ret == 0) before KeSetEvent`, ret === 0, ret);
    k.KeSetEvent(manual, 0, false);
    ret = k.KeReadStateEvent(manual);
    t.ok(`${cite}: KeReadStateEvent ok(ret == 1) after KeSetEvent`, ret === 1, ret);
    ret = wait(manual);
    t.ok(`${cite}: ok(ret == 0) for the first wait on the set notification event`, ret === 0, ret);
    ret = wait(manual);
    t.ok(`${cite}: ok(ret == 0) for the second wait on the set notification event`, ret === 0, ret);
    k.KeResetEvent(manual);
    ret = wait(manual);
    t.ok(`${cite}: ok(ret == STATUS_TIMEOUT) after KeResetEvent`, ret === STATUS_TIMEOUT, ret);

    const auto = new KEVENT();
    k.KeInitializeEvent(auto, SynchronizationEvent, false);
    ret = wait(auto);
    t.ok(
      `${cite}: ok(ret == STATUS_TIMEOUT) for a new synchronization event`,
      ret === STATUS_TIMEOUT,
      ret,
    );
    k.KeSetEvent(auto, 0, false);
    ret = wait(auto);
    t.ok(`${cite}: ok(ret == 0) for the wait on the set synchronization event`, ret === 0, ret);
    ret = wait(auto);
    t.ok(`${cite}: ok(ret == STATUS_TIMEOUT) for the next wait on it`, ret === STATUS_TIMEOUT, ret);
    k.KeInitializeEvent(auto, SynchronizationEvent, true);
    ret = wait(auto);
    t.ok(`${cite}: ok(ret == 0) for a synchronization event initialized signaled`, ret === 0, ret);
  });
  assertChecks(t, cite);
});

Deno.test("Wine driver.c test_call_driver: IoBuildAsynchronousFsdRequest / IoBuildSynchronousFsdRequest fields; a pending IRP leaves IoStatus and the caller's IO_STATUS_BLOCK untouched until IoCompleteRequest copies them and signals the event", () => {
  const { m, t } = setUp();
  const cite = "driver.c test_call_driver";
  inWorkItem(m, t, (k, device) => {
    const iosb: IO_STATUS_BLOCK = { Status: 0xdeadbeef, Information: 0xdeadbeef };
    let irp = k.IoBuildAsynchronousFsdRequest(IRP_MJ_FLUSH_BUFFERS, device, null, 0, null, iosb)!;
    t.ok(`${cite}: ok(irp->UserIosb == &iosb) (async)`, irp.UserIosb === iosb);
    t.ok(`${cite}: ok(!irp->Cancel) (async)`, !irp.Cancel);
    t.ok(`${cite}: ok(!irp->CancelRoutine) (async)`, !irp.CancelRoutine);
    t.ok(`${cite}: ok(!irp->UserEvent) (async)`, !irp.UserEvent);
    t.ok(
      `${cite}: ok(irp->CurrentLocation == 2) (async)`,
      irp.CurrentLocation === 2,
      irp.CurrentLocation,
    );
    t.ok(
      `${cite}: ok(!irp->IoStatus.Status) (async)`,
      irp.IoStatus.Status === 0,
      irp.IoStatus.Status,
    );
    t.ok(`${cite}: ok(!irp->IoStatus.Information) (async)`, !irp.IoStatus.Information);
    t.ok(`${cite}: ok(iosb.Status == 0xdeadbeef) (async, built)`, iosb.Status === 0xdeadbeef);
    t.ok(
      `${cite}: ok(iosb.Information == 0xdeadbeef) (async, built)`,
      iosb.Information === 0xdeadbeef,
    );
    let irpsp = k.IoGetNextIrpStackLocation(irp);
    t.ok(
      `${cite}: ok(irpsp->MajorFunction == IRP_MJ_FLUSH_BUFFERS) (async)`,
      irpsp.MajorFunction === IRP_MJ_FLUSH_BUFFERS,
    );
    t.ok(`${cite}: ok(!irpsp->DeviceObject) (async)`, !irpsp.DeviceObject);
    t.ok(`${cite}: ok(!irpsp->FileObject) (async)`, !irpsp.FileObject);
    t.ok(`${cite}: ok(!irpsp->CompletionRoutine) (async)`, !irpsp.CompletionRoutine);

    let status = k.IoCallDriver(device, irp);
    t.ok(`${cite}: ok(status == STATUS_PENDING) (async)`, status === STATUS_PENDING, status);
    t.ok(
      `${cite}: ok(!irp->IoStatus.Status) while pending`,
      irp.IoStatus.Status === 0,
      irp.IoStatus.Status,
    );
    t.ok(`${cite}: ok(!irp->IoStatus.Information) while pending`, !irp.IoStatus.Information);
    t.ok(`${cite}: ok(iosb.Status == 0xdeadbeef) while pending`, iosb.Status === 0xdeadbeef);
    t.ok(
      `${cite}: ok(iosb.Information == 0xdeadbeef) while pending`,
      iosb.Information === 0xdeadbeef,
    );
    irp.IoStatus.Status = STATUS_SUCCESS;
    irp.IoStatus.Information = 123;
    k.IoCompleteRequest(irp, IO_NO_INCREMENT);
    t.ok(
      `${cite}: ok(iosb.Status == STATUS_SUCCESS) once completed`,
      iosb.Status === STATUS_SUCCESS,
      iosb.Status,
    );
    t.ok(
      `${cite}: ok(iosb.Information == 123) once completed`,
      iosb.Information === 123,
      iosb.Information,
    );

    const event = new KEVENT();
    k.KeInitializeEvent(event, NotificationEvent, false);
    irp = k.IoBuildSynchronousFsdRequest(IRP_MJ_FLUSH_BUFFERS, device, null, 0, null, event, iosb)!;
    t.ok(`${cite}: ok(irp->UserIosb == &iosb) (sync)`, irp.UserIosb === iosb);
    t.ok(`${cite}: ok(!irp->Cancel) (sync)`, !irp.Cancel);
    t.ok(`${cite}: ok(!irp->CancelRoutine) (sync)`, !irp.CancelRoutine);
    t.ok(`${cite}: ok(irp->UserEvent == &event) (sync)`, irp.UserEvent === event);
    t.ok(
      `${cite}: ok(irp->CurrentLocation == 2) (sync)`,
      irp.CurrentLocation === 2,
      irp.CurrentLocation,
    );
    irpsp = k.IoGetNextIrpStackLocation(irp);
    t.ok(
      `${cite}: ok(irpsp->MajorFunction == IRP_MJ_FLUSH_BUFFERS) (sync)`,
      irpsp.MajorFunction === IRP_MJ_FLUSH_BUFFERS,
    );
    t.ok(`${cite}: ok(!irpsp->DeviceObject) (sync)`, !irpsp.DeviceObject);
    t.ok(`${cite}: ok(!irpsp->FileObject) (sync)`, !irpsp.FileObject);
    t.ok(`${cite}: ok(!irpsp->CompletionRoutine) (sync)`, !irpsp.CompletionRoutine);
    status = k.KeWaitForSingleObject(event, 0, 0, false, 0);
    t.ok(
      `${cite}: wait_single(&event, 0) ok(status == STATUS_TIMEOUT) before IoCallDriver`,
      status === STATUS_TIMEOUT,
      status,
    );
    status = k.IoCallDriver(device, irp);
    t.ok(`${cite}: ok(status == STATUS_PENDING) (sync)`, status === STATUS_PENDING, status);
    status = k.KeWaitForSingleObject(event, 0, 0, false, 0);
    t.ok(
      `${cite}: wait_single(&event, 0) ok(status == STATUS_TIMEOUT) while pending`,
      status === STATUS_TIMEOUT,
      status,
    );
    irp.IoStatus.Status = STATUS_SUCCESS;
    irp.IoStatus.Information = 0;
    k.IoCompleteRequest(irp, IO_NO_INCREMENT);
    status = k.KeWaitForSingleObject(event, 0, 0, false, 0);
    t.ok(
      `${cite}: wait_single(&event, 0) ok(status == STATUS_SUCCESS) once completed`,
      status === STATUS_SUCCESS,
      status,
    );
  });
  assertChecks(t, cite);
  assertChecks(t, "driver.c driver_FlushBuffers");
});

Deno.test("Wine driver.c test_cancel_irp: IoCancelIrp is FALSE without a cancel routine, TRUE once with one (which it clears); a completion routine set with InvokeOnCancel runs for a cancelled IRP even without InvokeOnError", () => {
  const { m, t } = setUp();
  const cite = "driver.c test_cancel_irp";
  inWorkItem(m, t, (k, device) => {
    const iosb: IO_STATUS_BLOCK = { Status: 0, Information: 0 };
    let cancelCnt = 0;
    const cancelIrp = (k2: Kernel, _d: DeviceObject | null, irp: Irp) => {
      k2.IoReleaseCancelSpinLock(irp.CancelIrql);
      t.ok("driver.c cancel_irp: ok(irp->Cancel == TRUE)", irp.Cancel === true);
      t.ok("driver.c cancel_irp: ok(!irp->CancelRoutine)", !irp.CancelRoutine);
      irp.IoStatus.Status = STATUS_CANCELLED;
      irp.IoStatus.Information = 0;
      cancelCnt++;
    };
    let completionCalled = false;
    const completion = () => {
      t.ok("driver.c cancel_test_completion: ok(cancel_cnt == 1)", cancelCnt === 1, cancelCnt);
      completionCalled = true;
      return STATUS_SUCCESS;
    };

    // No cancel routine.
    let irp = k.IoBuildAsynchronousFsdRequest(IRP_MJ_FLUSH_BUFFERS, device, null, 0, null, iosb)!;
    let r = k.IoCancelIrp(irp);
    t.ok(`${cite}: ok(!r) without a cancel routine`, r === false, r);
    t.ok(`${cite}: ok(irp->Cancel == TRUE) without a cancel routine`, irp.Cancel === true);
    r = k.IoCancelIrp(irp);
    t.ok(`${cite}: ok(!r) for the second IoCancelIrp without a cancel routine`, r === false, r);
    k.IoFreeIrp(irp);

    // A cancel routine.
    irp = k.IoBuildAsynchronousFsdRequest(IRP_MJ_FLUSH_BUFFERS, device, null, 0, null, iosb)!;
    let status = k.IoCallDriver(device, irp);
    t.ok(`${cite}: ok(status == STATUS_PENDING)`, status === STATUS_PENDING, status);
    t.ok(`${cite}: ok(irp->CurrentLocation == 1)`, irp.CurrentLocation === 1, irp.CurrentLocation);
    t.ok(
      `${cite}: ok(irpsp->DeviceObject == device)`,
      k.IoGetCurrentIrpStackLocation(irp).DeviceObject === device,
    );
    k.IoSetCancelRoutine(irp, cancelIrp);
    cancelCnt = 0;
    r = k.IoCancelIrp(irp);
    t.ok(`${cite}: ok(r == TRUE) with a cancel routine`, r === true, r);
    t.ok(`${cite}: ok(irp->Cancel == TRUE) with a cancel routine`, irp.Cancel === true);
    t.ok(`${cite}: ok(cancel_cnt == 1)`, cancelCnt === 1, cancelCnt);
    cancelCnt = 0;
    r = k.IoCancelIrp(irp);
    t.ok(`${cite}: ok(!r) for the second IoCancelIrp`, r === false, r);
    t.ok(`${cite}: ok(irp->Cancel == TRUE) after the second IoCancelIrp`, irp.Cancel === true);
    t.ok(`${cite}: ok(!cancel_cnt) after the second IoCancelIrp`, cancelCnt === 0, cancelCnt);
    k.IoCompleteRequest(irp, IO_NO_INCREMENT);

    // Cancel and completion routines: which SL_INVOKE_ON_* flags make a cancelled IRP (completed
    // with STATUS_CANCELLED) run the completion routine.
    const cases: [string, boolean, boolean, boolean][] = [
      ["no SL_INVOKE_ON_ERROR", false, true, true],
      ["no SL_INVOKE_ON_CANCEL", true, false, true],
      ["neither SL_INVOKE_ON_ERROR nor SL_INVOKE_ON_CANCEL", false, false, false],
    ];
    for (const [label, onError, onCancel, called] of cases) {
      irp = k.IoBuildAsynchronousFsdRequest(IRP_MJ_FLUSH_BUFFERS, device, null, 0, null, iosb)!;
      k.IoSetCompletionRoutine(irp, completion, null, true, onError, onCancel);
      status = k.IoCallDriver(device, irp);
      t.ok(`${cite} (${label}): ok(status == STATUS_PENDING)`, status === STATUS_PENDING, status);
      k.IoSetCancelRoutine(irp, cancelIrp);
      cancelCnt = 0;
      r = k.IoCancelIrp(irp);
      t.ok(`${cite} (${label}): ok(r == TRUE)`, r === true, r);
      t.ok(`${cite} (${label}): ok(irp->Cancel == TRUE)`, irp.Cancel === true);
      t.ok(`${cite} (${label}): ok(cancel_cnt == 1)`, cancelCnt === 1, cancelCnt);
      completionCalled = false;
      k.IoCompleteRequest(irp, IO_NO_INCREMENT);
      t.ok(
        `${cite} (${label}): ${called ? "ok(completion_called)" : "ok(!completion_called)"}`,
        completionCalled === called,
        completionCalled,
      );
    }
  });
  assertChecks(t, cite);
  assertChecks(t, "driver.c cancel_irp");
  assertChecks(t, "driver.c cancel_test_completion");
});

Deno.test("Wine driver.c test_completion: completion routines run lowest first with the caller's device, the stack locations' Control cleared below; PendingReturned follows a lower STATUS_PENDING only where the routine above calls IoMarkIrpPending", () => {
  const { m, t } = setUp();
  const cite = "driver.c test_completion";
  inWorkItem(m, t, (k) => {
    const event = new KEVENT();
    k.KeInitializeEvent(event, NotificationEvent, false);
    const io: IO_STATUS_BLOCK = { Status: 0, Information: 0 };
    const build = () => {
      const irp = k.IoBuildDeviceIoControlRequest(
        IOCTL_WINETEST_COMPLETION,
        t.upper,
        null,
        0,
        null,
        0,
        false,
        event,
        io,
      )!;
      k.IoSetCompletionRoutine(irp, t.completionCb, null, true, true, true);
      return irp;
    };

    t.lowerPending = t.upperPending = false;
    let irp = build();
    let ret = k.IoCallDriver(t.upper, irp);
    t.ok(`${cite}: ok(ret == STATUS_SUCCESS) without pending`, ret === STATUS_SUCCESS, ret);
    t.ok(
      `${cite}: ok(got_completion == 2) without pending`,
      t.gotCompletion === 2,
      t.gotCompletion,
    );

    t.lowerPending = true;
    t.gotCompletion = 0;
    irp = build();
    ret = k.IoCallDriver(t.upper, irp);
    t.ok(`${cite}: ok(ret == STATUS_PENDING) with the lower pending`, ret === STATUS_PENDING, ret);
    t.ok(
      `${cite}: ok(!got_completion) with the lower pending`,
      t.gotCompletion === 0,
      t.gotCompletion,
    );
    t.ok(
      `${cite}: ok(irp->CurrentLocation == 1) with the lower pending`,
      irp.CurrentLocation === 1,
      irp.CurrentLocation,
    );
    t.ok(`${cite}: ok(!irp->PendingReturned) with the lower pending`, !irp.PendingReturned);
    irp.IoStatus.Status = STATUS_SUCCESS;
    k.IoCompleteRequest(irp, IO_NO_INCREMENT);
    t.ok(
      `${cite}: ok(got_completion == 2) with the lower pending`,
      t.gotCompletion === 2,
      t.gotCompletion,
    );

    t.upperPending = true;
    t.gotCompletion = 0;
    irp = build();
    ret = k.IoCallDriver(t.upper, irp);
    t.ok(`${cite}: ok(ret == STATUS_PENDING) with both pending`, ret === STATUS_PENDING, ret);
    t.ok(`${cite}: ok(!got_completion) with both pending`, t.gotCompletion === 0, t.gotCompletion);
    t.ok(
      `${cite}: ok(irp->CurrentLocation == 1) with both pending`,
      irp.CurrentLocation === 1,
      irp.CurrentLocation,
    );
    t.ok(`${cite}: ok(!irp->PendingReturned) with both pending`, !irp.PendingReturned);
    irp.IoStatus.Status = STATUS_SUCCESS;
    k.IoCompleteRequest(irp, IO_NO_INCREMENT);
    t.ok(
      `${cite}: ok(got_completion == 2) with both pending`,
      t.gotCompletion === 2,
      t.gotCompletion,
    );
  });
  assertChecks(t, cite);
  assertChecks(t, "driver.c completion_ioctl");
  assertChecks(t, "driver.c completion_cb");
});

Deno.test("Wine driver.c test_IoAttachDeviceToDeviceStack: attaching returns the old top and sets AttachedDevice and StackSize; IoDetachDevice clears AttachedDevice and leaves StackSize", () => {
  const { m, t } = setUp();
  const cite = "driver.c test_IoAttachDeviceToDeviceStack";
  inWorkItem(m, t, (k) => {
    const create = () => {
      const r = k.IoCreateDevice(
        t.driver,
        0,
        null,
        FILE_DEVICE_UNKNOWN,
        FILE_DEVICE_SECURE_OPEN,
        false,
      );
      t.ok(
        `${cite}: ok(status == STATUS_SUCCESS) for IoCreateDevice`,
        r.status === STATUS_SUCCESS,
        r.status,
      );
      return r.deviceObject!;
    };
    const dev1 = create(), dev2 = create(), dev3 = create();
    dev1.Flags &= ~DO_DEVICE_INITIALIZING;
    dev2.Flags &= ~DO_DEVICE_INITIALIZING;

    let ret = k.IoAttachDeviceToDeviceStack(dev2, dev1);
    t.ok(`${cite}: ok(ret == dev1)`, ret === dev1);
    t.ok(`${cite}: ok(dev1->AttachedDevice == dev2)`, dev1.AttachedDevice === dev2);
    t.ok(`${cite}: ok(!dev2->AttachedDevice)`, !dev2.AttachedDevice);
    t.ok(`${cite}: ok(dev1->StackSize == 1)`, dev1.StackSize === 1, dev1.StackSize);
    t.ok(`${cite}: ok(dev2->StackSize == 2)`, dev2.StackSize === 2, dev2.StackSize);

    ret = k.IoAttachDeviceToDeviceStack(dev3, dev1);
    t.ok(`${cite}: ok(ret == dev2)`, ret === dev2);
    t.ok(
      `${cite}: ok(dev1->AttachedDevice == dev2) after the second attach`,
      dev1.AttachedDevice === dev2,
    );
    t.ok(`${cite}: ok(dev2->AttachedDevice == dev3)`, dev2.AttachedDevice === dev3);
    t.ok(`${cite}: ok(!dev3->AttachedDevice)`, !dev3.AttachedDevice);
    t.ok(`${cite}: ok(dev3->StackSize == 3)`, dev3.StackSize === 3, dev3.StackSize);

    k.IoDetachDevice(dev1);
    t.ok(`${cite}: ok(!dev1->AttachedDevice) after IoDetachDevice(dev1)`, !dev1.AttachedDevice);
    t.ok(
      `${cite}: ok(dev2->AttachedDevice == dev3) after IoDetachDevice(dev1)`,
      dev2.AttachedDevice === dev3,
    );
    k.IoDetachDevice(dev2);
    t.ok(`${cite}: ok(!dev2->AttachedDevice) after IoDetachDevice(dev2)`, !dev2.AttachedDevice);
    t.ok(
      `${cite}: ok(StackSize == 1, 2, 3) after both detaches`,
      dev1.StackSize === 1 && dev2.StackSize === 2 && dev3.StackSize === 3,
      [dev1.StackSize, dev2.StackSize, dev3.StackSize],
    );
    k.IoDeleteDevice(dev1);
    k.IoDeleteDevice(dev2);
    k.IoDeleteDevice(dev3);
  });
  assertChecks(t, cite);
});

Deno.test("Wine driver.c test_ob_reference (FILE_OBJECT part): a file object's Type is 5", () => {
  const { m, t } = setUp();
  inWorkItem(m, t, (k) => {
    const r = k.IoGetDeviceObjectPointer("\\Device\\WineTestDriver", 0);
    t.ok(
      "driver.c test_ob_reference: ok(file->Type == 5)",
      r.fileObject?.Type === 5,
      r.fileObject?.Type,
    );
    if (r.fileObject) k.ObDereferenceObject(r.fileObject);
  });
  assertChecks(t, "driver.c test_ob_reference");
});
