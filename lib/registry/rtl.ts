/**
 * The run-time library's registry helpers (wdm.h): RtlWriteRegistryValue, RtlQueryRegistryValues,
 * RtlCreateRegistryKey, RtlCheckRegistryKey and RtlDeleteRegistryValue. Each call opens and closes
 * its own handle, so only the Rtl call and its registry writes reach the trace.
 *
 * @module
 */
import {
  KEY_QUERY_VALUE,
  KEY_SET_VALUE,
  REG_EXPAND_SZ,
  REG_MULTI_SZ,
  REG_NONE,
  REG_OPTION_NON_VOLATILE,
  REG_SZ,
  RTL_QUERY_REGISTRY_DELETE,
  RTL_QUERY_REGISTRY_DIRECT,
  RTL_QUERY_REGISTRY_NOEXPAND,
  RTL_QUERY_REGISTRY_NOVALUE,
  RTL_QUERY_REGISTRY_REQUIRED,
  RTL_QUERY_REGISTRY_SUBKEY,
  RTL_QUERY_REGISTRY_TOPKEY,
  RTL_QUERY_REGISTRY_TYPECHECK,
  RTL_QUERY_REGISTRY_TYPECHECK_SHIFT,
  RTL_REGISTRY_ABSOLUTE,
  RTL_REGISTRY_CONTROL,
  RTL_REGISTRY_DEVICEMAP,
  RTL_REGISTRY_HANDLE,
  RTL_REGISTRY_OPTIONAL,
  RTL_REGISTRY_SERVICES,
  RTL_REGISTRY_USER,
  RTL_REGISTRY_WINDOWS_NT,
} from "../constants.ts";
import {
  NT_SUCCESS,
  STATUS_BUFFER_TOO_SMALL,
  STATUS_DATA_OVERRUN,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_SYNTAX_BAD,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_SUCCESS,
} from "../ntstatus.ts";
import type { System } from "../system.ts";
import { dataSize, fromUtf16, normalizeData, type RegData, valueBytes, valueSize } from "./data.ts";
import { type KeyNode, splitPath } from "./hive.ts";
import {
  accessCheck,
  referenceKey,
  ulongArgument,
  ZwCreateKey,
  ZwDeleteValueKey,
  ZwSetValueKey,
} from "./zw.ts";

/** The key each RTL_REGISTRY_* relative-to value names. */
const RELATIVE_BASES: Readonly<Record<number, string>> = {
  [RTL_REGISTRY_ABSOLUTE]: "",
  [RTL_REGISTRY_SERVICES]: "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\",
  [RTL_REGISTRY_CONTROL]: "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\",
  [RTL_REGISTRY_WINDOWS_NT]:
    "\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion\\",
  [RTL_REGISTRY_DEVICEMAP]: "\\Registry\\Machine\\Hardware\\DeviceMap\\",
  // The system process's "current user" is .Default.
  [RTL_REGISTRY_USER]: "\\Registry\\User\\.Default\\",
};

/** The environment REG_EXPAND_SZ data is expanded with when the caller passes none. */
const DEFAULT_ENVIRONMENT: Readonly<Record<string, string>> = {
  SystemRoot: "C:\\Windows",
  windir: "C:\\Windows",
  SystemDrive: "C:",
};

/** One row of an `RTL_QUERY_REGISTRY_TABLE`. A row with neither `QueryRoutine` nor `Name` ends the table. */
export interface RTL_QUERY_REGISTRY_TABLE {
  /**
   * Called for each value found (not with RTL_QUERY_REGISTRY_DIRECT). With NOVALUE and no Name it
   * is called once with a null ValueName, REG_NONE, null ValueData and ValueLength 0.
   */
  QueryRoutine?:
    | ((
      ValueName: string | null,
      ValueType: number,
      ValueData: RegData | null,
      ValueLength: number,
      Context: unknown,
      EntryContext: unknown,
    ) => number)
    | null;
  /** RTL_QUERY_REGISTRY_* flags. */
  Flags: number;
  /**
   * The value name; null with a QueryRoutine means every value. With SUBKEY, a path relative to
   * Path (it may hold `\`).
   */
  Name?: string | null;
  /** With DIRECT: an object whose `value` receives the data (and `type` its type). */
  EntryContext?: unknown;
  /** The type of the default data; with TYPECHECK its top byte is the expected type. */
  DefaultType?: number;
  /** Data used when the value is missing, in the JS form of DefaultType (or bytes). */
  DefaultData?: RegData | null;
  /**
   * The default data's byte length. For REG_SZ and REG_EXPAND_SZ, 0 (or leaving it out) means
   * "compute it from the string"; for other types leaving it out means the data's natural size.
   */
  DefaultLength?: number;
}

