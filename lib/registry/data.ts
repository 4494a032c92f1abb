/**
 * Registry value data: the JS form of each type, its bytes, and the byte sizes Windows reports.
 *
 * JS forms (fixed by the contract): `REG_DWORD` number, `REG_QWORD` bigint, `REG_SZ` and
 * `REG_EXPAND_SZ` string, `REG_MULTI_SZ` string[], everything else `Uint8Array`.
 *
 * @module
 */
import {
  REG_DWORD,
  REG_DWORD_BIG_ENDIAN,
  REG_EXPAND_SZ,
  REG_LINK,
  REG_MULTI_SZ,
  REG_QWORD,
  REG_SZ,
  REG_TYPE_NAMES,
} from "../constants.ts";

/** Registry data as JS sees it. */
export type RegData = number | bigint | string | string[] | Uint8Array;

/** A stored value: its case-preserved name, type, JS data and, when they differ from the natural encoding, its bytes. */
export interface RegValue {
  /** The value's case-preserved name; "" is the key's default value. */
  readonly name: string;
  /** The value's `REG_*` type. */
  readonly type: number;
  /** The value's data. */
  readonly data: RegData;
  /** The exact bytes when the caller stored something other than the natural encoding of `data`. */
  readonly raw?: Uint8Array;
}

/** The name of a value type (`REG_SZ`), or `REG_0x1F` for a number outside the table. */
export function regTypeName(type: number): string {
  return REG_TYPE_NAMES[type] ?? `REG_0x${type.toString(16).toUpperCase()}`;
}

function utf16(s: string, nuls: number): Uint8Array {
  const out = new Uint8Array((s.length + nuls) * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i * 2] = c & 0xff;
    out[i * 2 + 1] = c >>> 8;
  }
  return out;
}

/** UTF-16LE bytes from `start` to `end` as a string, an odd last byte dropped. */
export function fromUtf16(bytes: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i + 1 < end; i += 2) {
    s += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  }
  return s;
}

/** The natural byte size of JS data of a type: UTF-16 with terminating NULs, a double NUL for REG_MULTI_SZ. */
export function dataSize(_type: number, data: RegData): number {
  if (data instanceof Uint8Array) return data.length;
  switch (typeof data) {
    case "number":
      return 4;
    case "bigint":
      return 8;
    case "string":
      return (data.length + 1) * 2;
  }
  // Each string with its NUL, then the NUL that ends the list: an empty list is the lone "\0"
  // ("Registry value types": "An empty sequence would be defined as follows: \0").
  let n = 1;
  for (const s of data) n += s.length + 1;
  return n * 2;
}

/** The bytes of a value as Windows stores them (little-endian; UTF-16LE strings with their NULs). */
export function valueBytes(value: RegValue): Uint8Array {
  return value.raw ?? encodeData(value.type, value.data);
}

/** The byte size Windows reports for a value. */
export function valueSize(value: RegValue): number {
  return value.raw ? value.raw.length : dataSize(value.type, value.data);
}

/** Encodes JS data to the bytes Windows stores. */
export function encodeData(type: number, data: RegData): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === "number") {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, data >>> 0, type !== REG_DWORD_BIG_ENDIAN);
    return out;
  }
  if (typeof data === "bigint") {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, data), true);
    return out;
  }
  if (typeof data === "string") return utf16(data, 1);
  return utf16(data.map((s) => s + "\0").join(""), 1);
}

/**
 * Decodes stored bytes into the JS form of their type; bytes that do not fit the type's shape stay a
 * `Uint8Array` (a 3-byte REG_DWORD is possible on Windows and reads back as bytes).
 */
export function decodeData(type: number, bytes: Uint8Array): RegData {
  switch (type) {
    case REG_DWORD:
      return bytes.length === 4
        ? new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true)
        : bytes.slice();
    case REG_QWORD:
      return bytes.length === 8
        ? new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true)
        : bytes.slice();
    case REG_SZ:
    case REG_EXPAND_SZ: {
      if (bytes.length % 2 !== 0) return bytes.slice();
      const s = fromUtf16(bytes, 0, bytes.length);
      const nul = s.indexOf("\0");
      return nul < 0 ? s : s.slice(0, nul);
    }
    case REG_MULTI_SZ: {
      if (bytes.length % 2 !== 0) return bytes.slice();
      const list: string[] = [];
      for (const part of fromUtf16(bytes, 0, bytes.length).split("\0")) {
        if (part === "") break;
        list.push(part);
      }
      return list;
    }
    default:
      return bytes.slice();
  }
}

/**
 * Brings caller data into the stored form for a type, or returns an error message when the JS value
 * cannot be data of that type (a string for a REG_DWORD, an empty string inside a REG_MULTI_SZ).
 */
