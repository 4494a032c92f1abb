/**
 * pnputil.exe at the prompt: `/enum-devices [/problem] [/connected]`, `/disable-device`,
 * `/enable-device`, `/remove-device`, `/restart-device` and `/scan-devices`. The actions go
 * through the machine's verbs (`disable`, `enable`, `requestRemoval`, `restart`, and
 * IoInvalidateDeviceRelations on the root for a scan), so they are recorded as steps for `.save`.
 *
 * Output shape: the "Microsoft PnP Utility" banner (the tool's usage text, as recorded by a public
 * catalogue of Windows binaries), then one block of `Label:` lines per device with the values in
 * one column. The statuses Started and Disabled are the PnPUtil Examples page's ("An enabled device
 * appears with status Started; a disabled device appears as Disabled"). No verbatim sample of
 * `/enum-devices` output, nor of the action commands' lines, was found in the reference material or
 * the search corpora: the field labels (Instance ID, Device Description, Class Name, Class GUID,
 * Manufacturer Name, Status, Problem Code), the column width, the other statuses (Problem, Stopped,
 * Disconnected) and the action lines ("Disabling device: ...", "Device disabled successfully.")
 * follow pnputil's output as the author remembers it and may differ from a real run in wording.
 * The model has no INF files, so `Driver Name` (an INF name on Windows) is left out.
 *
 * @module
 */
import { BugCheck } from "../../lib/bugcheck.ts";
import { BusRelations, CM_PROB_DISABLED } from "../../lib/constants.ts";
import type { DevNodeInfo, Machine } from "../../lib/machine.ts";
import { NT_SUCCESS, ntStatusName } from "../../lib/ntstatus.ts";
import type { Command, CommandHost } from "./table.ts";

const BANNER = "Microsoft PnP Utility\n";
const COLUMN = 28;
const ENUM = "HKLM\\SYSTEM\\CurrentControlSet\\Enum";

const field = (label: string, value: string) => `${`${label}:`.padEnd(COLUMN)}${value}`;

/** The status pnputil shows for a device node. */
function statusOf(info: DevNodeInfo | undefined): string {
  if (!info || info.state === "Absent") return "Disconnected";
  if (info.problem === CM_PROB_DISABLED) return "Disabled";
  if (info.problem) return "Problem";
  return info.state === "Started" ? "Started" : "Stopped";
}

/** Every device the Enum tree knows (`Enum\<enumerator>\<device>\<instance>`), present or not. */
function knownInstances(machine: Machine): string[] {
  const out: string[] = [];
  const reg = machine.registry;
  for (const enumerator of reg.subkeys(ENUM)) {
    for (const device of reg.subkeys(`${ENUM}\\${enumerator}`)) {
      for (const instance of reg.subkeys(`${ENUM}\\${enumerator}\\${device}`)) {
        out.push(`${enumerator}\\${device}\\${instance}`);
      }
    }
  }
  return out;
}

/** A value of a device's Enum key as text, or undefined. */
function enumValue(machine: Machine, instance: string, name: string): string | undefined {
  const v = machine.registry.getValue(`${ENUM}\\${instance}`, name);
  return typeof v?.data === "string" ? v.data : undefined;
}

/** `pnputil /enum-devices [/problem] [/connected]`. */
function enumDevices(host: CommandHost, arg: string): string {
  const flags = arg.toLowerCase().split(/\s+/).filter(Boolean);
  const unknown = flags.find((f) => f !== "/problem" && f !== "/connected");
  if (unknown) {
    return `Invalid flag '${unknown}'. Usage: pnputil /enum-devices [/problem] [/connected]`;
  }
  const m = host.machine;
  const present = new Set(m.devices().map((d) => d.toUpperCase()));
  const all = [
    ...m.devices(),
    ...knownInstances(m).filter((i) => !present.has(i.toUpperCase())),
  ];
  const blocks: string[] = [];
  for (const instance of all) {
    const info = m.devnode(instance);
    const connected = present.has(instance.toUpperCase());
    if (flags.includes("/connected") && !connected) continue;
    if (flags.includes("/problem") && !(connected && info?.problem)) continue;
    const lines = [field("Instance ID", instance)];
    const desc = info?.description || enumValue(m, instance, "DeviceDesc");
    if (desc) lines.push(field("Device Description", desc));
    const className = enumValue(m, instance, "Class");
    const classGuid = enumValue(m, instance, "ClassGUID");
    if (className) lines.push(field("Class Name", className));
    if (classGuid) lines.push(field("Class GUID", classGuid));
    const mfg = enumValue(m, instance, "Mfg");
    if (mfg) lines.push(field("Manufacturer Name", mfg));
    lines.push(field("Status", connected ? statusOf(info) : "Disconnected"));
    if (connected && info?.problem) {
      lines.push(
        field(
          "Problem Code",
          `${info.problem} (0x${info.problem.toString(16).toUpperCase()}) [${
            info.problemName ?? "CM_PROB_?"
          }]`,
        ),
      );
    }
    blocks.push(lines.join("\n"));
  }
  if (!blocks.length) return `${BANNER}\nNo devices were found on the system.`;
  return `${BANNER}\n${blocks.join("\n\n")}`;
}