function basePath(relativeTo: number, path: string): string | undefined {
  const base = RELATIVE_BASES[relativeTo & 0xffff];
  return base === undefined ? undefined : base + path;
}

/** Finds the key an Rtl call names; `create` makes a missing last component (only that one). */
function resolveKey(
  sys: System,
  relativeTo: unknown,
  Path: unknown,
  access: number,
  create: boolean,
  routine: string,
): { node: KeyNode } | { status: number } {
  const RelativeTo = ulongArgument(relativeTo);
  if (RelativeTo === undefined) return { status: STATUS_INVALID_PARAMETER };
  if (RelativeTo & RTL_REGISTRY_HANDLE) {
    const r = referenceKey(sys, Path, access, routine);
    return "status" in r ? r : { node: r.entry.object };
  }
  let path = Path;
  if (path === null || path === undefined || path === "") {
    // No path names the base key itself; an absolute path has no base, so nothing is named
    // (Wine's test_RtlCheckRegistryKey, run on Windows: ABSOLUTE with a NULL or empty Path is
    // STATUS_OBJECT_PATH_SYNTAX_BAD, USER with a NULL Path succeeds).
    if ((RelativeTo & 0xffff) === RTL_REGISTRY_ABSOLUTE) {
      return { status: STATUS_OBJECT_PATH_SYNTAX_BAD };
    }
    path = "";
  }
  if (typeof path !== "string") return { status: STATUS_INVALID_PARAMETER };
  const full = basePath(RelativeTo & ~RTL_REGISTRY_OPTIONAL, path);
  if (full === undefined) return { status: STATUS_INVALID_PARAMETER };
  const node = sys.hive.find(full);
  if (node) {
    // The routine opens the key for what it needs, so the key's security applies.
    const check = accessCheck(node, access);
    return "status" in check ? check : { node };
  }
  if (!create) return { status: STATUS_OBJECT_NAME_NOT_FOUND };
  const r = ZwCreateKey(sys, access, full, 0, null, REG_OPTION_NON_VOLATILE);
  if (!NT_SUCCESS(r.status) || !r.keyHandle) return { status: r.status };
  const entry = sys.keyHandles.get(r.keyHandle)!;
  sys.keyHandles.close(r.keyHandle);
  return { node: entry.object };
}

/** Runs `fn` with a temporary kernel handle to `node`, closing it afterwards. */
function withHandle<T>(sys: System, node: KeyNode, granted: number, fn: (h: unknown) => T): T {
  const handle = sys.keyHandles.open({
    object: node,
    granted,
    kernel: true,
    process: sys.caller.process,
    openedBy: sys.caller.name,
    driver: sys.caller.driver,
    routine: "Rtl",
  });
  try {
    return fn(handle);
  } finally {
    sys.keyHandles.close(handle);
  }
}

/** `RtlWriteRegistryValue`: writes a value, creating the key named by Path if it is missing. */
export function RtlWriteRegistryValue(
  sys: System,
  RelativeTo: number,
  Path: unknown,
  ValueName: string,
  ValueType: number,
  ValueData: unknown,
  ValueLength?: number,
): number {
  const k = resolveKey(sys, RelativeTo, Path, KEY_SET_VALUE, true, "RtlWriteRegistryValue");
  if ("status" in k) return k.status;
  return withHandle(
    sys,
    k.node,
    KEY_SET_VALUE,
    (h) => ZwSetValueKey(sys, h, ValueName, 0, ValueType, ValueData, ValueLength),
  );
}

