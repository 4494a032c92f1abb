/**
 * `KSPIN_LOCK`: the executive spin lock drivers guard their queues with (the WDK samples' IRP
 * queues, Wine's `driver_pnp.c` `irp_queue`). KeAcquireSpinLock raises the caller to
 * DISPATCH_LEVEL and returns the old IRQL; KeReleaseSpinLock lowers it back. The model runs one
 * thread at a time, so a lock its holder acquires again can never be released: that is a hang, as
 * on a single processor.
 *
 * @module
 */
import { traceDescription } from "../describable.ts";

/** `KSPIN_LOCK`: a driver gives KeInitializeSpinLock storage of its own (`new KSPIN_LOCK()`). */
export class KSPIN_LOCK {
  /** Held by someone. */
  held = false;
  /** Who holds it (a routine name), for the hang message. */
  holder: string | null = null;
  /** A number for the trace, given by KeInitializeSpinLock. */
  id = 0;

  /** How the trace shows it. */
  [traceDescription](): string {
    return `KSPIN_LOCK#${this.id} (${this.held ? `held by ${this.holder}` : "free"})`;
  }
}

/** `KeInitializeSpinLock`: the lock is free. */
export function KeInitializeSpinLock(SpinLock: KSPIN_LOCK, id: number): void {
  if (!(SpinLock instanceof KSPIN_LOCK)) return;
  SpinLock.held = false;
  SpinLock.holder = null;
  SpinLock.id = id;
}

/** Takes the lock for `holder`; false when it is already held (the caller would spin forever). */
export function acquireSpinLock(SpinLock: KSPIN_LOCK, holder: string): boolean {
  if (SpinLock.held) return false;
  SpinLock.held = true;
  SpinLock.holder = holder;
  return true;
}

/** Frees the lock. */
export function releaseSpinLock(SpinLock: KSPIN_LOCK): void {
  SpinLock.held = false;
  SpinLock.holder = null;
}