export function normalizeData(
  type: number,
  data: unknown,
  size?: number,
): { value?: { data: RegData; raw?: Uint8Array }; error?: string } {
  let natural: RegData;
  if (data instanceof Uint8Array) {
    natural = decodeData(type, data);
    // Bytes that the JS form does not encode back to exactly (a REG_SZ without its NUL, a list
    // missing its closing NUL, a 3-byte REG_DWORD) are kept as they are.
    if (natural instanceof Uint8Array || !dataEqual(encodeData(type, natural), data)) {
      return applySize(type, { data: natural, raw: data.slice() }, size);
    }
  } else if (type === REG_DWORD || type === REG_DWORD_BIG_ENDIAN) {
    if (
      typeof data !== "number" || !Number.isInteger(data) || data < -0x80000000 || data > 0xffffffff
    ) {
      return { error: `${regTypeName(type)} data must be a 32-bit integer` };
    }
    natural = type === REG_DWORD ? data >>> 0 : encodeData(type, data >>> 0);
  } else if (type === REG_QWORD) {
    if (typeof data === "number" && Number.isSafeInteger(data)) {
      natural = BigInt.asUintN(64, BigInt(data));
    } else if (typeof data === "bigint") natural = BigInt.asUintN(64, data);
    else return { error: "REG_QWORD data must be a bigint" };
  } else if (type === REG_SZ || type === REG_EXPAND_SZ) {
    if (typeof data !== "string") return { error: `${regTypeName(type)} data must be a string` };
    // ZwSetValueKey stores the caller's bytes: a string with a NUL inside is the bytes it encodes
    // to, which read back as the text before the NUL (the rest kept as stored bytes).
    if (data.includes("\0")) return normalizeData(type, encodeData(type, data), size);
    natural = data;
  } else if (type === REG_MULTI_SZ) {
    if (!Array.isArray(data) || !data.every((s) => typeof s === "string")) {
      return { error: "REG_MULTI_SZ data must be an array of strings" };
    }
    if (data.some((s) => s === "")) {
      return { error: "REG_MULTI_SZ data cannot contain an empty string (it would end the list)" };
    }
    // A NUL inside a string ends it there: ["a\0b"] is the buffer a\0b\0\0, the list a, b.
    if (data.some((s) => s.includes("\0"))) {
      return normalizeData(type, encodeData(type, data), size);
    }
    natural = [...data];
  } else if (type === REG_LINK && typeof data === "string") {
    natural = utf16(data, 0);
  } else {
    return { error: `${regTypeName(type)} data must be a Uint8Array` };
  }
  return applySize(type, { data: natural }, size);
}

function applySize(
  type: number,
  value: { data: RegData; raw?: Uint8Array },
  size: number | undefined,
): { value?: { data: RegData; raw?: Uint8Array }; error?: string } {
  if (size === undefined) return { value };
  const bytes = value.raw ?? encodeData(type, value.data);
  if (!Number.isInteger(size) || size < 0) return { error: "DataSize must be a byte count" };
  if (size === bytes.length) return { value };
  const raw = new Uint8Array(size);
  raw.set(bytes.subarray(0, Math.min(size, bytes.length)));
  return { value: { data: decodeData(type, raw), raw } };
}

/** Whether two pieces of registry data are equal (deep for arrays and bytes). */
export function dataEqual(a: RegData, b: RegData): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  return a === b;
}

/** JSON-safe form of data for the trace and the hive file: bigint and bytes become tagged strings. */
export function dataToJson(data: RegData): number | string | string[] | { hex: string } | {
  qword: string;
} {
  if (typeof data === "bigint") return { qword: "0x" + data.toString(16) };
  if (data instanceof Uint8Array) {
    return { hex: [...data].map((b) => b.toString(16).padStart(2, "0")).join("") };
  }
  return Array.isArray(data) ? [...data] : data;
}

/** The inverse of `dataToJson`; returns undefined for anything that is not a JSON form of data. */
export function dataFromJson(json: unknown): RegData | undefined {
  if (typeof json === "number" || typeof json === "string") return json;
  if (Array.isArray(json)) {
    return json.every((s) => typeof s === "string") ? json as string[] : undefined;
  }
  if (json && typeof json === "object") {
    const o = json as Record<string, unknown>;
    if (typeof o.qword === "string" && /^0x[0-9a-f]{1,16}$/i.test(o.qword)) return BigInt(o.qword);
    if (typeof o.hex === "string" && /^([0-9a-f]{2})*$/i.test(o.hex)) {
      const bytes = new Uint8Array(o.hex.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(o.hex.slice(i * 2, i * 2 + 2), 16);
      return bytes;
    }
  }
  return undefined;
}
