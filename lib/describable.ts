/**
 * How a model object says what the trace shows for it. The symbol sits in the base layer because
 * objects of every layer (a KEVENT in ke/, a device object in io/, a notification entry in pnp/)
 * describe themselves, and lib/trace/describe.ts reads it.
 *
 * @module
 */

/** A model object implements this to say how the trace shows it. */
export const traceDescription: unique symbol = Symbol.for("pnplab.traceDescription");

/** An object that knows its trace description. */
export interface Describable {
  [traceDescription](): string;
}
