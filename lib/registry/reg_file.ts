/**
 * The `.reg` text format that regedit imports and exports: `Windows Registry Editor Version 5.00`
 * files (and `REGEDIT4` ones on import). Pure functions from text to registry operations and back;
 * nothing here touches a registry.
 *
 * The rules follow regedit as pinned down by Wine's conformance tests, which run against Windows
 * (wine-mirror/wine `programs/reg/tests/import.c` and `export.c`), and Wine's regedit source
 * (`programs/regedit/regproc.c`). Where regedit silently skips a malformed line, this parser
 * reports it instead: the caller applies nothing when any error exists.
 *
 * @module
 */

/**
 * Registry data in its JS form: REG_DWORD a number (unsigned 32-bit), REG_QWORD a bigint, REG_SZ
 * and REG_EXPAND_SZ a string, REG_MULTI_SZ a string[], every other type a Uint8Array of the raw
 * bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { RegData } from "./reg_file.ts";
 *
 * const hardwareIds: RegData = ["ROOT\\TOASTER", "*TOASTER"];
 * assert.ok(Array.isArray(hardwareIds));
 * ```
 */
export type RegData = number | bigint | string | string[] | Uint8Array;

/**
 * One value of a key: its name (`""` is the default value, written `@`), type number and data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatRegFile, type RegFileValue } from "./reg_file.ts";
 *
 * const start: RegFileValue = { name: "Start", type: 4, data: 3 };
 * const text = formatRegFile([{ path: "HKEY_LOCAL_MACHINE\\X", values: [start] }]);
 * assert.match(text, /"Start"=dword:00000003/);
 * ```
 */
export interface RegFileValue {
  /** The value name; `""` is the key's default value. */
  name: string;
  /** The value type: REG_SZ 1, REG_DWORD 4, REG_MULTI_SZ 7, or any other number. */
  type: number;
  /** The data in the JS form of `type` (see {@linkcode RegData}). */
  data: RegData;
}

/**
 * One instruction of a `.reg` file, in file order, with the 1-based line it starts on. Key paths
 * begin with a long root name (`HKEY_LOCAL_MACHINE\...`) whatever abbreviation the file used.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRegFile, type RegFileOperation } from "./reg_file.ts";
 *
 * const { operations } = parseRegFile('REGEDIT4\n[-HKLM\\SYSTEM\\Old]\n');
 * const path = "HKEY_LOCAL_MACHINE\\SYSTEM\\Old";
 * const expected: RegFileOperation = { op: "deleteKey", path, line: 2 };
 * assert.deepEqual(operations, [expected]);
 * ```
 */
export type RegFileOperation =
  | { op: "createKey"; path: string; line: number }
  | { op: "deleteKey"; path: string; line: number }
  | { op: "setValue"; path: string; value: RegFileValue; line: number }
  | { op: "deleteValue"; path: string; name: string; line: number };

/**
 * A problem in a `.reg` file: 1-based line and column of the offending character (columns count
 * UTF-16 code units; a leading byte order mark is not counted) and a sentence-case message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRegFile, type RegFileError } from "./reg_file.ts";
 *
 * const expected: RegFileError = { line: 1, column: 1, message: "Value outside any key" };
 * assert.deepEqual(parseRegFile('"Orphan"="x"').errors[1], expected);
 * ```
 */
export interface RegFileError {
  /** 1-based line number. */
  line: number;
  /** 1-based column of the offending character. */
  column: number;
  /** What is wrong, quoting the bad text. */
  message: string;
}

/**
 * A key to export: its full path (starting with a long root name) and its values in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatRegFile, type RegFileKey } from "./reg_file.ts";
 *
 * const key: RegFileKey = { path: "HKEY_LOCAL_MACHINE\\SYSTEM\\Setup", values: [] };
 * assert.match(formatRegFile([key]), /\[HKEY_LOCAL_MACHINE\\SYSTEM\\Setup\]/);
 * ```
 */
export interface RegFileKey {
  /** The full key path, such as `HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\pci`. */
  path: string;
  /** The key's values, written in this order. */
  values: RegFileValue[];
}

// ---------------------------------------------------------------------------------------------
// Tables

const HEADER_V5 = "Windows Registry Editor Version 5.00";
const HEADER_V4 = "REGEDIT4";

/**
 * The accepted first lines and whether the file's hex(1), hex(2) and hex(7) strings are ANSI bytes
 * (REGEDIT4) rather than UTF-16LE. regedit compares the header case-sensitively after skipping
 * leading blanks.
 */
const HEADERS: ReadonlyMap<string, { ansi: boolean }> = new Map([
  [HEADER_V5, { ansi: false }],
  [HEADER_V4, { ansi: true }],
]);

