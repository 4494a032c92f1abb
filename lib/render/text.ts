/**
 * Text pictures of a machine, in the style Windows driver developers know from WinDbg: the device
 * tree (`!devnode 0 1`), a device stack (`!devstack`), a driver object (`!drvobj`), recent IRPs
 * (`!irp`) and a bug check analysis (`!analyze -v`). Pure functions of the machine and its trace.
 *
 * @module
 */
import { BUGCHECK_NAMES } from "../bugcheck.ts";
import { pageLines } from "../doc_pages.ts";
import { CM_PROB_NAMES, DN_NO_SHOW_IN_DM } from "../constants.ts";
import type { DeviceObject, DriverObject } from "../io/objects.ts";
import type { DevNodeInfo, Machine } from "../machine.ts";
import type { BugCheckEvent, CallEvent, IrpEvent, TraceEvent } from "../trace/trace.ts";
import { formatEvent } from "../trace/format.ts";
import { ruleNamed } from "../verifier/rules.ts";

/** The WinDbg name of each model state (`PNP_DEVNODE_STATE`). */
export const DEVNODE_STATE_NAMES: Readonly<Record<string, string>> = {
  Enumerated: "DeviceNodeInitialized",
  DriversInitialized: "DeviceNodeInitialized",
  Added: "DeviceNodeDriversAdded",
  Started: "DeviceNodeStarted",
  StopPending: "DeviceNodeQueryStopped",
  Stopped: "DeviceNodeStopped",
  RemovePending: "DeviceNodeQueryRemoved",
  SurpriseRemoved: "DeviceNodeRemovePendingCloses",
  Removed: "DeviceNodeRemoved",
  Absent: "DeviceNodeDeleted",
};

function problem(node: DevNodeInfo): string {
  return node.problem
    ? `  Problem: ${CM_PROB_NAMES[node.problem] ?? node.problem} (${node.problem})`
    : "";
}

/**
 * The device tree, one devnode a line, indented by depth (like `!devnode 0 1`).
 *
 * @example
 * ```ts
 * import { boot } from "../machine.ts";
 * import { renderDeviceTree } from "./text.ts";
 * import assert from "node:assert/strict";
 * assert.match(renderDeviceTree(boot()), /HTREE\\ROOT\\0/);
 * ```
 */
export function renderDeviceTree(machine: Machine, from?: string): string {
  const tree = machine.devnodeTree(from);
  if (!tree.length) return `No present device '${from}'\n`;
  const lines = tree.map(({ depth, devnode: n }) =>
    `${"  ".repeat(depth)}DevNode ${n.instanceId}  ${n.state}` +
    (n.service ? `  Service: ${n.service}` : "") + problem(n) +
    (n.opens ? `  Opens: ${n.opens}` : "") +
    (n.status & DN_NO_SHOW_IN_DM ? "  Hidden (DN_NO_SHOW_IN_DM)" : "") +
    powerOf(n)
  );
  return lines.join("\n") + "\n";
}

/**
 * A devnode's device power state as the tree shows it: `  D3` when it is not working (asleep, or
 * powered down by a removal); a working device (D0), or one no driver reported a state for, shows
 * nothing, so the working tree reads as before power existed.
 */
export function powerOf(n: DevNodeInfo): string {
  const state = n.powerState;
  return state && state !== "Unspecified" && state !== "D0" ? `  ${state}` : "";
}

/** A devnode's device power state for pictures (`  D0`), once its driver reported one. */
export function powerLabel(n: DevNodeInfo): string {
  const state = n.powerState;
  return state && state !== "Unspecified" ? `  ${state}` : "";
}

function label(d: DeviceObject): string {
  return d.name ?? `#${d.serial}`;
}

/**
 * One device's stack, top first, with its devnode (like `!devstack`). Given a device object, the
 * stack it belongs to, with `>` on that device as WinDbg marks the one asked for; given an instance
 * ID, `>` is on the top of the stack.
 */
export function renderDevStack(machine: Machine, device: DeviceObject | string): string {
  const pdo = typeof device === "string" ? machine.device(device) : device.bottom;
  const node = pdo && machine.devnode(pdo);
  if (!pdo || !node) return `No present device '${String(device)}'\n`;
  const marked = typeof device === "string" ? pdo.top : device;
  const rows: string[] = ["  !DevObj                 !DrvObj                    Role"];
  for (let d: DeviceObject | null = pdo.top; d; d = d.lower) {
    rows.push(
      `${d === marked ? ">" : " "} ${label(d).padEnd(24)}${d.DriverObject.DriverName.padEnd(27)}${
        d.role ?? "device"
      }`,
    );
  }
  rows.push(`!DevNode for PDO ${label(pdo)}:`);
  rows.push(`  DeviceInst is "${node.instanceId}"`);
  if (node.service) rows.push(`  ServiceName is "${node.service}"`);
  rows.push(`  State = ${node.state} (${DEVNODE_STATE_NAMES[node.state]})${problem(node)}`);
  rows.push(
    `  Status = 0x${node.status.toString(16).padStart(8, "0")} (${node.statusFlags.join(" | ")})`,
  );
  return rows.join("\n") + "\n";
}

