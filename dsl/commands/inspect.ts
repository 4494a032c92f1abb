/**
 * The debugger extensions a driver author types in WinDbg (`!devnode`, `!devstack`, `!drvobj`,
 * `!irp`, `!analyze`, `!verifier`, `!object`, `lm`) as rows of the REPL's command table. They only
 * read the machine, so at a debugger stop they show the replayed machine at that event.
 *
 * @module
 */
import { IRP_MJ_NAMES } from "../../lib/constants.ts";
import { pageLines } from "../../lib/doc_pages.ts";
import type { DeviceObject, DriverObject } from "../../lib/io/objects.ts";
import type { Machine } from "../../lib/machine.ts";
import { renderIrpStack } from "../../lib/render/irp.ts";
import {
  driverObjects,
  renderAnalyze,
  renderDeviceTree,
  renderDevStack,
  renderDrvObj,
  renderIrp,
  renderIrps,
} from "../../lib/render/text.ts";
import { VERIFIER_RULES } from "../../lib/verifier/index.ts";
import { didYouMean } from "../steps.ts";
import type { Command, CommandHost } from "./table.ts";

/** Every device object of the machine: each present stack's, top first, and named ones no stack holds. */
function deviceObjects(machine: Machine): DeviceObject[] {
  const seen = new Set<DeviceObject>();
  for (const instance of machine.devices()) {
    for (let d = machine.device(instance)?.top ?? null; d; d = d.lower) seen.add(d);
  }
  for (const driver of machine.drivers()) for (const d of driver.devices) seen.add(d);
  return [...seen];
}

