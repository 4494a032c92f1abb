/**
 * Bug checks: misuse that stops Windows stops the simulated machine. The host process survives;
 * every later routine call throws the same `BugCheck` until `machine.reboot()`.
 *
 * @module
 */
import type { DeviceObject } from "./io/objects.ts";

/** Bug check codes the model raises, with their names (bugcodes.h). */
export const BUGCHECK_NAMES: Readonly<Record<number, string>> = {
  0x09: "IRQL_NOT_GREATER_OR_EQUAL",
  0x0a: "IRQL_NOT_LESS_OR_EQUAL",
  0x35: "NO_MORE_IRP_STACK_LOCATIONS",
  0x44: "MULTIPLE_IRP_COMPLETE_REQUESTS",
  0x7e: "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED",
  0x93: "INVALID_KERNEL_HANDLE",
  0xc2: "BAD_POOL_CALLER",
  0x9f: "DRIVER_POWER_STATE_FAILURE",
  0xc4: "DRIVER_VERIFIER_DETECTED_VIOLATION",
  0xc9: "DRIVER_VERIFIER_IOMANAGER_VIOLATION",
  0xca: "PNP_DETECTED_FATAL_ERROR",
  0xe1: "WORKER_THREAD_RETURNED_AT_BAD_IRQL",
  0x139: "KERNEL_SECURITY_CHECK_FAILURE",
};

/**
 * A bug check. Thrown out of the routine that caused it and out of every routine called afterwards.
 *
 * @example
 * ```ts
 * import { BugCheck } from "./bugcheck.ts";
 * import assert from "node:assert/strict";
 * const b = new BugCheck(0xCA, [0x3, 0, 0, 1], "ID contains an illegal character");
 * assert.equal(b.name, "PNP_DETECTED_FATAL_ERROR");
 * assert.deepEqual(b.parameters, [3, 0, 0, 1]);
 * ```
 */
export class BugCheck extends Error {
  /** The bug check code, e.g. 0xCA. */
  readonly code: number;
  /** The four bug check parameters. */
  readonly parameters: number[];
  /** The verifier rule or documented condition that was broken, when there is one. */
  readonly rule: string | undefined;
  /**
   * The device object the bug check names, when it names one: for 0xCA's invalid or duplicate IDs,
   * the PDO whose hardware reported them. That hardware is still plugged in, so a reboot enumerates
   * it again and stops again (a boot loop, as on Windows) until it is pulled with `machine.unplug`.
   */
  readonly device: DeviceObject | undefined;

  /** Creates a bug check; `message` says what happened in plain words. */
  constructor(
    code: number,
    parameters: number[],
    message: string,
    rule?: string,
    device?: DeviceObject,
  ) {
    const name = BUGCHECK_NAMES[code] ?? "BUGCHECK";
    super(
      `*** STOP: 0x${code.toString(16).toUpperCase().padStart(8, "0")} ${name}` +
        ` (${parameters.map((p) => "0x" + p.toString(16).toUpperCase()).join(", ")}): ${message}`,
    );
    this.name = name;
    this.code = code;
    this.parameters = [...parameters, 0, 0, 0, 0].slice(0, 4);
    this.rule = rule;
    this.device = device;
  }
}
