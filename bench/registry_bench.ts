/**
 * Registry benchmark: key create / open / set / query / close through `machine.kernel`, against a
 * plain `Map` doing the same bookkeeping in the same run, plus the heap each key costs.
 *
 * Run: `deno run -A bench/registry_bench.ts [keys]`. Targets: set+query at least 1/5 of the Map's
 * ops/s; under 1 KB per key; `.reg` import of a realistic 50 MB SYSTEM export at 10 MB/s or better,
 * and any 1 MB file (the adversarial shapes: a staircase of keys each one level deeper, thousands of
 * `[-key]` lines) in under 0.5 s. The garbage collector is forced (through node:v8 and node:vm) before
 * each heap reading when the runtime allows it; otherwise the reading includes garbage.
 *
 * The trace keeps only its newest 1,000 events (`trace.limit`) while measuring, so the numbers are
 * the model's cost, not an ever-growing log's.
 *
 * @module
 */
import {
  boot,
  type Handle,
  KEY_ALL_ACCESS,
  KEY_READ,
  KEY_SET_VALUE,
  KeyValuePartialInformation,
  type Machine,
  REG_DWORD,
  REG_OPTION_NON_VOLATILE,
  STATUS_SUCCESS,
} from "../mod.ts";
import * as zw from "../lib/registry/zw.ts";
import { formatRegFile, type RegFileKey } from "../lib/registry/reg_file.ts";
import { findGc } from "./_gc.ts";
import process from "node:process";

const TRACE_LIMIT = 1000;
const TIMED_KEYS = Number(Deno.args[0] ?? 20_000);
const MEMORY_KEYS = 100_000;
const KEYS_PER_PARENT = 1000;
const ROOT = "\\Registry\\Machine\\Software\\Bench";

const gc = findGc();

function machine(): Machine {
  const m = boot();
  m._sys.trace.limit = TRACE_LIMIT;
  return m;
}

function check(status: number, what: string): void {
  if (status !== STATUS_SUCCESS) throw new Error(`${what} failed: 0x${status.toString(16)}`);
}

/** Key paths spread over parents of KEYS_PER_PARENT children, as a device tree spreads instances. */
function keyPaths(count: number): { parents: string[]; keys: string[] } {
  const parents: string[] = [];
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const parent = `${ROOT}\\P${Math.floor(i / KEYS_PER_PARENT)}`;
    if (i % KEYS_PER_PARENT === 0) parents.push(parent);
    keys.push(`${parent}\\K${i}`);
  }
  return { parents, keys };
}

function createParents(m: Machine, parents: string[]): void {
  const k = m.kernel;
  for (const path of [ROOT, ...parents]) {
    const r = k.ZwCreateKey(KEY_ALL_ACCESS, path, 0, null, REG_OPTION_NON_VOLATILE);
    check(r.status, `ZwCreateKey ${path}`);
    k.ZwClose(r.keyHandle);
  }
}

interface PhaseTimes {
  create: number;
  open: number;
  set: number;
  query: number;
  close: number;
}

/** Runs the five phases through the kernel; returns milliseconds per phase. */
function runKernel(count: number): PhaseTimes {
  const m = machine();
  const k = m.kernel;
  const { parents, keys } = keyPaths(count);
  createParents(m, parents);
  const handles: Handle[] = new Array(count);
  let t = performance.now();
  for (let i = 0; i < count; i++) {
    const r = k.ZwCreateKey(KEY_ALL_ACCESS, keys[i]!, 0, null, REG_OPTION_NON_VOLATILE);
    handles[i] = r.keyHandle!;
    k.ZwClose(r.keyHandle);
  }
  const create = performance.now() - t;

  t = performance.now();
  for (let i = 0; i < count; i++) {
    handles[i] = k.ZwOpenKey(KEY_READ | KEY_SET_VALUE, keys[i]!).keyHandle!;
  }
  const open = performance.now() - t;

  t = performance.now();
  for (let i = 0; i < count; i++) k.ZwSetValueKey(handles[i], "Value", 0, REG_DWORD, i);
  const set = performance.now() - t;

  t = performance.now();
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const q = k.ZwQueryValueKey(handles[i], "Value", KeyValuePartialInformation);
    sum += q.resultLength ?? 0;
  }
  const query = performance.now() - t;
  if (sum !== count * 16) throw new Error(`Queries returned ${sum} bytes, expected ${count * 16}`);

  t = performance.now();
  for (let i = 0; i < count; i++) k.ZwClose(handles[i]);
  const close = performance.now() - t;
  return { create, open, set, query, close };
}

