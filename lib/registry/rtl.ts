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
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_SUCCESS,
} from "../ntstatus.ts";
import type { System } from "../system.ts";
import { dataSize, type RegData, valueSize } from "./data.ts";
import type { KeyNode } from "./hive.ts";
import { accessCheck, referenceKey, ZwCreateKey, ZwDeleteValueKey, ZwSetValueKey } from "./zw.ts";

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
  /** Called for each value found (not with RTL_QUERY_REGISTRY_DIRECT). */
  QueryRoutine?:
    | ((
      ValueName: string,
      ValueType: number,
      ValueData: RegData,
      ValueLength: number,
      Context: unknown,
      EntryContext: unknown,
    ) => number)
    | null;
  /** RTL_QUERY_REGISTRY_* flags. */
  Flags: number;
  /** The value (or, with SUBKEY, the subkey) name; null with a QueryRoutine means every value. */
  Name?: string | null;
  /** With DIRECT: an object whose `value` receives the data (and `type` its type). */
  EntryContext?: unknown;
  /** The type of the default data; with TYPECHECK its top byte is the expected type. */
  DefaultType?: number;
  /** Data used when the value is missing. */
  DefaultData?: RegData;
  /** The default data's byte length. */
  DefaultLength?: number;
}

function basePath(relativeTo: number, path: string): string | undefined {
  const base = RELATIVE_BASES[relativeTo & 0xffff];
  return base === undefined ? undefined : base + path;
}

/** Finds the key an Rtl call names; `create` makes a missing last component (only that one). */
function resolveKey(
  sys: System,
  RelativeTo: number,
  Path: unknown,
  access: number,
  create: boolean,
): { node: KeyNode } | { status: number } {
  if (RelativeTo & RTL_REGISTRY_HANDLE) {
    const r = referenceKey(sys, Path, access);
    return "status" in r ? r : { node: r.entry.object };
  }
  if (typeof Path !== "string") return { status: STATUS_INVALID_PARAMETER };
  const full = basePath(RelativeTo & ~RTL_REGISTRY_OPTIONAL, Path);
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
  const k = resolveKey(sys, RelativeTo, Path, KEY_SET_VALUE, true);
  if ("status" in k) return k.status;
  return withHandle(
    sys,
    k.node,
    KEY_SET_VALUE,
    (h) => ZwSetValueKey(sys, h, ValueName, 0, ValueType, ValueData, ValueLength),
  );
}

/** `RtlCreateRegistryKey`: creates the key named by Path (its parent must exist). */
export function RtlCreateRegistryKey(sys: System, RelativeTo: number, Path: string): number {
  const k = resolveKey(sys, RelativeTo, Path, KEY_SET_VALUE, true);
  return "status" in k ? k.status : STATUS_SUCCESS;
}

/** `RtlCheckRegistryKey`: STATUS_SUCCESS when the key exists. */
export function RtlCheckRegistryKey(sys: System, RelativeTo: number, Path: string): number {
  const k = resolveKey(sys, RelativeTo, Path, 0, false);
  return "status" in k ? k.status : STATUS_SUCCESS;
}

/** `RtlDeleteRegistryValue`: deletes one value. */
export function RtlDeleteRegistryValue(
  sys: System,
  RelativeTo: number,
  Path: unknown,
  ValueName: string,
): number {
  const k = resolveKey(sys, RelativeTo, Path, KEY_SET_VALUE, false);
  if ("status" in k) return k.status;
  return withHandle(sys, k.node, KEY_SET_VALUE, (h) => ZwDeleteValueKey(sys, h, ValueName));
}

function expand(s: string, env: Readonly<Record<string, string>>): string {
  return s.replace(/%([^%]+)%/g, (m, name: string) => {
    const hit = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
    return hit === undefined ? m : env[hit]!;
  });
}

/**
 * `RtlQueryRegistryValues`: walks a query table over a key, calling each row's QueryRoutine (or
 * storing DIRECT data in its EntryContext). An error from a QueryRoutine stops the walk and is
 * returned, except STATUS_BUFFER_TOO_SMALL, which is ignored (the routine's documentation).
 */
