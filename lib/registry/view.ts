/**
 * The host's view of the registry: what regedit shows an administrator. Full rights, no handles;
 * writes still reach the trace (as the host). Also `.reg` import and export and `reg query` output.
 *
 * @module
 */
import type { System } from "../system.ts";
import { normalizeData, type RegData, type RegValue, valueBytes } from "./data.ts";
import {
  type Hive,
  keyDepth,
  type KeyNode,
  MAX_KEY_DEPTH,
  MAX_KEY_NAME_LENGTH,
  MAX_VALUE_NAME_LENGTH,
  splitPath,
  toKernelPath,
} from "./hive.ts";
import {
  formatRegFile,
  parseRegFile,
  type RegFileKey,
  type RegFileOperation,
  type RegFileValue,
} from "./reg_file.ts";
import { renderRegQuery, renderRegQueryValue } from "./render.ts";

/** A value as the host view returns it. */
export interface HostValue {
  /** The value's `REG_*` type. */
  type: number;
  /** The value's data (a copy). */
  data: RegData;
}

/** Maps a `.reg` root to the kernel path it stands for, or undefined when the model has no such hive. */
function regRootToKernel(path: string): string | undefined {
  const m = /^(HKEY_LOCAL_MACHINE|HKEY_USERS|HKEY_CLASSES_ROOT|HKEY_CURRENT_CONFIG)(\\.*)?$/i.exec(
    path,
  );
  if (!m) return undefined;
  const rest = m[2] ?? "";
  switch (m[1]!.toUpperCase()) {
    case "HKEY_LOCAL_MACHINE":
      return "\\REGISTRY\\MACHINE" + rest;
    case "HKEY_USERS":
      return "\\REGISTRY\\USER" + rest;
    case "HKEY_CLASSES_ROOT":
      return "\\REGISTRY\\MACHINE\\SOFTWARE\\Classes" + rest;
    default:
      return "\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Hardware Profiles\\Current" + rest;
  }
}

/**
 * The registry as an administrator's tools see it.
 *
 * @example
 * ```ts
 * import { boot, REG_DWORD } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const m = boot();
 * m.registry.setValue("HKLM\\SOFTWARE\\Contoso", "Level", REG_DWORD, 3);
 * assert.deepEqual(m.registry.getValue("HKLM\\SOFTWARE\\Contoso", "level"), { type: REG_DWORD, data: 3 });
 * ```
 */
export class RegistryView {
  readonly #sys: System;

  /** Creates the view of a machine's registry; use `machine.registry`. */
  constructor(sys: System) {
    this.#sys = sys;
  }

