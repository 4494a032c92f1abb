/**
 * `Kernel`: the routines a driver calls, named as in the WDK and taking the WDK's parameters in the
 * WDK's order, minus pure out-parameters. Each method checks that the machine is running and the
 * routine's IRQL requirement, records the call in the trace, and runs the routine from the file its
 * WDK prefix points to (`lib/registry/zw.ts`, `lib/registry/rtl.ts`, `lib/io/...`, `lib/pnp/...`).
 *
 * @module
 */
import { describe } from "./trace/describe.ts";
import type { CallEvent } from "./trace/trace.ts";
import type { Handle } from "./ob/handles.ts";
import { ntStatusName } from "./ntstatus.ts";
import type { RegData } from "./registry/data.ts";
import * as rtl from "./registry/rtl.ts";
import * as zw from "./registry/zw.ts";
import type { System } from "./system.ts";

/** Routines implemented outside this file register here (the I/O and PnP managers add theirs). */
export type { KeyInformation, KeyValueInformation, OBJECT_ATTRIBUTES } from "./registry/zw.ts";
export type { RTL_QUERY_REGISTRY_TABLE } from "./registry/rtl.ts";

/**
 * The kernel routines of one machine. Get it from `machine.kernel`; drivers receive it as `k`.
 *
 * @example Opening a key and reading a value
 * ```ts
 * import { boot, KEY_READ, KeyValuePartialInformation, STATUS_SUCCESS } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const k = boot().kernel;
 * const { status, keyHandle } = k.ZwOpenKey(KEY_READ, "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\IDConfigDB");
 * assert.equal(status, STATUS_SUCCESS);
 * const q = k.ZwQueryValueKey(keyHandle, "CurrentConfig", KeyValuePartialInformation);
 * assert.equal(q.keyValueInformation?.Type, 4);
 * k.ZwClose(keyHandle);
 * ```
 */
export class Kernel {
  /** @internal */
  readonly _sys: System;

  /** Creates the routines of a machine; use `boot()` rather than this. */
  constructor(sys: System) {
    this._sys = sys;
  }

  /** Runs one routine call: running check, IRQL check, trace entry, then the routine. */
  protected invoke<T>(routine: string, args: Record<string, unknown>, fn: () => T): T {
    const sys = this._sys;
    sys.checkRunning();
    sys.checkIrql(routine);
    const event: CallEvent = sys.trace.push<CallEvent>({
      kind: "call",
      routine,
      args: describe(args) as Record<string, unknown>,
    } as CallEvent);
    const result = fn();
    if (typeof result === "number") {
      event.status = result;
      event.statusName = ntStatusName(result);
    } else if (result && typeof result === "object" && "status" in result) {
      const { status, ...outs } = result as { status: number };
      event.status = status;
      event.statusName = ntStatusName(status);
      if (Object.keys(outs).length) event.result = describe(outs);
    } else if (result !== undefined) {
      event.result = describe(result);
    }
    return result;
  }

  // ---- Registry (lib/registry/zw.ts) ------------------------------------------------------------

  /** `ZwCreateKey`: opens or creates a key. */
  ZwCreateKey(
    DesiredAccess: number,
    ObjectAttributes: zw.OBJECT_ATTRIBUTES | string,
    TitleIndex = 0,
    Class: string | null = null,
    CreateOptions = 0,
  ): { status: number; keyHandle?: Handle; disposition?: number } {
    return this.invoke(
      "ZwCreateKey",
      { DesiredAccess, ObjectAttributes, TitleIndex, Class, CreateOptions },
      () =>
        zw.ZwCreateKey(
          this._sys,
          DesiredAccess,
          ObjectAttributes,
          TitleIndex,
          Class,
          CreateOptions,
        ),
    );
  }

  /** `ZwOpenKey`: opens an existing key. */
  ZwOpenKey(
    DesiredAccess: number,
    ObjectAttributes: zw.OBJECT_ATTRIBUTES | string,
  ): { status: number; keyHandle?: Handle } {
    return this.invoke(
      "ZwOpenKey",
      { DesiredAccess, ObjectAttributes },
      () => zw.ZwOpenKey(this._sys, DesiredAccess, ObjectAttributes),
    );
  }

