/**
 * One IRP as WinDbg's `!irp` shows it: every stack location (major and minor function, the device
 * and driver, the parameters, the completion routine with its invoke flags and pending-returned),
 * the current one marked with `>`, and the I/O status. Only an IRP still in flight has its stack
 * locations (a debugger break inside a dispatch or completion routine); a completed one is told from
 * the trace instead (`renderIrp` in text.ts).
 *
 * @module
 */
import { IRP_MJ_NAMES, IRP_MN_NAMES } from "../constants.ts";
import {
  describeParameters,
  type IO_STACK_LOCATION,
  type Irp,
  SL_INVOKE_ON_CANCEL,
  SL_INVOKE_ON_ERROR,
  SL_INVOKE_ON_SUCCESS,
  SL_PENDING_RETURNED,
} from "../io/objects.ts";
import { ntStatusName } from "../ntstatus.ts";

const hex = (n: number, width = 0) => n.toString(16).padStart(width, "0");

/** `[IRP_MJ_PNP(1b), IRP_MN_START_DEVICE(0)]`, WinDbg's heading of a stack location. */
function functionText(loc: IO_STACK_LOCATION): string {
  if (!loc.DeviceObject && loc.MajorFunction === 0 && loc.MinorFunction === 0) {
    return "[N/A(0), N/A(0)]";
  }
  const major = IRP_MJ_NAMES[loc.MajorFunction] ?? "IRP_MJ_?";
  const minor = loc.MajorFunction === 0x1b ? IRP_MN_NAMES[loc.MinorFunction] ?? "IRP_MN_?" : "N/A";
  return `[${major}(${hex(loc.MajorFunction)}), ${minor}(${hex(loc.MinorFunction)})]`;
}

/** The completion routine of location `index`, named after the driver whose location is above it. */
function completionText(irp: Irp, index: number): string {
  const loc = irp.stack[index]!;
  if (!loc.CompletionRoutine) return "";
  const owner = irp.stack[index + 1]?.DeviceObject?.DriverObject.name ?? "?";
  const name = loc.CompletionRoutine.name || "CompletionRoutine";
  const when = [
    loc.Control & SL_INVOKE_ON_SUCCESS ? "Success" : "",
    loc.Control & SL_INVOKE_ON_ERROR ? "Error" : "",
    loc.Control & SL_INVOKE_ON_CANCEL ? "Cancel" : "",
  ].filter(Boolean).join(" ");
  return `${owner}!${name}  ${when || "(never invoked)"}`;
}

/**
 * An IRP in flight, location by location, lowest first as WinDbg lists them.
 *
 * @example
 * ```ts
 * import { Irp } from "../io/objects.ts";
 * import { renderIrpStack } from "./irp.ts";
 * import assert from "node:assert/strict";
 * const irp = new Irp(2, 7, 0xC00000BB);
 * assert.match(renderIrpStack(irp), /^Irp #7 is active with 2 stacks 3 is current/);
 * ```
 */
export function renderIrpStack(irp: Irp): string {
  const rows = [
    `Irp #${irp.id} is active with ${irp.StackCount} stacks ${irp.CurrentLocation} is current` +
    (irp.CurrentLocation > irp.StackCount ? " (not yet sent to a driver)" : ""),
    ` IoStatus.Status = ${ntStatusName(irp.IoStatus.Status)} (0x${
      hex(irp.IoStatus.Status >>> 0, 8).toUpperCase()
    }), Information = ${informationText(irp.IoStatus.Information)}` +
    (irp.PendingReturned ? ", PendingReturned" : ""),
    "     cmd  flg cl Device   Completion",
  ];
  for (let i = 1; i <= irp.StackCount; i++) {
    const loc = irp.stack[i]!;
    const mark = i === irp.CurrentLocation ? ">" : " ";
    rows.push(`${mark}${functionText(loc)}`);
    const params = describeParameters(loc);
    const device = loc.DeviceObject ? String(loc.DeviceObject) : "(none)";
    const pending = loc.Control & SL_PENDING_RETURNED ? " pending" : "";
    const completion = completionText(irp, i);
    rows.push(
      `            0 ${hex(loc.Control, 2).padStart(2)} ${device}${
        completion ? `  ${completion}` : ""
      }${pending}`,
    );
    if (params) {
      rows.push(
        `\t\t\tArgs: ${Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(" ")}`,
      );
    }
  }
  return rows.join("\n") + "\n";
}

function informationText(info: unknown): string {
  if (info === null || info === undefined) return "0";
  if (typeof info === "number") return `0x${hex(info)}`;
  if (typeof info === "string") return JSON.stringify(info);
  if (Array.isArray(info)) return `[${info.length} entries]`;
  return "(data)";
}
