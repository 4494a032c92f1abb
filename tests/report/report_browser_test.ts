/**
 * The scenario HTML report in a real browser: `deno task scenario scenarios/removal --html` writes the
 * page, Debian's headless Chromium loads it from disk (no network), and the test reads back the DOM
 * Chromium built and a screenshot. Ignored when Chromium is not installed (`.ci/run` installs it).
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const ROOT = new URL("../../", import.meta.url).pathname;
const DENO = Deno.execPath();
const TIMEOUT_MS = 60_000;

/** Debian's `chromium`, from PATH or its usual place. */
function findChromium(): string | null {
  for (const candidate of ["chromium", "/usr/bin/chromium"]) {
    try {
      const ok = new Deno.Command(candidate, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      }).outputSync().success;
      if (ok) return candidate;
    } catch {
      // not there: try the next one
    }
  }
  return null;
}

const chromium = findChromium();

/** Runs headless Chromium on a file with the flags that keep it off the network and quiet. */
async function headless(profile: string, args: string[], file: string): Promise<string> {
  const out = await new Deno.Command(chromium!, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      ...args,
      `file://${file}`,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).output();
  assert.ok(
    out.success,
    `chromium ${args.join(" ")} failed:\n${new TextDecoder().decode(out.stderr)}`,
  );
  return new TextDecoder().decode(out.stdout);
}

/** A PNG's size and its decompressed image data (filter bytes and pixels), read with the web's zlib. */
async function readPng(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<{ width: number; height: number; data: Uint8Array }> {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  assert.deepEqual([...bytes.slice(0, 8)], signature, "a PNG signature");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  const idat: Uint8Array<ArrayBuffer>[] = [];
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(bytes.slice(at + 4, at + 8));
    const body = bytes.slice(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
    } else if (type === "IDAT") idat.push(body);
    at += 12 + length;
  }
  const stream = new Blob(idat).stream().pipeThrough(new DecompressionStream("deflate"));
  const data = new Uint8Array(await new Response(stream).arrayBuffer());
  return { width, height, data };
}

Deno.test({
  name: "the removal scenarios' HTML report renders its sequence diagrams in Chromium",
  ignore: chromium === null,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pnplab-report-" });
    try {
      const report = join(dir, "report.html");
      const cli = await new Deno.Command(DENO, {
        args: [
          "run",
          "--allow-read",
          "--allow-write",
          "--allow-env",
          "dsl/cli.ts",
          "scenarios/removal",
          "--html",
          report,
        ],
        cwd: ROOT,
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const printed = new TextDecoder().decode(cli.stdout);
      assert.ok(cli.success, printed + new TextDecoder().decode(cli.stderr));
      const [, passed, failed] = /^(\d+) passed, (\d+) failed$/m.exec(printed) ?? [];
      assert.ok(Number(passed) >= 6, printed);
      assert.equal(failed, "0");

      // The DOM after Chromium parsed the page: the report's sections, each with an inline SVG.
      const dom = await headless(join(dir, "profile-dom"), ["--dump-dom"], report);
      const sections = dom.match(/<section id="s\d+">/g) ?? [];
      assert.equal(sections.length, Number(passed));
      const passMarkers = dom.match(/<span class="pass">PASS<\/span>/g) ?? [];
      assert.equal(passMarkers.length, Number(passed), "one PASS marker per scenario");
      assert.doesNotMatch(dom, /<span class="fail">FAIL<\/span>/);

      const diagrams = dom.match(/<svg[^>]*aria-label="Sequence diagram"[\s\S]*?<\/svg>/g) ?? [];
      assert.equal(diagrams.length, Number(passed), "one sequence diagram per scenario");
      for (const svg of diagrams) {
        // Arrows are <line> elements with an arrowhead marker; lifelines are dashed <line>s too.
        const arrows = svg.match(/<line [^>]*marker-end="url\(#m-[a-z]+\)"/g) ?? [];
        assert.ok(arrows.length > 0, "a sequence diagram with arrows");
      }
      // The eject scenario's diagram shows the IRPs that eject is made of, in order.
      const eject = diagrams.find((svg) => svg.includes("IRP_MN_EJECT"));
      assert.ok(eject, "the eject scenario's diagram names IRP_MN_EJECT");
      const order = ["IRP_MN_QUERY_REMOVE_DEVICE", "IRP_MN_REMOVE_DEVICE", "IRP_MN_EJECT"]
        .map((irp) => eject.indexOf(irp));
      assert.deepEqual(order, [...order].sort((a, b) => a - b), "QUERY_REMOVE, REMOVE, EJECT");
      assert.match(dom, /aria-label="Device tree"/);

      // A screenshot: a real image of the requested size, not a blank page.
      const shot = join(dir, "shot.png");
      await headless(
        join(dir, "profile-shot"),
        [`--screenshot=${shot}`, "--window-size=1400,2000", "--hide-scrollbars"],
        report,
      );
      const png = await Deno.readFile(shot);
      assert.ok(png.length > 20_000, `a non-trivial screenshot (${png.length} bytes)`);
      const image = await readPng(png);
      assert.deepEqual([image.width, image.height], [1400, 2000]);
      assert.ok(new Set(image.data).size > 32, "the screenshot has text and drawings on it");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