  /** `ZwSetValueKey`: creates or replaces a value (needs KEY_SET_VALUE). */
  ZwSetValueKey(
    KeyHandle: Handle | undefined,
    ValueName: string | null,
    TitleIndex: number,
    Type: number,
    Data: RegData,
    DataSize?: number,
  ): number {
    return this.invoke(
      "ZwSetValueKey",
      { KeyHandle, ValueName, TitleIndex, Type, Data, DataSize },
      () => zw.ZwSetValueKey(this._sys, KeyHandle, ValueName, TitleIndex, Type, Data, DataSize),
    );
  }

  /** `ZwQueryValueKey`: a value's information, with the documented buffer-size statuses when `Length` is given. */
  ZwQueryValueKey(
    KeyHandle: Handle | undefined,
    ValueName: string | null,
    KeyValueInformationClass: number,
    Length?: number,
  ): { status: number; keyValueInformation?: zw.KeyValueInformation; resultLength?: number } {
    return this.invoke(
      "ZwQueryValueKey",
      { KeyHandle, ValueName, KeyValueInformationClass, Length },
      () => zw.ZwQueryValueKey(this._sys, KeyHandle, ValueName, KeyValueInformationClass, Length),
    );
  }

  /** `ZwEnumerateKey`: the subkey at `Index`. */
  ZwEnumerateKey(
    KeyHandle: Handle | undefined,
    Index: number,
    KeyInformationClass: number,
    Length?: number,
  ): { status: number; keyInformation?: zw.KeyInformation; resultLength?: number } {
    return this.invoke(
      "ZwEnumerateKey",
      { KeyHandle, Index, KeyInformationClass, Length },
      () => zw.ZwEnumerateKey(this._sys, KeyHandle, Index, KeyInformationClass, Length),
    );
  }

  /** `ZwEnumerateValueKey`: the value at `Index`. */
  ZwEnumerateValueKey(
    KeyHandle: Handle | undefined,
    Index: number,
    KeyValueInformationClass: number,
    Length?: number,
  ): { status: number; keyValueInformation?: zw.KeyValueInformation; resultLength?: number } {
    return this.invoke(
      "ZwEnumerateValueKey",
      { KeyHandle, Index, KeyValueInformationClass, Length },
      () => zw.ZwEnumerateValueKey(this._sys, KeyHandle, Index, KeyValueInformationClass, Length),
    );
  }

  /** `ZwQueryKey`: the key's own information. */
  ZwQueryKey(
    KeyHandle: Handle | undefined,
    KeyInformationClass: number,
    Length?: number,
  ): { status: number; keyInformation?: zw.KeyInformation; resultLength?: number } {
    return this.invoke(
      "ZwQueryKey",
      { KeyHandle, KeyInformationClass, Length },
      () => zw.ZwQueryKey(this._sys, KeyHandle, KeyInformationClass, Length),
    );
  }

  /** `ZwDeleteKey`: deletes a key without subkeys (needs DELETE). */
  ZwDeleteKey(KeyHandle: Handle | undefined): number {
    return this.invoke("ZwDeleteKey", { KeyHandle }, () => zw.ZwDeleteKey(this._sys, KeyHandle));
  }

  /** `ZwDeleteValueKey`: deletes a value (needs KEY_SET_VALUE). */
  ZwDeleteValueKey(KeyHandle: Handle | undefined, ValueName: string | null): number {
    return this.invoke(
      "ZwDeleteValueKey",
      { KeyHandle, ValueName },
      () => zw.ZwDeleteValueKey(this._sys, KeyHandle, ValueName),
    );
  }

  /** `ZwFlushKey`: writes the hive to the machine's hive file. */
  ZwFlushKey(KeyHandle: Handle | undefined): number {
    return this.invoke("ZwFlushKey", { KeyHandle }, () => zw.ZwFlushKey(this._sys, KeyHandle));
  }

