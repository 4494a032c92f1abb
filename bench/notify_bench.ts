/**
 * PnP notification benchmark: 1,000 kernel registrations for one interface class
 * (IoRegisterPlugPlayNotification, EventCategoryDeviceInterfaceChange) and 1,000 interface arrivals
 * (IoSetDeviceInterfaceState), settled: a million callbacks through the PnP manager's queue, each
 * recorded in the trace as a `notify` event with the callback's status. The baseline, measured in
 * the same run, is a loop of one million plain function calls of the same callback body with the
 * same kind of structure.
 *
 * Run: `deno run -A bench/notify_bench.ts [listeners] [arrivals]`. Target: callbacks per second at
 * least 1/10 of the plain loop's calls per second. Each side runs five times, interleaved, and its
 * median round is reported (this machine is shared, so single rounds are noisy).
 *
 * The trace keeps only its newest 10,000 events (`boot({ traceLimit: 10000 })`) while
 * measuring, so the numbers are the model's cost, not an ever-growing log's.
 *
 * @module
 */
import {
  boot,
  type DEVICE_INTERFACE_CHANGE_NOTIFICATION,
  EventCategoryDeviceInterfaceChange,
  GUID_DEVICE_INTERFACE_ARRIVAL,
  type Machine,
  type NotificationStructure,
  STATUS_SUCCESS,
} from "../mod.ts";

const LISTENERS = Number(Deno.args[0] ?? 1000);
const ARRIVALS = Number(Deno.args[1] ?? 1000);
const TRACE_LIMIT = 10_000;
const INTERFACE = "{0c8e5f42-3b7a-4d19-9e61-a2f4c8d03b57}";
const TARGET_RATIO = 1 / 10;
const ROUNDS = 5;

/**
 * The callback body both sides run: what a toastmon-style driver does with an arrival (check the
 * event, remember the interface by name). `seen` is per run so both sides start empty.
 */
function makeCallback(seen: Map<string, number>) {
  return (n: NotificationStructure, _context: unknown): number => {
    if (n.Event === GUID_DEVICE_INTERFACE_ARRIVAL && "SymbolicLinkName" in n) {
      seen.set(n.SymbolicLinkName, (seen.get(n.SymbolicLinkName) ?? 0) + 1);
    }
    return STATUS_SUCCESS;
  };
}

/** A started device with `count` registered (not yet enabled) interfaces; returns their links. */
function prepare(listeners: number, arrivals: number): {
  m: Machine;
  links: string[];
  seen: Map<string, number>;
} {
  const m = boot({ traceLimit: TRACE_LIMIT });
  m.loadDriver({ name: "benchdev", hardwareIds: ["Root\\BenchDevice"] });
  const pdo = m.plugIn("Root\\BenchDevice");
  const k = m.kernel;
  const links: string[] = [];
  for (let i = 0; i < arrivals; i++) {
    const r = k.IoRegisterDeviceInterface(pdo, INTERFACE, `i${i}`);
    if (r.status !== STATUS_SUCCESS) {
      throw new Error(`IoRegisterDeviceInterface: 0x${r.status.toString(16)}`);
    }
    links.push(r.symbolicLinkName!);
  }
  const listener = m.loadDriver({ name: "listener" });
  const seen = new Map<string, number>();
  const callback = makeCallback(seen);
  for (let i = 0; i < listeners; i++) {
    const r = k.IoRegisterPlugPlayNotification(
      EventCategoryDeviceInterfaceChange,
      0,
      INTERFACE,
      listener,
      callback,
      i,
    );
    if (r.status !== STATUS_SUCCESS) {
      throw new Error(`IoRegisterPlugPlayNotification: 0x${r.status.toString(16)}`);
    }
  }
  return { m, links, seen };
}

/** Enables every interface, then settles: returns the times of both steps and the callbacks run. */
function runModel(
  listeners: number,
  arrivals: number,
): { enableMs: number; settleMs: number; callbacks: number } {
  const { m, links, seen } = prepare(listeners, arrivals);
  const k = m.kernel;
  let t = performance.now();
  for (const link of links) k.IoSetDeviceInterfaceState(link, true);
  const enableMs = performance.now() - t;
  t = performance.now();
  m.settle();
  const settleMs = performance.now() - t;
  let callbacks = 0;
  for (const c of seen.values()) callbacks += c;
  if (callbacks !== listeners * arrivals) {
    throw new Error(`Expected ${listeners * arrivals} callbacks, got ${callbacks}`);
  }
  return { enableMs, settleMs, callbacks };
}

