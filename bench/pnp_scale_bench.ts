/**
 * PnP manager scale benchmark: plug 10,000 devices in (each with a toaster-style function driver
 * that registers and enables one interface), then remove them all ("safely remove"), against a
 * baseline measured in the same run: 10,000 plain JS objects with a `Map` insert each.
 *
 * Run: `deno run -A bench/pnp_scale_bench.ts [devices] [large]`. Targets: 10,000 devices plugged in
 * and started in under 2 s; under 4 KB of heap per started device; removal of the same order as
 * plug-in. Then the large run: 100,000 devices arriving together in under 10 s with under 2.5 KB of
 * heap per started device, and their removal of the same order.
 *
 * Every `plugIn` settles the machine as the contract says: an enumeration of the bus
 * (IRP_MN_QUERY_DEVICE_RELATIONS), the ID queries, installation (Enum, Class and DeviceClasses
 * keys), AddDevice, START and the interface arrival. A BusRelations answer lists every child of the
 * bus, not only the new one (IRP_MN_QUERY_DEVICE_RELATIONS: "a complete list"), so the benchmark
 * plugs the 10,000 in three ways:
 * - **together**: a hub arrives with all of them plugged into it (`DeviceSpec.children`), and one
 *   enumeration of the hub reports them all (boot, or a hub full of devices); the plug-in target;
 * - **one at a time on hubs**: 100 root devices with 100 children each, one plug-in at a time, so
 *   each enumeration lists at most 100 children; the plug-in target as well;
 * - **one at a time on the root**: each of the 10,000 enumerations lists every child so far, so the
 *   time grows with the square of the count (as it would on Windows); reported with that part
 *   measured, not a target. This run also gives the heap and removal figures.
 *
 * The trace keeps only its newest 10,000 events (`boot({ traceLimit: 10000 })`), so the numbers
 * are the model's cost, not an ever-growing log's; the heap readings empty that ring first and
 * report what it held on its own line. The garbage collector is forced (through node:v8 and
 * node:vm) before each heap reading when the runtime allows it.
 *
 * @module
 */
import {
  boot,
  BusRelations,
  type DeviceObject,
  interfaceFunctionDriver,
  type Machine,
  STATUS_SUCCESS,
} from "../mod.ts";
import { findGc } from "./_gc.ts";

const DEVICES = Number(Deno.args[0] ?? 10_000);
const LARGE = Number(Deno.args[1] ?? 100_000);
const TARGET_LARGE_MS = 10_000;
const TARGET_LARGE_BYTES = 2_560;
const TRACE_LIMIT = 10_000;
const INTERFACE = "{5b3c1a9e-7d24-4f0b-a8e6-2c9d41f7b063}";
const TARGET_PLUG_MS = 2000;
const TARGET_BYTES_PER_DEVICE = 4096;

const gc = findGc();

function heap(): number {
  gc?.();
  gc?.();
  return Deno.memoryUsage().heapUsed;
}

/**
 * The heap with the machine's trace ring emptied first: the ring holds the newest
 * TRACE_LIMIT..2*TRACE_LIMIT events whatever the device count, so it is a fixed cost, reported on
 * its own (`traceRingBytes`) instead of being spread over the devices.
 */
function machineHeap(m: Machine): number {
  m.trace.length = 0;
  return heap();
}

function machine(): Machine {
  // Each device is several queued actions (enumerate, configure, notifications): the large run
  // needs a bound above the default 100,000 actions per settle.
  const m = boot({ traceLimit: TRACE_LIMIT, maxQueuedActions: 10_000_000 });
  m.loadDriver(
    interfaceFunctionDriver("benchdev", {
      hardwareIds: ["ROOT\\BENCHDEV", "BENCH\\CHILD", "ROOT\\BENCHHUB"],
      interfaceGuid: INTERFACE,
    }),
  );
  return m;
}

