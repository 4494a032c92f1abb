/**
 * The expectations: each checks the machine or its trace and, when it does not hold, fails with a
 * message that says what was expected and quotes the trace lines that show what happened instead.
 * An expectation settles the machine first (unless its row says not to), never changes it, and a
 * failed one never stops the run.
 *
 * @module
 */
import type { ExpectationSteps } from "./_types.ts";
import {
  CM_PROB_NAMES,
  DEVICE_INTERFACE_INCLUDE_NONACTIVE,
  DN_NAMES,
  PNP_EVENT_GUID_NAMES,
  REG_TYPE_NAMES,
} from "../../lib/constants.ts";
import { NTSTATUS_TABLE, ntStatusName } from "../../lib/ntstatus.ts";
import { DBT } from "../../lib/pnp/usermode.ts";
import { dataEqual } from "../../lib/registry/data.ts";
import { formatEvent } from "../../lib/trace/format.ts";
import type { IrpEvent, NotifyEvent } from "../../lib/trace/trace.ts";
import { ruleNote, type StepContext, StepError } from "./context.ts";
import {
  device,
  DEVNODE_STATES,
  iface,
  IRP_NAMES,
  listener,
  NOTIFICATION_EVENTS,
  verifierRule,
} from "./fields.ts";
import { defineStep } from "./row.ts";

/** A status name or number as a number. */
export function statusValue(s: unknown): number | undefined {
  if (typeof s === "number") return s >>> 0;
  if (typeof s !== "string") return undefined;
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16) >>> 0;
  return NTSTATUS_TABLE.find((x) => x.name === s)?.value;
}

/** `ARRIVAL` → `GUID_DEVICE_INTERFACE_ARRIVAL`, `QUERY_REMOVE` → `GUID_TARGET_DEVICE_QUERY_REMOVE` ... */
export function eventName(short: string): string {
  if (short.startsWith("GUID_")) return short;
  return NOTIFICATION_EVENTS[short] ?? short;
}

/** JSON for comparing results: bigints as strings, byte arrays as number lists. */
function plainJson(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x) => typeof x === "bigint" ? String(x) : x instanceof Uint8Array ? Array.from(x) : x,
  ) ?? "undefined";
}

/** expectArrival and expectRemoval: PnP announced this event for the interface's link. */
function announced(context: StepContext, id: string, name: string): void {
  const link = context.link(id);
  const seen = context.machine.trace.some((e) =>
    e.kind === "notify" && e.eventName === name && e.symbolicLinkName === link
  );
  if (!seen) {
    throw new StepError(
      `Expected PnP to announce ${name} for ${link}, but the trace has none\n` +
        context.excerpt((e) =>
          (e.kind === "notify" || e.kind === "call") &&
          JSON.stringify(e).includes(link.slice(4, 30))
        ),
    );
  }
}

/** expectNotifications and expectNoMore: exactly these events reached the listener since the last check. */
function notified(context: StepContext, id: string, expected: string[]): void {
  const l = context.listener(id);
  const target = `${l.driver.name}!NotificationCallback`;
  const got = context.machine.trace.filter((e): e is NotifyEvent =>
    e.kind === "notify" && e.seq > l.cursor && e.target === target
  );
  const actual = got.map((e) => e.eventName);
  const ok = actual.length === expected.length && actual.every((a, i) => a === expected[i]);
  if (!ok) {
    throw new StepError(
      `Expected listener '${id}' to receive ${
        expected.join(", ") || "nothing more"
      }, but it received ` +
        `${actual.join(", ") || "nothing"}\n` + got.slice(-10).map((e) =>
          "    " + formatEvent(e)
        ).join("\n"),
    );
  }
  l.cursor = got[got.length - 1]?.seq ?? l.cursor;
}

/** The devnode snapshot of a named device: present, or the one its last PDO had. */
function devnodeOf(context: StepContext, id: string) {
  const d = context.devices.get(id);
  if (!d) throw new StepError(`Unknown device '${id}'`);
  return { d, node: context.machine.devnode(d.instanceId) ?? context.machine.devnode(d.pdo) };
}