/** `RtlCreateRegistryKey`: creates the key named by Path (its parent must exist). */
export function RtlCreateRegistryKey(
  sys: System,
  RelativeTo: number,
  Path: string | null,
): number {
  const k = resolveKey(sys, RelativeTo, Path, KEY_SET_VALUE, true, "RtlCreateRegistryKey");
  return "status" in k ? k.status : STATUS_SUCCESS;
}

/** `RtlCheckRegistryKey`: STATUS_SUCCESS when the key exists. */
export function RtlCheckRegistryKey(
  sys: System,
  RelativeTo: number,
  Path: string | null,
): number {
  const k = resolveKey(sys, RelativeTo, Path, 0, false, "RtlCheckRegistryKey");
  return "status" in k ? k.status : STATUS_SUCCESS;
}

/** `RtlDeleteRegistryValue`: deletes one value. */
export function RtlDeleteRegistryValue(
  sys: System,
  RelativeTo: number,
  Path: unknown,
  ValueName: string,
): number {
  const k = resolveKey(sys, RelativeTo, Path, KEY_SET_VALUE, false, "RtlDeleteRegistryValue");
  if ("status" in k) return k.status;
  return withHandle(sys, k.node, KEY_SET_VALUE, (h) => ZwDeleteValueKey(sys, h, ValueName));
}

/** Expands `%NAME%` references (case-insensitive); a name the environment has no string for stays. */
function expand(s: string, env: Readonly<Record<string, unknown>>): string {
  return s.replace(/%([^%]+)%/g, (m, name: string) => {
    const hit = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
    const value = hit === undefined ? undefined : env[hit];
    return typeof value === "string" ? value : m;
  });
}

/** A QueryRoutine: called with a value's name, type, data and byte length, it returns an NTSTATUS. */
type QueryRoutine = NonNullable<RTL_QUERY_REGISTRY_TABLE["QueryRoutine"]>;

/** A table row whose members have the types the structure gives them. */
interface CheckedRow {
  routine: QueryRoutine | null;
  flags: number;
  name: string | null;
  entryContext: unknown;
  defaultType: number;
  defaultData: RegData | null | undefined;
  defaultLength: number | undefined;
}

/** Reads one table row, or undefined when a member is not of its type (a bad table entry). */
function checkRow(row: unknown): CheckedRow | undefined {
  if (row === null || typeof row !== "object" || Array.isArray(row)) return undefined;
  const r = row as Record<string, unknown>;
  const routine = r.QueryRoutine ?? null;
  if (routine !== null && typeof routine !== "function") return undefined;
  const flags = r.Flags === undefined ? 0 : ulongArgument(r.Flags);
  if (flags === undefined) return undefined;
  const name = r.Name ?? null;
  if (name !== null && typeof name !== "string") return undefined;
  const defaultType = r.DefaultType === undefined ? REG_NONE : ulongArgument(r.DefaultType);
  if (defaultType === undefined) return undefined;
  const defaultLength = r.DefaultLength === undefined ? undefined : ulongArgument(r.DefaultLength);
  if (r.DefaultLength !== undefined && defaultLength === undefined) return undefined;
  return {
    routine: routine as QueryRoutine | null,
    flags,
    name,
    entryContext: r.EntryContext,
    defaultType,
    defaultData: r.DefaultData as RegData | null | undefined,
    defaultLength,
  };
}

/** What a row reports for a value: its type, data and byte length. */
interface Reported {
  type: number;
  data: RegData | null;
  length: number;
  /** The stored bytes, for a value read from the key (a default has none). */
  raw?: Uint8Array;
  /** A REG_MULTI_SZ default given as bytes: the DefaultLength bytes the routine walks. */
  defaultList?: Uint8Array;
}

