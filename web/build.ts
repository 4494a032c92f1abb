/**
 * `deno task web`: builds the playground into `dist/web/` and serves it on localhost. The page is
 * static (index.html, one classic script, a stylesheet and the examples as a script), so it works
 * from any static host and from `file://`, where browsers refuse ES module imports across files and
 * `fetch`: hence one bundle, and the examples as a script rather than a JSON file to fetch.
 *
 * `deno bundle` (esbuild) bundles web/main.ts with mod.ts. The import map is deno.json's, plus
 * shims: the REPL's Session and the driver-module loader (exported by mod.ts) import `node:vm`,
 * `node:util`, `node:path` and `node:url`, which a browser lacks and the page does not use.
 *
 *     deno task web [--port 8000] [--build-only]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { serveDir } from "./serve.ts";

const ROOT = new URL("../", import.meta.url);
const path = (p: string) => new URL(p, ROOT).pathname;

/** One example: a scenario file or a notebook lesson, as the page's menu lists it. */
export interface Example {
  /** Its name in links (`removal/eject-toaster`, `lessons/05-leaving/1`). */
  id: string;
  /** The title shown in the menu. */
  title: string;
  /** YAML scenario or fluent-DSL script. */
  kind: "yaml" | "script";
  /** The source the editor opens with. */
  text: string;
}

/** A group of the menu: a folder of `scenarios/`, or one notebook's lessons. */
export interface ExampleGroup {
  /** The folder's or the notebook's name. */
  name: string;
  /** Its examples. */
  examples: Example[];
}