/** Root key names (upper case) and the long name a path is rewritten to; regedit ignores case. */
const ROOT_KEYS: ReadonlyMap<string, string> = new Map([
  ["HKEY_LOCAL_MACHINE", "HKEY_LOCAL_MACHINE"],
  ["HKLM", "HKEY_LOCAL_MACHINE"],
  ["HKEY_CURRENT_USER", "HKEY_CURRENT_USER"],
  ["HKCU", "HKEY_CURRENT_USER"],
  ["HKEY_CLASSES_ROOT", "HKEY_CLASSES_ROOT"],
  ["HKCR", "HKEY_CLASSES_ROOT"],
  ["HKEY_USERS", "HKEY_USERS"],
  ["HKU", "HKEY_USERS"],
  ["HKEY_CURRENT_CONFIG", "HKEY_CURRENT_CONFIG"],
  ["HKCC", "HKEY_CURRENT_CONFIG"],
]);

/** How one JS form of data travels between registry bytes and JS. */
interface DataForm {
  /** The JS form, for messages ("a number"). */
  readonly expected: string;
  /** Whether `data` is in this form and fits it (a DWORD in range, a list of NUL-free strings). */
  readonly accepts: (data: RegData) => boolean;
  /** UTF-16LE registry bytes to the JS form, or undefined when they do not have the type's shape. */
  readonly decode: (bytes: Uint8Array) => RegData | undefined;
  /** The JS form to registry bytes, as regedit writes them after `hex(N):`. */
  readonly encode: (data: RegData) => Uint8Array;
}

const BYTES: DataForm = {
  expected: "a Uint8Array",
  accepts: (data) => data instanceof Uint8Array,
  decode: (bytes) => bytes,
  encode: (data) => data as Uint8Array,
};

const STRING: DataForm = {
  expected: "a string",
  accepts: (data) => typeof data === "string",
  decode: (bytes) => {
    if (bytes.length % 2 !== 0) return undefined;
    // Readers stop at the first NUL: the terminator, or an embedded NUL that ends the string.
    const text = utf16Text(bytes);
    const nul = text.indexOf("\0");
    return nul < 0 ? text : text.slice(0, nul);
  },
  encode: (data) => utf16le(`${data as string}\0`),
};

const STRINGS: DataForm = {
  expected: "an array of non-empty strings without NULs",
  accepts: (data) =>
    Array.isArray(data) &&
    data.every((s) => typeof s === "string" && s !== "" && !s.includes("\0")),
  decode: (bytes) => {
    if (bytes.length % 2 !== 0) return undefined;
    // An empty string ends the list (the closing NUL).
    const list: string[] = [];
    for (const part of utf16Text(bytes).split("\0")) {
      if (part === "") break;
      list.push(part);
    }
    return list;
  },
  // Each string with its NUL, then the list's closing NUL: an empty list is the lone NUL 00,00.
  encode: (data) => utf16le((data as string[]).map((s) => `${s}\0`).join("") + "\0"),
};

const DWORD: DataForm = {
  expected: "an integer from 0 to 0xffffffff",
  accepts: (data) =>
    typeof data === "number" && Number.isInteger(data) && data >= 0 && data <= 0xffffffff,
  decode: (bytes) =>
    bytes.length === 4
      ? new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true)
      : undefined,
  encode: (data) => {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, data as number, true);
    return out;
  },
};

const QWORD: DataForm = {
  expected: "a bigint from 0 to 2^64-1",
  accepts: (data) => typeof data === "bigint" && data >= 0n && data <= 0xffffffffffffffffn,
  decode: (bytes) =>
    bytes.length === 8
      ? new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true)
      : undefined,
  encode: (data) => {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, data as bigint, true);
    return out;
  },
};

/** How regedit writes a type when it does not use `hex(N):` bytes. */
type InlineWriter = (data: RegData) => string | undefined;

/** The value types: name, JS form and, for REG_SZ and REG_DWORD, regedit's inline text form. */
const VALUE_TYPES: ReadonlyMap<number, { name: string; form: DataForm; inline?: InlineWriter }> =
  new Map([
    [0, { name: "REG_NONE", form: BYTES }],
    [1, { name: "REG_SZ", form: STRING, inline: quotedStringData }],
    [2, { name: "REG_EXPAND_SZ", form: STRING }],
    [3, { name: "REG_BINARY", form: BYTES }],
    [4, { name: "REG_DWORD", form: DWORD, inline: dwordData }],
    [5, { name: "REG_DWORD_BIG_ENDIAN", form: BYTES }],
    [6, { name: "REG_LINK", form: BYTES }],
    [7, { name: "REG_MULTI_SZ", form: STRINGS }],
    [8, { name: "REG_RESOURCE_LIST", form: BYTES }],
    [9, { name: "REG_FULL_RESOURCE_DESCRIPTOR", form: BYTES }],
    [10, { name: "REG_RESOURCE_REQUIREMENTS_LIST", form: BYTES }],
    [11, { name: "REG_QWORD", form: QWORD }],
  ]);

