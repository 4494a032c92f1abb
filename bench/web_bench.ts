/**
 * Playground benchmark: the page's weight and how soon it shows a result.
 *
 * - Bundle size: web/main.ts bundled as `deno task web` bundles it (minified, CodeMirror with its
 *   YAML and JavaScript languages, sucrase, the model), uncompressed and gzipped. Baseline, bundled
 *   the same way in the same run: mod.ts alone, the model without the page. Target: the bundle
 *   under 1.5 MB uncompressed.
 * - Time to the first result: headless Chromium (fresh profile) opens the built page from file://;
 *   the page notes `performance.now()` (from navigation start) when its first scenario's result is
 *   on screen. Baseline: a blank page's load event in the same browser. One unmeasured load, then
 *   `runs` loads (default 5); min and median. Target: median under 1 s.
 *
 * Run: `deno run -A bench/web_bench.ts [runs]`.
 *
 * @module
 */
import { build } from "../web/build.ts";
import { Browser, findChromium } from "../tests/web/chromium.ts";

const RUNS = Number(Deno.args[0] ?? 5);
const TARGET_BYTES = 1.5 * 1024 * 1024;
const TARGET_MS = 1000;
const ROOT = new URL("../", import.meta.url).pathname;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function gzipped(file: string): Promise<number> {
  const stream = (await Deno.open(file)).readable.pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** mod.ts alone, bundled with the page's flags: the model's own weight. */
async function modelBundle(dir: string): Promise<string> {
  const entry = `${dir}/model.ts`;
  await Deno.writeTextFile(
    entry,
    `import * as pnplab from "${ROOT}mod.ts";\nglobalThis.pnplab = pnplab;\n`,
  );
  const map = `${dir}/map.json`;
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  await Deno.writeTextFile(
    map,
    JSON.stringify({
      imports: {
        ...config.imports,
        "node:vm": `file://${ROOT}web/shims/vm.ts`,
        "node:util": `file://${ROOT}web/shims/util.ts`,
      },
    }),
  );
  const out = `${dir}/model.js`;
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform=browser",
      "--format=iife",
      "--minify",
      `--config=${ROOT}deno.json`,
      `--import-map=${map}`,
      `--output=${out}`,
      entry,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!r.success) throw new Error(new TextDecoder().decode(r.stderr));
  return out;
}

const tmp = await Deno.makeTempDir({ prefix: "pnplab_web_bench_" });
try {
  const built = await build(`${tmp}/site`);
  const bundle = `${tmp}/site/playground.js`;
  const model = await modelBundle(tmp);
  const kib = (n: number) => `${(n / 1024).toFixed(0).padStart(5)} KiB`;
  const modelBytes = (await Deno.stat(model)).size;
  console.log("Playground bundle (minified, uncompressed / gzip)");
  console.log(
    `  playground.js             ${kib(built.bundleBytes)} / ${kib(await gzipped(bundle))}`,
  );
  console.log(`  baseline: mod.ts alone    ${kib(modelBytes)} / ${kib(await gzipped(model))}`);
  console.log(
    `  ratio                     ${(built.bundleBytes / modelBytes).toFixed(2)}x the model alone`,
  );
  console.log(
    `  examples.js (not code)    ${kib(built.examplesBytes)}, ${built.examples} examples`,
  );
  console.log(
    `${built.bundleBytes < TARGET_BYTES ? "PASS" : "MISS"} bundle under 1.5 MB uncompressed (${
      (built.bundleBytes / 1024 / 1024).toFixed(2)
    } MB, the YAML and JavaScript editor languages included)`,
  );

  const chromium = findChromium();
  if (!chromium) {
    console.log(
      "MISS time to the first result: Chromium is not installed (apt-get install chromium)",
    );
  } else {
    await Deno.writeTextFile(`${tmp}/blank.html`, "<!doctype html><title>blank</title>");
    const browser = await Browser.launch(chromium);
    try {
      const page = await browser.newPage(1400, 1000);
      const firstResult = async (i: number) => {
        await page.goto(`file://${tmp}/site/index.html?run=${i}`);
        await page.waitFor(`globalThis.pnplabResultAt !== undefined`, 30_000);
        return await page.evaluate<number>("globalThis.pnplabResultAt");
      };
      const blank = async (i: number) => {
        await page.goto(`file://${tmp}/blank.html?run=${i}`);
        return await page.evaluate<number>(
          `performance.getEntriesByType("navigation")[0].loadEventEnd || performance.now()`,
        );
      };
      const cold = await firstResult(0);
      await blank(0);
      const result: number[] = [];
      const base: number[] = [];
      for (let i = 1; i <= RUNS; i++) {
        result.push(await firstResult(i));
        base.push(await blank(i));
      }
      const fmt = (n: number) => n.toFixed(1).padStart(7);
      const m = median(result);
      console.log(
        `\nTime from load to the first scenario's result, ${RUNS} loads (after one unmeasured)`,
      );
      console.log(`  first load, fresh profile ${fmt(cold)} ms`);
      console.log(
        `  load -> result            min ${fmt(Math.min(...result))} ms  median ${fmt(m)} ms`,
      );
      console.log(
        `  baseline: blank page      min ${fmt(Math.min(...base))} ms  median ${
          fmt(median(base))
        } ms`,
      );
      console.log(`  ratio (median)            ${(m / median(base)).toFixed(2)}x the baseline`);
      console.log(
        `${
          m < TARGET_MS ? "PASS" : "MISS"
        } median time to the first result under ${TARGET_MS} ms (${m.toFixed(1)} ms)`,
      );
    } finally {
      await browser.close();
    }
  }
} finally {
  await Deno.remove(tmp, { recursive: true });
}
