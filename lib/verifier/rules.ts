/**
 * The verifier's rules: one table, each row with its Windows name where one exists (Driver Verifier's
 * DDI compliance rules, Static Driver Verifier's rules, bug check 0xC9/0xCA sub-codes), what it
 * checks, the documentation page, a severity, and what happens: a finding, or a bug check with
 * Windows' code and first parameter.
 *
 * @module
 */
import { type PageMention, pagesNamedIn } from "../doc_pages.ts";

/** One verifier rule. */
export interface VerifierRule {
  /** The rule's name: Windows' where one exists. */
  readonly name: string;
  /** Where the name comes from: Driver Verifier (DV), Static Driver Verifier (SDV), a bug check page, or pnplab. */
  readonly source: "DV" | "SDV" | "BugCheck" | "pnplab";
  /** What it checks. */
  readonly checks: string;
  /** The documentation page that states the rule. */
  readonly doc: string;
  /** How bad a violation is. */
  readonly severity: "error" | "warning";
  /** The bug check a violation raises in "strict" mode (or always, for `always`). */
  readonly bugCheck?: { readonly code: number; readonly parameter1: number };
  /** Windows bug checks on this whatever the verifier setting (not a Driver Verifier check). */
  readonly always?: boolean;
}

const irql = (name: string, code: number, routines: string): VerifierRule => ({
  name,
  source: "DV",
  checks: `${routines} called above PASSIVE_LEVEL`,
  doc: `${name} rule (wdm); each routine's req.irql`,
  severity: "error",
  bugCheck: { code: 0xc4, parameter1: code },
});

/**
 * Every rule. A new rule is a new row.
 *
 * @example
 * ```ts
 * import { VERIFIER_RULES } from "./rules.ts";
 * import assert from "node:assert/strict";
 * assert.ok(VERIFIER_RULES.length >= 25);
 * ```
 */