const REG_SZ = 1;
const REG_BINARY = 3;

function valueType(type: number): { name: string; form: DataForm; inline?: InlineWriter } {
  return VALUE_TYPES.get(type) ?? { name: `type 0x${type.toString(16)}`, form: BYTES };
}

/**
 * regedit wraps hex data once a line reaches 77 characters, counting the `"name"=hex(7):` prefix,
 * then ends it with `\` and indents the next line by two spaces; continuation lines carry 25 bytes.
 * (Wine `regproc.c` MAX_HEX_CHARS; matches the Windows output in Wine's `reg/tests/export.c`.)
 */
const WRAP_WIDTH = 77;

// ---------------------------------------------------------------------------------------------
// Bytes and text

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[i * 2] = unit & 0xff;
    out[i * 2 + 1] = unit >>> 8;
  }
  return out;
}

/** UTF-16LE bytes as text, unit for unit (a lone surrogate stays one), a chunk at a time. */
function utf16Text(bytes: Uint8Array): string {
  const units = new Uint16Array(bytes.length >> 1);
  for (let i = 0; i < units.length; i++) units[i] = bytes[i * 2]! | (bytes[i * 2 + 1]! << 8);
  let text = "";
  for (let i = 0; i < units.length; i += 8192) {
    text += String.fromCharCode.apply(null, units.subarray(i, i + 8192) as unknown as number[]);
  }
  return text;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The value of a hex digit's character code, or -1. */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** Types whose `hex(N):` data a REGEDIT4 file writes as ANSI strings. */
const ANSI_STRING_TYPES: ReadonlySet<number> = new Set([1, 2, 7]);

/**
 * A REGEDIT4 string's ANSI bytes as the UTF-16LE regedit stores (Latin-1 is the model's code
 * page). regedit terminates a string that lacks its NUL: hex(7):4c,69,6e,65 and
 * hex(7):4c,69,6e,65,00 both store "Line" with one NUL, hex(2):25,50,41,54,48,25 stores "%PATH%"
 * with its NUL (Wine reg/tests/import.c Wine66a-f, Wine67a-d).
 */
function widenAnsi(bytes: Uint8Array): Uint8Array {
  const terminate = bytes.length > 0 && bytes[bytes.length - 1] !== 0;
  const out = new Uint8Array((bytes.length + (terminate ? 1 : 0)) * 2);
  bytes.forEach((byte, i) => out[i * 2] = byte);
  return out;
}

function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}

/** `\` and `"` are the characters regedit escapes inside quotes. */
function escapeQuoted(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll('"', '\\"');
}

/**
 * A value name inside quotes: as `escapeQuoted`, and a carriage return or line feed as `\r` or `\n`
 * (Wine's regedit, REGPROC_escape_string, and its import reads them back), since a name may hold
 * any character and the file is one value to a line.
 */
function escapeName(text: string): string {
  return escapeQuoted(text).replaceAll("\r", "\\r").replaceAll("\n", "\\n");
}

function quote(text: string): string {
  return `'${text.length > 40 ? `${text.slice(0, 37)}...` : text}'`;
}

function isBlank(ch: string | undefined): boolean {
  return ch === " " || ch === "\t";
}

function isHexDigit(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
}

function skipBlanks(line: string, index: number): number {
  let i = index;
  while (isBlank(line[i])) i++;
  return i;
}

/** Whether a line ends with a continuation `\` (blanks and a `;` comment may follow it). */
function continues(line: string): boolean {
  const comment = line.indexOf(";");
  return (comment < 0 ? line : line.slice(0, comment)).trimEnd().endsWith("\\");
}

// ---------------------------------------------------------------------------------------------
// Export

/**
 * regedit writes a REG_SZ as a quoted string up to its first NUL (Wine `reg/tests/export.c`,
 * embedded_null_test). A string with a line break cannot sit inside quotes, so it goes out as
 * `hex(1):` bytes, which regedit imports as REG_SZ.
 */
function quotedStringData(data: RegData): string | undefined {
  const text = (data as string).split("\0")[0]!;
  return /[\r\n]/.test(text) ? undefined : `"${escapeQuoted(text)}"`;
}

function dwordData(data: RegData): string {
  return `dword:${(data as number).toString(16).padStart(8, "0")}`;
}