/**
 * The data a row's default stands for, or a status: DefaultType REG_NONE is no default; a REG_SZ
 * default without data is STATUS_DATA_OVERRUN (Wine's test_RtlQueryRegistryValues on Windows); data
 * that is not of DefaultType is a bad table entry. DefaultLength is honoured: a string default is
 * cut to it, and other data is reported with that length (the DDI: "the length, in bytes, of the
 * DefaultData member"; 0 for a string means "compute it").
 */
function defaultValue(row: CheckedRow): Reported | { status: number } | undefined {
  const type = row.defaultType & 0xff;
  if (type === REG_NONE) return undefined;
  if (row.defaultData === null || row.defaultData === undefined) {
    return type === REG_SZ ? { status: STATUS_DATA_OVERRUN } : undefined;
  }
  const n = normalizeData(type, row.defaultData);
  if (!n.value) return { status: STATUS_INVALID_PARAMETER };
  const { data, raw } = n.value;
  const given = row.defaultLength;
  if (typeof data === "string" && (type === REG_SZ || type === REG_EXPAND_SZ)) {
    if (!given) return { type, data, length: dataSize(type, data) };
    return { type, data: data.slice(0, given >> 1), length: given };
  }
  const natural = raw ? raw.length : dataSize(type, data);
  if (type === REG_MULTI_SZ && row.defaultData instanceof Uint8Array) {
    const length = given || natural;
    return { type, data, length, defaultList: row.defaultData.slice(0, length) };
  }
  if (given === undefined) return { type, data, length: natural };
  if (data instanceof Uint8Array) return { type, data: data.slice(0, given), length: given };
  return { type, data, length: given };
}

/** A QueryRoutine's result as an NTSTATUS: a routine that returns no number has not failed. */
function routineStatus(result: unknown): number {
  return typeof result === "number" ? result : STATUS_SUCCESS;
}

/**
 * `RtlQueryRegistryValues`: walks a query table over a key, calling each row's QueryRoutine (or
 * storing DIRECT data in its EntryContext). An error from a QueryRoutine stops the walk and is
 * returned, except STATUS_BUFFER_TOO_SMALL, which is ignored (the routine's documentation). The
 * rules follow the DDI page and Wine's test_RtlQueryRegistryValues, which runs on Windows:
 * - a row that is not an object, or whose members are not of their types, is
 *   STATUS_INVALID_PARAMETER (a bad table entry), and so is a DIRECT row with a QueryRoutine ("must
 *   be NULL");
 * - SUBKEY's Name is a path relative to Path; the rows after it, and a QueryRoutine on the SUBKEY row
 *   itself (called for every value of the subkey), work in that key;
 * - NOVALUE only applies to a row without a Name: the routine is called once with no value;
 * - a missing value uses the row's default unless DefaultType is REG_NONE; with REQUIRED and no
 *   default it is STATUS_OBJECT_NAME_NOT_FOUND, as is REQUIRED with no Name on a key without values;
 * - without NOEXPAND a REG_EXPAND_SZ is expanded (for DIRECT rows too) and a REG_MULTI_SZ goes to
 *   the routine one string at a time.
 */
