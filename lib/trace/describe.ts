/**
 * Turns routine arguments and results into plain JSON for the trace: handles become their value,
 * bigints and bytes hex strings, functions their name, model objects whatever their `describe`
 * symbol says (a device object prints as `\Device\00000003 (FDO toaster)`).
 *
 * @module
 */
import { type Describable, traceDescription } from "../describable.ts";
import { Handle } from "../ob/handles.ts";

export { type Describable, traceDescription };

/** The JSON form of a value for the trace. */
export function describe(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case "number":
    case "string":
    case "boolean":
    case "undefined":
      return value;
    case "bigint":
      return "0x" + value.toString(16);
    case "function":
      return `<${value.name || "function"}>`;
    case "symbol":
      return value.toString();
  }
  if (value === null) return null;
  if (value instanceof Handle) return value.value;
  if (value instanceof Uint8Array) {
    const hex = [...value.subarray(0, 32)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    return value.length > 32 ? `${hex} ... (${value.length} bytes)` : hex;
  }
  const obj = value as Record<PropertyKey, unknown>;
  const proto = (value as { constructor?: unknown }).constructor === Object
    ? Object.prototype
    : Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    if (depth > 3) return "...";
    const out: Record<string, unknown> = {};
    for (const k in obj) {
      const v = obj[k];
      if (v !== undefined) out[k] = describe(v, depth + 1);
    }
    return out;
  }
  if (Array.isArray(value)) return depth > 3 ? "..." : value.map((v) => describe(v, depth + 1));
  if (typeof obj[traceDescription] === "function") {
    return (obj as unknown as Describable)[traceDescription]();
  }
  if (typeof (obj as { toJSON?: unknown }).toJSON === "function") {
    return (obj as { toJSON(): unknown }).toJSON();
  }
  return `<${proto?.constructor?.name ?? "object"}>`;
}

/** Describes a routine's fresh argument object in place (primitives stay; undefined values are left out of JSON). */
export function describeArgs(args: Record<string, unknown>): Record<string, unknown> {
  for (const k in args) {
    const v = args[k];
    const t = typeof v;
    if ((t === "object" && v !== null) || t === "bigint" || t === "function" || t === "symbol") {
      args[k] = describe(v, 1);
    }
  }
  return args;
}