/** `"name"=hex(N):` followed by the bytes, wrapped the way regedit wraps them. */
function hexDataLines(head: string, type: number, bytes: Uint8Array): string[] {
  const lines: string[] = [];
  let line = head + (type === REG_BINARY ? "hex:" : `hex(${type.toString(16)}):`);
  bytes.forEach((byte, index) => {
    line += hexByte(byte);
    if (index === bytes.length - 1) return;
    line += ",";
    if (line.length >= WRAP_WIDTH) {
      lines.push(`${line}\\`);
      line = "  ";
    }
  });
  lines.push(line);
  return lines;
}

function formatValue(value: RegFileValue, path: string): string[] {
  const { name, type, data } = value;
  if (!Number.isInteger(type) || type < 0 || type > 0xffffffff) {
    throw new RangeError(
      `Value '${name}' of key '${path}' has type ${type}, not a 32-bit type number`,
    );
  }
  const head = name === "" ? "@=" : `"${escapeName(name)}"=`;
  const { name: typeName, form, inline } = valueType(type);
  if (data instanceof Uint8Array) {
    // Bytes are the one form every type takes: the stored bytes, written after hex: or hex(N):,
    // except where regedit writes the bytes inline: a REG_SZ as a quoted string up to its first
    // NUL, whatever follows it or is missing (Wine reg/tests/export.c embedded_null_test, and
    // empty_hex_test for a 0-byte REG_SZ), and a 4-byte REG_DWORD as dword:.
    const shown = type === REG_SZ
      ? STRING.decode(data.subarray(0, data.length & ~1))
      : form.decode(data);
    const text = shown === undefined ? undefined : inline?.(shown);
    return text === undefined ? hexDataLines(head, type, data) : [head + text];
  }
  if (!form.accepts(data)) {
    throw new TypeError(
      `Value '${name}' of key '${path}' is ${typeName}, whose data must be ${form.expected}`,
    );
  }
  const text = inline?.(data);
  return text === undefined ? hexDataLines(head, type, form.encode(data)) : [head + text];
}

/**
 * Formats keys as regedit exports them: the `Windows Registry Editor Version 5.00` header, a blank
 * line, then each key as `[path]`, its values in the given order and a blank line, with CRLF line
 * endings. REG_SZ is a quoted string (`\\` and `\"` escaped, cut at its first NUL as regedit does),
 * REG_DWORD is `dword:` with 8 lowercase hex digits, REG_BINARY is `hex:`, every other type
 * `hex(N):` (N in lowercase hex) with its bytes: UTF-16LE with NULs for REG_EXPAND_SZ and
 * REG_MULTI_SZ (an empty list is `00,00`), 8 little-endian bytes for REG_QWORD. Hex data wraps
 * like regedit's: a line is broken with `\` once it reaches 77 characters, prefix included, and
 * continues indented by two spaces. Uint8Array data is the value's stored bytes and is written
 * after `hex:` or `hex(N):` whatever the type, as regedit does, with two exceptions: a REG_SZ is
 * still a quoted string cut at its first NUL (so padding or a missing NUL do not show), and a
 * 4-byte REG_DWORD is still `dword:`. Everything this writes imports back with `parseRegFile`.
 *
 * The text is a JS string; encoding it on disk (regedit uses UTF-16LE with a BOM) is the caller's
 * business.
 *
 * @throws {TypeError} when a value's data is not in the JS form of its type.
 * @throws {RangeError} when a type is not a 32-bit number, or a key path has a line break (a value
 * name's line break is written `\n` or `\r`, as regedit writes it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatRegFile } from "./reg_file.ts";
 *
 * const text = formatRegFile([{
 *   path: "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Toaster",
 *   values: [
 *     { name: "Start", type: 4, data: 3 },
 *     { name: "ImagePath", type: 2, data: "\\SystemRoot\\toaster.sys" },
 *   ],
 * }]);
 * assert.equal(
 *   text,
 *   "Windows Registry Editor Version 5.00\r\n\r\n" +
 *     "[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Toaster]\r\n" +
 *     '"Start"=dword:00000003\r\n' +
 *     '"ImagePath"=hex(2):5c,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,6f,00,\\\r\n' +
 *     "  74,00,5c,00,74,00,6f,00,61,00,73,00,74,00,65,00,72,00,2e,00,73,00,79,00,73,\\\r\n" +
 *     "  00,00,00\r\n\r\n",
 * );
 * ```
 */