/**
 * Every driver object the machine knows, each once: the ones `loadDriver` created (unloaded ones
 * too), then any other driver owning a device object in a present stack (`\Driver\PnpManager`, which
 * owns the root enumerator's PDOs).
 */
export function driverObjects(machine: Machine): DriverObject[] {
  const drivers = new Set(machine.drivers());
  for (const instance of machine.devices()) {
    for (let d = machine.device(instance)?.top ?? null; d; d = d.lower) drivers.add(d.DriverObject);
  }
  return [...drivers];
}

/** A driver that `!drvobj` can show, by service name or `\Driver\<name>` (any case). */
function findDriver(machine: Machine, name: string): DriverObject | undefined {
  const service = name.replace(/^\\Driver\\/i, "").toUpperCase();
  return driverObjects(machine).find((d) => d.name.toUpperCase() === service);
}

/** A driver object: its devices, references and routines (like `!drvobj <name> 3`). */
export function renderDrvObj(machine: Machine, name: string): string {
  const driver = findDriver(machine, name);
  if (!driver) return `No driver '${name}'\n`;
  const rows = [
    `Driver object (${driver.DriverName}) is for:`,
    `  ${driver.loaded ? "loaded" : "not loaded"}; DriverEntry returned 0x${
      driver.entryStatus.toString(16).toUpperCase().padStart(8, "0")
    }`,
    `  References held by notification registrations: ${driver.references}`,
    `Device Object list:`,
    ...driver.devices.map((d) =>
      `  ${label(d)}  (${d.role ?? "device"}${
        machine.devnode(d) ? `, ${machine.devnode(d)!.instanceId}` : ""
      })`
    ),
    `DriverEntry:   ${driver.spec.DriverEntry ? `${driver.name}!DriverEntry` : "(default)"}`,
    `AddDevice:     ${
      driver.spec.AddDevice ? `${driver.name}!AddDevice` : "(default: create an FDO and attach it)"
    }`,
    `DriverUnload:  ${driver.DriverUnload ? `${driver.name}!DriverUnload` : "(none)"}`,
    `Dispatch routines:`,
    `  [1b] IRP_MJ_PNP  ${
      driver.spec.DispatchPnp ? `${driver.name}!DispatchPnp` : "(default: pass down)"
    }`,
  ];
  return rows.join("\n") + "\n";
}

/** Every IRP in the trace, oldest first, with its events. */
function irpsInTrace(machine: Machine): Map<number, IrpEvent[]> {
  const byId = new Map<number, IrpEvent[]>();
  for (const e of machine.trace) {
    if (e.kind === "irp") (byId.get(e.irp) ?? byId.set(e.irp, []).get(e.irp)!).push(e);
  }
  return byId;
}

/** One IRP: the minor (or major) function and devnode, each device it went to, and who completed it. */
function irpLines(id: number, events: IrpEvent[]): string[] {
  const first = events[0]!;
  const rows = [`Irp #${id} ${first.minor ?? first.major}  [${first.instance}]`];
  for (const e of events) {
    rows.push(
      e.phase === "dispatch"
        ? `   > ${e.device}`
        : `   < completed by ${e.device}: ${e.statusName}`,
    );
  }
  if (!events.some((e) => e.phase === "complete")) rows.push("   (not completed)");
  return rows;
}

/** The last `count` IRPs: each with the devices it passed through and how it completed (like `!irp`). */
export function renderIrps(machine: Machine, count = 5): string {
  const byId = irpsInTrace(machine);
  const ids = [...byId.keys()].slice(-count);
  if (!ids.length) return "No IRPs yet\n";
  return ids.flatMap((id) => irpLines(id, byId.get(id)!)).join("\n") + "\n";
}

/**
 * One IRP by its number (`Irp #145` in `renderIrps`), the way `renderIrps` shows each.
 *
 * @example
 * ```ts
 * import { exampleMachine } from "../examples/example_machine.ts";
 * import { renderIrp } from "./text.ts";
 * import assert from "node:assert/strict";
 * assert.match(renderIrp(exampleMachine(), 1), /^Irp #1 IRP_MN_/);
 * ```
 */
