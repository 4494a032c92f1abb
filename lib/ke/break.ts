/**
 * A debugger break: thrown out of the machine by a trace hook when a replay reaches the event a
 * breakpoint names, so the machine stays exactly as it was at that event (rewinding is replaying:
 * the same steps give the same trace). It is the host's control flow, not a driver's exception, so
 * the layers that turn a driver's exception into bug check 0x7E let it through. It sits with the
 * dispatcher because it stops the machine's one thread of control.
 *
 * @module
 */

/** Thrown by a debugger's trace hook to stop a replay at one event; carries who was running then. */
export class DebugBreak extends Error {
  /** The trace event the machine stopped at (its `seq`). */
  readonly seq: number;
  /** The caller stack at that moment, outermost first (`host`, `PnP`, `toaster!DispatchPnp` ...). */
  readonly callers: readonly string[];

  /** Creates the break. */
  constructor(seq: number, callers: readonly string[]) {
    super(`Break at event #${seq}`);
    this.name = "DebugBreak";
    this.seq = seq;
    this.callers = callers;
  }
}