export function formatRegFile(keys: RegFileKey[]): string {
  const lines = [HEADER_V5, ""];
  for (const key of keys) {
    if (/[\r\n]/.test(key.path)) {
      throw new RangeError(`Key path ${quote(key.path)} has a line break`);
    }
    lines.push(`[${key.path}]`);
    for (const value of key.values) {
      // One line at a time: a large binary value has more lines than a call may take arguments.
      for (const line of formatValue(value, key.path)) lines.push(line);
    }
    lines.push("");
  }
  return lines.join("\r\n") + "\r\n";
}

// ---------------------------------------------------------------------------------------------
// Import

/** Where values go: an open key, no key yet, a key being deleted, or a key line in error. */
type KeyContext =
  | { kind: "open"; path: string }
  | { kind: "none" }
  | { kind: "deleted" }
  | { kind: "invalid" };

class RegFileParser {
  readonly operations: RegFileOperation[] = [];
  readonly errors: RegFileError[] = [];
  /** The text, and where each line starts and ends: lines are cut out when read, so that a large file is not held as a million strings. */
  readonly #text: string;
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];
  #cachedIndex = -1;
  #scratch = new Uint8Array(256);
  #cachedLine = "";
  #ansi = false;
  #key: KeyContext = { kind: "none" };
  /** The line being parsed; value parsing moves it past continuation lines. */
  #index = 0;

  constructor(text: string) {
    this.#text = text.startsWith("\uFEFF") ? text.slice(1) : text;
    // Lines end at CRLF, LF or a lone CR.
    const body = this.#text;
    let start = 0;
    for (let i = 0; i < body.length; i++) {
      const code = body.charCodeAt(i);
      if (code !== 0x0a && code !== 0x0d) continue;
      this.#starts.push(start);
      this.#ends.push(i);
      if (code === 0x0d && body.charCodeAt(i + 1) === 0x0a) i++;
      start = i + 1;
    }
    this.#starts.push(start);
    this.#ends.push(body.length);
  }

  /** Line `index` (from 0) without its line break. */
  #line(index: number): string {
    if (index !== this.#cachedIndex) {
      this.#cachedIndex = index;
      this.#cachedLine = this.#text.slice(this.#starts[index], this.#ends[index]);
    }
    return this.#cachedLine;
  }

  parse(): void {
    const first = this.#line(0);
    const header = HEADERS.get(first.slice(skipBlanks(first, 0)));
    if (header) {
      this.#ansi = header.ansi;
      this.#index = 1;
    } else {
      this.#error(0, 0, `Missing header '${HEADER_V5}'`);
      // A file that simply lacks the header still gets its first line checked; a garbled header
      // line does not, so that it is reported once.
      const start = first[skipBlanks(first, 0)];
      this.#index = start === undefined || `["@;#`.includes(start) ? 0 : 1;
    }
    for (; this.#index < this.#ends.length; this.#index++) this.#parseLine();
  }

  #error(lineIndex: number, index: number, message: string): void {
    this.errors.push({ line: lineIndex + 1, column: index + 1, message });
  }

  #parseLine(): void {
    const line = this.#line(this.#index);
    const start = skipBlanks(line, 0);
    const ch = line[start];
    // regedit ignores blank lines and lines starting with ';' or '#' (Wine reg/tests/import.c).
    if (ch === undefined || ch === ";" || ch === "#") return;
    if (ch === "[") return this.#parseKeyLine(start);
    if (ch === '"' || ch === "@") return this.#parseValueLine(start);
    this.#error(
      this.#index,
      start,
      `Unexpected text ${
        quote(line.slice(start).trimEnd())
      } (a line starts with '[', '"', '@' or ';')`,
    );
  }

  #parseKeyLine(start: number): void {
    const lineIndex = this.#index;
    const line = this.#line(lineIndex);
    this.#key = { kind: "invalid" };
    // regedit takes the key name up to the last ']' on the line.
    const close = line.lastIndexOf("]");
    if (close < 0) return this.#error(lineIndex, start, "Missing ']' at the end of the key name");
    const restOk = this.#checkRest(lineIndex, close + 1, "after the key name");
    const deleting = line[start + 1] === "-";
    const nameStart = start + (deleting ? 2 : 1);
    const name = line.slice(nameStart, close);
    if (name === "") {
      return this.#error(lineIndex, nameStart, "Missing key name between '[' and ']'");
    }
    if (isBlank(name[0])) {
      return this.#error(lineIndex, nameStart, "Unexpected blank before the key name");
    }
    const slash = name.indexOf("\\");
    const root = slash < 0 ? name : name.slice(0, slash);
    const longRoot = ROOT_KEYS.get(root.toUpperCase());
    if (longRoot === undefined) {
      return this.#error(lineIndex, nameStart, `Unknown root key ${quote(root)}`);
    }
    const path = longRoot + name.slice(root.length);
    if (deleting && (slash < 0 || slash === name.length - 1)) {
      return this.#error(lineIndex, nameStart, `Cannot delete the root key ${quote(root)}`);
    }
    if (!restOk) return;
    if (deleting) {
      this.operations.push({ op: "deleteKey", path, line: lineIndex + 1 });
      this.#key = { kind: "deleted" };
    } else {
      this.operations.push({ op: "createKey", path, line: lineIndex + 1 });
      this.#key = { kind: "open", path };
    }
  }

  #parseValueLine(start: number): void {
    const lineIndex = this.#index;
    const line = this.#line(lineIndex);
    let name = "";
    let i = start + 1;
    if (line[start] === '"') {
      const quoted = this.#readQuoted(lineIndex, start);
      if (quoted === undefined) return;
      name = quoted.text;
      i = quoted.end;
    }
    i = skipBlanks(line, i);
    if (line[i] !== "=") return this.#error(lineIndex, i, "Expected '=' after the value name");
    i = skipBlanks(line, i + 1);

    let path: string | undefined;
    if (this.#key.kind === "open") path = this.#key.path;
    else if (this.#key.kind === "none") this.#error(lineIndex, start, "Value outside any key");
    else if (this.#key.kind === "deleted") {
      // regedit sets nothing after [-key] until the next key line.
      this.#error(lineIndex, start, "Value outside any key (the key line above deletes its key)");
    }

    const ch = line[i];
    if (ch === undefined || ch === ";") {
      return this.#error(lineIndex, i, "Missing value data after '='");
    }
    let value: RegFileValue | undefined;
    if (ch === "-") {
      if (!this.#checkRest(lineIndex, i + 1, "after '-'")) return;
      if (path !== undefined) {
        this.operations.push({ op: "deleteValue", path, name, line: lineIndex + 1 });
      }
      return;
    }
    if (ch === '"') {
      const quoted = this.#readQuoted(lineIndex, i);
      if (quoted === undefined || !this.#checkRest(lineIndex, quoted.end, "after the string")) {
        return;
      }
      value = { name, type: 1, data: quoted.text };
    } else {
      value = this.#readTypedData(lineIndex, i, name);
    }
    if (value !== undefined && path !== undefined) {
      this.operations.push({ op: "setValue", path, value, line: lineIndex + 1 });
    }
  }

  /** A `"..."` string at `start`: `\\` and `\"` are its only escapes, and it ends on its line. */
  #readQuoted(lineIndex: number, start: number): { text: string; end: number } | undefined {
    const line = this.#line(lineIndex);
    let text = "";
    let ok = true;
    for (let i = start + 1; i < line.length; i++) {
      const ch = line[i]!;
      if (ch === '"') return ok ? { text, end: i + 1 } : undefined;
      if (ch !== "\\") {
        text += ch;
        continue;
      }
      const next = line[i + 1];
      if (next === undefined) break;
      if (next === "\\" || next === '"') {
        text += next;
      } else if (next === "n" || next === "r") {
        // A line break in a name, as regedit writes it (Wine REGPROC_unescape_string).
        text += next === "n" ? "\n" : "\r";
      } else {
        // regedit refuses "\0" (Wine reg/tests/import.c); other escapes are not part of the format.
        this.#error(lineIndex, i, `Unknown escape '\\${next}' (write '\\\\' for a backslash)`);
        ok = false;
      }
      i++;
    }
    this.#error(lineIndex, start, "Unterminated string");
    return undefined;
  }

  /** `dword:`, `hex:` or `hex(N):` data at `start`. */
  #readTypedData(lineIndex: number, start: number, name: string): RegFileValue | undefined {
    const line = this.#line(lineIndex);
    let end = start;
    while (end < line.length && !":;\t ".includes(line[end]!)) end++;
    const tag = line.slice(start, end);
    if (line[end] !== ":") {
      this.#error(
        lineIndex,
        start,
        `Expected a quoted string, 'dword:', 'hex:' or 'hex(N):' after '=', found ${quote(tag)}`,
      );
      return undefined;
    }
    if (tag === "dword") return this.#readDword(lineIndex, end + 1, name);
    // The type number is hexadecimal and at most 0xffffffff; "hex(0x2):" is refused by regedit.
    const typed = /^hex\(0*([0-9a-fA-F]{1,8})\)$/.exec(tag);
    if (tag !== "hex" && typed === null) {
      this.#error(lineIndex, start, `Unknown value type ${quote(tag)}`);
      this.#skipContinuation(lineIndex);
      return undefined;
    }
    const type = typed === null ? REG_BINARY : parseInt(typed[1]!, 16);
    const hex = this.#readHexBytes(lineIndex, end + 1);
    if (hex === undefined) return undefined;
    const written = hex;
    const bytes = this.#ansi && ANSI_STRING_TYPES.has(type) ? widenAnsi(written) : written;
    // regedit stores hex data byte for byte with its type, whatever the type's usual shape: an
    // empty hex(7):, a 3-byte hex(4):, a hex(1) without its NUL (Wine regedit/tests/regedit.c
    // Wine22a-i; reg/tests/export.c empty_hex_test, embedded_null_test). The data is given in its
    // JS form only when that form encodes back to the same bytes.
    const { form } = valueType(type);
    const decoded = form.decode(bytes);
    const exact = decoded !== undefined && sameBytes(form.encode(decoded), bytes);
    return { name, type, data: exact ? decoded : bytes };
  }

  #readDword(lineIndex: number, start: number, name: string): RegFileValue | undefined {
    const line = this.#line(lineIndex);
    const i = skipBlanks(line, start);
    let end = i;
    while (end < line.length && !";\t ".includes(line[end]!)) end++;
    const digits = line.slice(i, end);
    if (digits === "") {
      this.#error(lineIndex, i, "Missing hex digits after 'dword:'");
      return undefined;
    }
    // regedit takes 1 to 8 hex digits, no "0x" and no more leading zeros (Wine reg/tests/import.c).
    if (!/^[0-9a-fA-F]{1,8}$/.test(digits)) {
      this.#error(lineIndex, i, `Bad DWORD ${quote(digits)}: expected 1 to 8 hex digits`);
      return undefined;
    }
    if (!this.#checkRest(lineIndex, end, "after the DWORD")) return undefined;
    return { name, type: 4, data: parseInt(digits, 16) };
  }

  /**
   * Comma-separated hex bytes from `start`, following `\` continuations. As in regedit, a `\` may
   * stand where a byte is expected (after the type or a comma), blank lines and `;` comment lines
   * between continuation lines are skipped, a trailing comma is allowed, and a `;` comment may end
   * any line. Returns undefined after reporting errors.
   */
  #readHexBytes(startLine: number, start: number): Uint8Array | undefined {
    // Bytes go to one scratch buffer that grows as needed; each value gets an exact copy.
    let bytes = this.#scratch;
    let count = 0;
    let ok = true;
    let lineIndex = startLine;
    let line = this.#line(lineIndex);
    let i = start;
    let expectByte = true;
    for (;;) {
      i = skipBlanks(line, i);
      const ch = line[i];
      if (ch === undefined || ch === ";") break;
      if (ch === "\\") {
        const after = skipBlanks(line, i + 1);
        if (after < line.length && line[after] !== ";") {
          this.#error(
            lineIndex,
            after,
            `Unexpected text ${
              quote(line.slice(after).trimEnd())
            } after the line continuation '\\'`,
          );
          return undefined;
        }
        const next = this.#nextContinuationLine(lineIndex);
        // A continuation at the end of the file ends the data (regedit keeps what it read).
        if (next === undefined) break;
        lineIndex = next;
        this.#index = next;
        line = this.#line(next);
        i = skipBlanks(line, 0);
        if (!isHexDigit(line[i])) {
          this.#error(
            lineIndex,
            i,
            `Expected hex bytes after the line continuation, found ${
              quote(line.slice(i).trimEnd())
            }`,
          );
          this.#skipContinuation(lineIndex);
          return undefined;
        }
        continue;
      }
      if (ch === ",") {
        if (expectByte) {
          this.#error(lineIndex, i, "Expected a hex byte before ','");
          ok = false;
        }
        expectByte = true;
        i++;
        continue;
      }
      let end = i;
      let value = 0;
      let digits = 0;
      for (; end < line.length; end++) {
        const code = line.charCodeAt(end);
        // ',', ';', '\\', tab and space end a byte.
        if (code === 0x2c || code === 0x3b || code === 0x5c || code === 0x09 || code === 0x20) {
          break;
        }
        const digit = hexDigit(code);
        value = value * 16 + digit;
        digits = digit < 0 ? 3 : digits + 1;
      }
      if (digits >= 1 && digits <= 2) {
        if (count === bytes.length) {
          const grown = new Uint8Array(bytes.length * 2);
          grown.set(bytes);
          bytes = this.#scratch = grown;
        }
        bytes[count++] = value;
      } else {
        this.#error(lineIndex, i, `Bad hex byte ${quote(line.slice(i, end))}`);
        ok = false;
      }
      expectByte = false;
      i = skipBlanks(line, end);
      const after = line[i];
      if (after === undefined || after === "," || after === ";") continue;
      if (after === "\\") {
        // regedit needs the comma before the backslash: "45\" on its own is refused.
        this.#error(lineIndex, i, "Expected ',' before the line continuation '\\'");
      } else {
        this.#error(
          lineIndex,
          i,
          `Unexpected text ${quote(line.slice(i).trimEnd())} after the hex bytes`,
        );
      }
      this.#skipContinuation(lineIndex);
      return undefined;
    }
    return ok ? bytes.slice(0, count) : undefined;
  }

  /** The next line holding data after a `\`: blank lines and `;` comment lines are skipped. */
  #nextContinuationLine(lineIndex: number): number | undefined {
    for (let next = lineIndex + 1; next < this.#ends.length; next++) {
      const line = this.#line(next);
      const ch = line[skipBlanks(line, 0)];
      if (ch !== undefined && ch !== ";") return next;
    }
    return undefined;
  }

  /** After an error, steps over the rest of a wrapped value so its lines are not parsed anew. */
  #skipContinuation(lineIndex: number): void {
    let current = lineIndex;
    while (continues(this.#line(current))) {
      const next = this.#nextContinuationLine(current);
      if (next === undefined) break;
      const line = this.#line(next);
      if (!isHexDigit(line[skipBlanks(line, 0)])) break;
      current = next;
    }
    this.#index = Math.max(this.#index, current);
  }

  /** Only blanks or a `;` comment may follow `index`; reports anything else. */
  #checkRest(lineIndex: number, index: number, where: string): boolean {
    const line = this.#line(lineIndex);
    const i = skipBlanks(line, index);
    if (i >= line.length || line[i] === ";") return true;
    this.#error(lineIndex, i, `Unexpected text ${quote(line.slice(i).trimEnd())} ${where}`);
    return false;
  }
}