/** The baseline: what the same count of "devices" costs as plain objects in a Map. */
function baseline(count: number): { ms: number; bytes: number; keep: unknown } {
  const before = heap();
  const start = performance.now();
  const map = new Map<string, { id: string; state: string; ids: string[]; n: number }>();
  for (let i = 0; i < count; i++) {
    const id = `ROOT\\BENCHDEV\\${i}`;
    map.set(id, { id, state: "Started", ids: ["ROOT\\BENCHDEV"], n: i });
  }
  const ms = performance.now() - start;
  return { ms, bytes: heap() - before, keep: map };
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

// Warm the JIT on a small machine first, so the timed runs measure steady state.
{
  const w = machine();
  const pdos: DeviceObject[] = [];
  for (let i = 0; i < 200; i++) pdos.push(w.plugIn("ROOT\\BENCHDEV"));
  for (let i = 0; i < 200; i++) w.plugIn("BENCH\\CHILD", pdos[i % 10]);
  for (const p of pdos) w.requestRemoval(p);
}

const base = baseline(DEVICES);

/** Throws unless `count` devices of a machine are started, each with its interface enabled. */
function checkStarted(m: Machine, count: number, what: string): void {
  const started =
    m.devices().filter((id) => id !== "HTREE\\ROOT\\0" && m.devnode(id)?.state === "Started")
      .length;
  const active = m.kernel.IoGetDeviceInterfaces(INTERFACE, null, 0).symbolicLinkList?.length ?? 0;
  if (started !== count || active !== count) {
    throw new Error(`${what}: ${started} started and ${active} interfaces active of ${count}`);
  }
}

/**
 * Together: a hub arrives with every child plugged into it, and one BusRelations answer of the hub
 * reports them all. With `remove`, each child is then removed ("safely remove") one at a time.
 */
function together(count: number, remove = false): { ms: number; bytes: number; removeMs: number } {
  const m = machine();
  const children = Array.from({ length: count }, () => ({ hardwareIds: ["BENCH\\CHILD"] }));
  const before = machineHeap(m);
  const start = performance.now();
  const hub = m.plugIn({ hardwareIds: ["ROOT\\BENCHHUB"], children });
  const ms = performance.now() - start;
  const bytes = (machineHeap(m) - before) / count;
  checkStarted(m, count + 1, "together");
  let removeMs = 0;
  if (remove) {
    const pdos = m.devnode(hub)!.children.map((id) => m.device(id)!);
    const removeStart = performance.now();
    for (const p of pdos) {
      const s = m.requestRemoval(p);
      if (s !== STATUS_SUCCESS) throw new Error(`requestRemoval failed: 0x${s.toString(16)}`);
    }
    removeMs = performance.now() - removeStart;
  }
  return { ms, bytes, removeMs };
}

const HUB_SIZE = 100;
const HUBS = Math.ceil(DEVICES / HUB_SIZE);

/** One at a time on hubs: root devices of the same driver, each a bus its children are plugged into. */
function onHubs(): { ms: number } {
  const m = machine();
  const hubs: DeviceObject[] = [];
  for (let i = 0; i < HUBS; i++) hubs.push(m.plugIn("ROOT\\BENCHDEV"));
  const start = performance.now();
  for (let i = 0; i < DEVICES; i++) m.plugIn("BENCH\\CHILD", hubs[i % HUBS]);
  const ms = performance.now() - start;
  checkStarted(m, DEVICES + HUBS, "hubs");
  return { ms };
}

/**
 * One at a time on the root, then the cost of one enumeration at full size (to show the part that
 * grows with the square of the count), the heap per device, and removal one at a time.
 */
function onRoot() {
  const m = machine();
  const before = machineHeap(m);
  const start = performance.now();
  const pdos: DeviceObject[] = [];
  for (let i = 0; i < DEVICES; i++) pdos.push(m.plugIn("ROOT\\BENCHDEV"));
  const ms = performance.now() - start;
  const ringEvents = m.trace.length;
  const withRing = heap();
  const plugged = machineHeap(m);
  checkStarted(m, DEVICES, "root");

  const rootPdo = m.device("HTREE\\ROOT\\0")!;
  const ENUMERATIONS = 50;
  const enumerateRoot = () => {
    m.kernel.IoInvalidateDeviceRelations(rootPdo, BusRelations);
    m.settle();
  };
  // A forced collection sends the JIT back to cold code for a while: warm up again before timing.
  for (let i = 0; i < ENUMERATIONS; i++) enumerateRoot();
  const enumStart = performance.now();
  for (let i = 0; i < ENUMERATIONS; i++) enumerateRoot();
  const enumMs = (performance.now() - enumStart) / ENUMERATIONS;

  const removeStart = performance.now();
  for (const p of pdos) {
    const s = m.requestRemoval(p);
    if (s !== STATUS_SUCCESS) throw new Error(`requestRemoval failed: 0x${s.toString(16)}`);
  }
  const removeMs = performance.now() - removeStart;
  const left = m.kernel.IoGetDeviceInterfaces(INTERFACE, null, 0).symbolicLinkList?.length ?? 0;
  if (left !== 0) throw new Error(`${left} interfaces still active after removal`);
  return {
    ms,
    enumMs,
    removeMs,
    bytesPerDevice: (plugged - before) / DEVICES,
    traceRingBytes: withRing - plugged,
    ringEvents,
  };
}

// Each run's machine is garbage before the next one starts.
const h = onHubs();
heap();
const t = together(DEVICES);
heap();
const r = onRoot();
heap();
const big = together(LARGE, true);

const nsPerChild = r.enumMs * 1e6 / DEVICES;
// Plug-in number i lists i children: DEVICES^2 / 2 child entries in all.
const quadraticMs = nsPerChild * DEVICES * DEVICES / 2 / 1e6;
const rate = (ms: number) => DEVICES / (ms / 1000);
const baseRate = rate(base.ms);
const baseBytes = base.bytes / DEVICES;
const pass = (ok: boolean) => (ok ? "PASS" : "MISS");
const targetMs = TARGET_PLUG_MS * DEVICES / 10_000;

console.log(`pnplab PnP scale benchmark: ${fmt(DEVICES)} devices`);
console.log(
  `  trace.limit = ${TRACE_LIMIT} (newest events only)${
    gc ? "" : "; GC not exposed: heap readings include garbage"
  }`,
);
console.log("");
console.log(
  `  together  ${fmt(t.ms)} ms   ${fmt(rate(t.ms))} devices/s ` +
    `(one enumeration of a hub reports all ${fmt(DEVICES)}); ${
      fmt(t.bytes)
    } bytes per started device`,
);
console.log(
  `  hubs      ${fmt(h.ms)} ms   ${fmt(rate(h.ms))} devices/s ` +
    `(one at a time onto ${fmt(HUBS)} hubs of ${HUB_SIZE}: an enumeration each)`,
);
console.log(
  `  root      ${fmt(r.ms)} ms   ${fmt(rate(r.ms))} devices/s (one at a time onto the root)`,
);
console.log(
  `            of which re-listing the root's children: ~${fmt(quadraticMs)} ms ` +
    `(${fmt(nsPerChild, 1)} ns per child per enumeration; ${fmt(r.enumMs, 2)} ms for all ${
      fmt(DEVICES)
    }: grows with the square of the count)`,
);
console.log(
  `            the rest: ${fmt((r.ms - quadraticMs) * 1000 / DEVICES)} µs per device ` +
    "(ID queries, install, AddDevice, START, interface arrival, trace)",
);
console.log(
  `  removal   ${fmt(r.removeMs)} ms   ${fmt(rate(r.removeMs))} devices/s (one at a time)`,
);
console.log(`  heap      ${fmt(r.bytesPerDevice)} bytes per started device`);
console.log(
  `  trace     ${fmt(r.traceRingBytes / 1024)} KB for the ring's ${
    fmt(r.ringEvents)
  } newest events ` +
    "(a fixed cost, left out of the per-device figure)",
);
console.log(
  `  baseline  ${fmt(base.ms, 1)} ms   ${fmt(baseRate)} objects/s   ${
    fmt(baseBytes)
  } bytes per object (plain object + Map insert)`,
);
console.log(
  `  ratio     plug-in ${fmt(baseRate / rate(h.ms))}x slower (hubs), ${
    fmt(r.bytesPerDevice / baseBytes, 1)
  }x the heap; removal ${fmt(baseRate / rate(r.removeMs))}x slower`,
);
console.log("");
console.log(
  `${pass(t.ms < targetMs)}  ${fmt(DEVICES)} devices arriving together under ${fmt(targetMs)} ms`,
);
console.log(
  `${pass(h.ms < targetMs)}  ${fmt(DEVICES)} devices one at a time onto hubs under ${
    fmt(targetMs)
  } ms`,
);
console.log(
  `${pass(r.bytesPerDevice < TARGET_BYTES_PER_DEVICE)}  under ${
    fmt(TARGET_BYTES_PER_DEVICE)
  } bytes per started device`,
);
const slowestPlug = Math.max(t.ms, h.ms);
console.log(
  `${pass(r.removeMs < 3 * slowestPlug)}  removal the same order as plug-in (within 3x of ${
    fmt(slowestPlug)
  } ms)`,
);
console.log("");
console.log(
  `  large     ${fmt(LARGE)} devices arriving together: ${fmt(big.ms)} ms, ${
    fmt(big.bytes)
  } bytes per started device; removal one at a time ${fmt(big.removeMs)} ms`,
);
console.log(
  `${pass(big.ms < TARGET_LARGE_MS)}  ${fmt(LARGE)} devices arriving together under ${
    fmt(TARGET_LARGE_MS)
  } ms`,
);
console.log(
  `${pass(big.bytes < TARGET_LARGE_BYTES)}  under ${
    fmt(TARGET_LARGE_BYTES)
  } bytes per started device at ${fmt(LARGE)}`,
);
console.log(
  `${pass(big.removeMs < 3 * big.ms)}  removal of ${
    fmt(LARGE)
  } the same order as their arrival (within 3x of ${fmt(big.ms)} ms)`,
);
