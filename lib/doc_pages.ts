/**
 * The one table of Microsoft pages the project names: each page title (as the project writes it)
 * with its learn.microsoft.com address. Verifier rules, `!analyze`, the scenario report, the
 * notebooks and `docs/` link a page through this table, so an address is written once. Every
 * address was checked against Microsoft's documentation sources (the page's file in
 * MicrosoftDocs' repositories, or the page itself); a title whose page could not be found keeps no
 * address rather than a guessed one. This module imports nothing, so any layer may use it.
 *
 * @module
 */

const DRIVERS = "https://learn.microsoft.com/en-us/windows-hardware/drivers/";
const WIN32 = "https://learn.microsoft.com/en-us/windows/win32/";

/**
 * Page title → address, grouped by where the page lives. The address is `undefined` for a title
 * the project names whose page could not be verified.
 */
const PAGES: readonly (readonly [title: string, url: string | undefined])[] = [
  // Kernel-mode driver architecture: concept pages.
  ["Plug and Play Registry Routines", `${DRIVERS}kernel/plug-and-play-registry-routines`],
  ["Using PnP Notification", `${DRIVERS}kernel/using-pnp-notification`],
  ["PnP Notification Overview", `${DRIVERS}kernel/pnp-notification-overview`],
  [
    "Guidelines for Writing PnP Notification Callback Routines",
    `${DRIVERS}kernel/guidelines-for-writing-pnp-notification-callback-routines`,
  ],
  [
    "Registering for Device Interface Change Notification",
    `${DRIVERS}kernel/registering-for-device-interface-change-notification`,
  ],
  ["Removing a Device", `${DRIVERS}kernel/removing-a-device`],
  [
    "Removing a Device in a Function Driver",
    `${DRIVERS}kernel/removing-a-device-in-a-function-driver`,
  ],
  ["Removing a Device in a Bus Driver", `${DRIVERS}kernel/removing-a-device-in-a-bus-driver`],
  [
    "Handling an IRP_MN_QUERY_REMOVE_DEVICE Request",
    `${DRIVERS}kernel/handling-an-irp-mn-query-remove-device-request`,
  ],
  [
    "Handling an IRP_MN_SURPRISE_REMOVAL Request",
    `${DRIVERS}kernel/handling-an-irp-mn-surprise-removal-request`,
  ],
  ["State Transitions for PnP Devices", `${DRIVERS}kernel/state-transitions-for-pnp-devices`],
  [
    "Passing PnP IRPs Down the Device Stack",
    `${DRIVERS}kernel/passing-pnp-irps-down-the-device-stack`,
  ],
  [
    "Postponing PnP IRP Processing Until Lower Drivers Finish",
    `${DRIVERS}kernel/postponing-pnp-irp-processing-until-lower-drivers-finish`,
  ],
  ["Example WDM Device Stack", `${DRIVERS}kernel/example-wdm-device-stack`],
  [
    "Adding a PnP Device to a Running System",
    `${DRIVERS}kernel/adding-a-pnp-device-to-a-running-system`,
  ],
  ["Writing an AddDevice Routine", `${DRIVERS}kernel/writing-an-adddevice-routine`],
  [
    "Stopping a Device to Rebalance Resources",
    `${DRIVERS}kernel/stopping-a-device-to-rebalance-resources`,
  ],
  ["Hiding Devices from Device Manager", `${DRIVERS}kernel/hiding-devices-from-device-manager`],
  ["System Worker Threads", `${DRIVERS}kernel/system-worker-threads`],
  [
    "Determining Whether the Operating System Is Running in Safe Mode",
    `${DRIVERS}kernel/determining-whether-the-operating-system-is-running-in-safe-mode`,
  ],
  ["Object Handles", `${DRIVERS}kernel/object-handles`],
  [
    "Opening a Handle to a Registry-Key Object",
    `${DRIVERS}kernel/opening-a-handle-to-a-registry-key-object`,
  ],
  ["Registry Run-Time Library Routines", `${DRIVERS}kernel/registry-run-time-library-routines`],
  [
    "Using Nt and Zw Versions of the Native System Services Routines",
    `${DRIVERS}kernel/using-nt-and-zw-versions-of-the-native-system-services-routines`,
  ],
  ["PreviousMode", `${DRIVERS}kernel/previousmode`],
  ["IRP_MN_QUERY_DEVICE_RELATIONS", `${DRIVERS}kernel/irp-mn-query-device-relations`],
  ["IRP_MN_QUERY_ID", `${DRIVERS}kernel/irp-mn-query-id`],
  // Power management: concept pages and IRPs.
  ["Power IRPs for the System", `${DRIVERS}kernel/power-irps-for-the-system`],
  [
    "Handling IRP_MN_SET_POWER for System Power States",
    `${DRIVERS}kernel/handling-irp-mn-set-power-for-system-power-states`,
  ],
  [
    "Handling IRP_MN_QUERY_POWER for System Power States",
    `${DRIVERS}kernel/handling-irp-mn-query-power-for-system-power-states`,
  ],
  [
    "Failing a System Query-Power IRP in a Filter or Function Driver",
    `${DRIVERS}kernel/failing-a-system-query-power-irp-in-a-filter-or-function-driver`,
  ],
  [
    "Handling a System Set-Power IRP in a Device Power Policy Owner",
    `${DRIVERS}kernel/handling-a-system-set-power-irp-in-a-device-power-policy-owner`,
  ],
  [
    "Sending a Device Set-Power IRP in Response to a System Set-Power IRP",
    `${DRIVERS}kernel/sending-a-device-set-power-irp-in-response-to-a-system-set-power-irp`,
  ],
  [
    "Setting Device Object Flags for Power Management",
    `${DRIVERS}kernel/setting-device-object-flags-for-power-management`,
  ],
  ["Wait/Wake IRP Requests", `${DRIVERS}kernel/wait-wake-irp-requests`],
  ["IRP_MN_SET_POWER", `${DRIVERS}kernel/irp-mn-set-power`],
  ["IRP_MN_WAIT_WAKE", `${DRIVERS}kernel/irp-mn-wait-wake`],
  // Device installation.
  [
    "Enabling and Disabling a Device Interface Instance",
    `${DRIVERS}install/enabling-and-disabling-a-device-interface-instance`,
  ],
  ["RunOnce Registry Key", `${DRIVERS}install/runonce-registry-key`],
  ["Device Instance IDs", `${DRIVERS}install/device-instance-ids`],
  ["Hardware IDs", `${DRIVERS}install/hardware-ids`],
  ["Compatible IDs", `${DRIVERS}install/compatible-ids`],
  ["Instance IDs", `${DRIVERS}install/instance-ids`],
  // Routine reference pages (the title is the routine's name).
  ["ZwClose", `${DRIVERS}ddi/wdm/nf-wdm-zwclose`],
  ["ZwSetValueKey", `${DRIVERS}ddi/wdm/nf-wdm-zwsetvaluekey`],
  ["ObReferenceObjectByHandle", `${DRIVERS}ddi/wdm/nf-wdm-obreferenceobjectbyhandle`],
  ["InitializeObjectAttributes", `${DRIVERS}ddi/wudfwdm/nf-wudfwdm-initializeobjectattributes`],
  ["RtlQueryRegistryValues", `${DRIVERS}ddi/wdm/nf-wdm-rtlqueryregistryvalues`],
  ["IoOpenDeviceRegistryKey", `${DRIVERS}ddi/wdm/nf-wdm-ioopendeviceregistrykey`],
  [
    "IoOpenDeviceInterfaceRegistryKey",
    `${DRIVERS}ddi/wdm/nf-wdm-ioopendeviceinterfaceregistrykey`,
  ],
  ["IoSetDeviceInterfaceState", `${DRIVERS}ddi/wdm/nf-wdm-iosetdeviceinterfacestate`],
  ["IoSetDevicePropertyData", `${DRIVERS}ddi/wdm/nf-wdm-iosetdevicepropertydata`],
  ["IoRegisterPlugPlayNotification", `${DRIVERS}ddi/wdm/nf-wdm-ioregisterplugplaynotification`],
  [
    "IoUnregisterPlugPlayNotification",
    `${DRIVERS}ddi/wdm/nf-wdm-iounregisterplugplaynotification`,
  ],
  [
    "IoUnregisterPlugPlayNotificationEx",
    `${DRIVERS}ddi/wdm/nf-wdm-iounregisterplugplaynotificationex`,
  ],
  ["IoReportTargetDeviceChange", `${DRIVERS}ddi/wdm/nf-wdm-ioreporttargetdevicechange`],
  ["DRIVER_UNLOAD", `${DRIVERS}ddi/wdm/nc-wdm-driver_unload`],
  ["PoRequestPowerIrp", `${DRIVERS}ddi/wdm/nf-wdm-porequestpowerirp`],
  ["PoStartNextPowerIrp", `${DRIVERS}ddi/wdm/nf-wdm-postartnextpowerirp`],
  ["PoCallDriver", `${DRIVERS}ddi/ntifs/nf-ntifs-pocalldriver`],
  [
    "IoRegisterShutdownNotification",
    `${DRIVERS}ddi/wdm/nf-wdm-ioregistershutdownnotification`,
  ],
  ["DEVICE_CAPABILITIES", `${DRIVERS}ddi/wdm/ns-wdm-_device_capabilities`],
  ["SYSTEM_POWER_STATE", `${DRIVERS}ddi/wdm/ne-wdm-_system_power_state`],
  ["DEVICE_POWER_STATE", `${DRIVERS}ddi/wdm/ne-wdm-_device_power_state`],
  // Driver Verifier and Static Driver Verifier: DDI compliance rules.
  ["DDI compliance checking", `${DRIVERS}devtest/ddi-compliance-checking`],
  ["IrqlZwPassive rule (wdm)", `${DRIVERS}devtest/wdm-irqlzwpassive`],
  ["IrqlIoRtlZwPassive rule (wdm)", `${DRIVERS}devtest/wdm-irqliortlzwpassive`],
  ["IrqlIoPassive1 rule (wdm)", `${DRIVERS}devtest/wdm-irqliopassive1`],
  ["IrqlIoPassive3 rule (wdm)", `${DRIVERS}devtest/wdm-irqliopassive3`],
  ["IrqlIoPassive5 rule (wdm)", `${DRIVERS}devtest/wdm-irqliopassive5`],
  ["PnpRemove rule (wdm)", `${DRIVERS}devtest/wdm-pnpremove`],
  ["PnpIrpCompletion rule (wdm)", `${DRIVERS}devtest/wdm-pnpirpcompletion`],
  ["PnpSurpriseRemove rule (wdm)", `${DRIVERS}devtest/wdm-pnpsurpriseremove`],
  ["LowerDriverReturn rule (wdm)", `${DRIVERS}devtest/wdm-lowerdriverreturn`],
  ["ZwRegistryCreate rule (wdm)", `${DRIVERS}devtest/wdm-zwregistrycreate`],
  ["ZwRegistryOpen rule (wdm)", `${DRIVERS}devtest/wdm-zwregistryopen`],
  ["PowerDownFail rule (wdm)", `${DRIVERS}devtest/wdm-powerdownfail`],
  ["PowerUpFail rule (wdm)", `${DRIVERS}devtest/wdm-powerupfail`],
  ["MarkPowerDown rule (wdm)", `${DRIVERS}devtest/wdm-markpowerdown`],
  ["MarkPower rule (wdm)", `${DRIVERS}devtest/wdm-markpower`],
  ["PowerIrpDDis rule (wdm)", `${DRIVERS}devtest/wdm-powerirpddis`],
  // Bug check reference.
  [
    "Bug Check 0x9: IRQL_NOT_GREATER_OR_EQUAL",
    `${DRIVERS}debugger/bug-check-0x9--irql-not-greater-or-equal`,
  ],
  [
    "Bug Check 0xA: IRQL_NOT_LESS_OR_EQUAL",
    `${DRIVERS}debugger/bug-check-0xa--irql-not-less-or-equal`,
  ],
  [
    "Bug Check 0x35: NO_MORE_IRP_STACK_LOCATIONS",
    `${DRIVERS}debugger/bug-check-0x35--no-more-irp-stack-locations`,
  ],
  [
    "Bug Check 0x44: MULTIPLE_IRP_COMPLETE_REQUESTS",
    `${DRIVERS}debugger/bug-check-0x44--multiple-irp-complete-requests`,
  ],
  [
    "Bug Check 0x7E: SYSTEM_THREAD_EXCEPTION_NOT_HANDLED",
    `${DRIVERS}debugger/bug-check-0x7e--system-thread-exception-not-handled`,
  ],
  [
    "Bug Check 0x9F: DRIVER_POWER_STATE_FAILURE",
    `${DRIVERS}debugger/bug-check-0x9f--driver-power-state-failure`,
  ],
  [
    "Bug Check 0xC4: DRIVER_VERIFIER_DETECTED_VIOLATION",
    `${DRIVERS}debugger/bug-check-0xc4--driver-verifier-detected-violation`,
  ],
  [
    "Bug Check 0xC9: DRIVER_VERIFIER_IOMANAGER_VIOLATION",
    `${DRIVERS}debugger/bug-check-0xc9--driver-verifier-iomanager-violation`,
  ],
  [
    "Bug Check 0xCA: PNP_DETECTED_FATAL_ERROR",
    `${DRIVERS}debugger/bug-check-0xca--pnp-detected-fatal-error`,
  ],
  [
    "Bug Check 0x139: KERNEL_SECURITY_CHECK_FAILURE",
    `${DRIVERS}debugger/bug-check-0x139--kernel-security-check-failure`,
  ],
  // Memory and IRQL routines drivers call, and what Driver Verifier does about them.
  ["Pool Tracking", `${DRIVERS}devtest/pool-tracking`],
  ["KeRaiseIrql", `${DRIVERS}ddi/wdm/nf-wdm-keraiseirql`],
  ["ExFreePoolWithTag", `${DRIVERS}ddi/wdm/nf-wdm-exfreepoolwithtag`],
  ["Bug Check 0xC2: BAD_POOL_CALLER", `${DRIVERS}debugger/bug-check-0xc2--bad-pool-caller`],
  // Debugger commands, which the REPL's debugging commands follow.
  ["bp, bu, bm (Set Breakpoint)", `${DRIVERS}debuggercmds/bp--bu--bm--set-breakpoint-`],
  ["!irp", `${DRIVERS}debuggercmds/-irp`],
  // Win32 pages: the registry, and what an application sees of device removal.
  ["Registry value types", `${WIN32}sysinfo/registry-value-types`],
  ["Registry element size limits", `${WIN32}sysinfo/registry-element-size-limits`],
  [
    "Registry Key Security and Access Rights",
    `${WIN32}sysinfo/registry-key-security-and-access-rights`,
  ],
  [
    "Processing a Request to Remove a Device",
    `${WIN32}devio/processing-a-request-to-remove-a-device`,
  ],
  ["Run and RunOnce Registry Keys", `${WIN32}setupapi/run-and-runonce-registry-keys`],
];

