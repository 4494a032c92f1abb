/**
 * The dispatcher: the machine's one thread of control, its clock, and its waits. Windows runs PnP
 * in worker threads and drivers' work items in system worker threads; the model runs every one of
 * them from one FIFO work queue (DESIGN-NOTES, "Time and concurrency"). A thread that waits (PnP for
 * a pending IRP, a driver in KeWaitForSingleObject) lets the system worker threads run until what it
 * waits for happens; a wait nothing can end is a hang, reported as such instead of looping forever.
 * It sits at the bottom of the kernel so that the I/O manager and the PnP manager above it both wait
 * the same way without calling each other.
 *
 * @module
 */
import { SynchronizationEvent } from "../constants.ts";
import { STATUS_SUCCESS, STATUS_TIMEOUT } from "../ntstatus.ts";
import type { KEVENT } from "./event.ts";
import { RunawayQueueError, WorkQueue } from "./queue.ts";

/** Thrown when the machine would wait forever: an IRP never completed, or a documented deadlock. */
export class PnpHangError extends Error {
  /** Creates the error; `why` says what would wait for what. */
  constructor(
    what: string,
    why = "the IRP was never completed, so the PnP manager would wait forever",
  ) {
    super(`Cannot finish ${what}: ${why}`);
    this.name = "PnpHangError";
  }
}

/** The one thread of control: the clock, the work queue, and waiting. */
export class Dispatcher {
  /** Simulated clock, advanced by each queued action and host step. */
  clock = 0;
  /** The FIFO of PnP actions and worker-thread jobs that `settle()` drains. */
  readonly queue: WorkQueue;
  /** Event numbers given by KeInitializeEvent. */
  events = 0;

  /** Creates the dispatcher; `limit` bounds one drain of the queue. */
  constructor(limit?: number) {
    this.queue = new WorkQueue(limit);
  }

  /** Runs queued actions, each a clock tick, until none is left (`machine.settle()`). */
  drain(): number {
    return this.queue.drain(() => this.clock++);
  }

  /**
   * While a thread waits (PnP for a pending IRP, a driver in KeWaitForSingleObject), the other
   * threads run: queued worker-thread actions, one at a time, until `done()` holds. False when none
   * was left first (nothing could end the wait).
   */
  runUntil(done: () => boolean): boolean {
    let count = 0;
    while (!done()) {
      // The PnP thread is the one waiting, so its own work waits too; the system worker threads
      // (drivers' work items) run.
      const action = this.queue.shiftWorker();
      if (!action) return false;
      if (++count > this.queue.limit) throw new RunawayQueueError(action.name, count - 1);
      this.clock++;
      action.run();
    }
    return true;
  }

  /**
   * `KeWaitForSingleObject` on an event: signaled, the wait is satisfied at once (a synchronization
   * event resets); otherwise the other threads run until one sets it. A zero timeout only polls; a
   * finite one elapses once nothing is left to run (STATUS_TIMEOUT); with no timeout, an event
   * nothing can set any more is a hang (PnpHangError), as the thread would wait forever.
   */
  waitForEvent(event: KEVENT, timeout: number | bigint | null): number {
    const zero = timeout === 0 || timeout === 0n;
    if (!event.signaled && !zero) this.runUntil(() => event.signaled);
    if (!event.signaled) {
      if (timeout === null) {
        throw new PnpHangError(
          `KeWaitForSingleObject on KEVENT#${event.id}`,
          "nothing left to run sets the event, so the thread would wait forever",
        );
      }
      return STATUS_TIMEOUT;
    }
    if (event.Type === SynchronizationEvent) event.signaled = false;
    return STATUS_SUCCESS;
  }

  /** Puts a system worker thread's job (a driver's work item) on the one work queue, after what is there. */
  enqueueWork(name: string, run: () => void): void {
    this.queue.enqueue({ name, run, worker: true });
  }
}