/**
 * Set+query calling lib/registry/zw.ts directly: the registry layer without `Kernel`'s per-call
 * work (running and IRQL checks, the call's trace event and the description of its arguments).
 */
function runRegistryLayer(count: number): number {
  const m = machine();
  const k = m.kernel;
  const { parents, keys } = keyPaths(count);
  createParents(m, parents);
  const handles: Handle[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const r = k.ZwCreateKey(KEY_ALL_ACCESS, keys[i]!, 0, null, REG_OPTION_NON_VOLATILE);
    handles[i] = r.keyHandle!;
  }
  const sys = m._sys;
  const t = performance.now();
  for (let i = 0; i < count; i++) zw.ZwSetValueKey(sys, handles[i], "Value", 0, REG_DWORD, i);
  for (let i = 0; i < count; i++) {
    zw.ZwQueryValueKey(sys, handles[i], "Value", KeyValuePartialInformation);
  }
  return performance.now() - t;
}

/** The same bookkeeping with plain Maps: a key table, a handle table and a value map per key. */
function runMap(count: number): PhaseTimes {
  const { keys } = keyPaths(count);
  const table = new Map<string, { values: Map<string, { type: number; data: number }> }>();
  const handleTable = new Map<number, { values: Map<string, { type: number; data: number }> }>();
  const handles: number[] = new Array(count);
  let next = 0;
  let t = performance.now();
  for (let i = 0; i < count; i++) {
    const path = keys[i]!.toUpperCase();
    let entry = table.get(path);
    if (!entry) table.set(path, entry = { values: new Map() });
    handleTable.set(++next, entry);
    handleTable.delete(next);
  }
  const create = performance.now() - t;

  t = performance.now();
  for (let i = 0; i < count; i++) {
    const entry = table.get(keys[i]!.toUpperCase())!;
    handleTable.set(handles[i] = ++next, entry);
  }
  const open = performance.now() - t;

  t = performance.now();
  for (let i = 0; i < count; i++) {
    handleTable.get(handles[i]!)!.values.set("VALUE", { type: REG_DWORD, data: i });
  }
  const set = performance.now() - t;

  t = performance.now();
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += handleTable.get(handles[i]!)!.values.get("VALUE") ? 16 : 0;
  }
  const query = performance.now() - t;
  if (sum !== count * 16) throw new Error("Map baseline lost values");

  t = performance.now();
  for (let i = 0; i < count; i++) handleTable.delete(handles[i]!);
  const close = performance.now() - t;
  return { create, open, set, query, close };
}

function opsPerSecond(count: number, ms: number): number {
  return count / (ms / 1000);
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US").padStart(12);
}

/** Heap growth per key for MEMORY_KEYS keys, each with one REG_DWORD, made through the kernel. */
function bytesPerKey(): number {
  const m = machine();
  const k = m.kernel;
  const { parents, keys } = keyPaths(MEMORY_KEYS);
  createParents(m, parents);
  gc?.();
  const before = Deno.memoryUsage().heapUsed;
  for (let i = 0; i < MEMORY_KEYS; i++) {
    const r = k.ZwCreateKey(KEY_ALL_ACCESS, keys[i]!, 0, null, REG_OPTION_NON_VOLATILE);
    k.ZwSetValueKey(r.keyHandle, "Value", 0, REG_DWORD, i);
    k.ZwClose(r.keyHandle);
  }
  keys.length = 0;
  gc?.();
  const after = Deno.memoryUsage().heapUsed;
  // Keep the machine alive until the measurement is taken.
  if (!m.registry.exists(`${ROOT}\\P0\\K0`)) throw new Error("The keys are gone");
  return (after - before) / MEMORY_KEYS;
}

