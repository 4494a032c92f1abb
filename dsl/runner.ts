/**
 * The one runner both front ends use: executes steps on a machine, keeps the names scenarios give
 * devices, interfaces, listeners, applications and handles, and checks expectations against the
 * trace, collecting failures (each quoting the trace lines that matter) instead of throwing.
 *
 * @module
 */
import { BugCheck } from "../lib/bugcheck.ts";
import {
  CM_PROB_NAMES,
  DEVICE_INTERFACE_INCLUDE_NONACTIVE,
  EventCategoryDeviceInterfaceChange,
  EventCategoryHardwareProfileChange,
  EventCategoryTargetDeviceChange,
  GUID_HWPROFILE_QUERY_CHANGE,
  GUID_TARGET_DEVICE_QUERY_REMOVE,
  GUID_TARGET_DEVICE_REMOVE_CANCELLED,
  GUID_TARGET_DEVICE_REMOVE_COMPLETE,
  PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
  REG_TYPE_NAMES,
} from "../lib/constants.ts";
import { exampleMachine, sampleDrivers } from "../lib/examples/example_machine.ts";
import type { DeviceObject, DriverObject, DriverSpec, FileObject } from "../lib/io/objects.ts";
import { boot, type BootOptions, type Machine } from "../lib/machine.ts";
import {
  NT_SUCCESS,
  NTSTATUS_TABLE,
  ntStatusName,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../lib/ntstatus.ts";
import type { Handle } from "../lib/ob/handles.ts";
import type { NotificationEntry, NotificationStructure } from "../lib/pnp/notify.ts";
import { PnpHangError } from "../lib/pnp/pnpmgr.ts";
import { RunawayQueueError } from "../lib/ke/queue.ts";
import { dataEqual, type RegData } from "../lib/registry/data.ts";
import { formatEvent } from "../lib/trace/format.ts";
import { ruleNamed } from "../lib/verifier/rules.ts";
import type { IrpEvent, NotifyEvent, TraceEvent } from "../lib/trace/trace.ts";
import {
  devpkey,
  DEVPROP_TYPE,
  LOCALE_NEUTRAL,
  PLUGPLAY_PROPERTY_PERSISTENT,
  type PropertyData,
  propertySize,
} from "../lib/pnp/properties.ts";
import { declarativeDriver, type DriverDecl } from "./drivers.ts";
import * as constants from "../lib/constants.ts";
import * as statuses from "../lib/ntstatus.ts";
import { resolveGuid } from "./guids.ts";
import {
  KERNEL_ROUTINES,
  NOTIFICATION_EVENTS,
  type ScenarioData,
  type Step,
  STEP_DEFINITIONS,
} from "./steps.ts";

/** One failure: what was expected, what the trace shows, and where the step was written. */
export interface Failure {
  /** What was expected and what the trace shows instead. */
  message: string;
  /** The failed step's number, from 1; absent for a failure at boot or at the end. */
  step?: number;
  /** The scenario file the step was written in. */
  file?: string;
  /** The step's line in that file, from 1. */
  line?: number;
  /** The step's column in that line, from 1. */
  column?: number;
}

/** The outcome of a scenario. */
export interface ScenarioResult {
  /** The scenario's title. */
  title: string;
  /** Whether every step and expectation held (no failures). */
  passed: boolean;
  /** Every failure, in the order they happened. */
  failures: Failure[];
  /** The machine's trace, boot included. */
  trace: TraceEvent[];
  /** The step (from 1) whose failure stopped the run: the steps after it did not run. */
  stoppedAt?: number;
}

/** How a runner treats a failed step. */
export interface RunnerOptions {
  /**
   * After an action or setup step fails (it threw, or hung without an expectHang after it), skip
   * the steps after it: they would run on a machine the scenario did not set up and report
   * failures that only follow from the first. A failed expectation never stops the run.
   * Default false (the REPL and the fluent DSL go on after a failure).
   */
  stopAfterFailedAction?: boolean;
}

/** A kernel listener the scenario registered. */
interface Listener {
  driver: DriverObject;
  entry: NotificationEntry | null;
  cursor: number;
  file: FileObject | null;
}

/**
 * WDK constant names a scenario may use as arguments (lib/constants.ts and lib/ntstatus.ts).
 *
 * @example
 * ```ts
 * import { WDK_CONSTANTS } from "./runner.ts";
 * import assert from "node:assert/strict";
 * assert.equal(WDK_CONSTANTS.STATUS_SUCCESS, 0);
 * ```
 */
export const WDK_CONSTANTS: Readonly<Record<string, unknown>> = { ...constants, ...statuses };

/** Thrown inside the runner to stop the current step with a failure message. */
class StepError extends Error {}

/** The boot options of a scenario. */
export function bootFor(data: ScenarioData["boot"]): Machine {
  const { example, ...rest } = data ?? {};
  const options: BootOptions = {};
  if (rest.hardwareProfiles) options.hardwareProfiles = rest.hardwareProfiles;
  if (rest.currentProfile) options.currentProfile = rest.currentProfile;
  if (rest.safeMode !== undefined) options.safeMode = rest.safeMode;
  if (rest.verifier) options.verifier = rest.verifier;
  if (rest.includeExistingDuplicates) {
    options.includeExistingDuplicates = rest.includeExistingDuplicates;
  }
  return example ? exampleMachine(options) : boot(options);
}

/** Runs steps on one machine, one at a time. */
export class Runner {
  /** The machine. */
  machine: Machine;
  /** Every step run so far (the REPL saves these). */
  readonly steps: Step[] = [];
  /** Failures so far. */
  readonly failures: Failure[] = [];
  /** The last step's NTSTATUS. */
  lastStatus: number = STATUS_SUCCESS;
  readonly #devices = new Map<string, { instanceId: string; pdo: DeviceObject }>();
  readonly #interfaces = new Map<string, string>();
  readonly #listeners = new Map<string, Listener>();
  readonly #handles = new Map<string, Handle>();
  readonly #irpCursor = new Map<string, number>();
  readonly #messageCursor = new Map<string, number>();
  readonly #results = new Map<string, unknown>();
  #bugCheck: BugCheck | null = null;
  #bugCheckExpected = false;
  /** A step that hung (PnpHangError), until the next step says whether that was expected. */
  #hang: { step: Step; index: number; message: string } | null = null;
  #passthru: DriverSpec | null = null;
  #autoId = 0;
  readonly #stopAfterFailedAction: boolean;
  /** The failed action that stopped the run, and the steps skipped since. */
  #stopped: { index: number; skipped: { index: number; step: Step }[] } | null = null;

  /** Creates a runner on a machine. */
  constructor(machine: Machine, options: RunnerOptions = {}) {
    this.machine = machine;
    this.#stopAfterFailedAction = options.stopAfterFailedAction === true;
  }

  /** The names the scenario has given, for completion and messages. */
  get names(): { devices: string[]; interfaces: string[]; listeners: string[]; handles: string[] } {
    return {
      devices: [...this.#devices.keys()],
      interfaces: [...this.#interfaces.keys()],
      listeners: [...this.#listeners.keys()],
      handles: [...this.#handles.keys()],
    };
  }

  /** The result a `call` step stored under a name. */
  result(id: string): unknown {
    return this.#results.get(id);
  }

  /** A fresh name (`d1`, `d2` ...) for the fluent DSL. */
  nextId(prefix: string): string {
    return `${prefix}${++this.#autoId}`;
  }

  /** The PDO of a named device (present, or the last one it had). */
  pdo(id: string): DeviceObject {
    const d = this.#devices.get(id);
    if (!d) throw new StepError(`Unknown device '${id}'${this.#suggest(id, this.#devices.keys())}`);
    return this.machine.device(d.instanceId) ?? d.pdo;
  }

  /** The instance ID of a named device. */
  instanceOf(id: string): string {
    this.pdo(id);
    return this.#devices.get(id)!.instanceId;
  }

  /** The symbolic link of a named interface. */
  link(id: string): string {
    const l = this.#interfaces.get(id);
    if (!l) {
      throw new StepError(`Unknown interface '${id}'${this.#suggest(id, this.#interfaces.keys())}`);
    }
    return l;
  }

  #suggest(_name: string, known: Iterable<string>): string {
    const list = [...known];
    return list.length ? ` (known: ${list.join(", ")})` : "";
  }

  /** Runs one step: actions change the machine, expectations check the trace. Never throws for a failed expectation. */
  run(step: Step): void {
    this.steps.push(step);
    const index = this.steps.length;
    if (this.#hang && step.step !== "expectHang") {
      const hung = this.#hang.index;
      this.#unexpectedHang();
      this.#stopAfter(hung);
    }
    if (this.#stopped) {
      this.#stopped.skipped.push({ index, step });
      return;
    }
    try {
      // A stopped machine runs nothing; only the reboot, pulling hardware and expectations go on.
      if (this.#bugCheck && !["expectBugCheck", "reboot", "unplug"].includes(step.step)) {
        if (!step.step.startsWith("expect")) return;
      }
      this.#run(step);
    } catch (e) {
      if (e instanceof BugCheck) {
        this.#bugCheck = e;
        this.lastStatus = STATUS_UNSUCCESSFUL;
        return;
      }
      if (e instanceof PnpHangError && !step.step.startsWith("expect")) {
        // A hang is a failure unless the next step is expectHang.
        this.#hang = { step, index, message: e.message };
        return;
      }
      const message =
        e instanceof StepError || e instanceof TypeError || e instanceof PnpHangError ||
          e instanceof RunawayQueueError
          ? e.message
          : `The step raised ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
      this.fail(step, index, message);
      if (STEP_DEFINITIONS[step.step]?.expectation !== true) this.#stopAfter(index);
    }
  }

  /** An action failed: with `stopAfterFailedAction`, the steps after it are skipped. */
  #stopAfter(index: number): void {
    if (this.#stopAfterFailedAction && !this.#stopped) this.#stopped = { index, skipped: [] };
  }

  /** Records a failure for a step. */
  fail(step: Step, index: number, message: string): void {
    this.failures.push({
      message: `Step ${index} (${step.step}): ${message}`,
      step: index,
      ...(step.source?.file ? { file: step.source.file } : {}),
      ...(step.source?.line ? { line: step.source.line, column: step.source.column ?? 1 } : {}),
    });
  }

  #unexpectedHang(): void {
    const h = this.#hang!;
    this.#hang = null;
    this.fail(h.step, h.index, h.message);
  }

  /** Finishes: settles, and reports an unexpected bug check. */
  finish(title: string): ScenarioResult {
    if (this.#hang) this.#unexpectedHang();
    const skipped = this.#stopped?.skipped ?? [];
    if (skipped.length) {
      // Once, where the first skipped step was written.
      const first = skipped[0]!;
      const last = skipped[skipped.length - 1]!;
      const source = first.step.source;
      this.failures.push({
        message: `${
          skipped.length === 1 ? `Step ${first.index}` : `Steps ${first.index}-${last.index}`
        } skipped: step ${this.#stopped!.index} failed`,
        ...(source?.file ? { file: source.file } : {}),
        ...(source?.line ? { line: source.line, column: source.column ?? 1 } : {}),
      });
    }
    try {
      if (!this.machine.halted) this.machine.settle();
    } catch (e) {
      if (e instanceof BugCheck) this.#bugCheck = e;
      else this.failures.push({ message: `Settling at the end raised ${(e as Error).message}` });
    }
    if (this.#bugCheck && !this.#bugCheckExpected) {
      this.failures.push({
        message: `The machine stopped with an unexpected bug check: ${this.#bugCheck.message}\n` +
          ruleNote(this.#bugCheck.rule) +
          this.#excerpt((e) => e.kind === "bugcheck" || e.kind === "call", 6),
      });
    }
    return {
      title,
      passed: this.failures.length === 0,
      failures: [...this.failures],
      trace: this.machine.trace,
      ...(this.#stopped ? { stoppedAt: this.#stopped.index } : {}),
    };
  }

  #excerpt(filter: (e: TraceEvent) => boolean, n = 8): string {
    const lines = this.machine.trace.filter(filter).slice(-n).map((e) => "    " + formatEvent(e));
    return lines.length ? "  trace:\n" + lines.join("\n") : "  (nothing relevant in the trace)";
  }

  #status(s: number): void {
    this.lastStatus = s >>> 0;
  }

  #run(step: Step): void {
    const m = this.machine;
    const str = (k: string) => step[k] as string;
    switch (step.step) {
      case "sampleDriver": {
        const spec = sampleDrivers[str("name")];
        if (!spec) throw new StepError(`Unknown sample driver '${str("name")}'`);
        m.loadDriver(spec);
        return;
      }
      case "driver": {
        const { step: _s, source: _src, hooks, ...decl } = step as Step & {
          hooks?: Partial<DriverSpec>;
        };
        const d = decl as unknown as DriverDecl;
        // GUID names and REG_* type names become values here, as they do in every other step.
        const params = d.deviceParameters
          ? Object.fromEntries(
            Object.entries(d.deviceParameters).map(([name, v]) => {
              const type = this.#regType(v.type);
              return [name, { type, data: this.#data(v.data, type) }];
            }),
          )
          : undefined;
        const spec = declarativeDriver(
          {
            ...d,
            ...(d.interfaces ? { interfaces: d.interfaces.map((g) => this.#guid(g)) } : {}),
            ...(d.classGuid ? { classGuid: this.#guid(d.classGuid) } : {}),
            ...(d.watchInterfaces
              ? { watchInterfaces: d.watchInterfaces.map((g) => this.#guid(g)) }
              : {}),
            ...(d.reportOnArrival ? { reportOnArrival: this.#guid(d.reportOnArrival) } : {}),
            ...(params ? { deviceParameters: params } : {}),
          },
          hooks ?? {},
        );
        m.loadDriver(spec);
        m.settle();
        return;
      }
      case "plugIn": {
        const hardwareIds = (step.hardwareIds as string[] | undefined) ??
          (step.hardwareId ? [str("hardwareId")] : undefined);
        if (!hardwareIds?.length) throw new StepError("plugIn needs hardwareIds or hardwareId");
        const spec: Record<string, unknown> = { hardwareIds };
        for (
          const k of [
            "compatibleIds",
            "deviceId",
            "instanceId",
            "uniqueId",
            "rawDeviceOk",
            "description",
            "location",
            "removable",
            "ejectSupported",
            "surpriseRemovalOk",
            "dockDevice",
            "dockedProfile",
            "undockedProfile",
          ]
        ) if (step[k] !== undefined) spec[k] = step[k];
        if (typeof step.driver === "string") {
          // The scenario picks the driver, as an INF naming this hardware ID would.
          // A driver that is not installed yet leaves the device without one (CM_PROB_FAILED_INSTALL).
          const chosen = m._sys.io.driver(step.driver);
          const ids = chosen ? (chosen.spec.hardwareIds ??= []) : [];
          if (chosen && !ids.some((h) => h.toUpperCase() === hardwareIds[0]!.toUpperCase())) {
            ids.unshift(hardwareIds[0]!);
          }
        } else if (!step.rawDeviceOk) {
          this.#ensureDriver(hardwareIds, (step.compatibleIds as string[]) ?? []);
        }
        const parent = step.parent ? this.pdo(str("parent")) : undefined;
        const id = (step.id as string | undefined) ?? hardwareIds[0]!;
        let pdo: DeviceObject;
        try {
          pdo = m.plugIn(spec as unknown as Parameters<Machine["plugIn"]>[0], parent);
        } catch (e) {
          // Hardware whose IDs bug checked the machine keeps its name, so a later step can pull it.
          if (e instanceof BugCheck && e.device) {
            this.#devices.set(id, { instanceId: "", pdo: e.device });
          }
          throw e;
        }
        this.#devices.set(id, { instanceId: m.devnode(pdo)!.instanceId, pdo });
        return;
      }
      case "name": {
        const pdo = m.device(str("instance"));
        if (!pdo) {
          throw new StepError(
            `No present device '${str("instance")}' (devices: ${m.devices().join(", ")})`,
          );
        }
        this.#devices.set(str("id"), { instanceId: m.devnode(pdo)!.instanceId, pdo });
        return;
      }
      case "unplug":
        m.unplug(this.pdo(str("device")));
        return;
      case "eject":
        this.#status(m.eject(this.pdo(str("device"))));
        return;
      case "requestRemoval":
        this.#status(m.requestRemoval(this.pdo(str("device"))));
        return;
      case "restart":
        m.restart(this.pdo(str("device")));
        return;
      case "disableDevice":
        this.#status(m.disable(this.pdo(str("device"))));
        return;
      case "enableDevice":
        this.#status(m.enable(this.pdo(str("device"))));
        return;
      case "rebalance":
        this.#status(
          m.rebalance(this.pdo(str("device")), { failRestart: step.failRestart === true }),
        );
        return;
      case "registerInterface": {
        const r = m.kernel.IoRegisterDeviceInterface(
          this.pdo(str("device")),
          this.#guid(str("guid")),
          (step.refString as string | undefined) ?? null,
        );
        this.#status(r.status);
        if (r.symbolicLinkName) {
          this.#interfaces.set(
            (step.id as string | undefined) ?? r.symbolicLinkName,
            r.symbolicLinkName,
          );
        }
        m.settle();
        return;
      }
      case "setProperty": {
        const key = devpkey(str("key"));
        if (!key) {
          throw new StepError(
            `Unknown property key '${str("key")}' (a DEVPKEY name or '{fmtid},pid')`,
          );
        }
        const type = DEVPROP_TYPE[
          (step.type as keyof typeof DEVPROP_TYPE | undefined) ?? "DEVPROP_TYPE_STRING"
        ];
        const value = step.value === undefined ? null : step.value as PropertyData;
        const size = value === null ? 0 : propertySize(type, value);
        const flags = step.persistent ? PLUGPLAY_PROPERTY_PERSISTENT : 0;
        this.#status(
          step.interface !== undefined
            ? m.kernel.IoSetDeviceInterfacePropertyData(
              this.link(str("interface")),
              key,
              LOCALE_NEUTRAL,
              flags,
              type,
              size,
              value,
            )
            : m.kernel.IoSetDevicePropertyData(
              this.pdo(str("device")),
              key,
              LOCALE_NEUTRAL,
              flags,
              type,
              size,
              value,
            ),
        );
        return;
      }
      case "enable":
      case "disable":
        this.#status(
          m.kernel.IoSetDeviceInterfaceState(this.link(str("interface")), step.step === "enable"),
        );
        m.settle();
        return;
      case "listen":
        this.#listen(step);
        return;
      case "unlisten": {
        const l = this.#listener(str("listener"));
        if (!l.entry) throw new StepError(`Listener '${str("listener")}' is not registered`);
        const ex = step.ex !== false;
        this.#status(
          ex
            ? m.kernel.IoUnregisterPlugPlayNotificationEx(l.entry)
            : m.kernel.IoUnregisterPlugPlayNotification(l.entry),
        );
        l.entry = null;
        m.settle();
        return;
      }
      case "app": {
        const app = m.app(str("id"), {
          ...(step.vetoQueryRemove !== undefined
            ? { vetoQueryRemove: step.vetoQueryRemove as boolean }
            : {}),
          ...(step.vetoProfileChange !== undefined
            ? { vetoProfileChange: step.vetoProfileChange as boolean }
            : {}),
        });
        if (step.interfaces) {
          this.#status(app.registerInterfaceNotification(this.#guid(str("interfaces"))));
        }
        return;
      }
      case "open": {
        const r = m.openDevice(this.link(str("interface")), {
          app: (step.app as string | undefined) ?? "app",
          ...(step.closeOnQueryRemove !== undefined
            ? { closeOnQueryRemove: step.closeOnQueryRemove as boolean }
            : {}),
        });
        this.#status(r.status);
        if (NT_SUCCESS(r.status)) {
          this.#handles.set((step.id as string | undefined) ?? str("interface"), r.handle);
        }
        return;
      }
      case "close": {
        const h = this.#handles.get(str("handle"));
        if (!h) throw new StepError(`Unknown handle '${str("handle")}'`);
        this.#status(m.closeHandle(h));
        return;
      }
      case "deviceIoControl": {
        const h = this.#handles.get(str("handle"));
        if (!h) throw new StepError(`Unknown handle '${str("handle")}'`);
        this.#status(m.deviceIoControl(h, this.#ioControlCode(str("code"))).status);
        return;
      }
      case "setValue":
        m.registry.setValue(
          str("path"),
          str("name"),
          this.#regType(step.type),
          this.#data(step.data, this.#regType(step.type)),
        );
        return;
      case "deleteKey":
        m.registry.deleteKey(str("path"));
        return;
      case "importReg": {
        const r = m.registry.importReg(str("text"));
        if (r.errors.length) {
          throw new StepError(
            `The .reg text has errors:\n${
              r.errors.map((e) => `  line ${e.line}: ${e.message}`).join("\n")
            }`,
          );
        }
        return;
      }
      case "changeProfile":
        this.#status(m.changeHardwareProfile(str("profile")));
        return;
      case "reboot":
        this.#bugCheck = null;
        m.reboot({ safeMode: step.safeMode === true }); // hardware that bug checked does so again
        this.#reattachListenersAfterReboot();
        return;
      case "command": {
        const succeeds = step.succeeds !== false;
        m.registerCommand(str("program"), () => succeeds);
        return;
      }
      case "customEvent": {
        const n = {
          Version: 1,
          Size: 36,
          Event: this.#guid(str("guid")),
          FileObject: null,
          NameBufferOffset: -1,
          CustomDataBuffer: new Uint8Array(),
        };
        const pdo = this.pdo(str("device"));
        this.#status(
          step.asynchronous
            ? m.kernel.IoReportTargetDeviceChangeAsynchronous(pdo, n)
            : m.kernel.IoReportTargetDeviceChange(pdo, n),
        );
        m.settle();
        return;
      }
      case "call":
        this.#call(step);
        return;
      case "settle":
        m.settle();
        return;
      default:
        if (this.#runPower(step)) return;
        if (step.step.startsWith("expect")) {
          this.#expect(step);
          return;
        }
        throw new StepError(`Unknown step '${step.step}'`);
    }
  }

  /** A kernel routine call from a scenario: names become objects, constant names their values. */
  #call(step: Step): void {
    const routine = step.routine as string;
    const k = this.machine.kernel as unknown as Record<string, unknown>;
    const fn = k[routine];
    if (typeof fn !== "function" || !KERNEL_ROUTINES.includes(routine)) {
      throw new StepError(`Unknown kernel routine '${routine}'`);
    }
    const args = (Array.isArray(step.args) ? step.args : step.args === undefined ? [] : [step.args])
      .map((a) => this.#arg(a));
    const result = (fn as (...a: unknown[]) => unknown).apply(this.machine.kernel, args);
    if (typeof result === "number") this.#status(result);
    else if (result && typeof result === "object" && "status" in result) {
      this.#status((result as { status: number }).status);
    }
    if (step.id) this.#results.set(step.id as string, result);
    if (!this.machine.halted && step.settle !== false) this.machine.settle();
  }

  #arg(a: unknown): unknown {
    if (Array.isArray(a)) return a.map((x) => this.#arg(x));
    if (typeof a !== "string") return a;
    if (this.#devices.has(a)) return this.pdo(a);
    if (this.#interfaces.has(a)) return this.#interfaces.get(a);
    if (this.#results.has(a)) return this.#results.get(a);
    const dot = a.indexOf(".");
    if (dot > 0 && this.#results.has(a.slice(0, dot))) {
      return (this.#results.get(a.slice(0, dot)) as Record<string, unknown> | null)
        ?.[a.slice(dot + 1)];
    }
    if (a in WDK_CONSTANTS) return WDK_CONSTANTS[a];
    const guid = resolveGuid(a);
    return guid ?? a;
  }

  /** An I/O control code by name (a constant such as IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE) or number. */
  #ioControlCode(code: string): number {
    if (/^(0x[0-9a-f]+|\d+)$/i.test(code)) return Number(code) >>> 0;
    const value = WDK_CONSTANTS[code];
    if (typeof value !== "number" || !code.startsWith("IOCTL_")) {
      const names = Object.keys(WDK_CONSTANTS).filter((n) => n.startsWith("IOCTL_"));
      throw new StepError(`Unknown I/O control code '${code}' (known: ${names.join(", ")})`);
    }
    return value;
  }

  #guid(g: string): string {
    const v = resolveGuid(g);
    if (!v) throw new StepError(`'${g}' is not a GUID or a known GUID name`);
    return v;
  }

  #regType(t: unknown): number {
    if (typeof t === "number") return t;
    const hit = Object.entries(REG_TYPE_NAMES).find(([, name]) => name === t);
    if (!hit) throw new StepError(`Unknown registry type '${String(t)}'`);
    return Number(hit[0]);
  }

  #data(data: unknown, type: number): RegData {
    if (type === 11 && (typeof data === "number" || typeof data === "string")) return BigInt(data);
    if ((type === 3 || type === 0) && typeof data === "string") {
      return new Uint8Array((data.match(/[0-9a-f]{2}/gi) ?? []).map((h) => parseInt(h, 16)));
    }
    return data as RegData;
  }

  /** A device whose driver the scenario does not name gets a default pass-through function driver, so it starts. */
  #ensureDriver(hardwareIds: string[], compatibleIds: string[]): void {
    const ids = [...hardwareIds, ...compatibleIds].map((i) => i.toUpperCase());
    const sys = this.machine._sys;
    for (const d of sys.io.drivers.values()) {
      if (d.spec.hardwareIds?.some((h) => ids.includes(h.toUpperCase()))) return;
    }
    if (!this.#passthru) {
      this.#passthru = { name: "passthru", hardwareIds: [] };
      this.machine.loadDriver(this.#passthru);
    }
    this.#passthru.hardwareIds!.push(hardwareIds[0]!);
  }

  #listener(id: string): Listener {
    const l = this.#listeners.get(id);
    if (!l) {
      throw new StepError(`Unknown listener '${id}'${this.#suggest(id, this.#listeners.keys())}`);
    }
    return l;
  }

  /** A kernel client: its own driver object, registered for one category, behaving like toastmon. */
  #listen(step: Step): void {
    const m = this.machine;
    const k = m.kernel;
    const id = step.id as string;
    if (this.#listeners.has(id)) throw new StepError(`A listener named '${id}' exists already`);
    const veto = step.veto === true;
    const driver = m.loadDriver({ name: `listener_${id.replace(/[^A-Za-z0-9_.-]/g, "_")}` });
    const listener: Listener = { driver, entry: null, cursor: m.trace.length, file: null };
    this.#listeners.set(id, listener);
    const callback = (n: NotificationStructure): number => {
      if (
        veto &&
        (n.Event === GUID_TARGET_DEVICE_QUERY_REMOVE || n.Event === GUID_HWPROFILE_QUERY_CHANGE)
      ) {
        return STATUS_UNSUCCESSFUL;
      }
      if (step.target !== undefined && listener.file) {
        if (n.Event === GUID_TARGET_DEVICE_QUERY_REMOVE && !step.holdHandle) {
          k.ObDereferenceObject(listener.file);
          listener.file = null;
        }
      }
      if (
        n.Event === GUID_TARGET_DEVICE_REMOVE_CANCELLED && !listener.file &&
        step.target !== undefined
      ) {
        // Reopen after a cancelled removal, as the documentation asks.
        const link = this.#targetLink(step.target as string);
        if (link) listener.file = k.IoGetDeviceObjectPointer(link, 0).fileObject ?? null;
      }
      if (n.Event === GUID_TARGET_DEVICE_REMOVE_COMPLETE && listener.file) {
        k.ObDereferenceObject(listener.file);
        listener.file = null;
      }
      return STATUS_SUCCESS;
    };
    let r: { status: number; notificationEntry?: NotificationEntry };
    if (step.interfaces !== undefined) {
      r = k.IoRegisterPlugPlayNotification(
        EventCategoryDeviceInterfaceChange,
        step.includeExisting ? PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES : 0,
        this.#guid(step.interfaces as string),
        driver,
        callback,
      );
    } else if (step.target !== undefined) {
      const link = this.#targetLink(step.target as string);
      if (!link) throw new StepError(`Device '${step.target}' has no enabled interface to open`);
      const open = k.IoGetDeviceObjectPointer(link, 0);
      if (!open.fileObject) {
        throw new StepError(`Cannot open '${link}': ${ntStatusName(open.status)}`);
      }
      listener.file = open.fileObject;
      r = k.IoRegisterPlugPlayNotification(
        EventCategoryTargetDeviceChange,
        0,
        open.fileObject,
        driver,
        callback,
      );
    } else if (step.profiles) {
      r = k.IoRegisterPlugPlayNotification(
        EventCategoryHardwareProfileChange,
        0,
        null,
        driver,
        callback,
      );
    } else {
      throw new StepError("listen needs one of interfaces, target or profiles");
    }
    this.#status(r.status);
    listener.entry = r.notificationEntry ?? null;
    m.settle();
  }

  /** An enabled interface of a device (or the interface itself when the name is an interface). */
  #targetLink(name: string): string | undefined {
    if (this.#interfaces.has(name)) return this.#interfaces.get(name);
    const instance = this.instanceOf(name).toUpperCase();
    return [...this.machine._sys.interfaces.byLink.values()].find((i) =>
      i.instanceId.toUpperCase() === instance && i.enabled
    )
      ?.symbolicLinkName;
  }

  #reattachListenersAfterReboot(): void {
    // A reboot ends every registration: the drivers start again from DriverEntry.
    for (const l of this.#listeners.values()) {
      l.entry = null;
      l.file = null;
    }
  }

  // ---- Expectations ----------------------------------------------------------------------------------

  #expect(step: Step): void {
    const m = this.machine;
    const str = (k: string) => step[k] as string;
    if (step.step !== "expectBugCheck" && step.step !== "expectHang" && !m.halted) m.settle();
    switch (step.step) {
      case "expectArrival":
      case "expectRemoval": {
        const link = this.link(str("interface"));
        const name = step.step === "expectArrival"
          ? "GUID_DEVICE_INTERFACE_ARRIVAL"
          : "GUID_DEVICE_INTERFACE_REMOVAL";
        const seen = m.trace.some((e) =>
          e.kind === "notify" && e.eventName === name && e.symbolicLinkName === link
        );
        if (!seen) {
          throw new StepError(
            `Expected PnP to announce ${name} for ${link}, but the trace has none\n` +
              this.#excerpt((e) =>
                (e.kind === "notify" || e.kind === "call") &&
                JSON.stringify(e).includes(link.slice(4, 30))
              ),
          );
        }
        return;
      }
      case "expectIrps": {
        const device = str("device");
        const instance = this.instanceOf(device);
        const from = this.#irpCursor.get(device) ?? 0;
        // Each IRP once, where it first reached the stack (its top), if that was after the cursor.
        const irps: IrpEvent[] = [];
        const seen = new Set<number>();
        for (const e of m.trace) {
          if (
            e.kind !== "irp" || e.phase !== "dispatch" || e.instance !== instance || seen.has(e.irp)
          ) continue;
          seen.add(e.irp);
          if (e.seq > from) irps.push(e);
        }
        const expected = (step.irps as string[]).map((x) =>
          x.startsWith("IRP_M") ? x : `IRP_MN_${x}`
        );
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
        this.#irpCursor.set(device, lastSeq);
        return;
      }
      case "expectNotifications":
      case "expectNoMore": {
        const id = str("listener");
        const l = this.#listener(id);
        const target = `${l.driver.name}!NotificationCallback`;
        const got = m.trace.filter((e): e is NotifyEvent =>
          e.kind === "notify" && e.seq > l.cursor && e.target === target
        );
        const actual = got.map((e) => e.eventName);
        const expected = step.step === "expectNoMore"
          ? []
          : (step.events as string[]).map(eventName);
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
        return;
      }
      case "expectMessages": {
        const appName = str("app");
        const app = m.app(appName);
        const from = this.#messageCursor.get(appName) ?? 0;
        const actual = app.messages.slice(from).map((x) => x.dbt as string);
        const expected = step.messages as string[];
        const ok = actual.length === expected.length && actual.every((a, i) => a === expected[i]);
        if (!ok) {
          throw new StepError(
            `Expected application '${appName}' to receive ${
              expected.join(", ") || "nothing"
            }, but it received ` +
              `${actual.join(", ") || "nothing"}\n` + this.#excerpt((e) =>
                e.kind === "app" && e.app === appName
              ),
          );
        }
        this.#messageCursor.set(appName, app.messages.length);
        return;
      }
      case "expectStatus": {
        const want = statusValue(step.status);
        if (want === undefined) throw new StepError(`Unknown status '${String(step.status)}'`);
        if (this.lastStatus !== want) {
          throw new StepError(
            `Expected ${ntStatusName(want)}, got ${ntStatusName(this.lastStatus)}\n` +
              this.#excerpt(
                (e) => e.kind === "call" || (e.kind === "info" && /veto|fail/.test(e.what)),
                4,
              ),
          );
        }
        return;
      }
      case "expectRegistry": {
        const path = str("path");
        const exists = step.exists !== false;
        if (step.name === undefined) {
          if (m.registry.exists(path) !== exists) {
            throw new StepError(
              `Expected key '${path}' ${exists ? "to exist" : "not to exist"}${
                this.#regExcerpt(path)
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
        const v = m.registry.getValue(path, str("name"));
        if (!exists) {
          if (v) {
            throw new StepError(
              `Expected no value '${str("name")}' in '${path}', found ${
                JSON.stringify(String(v.data))
              }`,
            );
          }
          return;
        }
        if (!v) {
          throw new StepError(
            `Expected value '${str("name")}' in '${path}', but there is none${
              this.#regExcerpt(path)
            }`,
          );
        }
        if (step.type !== undefined && v.type !== this.#regType(step.type)) {
          throw new StepError(
            `Expected '${str("name")}' to be ${String(step.type)}, it is ${REG_TYPE_NAMES[v.type]}`,
          );
        }
        if (step.data !== undefined && !dataEqual(v.data, this.#data(step.data, v.type))) {
          throw new StepError(
            `Expected '${str("name")}' = ${JSON.stringify(step.data)}, it is ${
              JSON.stringify(typeof v.data === "bigint" ? String(v.data) : v.data)
            }`,
          );
        }
        return;
      }
      case "expectState": {
        const device = str("device");
        const d = this.#devices.get(device);
        if (!d) throw new StepError(`Unknown device '${device}'`);
        const node = m.devnode(d.instanceId) ?? m.devnode(d.pdo);
        const state = node?.state ?? "Absent";
        const problem = node?.problem
          ? CM_PROB_NAMES[node.problem] ?? String(node.problem)
          : "none";
        const wantProblem = step.problem as string | undefined;
        if (state !== step.state || (wantProblem !== undefined && wantProblem !== problem)) {
          throw new StepError(
            `Expected ${d.instanceId} to be ${step.state}${
              wantProblem ? ` (${wantProblem})` : ""
            }, it is ${state} (${problem})\n` +
              this.#excerpt((e) => e.kind === "state" && e.instance === d.instanceId, 6),
          );
        }
        const flags = node?.statusFlags ?? [];
        const missing = ((step.status as string[] | undefined) ?? []).filter((f) =>
          !flags.includes(f)
        );
        const extra = ((step.notStatus as string[] | undefined) ?? []).filter((f) =>
          flags.includes(f)
        );
        if (missing.length || extra.length) {
          throw new StepError(
            `Expected ${d.instanceId}'s status ${
              [
                ...(missing.length ? [`to have ${missing.join(", ")}`] : []),
                ...(extra.length ? [`not to have ${extra.join(", ")}`] : []),
              ].join(" and ")
            }; CM_Get_DevNode_Status reports ${flags.join(" | ") || "nothing"}\n` +
              this.#excerpt((e) => e.kind === "info" && e.what === "PNP_DEVICE_STATE", 4),
          );
        }
        return;
      }
      case "expectBugCheck": {
        const code = Number(step.code);
        const b = this.#bugCheck;
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
        this.#bugCheckExpected = true;
        return;
      }
      case "expectInterfaces": {
        const r = m.kernel.IoGetDeviceInterfaces(
          this.#guid(str("guid")),
          null,
          step.includeNonActive ? DEVICE_INTERFACE_INCLUDE_NONACTIVE : 0,
        );
        const list = r.symbolicLinkList ?? [];
        if (list.length !== Number(step.count)) {
          throw new StepError(
            `Expected ${step.count} interface(s) of ${
              str("guid")
            }, IoGetDeviceInterfaces lists ${list.length}: ${list.join(", ") || "(none)"}`,
          );
        }
        return;
      }
      case "expectProperty": {
        const key = devpkey(str("key"));
        if (!key) throw new StepError(`Unknown property key '${str("key")}'`);
        const r = step.interface !== undefined
          ? m.kernel.IoGetDeviceInterfacePropertyData(
            this.link(str("interface")),
            key,
            LOCALE_NEUTRAL,
            0,
          )
          : m.kernel.IoGetDevicePropertyData(this.pdo(str("device")), key, LOCALE_NEUTRAL, 0);
        const exists = step.exists !== false;
        if ((r.status === 0) !== exists) {
          throw new StepError(
            `Expected property ${str("key")} ${exists ? "to exist" : "not to exist"}: ${
              ntStatusName(r.status)
            }`,
          );
        }
        if (
          exists && step.data !== undefined && JSON.stringify(r.data) !== JSON.stringify(step.data)
        ) {
          throw new StepError(
            `Expected property ${str("key")} = ${JSON.stringify(step.data)}, it is ${
              JSON.stringify(r.data)
            }`,
          );
        }
        return;
      }
      case "expectFinding": {
        const rule = str("rule");
        if (!m.verifier.findings.some((f) => f.rule === rule)) {
          const stop = this.#bugCheck?.rule === rule
            ? `\n  The rule stopped the machine instead (verifier mode '${m.verifier.mode}'): ${this.#bugCheck.message}`
            : "";
          throw new StepError(
            `Expected a verifier finding '${rule}', the findings are: ${
              m.verifier.findings.map((f) => f.rule).join(", ") || "(none)"
            }${stop}\n${ruleNote(rule)}`,
          );
        }
        return;
      }
      case "expectNoFinding": {
        const rule = str("rule");
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
        return;
      }
      case "expectHang": {
        if (!this.#hang) {
          throw new StepError(
            "Expected the previous step to hang (a deadlock or an IRP nobody completes), but it finished",
          );
        }
        this.#hang = null;
        return;
      }
      case "expectStack": {
        const device = str("device");
        const d = this.#devices.get(device);
        if (!d) throw new StepError(`Unknown device '${device}'`);
        const node = m.devnode(d.instanceId) ?? m.devnode(d.pdo);
        const actual = (node?.stack ?? []).map((s) => s.driver.replace(/^\\Driver\\/i, ""));
        const expected = (step.drivers as string[]).map((s) => s.replace(/^\\Driver\\/i, ""));
        const ok = actual.length === expected.length &&
          actual.every((a, i) => a.toLowerCase() === expected[i]!.toLowerCase());
        if (!ok) {
          throw new StepError(
            `Expected the stack of ${d.instanceId} (top first) to be ${expected.join(" > ")}, ` +
              `it is ${actual.join(" > ") || "(no stack)"}\n` +
              this.#excerpt(
                (e) => e.kind === "call" && e.routine === "IoAttachDeviceToDeviceStack",
                6,
              ),
          );
        }
        return;
      }
      case "expectResult": {
        const path = str("result");
        const dot = path.indexOf(".");
        const id = dot > 0 ? path.slice(0, dot) : path;
        if (!this.#results.has(id)) {
          throw new StepError(
            `No call named '${id}'${this.#suggest(id, this.#results.keys())} (give the call an id)`,
          );
        }
        let value: unknown = this.#results.get(id);
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
              ntStatusName(this.#statusOf(this.#results.get(id)))
            })`,
          );
        }
        if (step.data !== undefined && plainJson(value) !== plainJson(this.#arg(step.data))) {
          throw new StepError(
            `Expected '${path}' = ${plainJson(step.data)}, it is ${plainJson(value)}`,
          );
        }
        return;
      }
      default:
        if (this.#expectPower(step)) return;
        throw new StepError(`Unknown expectation '${step.step}'`);
    }
  }

  // ---- Power steps ----
  // sleep, wake, shutdown, hotPlug, expectPowerState, expectPowerIrps, expectVeto: one block.

  /** Where each device's last expectPowerIrps stopped (a trace seq). */
  readonly #powerIrpCursor = new Map<string, number>();

  /** Runs a power action; false when the step is not one. */
  #runPower(step: Step): boolean {
    const m = this.machine;
    switch (step.step) {
      case "sleep":
        this.#status(m.sleep(step.state as "S3"));
        return true;
      case "wake": {
        this.#status(m.wake(step.by ? { by: this.pdo(step.by as string) } : {}));
        // Devices plugged in while it slept have their devnodes now.
        for (const [id, d] of this.#devices) {
          if (!d.instanceId) {
            const info = m.devnode(d.pdo);
            if (info) this.#devices.set(id, { instanceId: info.instanceId, pdo: d.pdo });
          }
        }
        return true;
      }
      case "shutdown":
        this.#status(m.shutdown());
        return true;
      case "hotPlug": {
        const hardwareIds = (step.hardwareIds as string[] | undefined) ??
          (step.hardwareId ? [step.hardwareId as string] : undefined);
        if (!hardwareIds?.length) throw new StepError("hotPlug needs hardwareIds or hardwareId");
        const spec: Record<string, unknown> = { hardwareIds };
        for (const k of Object.keys(STEP_DEFINITIONS.hotPlug!.fields)) {
          if (!["id", "hardwareId", "hardwareIds", "parent", "driver"].includes(k)) {
            if (step[k] !== undefined) spec[k] = step[k];
          }
        }
        if (step.capabilities !== undefined) {
          spec.capabilities = powerCapabilities(step.capabilities);
        }
        // A driver the step names is the one an INF would pick; without one, the default.
        if (!step.rawDeviceOk && typeof step.driver !== "string") {
          this.#ensureDriver(hardwareIds, (step.compatibleIds as string[]) ?? []);
        }
        const parent = step.parent ? this.pdo(step.parent as string) : undefined;
        const pdo = m.plugIn(spec as unknown as Parameters<Machine["plugIn"]>[0], parent);
        const id = (step.id as string | undefined) ?? hardwareIds[0]!;
        // Into a sleeping machine: PnP learns of it (and its instance ID) after the wake.
        this.#devices.set(id, { instanceId: m.devnode(pdo)?.instanceId ?? "", pdo });
        return true;
      }
    }
    return false;
  }

  /** Checks a power expectation; false when the step is not one. */
  #expectPower(step: Step): boolean {
    const m = this.machine;
    switch (step.step) {
      case "expectPowerState": {
        const want = step.state as string;
        if (step.device === undefined) {
          if (m.powerState !== want) {
            throw new StepError(`Expected the machine in ${want}, it is in ${m.powerState}`);
          }
          return true;
        }
        const info = m.devnode(this.pdo(step.device as string));
        const got = info?.powerState ?? "Unspecified";
        if (got !== want) {
          throw new StepError(
            `Expected ${info?.instanceId ?? step.device} in ${want}, it is in ${got}\n` +
              this.#excerpt((e) =>
                e.kind === "call" && e.routine === "PoSetPowerState" &&
                JSON.stringify(e.args).includes(
                  String(this.pdo(step.device as string)).slice(0, 18),
                ), 4),
          );
        }
        return true;
      }
      case "expectPowerIrps": {
        const device = step.device as string;
        const instance = this.instanceOf(device);
        const from = this.#powerIrpCursor.get(device) ?? 0;
        const seen = new Set<number>();
        const irps: IrpEvent[] = [];
        for (const e of m.trace) {
          if (
            e.kind !== "irp" || e.phase !== "dispatch" || e.major !== "IRP_MJ_POWER" ||
            e.instance !== instance || seen.has(e.irp)
          ) continue;
          seen.add(e.irp);
          if (e.seq > from) irps.push(e);
        }
        const short = (e: IrpEvent) =>
          `${(e.minor ?? "").replace(/^IRP_MN_/, "")}(${
            (e.powerState ?? "").replace(/^(System|Device)PowerState /, "")
          })`;
        const matches = (e: IrpEvent, want: string) => {
          const w = want.replace(/^IRP_MN_/, "").replace(/(System|Device)PowerState /, "");
          return w.includes("(") ? short(e) === w : short(e).startsWith(`${w}(`);
        };
        const expected = step.irps as string[];
        let ok: boolean;
        let last = from;
        if (step.exact) {
          ok = irps.length === expected.length && irps.every((e, i) => matches(e, expected[i]!));
          last = irps[irps.length - 1]?.seq ?? from;
        } else {
          let j = 0;
          for (const e of irps) {
            if (j < expected.length && matches(e, expected[j]!)) {
              j++;
              last = e.seq;
            }
          }
          ok = j === expected.length;
        }
        if (!ok) {
          throw new StepError(
            `Expected power IRPs ${expected.join(", ")}${
              step.exact ? " (exactly)" : " (in order)"
            } for ${instance}, ` +
              `but its stack received: ${irps.map(short).join(", ") || "(none)"}`,
          );
        }
        this.#powerIrpCursor.set(device, last);
        return true;
      }
      case "expectVeto": {
        const veto = [...m.trace].reverse().find((e) =>
          e.kind === "info" && e.what === "power veto"
        );
        const detail = (veto?.kind === "info" ? veto.detail : undefined) as
          | Record<string, unknown>
          | undefined;
        if (!detail) throw new StepError("Expected a power veto, but no sleep was vetoed");
        if (
          step.device !== undefined && detail.instance !== this.instanceOf(step.device as string)
        ) {
          throw new StepError(
            `Expected ${this.instanceOf(step.device as string)} to veto, but ${
              String(detail.instance)
            } did`,
          );
        }
        if (step.driver !== undefined && detail.driver !== step.driver) {
          throw new StepError(
            `Expected driver ${String(step.driver)} to veto, but ${String(detail.driver)} did`,
          );
        }
        return true;
      }
    }
    return false;
  }
  // ---- end of Power steps ----

  #statusOf(result: unknown): number {
    if (typeof result === "number") return result;
    return (result as { status?: number } | null)?.status ?? STATUS_SUCCESS;
  }

  #regExcerpt(path: string): string {
    const tail = path.split("\\").slice(-2).join("\\");
    return "\n" + this.#excerpt((e) => e.kind === "reg" && e.path.includes(tail), 5);
  }
}

/** "  Rule X (source, severity): what it checks\n  see: doc page\n" for a verifier rule, or "". */
function ruleNote(rule: string | undefined): string {
  const r = rule ? ruleNamed(rule) : undefined;
  return r ? `  Rule ${r.name} (${r.source}, ${r.severity}): ${r.checks}\n  see: ${r.doc}\n` : "";
}

/** JSON for comparing results: bigints as strings, byte arrays as number lists. */
function plainJson(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x) => typeof x === "bigint" ? String(x) : x instanceof Uint8Array ? Array.from(x) : x,
  ) ?? "undefined";
}

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

/** Runs a scenario's steps on a fresh machine and keeps the machine (for pictures and reports). */
export function runScenarioWithMachine(
  data: ScenarioData,
): { result: ScenarioResult; machine: Machine | null } {
  let machine: Machine;
  try {
    machine = bootFor(data.boot);
  } catch (e) {
    return {
      result: {
        title: data.title,
        passed: false,
        failures: [{
          message: `Cannot boot: ${(e as Error).message}`,
          ...(data.file ? { file: data.file } : {}),
        }],
        trace: [],
      },
      machine: null,
    };
  }
  const runner = new Runner(machine, { stopAfterFailedAction: true });
  for (const step of data.steps) runner.run(step);
  return { result: runner.finish(data.title), machine };
}

/** Runs a scenario's steps on a fresh machine. */
export function runScenarioData(data: ScenarioData): ScenarioResult {
  return runScenarioWithMachine(data).result;
}

// ---- Power steps ----

/** `capabilities` as a scenario writes it (S3, D2, PowerSystemSleeping3 ...) in WDK values. */
function powerCapabilities(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new StepError("'capabilities' must be a map of DEVICE_CAPABILITIES fields");
  }
  const state = (v: unknown, field: string): number => {
    if (typeof v === "number") return v;
    const text = String(v);
    const short = /^([SD])([0-5])$/.exec(text);
    if (short) return Number(short[2]) + 1;
    const named = (constants as Record<string, unknown>)[text];
    if (typeof named === "number" && /^Power(System|Device)/.test(text)) return named;
    throw new StepError(`'capabilities.${field}': '${text}' is not a power state (S0-S5, D0-D3)`);
  };
  const out: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
    if (field === "DeviceState") {
      if (!Array.isArray(v)) throw new StepError("'capabilities.DeviceState' must be a list");
      out.DeviceState = v.map((x) => (x === null || x === undefined ? undefined : state(x, field)));
    } else if (field === "SystemWake" || field === "DeviceWake") out[field] = state(v, field);
    else out[field] = v;
  }
  return out;
}