/** Device completion: instance IDs, and device object names when the word starts with `\` or `#`. */
function completeDevice(host: CommandHost, rest: string, objects: boolean): string[] {
  const word = rest.replace(/^"/, "");
  const pool = objects && /^[\\#]/.test(word)
    ? deviceObjects(host.machine).map((d) => d.name ?? `#${d.serial}`)
    : [...host.runner.names.devices, ...host.machine.devices()];
  return pool.filter((d) => d.toUpperCase().startsWith(word.toUpperCase()));
}

/**
 * `!devnode` takes an instance ID as the machine prints it (one backslash). One pasted from a
 * TypeScript string (`ROOT\\TOASTER\\0000`) has doubled ones: say what was expected.
 */
function devnodeArg(machine: Machine, arg: string): string | { error: string } {
  if (!arg.includes("\\\\")) return arg;
  const single = arg.replace(/\\\\/g, "\\");
  return {
    error: `!devnode takes an instance ID with single backslashes, as !devnode 0 1 prints it: '${
      arg.replace(/\\\\/g, "\\")
    }'${machine.device(single) ? " (that device is present)" : ""}, not '${arg}'`,
  };
}

/** The WDK's IRP_MJ_* names by code (wdm.h), for the whole dispatch table. */
const MAJOR_NAMES: readonly string[] = [
  "CREATE",
  "CREATE_NAMED_PIPE",
  "CLOSE",
  "READ",
  "WRITE",
  "QUERY_INFORMATION",
  "SET_INFORMATION",
  "QUERY_EA",
  "SET_EA",
  "FLUSH_BUFFERS",
  "QUERY_VOLUME_INFORMATION",
  "SET_VOLUME_INFORMATION",
  "DIRECTORY_CONTROL",
  "FILE_SYSTEM_CONTROL",
  "DEVICE_CONTROL",
  "INTERNAL_DEVICE_CONTROL",
  "SHUTDOWN",
  "LOCK_CONTROL",
  "CLEANUP",
  "CREATE_MAILSLOT",
  "QUERY_SECURITY",
  "SET_SECURITY",
  "POWER",
  "SYSTEM_CONTROL",
  "DEVICE_CHANGE",
  "QUERY_QUOTA",
  "SET_QUOTA",
  "PNP",
].map((n) => `IRP_MJ_${n}`);

/** `!drvobj <driver> 7`: WinDbg's flag 2 adds the whole dispatch table, 0x00 to 0x1b. */
function dispatchTable(driver: DriverObject): string[] {
  const rows = ["Dispatch routines:"];
  for (let major = 0; major <= 0x1b; major++) {
    const name = IRP_MJ_NAMES[major] ?? MAJOR_NAMES[major]!;
    const own = major === 0x1b ? driver.spec.DispatchPnp : driver.spec.MajorFunction?.[major];
    const set = driver.MajorFunction[major];
    const routine = own
      ? `${driver.name}!${own.name && own.name !== "DispatchPnp" ? own.name : dispatchName(name)}`
      : set
      ? `${driver.name}!${dispatchName(name)} (generated)`
      : "nt!IopInvalidDeviceRequest";
    rows.push(`[${major.toString(16).padStart(2, "0")}] ${name.padEnd(36)}${routine}`);
  }
  return rows;
}

/** `IRP_MJ_DEVICE_CONTROL` → `DispatchDeviceControl`, the names `bp driver!Routine` takes. */
function dispatchName(major: string): string {
  if (major === "IRP_MJ_PNP") return "DispatchPnp";
  return `Dispatch${major.slice("IRP_MJ_".length)}`;
}

/** `!verifier`: the mode, each finding with its rule's page, and how many times each rule fired. */
function renderVerifier(machine: Machine): string {
  const { findings, mode } = machine.verifier;
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  const rows = [
    `Verifier mode: ${mode}; ${findings.length} finding${findings.length === 1 ? "" : "s"}`,
  ];
  for (const f of findings) {
    rows.push(`  ${f.rule} (${f.severity}): ${f.message}`);
    for (const l of pageLines(f.doc ?? "")) rows.push(`    see: ${l}`);
  }
  rows.push("Rule counts:");
  const width = Math.max(...VERIFIER_RULES.map((r) => r.name.length)) + 2;
  for (const r of VERIFIER_RULES) {
    const n = counts.get(r.name) ?? 0;
    if (n) rows.push(`  ${r.name.padEnd(width)}${n}`);
  }
  if (!counts.size) rows.push(`  (no rule fired; ${VERIFIER_RULES.length} rules checked)`);
  return rows.join("\n");
}

/** `lm`: the loaded drivers, each with its `\Driver` object and how many devices it has. */
function renderLoaded(machine: Machine): string {
  const drivers = machine.drivers().filter((d) => d.loaded);
  if (!drivers.length) return "No drivers loaded";
  const width = Math.max(6, ...drivers.map((d) => d.name.length)) + 2;
  return [
    `${"module".padEnd(width)}driver object`,
    ...drivers.map((d) =>
      `${d.name.padEnd(width)}${d.DriverName}  (${d.deviceCount} device${
        d.deviceCount === 1 ? "" : "s"
      })`
    ),
  ].join("\n");
}

/** `!object \Device`: the named device objects of the `\Device` directory. */
function renderObjectDirectory(machine: Machine, path: string): string {
  if (!/^\\Device\\?$/i.test(path)) {
    return `!object shows the \\Device directory only (the model keeps no other object directory): !object \\Device`;
  }
  const named = deviceObjects(machine).filter((d) => d.name?.toUpperCase().startsWith("\\DEVICE\\"))
    .sort((a, b) => a.name!.localeCompare(b.name!));
  return [
    `Directory \\Device: ${named.length} named device object${named.length === 1 ? "" : "s"}`,
    `    Type    Name                          Driver`,
    ...named.map((d) =>
      `    Device  ${d.name!.slice("\\Device\\".length).padEnd(30)}${d.DriverObject.DriverName}`
    ),
  ].join("\n");
}

/** `!irp #N` at a stop: an IRP in flight as WinDbg shows it, a completed one from the trace. */
function renderOneIrp(host: CommandHost, id: number): string {
  const inFlight = host.machine.irpInFlight(id);
  if (inFlight) return renderIrpStack(inFlight).trimEnd();
  const history = renderIrp(host.machine, id).trimEnd();
  if (history.startsWith("No IRP") || host.stoppedAt === null) return history;
  return `${history}\n(Irp #${id} is not in flight at #${host.stoppedAt}: a completed IRP has no stack locations left; its passage is told from the trace. Break inside its dispatch with bp to see its stack.)`;
}

/** The inspection rows. */
export const INSPECT_COMMANDS: readonly Command[] = [
  {
    name: "!devnode",
    usage: "[instance]",
    help: "the device tree with states and problem codes (!devnode 0 1: the whole tree)",
    group: "inspect",
    complete: (host, rest) => completeDevice(host, rest, false),
    run(host, arg) {
      const m = host.machine;
      // WinDbg's `!devnode 0 1` is the whole tree (0: the root, flag 1: its children).
      if (!arg || /^0(\s+(0x)?[0-9a-f]+)?$/i.test(arg)) return renderDeviceTree(m).trimEnd();
      const checked = devnodeArg(m, arg.replace(/^"|"$/g, ""));
      if (typeof checked !== "string") return checked.error;
      const flags = /^(.+?)\s+(0x)?[0-9a-f]+$/i.exec(checked);
      const from = !m.device(checked) && flags && m.device(flags[1]!) ? flags[1]! : checked;
      return renderDeviceTree(m, from).trimEnd();
    },
  },
  {
    name: "!devstack",
    usage: "<device>",
    help:
      "a device's stack, top first: an instance ID, a name (d1) or a device object (\\Device\\00000003, #8)",
    group: "inspect",
    complete: (host, rest) => completeDevice(host, rest, true),
    run(host, arg) {
      const name = arg.replace(/^"|"$/g, "");
      if (!name) return "Usage: !devstack <instance ID or device name>";
      const device = host.findDevice(name);
      if (!device) return host.noDevice(name);
      return renderDevStack(host.machine, device).trimEnd();
    },
  },
  {
    name: "!drvobj",
    usage: "<driver> [flags]",
    help:
      "a driver object: its devices, references and routines (flags 2 or 7: every dispatch routine)",
    group: "inspect",
    complete(host, rest) {
      const word = rest.split(/\s+/).at(-1) ?? "";
      const names = driverObjects(host.machine).map((d) =>
        word.startsWith("\\") ? d.DriverName : d.name
      );
      return [...new Set(names)].filter((n) => n.startsWith(word)).sort();
    },
    run(host, arg) {
      const m = /^"?([^"\s]+)"?(?:\s+(0x)?([0-9a-f]+))?$/i.exec(arg);
      if (!m) return "Usage: !drvobj <driver> [flags]";
      const text = renderDrvObj(host.machine, m[1]!).trimEnd();
      const flags = m[3] ? parseInt(m[3], 16) : 0;
      const driver = host.machine.drivers().find((d) =>
        d.name.toUpperCase() === m[1]!.replace(/^\\Driver\\/i, "").toUpperCase()
      );
      if (!driver) {
        const hint = didYouMean(
          m[1]!.replace(/^\\Driver\\/i, ""),
          driverObjects(host.machine).map((d) => d.name),
        );
        return `${text}${hint ? ` (did you mean '${hint}'?)` : ""}`;
      }
      if (!(flags & 2)) return text;
      // The whole table replaces the short list of the routines the driver set.
      const short = text.indexOf("\nDispatch routines:");
      return [short < 0 ? text : text.slice(0, short), ...dispatchTable(driver)].join("\n");
    },
  },
  {
    name: "!irp",
    usage: "[n | #id]",
    help:
      "IRP #id as WinDbg shows it (in flight: every stack location), or the last n IRPs (default 5)",
    group: "inspect",
    run(host, arg) {
      const one = /^#?(\d+)$/.exec(arg);
      if (one && arg.startsWith("#")) return renderOneIrp(host, Number(one[1]));
      const n = arg ? Number(arg) : 5;
      if (!Number.isInteger(n) || n < 1) return "Usage: !irp [n | #id] (n >= 1)";
      return renderIrps(host.machine, n).trimEnd();
    },
  },
  {
    name: "!analyze",
    usage: "",
    help: "explain the last bug check (rule, offending call, documentation)",
    group: "inspect",
    run: (host) => renderAnalyze(host.machine).trimEnd(),
  },
  {
    name: "!verifier",
    usage: "",
    help: "the verifier's findings, each with its rule's page, and how often each rule fired",
    group: "inspect",
    run: (host) => renderVerifier(host.machine),
  },
  {
    name: "!object",
    usage: "\\Device",
    help: "the named device objects",
    group: "inspect",
    complete: (_host, rest) => ["\\Device"].filter((d) => d.startsWith(rest)),
    run: (host, arg) => renderObjectDirectory(host.machine, arg || "\\Device"),
  },
  {
    name: "lm",
    usage: "",
    help: "the loaded drivers (modules)",
    group: "inspect",
    run: (host) => renderLoaded(host.machine),
  },
];
