/**
 * `deno task bench`: runs every benchmark script in bench/ one after another (each prints its own
 * numbers, its baseline measured in the same run, the ratio, and PASS/MISS against its target).
 * Benchmarks never run as timed tests.
 *
 * @module
 */
const dir = new URL(".", import.meta.url).pathname;
const scripts: string[] = [];
for await (const e of Deno.readDir(dir)) {
  if (e.isFile && e.name.endsWith("_bench.ts")) scripts.push(e.name);
}
scripts.sort();
let misses = 0;
for (const name of scripts) {
  console.log(`\n=== ${name}`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${dir}${name}`],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  await Deno.stdout.write(out.stdout);
  misses += (text.match(/^MISS/gm) ?? []).length;
  if (!out.success) misses++;
}
console.log(`\n${scripts.length} benchmarks, ${misses} target(s) missed`);
