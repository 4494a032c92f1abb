/**
 * One-line text for trace events: what failure messages quote, what `.trace` in the REPL and
 * `--trace` in the scenario runner print.
 *
 * @module
 */
import { ntStatusName } from "../ntstatus.ts";
import { argumentName } from "./names.ts";
import type { TraceEvent } from "./trace.ts";

function json(v: unknown): string {
  return v === undefined ? "undefined" : JSON.stringify(v);
}

/**
 * An event's details as people read them, not as JSON: `safeMode=false profile="0001"`. Texts are
 * quoted only when they hold a space or a quote, a status number shows its name, a list is
 * bracketed and a nested object braced.
 *
 * @example
 * ```ts
 * import { detailText } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(detailText({ safeMode: false, profile: "0001", status: 0xc0000022 }), "safeMode=false profile=0001 status=STATUS_ACCESS_DENIED");
 * ```
 */
export function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail).filter(([, v]) => v !== undefined).map(([k, v]) =>
    `${k}=${valueText(v, /status/i.test(k))}`
  ).join(" ");
}

/** Registry data as regedit's users read it: a string in quotes (backslashes as they are), a list bracketed. */
function regDataText(data: unknown): string {
  if (typeof data === "string") return `"${data}"`;
  if (Array.isArray(data)) return `[${data.map(regDataText).join(", ")}]`;
  return valueText(data);
}

function valueText(v: unknown, isStatus = false): string {
  if (typeof v === "string") return v === "" || /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  if (typeof v === "number") return isStatus ? ntStatusName(v) : String(v);
  if (Array.isArray(v)) return `[${v.map((x) => valueText(x)).join(", ")}]`;
  if (v && typeof v === "object") return `{${detailText(v as Record<string, unknown>)}}`;
  return String(v);
}

/**
 * The parameter that tells IRPs of one minor function apart, as the trace records it:
 * QUERY_DEVICE_RELATIONS' relation type, QUERY_ID's ID type, QUERY_DEVICE_TEXT's text type, an
 * IOCTL's code, a power IRP's state (`SystemPowerState S3`); undefined for the others.
 *
 * @example
 * ```ts
 * import { irpParameter } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(irpParameter({ params: { Type: "BusRelations" } }), "BusRelations");
 * ```
 */
export function irpParameter(
  e: { params?: Record<string, unknown>; powerState?: string },
): unknown {
  const p = e.params;
  return e.powerState ?? p?.Type ?? p?.IdType ?? p?.DeviceTextType ?? p?.IoControlCode;
}

/** A routine's arguments: numbers with WDK names show the name (`KEY_READ`), others as JSON. */
function args(routine: string, values: Record<string, unknown>): string {
  return Object.entries(values).map(([p, v]) => argumentName(routine, p, v) ?? json(v)).join(", ");
}

/**
 * A trace event as one line: `#42 t3 toaster!DispatchPnp  irp  IRP_MN_START_DEVICE -> \Device\00000002 (PDO busenum)`.
 *
 * @example
 * ```ts
 * import { formatEvent } from "./format.ts";
 * import assert from "node:assert/strict";
 * const line = formatEvent({ seq: 1, time: 0, caller: "host", kind: "info", what: "boot" });
 * assert.match(line, /boot/);
 * ```
 */
export function formatEvent(e: TraceEvent): string {
  const head = `#${e.seq} t${e.time} ${e.caller.padEnd(28)} `;
  switch (e.kind) {
    case "call":
      return head + `call ${e.routine}(${args(e.routine, e.args)})` +
        (e.statusName
          ? ` = ${e.statusName}`
          : e.result !== undefined
          ? ` = ${
            e.result && typeof e.result === "object" && !Array.isArray(e.result)
              ? detailText(e.result as Record<string, unknown>)
              : valueText(e.result)
          }`
          : "");
    case "irp":
      return head +
        (e.phase === "dispatch"
          ? `irp  ${e.minor ?? e.major}${e.powerState ? `(${e.powerState})` : ""} -> ${e.device}`
          : `irp  ${e.minor ?? e.major}${
            e.powerState ? `(${e.powerState})` : ""
          } completed by ${e.device}: ${e.statusName}`) +
        (e.params ? ` ${detailText(e.params)}` : "") + (e.instance ? `  [${e.instance}]` : "");
    case "reg":
      return head + `reg  ${e.op} ${e.path}` + (e.name !== undefined ? ` "${e.name}"` : "") +
        (e.type ? ` ${e.type} ${regDataText(e.data)}` : "") + (e.volatile ? " (volatile)" : "");
    case "notify":
      return head + `notify ${e.eventName} -> ${e.target}` +
        (e.symbolicLinkName ? ` ${e.symbolicLinkName}` : "") +
        (e.instance ? ` [${e.instance}]` : "") + (e.statusName ? ` = ${e.statusName}` : "") +
        (e.note ? ` (${e.note})` : "");
    case "state":
      return head + `state ${e.instance}: ${e.from} -> ${e.to}` +
        (e.problem ? ` (${e.problem})` : "");
    case "bugcheck":
      return head +
        `BUGCHECK 0x${e.code.toString(16).toUpperCase()} ${e.name} (${
          e.parameters.map((p) => "0x" + p.toString(16)).join(", ")
        }): ${e.message}`;
    case "finding":
      return head + `verifier ${e.rule} (${e.severity}): ${e.message}`;
    case "app":
      return head + `app:${e.app} ${e.action}` + (e.detail ? ` ${detailText(e.detail)}` : "");
    case "info":
      return head + `${e.what}` + (e.detail ? ` ${detailText(e.detail)}` : "");
  }
}

/** Several events as lines, the last `limit` of them. */
export function formatTrace(events: readonly TraceEvent[], limit = Infinity): string {
  const slice = limit === Infinity ? events : events.slice(-limit);
  return slice.map(formatEvent).join("\n");
}