/** The same callback body called in a plain loop with the same structures: the baseline. */
function runLoop(listeners: number, arrivals: number): { ms: number; calls: number } {
  const seen = new Map<string, number>();
  const callback = makeCallback(seen);
  const structures: DEVICE_INTERFACE_CHANGE_NOTIFICATION[] = [];
  for (let i = 0; i < arrivals; i++) {
    structures.push({
      Version: 1,
      Size: 48,
      Event: GUID_DEVICE_INTERFACE_ARRIVAL,
      InterfaceClassGuid: INTERFACE,
      SymbolicLinkName: `\\??\\ROOT#BenchDevice#0#${INTERFACE}\\i${i}`,
    });
  }
  const t = performance.now();
  for (let a = 0; a < arrivals; a++) {
    const n = structures[a]!;
    for (let l = 0; l < listeners; l++) callback(n, l);
  }
  const ms = performance.now() - t;
  let calls = 0;
  for (const c of seen.values()) calls += c;
  if (calls !== listeners * arrivals) {
    throw new Error(`Expected ${listeners * arrivals} calls, got ${calls}`);
  }
  return { ms, calls };
}

/** The element with the median `key`. */
function median<T>(items: T[], key: (x: T) => number): T {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)]!;
}

function perSecond(count: number, ms: number): number {
  return count / (ms / 1000);
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US").padStart(16);
}

function main(): void {
  const total = LISTENERS * ARRIVALS;
  console.log(
    `pnplab notification benchmark: ${LISTENERS.toLocaleString("en-US")} listeners x ${
      ARRIVALS.toLocaleString("en-US")
    } interface arrivals = ${total.toLocaleString("en-US")} callbacks`,
  );
  console.log(
    `trace.limit = ${TRACE_LIMIT} (boot({ traceLimit }): the trace keeps its newest ${TRACE_LIMIT} events while measuring)`,
  );
  console.log(`median of ${ROUNDS} rounds per side, interleaved, after a warm-up`);

  // Warm up both sides, then measure ROUNDS times, interleaved, and keep each side's median round.
  runModel(100, 100);
  runLoop(100, 100);
  const models: ReturnType<typeof runModel>[] = [];
  const loops: ReturnType<typeof runLoop>[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    models.push(runModel(LISTENERS, ARRIVALS));
    loops.push(runLoop(LISTENERS, ARRIVALS));
  }
  const model = median(models, (x) => x.settleMs);
  const loop = median(loops, (x) => x.ms);

  const modelRate = perSecond(model.callbacks, model.settleMs);
  const loopRate = perSecond(loop.calls, loop.ms);
  const ratio = modelRate / loopRate;
  console.log("");
  console.log(
    `${"".padEnd(34)}${"ms".padStart(10)}${"per second".padStart(16)}${"ns each".padStart(10)}`,
  );
  console.log(
    `${"model: enable (queue arrivals)".padEnd(34)}${model.enableMs.toFixed(1).padStart(10)}${
      fmt(perSecond(ARRIVALS, model.enableMs))
    }${
      (model.enableMs * 1e6 / ARRIVALS).toFixed(0).padStart(10)
    }  (IoSetDeviceInterfaceState calls)`,
  );
  console.log(
    `${"model: settle (callbacks)".padEnd(34)}${model.settleMs.toFixed(1).padStart(10)}${
      fmt(modelRate)
    }${(model.settleMs * 1e6 / model.callbacks).toFixed(0).padStart(10)}`,
  );
  console.log(
    `${"plain loop (same callback body)".padEnd(34)}${loop.ms.toFixed(1).padStart(10)}${
      fmt(loopRate)
    }${(loop.ms * 1e6 / loop.calls).toFixed(0).padStart(10)}`,
  );
  console.log("");
  console.log(
    `${ratio >= TARGET_RATIO ? "PASS" : "MISS"} callbacks/s >= 1/10 of the plain loop's (ratio ${
      ratio.toFixed(4)
    }, 1 : ${(1 / ratio).toFixed(1)})`,
  );
}

main();