export function RtlQueryRegistryValues(
  sys: System,
  RelativeTo: number,
  Path: unknown,
  QueryTable: RTL_QUERY_REGISTRY_TABLE[],
  Context: unknown,
  Environment?: Readonly<Record<string, string>> | null,
): number {
  const top = resolveKey(sys, RelativeTo, Path, KEY_QUERY_VALUE, false);
  if ("status" in top) return top.status;
  const env = Environment ?? DEFAULT_ENVIRONMENT;
  let current = top.node;
  for (const row of QueryTable) {
    if (!row.QueryRoutine && (row.Name === null || row.Name === undefined)) break;
    if (row.Flags & (RTL_QUERY_REGISTRY_SUBKEY | RTL_QUERY_REGISTRY_TOPKEY)) {
      current = top.node;
      if (row.Flags & RTL_QUERY_REGISTRY_SUBKEY) {
        if (typeof row.Name !== "string") return STATUS_INVALID_PARAMETER;
        const sub = current.child(row.Name);
        if (!sub) {
          if (row.Flags & RTL_QUERY_REGISTRY_REQUIRED) return STATUS_OBJECT_NAME_NOT_FOUND;
          continue;
        }
        current = sub;
      }
      if (!row.QueryRoutine) continue;
    }
    if (row.Flags & RTL_QUERY_REGISTRY_NOVALUE) {
      const s = row.QueryRoutine?.(
        row.Name ?? "",
        REG_NONE,
        new Uint8Array(),
        0,
        Context,
        row.EntryContext,
      );
      if (s !== undefined && !NT_SUCCESS(s) && s !== STATUS_BUFFER_TOO_SMALL) return s;
      continue;
    }
    const names = row.Name === null || row.Name === undefined
      ? current.valueList().map((v) => v.name)
      : [row.Name];
    for (const name of names) {
      const stored = current.value(name);
      let type: number;
      let data: RegData;
      if (stored) {
        type = stored.type;
        data = stored.data;
      } else if (row.Flags & RTL_QUERY_REGISTRY_REQUIRED) {
        return STATUS_OBJECT_NAME_NOT_FOUND;
      } else if (
        row.DefaultType !== undefined && (row.DefaultType & 0xffffff) !== REG_NONE &&
        row.DefaultData !== undefined
      ) {
        type = row.DefaultType & 0xffffff;
        data = row.DefaultData;
      } else {
        continue;
      }
      if (row.Flags & RTL_QUERY_REGISTRY_DIRECT) {
        // Win8+: DIRECT without TYPECHECK on an untrusted hive (anything outside HKLM's system hives) is a bug check.
        const trusted = /^\\REGISTRY\\MACHINE\\(SYSTEM|SOFTWARE|HARDWARE|SECURITY|SAM)(\\|$)/i.test(
          current.path,
        );
        if (!(row.Flags & RTL_QUERY_REGISTRY_TYPECHECK) && !trusted) {
          sys.violate(
            "RtlQueryRegistryValuesTypecheck",
            "RtlQueryRegistryValues with RTL_QUERY_REGISTRY_DIRECT and no RTL_QUERY_REGISTRY_TYPECHECK on an untrusted hive",
            [0, 0, 0],
          );
        }
        if (row.Flags & RTL_QUERY_REGISTRY_TYPECHECK) {
          const expected = ((row.DefaultType ?? 0) >>> RTL_QUERY_REGISTRY_TYPECHECK_SHIFT) & 0xff;
          if (expected !== type) return STATUS_OBJECT_TYPE_MISMATCH;
        }
        if (row.EntryContext && typeof row.EntryContext === "object") {
          Object.assign(row.EntryContext, { value: data, type });
        }
      } else if (row.QueryRoutine) {
        const calls: [number, RegData][] =
          type === REG_MULTI_SZ && !(row.Flags & RTL_QUERY_REGISTRY_NOEXPAND) && Array.isArray(data)
            ? data.map((s) => [1, s] as [number, RegData])
            : type === REG_EXPAND_SZ && !(row.Flags & RTL_QUERY_REGISTRY_NOEXPAND) &&
                typeof data === "string"
            ? [[1, expand(data, env)]]
            : [[type, data]];
        for (const [t, d] of calls) {
          // ValueLength is the stored size for data passed as stored, the string's size otherwise.
          const length = stored && d === data ? valueSize(stored) : dataSize(t, d);
          const s = row.QueryRoutine(name, t, d, length, Context, row.EntryContext);
          if (!NT_SUCCESS(s) && s !== STATUS_BUFFER_TOO_SMALL) return s;
        }
      }
      if (stored && (row.Flags & RTL_QUERY_REGISTRY_DELETE)) sys.hive.deleteValue(current, name);
    }
  }
  return STATUS_SUCCESS;
}