/** Every page title the project names, in the table's order. */
export const DOC_PAGE_TITLES: readonly string[] = PAGES.map(([t]) => t);

const byKey = new Map(PAGES.map(([t, u]) => [t.toLowerCase(), { title: t, url: u }]));

/** Longest first, so "Removing a Device in a Bus Driver" wins over "Removing a Device". */
const longestFirst = [...DOC_PAGE_TITLES].sort((a, b) => b.length - a.length);

/**
 * The learn.microsoft.com address of a page, by its title (any letter case); `undefined` for a
 * title the table does not know or could not verify.
 *
 * @example
 * ```ts
 * import { docUrl } from "./doc_pages.ts";
 * import assert from "node:assert/strict";
 * assert.match(docUrl("Using PnP Notification") ?? "", /^https:\/\/learn\.microsoft\.com\//);
 * assert.equal(docUrl("No such page"), undefined);
 * ```
 */
export function docUrl(title: string): string | undefined {
  return byKey.get(title.toLowerCase())?.url;
}

/** One page named in a text: where, the words as written, and the table's title and address. */
export interface PageMention {
  /** Offset of the first character in the text. */
  readonly index: number;
  /** The words as the text writes them. */
  readonly text: string;
  /** The title as the table writes it. */
  readonly title: string;
  /** The page's address, when verified. */
  readonly url: string | undefined;
}