/** A scenario file's title, from its `title:` line (the menu needs no more than that). */
function titleOf(text: string, fallback: string): string {
  const m = /^title:\s*(.+)$/m.exec(text) ?? /^\s*-\s*title:\s*(.+)$/m.exec(text);
  return m ? m[1]!.trim().replace(/^["']|["']$/g, "") : fallback;
}

/** A notebook cell's source as one string. */
type Cell = { cell_type: string; source: string | string[] };
const sourceOf = (c: Cell) => Array.isArray(c.source) ? c.source.join("") : c.source;

/** A cell's code ended as a statement, so the next cell (say `({ a })`) does not call its value. */
function statement(code: string): string {
  const trimmed = code.trimEnd();
  return /[;}]$/.test(trimmed) ? trimmed : `${trimmed};`;
}

/** The names a code cell declares at its top level. */
function declared(code: string): string[] {
  return [...code.matchAll(/^(?:const|let|var|function|class)\s+([A-Za-z_$][\w$]*)/gm)].map((m) =>
    m[1]!
  );
}

/**
 * A notebook's lessons: one script per cell that runs a `scenario(...)`: that cell, the explanation
 * before it as a comment, and the earlier cells that declare what it uses (its drivers and helpers,
 * and what those use in turn). Cells it does not need, such as other scenarios and their pictures,
 * are left out: each lesson shows one scenario. A notebook with no scenario() cell is one lesson,
 * the whole notebook.
 */
export function notebookLessons(file: string, notebook: { cells: Cell[] }): ExampleGroup {
  const heading = sourceOf(notebook.cells[0] ?? { cell_type: "markdown", source: "" }).split(
    "\n",
  )[0]!
    .replace(/^#+\s*/, "");
  const base = file.replace(/^.*\//, "").replace(/\.ipynb$/, "");
  const code: { text: string; names: string[]; explanation: string }[] = [];
  let explanation = "";
  for (const cell of notebook.cells) {
    const text = sourceOf(cell);
    if (cell.cell_type === "markdown") explanation = text;
    else if (cell.cell_type === "code") {
      code.push({ text, names: declared(text), explanation });
      explanation = "";
    }
  }
  const uses = (text: string, name: string) =>
    new RegExp(`(^|[^\\w$.])${name.replace(/\$/g, "\\$")}\\b`).test(text);
  const examples: Example[] = [];
  for (const [i, cell] of code.entries()) {
    const title = /\bscenario\(\s*"([^"]+)"/.exec(cell.text)?.[1];
    if (!title) continue;
    const needed = new Set([i]);
    for (let j = i - 1; j >= 0; j--) {
      const later = [...needed].map((n) => code[n]!.text);
      if (code[j]!.names.some((name) => later.some((t) => uses(t, name)))) needed.add(j);
    }
    const comment = cell.explanation.trim().split("\n").map((l) => `// ${l}`.trimEnd()).join("\n");
    examples.push({
      id: `lessons/${base}/${examples.length + 1}`,
      title,
      kind: "script",
      text: [
        `// From notebooks/${base}.ipynb: ${heading}`,
        ...[...needed].filter((n) => n !== i).sort((a, b) => a - b).map((n) =>
          statement(code[n]!.text)
        ),
        ...(comment ? [comment] : []),
        statement(cell.text),
        "",
      ].join("\n\n"),
    });
  }
  if (!examples.length) {
    // A notebook that drives machines directly, without scenario(): the whole notebook is the
    // lesson, its prose as comments; the page shows the last machine it boots.
    const text = notebook.cells.filter((c) => c.cell_type === "markdown" || c.cell_type === "code")
      .map((c) =>
        c.cell_type === "code"
          ? statement(sourceOf(c))
          : sourceOf(c).trim().split("\n").map((l) => `// ${l}`.trimEnd()).join("\n")
      );
    examples.push({
      id: `lessons/${base}/notebook`,
      title: heading,
      kind: "script",
      text: [`// title: ${heading}\n// From notebooks/${base}.ipynb`, ...text, ""].join("\n\n"),
    });
  }
  return { name: `Lessons: ${heading}`, examples };
}

/** The scenario library by folder, as in `scenarios/`, then the notebooks' lessons. */
export function collectExamples(): ExampleGroup[] {
  const groups: ExampleGroup[] = [];
  const folders = [...Deno.readDirSync(path("scenarios/"))].filter((e) => e.isDirectory).map((e) =>
    e.name
  ).sort();
  for (const folder of folders) {
    const files = [...Deno.readDirSync(path(`scenarios/${folder}/`))]
      .filter((e) => e.isFile && e.name.endsWith(".yaml")).map((e) => e.name).sort();
    groups.push({
      name: folder,
      examples: files.map((f) => {
        const text = Deno.readTextFileSync(path(`scenarios/${folder}/${f}`));
        return {
          id: `${folder}/${f.replace(/\.yaml$/, "")}`,
          title: titleOf(text, f),
          kind: "yaml" as const,
          text,
        };
      }),
    });
  }
  const notebooks = [...Deno.readDirSync(path("notebooks/"))].filter((e) =>
    e.name.endsWith(".ipynb")
  )
    .map((e) => e.name).sort();
  for (const nb of notebooks) {
    const lessons = notebookLessons(nb, JSON.parse(Deno.readTextFileSync(path(`notebooks/${nb}`))));
    if (lessons.examples.length) groups.push(lessons);
  }
  return groups;
}

/** The import map for the bundle: deno.json's imports, with the browser's stand-ins for node:vm, node:util, node:path and node:url. */
function importMap(): string {
  const config = JSON.parse(Deno.readTextFileSync(path("deno.json")));
  return JSON.stringify({
    imports: {
      ...config.imports,
      "node:vm": new URL("web/shims/vm.ts", ROOT).href,
      "node:util": new URL("web/shims/util.ts", ROOT).href,
      "node:path": new URL("web/shims/path.ts", ROOT).href,
      "node:url": new URL("web/shims/url.ts", ROOT).href,
    },
  });
}

/** What a build wrote, for the bench and the test. */
export interface BuildResult {
  /** The folder. */
  outDir: string;
  /** The bundle's size in bytes (uncompressed). */
  bundleBytes: number;
  /** The examples script's size in bytes. */
  examplesBytes: number;
  /** How many examples the menu has. */
  examples: number;
}

/** Builds the site into `outDir` (default `dist/web/`). */
export async function build(outDir = path("dist/web/")): Promise<BuildResult> {
  await Deno.mkdir(outDir, { recursive: true });
  const map = await Deno.makeTempFile({ prefix: "pnplab-web-", suffix: ".json" });
  try {
    await Deno.writeTextFile(map, importMap());
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--platform=browser",
        "--format=iife",
        "--minify",
        `--config=${path("deno.json")}`,
        `--import-map=${map}`,
        `--output=${outDir}/playground.js`,
        path("web/main.ts"),
      ],
      cwd: path(""),
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(`deno bundle failed:\n${new TextDecoder().decode(out.stderr)}`);
    }
  } finally {
    await Deno.remove(map);
  }
  const groups = collectExamples();
  const json = JSON.stringify(groups);
  await Deno.writeTextFile(`${outDir}/examples.json`, json);
  // A script, not a fetch: file:// pages cannot fetch files next to them.
  const script = `globalThis.PNPLAB_EXAMPLES = ${json.replace(/</g, "\\u003c")};\n`;
  await Deno.writeTextFile(`${outDir}/examples.js`, script);
  await Deno.copyFile(path("web/index.html"), `${outDir}/index.html`);
  await Deno.copyFile(path("web/style.css"), `${outDir}/playground.css`);
  return {
    outDir,
    bundleBytes: (await Deno.stat(`${outDir}/playground.js`)).size,
    examplesBytes: new TextEncoder().encode(script).length,
    examples: groups.reduce((n, g) => n + g.examples.length, 0),
  };
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: "string", default: "8000" }, "build-only": { type: "boolean" } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number, not '${values.port}'`);
    return 2;
  }
  const result = await build();
  console.log(
    `Built ${result.outDir}: playground.js ${(result.bundleBytes / 1024).toFixed(0)} KiB, ` +
      `${result.examples} examples`,
  );
  if (values["build-only"]) return 0;
  const server = serveDir(result.outDir, port);
  console.log(`Serving the playground on http://localhost:${server.addr.port}/ (Ctrl+C stops)`);
  await server.finished;
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
