/**
 * `boot()` and `Machine`: a simulated Windows machine with its registry, kernel routines, PnP work
 * queue and trace.
 *
 * @module
 */
import { Kernel } from "./kernel.ts";
import { WorkQueue } from "./queue.ts";
import {
  deserializeHive,
  type HiveFileError,
  serializeHive,
  writeFileAtomic,
} from "./registry/persist.ts";
import { Hive } from "./registry/hive.ts";
import {
  buildSystemHive,
  buildVolatileKeys,
  type HardwareProfile,
  profileId,
} from "./registry/system_hive.ts";
import { RegistryView } from "./registry/view.ts";
import { System } from "./system.ts";
import type { TraceEvent } from "./trace/trace.ts";

/** Options for `boot()`. */
export interface BootOptions {
  /** Hardware profile friendly names; ids are "0001", "0002", ... Default: one profile, "Profile 1". */
  hardwareProfiles?: string[];
  /** The profile to start in, by friendly name or id. Default: the first. */
  currentProfile?: string;
  /** Start in safe mode (RunOnce entries without `*` are skipped). */
  safeMode?: boolean;
  /** Driver-verifier rules: "strict" (default) bug checks, "warn" records findings only, "off". */
  verifier?: "strict" | "warn" | "off";
  /** A hive file to load at boot (when it exists) and to write on ZwFlushKey and `saveHive()`. */
  hiveFile?: string;
  /** How many queued PnP actions one `settle()` may run before it reports a runaway queue. Default 100,000. */
  maxQueuedActions?: number;
}

/** A verifier finding. */
export interface Finding {
  rule: string;
  severity: string;
  message: string;
  doc?: string;
}

/** Thrown by `boot()` when its hive file cannot be loaded; carries every problem with its position. */
export class HiveLoadError extends Error {
  /** Each problem, with line and column. */
  readonly errors: HiveFileError[];
  /** Creates the error. */
  constructor(file: string, errors: HiveFileError[]) {
    super(
      `Cannot load hive file '${file}':\n` +
        errors.map((e) => `  ${file}:${e.line}:${e.column}: ${e.message}`).join("\n"),
    );
    this.name = "HiveLoadError";
    this.errors = errors;
  }
}

/**
 * A simulated machine. Get one from `boot()`.
 *
 * @example
 * ```ts
 * import { boot } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const m = boot({ hardwareProfiles: ["Docked", "Undocked"] });
 * assert.equal(m.registry.exists("HKLM\\SYSTEM\\CurrentControlSet\\Hardware Profiles\\0002"), true);
 * ```
 */
export class Machine {
  /** @internal */
  readonly _sys: System;
  /** The kernel routines. */
  readonly kernel: Kernel;
  /** The registry as an administrator's tools see it. */
  readonly registry: RegistryView;
  /** The PnP work queue that `settle()` drains. */
  readonly queue: WorkQueue;
  /** The hardware profiles, in order. */
  readonly hardwareProfiles: readonly HardwareProfile[];
  readonly #findings: Finding[] = [];

  /** Creates a machine from prepared internals; use `boot()`. */
  constructor(sys: System, profiles: readonly HardwareProfile[], queue: WorkQueue) {
    this._sys = sys;
    this.kernel = new Kernel(sys);
    this.registry = new RegistryView(sys);
    this.queue = queue;
    this.hardwareProfiles = profiles;
  }

  /** Every event so far, oldest first: plain JSON-serialisable objects. */
  get trace(): TraceEvent[] {
    return this._sys.trace.events;
  }

  /** The verifier's findings so far. */
  get verifier(): { readonly findings: readonly Finding[]; readonly mode: string } {
    return { findings: this.#findings, mode: this._sys.options.verifier };
  }

  /** Whether a bug check has stopped the machine. */
  get halted(): boolean {
    return this._sys.halted !== null;
  }

  /** Runs queued PnP work (enumeration, notifications, removals) until none is left. */
  settle(): void {
    this._sys.checkRunning();
    this.queue.drain(() => this._sys.clock++);
  }

  /** Writes the non-volatile registry to `file` (default: the machine's hive file) atomically. */
  saveHive(file?: string): void {
    const target = file ?? this._sys.hiveFile;
    if (!target) {
      throw new TypeError("Cannot save the hive: no file given and the machine has no hive file");
    }
    writeFileAtomic(
      target,
      JSON.stringify(serializeHive(this._sys.hive, this._sys.clock), null, 1) + "\n",
    );
    this._sys.trace.push({ kind: "reg", op: "save", path: target });
  }

  /**
   * Restarts the machine: keeps exactly the non-volatile registry, drops volatile keys and every
   * handle, clears a bug check, and boots again (in safe mode if asked).
   */
  reboot(options: { safeMode?: boolean } = {}): void {
    const sys = this._sys;
    const saved = JSON.stringify(serializeHive(sys.hive, sys.clock));
    const loaded = deserializeHive(saved);
    if (!loaded.hive) throw new Error("Cannot reboot: the saved hive did not load back");
    sys.halted = null;
    sys.keyHandles.clear();
    this.queue.clear();
    sys.callers.length = 1;
    sys.callers[0]!.irql = 0;
    sys.options = { ...sys.options, safeMode: options.safeMode ?? false };
    sys.clock++;
    sys.trace.push({ kind: "info", what: "reboot", detail: { safeMode: sys.options.safeMode } });
    sys.attachHive(loaded.hive);
    buildVolatileKeys(loaded.hive);
  }

  /** @internal Records a verifier finding (the verifier calls this). */
  _addFinding(f: Finding): void {
    this.#findings.push(f);
  }
}

/**
 * Boots a machine.
 *
 * @example
 * ```ts
 * import { boot } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const m = boot();
 * assert.equal(m.registry.exists("HKLM\\SYSTEM\\CurrentControlSet\\Enum\\HTREE\\ROOT\\0"), true);
 * ```
 */
export function boot(options: BootOptions = {}): Machine {
  const names = options.hardwareProfiles?.length ? options.hardwareProfiles : ["Profile 1"];
  const profiles = names.map((name, i) => ({ id: profileId(i), name }));
  let current = 0;
  if (options.currentProfile !== undefined) {
    current = profiles.findIndex((p) =>
      p.id === options.currentProfile ||
      p.name.toLowerCase() === options.currentProfile!.toLowerCase()
    );
    if (current < 0) {
      throw new TypeError(`Cannot boot: no hardware profile '${options.currentProfile}'`);
    }
  }
  const sys = new System({
    verifier: options.verifier ?? "strict",
    safeMode: options.safeMode ?? false,
  });
  let hive = new Hive();
  let clock = 0;
  if (options.hiveFile) {
    sys.hiveFile = options.hiveFile;
    let text: string | undefined;
    try {
      text = Deno.readTextFileSync(options.hiveFile);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (text !== undefined) {
      const loaded = deserializeHive(text);
      if (!loaded.hive) throw new HiveLoadError(options.hiveFile, loaded.errors);
      hive = loaded.hive;
      clock = loaded.clock ?? 0;
    }
  }
  if (!hive.root.child("MACHINE")) buildSystemHive(hive, profiles, current);
  buildVolatileKeys(hive);
  sys.clock = clock;
  sys.attachHive(hive);
  const queue = new WorkQueue(options.maxQueuedActions);
  const machine = new Machine(sys, profiles, queue);
  sys.onFlush = () => {
    if (sys.hiveFile) machine.saveHive();
  };
  sys.trace.push({
    kind: "info",
    what: "boot",
    detail: { safeMode: sys.options.safeMode, profile: profiles[current]!.id },
  });
  return machine;
}
