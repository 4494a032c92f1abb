/**
 * An application's registry calls (advapi32's RegOpenKeyEx, RegCreateKeyEx, RegSetValueEx, ...). They
 * exist to show the other side of the previous-mode rule: an application's call reaches the same
 * system services a driver's Zw call does, but with previous mode UserMode, so a handle's granted
 * access IS compared with what the service needs. The seed page's sample, KEY_READ then a write,
 * works for a driver (a verifier finding) and fails here with ERROR_ACCESS_DENIED. Errors are the
 * NTSTATUS mapped as RtlNtStatusToDosError maps it.
 *
 * @module
 */
import {
  DELETE,
  KeyBasicInformation,
  KeyValuePartialInformation,
  MAXIMUM_ALLOWED,
  OBJ_OPENLINK,
  REG_CREATED_NEW_KEY,
  REG_OPTION_OPEN_LINK,
} from "../constants.ts";
import {
  NT_SUCCESS,
  STATUS_INVALID_HANDLE,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from "../ntstatus.ts";
import { Handle } from "../ob/handles.ts";
import type { RegData } from "../registry/data.ts";
import { splitPath } from "../registry/hive.ts";
import {
  type KEY_BASIC_INFORMATION,
  type KEY_VALUE_PARTIAL_INFORMATION,
  keyAccessText,
  type OBJECT_ATTRIBUTES,
  ulongArgument,
  ZwClose,
  ZwCreateKey,
  ZwDeleteKey,
  ZwDeleteValueKey,
  ZwEnumerateKey,
  ZwOpenKey,
  ZwQueryValueKey,
  ZwSetValueKey,
} from "../registry/zw.ts";
import type { System } from "../system.ts";
import {
  ERROR_BAD_PATHNAME,
  ERROR_INVALID_HANDLE,
  ERROR_INVALID_PARAMETER,
  ERROR_SUCCESS,
  RtlNtStatusToDosError,
  win32ErrorName,
} from "./winerror.ts";

/** `HKEY_LOCAL_MACHINE`: `(HKEY)(ULONG_PTR)(LONG)0x80000002`, as a 64-bit process holds it. */
export const HKEY_LOCAL_MACHINE: Handle = new Handle("0xffffffff80000002");
/** `HKEY_USERS`: `(HKEY)(ULONG_PTR)(LONG)0x80000003`. */
export const HKEY_USERS: Handle = new Handle("0xffffffff80000003");

/** The predefined keys and the key each stands for. */
const PREDEFINED_KEYS: ReadonlyMap<Handle, { name: string; path: string }> = new Map([
  [HKEY_LOCAL_MACHINE, { name: "HKEY_LOCAL_MACHINE", path: "\\Registry\\Machine" }],
  [HKEY_USERS, { name: "HKEY_USERS", path: "\\Registry\\User" }],
]);

/** A handle value's low 32 bits, or undefined for a value that is not hex. */
function low32(hKey: Handle): number | undefined {
  return /^0x[0-9a-f]{1,16}$/i.test(hKey.value)
    ? Number(BigInt(hKey.value) & 0xffffffffn)
    : undefined;
}

/**
 * The predefined keys by their low 32 bits: a 64-bit process's HKEY_LOCAL_MACHINE with any upper
 * half (zero-extended, or 0xdeadbeef above) opens as HKEY_LOCAL_MACHINE (Wine
 * advapi32/tests/registry.c test_reg_open_key, run on Windows). Handle-table handles are multiples
 * of 4, so they never match.
 */
const PREDEFINED_BY_LOW32: ReadonlyMap<number | undefined, Handle> = new Map(
  [...PREDEFINED_KEYS.keys()].map((key) => [low32(key), key]),
);

/** An argument as the trace shows it: strings, numbers and null as they are, anything else as text. */
function traceText(value: unknown): string | number | null {
  return typeof value === "string" || typeof value === "number" || value === null
    ? value
    : String(value);
}

/** A DesiredAccess as the trace shows it: WDK names for a mask, the value as text otherwise. */
function accessText(value: unknown): string {
  return typeof value === "number" ? keyAccessText(value) : String(value);
}

/** Where a call's key name starts: a predefined key's path, or a key the application opened. */
type Start = { path: string } | { handle: Handle };

/** One application's registry calls; `UserApp` hands them out under their Win32 names. */
export class Win32Registry {
  readonly #sys: System;
  readonly #process: string;
  readonly #log: (action: string, detail: Record<string, unknown>) => void;

  /** The calls of the application whose process is `process`; `log` records each call. */
  constructor(
    sys: System,
    process: string,
    log: (action: string, detail: Record<string, unknown>) => void,
  ) {
    this.#sys = sys;
    this.#process = process;
    this.#log = log;
  }

  /** Runs a system service as the application: its process, previous mode UserMode. */
  #asApp<T>(fn: () => T): T {
    this.#sys.checkRunning();
    return this.#sys.as({
      name: `app:${this.#process}`,
      driver: null,
      process: this.#process,
      previousMode: "UserMode",
    }, fn);
  }

  /** Records a call with its Win32 result (nothing an application does is silent). */
  #done(action: string, detail: Record<string, unknown>, error: number): number {
    this.#log(action, { ...detail, error: win32ErrorName(error) });
    return error;
  }

  #start(hKey: unknown): Start | undefined {
    if (!(hKey instanceof Handle)) return undefined;
    const predefined = PREDEFINED_KEYS.get(PREDEFINED_BY_LOW32.get(low32(hKey)) ?? hKey);
    return predefined ? { path: predefined.path } : { handle: hKey };
  }

  /** The OBJECT_ATTRIBUTES for a name below a start; a leading backslash is not a relative name. */
  #attributes(start: Start, subKey: string): OBJECT_ATTRIBUTES | number {
    if (subKey.startsWith("\\")) return ERROR_BAD_PATHNAME;
    return "path" in start
      ? { ObjectName: subKey === "" ? start.path : `${start.path}\\${subKey}` }
      : { ObjectName: subKey, RootDirectory: start.handle };
  }

  #keyText(hKey: unknown): string {
    return hKey instanceof Handle ? PREDEFINED_KEYS.get(hKey)?.name ?? hKey.value : String(hKey);
  }

  /**
   * `RegOpenKeyEx`. A NULL or empty subkey of a predefined key returns the predefined key itself;
   * of an opened key, a new handle to it (Wine's test_reg_open_key, run on Windows).
   */
  RegOpenKeyEx(
    hKey: Handle,
    lpSubKey: string | null,
    ulOptions: number,
    samDesired: number,
  ): { error: number; hkResult?: Handle } {
    const detail = {
      hKey: this.#keyText(hKey),
      subKey: traceText(lpSubKey),
      samDesired: accessText(samDesired),
    };
    const start = this.#start(hKey);
    if (!start) return { error: this.#done("RegOpenKeyEx", detail, ERROR_INVALID_HANDLE) };
    const subKey = lpSubKey ?? "";
    if (typeof subKey !== "string") {
      return { error: this.#done("RegOpenKeyEx", detail, ERROR_INVALID_PARAMETER) };
    }
    if (subKey === "" && "path" in start) {
      return { error: this.#done("RegOpenKeyEx", detail, ERROR_SUCCESS), hkResult: hKey };
    }
    const oa = this.#attributes(start, subKey);
    if (typeof oa === "number") return { error: this.#done("RegOpenKeyEx", detail, oa) };
    const options = ulongArgument(ulOptions);
    if (options === undefined) {
      return { error: this.#done("RegOpenKeyEx", detail, ERROR_INVALID_PARAMETER) };
    }
    const r = this.#asApp(() =>
      ZwOpenKey(this.#sys, samDesired, {
        ...oa,
        Attributes: options & REG_OPTION_OPEN_LINK ? OBJ_OPENLINK : 0,
      })
    );
    const error = this.#done("RegOpenKeyEx", detail, RtlNtStatusToDosError(r.status));
    return NT_SUCCESS(r.status) && r.keyHandle ? { error, hkResult: r.keyHandle } : { error };
  }

  /**
   * `RegCreateKeyEx`: opens the key or creates it, and every missing key on the way ("creates all
   * missing keys in the specified path"). The parent handle's access is not checked (Wine's
   * test_reg_create_key: "all versions of Windows ignore the access rights to the parent handle").
   */
  RegCreateKeyEx(
    hKey: Handle,
    lpSubKey: string,
    Reserved: number,
    lpClass: string | null,
    dwOptions: number,
    samDesired: number,
  ): { error: number; hkResult?: Handle; disposition?: number } {
    const detail = {
      hKey: this.#keyText(hKey),
      subKey: traceText(lpSubKey),
      samDesired: accessText(samDesired),
    };
    const start = this.#start(hKey);
    if (!start) return { error: this.#done("RegCreateKeyEx", detail, ERROR_INVALID_HANDLE) };
    const subKey = lpSubKey ?? "";
    if (typeof subKey !== "string") {
      return { error: this.#done("RegCreateKeyEx", detail, ERROR_INVALID_PARAMETER) };
    }
    const oa = this.#attributes(start, subKey);
    if (typeof oa === "number") return { error: this.#done("RegCreateKeyEx", detail, oa) };
    const r = this.#asApp(() => {
      const whole = ZwCreateKey(this.#sys, samDesired, oa, Reserved, lpClass, dwOptions);
      if (whole.status !== STATUS_OBJECT_NAME_NOT_FOUND) return whole;
      return this.#createEach(start, splitPath(subKey), lpClass, dwOptions, samDesired);
    });
    const error = this.#done("RegCreateKeyEx", detail, RtlNtStatusToDosError(r.status));
    return NT_SUCCESS(r.status) && r.keyHandle && r.disposition !== undefined
      ? { error, hkResult: r.keyHandle, disposition: r.disposition }
      : { error };
  }

  /** Creates a path one key at a time, each relative to the last, closing the keys on the way. */
  #createEach(
    start: Start,
    components: string[],
    lpClass: string | null,
    dwOptions: number,
    samDesired: number,
  ): { status: number; keyHandle?: Handle; disposition?: number } {
    let parent: Handle | undefined = "handle" in start ? start.handle : undefined;
    let opened: Handle | undefined;
    let result: { status: number; keyHandle?: Handle; disposition?: number } = {
      status: STATUS_SUCCESS,
    };
    for (const [i, name] of components.entries()) {
      const last = i === components.length - 1;
      const oa: OBJECT_ATTRIBUTES = parent
        ? { ObjectName: name, RootDirectory: parent }
        : { ObjectName: `${(start as { path: string }).path}\\${name}` };
      result = ZwCreateKey(this.#sys, samDesired, oa, 0, last ? lpClass : null, dwOptions);
      if (opened) ZwClose(this.#sys, opened);
      if (!NT_SUCCESS(result.status)) return { status: result.status };
      opened = parent = result.keyHandle;
    }
    return result.disposition === undefined
      ? { ...result, disposition: REG_CREATED_NEW_KEY }
      : result;
  }

  /** `RegSetValueEx`: the handle needs KEY_SET_VALUE. */
  RegSetValueEx(
    hKey: Handle,
    lpValueName: string | null,
    Reserved: number,
    dwType: number,
    data: RegData | null,
  ): number {
    const detail = {
      hKey: this.#keyText(hKey),
      valueName: traceText(lpValueName),
      type: traceText(dwType),
    };
    const status = this.#withKey(
      hKey,
      (h) => ZwSetValueKey(this.#sys, h, lpValueName, Reserved, dwType, data),
    );
    return this.#done("RegSetValueEx", detail, RtlNtStatusToDosError(status));
  }

  /**
   * `RegQueryValueEx`: `{ error, type?, data? }` as the API contract gives it; the handle needs
   * KEY_QUERY_VALUE. The size in bytes `*lpcbData` receives (UTF-16 strings with their NULs, as
   * stored) is there too as `cbData`, kept out of the object's enumerable shape so that the result
   * still compares equal to `{ error, type, data }`.
   */
  RegQueryValueEx(
    hKey: Handle,
    lpValueName: string | null,
  ): { error: number; type?: number; data?: RegData; cbData?: number } {
    const detail = { hKey: this.#keyText(hKey), valueName: traceText(lpValueName) };
    let info: KEY_VALUE_PARTIAL_INFORMATION | undefined;
    const status = this.#withKey(hKey, (h) => {
      const r = ZwQueryValueKey(this.#sys, h, lpValueName, KeyValuePartialInformation);
      info = r.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION | undefined;
      return r.status;
    });
    const error = this.#done("RegQueryValueEx", detail, RtlNtStatusToDosError(status));
    if (error !== ERROR_SUCCESS || !info) return { error };
    const result = { error, type: info.Type, data: info.Data };
    return Object.defineProperty(result, "cbData", { value: info.DataLength, enumerable: false });
  }

  /** `RegDeleteValue`: the handle needs KEY_SET_VALUE. */
  RegDeleteValue(hKey: Handle, lpValueName: string | null): number {
    const detail = { hKey: this.#keyText(hKey), valueName: traceText(lpValueName) };
    const status = this.#withKey(hKey, (h) => ZwDeleteValueKey(this.#sys, h, lpValueName));
    return this.#done("RegDeleteValue", detail, RtlNtStatusToDosError(status));
  }

  /**
   * `RegDeleteKey`: opens the subkey for DELETE and deletes it; an empty name deletes `hKey` itself,
   * which then needs DELETE. A key with subkeys cannot be deleted (STATUS_CANNOT_DELETE, so
   * ERROR_ACCESS_DENIED).
   */
  RegDeleteKey(hKey: Handle, lpSubKey: string | null): number {
    const detail = { hKey: this.#keyText(hKey), subKey: traceText(lpSubKey) };
    const start = this.#start(hKey);
    if (!start) return this.#done("RegDeleteKey", detail, ERROR_INVALID_HANDLE);
    // A NULL name is refused, not read as "" (which deletes hKey itself): Wine
    // advapi32/tests/registry.c test_reg_delete_key (run on Windows) accepts ERROR_INVALID_PARAMETER
    // or ERROR_ACCESS_DENIED, and only NT4 and Windows 2000 deleted the key.
    if (typeof lpSubKey !== "string") {
      return this.#done("RegDeleteKey", detail, ERROR_INVALID_PARAMETER);
    }
    const subKey = lpSubKey;
    if (subKey === "" && "handle" in start) {
      const status = this.#asApp(() => ZwDeleteKey(this.#sys, start.handle));
      return this.#done("RegDeleteKey", detail, RtlNtStatusToDosError(status));
    }
    const oa = this.#attributes(start, subKey);
    if (typeof oa === "number") return this.#done("RegDeleteKey", detail, oa);
    const status = this.#asApp(() => {
      const r = ZwOpenKey(this.#sys, DELETE, oa);
      if (!NT_SUCCESS(r.status) || !r.keyHandle) return r.status;
      const deleted = ZwDeleteKey(this.#sys, r.keyHandle);
      ZwClose(this.#sys, r.keyHandle);
      return deleted;
    });
    return this.#done("RegDeleteKey", detail, RtlNtStatusToDosError(status));
  }

  /** `RegEnumKeyEx`: the name of the subkey at an index; the handle needs KEY_ENUMERATE_SUB_KEYS. */
  RegEnumKeyEx(hKey: Handle, dwIndex: number): { error: number; name?: string } {
    const detail = { hKey: this.#keyText(hKey), index: traceText(dwIndex) };
    let name: string | undefined;
    const status = this.#withKey(hKey, (h) => {
      const r = ZwEnumerateKey(this.#sys, h, dwIndex, KeyBasicInformation);
      name = (r.keyInformation as KEY_BASIC_INFORMATION | undefined)?.Name;
      return r.status;
    });
    const error = this.#done("RegEnumKeyEx", detail, RtlNtStatusToDosError(status));
    return error === ERROR_SUCCESS && name !== undefined ? { error, name } : { error };
  }

  /** `RegCloseKey`: closing a predefined key succeeds and leaves it usable. */
  RegCloseKey(hKey: Handle): number {
    const detail = { hKey: this.#keyText(hKey) };
    const start = this.#start(hKey);
    if (!start) return this.#done("RegCloseKey", detail, ERROR_INVALID_HANDLE);
    if ("path" in start) return this.#done("RegCloseKey", detail, ERROR_SUCCESS);
    const status = this.#asApp(() => ZwClose(this.#sys, start.handle));
    return this.#done("RegCloseKey", detail, RtlNtStatusToDosError(status));
  }

  /**
   * Runs a value or enumeration service on `hKey`. A predefined key is opened for the call with
   * MAXIMUM_ALLOWED, as advapi32 opens it on first use.
   */
  #withKey(hKey: Handle, fn: (h: Handle) => number): number {
    const start = this.#start(hKey);
    if (!start) return STATUS_INVALID_HANDLE;
    return this.#asApp(() => {
      if ("handle" in start) return fn(start.handle);
      const r = ZwOpenKey(this.#sys, MAXIMUM_ALLOWED, { ObjectName: start.path });
      if (!NT_SUCCESS(r.status) || !r.keyHandle) return r.status;
      try {
        return fn(r.keyHandle);
      } finally {
        ZwClose(this.#sys, r.keyHandle);
      }
    });
  }
}
