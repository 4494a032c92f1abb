/**
 * Hive files: the non-volatile part of the registry as versioned JSON, written atomically (a
 * temporary file, then a rename) so that a save killed partway leaves the previous file loadable.
 *
 * Format `pnplab-hive` version 1:
 * ```json
 * { "format": "pnplab-hive", "version": 1, "clock": 12,
 *   "keys": [ { "path": "\\REGISTRY\\MACHINE\\SYSTEM", "lastWrite": 3,
 *               "class": "", "allowed": 983103, "link": null,
 *               "values": [ { "name": "Start", "type": 4, "data": 3 } ] } ] }
 * ```
 * `data` is the JS form of the value (numbers, strings, string arrays); REG_QWORD is
 * `{ "qword": "0x..." }`, bytes are `{ "hex": "0a0b..." }`. Keys are listed parents first.
 *
 * @module
 */
import {
  dataFromJson,
  dataToJson,
  decodeData,
  encodeData,
  normalizeData,
  type RegValue,
} from "./data.ts";
import {
  Hive,
  KeyNode,
  MAX_KEY_DEPTH,
  MAX_KEY_NAME_LENGTH,
  MAX_VALUE_NAME_LENGTH,
  splitPath,
} from "./hive.ts";
import { REG_DWORD } from "../constants.ts";

/** The format name in every hive file. */
export const HIVE_FORMAT = "pnplab-hive";
/** The current format version. */
export const HIVE_VERSION = 1;

/** One key in a hive file. */
export interface HiveFileKey {
  path: string;
  lastWrite: number;
  class: string;
  allowed: number;
  values: { name: string; type: number; data: unknown; raw?: string }[];
}

/** A hive file's content. */
export interface HiveFile {
  format: typeof HIVE_FORMAT;
  version: number;
  clock: number;
  keys: HiveFileKey[];
}

/** A problem in a hive file: where (line and column for syntax, a JSON path for content) and what. */
export interface HiveFileError {
  /** The line in the file, from 1. */
  line: number;
  /** The column in the line, from 1. */
  column: number;
  /** The JSON path of the faulty entry, e.g. `keys[3].path`; empty for a syntax error. */
  path: string;
  /** What is wrong. */
  message: string;
}