export function RtlQueryRegistryValues(
  sys: System,
  RelativeTo: unknown,
  Path: unknown,
  QueryTable: unknown,
  Context: unknown,
  Environment?: Readonly<Record<string, string>> | null,
): number {
  if (!Array.isArray(QueryTable)) return STATUS_INVALID_PARAMETER;
  const top = resolveKey(sys, RelativeTo, Path, KEY_QUERY_VALUE, false, "RtlQueryRegistryValues");
  if ("status" in top) return top.status;
  const env = Environment && typeof Environment === "object" ? Environment : DEFAULT_ENVIRONMENT;
  let current = top.node;
  for (const entry of QueryTable as unknown[]) {
    const row = checkRow(entry);
    if (!row) return STATUS_INVALID_PARAMETER;
    if (!row.routine && row.name === null) break;
    const direct = (row.flags & RTL_QUERY_REGISTRY_DIRECT) !== 0;
    if (direct && row.routine) return STATUS_INVALID_PARAMETER;
    let allValues = row.name === null;
    if (row.flags & (RTL_QUERY_REGISTRY_SUBKEY | RTL_QUERY_REGISTRY_TOPKEY)) {
      current = top.node;
      if (row.flags & RTL_QUERY_REGISTRY_SUBKEY) {
        if (row.name === null) return STATUS_INVALID_PARAMETER;
        const found = sys.hive.walk(top.node, splitPath(row.name));
        if (!("found" in found)) {
          if (row.flags & RTL_QUERY_REGISTRY_REQUIRED) return STATUS_OBJECT_NAME_NOT_FOUND;
          continue;
        }
        const check = accessCheck(found.found, KEY_QUERY_VALUE);
        if ("status" in check) return check.status;
        current = found.found;
        // The routine of a SUBKEY row reports the subkey's values; its Name named the key.
        allValues = true;
      }
      if (!row.routine) continue;
    }
    if (row.routine && allValues && (row.flags & RTL_QUERY_REGISTRY_NOVALUE)) {
      const s = routineStatus(row.routine(null, REG_NONE, null, 0, Context, row.entryContext));
      if (!NT_SUCCESS(s) && s !== STATUS_BUFFER_TOO_SMALL) return s;
      continue;
    }
    const names = allValues ? current.valueList().map((v) => v.name) : [row.name!];
    if (allValues && names.length === 0 && (row.flags & RTL_QUERY_REGISTRY_REQUIRED)) {
      return STATUS_OBJECT_NAME_NOT_FOUND;
    }
    for (const name of names) {
      const stored = current.value(name);
      let found: Reported;
      if (stored) {
        found = {
          type: stored.type,
          data: stored.data,
          length: valueSize(stored),
          raw: valueBytes(stored),
        };
      } else {
        const d = defaultValue(row);
        if (d && "status" in d) return d.status;
        if (!d) {
          if (row.flags & RTL_QUERY_REGISTRY_REQUIRED) return STATUS_OBJECT_NAME_NOT_FOUND;
          continue;
        }
        found = d;
      }
      const s = direct
        ? storeDirect(sys, current, row, found, stored !== undefined, env)
        : row.routine
        ? report(row, name, found, Context, env)
        : STATUS_SUCCESS;
      if (s !== STATUS_SUCCESS) return s;
      if (stored && (row.flags & RTL_QUERY_REGISTRY_DELETE)) sys.hive.deleteValue(current, name);
    }
  }
  return STATUS_SUCCESS;
}

/** A DIRECT row: the data goes to the row's EntryContext. */
function storeDirect(
  sys: System,
  key: KeyNode,
  row: CheckedRow,
  found: Reported,
  stored: boolean,
  env: Readonly<Record<string, string>>,
): number {
  // Win8+: DIRECT without TYPECHECK on an untrusted hive (anything outside HKLM's system hives) is a bug check.
  const trusted = /^\\REGISTRY\\MACHINE\\(SYSTEM|SOFTWARE|HARDWARE|SECURITY|SAM)(\\|$)/i.test(
    key.path,
  );
  if (!(row.flags & RTL_QUERY_REGISTRY_TYPECHECK) && !trusted) {
    sys.violate(
      "RtlQueryRegistryValuesTypecheck",
      "RtlQueryRegistryValues with RTL_QUERY_REGISTRY_DIRECT and no RTL_QUERY_REGISTRY_TYPECHECK on an untrusted hive",
      [0, 0, 0],
    );
  }
  if (row.flags & RTL_QUERY_REGISTRY_TYPECHECK) {
    const expected = (row.defaultType >>> RTL_QUERY_REGISTRY_TYPECHECK_SHIFT) & 0xff;
    if (expected !== found.type) return STATUS_OBJECT_TYPE_MISMATCH;
  }
  let { type, data } = found;
  if (!stored && typeof data === "string" && row.defaultLength) {
    // A string default fills a UNICODE_STRING whose Length leaves out the last WCHAR of
    // DefaultLength: "Some default" with DefaultLength 8 reads back as "Som" (Wine's tests).
    data = data.slice(0, Math.max(0, (row.defaultLength >> 1) - 1));
  }
  if (
    type === REG_EXPAND_SZ && typeof data === "string" && !(row.flags & RTL_QUERY_REGISTRY_NOEXPAND)
  ) {
    // DIRECT expands a REG_EXPAND_SZ as the routine calls do (Wine's tests on Windows: "C:").
    type = REG_SZ;
    data = expand(data, env);
  }
  // Non-string data of length 0 copies nothing (a REG_DWORD default with DefaultLength 0).
  if (found.length === 0 && typeof data !== "string" && !Array.isArray(data)) return STATUS_SUCCESS;
  if (row.entryContext && typeof row.entryContext === "object") {
    Object.assign(row.entryContext, { value: data, type });
  }
  return STATUS_SUCCESS;
}

