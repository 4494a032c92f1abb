/**
 * PnP manager scale benchmark: plug 10,000 devices into the root enumerator (each with a toaster-style
 * function driver that registers and enables one interface), then remove them all ("safely remove"),
 * against a baseline measured in the same run: 10,000 plain JS objects with a `Map` insert each.
 *
 * Run: `deno run -A bench/pnp_scale_bench.ts [devices]`. Targets: 10,000 devices plugged in and
 * started in under 2 s; under 4 KB of heap per started device; removal of the same order as plug-in.
 *
 * Every `plugIn` settles the machine as the contract says, so each one is a full enumeration of the
 * root (IRP_MN_QUERY_DEVICE_RELATIONS lists every child, as Windows' BusRelations does), the ID
 * queries, installation (Enum, Class and DeviceClasses keys), AddDevice, START and the interface
 * arrival. The trace keeps only its newest 10,000 events (`machine._sys.trace.limit = 10000`), so
 * the numbers are the model's cost, not an ever-growing log's; the heap readings empty that ring
 * first and report what it held on its own line. The garbage collector is forced
 * (through node:v8 and node:vm) before each heap reading when the runtime allows it.
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
  m._sys.trace.events.length = 0;
  return heap();
}

function machine(): Machine {
  const m = boot();
  m._sys.trace.limit = TRACE_LIMIT;
  m.loadDriver(
    interfaceFunctionDriver("benchdev", {
      hardwareIds: ["ROOT\\BENCHDEV"],
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

// Warm the JIT on a small machine first, so the timed run measures steady state.
{
  const w = machine();
  const pdos: DeviceObject[] = [];
  for (let i = 0; i < 200; i++) pdos.push(w.plugIn("ROOT\\BENCHDEV"));
  for (const p of pdos) w.requestRemoval(p);
}

const base = baseline(DEVICES);

const m = machine();
const before = machineHeap(m);
const plugStart = performance.now();
const pdos: DeviceObject[] = [];
for (let i = 0; i < DEVICES; i++) pdos.push(m.plugIn("ROOT\\BENCHDEV"));
const plugMs = performance.now() - plugStart;
const ringEvents = m._sys.trace.events.length;
const withRing = heap();
const plugged = machineHeap(m);
const traceRingBytes = withRing - plugged;

const started = pdos.filter((p) => m.devnode(p)?.state === "Started").length;
const active = m.kernel.IoGetDeviceInterfaces(INTERFACE, null, 0).symbolicLinkList?.length ?? 0;
if (started !== DEVICES || active !== DEVICES) {
  throw new Error(`Only ${started} devices started and ${active} interfaces active of ${DEVICES}`);
}
const bytesPerDevice = (plugged - before) / DEVICES;

// Where plug-in time goes: each plug-in re-enumerates the root, whose BusRelations answer lists every
// child so far, so that part grows with the square of the count. Time one enumeration at full size.
const rootPdo = m.device("HTREE\\ROOT\\0")!;
const ENUMERATIONS = 50;
heap(); // collect the snapshots just taken, so their garbage is not timed here
const enumerateRoot = () => {
  m.kernel.IoInvalidateDeviceRelations(rootPdo, BusRelations);
  m.settle();
};
// A forced collection sends the JIT back to cold code for a while: warm up again before timing.
for (let i = 0; i < ENUMERATIONS; i++) enumerateRoot();
const enumStart = performance.now();
for (let i = 0; i < ENUMERATIONS; i++) enumerateRoot();
const enumMs = (performance.now() - enumStart) / ENUMERATIONS;
const nsPerChild = enumMs * 1e6 / DEVICES;
// Plug-in number i lists i children: DEVICES^2 / 2 child entries in all.
const quadraticMs = nsPerChild * DEVICES * DEVICES / 2 / 1e6;

const removeStart = performance.now();
for (const p of pdos) {
  const s = m.requestRemoval(p);
  if (s !== STATUS_SUCCESS) throw new Error(`requestRemoval failed: 0x${s.toString(16)}`);
}
const removeMs = performance.now() - removeStart;
const remaining = m.kernel.IoGetDeviceInterfaces(INTERFACE, null, 0).symbolicLinkList?.length ?? 0;
if (remaining !== 0) throw new Error(`${remaining} interfaces still active after removal`);

const plugRate = DEVICES / (plugMs / 1000);
const removeRate = DEVICES / (removeMs / 1000);
const baseRate = DEVICES / (base.ms / 1000);
const baseBytes = base.bytes / DEVICES;
const pass = (ok: boolean) => (ok ? "PASS" : "MISS");

console.log(`pnplab PnP scale benchmark: ${fmt(DEVICES)} devices under the root enumerator`);
console.log(
  `  trace.limit = ${TRACE_LIMIT} (newest events only)${
    gc ? "" : "; GC not exposed: heap readings include garbage"
  }`,
);
console.log("");
console.log(`  plug-in   ${fmt(plugMs)} ms   ${fmt(plugRate)} devices/s`);
console.log(
  `            of which re-listing the root's children: ~${fmt(quadraticMs)} ms ` +
    `(${fmt(nsPerChild, 1)} ns per child per enumeration; ${fmt(enumMs, 2)} ms for all ${
      fmt(DEVICES)
    })`,
);
console.log(
  `            the rest: ${fmt((plugMs - quadraticMs) * 1000 / DEVICES)} µs per device ` +
    "(ID queries, install, AddDevice, START, interface arrival, trace)",
);
console.log(`  removal   ${fmt(removeMs)} ms   ${fmt(removeRate)} devices/s`);
console.log(`  heap      ${fmt(bytesPerDevice)} bytes per started device`);
console.log(
  `  trace     ${fmt(traceRingBytes / 1024)} KB for the ring's ${fmt(ringEvents)} newest events ` +
    "(a fixed cost, left out of the per-device figure)",
);
console.log(
  `  baseline  ${fmt(base.ms, 1)} ms   ${fmt(baseRate)} objects/s   ${
    fmt(baseBytes)
  } bytes per object (plain object + Map insert)`,
);
console.log(
  `  ratio     plug-in ${fmt(baseRate / plugRate)}x slower, ${
    fmt(bytesPerDevice / baseBytes, 1)
  }x the heap; removal ${fmt(baseRate / removeRate)}x slower`,
);
// The same count arriving as one burst: the bus reports all new children in one BusRelations
// answer (one enumeration), as a hub full of devices does, instead of one enumeration each.
const burst = machine();
const burstBefore = machineHeap(burst);
const burstStart = performance.now();
for (let i = 0; i < DEVICES; i++) {
  burst._pnp.plugIn({ hardwareIds: ["ROOT\\BENCHDEV"] }, burst._pnp.root);
}
burst.settle();
const burstMs = performance.now() - burstStart;
const burstBytes = (machineHeap(burst) - burstBefore) / DEVICES;
const burstStarted = burst.devices().length - 1;
if (burstStarted !== DEVICES) {
  throw new Error(`Only ${burstStarted} of ${DEVICES} devices arrived in the burst`);
}
console.log(
  `  burst     ${fmt(burstMs)} ms   ${fmt(DEVICES / (burstMs / 1000))} devices/s (all ${
    fmt(DEVICES)
  } in one enumeration); ` +
    `${fmt(burstBytes)} bytes per started device`,
);
console.log("");
console.log(
  `${pass(burstMs < TARGET_PLUG_MS * DEVICES / 10_000)}  ${
    fmt(DEVICES)
  } devices plugged in (one burst) under ${fmt(TARGET_PLUG_MS * DEVICES / 10_000)} ms`,
);
console.log(
  `${pass(plugMs < TARGET_PLUG_MS * DEVICES / 10_000)}  plug-in one at a time under ${
    fmt(TARGET_PLUG_MS * DEVICES / 10_000)
  } ms`,
);
console.log(
  `${pass(bytesPerDevice < TARGET_BYTES_PER_DEVICE)}  under ${
    fmt(TARGET_BYTES_PER_DEVICE)
  } bytes per started device`,
);
console.log(`${pass(removeMs < 3 * plugMs)}  removal the same order as plug-in (within 3x)`);
