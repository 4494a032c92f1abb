/**
 * `node:vm` in the page. The REPL's Session (in mod.ts) makes a vm context for TypeScript typed at its
 * prompt; the page bundles mod.ts but runs scripts its own way (web/playground.ts), so a context is
 * a plain object and running code through vm says it is not available here.
 *
 * @module
 */

/** A context is the object itself. */
export function createContext<T extends object>(sandbox: T): T {
  return sandbox;
}

/** Code runs through the playground's script runner, not vm. */
export function runInContext(): never {
  throw new Error("node:vm is not available in the playground page");
}

/** Code runs through the playground's script runner, not vm. */
export class Script {
  /** Refuses: see runInContext. */
  constructor() {
    throw new Error("node:vm is not available in the playground page");
  }
}

export default { createContext, runInContext, Script };
