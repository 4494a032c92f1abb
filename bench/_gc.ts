/**
 * V8's collector for benchmarks, exposed through node:v8 and node:vm, so heap readings do not count
 * garbage.
 *
 * @module
 */
import v8 from "node:v8";
import vm from "node:vm";

/** The collector, or undefined when the runtime does not expose it. */
export function findGc(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    v8.setFlagsFromString("--expose-gc");
    const fn = vm.runInNewContext("gc");
    return typeof fn === "function" ? fn : undefined;
  } catch {
    return undefined;
  }
}
