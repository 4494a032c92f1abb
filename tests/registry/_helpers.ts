/**
 * Shared helpers for the registry tests: status assertions that print NTSTATUS names, and key
 * creation that fails the test when it does not succeed.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  type Handle,
  type Kernel,
  KEY_ALL_ACCESS,
  type Machine,
  ntStatusName,
  type OBJECT_ATTRIBUTES,
  REG_OPTION_NON_VOLATILE,
  STATUS_SUCCESS,
} from "../../mod.ts";

/** `\Registry\Machine\Software`, where the tests make their own keys. */
export const SOFTWARE = "\\Registry\\Machine\\Software";
/** `\Registry\Machine\System\CurrentControlSet`. */
export const CCS = "\\Registry\\Machine\\System\\CurrentControlSet";

/** Asserts an NTSTATUS, comparing names so that a failure reads `STATUS_ACCESS_DENIED` rather than 3221225506. */
export function assertStatus(actual: number | undefined, expected: number, message?: string): void {
  const name = (s: number | undefined) =>
    s === undefined ? "undefined" : `${ntStatusName(s)} (0x${s.toString(16)})`;
  assert.equal(name(actual), name(expected), message);
}

/** ZwCreateKey that must succeed; returns the handle. */
export function createKey(
  k: Kernel,
  objectAttributes: OBJECT_ATTRIBUTES | string,
  access = KEY_ALL_ACCESS,
  createOptions = REG_OPTION_NON_VOLATILE,
  className: string | null = null,
): Handle {
  const r = k.ZwCreateKey(access, objectAttributes, 0, className, createOptions);
  assertStatus(r.status, STATUS_SUCCESS, `ZwCreateKey(${JSON.stringify(objectAttributes)})`);
  assert.ok(r.keyHandle);
  return r.keyHandle;
}

/** ZwOpenKey that must succeed; returns the handle. */
export function openKey(
  k: Kernel,
  objectAttributes: OBJECT_ATTRIBUTES | string,
  access: number,
): Handle {
  const r = k.ZwOpenKey(access, objectAttributes);
  assertStatus(r.status, STATUS_SUCCESS, `ZwOpenKey(${JSON.stringify(objectAttributes)})`);
  assert.ok(r.keyHandle);
  return r.keyHandle;
}

/** A fresh temporary directory, removed when `fn` is done. */
export async function withTempDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "pnplab-registry-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Runs `fn` the way an application's thread reaches the registry services (NtOpenKey, NtSetValueKey
 * ...): in its own process, with previous mode UserMode, so each handle's granted access is checked
 * (ObReferenceObjectByHandle compares it only for UserMode). Kernel routines called from `fn` are the
 * Nt services an application's ntdll call ends in.
 */
export function asApplication<T>(m: Machine, process: string, fn: () => T): T {
  return m._sys.as(
    { name: `app:${process}`, driver: null, process, previousMode: "UserMode" },
    fn,
  );
}

/** The KeyHandleAccess findings' messages so far: kernel-mode calls through a handle lacking a right. */
export function keyHandleAccessFindings(m: Machine): string[] {
  return m.verifier.findings.filter((f) => f.rule === "KeyHandleAccess").map((f) => f.message);
}
