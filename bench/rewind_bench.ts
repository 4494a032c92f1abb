/**
 * Rewind benchmark: how long going back to an earlier event takes in a REPL session. Rewinding is
 * replaying (docs/debugging.md): `.goto #N` boots a fresh machine and replays the session's recorded
 * steps until event N is recorded. The session here plugs in root-enumerated devices, one input
 * each, until the trace holds more than 10,000 events.
 * Measured: `.goto #1000` and `.goto #10000` typed at the session (what a user waits for), and as
 * the baseline, measured in the same run, booting the bare machine every replay starts from.
 *
 * Run: `deno run -A bench/rewind_bench.ts [runs]`. Target: back to #1,000 in under 50 ms (median).
 * Each measurement runs once unmeasured, then `runs` times (default 7); min and median are reported.
 *
 * @module
 */
import { Session } from "../dsl/session.ts";
import { bootFor } from "../dsl/runner.ts";

const RUNS = Number(Deno.args[0] ?? 7);
const TARGET_MS = 50;

const session = new Session({ empty: true });
let i = 0;
while (session.machine.trace.length < 10_500) {
  await session.evaluate(`device("ROOT\\\\BENCH${i++}")`);
}
const last = session.machine.trace.at(-1)!.seq;

/** Min and median of `runs` timings of `f` (after one unmeasured run). */
async function time(f: () => unknown | Promise<unknown>): Promise<{ min: number; median: number }> {
  await f();
  const t: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    await f();
    t.push(performance.now() - start);
  }
  t.sort((a, b) => a - b);
  return { min: t[0]!, median: t[Math.floor(t.length / 2)]! };
}

const goto = (n: number) => async () => {
  const out = (await session.evaluate(`.goto #${n}`)).output;
  if (!out.startsWith(`At #${n}`)) throw new Error(`.goto #${n} printed: ${out}`);
};

const base = await time(() => bootFor({}));
const to1k = await time(goto(1_000));
const to10k = await time(goto(10_000));
const ms = (x: number) => `${x.toFixed(1).padStart(7)} ms`;
console.log(`Rewind (.goto #N) in a session of ${i} devices, ${last} events; ${RUNS} runs each`);
console.log(`  baseline: boot a bare machine  min ${ms(base.min)}  median ${ms(base.median)}`);
console.log(`  .goto #1000                    min ${ms(to1k.min)}  median ${ms(to1k.median)}`);
console.log(`  .goto #10000                   min ${ms(to10k.min)}  median ${ms(to10k.median)}`);
console.log(
  `  ratio (median, #1000)          ${(to1k.median / base.median).toFixed(2)}x the baseline`,
);
console.log(
  `${to1k.median < TARGET_MS ? "PASS" : "MISS"} back to #1,000 in under ${TARGET_MS} ms (median ${
    to1k.median.toFixed(1)
  } ms)`,
);
