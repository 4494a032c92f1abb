/**
 * Kernel dispatcher events (`KEVENT`) and the Ke routines that set and reset them. Waiting is the
 * dispatcher's business (lib/ke/dispatcher.ts): it runs the other threads' work until the event is
 * signaled. Events sit below the I/O manager because IoForwardIrpSynchronously and drivers' own
 * synchronous forwarding wait on them.
 *
 * @module
 */
import { NotificationEvent, SynchronizationEvent } from "../constants.ts";
import { traceDescription } from "../describable.ts";

/**
 * `KEVENT`: a dispatcher event. A driver gives KeInitializeEvent storage of its own (`new KEVENT()`,
 * kept in its device extension or on its stack), then sets and waits on it.
 */
export class KEVENT {
  /** NotificationEvent (0) or SynchronizationEvent (1). */
  Type = 0;
  /** Signaled (`Header.SignalState` non-zero). */
  signaled = false;
  /** A number for the trace, given by KeInitializeEvent. */
  id = 0;

  /** How the trace shows it. */
  [traceDescription](): string {
    return `KEVENT#${this.id} (${this.Type === 1 ? "Synchronization" : "Notification"}, ${
      this.signaled ? "signaled" : "not signaled"
    })`;
  }
}

/** `KeInitializeEvent`: the caller's KEVENT becomes an event of `Type`, signaled or not; `id` numbers it for the trace. */
export function KeInitializeEvent(Event: KEVENT, Type: number, State: boolean, id: number): void {
  if (!(Event instanceof KEVENT)) return;
  Event.Type = Type === SynchronizationEvent ? SynchronizationEvent : NotificationEvent;
  Event.signaled = Boolean(State);
  Event.id = id;
}

/** `KeSetEvent`: signals the event; returns its previous state (non-zero if it was signaled). */
export function KeSetEvent(Event: KEVENT): number {
  if (!(Event instanceof KEVENT)) return 0;
  const previous = Event.signaled ? 1 : 0;
  Event.signaled = true;
  return previous;
}

/** `KeResetEvent` (returns the previous state) and `KeClearEvent`: the event is not signaled. */
export function KeResetEvent(Event: KEVENT): number {
  if (!(Event instanceof KEVENT)) return 0;
  const previous = Event.signaled ? 1 : 0;
  Event.signaled = false;
  return previous;
}
