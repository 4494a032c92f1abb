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
import { Hive, KeyNode, splitPath } from "./hive.ts";

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
  file.keys.forEach((key, i) => {
    const where = `keys[${i}]`;
    const off = offsets[i];
    if (!key || typeof key.path !== "string" || !key.path.startsWith("\\REGISTRY")) {
      at(off, `${where}.path`, `Key ${i} has no path under '\\REGISTRY'`);
      return;
    }
    const parts = splitPath(key.path);
    let node = byPath.get(key.path.toUpperCase());
    if (!node) {
      const parentPath = "\\" + parts.slice(0, -1).join("\\");
      const parent = byPath.get(parentPath.toUpperCase());
      if (!parent) {
        at(off, `${where}.path`, `Key '${key.path}' comes before its parent '${parentPath}'`);
        return;
      }
      node = new KeyNode(parts[parts.length - 1]!, parent, false, 0);
      parent.addChild(node);
      byPath.set(key.path.toUpperCase(), node);
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
  const clock = file.clock ?? 0;
  return { hive, clock, errors };
}

/** Writes text to a file atomically: a temporary file beside it, then a rename over the old one. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${Deno.pid}.tmp`;
  Deno.writeTextFileSync(tmp, text);
  Deno.renameSync(tmp, path);
}