/** The expectations, in the table's order. */
export const EXPECTATION_STEPS: ExpectationSteps = {
  expectArrival: defineStep({
    doc: "PnP announced GUID_DEVICE_INTERFACE_ARRIVAL for the interface",
    fields: { interface: iface },
    shorthand: "interface",
    expectation: true,
    run(context, step) {
      announced(context, step.interface, "GUID_DEVICE_INTERFACE_ARRIVAL");
    },
  }),
  expectRemoval: defineStep({
    doc: "PnP announced GUID_DEVICE_INTERFACE_REMOVAL for the interface",
    fields: { interface: iface },
    shorthand: "interface",
    expectation: true,
    run(context, step) {
      announced(context, step.interface, "GUID_DEVICE_INTERFACE_REMOVAL");
    },
  }),
  expectIrps: defineStep({
    doc: "These IRPs went to the device's stack, in this order (since the last expectIrps for it)",
    fields: {
      device,
      irps: {
        type: "strings",
        required: true,
        doc: "Minor function names, with or without IRP_MN_ (IRP_MJ_ names for other IRPs)",
        values: IRP_NAMES,
        noun: "IRP",
      },
      exact: {
        type: "boolean",
        doc: "No other IRPs in between (default false: in order, others allowed)",
      },
    },
    expectation: true,
    run(context, step) {
      const id = step.device;
      const instance = context.instanceOf(id);
      const from = context.irpCursor.get(id) ?? 0;
      // Each IRP once, where it first reached the stack (its top), if that was after the cursor.
      const irps: IrpEvent[] = [];
      const seen = new Set<number>();
      for (const e of context.machine.trace) {
        // Power IRPs are expectPowerIrps' (their minor codes share numbers with PnP's).
        if (
          e.kind !== "irp" || e.phase !== "dispatch" || e.instance !== instance ||
          e.major === "IRP_MJ_POWER" || seen.has(e.irp)
        ) continue;
        seen.add(e.irp);
        if (e.seq > from) irps.push(e);
      }
      const expected = step.irps.map((x) => x.startsWith("IRP_M") ? x : `IRP_MN_${x}`);
      // Only PnP IRPs count unless the expectation names other major functions too.
      if (expected.every((x) => x.startsWith("IRP_MN_"))) {
        for (let n = irps.length - 1; n >= 0; n--) {
          if (irps[n]!.minor === undefined) irps.splice(n, 1);
        }
      }
      const actual = irps.map((e) => e.minor ?? e.major);
      let ok: boolean;
      let lastSeq = from;
      if (step.exact) {
        ok = actual.length === expected.length && actual.every((a, i) => a === expected[i]);
        lastSeq = irps[irps.length - 1]?.seq ?? from;
      } else {
        let j = 0;
        for (const e of irps) {
          if (j < expected.length && (e.minor ?? e.major) === expected[j]) {
            j++;
            lastSeq = e.seq;
          }
        }
        ok = j === expected.length;
      }
      if (!ok) {
        throw new StepError(
          `Expected IRPs ${expected.join(", ")}${
            step.exact ? " (exactly)" : " (in order)"
          } for ${instance}, ` +
            `but its stack received: ${actual.join(", ") || "(none)"}\n` +
            irps.slice(-10).map((e) => "    " + formatEvent(e)).join("\n"),
        );
      }
      context.irpCursor.set(id, lastSeq);
    },
  }),
  expectNotifications: defineStep({
    doc: "These events reached the listener, in this order (since the last check)",
    fields: {
      listener,
      events: {
        type: "strings",
        required: true,
        doc: "Event names: ARRIVAL, QUERY_REMOVE, GUID_TARGET_DEVICE_REMOVE_COMPLETE ...",
        values: [...Object.keys(NOTIFICATION_EVENTS), ...Object.values(PNP_EVENT_GUID_NAMES)],
        noun: "notification event",
      },
    },
    expectation: true,
    run(context, step) {
      notified(context, step.listener, step.events.map(eventName));
    },
  }),
  expectMessages: defineStep({
    doc: "These DBT_* messages reached the application, in this order (since the last check)",
    fields: {
      app: { type: "string", required: true, doc: "The application", refers: "application" },
      messages: {
        type: "strings",
        required: true,
        doc: "DBT_DEVICEARRIVAL ...",
        values: Object.keys(DBT),
        noun: "DBT message",
      },
    },
    expectation: true,
    run(context, step) {
      const appName = step.app;
      const app = context.machine.app(appName);
      const from = context.messageCursor.get(appName) ?? 0;
      const actual = app.messages.slice(from).map((x) => x.dbt as string);
      const expected = step.messages;
      const ok = actual.length === expected.length && actual.every((a, i) => a === expected[i]);
      if (!ok) {
        throw new StepError(
          `Expected application '${appName}' to receive ${
            expected.join(", ") || "nothing"
          }, but it received ` +
            `${actual.join(", ") || "nothing"}\n` + context.excerpt((e) =>
              e.kind === "app" && e.app === appName
            ),
        );
      }
      context.messageCursor.set(appName, app.messages.length);
    },
  }),
  expectStatus: defineStep({
    doc: "The last step's NTSTATUS",
    fields: { status: { type: "status", required: true, doc: "A status name or number" } },
    shorthand: "status",
    expectation: true,
    run(context, step) {
      const want = statusValue(step.status);
      if (want === undefined) throw new StepError(`Unknown status '${String(step.status)}'`);
      if (context.lastStatus !== want) {
        throw new StepError(
          `Expected ${ntStatusName(want)}, got ${ntStatusName(context.lastStatus)}\n` +
            context.excerpt(
              (e) => e.kind === "call" || (e.kind === "info" && /veto|fail/.test(e.what)),
              4,
            ),
        );
      }
    },
  }),
  expectRegistry: defineStep({
    doc: "A registry key or value as expected",
    fields: {
      path: { type: "string", required: true, doc: "The key" },
      name: { type: "string", doc: "A value name" },
      type: { type: "regType", doc: "The value's type" },
      data: { type: "data", doc: "The value's data" },
      exists: { type: "boolean", doc: "Whether the key (or value) exists (default true)" },
      volatile: { type: "boolean", doc: "Whether the key is volatile" },
    },
    expectation: true,
    run(context, step) {
      const m = context.machine;
      const path = step.path;
      const exists = step.exists !== false;
      if (step.name === undefined) {
        if (m.registry.exists(path) !== exists) {
          throw new StepError(
            `Expected key '${path}' ${exists ? "to exist" : "not to exist"}${
              context.regExcerpt(path)
            }`,
          );
        }
        if (step.volatile !== undefined && m.registry.isVolatile(path) !== step.volatile) {
          throw new StepError(
            `Expected key '${path}' to be ${step.volatile ? "volatile" : "non-volatile"}`,
          );
        }
        return;
      }
      const v = m.registry.getValue(path, step.name);
      if (!exists) {
        if (v) {
          throw new StepError(
            `Expected no value '${step.name}' in '${path}', found ${
              JSON.stringify(String(v.data))
            }`,
          );
        }
        return;
      }
      if (!v) {
        throw new StepError(
          `Expected value '${step.name}' in '${path}', but there is none${
            context.regExcerpt(path)
          }`,
        );
      }
      if (step.type !== undefined && v.type !== context.regType(step.type)) {
        throw new StepError(
          `Expected '${step.name}' to be ${String(step.type)}, it is ${REG_TYPE_NAMES[v.type]}`,
        );
      }
      if (step.data !== undefined && !dataEqual(v.data, context.data(step.data, v.type))) {
        throw new StepError(
          `Expected '${step.name}' = ${JSON.stringify(step.data)}, it is ${
            JSON.stringify(typeof v.data === "bigint" ? String(v.data) : v.data)
          }`,
        );
      }
    },
  }),
  expectState: defineStep({
    doc: "A device's PnP state (Started, Removed, SurpriseRemoved, Absent ...) and problem code",
    fields: {
      device,
      state: {
        type: "string",
        required: true,
        doc: "The state",
        values: Object.keys(DEVNODE_STATES),
        noun: "PnP state",
      },
      problem: {
        type: "string",
        doc: "CM_PROB_* name, or none",
        values: [...Object.values(CM_PROB_NAMES), "none"],
        noun: "problem",
      },
      status: {
        type: "strings",
        values: Object.values(DN_NAMES),
        doc: "DN_* flags CM_Get_DevNode_Status must report (DN_STARTED, DN_NO_SHOW_IN_DM ...)",
        noun: "devnode status flag",
      },
      notStatus: {
        type: "strings",
        values: Object.values(DN_NAMES),
        doc: "DN_* flags it must not report",
        noun: "devnode status flag",
      },
    },
    expectation: true,
    run(context, step) {
      const { d, node } = devnodeOf(context, step.device);
      const state = node?.state ?? "Absent";
      const problem = node?.problem ? CM_PROB_NAMES[node.problem] ?? String(node.problem) : "none";
      const wantProblem = step.problem;
      if (state !== step.state || (wantProblem !== undefined && wantProblem !== problem)) {
        throw new StepError(
          `Expected ${d.instanceId} to be ${step.state}${
            wantProblem ? ` (${wantProblem})` : ""
          }, it is ${state} (${problem})\n` +
            context.excerpt((e) => e.kind === "state" && e.instance === d.instanceId, 6),
        );
      }
      const flags = node?.statusFlags ?? [];
      const missing = (step.status ?? []).filter((f) => !flags.includes(f));
      const extra = (step.notStatus ?? []).filter((f) => flags.includes(f));
      if (missing.length || extra.length) {
        throw new StepError(
          `Expected ${d.instanceId}'s status ${
            [
              ...(missing.length ? [`to have ${missing.join(", ")}`] : []),
              ...(extra.length ? [`not to have ${extra.join(", ")}`] : []),
            ].join(" and ")
          }; CM_Get_DevNode_Status reports ${flags.join(" | ") || "nothing"}\n` +
            context.excerpt((e) => e.kind === "info" && e.what === "PNP_DEVICE_STATE", 4),
        );
      }
    },
  }),
  expectBugCheck: defineStep({
    doc: "The machine stopped with this bug check",
    fields: {
      code: { type: "number", required: true, doc: "The code, e.g. 0xCA" },
      parameter1: { type: "number", doc: "Bug check parameter 1" },
    },
    shorthand: "code",
    expectation: true,
    // The bug check is what the previous step left: there is nothing to settle.
    settlesFirst: false,
    run(context, step) {
      const code = Number(step.code);
      const b = context.bugCheck;
      if (
        !b || b.code !== code ||
        (step.parameter1 !== undefined && b.parameters[0] !== Number(step.parameter1))
      ) {
        throw new StepError(
          `Expected bug check 0x${code.toString(16).toUpperCase()}${
            step.parameter1 !== undefined
              ? ` with parameter 1 = 0x${Number(step.parameter1).toString(16)}`
              : ""
          }, ${b ? `got ${b.message}` : "but the machine is running"}`,
        );
      }
      context.bugCheckExpected = true;
    },
  }),
  expectNoMore: defineStep({
    doc: "No further events reached the listener since the last check",
    fields: { listener },
    shorthand: "listener",
    expectation: true,
    run(context, step) {
      notified(context, step.listener, []);
    },
  }),
  expectInterfaces: defineStep({
    doc: "IoGetDeviceInterfaces for a class lists this many interfaces",
    fields: {
      guid: { type: "guid", required: true, doc: "The class" },
      count: { type: "number", required: true, doc: "How many" },
      includeNonActive: { type: "boolean", doc: "DEVICE_INTERFACE_INCLUDE_NONACTIVE" },
    },
    expectation: true,
    run(context, step) {
      const r = context.machine.kernel.IoGetDeviceInterfaces(
        context.guid(step.guid),
        null,
        step.includeNonActive ? DEVICE_INTERFACE_INCLUDE_NONACTIVE : 0,
      );
      const list = r.symbolicLinkList ?? [];
      if (list.length !== Number(step.count)) {
        throw new StepError(
          `Expected ${step.count} interface(s) of ${step.guid}, IoGetDeviceInterfaces lists ${list.length}: ${
            list.join(", ") || "(none)"
          }`,
        );
      }
    },
  }),
  expectFinding: defineStep({
    doc: "The verifier reported this rule",
    fields: { rule: verifierRule },
    shorthand: "rule",
    expectation: true,
    run(context, step) {
      const m = context.machine;
      const rule = step.rule;
      if (!m.verifier.findings.some((f) => f.rule === rule)) {
        const stop = context.bugCheck?.rule === rule
          ? `\n  The rule stopped the machine instead (verifier mode '${m.verifier.mode}'): ${context.bugCheck.message}`
          : "";
        throw new StepError(
          `Expected a verifier finding '${rule}', the findings are: ${
            m.verifier.findings.map((f) => f.rule).join(", ") || "(none)"
          }${stop}\n${ruleNote(rule)}`,
        );
      }
    },
  }),
  expectNoFinding: defineStep({
    doc: "The verifier has not reported this rule: no finding, and no bug check for it",
    fields: { rule: verifierRule },
    shorthand: "rule",
    expectation: true,
    run(context, step) {
      const m = context.machine;
      const rule = step.rule;
      const found = m.verifier.findings.filter((f) => f.rule === rule);
      const stops = m.trace.filter((e) => e.kind === "bugcheck" && e.rule === rule);
      if (found.length || stops.length) {
        const lines = [
          ...found.map((f) => `    ${f.message}`),
          ...stops.map((e) => "    " + formatEvent(e)),
        ];
        throw new StepError(
          `Expected no verifier finding '${rule}', but the verifier reported it:\n` +
            lines.join("\n") + `\n${ruleNote(rule)}`,
        );
      }
    },
  }),
  expectHang: defineStep({
    doc:
      "The previous step never finished: the model found a deadlock or an IRP nobody completes (Windows would hang)",
    fields: {},
    expectation: true,
    // Settling would run on from where the previous step hung.
    settlesFirst: false,
    run(context) {
      if (!context.hang) {
        throw new StepError(
          "Expected the previous step to hang (a deadlock or an IRP nobody completes), but it finished",
        );
      }
      context.hang = null;
    },
  }),
  expectStack: defineStep({
    doc: "The device's stack now, from the top down to the PDO, by driver (service) name",
    fields: {
      device,
      drivers: {
        type: "strings",
        required: true,
        doc: "Driver names, top first, ending with the PDO's (bus) driver",
      },
    },
    expectation: true,
    run(context, step) {
      const { d, node } = devnodeOf(context, step.device);
      const actual = (node?.stack ?? []).map((s) => s.driver.replace(/^\\Driver\\/i, ""));
      const expected = step.drivers.map((s) => s.replace(/^\\Driver\\/i, ""));
      const ok = actual.length === expected.length &&
        actual.every((a, i) => a.toLowerCase() === expected[i]!.toLowerCase());
      if (!ok) {
        throw new StepError(
          `Expected the stack of ${d.instanceId} (top first) to be ${expected.join(" > ")}, ` +
            `it is ${actual.join(" > ") || "(no stack)"}\n` +
            context.excerpt(
              (e) => e.kind === "call" && e.routine === "IoAttachDeviceToDeviceStack",
              6,
            ),
        );
      }
    },
  }),
  expectResult: defineStep({
    doc: "An out-parameter of an earlier call (by the call's id), e.g. `q.resultLength`",
    fields: {
      result: {
        type: "string",
        required: true,
        doc: "The call's id, a dot, and the field (`q.resultLength`, `a.aliasSymbolicLinkName`)",
        refers: "result",
      },
      data: { type: "data", doc: "The value it should have", resolvesNames: true },
      exists: {
        type: "boolean",
        doc: "Whether the routine set it at all (default true; false: nothing was written)",
      },
    },
    expectation: true,
    run(context, step) {
      const path = step.result;
      const dot = path.indexOf(".");
      const id = dot > 0 ? path.slice(0, dot) : path;
      if (!context.results.has(id)) {
        throw new StepError(
          `No call named '${id}'${context.suggest(context.results.keys())} (give the call an id)`,
        );
      }
      let value: unknown = context.results.get(id);
      for (const field of dot > 0 ? path.slice(dot + 1).split(".") : []) {
        value = value && typeof value === "object"
          ? (value as Record<string, unknown>)[field]
          : undefined;
      }
      const exists = step.exists !== false;
      if (!exists) {
        if (value !== undefined) {
          throw new StepError(
            `Expected the call to leave '${path}' unset, it is ${plainJson(value)}`,
          );
        }
        return;
      }
      if (value === undefined) {
        throw new StepError(
          `Expected '${path}' to be set, but the call left it unset (status ${
            ntStatusName(context.statusOf(context.results.get(id)))
          })`,
        );
      }
      if (step.data !== undefined && plainJson(value) !== plainJson(context.arg(step.data))) {
        throw new StepError(
          `Expected '${path}' = ${plainJson(step.data)}, it is ${plainJson(value)}`,
        );
      }
    },
  }),
};