  #find(path: string): KeyNode | undefined {
    return this.#sys.hive.find(path);
  }

  /** A value's type and data, or undefined when the key or value does not exist. */
  getValue(path: string, name: string): HostValue | undefined {
    const v = this.#find(path)?.value(name ?? "");
    return v ? { type: v.type, data: copy(v.data) } : undefined;
  }

  /** Sets a value, creating the key (and missing parents, as `reg add` does) when needed. */
  setValue(path: string, name: string, type: number, data: RegData): void {
    if (typeof name === "string" && name.length > MAX_VALUE_NAME_LENGTH) {
      throw new TypeError(
        `Cannot set a value of '${path}': a value name has at most ${MAX_VALUE_NAME_LENGTH} characters`,
      );
    }
    if (!Number.isInteger(type) || type < 0 || type > 0xffffffff) {
      throw new TypeError(`Cannot set value '${name}' of '${path}': type ${type} is not a ULONG`);
    }
    const n = normalizeData(type, data);
    if (!n.value) throw new TypeError(`Cannot set value '${name}' of '${path}': ${n.error}`);
    const node = this.createKey(path);
    const value: RegValue = n.value.raw
      ? { name, type, data: n.value.data, raw: n.value.raw }
      : { name, type, data: n.value.data };
    this.#sys.hive.setValue(node, value);
  }

  /** Deletes a value; returns whether there was one. */
  deleteValue(path: string, name: string): boolean {
    const node = this.#find(path);
    return node ? this.#sys.hive.deleteValue(node, name) : false;
  }

  /**
   * Creates a key and any missing parents (volatile when asked, or under a volatile parent). A
   * name or depth over the "Registry element size limits" is refused, as ZwCreateKey refuses it.
   */
  createKey(path: string, options: { volatile?: boolean } = {}): KeyNode {
    const kernel = toKernelPath(path);
    if (!/^\\REGISTRY\\/i.test(kernel)) {
      throw new TypeError(`Cannot create key '${path}': not a registry path`);
    }
    const hive = this.#sys.hive;
    let node = hive.root;
    for (const name of splitPath(kernel).slice(1)) {
      const r = hive.walk(node, [name]);
      if ("found" in r) {
        node = r.found;
        continue;
      }
      if ("error" in r) {
        throw new TypeError(`Cannot create key '${path}': a link on the way does not resolve`);
      }
      const limit = keyLimitProblem(name, keyDepth(node) + 1);
      if (limit) throw new TypeError(`Cannot create key '${path.slice(0, 300)}': ${limit}`);
      const volatile = options.volatile === true || node.volatile;
      node = hive.createChild(node, name, volatile);
      node.allowed = node.parent!.allowed;
    }
    return node;
  }

  /** Subkey names in the order ZwEnumerateKey gives them ([] when the key does not exist). */
  subkeys(path: string): string[] {
    return this.#find(path)?.sortedChildren().map((k) => k.name) ?? [];
  }

  /** Value names in creation order ([] when the key does not exist). */
  valueNames(path: string): string[] {
    return this.#find(path)?.valueList().map((v) => v.name) ?? [];
  }

  /** Whether a key exists. */
  exists(path: string): boolean {
    return this.#find(path) !== undefined;
  }

  /**
   * Whether a key is volatile (false when it does not exist). A link key named by the path's last
   * component answers for itself: `CurrentControlSet` is a volatile link to the non-volatile
   * `ControlSet001`.
   */
  isVolatile(path: string): boolean {
    const components = splitPath(toKernelPath(path));
    if (components[0]?.toUpperCase() !== "REGISTRY") return false;
    const r = this.#sys.hive.walk(this.#sys.hive.root, components.slice(1), true);
    return "found" in r ? r.found.volatile : false;
  }

  /** Deletes a key and its whole subtree, as regedit does. Keys the system owns cannot be deleted. */
  deleteKey(path: string): void {
    const node = this.#find(path);
    if (!node) throw new TypeError(`Cannot delete key '${path}': it does not exist`);
    for (const k of this.#sys.hive.descendants(node)) {
      if (k.noDelete) {
        throw new TypeError(`Cannot delete key '${path}': '${k.path}' belongs to the system`);
      }
    }
    this.#sys.hive.deleteTree(node);
  }

  /**
   * Imports a `.reg` file as regedit writes it. Every problem is returned with its line; when there
   * is any, nothing is applied. The file is first played against a shadow of the tree (what it
   * creates, deletes and sets, on top of the keys that exist), so that every error is found
   * before the first write: a later key that crosses a link that does not resolve, a name or depth
   * over the "Registry element size limits", data the type cannot hold.
   */
  importReg(text: string): { errors: { line: number; column: number; message: string }[] } {
    const parsed = parseRegFile(text);
    const errors = [...parsed.errors];
    const plan = new ImportPlan(this.#sys.hive);
    for (const op of parsed.operations) {
      const problem = plan.play(op);
      if (problem) errors.push({ line: op.line, column: problem.column, message: problem.message });
    }
    if (errors.length) {
      return { errors: errors.sort((a, b) => a.line - b.line || a.column - b.column) };
    }
    const hive = this.#sys.hive;
    // The values of a key follow its key line: the key found for one line serves the next ones.
    let next = 0;
    let lastPath = "";
    let lastNode: KeyNode | undefined;
    const keyAt = (path: string): KeyNode => {
      if (path !== lastPath || !lastNode || lastNode.deleted) {
        lastNode = this.createKey(regRootToKernel(path)!);
        lastPath = path;
      }
      return lastNode;
    };
    for (const op of parsed.operations) {
      switch (op.op) {
        case "createKey":
          keyAt(op.path);
          break;
        case "deleteKey": {
          const node = hive.find(regRootToKernel(op.path)!);
          if (node) hive.deleteTree(node);
          break;
        }
        case "setValue":
          // The plan checked the data and brought it into its stored form, in file order.
          hive.setValue(keyAt(op.path), plan.values[next++]!);
          break;
        case "deleteValue": {
          const node = hive.find(regRootToKernel(op.path)!);
          if (node) hive.deleteValue(node, op.name);
          break;
        }
      }
    }
    return { errors: [] };
  }

  /** Exports a key and its subtree as a `.reg` file (regedit's format, CRLF line ends). */
  exportReg(path: string): string {
    const node = this.#find(path);
    if (!node) throw new TypeError(`Cannot export key '${path}': it does not exist`);
    const keys: RegFileKey[] = [];
    const rootName = longRootPath(path);
    const visit = (k: KeyNode, shown: string) => {
      keys.push({
        path: shown,
        values: k.valueList().map((v): RegFileValue => ({
          name: v.name,
          type: v.type,
          // Stored bytes that differ from the natural encoding of the data (a DataSize other than
          // the string's, a .reg file's short hex(4)) go to the file as bytes.
          data: v.raw ? valueBytes(v).slice() : copy(v.data),
        })),
      });
      // Link keys below the exported key are not followed (CurrentControlSet would repeat ControlSet001).
      for (const child of k.sortedChildren()) {
        if (child.link === null) visit(child, `${shown}\\${child.name}`);
      }
    };
    visit(node, rootName);
    return formatRegFile(keys);
  }

  /**
   * `reg query <path> [/s] [/v <value> | /ve]` output: the key (with `recursive`, its subtree), or
   * with `value` only that value ("" for the default value, as `/ve`).
   */
  query(path: string, options: { recursive?: boolean; value?: string } = {}): string {
    const node = this.#find(path);
    const recursive = options.recursive ?? false;
    const text = !node
      ? undefined
      : options.value === undefined
      ? renderRegQuery(node, longRootPath(path), recursive)
      : renderRegQueryValue(node, longRootPath(path), options.value, recursive);
    return text ?? "ERROR: The system was unable to find the specified registry key or value.\n";
  }
}

