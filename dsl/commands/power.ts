/**
 * The REPL's power commands: `.sleep`, `.wake [device]` and `.shutdown` (through the machine's
 * verbs, so they are recorded as the power steps for `.save`), and `!podev` and `!poaction`, which
 * show a device's power state with its pending power IRPs and the system power transition, in
 * WinDbg's spirit.
 *
 * @module
 */
import { ntStatusName } from "../../lib/ntstatus.ts";
import type { Command } from "./table.ts";

/** The power commands, in `.help`'s order. */
export const POWER_COMMANDS: readonly Command[] = [
  {
    name: ".sleep",
    usage: "S1|S2|S3|S4",
    help: "put the machine to sleep (S1-S3) or hibernate it (S4); a driver may veto",
    group: "power",
    changes: true,
    complete: (_host, rest) => ["S1", "S2", "S3", "S4"].filter((s) => s.startsWith(rest.trim())),
    run(host, arg) {
      if (!/^S[1-4]$/.test(arg)) return "Usage: .sleep S1|S2|S3|S4";
      const status = host.machineVerb("sleep", [arg]) as number;
      const m = host.live;
      if (m.powerState === arg) return `Asleep in ${arg}`;
      const veto = [...m.trace].reverse().find((e) => e.kind === "info" && e.what === "power veto");
      const d = veto?.kind === "info" ? veto.detail as Record<string, unknown> : {};
      return `Sleep vetoed (${ntStatusName(status)})${d.driver ? ` by ${String(d.driver)}` : ""}${
        d.instance ? ` for ${String(d.instance)}` : ""
      }; the machine stays in S0`;
    },
  },
  {
    name: ".wake",
    usage: "[device]",
    help: "wake the machine (by a device's wake signal: its armed IRP_MN_WAIT_WAKE completes)",
    group: "power",
    changes: true,
    run(host, arg) {
      const device = arg ? host.findDevice(arg) : undefined;
      if (arg && !device) return host.noDevice(arg);
      const status = host.machineVerb("wake", [device ? { by: device } : {}]) as number;
      return `${host.live.powerState === "S0" ? "Awake" : "Still asleep"} (${
        ntStatusName(status)
      })`;
    },
  },
  {
    name: ".shutdown",
    usage: "",
    help: "shut the machine down (IRP_MJ_SHUTDOWN, then S5); .reboot starts it again",
    group: "power",
    changes: true,
    run(host) {
      const status = host.machineVerb("shutdown", []) as number;
      return `Shut down (${ntStatusName(status)}): .reboot starts it again`;
    },
  },
  {
    name: "!podev",
    usage: "<device>",
    help: "a device's stack with each device object's power state, and its pending power IRPs",
    group: "power",
    run(host, arg) {
      const name = arg.replace(/^"|"$/g, "");
      if (!name) return "Usage: !podev <instance ID or device name>";
      const device = host.findDevice(name);
      if (!device) return host.noDevice(name);
      const info = host.machine.podev(device);
      if (!info) return host.noDevice(name);
      return [
        `Device power for ${info.instanceId || String(device)} (system ${info.systemState})`,
        "  !DevObj                 !DrvObj                    Role    CurrentDevicePowerState",
        ...info.stack.map((d) =>
          `  ${d.device.padEnd(24)}${d.driver.padEnd(27)}${d.role.padEnd(8)}${d.powerState}` +
          (d.flags.length ? `  ${d.flags.join(" | ")}` : "")
        ),
        info.pending.length ? "  Pending power IRPs:" : "  No power IRP pending",
        ...info.pending.map((p) =>
          `    IRP#${p.irp} ${p.minor}(${p.powerState}) held by ${p.heldBy}`
        ),
      ].join("\n");
    },
  },
  {
    name: "!poaction",
    usage: "",
    help: "the system power transition in progress (else the last one)",
    group: "power",
    run(host) {
      const m = host.machine;
      const a = m.powerAction;
      if (!a) return `No power action yet (system ${m.powerState})`;
      return [
        `${
          a.inProgress ? "Power action in progress" : "Last power action"
        }: ${a.action} to ${a.target}`,
        `  Phase: ${a.phase}  Stacks queried: ${a.queried}${
          a.instance ? `  Current/last stack: ${a.instance}` : ""
        }`,
        ...(a.status ? [`  Result: ${a.status}`] : []),
        `  System power state: ${m.powerState}`,
      ].join("\n");
    },
  },
];