/** One device action: what it is called in the two lines it prints, and the machine verb. */
interface Action {
  verb: string;
  ing: string;
  done: string;
  method: string;
}

/** `pnputil /<action>-device <instance ID>`. */
function deviceAction(a: Action): (host: CommandHost, arg: string) => string {
  return (host, arg) => {
    const instance = arg.replace(/^"(.*)"$/, "$1").trim();
    if (!instance) return `Usage: pnputil /${a.verb}-device <instance ID>`;
    const pdo = host.findDevice(instance)?.bottom;
    const head = `${BANNER}\n${a.ing} device:`.padEnd(BANNER.length + 1 + COLUMN) + instance;
    if (!pdo) return `${head}\n${host.noDevice(instance)}`;
    let result: unknown;
    try {
      result = host.machineVerb(a.method, [pdo]);
    } catch (e) {
      // A bug check is the machine's answer, shown as the blue screen.
      if (e instanceof BugCheck) throw e;
      return `${head}\nFailed to ${a.verb} device: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (typeof result === "number" && !NT_SUCCESS(result)) {
      return `${head}\nFailed to ${a.verb} device: 0x${
        (result >>> 0).toString(16).toUpperCase().padStart(8, "0")
      } ${ntStatusName(result)}`;
    }
    return `${head}\nDevice ${a.done} successfully.`;
  };
}

/** `pnputil /scan-devices`: re-enumerate the root's bus relations (IoInvalidateDeviceRelations). */
function scanDevices(host: CommandHost, arg: string): string {
  if (arg) return "Usage: pnputil /scan-devices";
  const root = host.live.devices()[0];
  const pdo = root ? host.live.device(root) : undefined;
  if (!pdo) return `${BANNER}\nNo root device to scan.`;
  host.kernelCall("IoInvalidateDeviceRelations", [pdo, BusRelations]);
  host.live.settle();
  return `${BANNER}\nScanning for device hardware changes.\nScan complete.`;
}

const ACTIONS: readonly Action[] = [
  { verb: "disable", ing: "Disabling", done: "disabled", method: "disable" },
  { verb: "enable", ing: "Enabling", done: "enabled", method: "enable" },
  { verb: "remove", ing: "Removing", done: "removed", method: "requestRemoval" },
  { verb: "restart", ing: "Restarting", done: "restarted", method: "restart" },
];

/** Instance ID completion for the device actions. */
const completeInstance = (host: CommandHost, rest: string): string[] => {
  const word = rest.replace(/^"/, "").toUpperCase();
  return host.machine.devices().filter((d) => d.toUpperCase().startsWith(word));
};

/** The pnputil rows. */
export const PNPUTIL_COMMANDS: readonly Command[] = [
  {
    name: "pnputil /enum-devices",
    usage: "[/problem] [/connected]",
    help: "every device the Enum tree knows, its class and status (/problem: only those with one)",
    group: "pnputil",
    complete: (_h, rest) =>
      ["/problem", "/connected"].filter((f) => f.startsWith(rest.split(/\s+/).at(-1) ?? "")),
    run: enumDevices,
  },
  ...ACTIONS.map((a): Command => ({
    name: `pnputil /${a.verb}-device`,
    changes: true,
    usage: "<instance ID>",
    help: `${a.verb} a device (machine.${a.method}, recorded for .save)`,
    group: "pnputil",
    complete: completeInstance,
    run: deviceAction(a),
  })),
  {
    name: "pnputil /scan-devices",
    changes: true,
    usage: "",
    help: "scan for hardware changes: re-enumerate the root (IoInvalidateDeviceRelations)",
    group: "pnputil",
    run: scanDevices,
  },
];