/** `HKLM\X` or `\Registry\Machine\X` as `HKEY_LOCAL_MACHINE\X`, keeping the rest of the path as given. */
export function longRootPath(path: string): string {
  const kernel = toKernelPath(path);
  const parts = splitPath(kernel);
  const rest = parts.slice(2).join("\\");
  const root = parts[1]?.toUpperCase() === "USER" ? "HKEY_USERS" : "HKEY_LOCAL_MACHINE";
  return rest ? `${root}\\${rest}` : root;
}

function copy(data: RegData): RegData {
  if (data instanceof Uint8Array) return data.slice();
  if (Array.isArray(data)) return [...data];
  return data;
}

/** Why a key name at a depth breaks the "Registry element size limits", or undefined. */
function keyLimitProblem(name: string, depth: number): string | undefined {
  if (name.length > MAX_KEY_NAME_LENGTH) {
    return `the key name ${
      JSON.stringify(name.length > 40 ? name.slice(0, 37) + "..." : name)
    } has ${name.length} characters, more than the ${MAX_KEY_NAME_LENGTH} "Registry element size limits" allow`;
  }
  if (depth > MAX_KEY_DEPTH) {
    return `the key would be ${depth} levels deep, more than the ${MAX_KEY_DEPTH} "Registry element size limits" allow`;
  }
  return undefined;
}

/** How many links one lookup may follow (as the hive's own walk). */
const MAX_LINKS = 16;

/**
 * One key as a `.reg` import will leave it: the existing key it stands for (if any), the subkeys
 * the import has looked at or made, and whether the import deleted it or made it anew (then the
 * existing key's subkeys are gone too).
 */
interface ShadowKey {
  readonly real: KeyNode | null;
  kids: Map<string, ShadowKey> | null;
  readonly fresh: boolean;
  gone: boolean;
  readonly volatile: boolean;
  readonly depth: number;
}

/** The outcome of a walk: the key reached, no such key, or why the path cannot be used. */
type ShadowWalk =
  | { key: ShadowKey }
  | { missing: true }
  | { problem: string };

/**
 * A dry run of a `.reg` file: each operation is played against a shadow of the tree, so an
 * import is checked whole (links followed as they will be when it is applied, keys the file
 * deleted earlier missing) before anything is written. Each key is visited once per operation
 * that names it: the cost is the size of the file, whatever its shape.
 */
class ImportPlan {
  readonly #hive: Hive;
  readonly #root: ShadowKey;

  constructor(hive: Hive) {
    this.#hive = hive;
    this.#root = this.#shadowOf(hive.root, 0);
  }