  /** `ZwClose`: closes a handle. */
  ZwClose(Handle: Handle | undefined): number {
    return this.invoke("ZwClose", { Handle }, () => zw.ZwClose(this._sys, Handle));
  }

  // ---- Registry run-time library (lib/registry/rtl.ts) ------------------------------------------

  /** `RtlWriteRegistryValue`: writes a value, creating the key if needed. */
  RtlWriteRegistryValue(
    RelativeTo: number,
    Path: string | Handle,
    ValueName: string,
    ValueType: number,
    ValueData: RegData,
    ValueLength?: number,
  ): number {
    return this.invoke(
      "RtlWriteRegistryValue",
      { RelativeTo, Path, ValueName, ValueType, ValueData, ValueLength },
      () =>
        rtl.RtlWriteRegistryValue(
          this._sys,
          RelativeTo,
          Path,
          ValueName,
          ValueType,
          ValueData,
          ValueLength,
        ),
    );
  }

  /** `RtlQueryRegistryValues`: walks a query table over a key. */
  RtlQueryRegistryValues(
    RelativeTo: number,
    Path: string | Handle,
    QueryTable: rtl.RTL_QUERY_REGISTRY_TABLE[],
    Context: unknown = null,
    Environment: Readonly<Record<string, string>> | null = null,
  ): number {
    return this.invoke(
      "RtlQueryRegistryValues",
      {
        RelativeTo,
        Path,
        QueryTable: QueryTable.map((r) => ({ Flags: r.Flags, Name: r.Name ?? null })),
      },
      () =>
        rtl.RtlQueryRegistryValues(this._sys, RelativeTo, Path, QueryTable, Context, Environment),
    );
  }

  /** `RtlCreateRegistryKey`: creates a key. */
  RtlCreateRegistryKey(RelativeTo: number, Path: string): number {
    return this.invoke(
      "RtlCreateRegistryKey",
      { RelativeTo, Path },
      () => rtl.RtlCreateRegistryKey(this._sys, RelativeTo, Path),
    );
  }

  /** `RtlCheckRegistryKey`: whether a key exists. */
  RtlCheckRegistryKey(RelativeTo: number, Path: string): number {
    return this.invoke(
      "RtlCheckRegistryKey",
      { RelativeTo, Path },
      () => rtl.RtlCheckRegistryKey(this._sys, RelativeTo, Path),
    );
  }

  /** `RtlDeleteRegistryValue`: deletes a value. */
  RtlDeleteRegistryValue(RelativeTo: number, Path: string | Handle, ValueName: string): number {
    return this.invoke(
      "RtlDeleteRegistryValue",
      { RelativeTo, Path, ValueName },
      () => rtl.RtlDeleteRegistryValue(this._sys, RelativeTo, Path, ValueName),
    );
  }

  // ---- IRQL ---------------------------------------------------------------------------------------

  /** `KeGetCurrentIrql`. */
  KeGetCurrentIrql(): number {
    this._sys.checkRunning();
    return this._sys.caller.irql;
  }

  /** `KeRaiseIrql`: raises the current IRQL and returns the old one; a lower NewIrql is bug check 0x9. */
  KeRaiseIrql(NewIrql: number): number {
    return this.invoke("KeRaiseIrql", { NewIrql }, () => {
      const frame = this._sys.caller;
      const old = frame.irql;
      if (NewIrql < old) {
        this._sys.bugCheck(
          0x09,
          [old, NewIrql, 0, 0],
          `KeRaiseIrql(${NewIrql}) below the current IRQL ${old}`,
        );
      }
      frame.irql = NewIrql;
      return old;
    });
  }

  /** `KeLowerIrql`: lowers the current IRQL; a higher NewIrql is bug check 0xA. */
  KeLowerIrql(NewIrql: number): void {
    this.invoke("KeLowerIrql", { NewIrql }, () => {
      const frame = this._sys.caller;
      if (NewIrql > frame.irql) {
        this._sys.bugCheck(
          0x0a,
          [0, frame.irql, 0, 0],
          `KeLowerIrql(${NewIrql}) above the current IRQL ${frame.irql}`,
        );
      }
      frame.irql = NewIrql;
    });
  }
}
