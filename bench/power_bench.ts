/**
 * Power benchmark: sleep (S3) and wake of a machine with 10,000 started devices, each a stack of a
 * pass-through upper filter over a default function driver (the power policy owner) over a virtual
 * bus PDO, against a baseline measured in the same run: the same count of plain objects walked
 * twice in a Map (the shape of the two passes over the tree).
 *
 * A sleep is IRP_MN_QUERY_POWER then IRP_MN_SET_POWER for S3 to every stack, each answered by a
 * device IRP the policy owner requests (PoRequestPowerIrp); the wake is IRP_MN_SET_POWER(S0) and
 * its D0 IRP. Target: sleep + wake of the 10,000 under 2 s.
 *
 * Run: `deno run -A bench/power_bench.ts [devices]`. As in pnp_scale_bench.ts, the trace keeps only
 * its newest 10,000 events (`machine._sys.trace.limit`), so the numbers are the model's cost, not
 * an ever-growing log's.
 *
 * @module
 */
import { boot, type Machine, STATUS_SUCCESS } from "../mod.ts";

const DEVICES = Number(Deno.args[0] ?? 10_000);
const TARGET_MS = 2000;

function machine(count: number): Machine {
  const m = boot();
  m._sys.trace.limit = 10_000;
  m.loadDriver({ name: "pwrfilter" });
  m.loadDriver({ name: "pwrdev", hardwareIds: ["ROOT\\PWRDEV"], classUpperFilters: ["pwrfilter"] });
  // The hardware arrives together; one enumeration reports it all (see pnp_scale_bench.ts).
  for (let i = 0; i < count; i++) m._pnp.plugIn({ hardwareIds: ["ROOT\\PWRDEV"] }, m._pnp.root);
  m.settle();
  return m;
}

function baseline(count: number): number {
  const map = new Map<string, { state: string }>();
  for (let i = 0; i < count; i++) map.set(`ROOT\\PWRDEV\\${i}`, { state: "D0" });
  const start = performance.now();
  for (const pass of ["D3", "D0"]) for (const v of map.values()) v.state = pass;
  return performance.now() - start;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

// Warm the JIT on a small machine first.
{
  const w = machine(200);
  w.sleep("S3");
  w.wake();
}
const m = machine(DEVICES);
const started = m.devices().length - 1;
let t = performance.now();
const slept = m.sleep("S3");
const sleepMs = performance.now() - t;
t = performance.now();
const woke = m.wake();
const wakeMs = performance.now() - t;
const base = baseline(DEVICES);
const total = sleepMs + wakeMs;
const ok = slept === STATUS_SUCCESS && woke === STATUS_SUCCESS && m.powerState === "S0";
console.log(`pnplab power benchmark: sleep (S3) and wake of ${fmt(started)} started devices`);
console.log(`  sleep     ${fmt(sleepMs, 1)} ms (query + set, system and device IRPs)`);
console.log(`  wake      ${fmt(wakeMs, 1)} ms`);
console.log(`  baseline  ${fmt(base, 2)} ms (two passes over ${fmt(DEVICES)} plain objects)`);
console.log(`  ratio     ${fmt(total / Math.max(base, 0.01), 0)}x the baseline`);
console.log(
  `${ok && total < TARGET_MS ? "PASS" : "MISS"} sleep + wake of ${fmt(DEVICES)} devices: ${
    fmt(total, 0)
  } ms (target < ${fmt(TARGET_MS)} ms)${ok ? "" : "; the transition did not complete"}`,
);