// ---- .reg import ----------------------------------------------------------------------------------

const REG_HEADER = "Windows Registry Editor Version 5.00\r\n\r\n";

/**
 * A SYSTEM hive as regedit exports it, grown to about `bytes`: services with their usual values,
 * Enum instances with hardware IDs, driver keys and Device Parameters, class keys with binary
 * data, wrapped hex lines and all.
 */
function systemExport(bytes: number): string {
  const keys: RegFileKey[] = [];
  const cs = "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001";
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const service = `svc${i.toString(36)}`;
    const guid = `{4d36e97d-e325-11ce-bfc1-${(0x08002be10318 + i).toString(16).padStart(12, "0")}}`;
    const batch: RegFileKey[] = [
      {
        path: `${cs}\\Services\\${service}`,
        values: [
          { name: "Type", type: 4, data: 1 },
          { name: "Start", type: 4, data: 3 },
          { name: "ErrorControl", type: 4, data: 1 },
          { name: "ImagePath", type: 2, data: `\\SystemRoot\\System32\\drivers\\${service}.sys` },
          { name: "DisplayName", type: 1, data: `@oem${i}.inf,%${service}.SvcDesc%;Device ${i}` },
          { name: "Group", type: 1, data: "Extended Base" },
          { name: "Owners", type: 7, data: [`oem${i}.inf`] },
        ],
      },
      { path: `${cs}\\Services\\${service}\\Parameters`, values: [] },
      {
        path: `${cs}\\Enum\\PCI\\VEN_8086&DEV_${
          (i & 0xffff).toString(16).padStart(4, "0")
        }\\3&11583659&0&${i}`,
        values: [
          { name: "DeviceDesc", type: 1, data: `@oem${i}.inf,%dev.devicedesc%;Device ${i}` },
          {
            name: "HardwareID",
            type: 7,
            data: [
              `PCI\\VEN_8086&DEV_${i.toString(16)}&SUBSYS_00008086&REV_01`,
              `PCI\\VEN_8086&DEV_${i.toString(16)}&SUBSYS_00008086`,
              `PCI\\VEN_8086&DEV_${i.toString(16)}`,
            ],
          },
          {
            name: "CompatibleIDs",
            type: 7,
            data: ["PCI\\VEN_8086", "PCI\\CC_0C0330", "PCI\\CC_0C03"],
          },
          { name: "Service", type: 1, data: service },
          { name: "ClassGUID", type: 1, data: guid },
          { name: "Driver", type: 1, data: `${guid}\\0000` },
          { name: "ConfigFlags", type: 4, data: 0 },
          { name: "Capabilities", type: 4, data: 0x64 },
          { name: "Mfg", type: 1, data: "@oem.inf,%intel%;Intel Corporation" },
        ],
      },
      {
        path: `${cs}\\Enum\\PCI\\VEN_8086&DEV_${
          (i & 0xffff).toString(16).padStart(4, "0")
        }\\3&11583659&0&${i}\\Device Parameters`,
        values: [{ name: "InterruptManagement", type: 3, data: new Uint8Array(48).fill(i & 0xff) }],
      },
      {
        path: `${cs}\\Control\\Class\\${guid}\\0000`,
        values: [
          { name: "DriverDate", type: 1, data: "6-21-2006" },
          { name: "DriverDateData", type: 3, data: new Uint8Array(8).fill(1) },
          { name: "DriverVersion", type: 1, data: "10.0.19041.1" },
          { name: "InfPath", type: 1, data: `oem${i}.inf` },
          { name: "ProviderName", type: 1, data: "Microsoft" },
          { name: "MatchingDeviceId", type: 1, data: `pci\\ven_8086&dev_${i.toString(16)}` },
        ],
      },
    ];
    keys.push(...batch);
    size += 2500;
  }
  return formatRegFile(keys);
}

