/**
 * `IO_REMOVE_LOCK`: the count a WDM driver keeps of the I/O in flight on its device, so that its
 * REMOVE handler can wait for the last request before it detaches and deletes ("Using Remove Locks").
 * The lock starts with a count of one (the bias IoReleaseRemoveLockAndWait drops); once that routine
 * has run, every IoAcquireRemoveLock fails with STATUS_DELETE_PENDING ("IoAcquireRemoveLock": "the
 * routine returns STATUS_DELETE_PENDING ... the driver should not start any new I/O").
 *
 * @module
 */
import { NotificationEvent } from "../constants.ts";
import { traceDescription } from "../describable.ts";
import type { Dispatcher } from "../ke/dispatcher.ts";
import { KeInitializeEvent, KeSetEvent, KEVENT } from "../ke/event.ts";
import { STATUS_DELETE_PENDING, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from "../ntstatus.ts";

/** `IO_REMOVE_LOCK`: a driver gives IoInitializeRemoveLock storage of its own (`new IO_REMOVE_LOCK()`). */
export class IO_REMOVE_LOCK {
  /** `Common.Removed`: IoReleaseRemoveLockAndWait has run. */
  Removed = false;
  /** `Common.IoCount`: 1 (the bias) plus the acquisitions not yet released. */
  IoCount = 0;
  /** `Common.RemoveEvent`: set when the count reaches zero after removal. */
  readonly RemoveEvent: KEVENT = new KEVENT();
  /** The AllocateTag IoInitializeRemoveLock was given. */
  AllocateTag = 0;
  /** IoInitializeRemoveLock ran. */
  initialized = false;
  /** A number for the trace. */
  id = 0;

  /** How the trace shows it. */
  [traceDescription](): string {
    return `IO_REMOVE_LOCK#${this.id} (count ${this.IoCount}${this.Removed ? ", removed" : ""})`;
  }
}

/** `IoInitializeRemoveLock`. */
export function IoInitializeRemoveLock(
  ke: Dispatcher,
  Lock: IO_REMOVE_LOCK,
  AllocateTag: number,
  id: number,
): void {
  if (!(Lock instanceof IO_REMOVE_LOCK)) return;
  Lock.Removed = false;
  Lock.IoCount = 1;
  Lock.AllocateTag = AllocateTag >>> 0;
  Lock.initialized = true;
  Lock.id = id;
  KeInitializeEvent(Lock.RemoveEvent, NotificationEvent, false, ++ke.events);
}

/** `IoAcquireRemoveLock`: STATUS_DELETE_PENDING once removal has started. */
export function IoAcquireRemoveLock(Lock: IO_REMOVE_LOCK): number {
  if (!(Lock instanceof IO_REMOVE_LOCK) || !Lock.initialized) return STATUS_INVALID_PARAMETER;
  Lock.IoCount++;
  if (Lock.Removed) {
    release(Lock);
    return STATUS_DELETE_PENDING;
  }
  return STATUS_SUCCESS;
}

function release(Lock: IO_REMOVE_LOCK): void {
  if (--Lock.IoCount === 0) KeSetEvent(Lock.RemoveEvent);
}

/** `IoReleaseRemoveLock`. */
export function IoReleaseRemoveLock(Lock: IO_REMOVE_LOCK): void {
  if (Lock instanceof IO_REMOVE_LOCK && Lock.initialized && Lock.IoCount > 0) release(Lock);
}

/**
 * `IoReleaseRemoveLockAndWait`: marks the lock removed, drops the bias and the caller's own
 * acquisition, and waits until every other holder has released (the other threads run meanwhile;
 * a holder that never releases is a hang).
 */
export function IoReleaseRemoveLockAndWait(ke: Dispatcher, Lock: IO_REMOVE_LOCK): void {
  if (!(Lock instanceof IO_REMOVE_LOCK) || !Lock.initialized) return;
  Lock.Removed = true;
  if (Lock.IoCount > 0) Lock.IoCount--;
  if (Lock.IoCount > 0) release(Lock);
  if (Lock.IoCount > 0) ke.waitForEvent(Lock.RemoveEvent, null);
}
