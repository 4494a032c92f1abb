/**
 * Turns routine arguments and results into plain JSON for the trace: handles become their value,
 * bigints and bytes hex strings, functions their name, model objects whatever their `describe`
 * symbol says (a device object prints as `\Device\00000003 (FDO toaster)`).
 *
 * @module
 */

/** A model object implements this to say how the trace shows it. */
export const traceDescription: unique symbol = Symbol.for("pnplab.traceDescription");

/** An object that knows its trace description. */
export interface Describable {
  [traceDescription](): string;
}

/** The JSON form of a value for the trace. */
export function describe(value: unknown, depth = 0): unknown {
  if (
    value === null || typeof value === "number" || typeof value === "string" ||
    typeof value === "boolean"
  ) {
    return value;
  }
  if (value === undefined) return undefined;
  if (typeof value === "bigint") return "0x" + value.toString(16);
  if (typeof value === "function") return `<${value.name || "function"}>`;
  if (typeof value === "symbol") return value.toString();
  if (value instanceof Uint8Array) {
    const hex = [...value.subarray(0, 32)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    return value.length > 32 ? `${hex} ... (${value.length} bytes)` : hex;
  }
  const obj = value as Record<PropertyKey, unknown>;
  if (typeof obj[traceDescription] === "function") {
    return (obj as unknown as Describable)[traceDescription]();
  }
  if (typeof (obj as { toJSON?: unknown }).toJSON === "function") {
    return (obj as { toJSON(): unknown }).toJSON();
  }
  if (depth > 3) return "...";
  if (Array.isArray(value)) return value.map((v) => describe(v, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    return `<${proto?.constructor?.name ?? "object"}>`;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== undefined) out[k] = describe(v, depth + 1);
  }
  return out;
}