/**
 * The strings a routine is called with for a stored REG_MULTI_SZ: the raw data (given a closing NUL
 * when it lacks one) is walked string by string up to its last WCHAR, which only closes the list.
 * So an empty string before that WCHAR is reported too: a stored "\0\0" gives one call with "",
 * a stored "\0" none, and "String1\0\0String3\0" three (ReactOS kmtests rtl/RtlRegistry.c
 * (Windows results); Wine's test_RtlQueryRegistryValues rows read the same under this rule).
 */
function multiSzStrings(raw: Uint8Array): string[] {
  let text = fromUtf16(raw, 0, raw.length);
  if (!text.endsWith("\0")) text += "\0";
  const out: string[] = [];
  for (let at = 0; at < text.length - 1;) {
    const nul = text.indexOf("\0", at);
    out.push(text.slice(at, nul));
    at = nul + 1;
  }
  return out;
}

/**
 * The strings a routine is called with for a REG_MULTI_SZ default given as DefaultLength bytes: the
 * buffer's last WCHAR is the list's end, so a string is reported only when its NUL comes before it
 * (Wine ntdll/tests/reg.c test_RtlQueryRegistryValues (run on Windows): "A\0B\0C" as 12 bytes and
 * as 10 bytes both give 2 calls, "A" and "B").
 */
function defaultListStrings(bytes: Uint8Array): string[] {
  const text = fromUtf16(bytes, 0, bytes.length);
  const end = text.length - 1;
  const out: string[] = [];
  for (let at = 0; at < end;) {
    const nul = text.indexOf("\0", at);
    if (nul < 0 || nul >= end || nul === at) break;
    out.push(text.slice(at, nul));
    at = nul + 1;
  }
  return out;
}

/** A routine row: one call, or one per string of a REG_MULTI_SZ without NOEXPAND. */
function report(
  row: CheckedRow,
  name: string,
  found: Reported,
  Context: unknown,
  env: Readonly<Record<string, string>>,
): number {
  const noExpand = (row.flags & RTL_QUERY_REGISTRY_NOEXPAND) !== 0;
  const { type, data } = found;
  // ValueLength is the stored (or default) length for data passed as it is, the string's size for
  // expanded and split data.
  const calls: Reported[] = !noExpand && type === REG_MULTI_SZ && found.defaultList
    ? defaultListStrings(found.defaultList).map((s) => ({
      type: REG_SZ,
      data: s,
      length: dataSize(REG_SZ, s),
    }))
    : !noExpand && type === REG_MULTI_SZ && found.raw
    ? multiSzStrings(found.raw).map((s) => ({ type: REG_SZ, data: s, length: dataSize(REG_SZ, s) }))
    : !noExpand && type === REG_MULTI_SZ && Array.isArray(data)
    ? data.map((s) => ({ type: REG_SZ, data: s, length: dataSize(REG_SZ, s) }))
    : !noExpand && type === REG_EXPAND_SZ && typeof data === "string"
    ? [{ type: REG_SZ, data: expand(data, env), length: dataSize(REG_SZ, expand(data, env)) }]
    : [found];
  for (const call of calls) {
    const s = routineStatus(
      row.routine!(name, call.type, call.data, call.length, Context, row.entryContext),
    );
    if (!NT_SUCCESS(s) && s !== STATUS_BUFFER_TOO_SMALL) return s;
  }
  return STATUS_SUCCESS;
}