const wordChar = /[A-Za-z0-9_]/;

/**
 * The table's pages a text names, in order, without overlaps (the longest title wins); letter case
 * is ignored, and a title must stand as whole words (`ZwClose` is not found in `ZwCloseKey`).
 *
 * @example
 * ```ts
 * import { pagesNamedIn } from "./doc_pages.ts";
 * import assert from "node:assert/strict";
 * const found = pagesNamedIn("PnpIrpCompletion rule (wdm); Passing PnP IRPs down the device stack");
 * assert.deepEqual(found.map((p) => p.title), [
 *   "PnpIrpCompletion rule (wdm)",
 *   "Passing PnP IRPs Down the Device Stack",
 * ]);
 * ```
 */
export function pagesNamedIn(text: string): PageMention[] {
  const lower = text.toLowerCase();
  const taken: boolean[] = [];
  const out: PageMention[] = [];
  for (const title of longestFirst) {
    const key = title.toLowerCase();
    for (let at = lower.indexOf(key); at >= 0; at = lower.indexOf(key, at + 1)) {
      const end = at + key.length;
      if (wordChar.test(text[at - 1] ?? "") || wordChar.test(text[end] ?? "")) continue;
      let free = true;
      for (let i = at; i < end && free; i++) if (taken[i]) free = false;
      if (!free) continue;
      for (let i = at; i < end; i++) taken[i] = true;
      const page = byKey.get(key)!;
      out.push({ index: at, text: text.slice(at, end), title: page.title, url: page.url });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * The text with every page it names (that has an address) replaced by `link(words, url)`; the
 * parts between are passed through `plain` (e.g. an HTML escape).
 *
 * @example
 * ```ts
 * import { linkPages } from "./doc_pages.ts";
 * import assert from "node:assert/strict";
 * const md = linkPages("See ZwClose.", (words, url) => `[${words}](${url})`);
 * assert.equal(md, "See [ZwClose](https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/wdm/nf-wdm-zwclose).");
 * ```
 */
export function linkPages(
  text: string,
  link: (words: string, url: string) => string,
  plain: (s: string) => string = (s) => s,
): string {
  let out = "";
  let from = 0;
  for (const m of pagesNamedIn(text)) {
    if (!m.url) continue;
    out += plain(text.slice(from, m.index)) + link(m.text, m.url);
    from = m.index + m.text.length;
  }
  return out + plain(text.slice(from));
}

/**
 * One line per page a text names, `title: address`, for plain-text output such as `!analyze`
 * (a page without a verified address is listed with its title only).
 *
 * @example
 * ```ts
 * import { pageLines } from "./doc_pages.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pageLines("ZwRegistryOpen rule (wdm); ZwClose"), [
 *   "ZwRegistryOpen rule (wdm): https://learn.microsoft.com/en-us/windows-hardware/drivers/devtest/wdm-zwregistryopen",
 *   "ZwClose: https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/wdm/nf-wdm-zwclose",
 * ]);
 * ```
 */
export function pageLines(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of pagesNamedIn(text)) {
    if (seen.has(m.title)) continue;
    seen.add(m.title);
    out.push(m.url ? `${m.title}: ${m.url}` : m.title);
  }
  return out;
}