/**
 * Parses the text of a `.reg` file into the operations it asks for, in file order, and every
 * problem it has. The first line must be `Windows Registry Editor Version 5.00` or `REGEDIT4`
 * (whose hex(1), hex(2) and hex(7) strings are single-byte); a leading BOM is skipped and lines
 * may end in CRLF, LF or CR. `[path]` creates or opens a key and `[-path]` deletes it with its
 * subtree; the root may be abbreviated (HKLM, HKCU, HKCR, HKU, HKCC) and is rewritten to its long
 * name. `"name"=` or `@=` sets a value from a quoted string (REG_SZ), `dword:` (1 to 8 hex
 * digits), `hex:` (REG_BINARY) or `hex(N):` bytes (type N). Hex bytes are kept exactly as written,
 * whatever their length (an empty `hex(7):`, a 3-byte `hex(4):`, a `hex(1):` without its NUL): the
 * data is the JS form of the type when that form encodes back to the same bytes, and otherwise the
 * bytes as a Uint8Array;
 * `=-` deletes the value. Blank lines and lines starting with `;` or `#` are ignored, and a `;`
 * comment may end a line.
 *
 * Every problem is reported with its line and column; the caller should apply nothing when
 * `errors` is not empty. Operations are still listed for the lines that parsed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRegFile } from "./reg_file.ts";
 *
 * const text = [
 *   "Windows Registry Editor Version 5.00",
 *   "",
 *   "[HKLM\\SYSTEM\\ControlSet001\\Enum\\ROOT\\SYSTEM\\0001]",
 *   '"HardwareID"=hex(7):72,00,6f,00,6f,00,74,00,5c,00,74,00,6f,00,61,00,73,00,74,00,\\',
 *   "  65,00,72,00,00,00,00,00",
 *   '"ConfigFlags"=dword:00000000',
 *   '"Stale"=-',
 * ].join("\r\n");
 * const path = "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Enum\\ROOT\\SYSTEM\\0001";
 * assert.deepEqual(parseRegFile(text), {
 *   operations: [
 *     { op: "createKey", path, line: 3 },
 *     {
 *       op: "setValue",
 *       path,
 *       value: { name: "HardwareID", type: 7, data: ["root\\toaster"] },
 *       line: 4,
 *     },
 *     { op: "setValue", path, value: { name: "ConfigFlags", type: 4, data: 0 }, line: 6 },
 *     { op: "deleteValue", path, name: "Stale", line: 7 },
 *   ],
 *   errors: [],
 * });
 *
 * assert.deepEqual(parseRegFile('REGEDIT4\n[HKLM\\X]\n"A"=hex(zz):01').errors, [
 *   { line: 3, column: 5, message: "Unknown value type 'hex(zz)'" },
 * ]);
 * ```
 */
export function parseRegFile(
  text: string,
): { operations: RegFileOperation[]; errors: RegFileError[] } {
  const parser = new RegFileParser(text);
  parser.parse();
  return { operations: parser.operations, errors: parser.errors };
}
