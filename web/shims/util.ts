/**
 * `node:util` in the page: the REPL's Session prints values with `inspect`, which the bundled
 * mod.ts imports; the page never prints through it, so JSON (or String) is enough.
 *
 * @module
 */

/** A value as text. */
export function inspect(value: unknown): string {
  try {
    return typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export default { inspect };