/** The non-volatile keys of a hive as a hive file (volatile keys and their subtrees are never saved). */
export function serializeHive(hive: Hive, clock: number): HiveFile {
  const keys: HiveFileKey[] = [];
  const visit = (node: KeyNode) => {
    if (node.volatile) return;
    keys.push({
      path: node.path,
      lastWrite: node.lastWrite,
      class: node.className,
      allowed: node.allowed,
      values: node.valueList().map((v) => {
        const out: HiveFileKey["values"][number] = {
          name: v.name,
          type: v.type,
          data: dataToJson(v.data),
        };
        if (v.raw) out.raw = [...v.raw].map((b) => b.toString(16).padStart(2, "0")).join("");
        return out;
      }),
    });
    for (const child of node.sortedChildren()) visit(child);
  };
  visit(hive.root);
  return { format: HIVE_FORMAT, version: HIVE_VERSION, clock, keys };
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

/** Finds where the JSON text of `keys[i]` starts, so content errors can name a line. */
function keyOffsets(text: string): number[] {
  const offsets: number[] = [];
  const re = /\{\s*"path"\s*:/g;
  for (let m = re.exec(text); m; m = re.exec(text)) offsets.push(m.index);
  return offsets;
}

/**
 * Reads a hive file's text into a new hive. Every problem is reported with a position; with any
 * problem no hive is returned, so nothing is half-loaded.
 */
export function deserializeHive(
  text: string,
): { hive?: Hive; clock?: number; errors: HiveFileError[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(message);
    const lc = /line (\d+) column (\d+)/.exec(message);
    const where = lc
      ? { line: Number(lc[1]), column: Number(lc[2]) }
      : lineColumn(text, pos ? Number(pos[1]) : text.length);
    return { errors: [{ ...where, path: "", message: `Cannot parse the hive file: ${message}` }] };
  }
  const errors: HiveFileError[] = [];
  const at = (offset: number | undefined, path: string, message: string) =>
    errors.push({ ...lineColumn(text, offset ?? 0), path, message });
  const file = json as Partial<HiveFile>;
  if (!file || typeof file !== "object" || file.format !== HIVE_FORMAT) {
    at(0, "format", `Not a hive file: expected format '${HIVE_FORMAT}'`);
    return { errors };
  }
  if (file.version !== HIVE_VERSION) {
    // JSON text, not String(): an object without a usable toString would throw here.
    at(0, "version", `Unsupported hive file version '${JSON.stringify(file.version)}'`);
    return { errors };
  }
  if (!Array.isArray(file.keys)) {
    at(0, "keys", "The hive file has no 'keys' list");
    return { errors };
  }
  const offsets = keyOffsets(text);
  const hive = new Hive();
  const byPath = new Map<string, KeyNode>([[hive.root.path.toUpperCase(), hive.root]]);
  const listed = new Set<string>();
  file.keys.forEach((key, i) => {
    const where = `keys[${i}]`;
    const off = offsets[i];
    if (
      !key || typeof key.path !== "string" ||
      splitPath(key.path)[0]?.toUpperCase() !== "REGISTRY" || !key.path.startsWith("\\")
    ) {
      at(off, `${where}.path`, `Key ${i} has no path under '\\REGISTRY'`);
      return;
    }
    const parts = splitPath(key.path);
    // Names as the registry compares them: case-insensitive, and a doubled or trailing backslash
    // is no component (one key listed as 'X' and 'X\\' is one key listed twice).
    const canonical = "\\" + parts.join("\\").toUpperCase();
    if (listed.has(canonical)) {
      at(off, `${where}.path`, `Key '${key.path}' is listed twice${BAD_CONFIG}`);
      return;
    }
    listed.add(canonical);
    const long = parts.find((p) => p.length > MAX_KEY_NAME_LENGTH);
    if (long !== undefined) {
      at(
        off,
        `${where}.path`,
        `Key '${key.path.slice(0, 80)}...' has a name of ${long.length} characters, more than ` +
          `the ${MAX_KEY_NAME_LENGTH} "Registry element size limits" allow${BAD_CONFIG}`,
      );
      return;
    }
    if (parts.length - 1 > MAX_KEY_DEPTH) {
      at(
        off,
        `${where}.path`,
        `Key '${key.path.slice(0, 80)}...' is ${parts.length - 1} levels deep, more than the ` +
          `${MAX_KEY_DEPTH} "Registry element size limits" allow${BAD_CONFIG}`,
      );
      return;
    }
    let node = byPath.get(canonical);
    if (!node) {
      const parentPath = "\\" + parts.slice(0, -1).join("\\");
      const parent = byPath.get(parentPath.toUpperCase());
      if (!parent) {
        at(off, `${where}.path`, `Key '${key.path}' comes before its parent '${parentPath}'`);
        return;
      }
      node = new KeyNode(parts[parts.length - 1]!, parent, false, 0);
      parent.addChild(node);
      byPath.set(canonical, node);
    }
    if (!Number.isInteger(key.lastWrite) || key.lastWrite < 0) {
      at(
        off,
        `${where}.lastWrite`,
        `Key '${key.path}' has a bad lastWrite '${JSON.stringify(key.lastWrite)}'`,
      );
    }
    if (typeof key.class !== "string") {
      at(off, `${where}.class`, `Key '${key.path}' has a bad class`);
    }
    if (!Number.isInteger(key.allowed)) {
      at(off, `${where}.allowed`, `Key '${key.path}' has a bad security mask`);
    }
    node.lastWrite = key.lastWrite;
    node.className = key.class ?? "";
    node.allowed = key.allowed;
    if (!Array.isArray(key.values)) {
      at(off, `${where}.values`, `Key '${key.path}' has no values list`);
      return;
    }
    key.values.forEach((v, j) => {
      const vwhere = `${where}.values[${j}]`;
      if (!v || typeof v.name !== "string" || !Number.isInteger(v.type) || v.type < 0) {
        at(off, vwhere, `Value ${j} of '${key.path}' needs a name and a type`);
        return;
      }
      // A type is a ULONG (ZwSetValueKey refuses any other with STATUS_INVALID_PARAMETER).
      if (v.type > 0xffffffff) {
        at(
          off,
          `${vwhere}.type`,
          `Value '${v.name}' of '${key.path}' has type ${v.type}, not a 32-bit type number`,
        );
        return;
      }
      if (v.name.length > MAX_VALUE_NAME_LENGTH) {
        at(
          off,
          `${vwhere}.name`,
          `Value ${j} of '${key.path}' has a name longer than ${MAX_VALUE_NAME_LENGTH} characters`,
        );
        return;
      }
      if (node.valueIndex(v.name) >= 0) {
        at(
          off,
          `${vwhere}.name`,
          `Value '${v.name}' of '${key.path}' is listed twice${BAD_CONFIG}`,
        );
        return;
      }
      const data = dataFromJson(v.data);
      if (data === undefined) {
        at(
          off,
          `${vwhere}.data`,
          `Value '${v.name}' of '${key.path}' has data that is not registry data`,
        );
        return;
      }
      let value: RegValue = { name: v.name, type: v.type, data };
      if (typeof v.raw === "string") {
        const raw = dataFromJson({ hex: v.raw });
        if (!(raw instanceof Uint8Array)) {
          at(off, `${vwhere}.raw`, `Value '${v.name}' of '${key.path}' has bad raw bytes`);
          return;
        }
        value = { name: v.name, type: v.type, data: decodeData(v.type, raw), raw };
      } else if (data instanceof Uint8Array) {
        value = { name: v.name, type: v.type, data: decodeData(v.type, encodeData(v.type, data)) };
      } else {
        // Data in the JS form of another type (a string for a REG_DWORD, REG_NONE without bytes)
        // would load and then break whatever reads the value.
        const n = normalizeData(v.type, data);
        if (!n.value) {
          at(off, `${vwhere}.data`, `Value '${v.name}' of '${key.path}' has bad data: ${n.error}`);
          return;
        }
        value = { name: v.name, type: v.type, data: n.value.data };
      }
      node.putValue(value);
    });
  });
  // The clock stamps the next writes' lastWrite, which must not be negative either.
  if (file.clock !== undefined && (!Number.isInteger(file.clock) || file.clock < 0)) {
    at(0, "clock", `The hive file has a bad clock '${JSON.stringify(file.clock)}'`);
  }
  if (errors.length) return { errors };
  checkSystemHive(hive, (path, message) => at(0, path, message + BAD_CONFIG));
  if (errors.length) return { errors };
  const clock = file.clock ?? 0;
  return { hive, clock, errors };
}

/**
 * What Windows does with a system hive it cannot use: it stops at boot ("Bug Check 0x74:
 * BAD_SYSTEM_CONFIG_INFO": the registry's SYSTEM hive is corrupted or missing what the system
 * needs). Every structural problem of a hive file says so.
 */
const BAD_CONFIG = ": Windows would stop at boot with bug check 0x74 BAD_SYSTEM_CONFIG_INFO";

/** The keys a hive file must hold, below `\\REGISTRY`: the hive roots boot mounts. */
const REQUIRED_KEYS = ["MACHINE", "MACHINE\\SYSTEM", "MACHINE\\SOFTWARE", "USER"] as const;

/** The keys the control set `Select\\Current` names must hold for the I/O and PnP managers. */
const CONTROL_SET_KEYS = ["Control", "Enum", "Services"] as const;

/**
 * Keys boot makes itself, volatile, and never saves: a hive file holding an ordinary key under one
 * of these names would have boot turn it into a link (or lose what is below it at the next save).
 */
const BOOT_MADE_KEYS = ["MACHINE\\HARDWARE", "MACHINE\\SYSTEM\\CurrentControlSet"] as const;

/**
 * Checks the structure a system hive needs: the hive roots, `SYSTEM\\Select` with a REG_DWORD
 * `Current` naming a control set that exists and holds Control, Enum and Services, and no saved key
 * where boot makes a volatile one (the CurrentControlSet link, HARDWARE, `Hardware Profiles\\Current`).
 */
function checkSystemHive(hive: Hive, problem: (path: string, message: string) => void): void {
  const find = (path: string) => hive.walk(hive.root, splitPath(path), true);
  const exists = (path: string) => "found" in find(path);
  for (const path of REQUIRED_KEYS) {
    if (!exists(path)) problem("keys", `The hive has no '\\REGISTRY\\${path}' key`);
  }
  for (const path of BOOT_MADE_KEYS) {
    if (exists(path)) {
      problem("keys", `The hive holds '\\REGISTRY\\${path}', a key boot makes (volatile) itself`);
    }
  }
  const system = find("MACHINE\\SYSTEM");
  if (!("found" in system)) return;
  const select = system.found.child("Select");
  const current = select?.value("Current");
  if (!select || !current || current.type !== REG_DWORD || typeof current.data !== "number") {
    problem(
      "keys",
      "The hive has no REG_DWORD 'SYSTEM\\Select\\Current' naming the control set to boot",
    );
    return;
  }
  const name = `ControlSet${String(current.data).padStart(3, "0")}`;
  const controlSet = current.data >= 1 && current.data <= 999
    ? system.found.child(name)
    : undefined;
  if (!controlSet) {
    problem(
      "keys",
      `'SYSTEM\\Select\\Current' is ${current.data}, but the hive has no control set '${name}'`,
    );
    return;
  }
  for (const key of CONTROL_SET_KEYS) {
    if (!controlSet.child(key)) problem("keys", `The control set '${name}' has no '${key}' key`);
  }
  for (const set of system.found.sortedChildren()) {
    if (/^ControlSet\d{3}$/i.test(set.name) && set.child("Hardware Profiles")?.child("Current")) {
      problem(
        "keys",
        `The hive holds 'SYSTEM\\${set.name}\\Hardware Profiles\\Current', a link boot makes itself`,
      );
    }
  }
}

/** Writes text to a file atomically: a temporary file beside it, then a rename over the old one. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${Deno.pid}.tmp`;
  Deno.writeTextFileSync(tmp, text);
  Deno.renameSync(tmp, path);
}