export const VERIFIER_RULES: readonly VerifierRule[] = [
  irql("IrqlZwPassive", 0x2001f, "A Zw registry routine or ZwClose"),
  irql("IrqlIoRtlZwPassive", 0x20023, "An Rtl registry routine"),
  irql("IrqlIoPassive1", 0x2000a, "IoCreateDevice or IoSetDeviceInterfaceState"),
  irql("IrqlIoPassive3", 0x2000c, "IoRegisterDeviceInterface or IoDetachDevice"),
  irql("IrqlIoPassive5", 0x2000e, "IoGetDeviceObjectPointer"),
  {
    name: "IrqlRequirement",
    source: "pnplab",
    checks:
      "A routine called above the IRQL its documentation requires (no DDI rule names it): pageable code at raised IRQL",
    doc: "The routine's page (IRQL requirement); Bug Check 0xA: IRQL_NOT_LESS_OR_EQUAL",
    severity: "error",
    bugCheck: { code: 0x0a, parameter1: 0 },
  },
  {
    name: "PnpNotificationIrql",
    source: "BugCheck",
    checks: "A PnP notification callback returned at a different IRQL than it was called at",
    doc: "Bug Check 0xCA: PNP_DETECTED_FATAL_ERROR, parameter 1 = 0xA",
    severity: "error",
    bugCheck: { code: 0xca, parameter1: 0xa },
    always: true,
  },
  {
    name: "PnpDuplicatePdo",
    source: "BugCheck",
    checks: "Two PDOs reported with the same device ID and unique instance ID",
    doc: "Bug Check 0xCA: PNP_DETECTED_FATAL_ERROR, parameter 1 = 0x1",
    severity: "error",
    bugCheck: { code: 0xca, parameter1: 0x1 },
    always: true,
  },
  {
    name: "PnpInvalidPdo",
    source: "BugCheck",
    checks:
      "A PDO-taking routine was given a device object PnP was never told about (not in a BusRelations answer)",
    doc:
      "Bug Check 0xCA: PNP_DETECTED_FATAL_ERROR, parameter 1 = 0x2; IRP_MN_QUERY_DEVICE_RELATIONS",
    severity: "error",
    bugCheck: { code: 0xca, parameter1: 0x2 },
    always: true,
  },
  {
    name: "PnpInvalidId",
    source: "BugCheck",
    checks:
      "An ID from IRP_MN_QUERY_ID has characters outside 0x20-0x2B and 0x2D-0x7F, or the wrong shape",
    doc: "Bug Check 0xCA: PNP_DETECTED_FATAL_ERROR, parameter 1 = 0x3; IRP_MN_QUERY_ID",
    severity: "error",
    bugCheck: { code: 0xca, parameter1: 0x3 },
    always: true,
  },
  {
    name: "PnpDeletedPdoReported",
    source: "BugCheck",
    checks: "A deleted PDO was reported in BusRelations again",
    doc: "Bug Check 0xCA: PNP_DETECTED_FATAL_ERROR, parameter 1 = 0x4",
    severity: "error",
    bugCheck: { code: 0xca, parameter1: 0x4 },
    always: true,
  },
  {
    name: "PnpNullRelation",
    source: "BugCheck",
    checks: "A NULL entry in a BusRelations list",
    doc: "Bug Check 0xCA: PNP_DETECTED_FATAL_ERROR, parameter 1 = 0x8",
    severity: "error",
    bugCheck: { code: 0xca, parameter1: 0x8 },
    always: true,
  },
  {
    name: "PnpIrpFailedNotSupported",
    source: "DV",
    checks: "A driver failed a required PnP IRP with STATUS_NOT_SUPPORTED",
    doc:
      "Bug Check 0xC9: DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x216; Passing PnP IRPs down the device stack",
    severity: "error",
    bugCheck: { code: 0xc9, parameter1: 0x216 },
  },
  {
    name: "PnpFailurePassedDown",
    source: "DV",
    checks:
      "A driver passed a PnP IRP down with a failure status (other than STATUS_NOT_SUPPORTED) instead of completing it",
    doc: "Bug Check 0xC9: DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x215",
    severity: "error",
    bugCheck: { code: 0xc9, parameter1: 0x215 },
  },
  {
    name: "PnpRemoveNotDetached",
    source: "DV",
    checks: "A function or filter driver did not detach its device object on IRP_MN_REMOVE_DEVICE",
    doc:
      "Bug Check 0xC9: DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x21D; Removing a device in a function driver",
    severity: "error",
    bugCheck: { code: 0xc9, parameter1: 0x21d },
  },
  {
    name: "PnpRemoveNotDeleted",
    source: "DV",
    checks: "A function or filter driver did not delete its device object on IRP_MN_REMOVE_DEVICE",
    doc:
      "Bug Check 0xC9: DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x21E; Removing a device in a function driver",
    severity: "error",
    bugCheck: { code: 0xc9, parameter1: 0x21e },
  },
  {
    name: "PnpPdoDeletedWhileReported",
    source: "DV",
    checks: "A bus driver deleted a PDO it still reports in BusRelations",
    doc:
      "Bug Check 0xC9: DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x221; Removing a device in a bus driver",
    severity: "error",
    bugCheck: { code: 0xc9, parameter1: 0x221 },
  },
  {
    name: "DispatchStatusMismatch",
    source: "DV",
    checks:
      "A dispatch routine completed an IRP but returned a status other than the one in IoStatus.Status",
    doc: "Bug Check 0xC9: DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x224",
    severity: "error",
    bugCheck: { code: 0xc9, parameter1: 0x224 },
  },
  {
    name: "DispatchIrpLost",
    source: "DV",
    checks:
      "A dispatch routine returned without completing the IRP, passing it down, or returning STATUS_PENDING",
    doc: "Bug Check 0xC9: DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x226",
    severity: "error",
    bugCheck: { code: 0xc9, parameter1: 0x226 },
  },
  {
    name: "PnpRemove",
    source: "DV",
    checks:
      "IRP_MN_SURPRISE_REMOVAL, IRP_MN_REMOVE_DEVICE, IRP_MN_CANCEL_REMOVE_DEVICE or IRP_MN_CANCEL_STOP_DEVICE completed with a failure",
    doc: "PnpRemove rule (wdm); these IRPs must not fail",
    severity: "error",
    bugCheck: { code: 0xc4, parameter1: 0x43006 },
  },
  {
    name: "PnpIrpCompletion",
    source: "SDV",
    checks: "A function or filter driver completed a PnP IRP successfully without passing it down",
    doc: "PnpIrpCompletion rule (wdm); Passing PnP IRPs down the device stack",
    severity: "warning",
  },
  {
    name: "PnpSurpriseRemove",
    source: "SDV",
    checks:
      "IoDeleteDevice or IoDetachDevice while handling IRP_MN_SURPRISE_REMOVAL (the device must stay attached)",
    doc: "PnpSurpriseRemove rule (wdm); Handling an IRP_MN_SURPRISE_REMOVAL request",
    severity: "warning",
  },
  {
    name: "LowerDriverReturn",
    source: "SDV",
    checks: "A dispatch routine passed an IRP down but returned a status other than IoCallDriver's",
    doc: "LowerDriverReturn rule (wdm)",
    severity: "warning",
  },
  {
    name: "ZwRegistryCreate",
    source: "SDV",
    checks:
      "A registry key handle opened in a dispatch routine is still open when the routine returns",
    doc: "ZwRegistryCreate rule (wdm)",
    severity: "warning",
  },
  {
    name: "ZwRegistryOpen",
    source: "SDV",
    checks: "A registry routine was called with a handle the driver had already closed",
    doc: "ZwRegistryOpen rule (wdm); ZwClose",
    severity: "warning",
  },
  {
    name: "KeyHandleLeakAtUnload",
    source: "pnplab",
    checks: "A driver unloaded with registry key handles still open",
    doc: "ZwClose (every handle must be closed); DRIVER_UNLOAD",
    severity: "warning",
  },
  {
    name: "ObjKernelHandle",
    source: "pnplab",
    checks:
      "A driver opened a registry handle without OBJ_KERNEL_HANDLE (usable only in the opening process)",
    doc: "Object Handles; InitializeObjectAttributes (OBJ_KERNEL_HANDLE)",
    severity: "warning",
  },
  {
    // Not a Driver Verifier check: Windows runs the call (previous mode KernelMode skips the
    // comparison), so no mode may fail it or bug check. A finding in "strict" and "warn" alike.
    name: "KeyHandleAccess",
    source: "pnplab",
    checks:
      "A kernel-mode registry call used a key handle without the right it needs (KEY_SET_VALUE for ZwSetValueKey ...); Windows runs it, since only UserMode callers' handles are checked",
    doc:
      "Plug and Play Registry Routines (specify the minimum rights necessary); ObReferenceObjectByHandle (AccessMode); PreviousMode",
    severity: "warning",
  },
  {
    name: "PnpKeyAllAccess",
    source: "pnplab",
    checks:
      "A driver asked IoOpenDeviceRegistryKey or IoOpenDeviceInterfaceRegistryKey for KEY_ALL_ACCESS",
    doc: "Plug and Play Registry Routines (drivers should not specify KEY_ALL_ACCESS)",
    severity: "warning",
  },
  {
    name: "PnpRegistryDirectAccess",
    source: "pnplab",
    checks:
      "A driver opened Enum, Control\\Class, Control\\DeviceClasses or Hardware Profiles directly",
    doc: "Plug and Play Registry Routines (drivers must never access these keys directly)",
    severity: "warning",
  },
  {
    name: "PnpInterfaceDoubleDisable",
    source: "pnplab",
    checks: "A driver disabled an interface again after it or the PnP manager had disabled it",
    doc: "IoSetDeviceInterfaceState (do not disable again on REMOVE after SURPRISE_REMOVAL)",
    severity: "warning",
  },
  {
    name: "PnpSynchronousReportInCallback",
    source: "pnplab",
    checks: "IoReportTargetDeviceChange called from inside a PnP notification callback (deadlock)",
    doc: "Guidelines for Writing PnP Notification Callback Routines; IoReportTargetDeviceChange",
    severity: "error",
  },
  {
    name: "PnpNotificationLeak",
    source: "pnplab",
    checks:
      "A driver's last device was removed while it still holds PnP notification registrations, so it cannot unload",
    doc: "IoRegisterPlugPlayNotification (the registration references the driver object)",
    severity: "warning",
  },
  {
    name: "PnpLateCallbackAfterUnregister",
    source: "pnplab",
    checks:
      "A callback ran after IoUnregisterPlugPlayNotification returned (freeing its context then is a use-after-free)",
    doc: "IoUnregisterPlugPlayNotification (use IoUnregisterPlugPlayNotificationEx)",
    severity: "warning",
  },
  {
    name: "DeviceInitializing",
    source: "pnplab",
    checks: "AddDevice returned without clearing DO_DEVICE_INITIALIZING on its device object",
    doc: "Writing an AddDevice Routine (clear DO_DEVICE_INITIALIZING)",
    severity: "warning",
  },
  {
    name: "RtlQueryRegistryValuesTypecheck",
    source: "BugCheck",
    checks:
      "RtlQueryRegistryValues with RTL_QUERY_REGISTRY_DIRECT and no RTL_QUERY_REGISTRY_TYPECHECK on an untrusted hive",
    doc: "RtlQueryRegistryValues; Bug Check 0x139: KERNEL_SECURITY_CHECK_FAILURE",
    severity: "error",
    bugCheck: { code: 0x139, parameter1: 0x3 },
    always: true,
  },
  // ---- Routines drivers call around PnP: IRQL, pool ----
  {
    name: "KeRaiseIrqlToLower",
    source: "pnplab",
    checks:
      "KeRaiseIrql with a NewIrql below the current IRQL (caught only with the verifier on; a free build just sets it)",
    doc: "KeRaiseIrql; Bug Check 0x9: IRQL_NOT_GREATER_OR_EQUAL",
    severity: "error",
  },
  {
    name: "PoolTracking",
    source: "DV",
    checks: "A driver unloaded without freeing every pool allocation it made",
    doc: "Pool Tracking; Bug Check 0xC4: DRIVER_VERIFIER_DETECTED_VIOLATION, parameter 1 = 0x62",
    severity: "error",
    bugCheck: { code: 0xc4, parameter1: 0x62 },
  },
  {
    name: "PoolDoubleFree",
    source: "BugCheck",
    checks: "ExFreePoolWithTag on a block that was already freed (or never came from the pool)",
    doc: "ExFreePoolWithTag; Bug Check 0xC2: BAD_POOL_CALLER, parameter 1 = 0x7",
    severity: "error",
    bugCheck: { code: 0xc2, parameter1: 0x7 },
    always: true,
  },
  // ---- Power -----------------------------------------------------------------------------------------
  {
    name: "PowerDownFail",
    source: "SDV",
    checks:
      "A function or filter driver failed IRP_MN_SET_POWER that powers the system or device down",
    doc:
      "PowerDownFail rule (wdm); Power IRPs for the System (a driver cannot fail a set-power IRP)",
    severity: "error",
  },
  {
    name: "PowerUpFail",
    source: "SDV",
    checks:
      "A function or filter driver failed IRP_MN_SET_POWER that powers the system or device up",
    doc: "PowerUpFail rule (wdm); Power IRPs for the System",
    severity: "error",
  },
  {
    name: "MarkPowerDown",
    source: "SDV",
    checks:
      "The power policy owner did not pend the system IRP_MN_SET_POWER from S0 to S1..S5 (it must wait for its device IRP)",
    doc: "MarkPowerDown rule (wdm); Handling a System Set-Power IRP in a Device Power Policy Owner",
    severity: "warning",
  },
  {
    name: "MarkPower",
    source: "SDV",
    checks: "The power policy owner did not pend the system IRP_MN_SET_POWER going to S0",
    doc: "MarkPower rule (wdm); Handling a System Set-Power IRP in a Device Power Policy Owner",
    severity: "warning",
  },
  {
    name: "PowerIrpDDis",
    source: "SDV",
    checks:
      "A PASSIVE_LEVEL-only routine (Zw*, IoOpenDeviceRegistryKey, IoGetDeviceProperty, IoRegisterPlugPlayNotification ...) called while handling IRP_MN_SET_POWER",
    doc: "PowerIrpDDis rule (wdm); IRP_MN_SET_POWER (DO_POWER_PAGABLE and the IRQL)",
    severity: "error",
  },
  {
    name: "SetPowerNotPassedDown",
    source: "pnplab",
    checks:
      "A function or filter driver completed a system IRP_MN_SET_POWER instead of passing it down (only the bus driver completes it)",
    doc: "Handling IRP_MN_SET_POWER for System Power States",
    severity: "error",
  },
  {
    name: "PowerIrpBlocked",
    source: "BugCheck",
    checks: "A device object held a power IRP without completing it until the power watchdog fired",
    doc: "Bug Check 0x9F: DRIVER_POWER_STATE_FAILURE, parameter 1 = 0x3",
    severity: "error",
    bugCheck: { code: 0x9f, parameter1: 0x3 },
    always: true,
  },
  {
    name: "PowerIrpPendingAtDelete",
    source: "BugCheck",
    checks: "A device object was deleted while a power IRP it holds was still pending",
    doc: "Bug Check 0x9F: DRIVER_POWER_STATE_FAILURE, parameter 1 = 0x1",
    severity: "error",
    bugCheck: { code: 0x9f, parameter1: 0x1 },
    always: true,
  },
];

/**
 * The pages a rule's `doc` names, each with its learn.microsoft.com address, from the one table of
 * pages (lib/doc_pages.ts).
 *
 * @example
 * ```ts
 * import { ruleNamed, rulePages } from "./rules.ts";
 * import assert from "node:assert/strict";
 * const pages = rulePages(ruleNamed("PnpIrpCompletion")!);
 * assert.deepEqual(pages.map((p) => p.title), [
 *   "PnpIrpCompletion rule (wdm)",
 *   "Passing PnP IRPs Down the Device Stack",
 * ]);
 * assert.ok(pages.every((p) => p.url?.startsWith("https://learn.microsoft.com/")));
 * ```
 */
export function rulePages(rule: VerifierRule): PageMention[] {
  return pagesNamedIn(rule.doc);
}

/** A rule by name. */
export function ruleNamed(name: string): VerifierRule | undefined {
  return VERIFIER_RULES.find((r) => r.name === name);
}