  #shadowOf(real: KeyNode, depth: number): ShadowKey {
    return { real, kids: null, fresh: false, gone: false, volatile: real.volatile, depth };
  }

  #child(key: ShadowKey, name: string): ShadowKey | undefined {
    const upper = name.toUpperCase();
    const known = key.kids?.get(upper);
    if (known) return known.gone ? undefined : known;
    if (key.fresh || !key.real) return undefined;
    const real = key.real.child(name);
    if (!real) return undefined;
    const shadow = this.#shadowOf(real, key.depth + 1);
    (key.kids ??= new Map()).set(upper, shadow);
    return shadow;
  }

  /** Follows a link key to its target as the import will find it, or says why it cannot. */
  #follow(key: ShadowKey, hops: number): ShadowKey | string {
    const target = key.real?.link;
    if (target === null || target === undefined) return key;
    const shown = this.#hive.friendly(key.real!);
    if (target === "") {
      return `the link '${shown}' on its path has no target (a key made with REG_OPTION_CREATE_LINK and no SymbolicLinkValue)`;
    }
    if (hops >= MAX_LINKS) return `the links on its path form a loop at '${shown}'`;
    const r = this.#walk(splitPath(target).slice(1), false, hops + 1);
    if ("key" in r) return r.key;
    return "problem" in r
      ? r.problem
      : `the link '${shown}' on its path points at '${target}', which does not exist`;
  }

  #walk(components: readonly string[], create: boolean, hops = 0): ShadowWalk {
    let key = this.#root;
    for (const name of components) {
      let next = this.#child(key, name);
      if (!next) {
        if (!create) return { missing: true };
        const problem = keyLimitProblem(name, key.depth + 1);
        if (problem) return { problem };
        if (key.volatile) {
          return { problem: "a non-volatile key cannot be created under a volatile key" };
        }
        next = {
          real: null,
          kids: null,
          fresh: true,
          gone: false,
          volatile: false,
          depth: key.depth + 1,
        };
        (key.kids ??= new Map()).set(name.toUpperCase(), next);
      }
      const followed = this.#follow(next, hops);
      if (typeof followed === "string") return { problem: followed };
      key = followed;
    }
    return { key };
  }

  /** The values of the setValue operations, in file order, ready to store once the plan holds. */
  readonly values: RegValue[] = [];
  /** The last key a key or value line reached: the value lines below a key line reuse it. */
  #lastPath = "";
  #lastKey: ShadowKey | null = null;

  /** Plays one operation; returns the problem that would stop it, with the column to show. */
  play(op: RegFileOperation): { column: number; message: string } | undefined {
    if (op.op !== "deleteKey" && op.path === this.#lastPath && this.#lastKey) {
      return op.op === "setValue" ? this.#checkValue(op) : undefined;
    }
    this.#lastKey = null;
    const kernel = regRootToKernel(op.path);
    if (kernel === undefined) {
      return {
        column: 2,
        message: `Cannot import key '${op.path}': the model has no such root key`,
      };
    }
    const components = splitPath(kernel).slice(1);
    if (op.op === "deleteKey") {
      const r = this.#walk(components, false);
      if ("problem" in r) {
        return { column: 2, message: `Cannot delete key '${op.path}': ${r.problem}` };
      }
      if ("missing" in r) return undefined;
      const system = r.key.real && this.#ownedBySystem(r.key.real);
      if (system) {
        return { column: 2, message: `Cannot delete key '${op.path}': it belongs to the system` };
      }
      // The name now stands for nothing: a later key line of the same path makes a fresh key.
      r.key.gone = true;
      return undefined;
    }
    if (op.op === "deleteValue") {
      const r = this.#walk(components, false);
      if ("problem" in r) {
        return { column: 1, message: `Cannot delete value '${op.name}': ${r.problem}` };
      }
      return undefined;
    }
    const r = this.#walk(components, true);
    if ("problem" in r) {
      return {
        column: op.op === "createKey" ? 2 : 1,
        message: `Cannot ${op.op === "createKey" ? "create key" : "set a value of"} '${
          op.path.length > 300 ? op.path.slice(0, 297) + "..." : op.path
        }': ${r.problem}`,
      };
    }
    if (!("key" in r)) return undefined;
    this.#lastPath = op.path;
    this.#lastKey = r.key;
    return op.op === "setValue" ? this.#checkValue(op) : undefined;
  }

  /** A value line's name and data, checked and kept for the writes. */
  #checkValue(
    op: RegFileOperation & { op: "setValue" },
  ): { column: number; message: string } | undefined {
    const { name, type, data } = op.value;
    if (name.length > MAX_VALUE_NAME_LENGTH) {
      return {
        column: 1,
        message:
          `Cannot set a value of '${op.path}': its name has ${name.length} characters, more than the ${MAX_VALUE_NAME_LENGTH} "Registry element size limits" allow`,
      };
    }
    const n = normalizeData(type, data);
    if (!n.value) return { column: 1, message: `Cannot set value '${name}': ${n.error}` };
    this.values.push(
      n.value.raw ? { name, type, data: n.value.data, raw: n.value.raw } : {
        name,
        type,
        data: n.value.data,
      },
    );
    return undefined;
  }

  /** A key the system owns, or one with such a key below it (a hive root, a link). */
  #ownedBySystem(real: KeyNode): boolean {
    for (const k of this.#hive.descendants(real)) {
      if (k.noDelete || k.link !== null) return true;
    }
    return false;
  }
}
