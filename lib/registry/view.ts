/**
 * The host's view of the registry: what regedit shows an administrator. Full rights, no handles;
 * writes still reach the trace (as the host). Also `.reg` import and export and `reg query` output.
 *
 * @module
 */
import { REG_LINK } from "../constants.ts";
import type { System } from "../system.ts";
import { normalizeData, type RegData, type RegValue, valueBytes } from "./data.ts";
import { type KeyNode, splitPath, toKernelPath } from "./hive.ts";
import { formatRegFile, parseRegFile, type RegFileKey, type RegFileValue } from "./reg_file.ts";
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

  /** Creates a key and any missing parents (volatile when asked, or under a volatile parent). */
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
   * is any, nothing is applied.
   */
  importReg(text: string): { errors: { line: number; column: number; message: string }[] } {
    const parsed = parseRegFile(text);
    const errors = [...parsed.errors];
    const hive = this.#sys.hive;
    // A dry run over the current tree plus what the file creates and deletes, so that a file is
    // applied whole or not at all.
    const created = new Map<string, boolean>(); // upper-cased kernel path -> volatile
    const deleted = new Set<string>();
    const state = (
      kernel: string,
    ): { exists: boolean; volatile: boolean; link: boolean; system: boolean } => {
      const up = kernel.toUpperCase();
      for (const d of deleted) {
        if (up === d || up.startsWith(d + "\\")) {
          return { exists: false, volatile: false, link: false, system: false };
        }
      }
      if (created.has(up)) {
        return { exists: true, volatile: created.get(up)!, link: false, system: false };
      }
      const node = hive.find(kernel);
      return node
        ? { exists: true, volatile: node.volatile, link: node.link !== null, system: node.noDelete }
        : { exists: false, volatile: false, link: false, system: false };
    };
    const ensure = (kernel: string, line: number): boolean => {
      const parts = splitPath(kernel);
      for (let i = 2; i <= parts.length; i++) {
        const p = "\\" + parts.slice(0, i).join("\\");
        const s = state(p);
        if (s.exists) continue;
        const parent = state("\\" + parts.slice(0, i - 1).join("\\"));
        if (parent.volatile) {
          errors.push({
            line,
            column: 1,
            message:
              `Cannot create key '${p}': a non-volatile key cannot be created under a volatile key`,
          });
          return false;
        }
        deleted.delete(p.toUpperCase());
        created.set(p.toUpperCase(), false);
      }
      return true;
    };
    for (const op of parsed.operations) {
      const kernel = regRootToKernel(op.path);
      if (kernel === undefined) {
        errors.push({
          line: op.line,
          column: 2,
          message: `Cannot import key '${op.path}': the model has no such root key`,
        });
        continue;
      }
      if (op.op === "deleteKey") {
        const s = state(kernel);
        if (s.system || s.link) {
          errors.push({
            line: op.line,
            column: 2,
            message: `Cannot delete key '${op.path}': it belongs to the system`,
          });
        }
        for (const c of [...created.keys()]) {
          if (c === kernel.toUpperCase() || c.startsWith(kernel.toUpperCase() + "\\")) {
            created.delete(c);
          }
        }
        deleted.add(kernel.toUpperCase());
        continue;
      }
      if (!ensure(kernel, op.line)) continue;
      if (op.op === "setValue") {
        if (
          state(kernel).link &&
          !(op.value.name.toUpperCase() === "SYMBOLICLINKVALUE" && op.value.type === REG_LINK)
        ) {
          errors.push({
            line: op.line,
            column: 1,
            message: `Cannot set value '${op.value.name}': '${op.path}' is a link key`,
          });
        }
        const n = normalizeData(op.value.type, op.value.data);
        if (!n.value) {
          errors.push({
            line: op.line,
            column: 1,
            message: `Cannot set value '${op.value.name}': ${n.error}`,
          });
        }
      }
    }
    if (errors.length) {
      return { errors: errors.sort((a, b) => a.line - b.line || a.column - b.column) };
    }
    for (const op of parsed.operations) {
      const kernel = regRootToKernel(op.path)!;
      switch (op.op) {
        case "createKey":
          this.createKey(kernel);
          break;
        case "deleteKey": {
          const node = hive.find(kernel);
          if (node) hive.deleteTree(node);
          break;
        }
        case "setValue":
          this.setValue(kernel, op.value.name, op.value.type, op.value.data);
          break;
        case "deleteValue":
          this.deleteValue(kernel, op.name);
          break;
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
