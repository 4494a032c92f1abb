/**
 * REPL startup benchmark: the time from spawning `deno run dsl/repl.ts` (stdin a pipe, no terminal)
 * until the first `kd> ` prompt appears on its stdout. That covers Deno's own start, loading the
 * modules, booting the bundled example machine and opening readline. The baseline, measured in the
 * same run, is `deno run` of an empty script (from spawn until it exits): what any Deno program
 * pays before its first line runs.
 *
 * Run: `deno run -A bench/repl_startup_bench.ts [runs]`. Target: median under 300 ms. Each side runs
 * once unmeasured (so both start with a warm module cache), then `runs` times (default 5),
 * interleaved; min and median are reported.
 *
 * @module
 */
const RUNS = Number(Deno.args[0] ?? 5);
const TARGET_MS = 300;
const ROOT = new URL("../", import.meta.url).pathname;
const DENO = Deno.execPath();
const REPL = ["run", "--allow-read", "--allow-write", "--allow-env", `${ROOT}dsl/repl.ts`];

/** Milliseconds from spawn until `kd> ` is on the REPL's stdout; then ends it through stdin. */
async function replToPrompt(home: string): Promise<number> {
  const started = performance.now();
  const child = new Deno.Command(DENO, {
    args: REPL,
    cwd: ROOT,
    // A throwaway HOME keeps the user's ~/.pnplab_history out of it; DENO_DIR keeps the cache.
    env: { HOME: home, DENO_DIR: denoDir, NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const decoder = new TextDecoder();
  let seen = "";
  let elapsed = NaN;
  const reader = child.stdout.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    if (seen.includes("kd> ")) {
      elapsed = performance.now() - started;
      break;
    }
  }
  reader.releaseLock();
  await child.stdin.close();
  await child.stdout.cancel();
  const status = await child.status;
  const stderr = new TextDecoder().decode(
    await new Response(child.stderr).arrayBuffer(),
  );
  if (Number.isNaN(elapsed) || !status.success) {
    throw new Error(`The REPL printed no prompt (exit ${status.code}):\n${seen}\n${stderr}`);
  }
  return elapsed;
}

/** Milliseconds from spawn until `deno run` of an empty script exits. */
async function emptyScript(file: string): Promise<number> {
  const started = performance.now();
  const out = await new Deno.Command(DENO, {
    args: ["run", file],
    stdout: "null",
    stderr: "null",
  }).output();
  const elapsed = performance.now() - started;
  if (!out.success) throw new Error(`deno run ${file} failed`);
  return elapsed;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const denoDir: string = JSON.parse(
  new TextDecoder().decode(
    (await new Deno.Command(DENO, { args: ["info", "--json"], stdout: "piped" }).output()).stdout,
  ),
).denoDir;

const tmp = await Deno.makeTempDir({ prefix: "pnplab_bench_" });
try {
  const empty = `${tmp}/empty.ts`;
  await Deno.writeTextFile(empty, "");
  await replToPrompt(tmp);
  await emptyScript(empty);
  const repl: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    repl.push(await replToPrompt(tmp));
    base.push(await emptyScript(empty));
  }
  const fmt = (n: number) => n.toFixed(1).padStart(7);
  const replMedian = median(repl);
  const baseMedian = median(base);
  console.log(`REPL startup, ${RUNS} runs each (after one unmeasured run each)`);
  console.log(
    `  spawn -> first 'kd> '      min ${fmt(Math.min(...repl))} ms  median ${fmt(replMedian)} ms`,
  );
  console.log(
    `  baseline: empty script    min ${fmt(Math.min(...base))} ms  median ${fmt(baseMedian)} ms`,
  );
  console.log(`  ratio (median)            ${(replMedian / baseMedian).toFixed(2)}x the baseline`);
  console.log(
    `  the REPL's own part       ${fmt(replMedian - baseMedian)} ms (median - baseline median)`,
  );
  console.log(
    `${
      replMedian < TARGET_MS ? "PASS" : "MISS"
    } median time to the first prompt under ${TARGET_MS} ms (${replMedian.toFixed(1)} ms)`,
  );
} finally {
  await Deno.remove(tmp, { recursive: true });
}