/** `count` keys, each one level deeper than the last, with one value each: the staircase. */
function staircase(count: number, name: string): string {
  const lines = [REG_HEADER];
  let path = "HKEY_LOCAL_MACHINE\\SOFTWARE";
  for (let i = 0; i < count; i++) {
    path += "\\" + name;
    lines.push(`[${path}]\r\n"Step"=dword:${i.toString(16).padStart(8, "0")}\r\n\r\n`);
  }
  return lines.join("");
}

/** `count` `[-key]` lines, then `count` keys with a value. */
function deletesThenKeys(count: number): string {
  const lines = [REG_HEADER];
  for (let i = 0; i < count; i++) lines.push(`[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Gone\\K${i}]\r\n`);
  for (let i = 0; i < count; i++) {
    lines.push(`[HKEY_LOCAL_MACHINE\\SOFTWARE\\Made\\K${i}]\r\n"V"="value ${i}"\r\n`);
  }
  return lines.join("");
}

/**
 * Imports `text` into a fresh machine (best of `rounds`): wall-clock ms, the process's CPU ms (all
 * threads, the garbage collector's included; a shared machine stretches the first, not the second)
 * and the error count.
 */
function timeImport(text: string, rounds: number): { ms: number; cpu: number; errors: number } {
  let ms = Infinity;
  let cpu = Infinity;
  let errors = 0;
  for (let round = 0; round < rounds; round++) {
    const m = machine();
    const before = process.cpuUsage();
    const start = performance.now();
    errors = m.registry.importReg(text).errors.length;
    ms = Math.min(ms, performance.now() - start);
    const used = process.cpuUsage(before);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { ms, cpu, errors };
}

function importBench(): void {
  console.log("");
  console.log(".reg import (best of the rounds, into a fresh machine; wall clock and CPU time):");
  const big = systemExport(50 * 1024 * 1024);
  const mb = big.length / (1024 * 1024);
  const system = timeImport(big, 2);
  const wall = mb / (system.ms / 1000);
  const throughput = mb / (system.cpu / 1000);
  console.log(
    `  SYSTEM export   ${mb.toFixed(1).padStart(6)} MB ${system.ms.toFixed(0).padStart(7)} ms ${
      wall.toFixed(1).padStart(6)
    } MB/s wall, ${system.cpu.toFixed(0).padStart(7)} ms ${
      throughput.toFixed(1).padStart(6)
    } MB/s CPU  (${system.errors} errors)`,
  );
  const shapes: [string, string][] = [
    ["staircase 1000", staircase(1000, "a")],
    ["staircase 509", staircase(509, "abcdefgh")],
    ["10k [-key]+keys", deletesThenKeys(10_000)],
  ];
  let worst = 0;
  for (const [label, text] of shapes) {
    const first = timeImport(text, 3);
    // Re-import: the same file again, onto the keys it made.
    const m = machine();
    m.registry.importReg(text);
    const before = process.cpuUsage();
    const start = performance.now();
    m.registry.importReg(text);
    const again = performance.now() - start;
    const againUsed = process.cpuUsage(before);
    const againCpu = (againUsed.user + againUsed.system) / 1000;
    const size = text.length / (1024 * 1024);
    const perMb = Math.max(first.cpu, againCpu) / size;
    worst = Math.max(worst, perMb);
    console.log(
      `  ${label.padEnd(16)}${size.toFixed(2).padStart(5)} MB ${
        first.ms.toFixed(0).padStart(6)
      } ms wall ${first.cpu.toFixed(0).padStart(5)} ms CPU, re-import ${
        again.toFixed(0).padStart(5)
      } ms wall ${againCpu.toFixed(0).padStart(5)} ms CPU; ${
        perMb.toFixed(0).padStart(4)
      } ms CPU/MB  (${first.errors} errors)`,
    );
  }
  console.log(
    "  (the staircase of 1,000 keys goes past 512 levels: those keys are refused, each with its line)",
  );
  console.log(
    `${
      throughput >= 10 ? "PASS" : "MISS"
    } realistic SYSTEM export imports at >= 10 MB/s of CPU time (${throughput.toFixed(1)} MB/s; ${
      wall.toFixed(1)
    } MB/s wall clock on this machine now)`,
  );
  console.log(
    `${
      worst < 500 ? "PASS" : "MISS"
    } adversarial 1 MB shapes import in < 0.5 s of CPU time (worst ${worst.toFixed(0)} ms per MB)`,
  );
}

function main(): void {
  console.log(`pnplab registry benchmark: ${TIMED_KEYS.toLocaleString("en-US")} keys per phase`);
  console.log(
    `trace.limit = ${TRACE_LIMIT} (the trace keeps its newest ${TRACE_LIMIT} events while measuring)`,
  );
  console.log(
    gc
      ? "GC: forced before each heap reading"
      : "GC: not available, heap readings include garbage (approximate)",
  );

  const perKey = bytesPerKey();

  // Warm up both sides, then measure.
  runKernel(Math.min(2000, TIMED_KEYS));
  runMap(Math.min(2000, TIMED_KEYS));
  runRegistryLayer(Math.min(2000, TIMED_KEYS));
  // Best of five interleaved rounds per side: the machine is shared, so single rounds are noisy.
  const best = (a: PhaseTimes, b: PhaseTimes): PhaseTimes => ({
    create: Math.min(a.create, b.create),
    open: Math.min(a.open, b.open),
    set: Math.min(a.set, b.set),
    query: Math.min(a.query, b.query),
    close: Math.min(a.close, b.close),
  });
  let kernel = runKernel(TIMED_KEYS);
  let map = runMap(TIMED_KEYS);
  let layer = runRegistryLayer(TIMED_KEYS);
  for (let round = 1; round < 5; round++) {
    kernel = best(kernel, runKernel(TIMED_KEYS));
    map = best(map, runMap(TIMED_KEYS));
    layer = Math.min(layer, runRegistryLayer(TIMED_KEYS));
  }

  console.log("");
  console.log(
    `${"phase".padEnd(14)}${"kernel ops/s".padStart(12)}${"Map ops/s".padStart(12)}${
      "ratio".padStart(10)
    }`,
  );
  const phases: (keyof PhaseTimes)[] = ["create", "open", "set", "query", "close"];
  for (const phase of phases) {
    const a = opsPerSecond(TIMED_KEYS, kernel[phase]);
    const b = opsPerSecond(TIMED_KEYS, map[phase]);
    console.log(`${phase.padEnd(14)}${fmt(a)}${fmt(b)}${(a / b).toFixed(4).padStart(10)}`);
  }
  const setQueryKernel = opsPerSecond(2 * TIMED_KEYS, kernel.set + kernel.query);
  const setQueryMap = opsPerSecond(2 * TIMED_KEYS, map.set + map.query);
  const ratio = setQueryKernel / setQueryMap;
  console.log(
    `${"set+query".padEnd(14)}${fmt(setQueryKernel)}${fmt(setQueryMap)}${
      ratio.toFixed(4).padStart(10)
    }`,
  );
  const layerOps = opsPerSecond(2 * TIMED_KEYS, layer);
  console.log(
    `${"  registry only".padEnd(14)}${fmt(layerOps)}${fmt(setQueryMap)}${
      (layerOps / setQueryMap).toFixed(4).padStart(10)
    }  (lib/registry/zw.ts called directly, without Kernel's per-call checks and call trace)`,
  );
  console.log("");
  console.log(
    `memory: ${perKey.toFixed(0)} bytes per key (heap growth / ${
      MEMORY_KEYS.toLocaleString("en-US")
    } keys with one REG_DWORD each)`,
  );
  console.log("");
  console.log(
    `${ratio >= 0.2 ? "PASS" : "MISS"} set+query >= 1/5 of Map ops/s (ratio ${
      ratio.toFixed(4)
    }, 1 : ${(1 / ratio).toFixed(1)})`,
  );
  console.log(
    `${perKey < 1024 ? "PASS" : "MISS"} memory per key < 1 KB (${perKey.toFixed(0)} bytes)`,
  );
}

main();
importBench();