export function renderIrp(machine: Machine, id: number): string {
  const byId = irpsInTrace(machine);
  const events = byId.get(id);
  if (events) return irpLines(id, events).join("\n") + "\n";
  const last = [...byId.keys()].at(-1);
  return `No IRP #${id} in the trace (${
    last === undefined ? "no IRPs yet" : `the IRPs are #${[...byId.keys()][0]} to #${last}`
  })\n`;
}

/** Documentation pages for bug checks and verifier rules. */
export const BUGCHECK_DOCS: Readonly<Record<number, string>> = {
  0x09: "Bug Check 0x9: IRQL_NOT_GREATER_OR_EQUAL (KeRaiseIrql: the new IRQL must not be lower)",
  0x0a: "Bug Check 0xA: IRQL_NOT_LESS_OR_EQUAL",
  0x35: "Bug Check 0x35: NO_MORE_IRP_STACK_LOCATIONS",
  0x44: "Bug Check 0x44: MULTIPLE_IRP_COMPLETE_REQUESTS",
  0x7e: "Bug Check 0x7E: SYSTEM_THREAD_EXCEPTION_NOT_HANDLED",
  0xc4: "Bug Check 0xC4: DRIVER_VERIFIER_DETECTED_VIOLATION (DDI compliance rules)",
  0xc9: "Bug Check 0xC9: DRIVER_VERIFIER_IOMANAGER_VIOLATION",
  0xca: "Bug Check 0xCA: PNP_DETECTED_FATAL_ERROR",
  0x139: "Bug Check 0x139: KERNEL_SECURITY_CHECK_FAILURE (RtlQueryRegistryValues)",
};

/** "PAGES:" and one `title: address` line per page the text names, or nothing. */
function analyzePages(text: string): string[] {
  const lines = pageLines(text);
  return lines.length ? ["PAGES:", ...lines.map((l) => `  ${l}`)] : [];
}

/** The analysis of the machine's bug check (like `!analyze -v`), or a note that it is running. */
export function renderAnalyze(machine: Machine): string {
  const events = machine.trace;
  let bug: BugCheckEvent | undefined;
  let at = -1;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === "bugcheck") {
      bug = e;
      at = i;
      break;
    }
    if (e.kind === "info" && e.what === "reboot") break;
  }
  const findings = machine.verifier.findings;
  if (!bug) {
    // Each finding with the call or IRP event just before it in the trace (the offending one).
    const at = new Map<string, string>();
    let last: TraceEvent | undefined;
    for (const e of events) {
      if (e.kind === "call" || e.kind === "irp") last = e;
      else if (e.kind === "finding" && last) at.set(`${e.rule}\n${e.message}`, formatEvent(last));
    }
    return "The machine is running: no bug check to analyze.\n" +
      (findings.length
        ? `Verifier findings:\n${
          findings.map((f) => {
            const call = at.get(`${f.rule}\n${f.message}`);
            return `  ${f.rule} (${f.severity}): ${f.message}${call ? `\n    at: ${call}` : ""}${
              f.doc ? `\n    see: ${f.doc}` : ""
            }${pageLines(f.doc ?? "").map((l) => `\n      ${l}`).join("")}`;
          }).join("\n")
        }\n`
        : "");
  }
  const rule = bug.rule ? ruleNamed(bug.rule) : undefined;
  let offending: TraceEvent | undefined;
  for (let i = at - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === "call" || e.kind === "irp") {
      offending = e;
      break;
    }
  }
  const calls = events.slice(Math.max(0, at - 8), at).map((e) => "    " + formatEvent(e));
  return [
    "*******************************************************************************",
    "*                        Bugcheck Analysis                                    *",
    "*******************************************************************************",
    "",
    `${BUGCHECK_NAMES[bug.code] ?? "BUGCHECK"} (${bug.code.toString(16)})`,
    bug.message,
    "Arguments:",
    ...bug.parameters.map((p, i) => `Arg${i + 1}: ${p.toString(16).padStart(16, "0")}`),
    "",
    bug.rule ? `RULE BROKEN: ${bug.rule}` : "",
    ...(rule ? [`RULE CHECKS: ${rule.checks} (${rule.source}, ${rule.severity})`] : []),
    `FAULTING CALLER: ${bug.caller}`,
    offending ? `LAST CALL: ${formatEvent(offending as CallEvent)}` : "",
    `DOCUMENTATION: ${BUGCHECK_DOCS[bug.code] ?? "(none)"}`,
    ...(rule ? [`RULE DOCUMENTATION: ${rule.doc}`] : []),
    // The pages both lines name, with their addresses (lib/doc_pages.ts).
    ...analyzePages(`${BUGCHECK_DOCS[bug.code] ?? ""}; ${rule?.doc ?? ""}`),
    "",
    "TRACE BEFORE THE BUG CHECK:",
    ...calls,
    "",
    "Type .reboot to restart the machine.",
  ].filter((l, i, a) => l !== "" || a[i - 1] !== "").join("\n") + "\n";
}
